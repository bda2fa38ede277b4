/**
 * Runs the user's app (the `app` command of `cdk8s.yaml`) with `CDK8S_OUTDIR` pointed at an output
 * directory, as `cdk8s synth` does. The app's own output goes to stderr, so that stdout carries
 * only what the command prints. On a terminal, a run longer than {@link PROGRESS_AFTER_MS} shows a
 * progress line on stderr (time and files written so far, counted in the app's staging directory),
 * cleared when the app ends; elsewhere nothing is shown.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CliError, EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import { appCommand, type Project } from './project.js';

/** After how long a run shows progress on a terminal. */
export const PROGRESS_AFTER_MS = 2000;
const PROGRESS_EVERY_MS = 1000;

/** Files below `dir` (0 when it does not exist). */
function countFiles(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

/** Files written so far into the staging directories synthesis uses for `outdir` (`.<name>.staging-<pid>`). */
function stagedFiles(outdir: string): number {
  const parent = dirname(outdir);
  const prefix = `.${basename(outdir)}.staging-`;
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return 0;
  }
  return names.reduce((n, name) => n + countFiles(join(parent, name)), 0);
}

/** What the app's messages may keep for {@link AccessRefused} (the problems list is bounded per problem; this bounds the count). */
const KEPT_MESSAGES_MAX = 1 << 20;

/**
 * The app refused a valid topology for what it grants (exit code 2: every problem is a finding of
 * the access analysis). Carries the app's messages, which name the access.
 */
export class AccessRefused extends CliError {
  public constructor(
    message: string,
    /** The app's messages (stdout and stderr), at most {@link KEPT_MESSAGES_MAX} characters. */
    public readonly findings: string,
  ) {
    super(message, EXIT.crossEnvironment);
  }
}

/** A progress line on a terminal: redrawn in place, cleared before other text and at the end. */
class ProgressLine {
  private shown = false;
  public constructor(private readonly io: CliIo) {}
  public draw(text: string): void {
    this.io.stderr.write(`\r\u001b[2K${text}`);
    this.shown = true;
  }
  public clear(): void {
    if (this.shown) this.io.stderr.write('\r\u001b[2K');
    this.shown = false;
  }
}

/**
 * Runs the app of `project` with its output in `outdir`. Resolves when it succeeded; throws a
 * {@link CliError} when it failed (its problems were printed to stderr by the app itself).
 *
 * @param what what the run is for, in the progress line (e.g. `synth`)
 */
export async function runApp(project: Project, outdir: string, io: CliIo, what: string): Promise<void> {
  const app = appCommand(project);
  const started = Date.now();
  const child = spawn(app, {
    cwd: project.dir,
    env: { ...io.env, CDK8S_OUTDIR: outdir },
    shell: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that an interrupt stops the app and everything it started.
    detached: true,
  });
  const progress = io.stderr.isTTY === true ? new ProgressLine(io) : undefined;
  let messages = '';
  const relay = (chunk: Buffer): void => {
    progress?.clear();
    const text = chunk.toString('utf8');
    if (messages.length < KEPT_MESSAGES_MAX) messages += text.slice(0, KEPT_MESSAGES_MAX - messages.length);
    io.stderr.write(text);
  };
  child.stdout.on('data', relay);
  child.stderr.on('data', relay);
  const timer = progress
    ? setInterval(() => {
        const ms = Date.now() - started;
        if (ms < PROGRESS_AFTER_MS) return;
        const files = stagedFiles(outdir);
        progress.draw(`${what}: ${Math.round(ms / 1000)} s${files > 0 ? `, ${files.toLocaleString('en-US')} files written` : ''} (${app})`);
      }, PROGRESS_EVERY_MS)
    : undefined;
  const stop = (signal: NodeJS.Signals): void => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    }
  };
  const onInt = (): void => stop('SIGINT');
  const onTerm = (): void => stop('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    const code = await new Promise<number | null>((done, fail) => {
      child.once('error', fail);
      child.once('close', (c, signal) => done(signal ? null : c));
    });
    if (code === EXIT.crossEnvironment)
      throw new AccessRefused(
        `the app (${app}) refused the topology for what it grants (exit code 2: findings of the access analysis, above): fix the access, or opt out with Guardrails.allow(...) and a reason; the output directory was left as it was.`,
        messages,
      );
    if (code !== 0)
      throw new CliError(
        code === null
          ? `the app (${app}) was stopped by a signal; the output directory was left as it was.`
          : `the app (${app}) failed with exit code ${code} (its messages are above); the output directory was left as it was.`,
      );
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`could not run the app (${app}): ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    if (timer) clearInterval(timer);
    progress?.clear();
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
  }
}

/**
 * Runs the app into a new temporary directory and hands that output directory to `use`; the
 * temporary directory is removed afterwards, whatever happens.
 */
export async function withFreshSynthesis<T>(project: Project, io: CliIo, what: string, use: (outdir: string) => Promise<T>): Promise<T> {
  const tmp = mkdtempSync(join(tmpdir(), 'secrets-topology-'));
  try {
    const outdir = join(tmp, 'output');
    await runApp(project, outdir, io, what);
    return await use(outdir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
