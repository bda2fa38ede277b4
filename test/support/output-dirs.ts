/**
 * Helpers of the output-directory tests (writer, faults, locks, mounts, unprivileged runs): earlier
 * outputs made by hand, trees and whole-directory snapshots to compare, synth with its stderr
 * captured, and child processes (as an unprivileged user when the tests run as root).
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, vi } from 'vitest';
import type { TopologyApp } from '../../lib/index.js';
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from '../../lib/output/outdir.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The uid and gid children run as: nobody when the tests run as root, else the tests' own. */
export const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** Whether the tests run as root (mounts and permission changes are then possible). */
export const IS_ROOT = process.getuid?.() === 0;

/** Every file below `dir` with its content, by `/`-separated relative path (the top-level marker checked and left out). */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  expect(readFileSync(join(dir, OUTPUT_MARKER), 'utf8')).toBe(OUTPUT_MARKER_TEXT);
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || (e.name === OUTPUT_MARKER && e.parentPath === dir)) continue;
    const abs = join(e.parentPath, e.name);
    out[relative(dir, abs).split(sep).join('/')] = readFileSync(abs, 'utf8');
  }
  return out;
}

/** Writes files as an earlier output of the tool (with its marker). */
export function writeOutput(dir: string, files: Record<string, string>): void {
  for (const [p, content] of Object.entries({ ...files, [OUTPUT_MARKER]: OUTPUT_MARKER_TEXT })) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
}

/**
 * Everything below `root` (not following links): per relative path its type, mode, owner, and
 * content hash or link target; with `mtime`, the modification times too. Two equal snapshots mean
 * nothing below `root` was created, deleted, changed or re-permissioned.
 */
export function snapshot(root: string, options: { mtime?: boolean } = {}): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (path: string): void => {
    const st = lstatSync(path);
    const rel = relative(root, path) || '.';
    const when = options.mtime ? ` ${st.mtimeMs}` : '';
    if (st.isSymbolicLink()) out.set(rel, `link ${readlinkSync(path)}`);
    else if (st.isDirectory()) {
      out.set(rel, `dir ${st.mode.toString(8)} ${st.uid}${when}`);
      for (const e of readdirSync(path)) walk(join(path, e));
    } else out.set(rel, `file ${st.mode.toString(8)} ${st.uid} ${createHash('sha256').update(readFileSync(path)).digest('hex')}${when}`);
  };
  walk(root);
  return out;
}

/** Runs `app.synth()` with stderr captured; restores the exit code. */
export function synthCaptured(app: TopologyApp): { stderr: string; exitCode: number | undefined } {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    app.synth();
    return { stderr: written.join(''), exitCode: process.exitCode };
  } finally {
    process.exitCode = exitCode;
    spy.mockRestore();
  }
}

/** The arguments that run a TypeScript file with Node and tsx. */
export function tsxArgs(script: string, ...args: string[]): string[] {
  return ['--import', pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, script, ...args];
}

/** Runs a TypeScript file in a child process as {@link UNPRIVILEGED}, with a clean environment. */
export function runScript(
  script: string,
  options: { cwd: string; args?: string[]; env?: Record<string, string> },
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, tsxArgs(script, ...(options.args ?? [])), {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
    ...UNPRIVILEGED,
  });
}

/** A child process started with {@link tsxArgs}: its output so far, and its end. */
export interface Child {
  readonly pid: number;
  readonly out: () => string;
  readonly err: () => string;
  /** Resolves when stdout holds `text`. */
  readonly waitFor: (text: string) => Promise<void>;
  readonly exited: Promise<number | null>;
  readonly send: (line: string) => void;
  readonly kill: () => void;
}

export function startScript(script: string, options: { cwd: string; args?: string[]; env?: Record<string, string> }): Child {
  const proc = spawn(process.execPath, tsxArgs(script, ...(options.args ?? [])), {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, ...options.env },
    ...UNPRIVILEGED,
  });
  let out = '';
  let err = '';
  const waiters: Array<{ text: string; ok: () => void }> = [];
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) (out.includes(w.text) ? w.ok : () => waiters.push(w))();
  });
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)));
  return {
    pid: proc.pid as number,
    out: () => out,
    err: () => err,
    waitFor: (text) =>
      new Promise<void>((ok, fail) => {
        if (out.includes(text)) return ok();
        waiters.push({ text, ok });
        void exited.then(() => (out.includes(text) ? ok() : fail(new Error(`exited before printing ${text}: ${err}`))));
      }),
    exited,
    send: (line) => proc.stdin.write(`${line}\n`),
    kill: () => proc.kill('SIGKILL'),
  };
}
