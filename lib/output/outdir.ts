/**
 * The safe-output-directory rule. Synthesis replaces its output directory as a whole, so the
 * directory it is given must be one it may replace: never the working directory or one of its
 * parents, the filesystem root or the home directory (and their parents), and never a non-empty
 * directory that this tool did not write (it carries no {@link OUTPUT_MARKER}). Checked before
 * anything is touched.
 */
import { existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, parse, relative, resolve } from 'node:path';

/** The file every output directory this tool writes carries; synthesis refuses to replace a non-empty directory without it. */
export const OUTPUT_MARKER = '.secrets-topology-output';

/** The text of {@link OUTPUT_MARKER}. */
export const OUTPUT_MARKER_TEXT =
  'Written by secrets-topology: every synth replaces this directory as a whole. Keep no other files here.\n';

/**
 * Why `outdir` must not be replaced, or undefined when it may be. `outdir` is what the app was
 * given (a prop or `$CDK8S_OUTDIR`); relative paths are taken from the working directory.
 */
export function unsafeOutputDirectory(outdir: unknown): string | undefined {
  const how = 'set the app\'s "outdir" (or CDK8S_OUTDIR) to a directory of its own, e.g. "dist"';
  if (typeof outdir !== 'string') return `the output directory must be a path, received ${typeof outdir}: ${how}.`;
  if (outdir.trim() === '')
    return `the output directory is ${outdir === '' ? 'empty' : 'blank'} (it would be the working directory, which synth would replace): ${how}.`;
  if (outdir.includes('\u0000')) return `the output directory contains a NUL character: ${how}.`;
  const target = resolve(outdir);
  const shown = JSON.stringify(outdir.length > 120 ? `${outdir.slice(0, 117)}...` : outdir);
  const real = realOrSelf(target);
  for (const [what, dir] of protectedDirectories()) {
    for (const t of new Set([target, real])) {
      if (t === dir) return `the output directory ${shown} is ${what} (${dir}), which synth would replace as a whole: ${how}.`;
      if (isInside(dir, t)) return `the output directory ${shown} contains ${what} (${dir}), which synth would replace as a whole: ${how}.`;
    }
  }
  if (!existsSync(target) && !isSymlink(target)) return undefined;
  const stat = lstatSync(target);
  if (stat.isSymbolicLink() && !existsSync(target))
    return `the output directory ${shown} is a symbolic link to a missing target: remove the link or point it at a directory.`;
  if (!stat.isSymbolicLink() && !stat.isDirectory())
    return `the output directory ${shown} exists and is not a directory: move the file away or choose another "outdir".`;
  if (!statIsDirectory(target))
    return `the output directory ${shown} is a link to something that is not a directory: choose another "outdir".`;
  const entries = readdirSync(target);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    return (
      `the output directory ${shown} holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} and was not written by secrets-topology (no ${OUTPUT_MARKER} file), ` +
      `so synth will not replace it: choose an empty or new directory, or, if it is an earlier output of this tool, delete it first.`
    );
  }
  return undefined;
}

/** The directories that must never be the output directory nor inside it. */
function protectedDirectories(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const cwd = process.cwd();
  out.push(['the working directory', cwd]);
  const realCwd = realOrSelf(cwd);
  if (realCwd !== cwd) out.push(['the working directory', realCwd]);
  const home = safeHome();
  if (home) {
    out.push(['the home directory', home]);
    const realHome = realOrSelf(home);
    if (realHome !== home) out.push(['the home directory', realHome]);
  }
  const root = parse(cwd).root;
  out.push(['the filesystem root', root]);
  return out;
}

/** Whether `inner` is strictly inside `outer`. */
function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Missing: the nearest existing parent decides where it would be.
    const parent = dirname(path);
    if (parent === path) return path;
    return join(realOrSelf(parent), path.slice(parent.length + (parent.endsWith('/') ? 0 : 1)));
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function statIsDirectory(path: string): boolean {
  try {
    return realpathSync(path) !== undefined && lstatSync(realpathSync(path)).isDirectory();
  } catch {
    return false;
  }
}

function safeHome(): string | undefined {
  try {
    const h = homedir();
    return h && isAbsolute(h) ? resolve(h) : undefined;
  } catch {
    return undefined;
  }
}
