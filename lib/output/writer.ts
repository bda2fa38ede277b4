import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Replaces `outdir` with exactly `files` (relative path -> content) so that a reader sees either
 * the old directory or the new one, never a mix:
 * 1. every file is written into a sibling staging directory;
 * 2. the old directory is renamed aside, the staging directory renamed into place, the old one
 *    deleted. If the process dies between the two renames, the next run restores the old one first.
 */
export function writeAtomically(outdir: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(outdir);
  const parent = dirname(target);
  const base = basename(target);
  mkdirSync(parent, { recursive: true });
  recover(parent, base);

  const staging = join(parent, `.${base}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const dirs = new Set<string>();
  for (const rel of [...files.keys()].sort()) {
    const file = join(staging, rel);
    const dir = dirname(file);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    writeFileSync(file, files.get(rel) ?? '');
  }

  const old = join(parent, `.${base}.old-${process.pid}`);
  if (existsSync(target)) renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
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
