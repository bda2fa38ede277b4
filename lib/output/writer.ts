import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * A new version of an output directory, built file by file in a sibling staging directory and
 * swapped in with {@link commit}, so that a reader sees either the old directory or the new one,
 * never a mix:
 * 1. every file is written into `.<dir>.staging-<pid>` as it is added (nothing is kept in memory);
 * 2. `commit` renames the old directory aside, the staging directory into place, and deletes the
 *    old one. If the process dies between the two renames, the next run restores the old one first.
 * `abort` (or a crash) leaves the output directory as it was; stale staging directories are removed
 * by the next run.
 */
export class StagedDirectory {
  /** The directory that {@link commit} replaces. */
  public readonly target: string;
  private readonly staging: string;
  private readonly dirs = new Set<string>();
  private readonly written = new Set<string>();
  private state: 'open' | 'committed' | 'aborted' = 'open';

  public constructor(outdir: string) {
    this.target = resolve(outdir);
    const parent = dirname(this.target);
    const base = basename(this.target);
    mkdirSync(parent, { recursive: true });
    recover(parent, base);
    this.staging = join(parent, `.${base}.staging-${process.pid}`);
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging);
  }

  /** Writes one file (`rel` is relative to the output directory, `/`-separated). */
  public write(rel: string, content: string): void {
    this.assertOpen();
    const file = join(this.staging, rel);
    const dir = dirname(file);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    writeFileSync(file, content);
    this.written.add(rel);
  }

  /** Reads back a file written earlier, or undefined. */
  public read(rel: string): string | undefined {
    return this.written.has(rel) ? readFileSync(join(this.staging, rel), 'utf8') : undefined;
  }

  /** Replaces the output directory with the staged one. */
  public commit(): void {
    this.assertOpen();
    const old = join(dirname(this.target), `.${basename(this.target)}.old-${process.pid}`);
    if (existsSync(this.target)) renameSync(this.target, old);
    renameSync(this.staging, this.target);
    this.state = 'committed';
    rmSync(old, { recursive: true, force: true });
  }

  /** Drops the staged files; the output directory is left as it was. */
  public abort(): void {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    rmSync(this.staging, { recursive: true, force: true });
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error(`the staged output for ${this.target} was already ${this.state}`);
  }
}

/**
 * Replaces `outdir` with exactly `files` (relative path -> content), atomically as described at
 * {@link StagedDirectory}. On a write error nothing changes and the error is thrown.
 */
export function writeAtomically(outdir: string, files: ReadonlyMap<string, string>): void {
  const staged = new StagedDirectory(outdir);
  try {
    for (const rel of [...files.keys()].sort()) staged.write(rel, files.get(rel) ?? '');
  } catch (e) {
    staged.abort();
    throw e;
  }
  staged.commit();
}

/** Restores an output directory left aside by an interrupted run, and removes stale staging dirs. */
function recover(parent: string, base: string): void {
  const target = join(parent, base);
  const leftovers = readdirSync(parent).filter((n) => n.startsWith(`.${base}.old-`) || n.startsWith(`.${base}.staging-`));
  for (const name of leftovers.sort()) {
    const path = join(parent, name);
    if (name.startsWith(`.${base}.old-`) && !existsSync(target)) renameSync(path, target);
    else rmSync(path, { recursive: true, force: true });
  }
}
