/**
 * How an output directory is replaced all or nothing, and how what a crashed replacement left is
 * recovered. Two ways, chosen per directory:
 *
 * - **Beside** (the usual case): the new output is written into `.<dir>.staging-<pid>` next to the
 *   directory; `commit` renames the directory to `.<dir>.old-<pid>`, the staging directory into its
 *   place, and deletes the old one. A crash between the two renames leaves no directory but the
 *   complete old one aside; recovery renames it back.
 * - **In place**, when the directory is a mount point (a container volume: renaming it fails with
 *   EBUSY, or EXDEV across file systems): the new output is written into `<dir>/.secrets-topology-next`;
 *   `commit` writes a journal listing the old and the new top-level entries, moves the old entries
 *   into `<dir>/.secrets-topology-previous`, the new ones into `<dir>`, and deletes the journal: that
 *   is the commit point (an unlink, which needs no free space). Then it deletes the old entries.
 *   Recovery with a journal moves every entry back (the old output again); without one, it deletes
 *   the staging and previous directories (a partial new output, or the clean-up cut short).
 *
 * Both run under the directory's lock (lock.ts), and recovery deletes only what this tool created:
 * directories with our names that carry the output marker (or are empty), of processes that no
 * longer run, and the journal and staging names inside an output directory. A directory is deleted
 * marker last, so a deletion cut short is still recognised as ours.
 */
import { accessSync, constants, existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TopologyError } from '../model/errors.js';
import { fsOps, simulatedMountPoint } from './fs-ops.js';
import { isRunning, OutputLock } from './lock.js';
import { IN_PLACE_NAMES, NOT_CONTENT, OUTPUT_MARKER, OUTPUT_MARKER_TEXT, unsafeOutputContent } from './outdir.js';
import { errnoCode, fsFailure, OutputError, showPath } from './output-error.js';

/** An output directory opened for replacement: locked, recovered, with an empty staging directory. */
export interface Swap {
  /** The directory the new output is written into. */
  readonly staging: string;
  /** Replaces the output directory with the staging directory; throws an {@link OutputError} with the output as it was. */
  commit(): void;
  /** Drops the staging directory and releases the lock. */
  abort(): void;
}

/**
 * Opens the output directory `dir` (where the links of `outdir` lead) for replacement: takes its
 * lock, recovers what a crashed run left, checks what it holds (unsafeOutputContent) and creates
 * the staging directory. Throws a {@link TopologyError} for an unsafe directory, an
 * {@link OutputError} for a file-system failure; nothing is changed then.
 */
export function openSwap(outdir: string, dir: string): Swap {
  const linked = dir !== outdir;
  if (linked && !existsSync(dir) && !restorable(dir)) throw new TopologyError([{ path: '', message: unsafeOutputContent(outdir) ?? '' }]);
  const inPlace = isMountPoint(dir);
  if (!inPlace) step(outdir, 'create the parent directory', dirname(dir), dirname(dirname(dir)), () => fsOps.mkdir(dirname(dir), true));
  const swap = inPlace ? new InPlace(outdir, dir) : new Beside(outdir, dir);
  swap.open();
  return swap;
}

/** What both ways share: the lock, and the order of open, commit and abort. */
abstract class Base implements Swap {
  public abstract readonly staging: string;
  protected abstract readonly lockFile: string;
  private lock?: OutputLock;

  public constructor(
    protected readonly outdir: string,
    protected readonly dir: string,
  ) {}

  /** Locks, recovers, checks and creates the staging directory. */
  public open(): void {
    this.lock = OutputLock.acquire(this.lockFile, this.outdir);
    try {
      this.recover();
      const unsafe = step(this.outdir, 'read', this.dir, this.dir, () => unsafeOutputContent(this.outdir));
      if (unsafe) throw new TopologyError([{ path: '', message: unsafe }]);
      this.step('create the staging directory', this.staging, () => {
        fsOps.mkdir(this.staging);
        fsOps.create(join(this.staging, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
      });
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  public commit(): void {
    try {
      this.lock?.verify();
      this.swap();
    } catch (e) {
      this.abort();
      throw e;
    }
    this.lock?.release();
  }

  public abort(): void {
    try {
      if (isOurs(this.staging)) removeOurs(this.staging);
    } catch {
      // Left for the next run's recovery: it carries the marker.
    } finally {
      this.lock?.release();
    }
  }

  /** Restores or finishes what a crashed run left; deletes its leftovers. */
  public abstract recover(): void;
  /** Replaces the output directory with the staging directory. */
  protected abstract swap(): void;

  /** Runs a step; a file-system failure becomes an {@link OutputError} naming `operation` and `path`. */
  protected step<T>(operation: string, path: string, run: () => T): T {
    return step(this.outdir, operation, path, this.adviceDir, run);
  }

  /** The directory a user frees or makes writable when a step fails. */
  protected abstract readonly adviceDir: string;
}

/** Staging beside the output directory, swapped in by two renames. */
class Beside extends Base {
  public readonly staging: string;
  protected readonly lockFile: string;
  protected readonly adviceDir: string;
  private readonly old: string;
  private readonly parent: string;
  private readonly base: string;

  public constructor(outdir: string, dir: string) {
    super(outdir, dir);
    this.parent = dirname(dir);
    const base = basename(dir);
    this.adviceDir = this.parent;
    this.lockFile = join(this.parent, `.${base}.lock`);
    this.staging = join(this.parent, `.${base}.staging-${process.pid}`);
    this.old = join(this.parent, `.${base}.old-${process.pid}`);
    this.base = base;
  }

  public recover(): void {
    const leftovers = this.step('recover', this.parent, () => readdirSync(this.parent))
      .map((name) => ({ name, of: leftoverOf(this.base, name), path: join(this.parent, name) }))
      .filter((l) => l.of !== undefined && isOurs(l.path))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const aside = leftovers.find((l) => l.of?.kind === 'old');
    if (aside && !present(this.dir)) {
      this.step('restore the previous output', aside.path, () => fsOps.rename(aside.path, this.dir));
      leftovers.splice(leftovers.indexOf(aside), 1);
    }
    for (const l of leftovers) {
      if (!isRunning(l.of?.pid ?? 0)) this.step('delete the leftover of a crashed synth', l.path, () => removeOurs(l.path));
    }
  }

  protected swap(): void {
    const had = present(this.dir);
    if (had) {
      checkRemovable(this.outdir, this.dir, new Set());
      try {
        fsOps.rename(this.dir, this.old);
      } catch (e) {
        const code = errnoCode(e);
        if (code === 'EBUSY' || code === 'EXDEV') return this.swapInPlace();
        throw new OutputError(this.outdir, fsFailure(e, 'move the previous output aside', this.dir, this.parent));
      }
    }
    try {
      fsOps.rename(this.staging, this.dir);
    } catch (e) {
      if (had) this.step('restore the previous output', this.old, () => fsOps.rename(this.old, this.dir));
      throw new OutputError(this.outdir, fsFailure(e, 'move the new output into place', this.dir, this.parent));
    }
    if (had) finishRemoving(this.old);
  }

  /**
   * The output directory turned out to be a mount point (renaming it failed with EBUSY or EXDEV)
   * although it was not detected as one: the staged files are copied into it and swapped in place.
   */
  private swapInPlace(): void {
    const inPlace = new InPlace(this.outdir, this.dir);
    inPlace.recover();
    try {
      this.step('copy the new output into the mount point', inPlace.staging, () => {
        fsOps.mkdir(inPlace.staging);
        fsOps.copy(this.staging, inPlace.staging);
      });
      inPlace.swapNow();
    } catch (e) {
      if (isOurs(inPlace.staging)) removeOurs(inPlace.staging);
      throw e;
    }
    try {
      removeOurs(this.staging);
    } catch {
      // Left for the next run's recovery: it carries the marker.
    }
  }
}

/** The journal of an in-place swap. */
interface Journal {
  readonly tool: 'secrets-topology';
  /** The top-level entries of the old output. */
  readonly old: readonly string[];
  /** The top-level entries of the new output. */
  readonly new: readonly string[];
}

/** Staging inside the output directory (a mount point), swapped in entry by entry under a journal. */
class InPlace extends Base {
  public readonly staging: string;
  protected readonly lockFile: string;
  protected readonly adviceDir: string;
  private readonly previous: string;
  private readonly journal: string;

  public constructor(outdir: string, dir: string) {
    super(outdir, dir);
    this.adviceDir = dir;
    this.lockFile = join(dir, IN_PLACE_NAMES.lock);
    this.staging = join(dir, IN_PLACE_NAMES.next);
    this.previous = join(dir, IN_PLACE_NAMES.previous);
    this.journal = join(dir, IN_PLACE_NAMES.journal);
  }

  public recover(): void {
    const tmp = join(this.dir, IN_PLACE_NAMES.journalTmp);
    if (typeof this.readJournal(tmp) === 'object') this.step('delete the leftover of a crashed synth', tmp, () => fsOps.unlink(tmp));
    const journal = this.readJournal(this.journal);
    if (journal === 'foreign') {
      throw new OutputError(this.outdir, {
        operation: 'recover',
        path: this.journal,
        reason: 'the file is not a journal of secrets-topology',
        advice: 'move it away (synth uses this name inside an output directory that is a mount point)',
      });
    }
    if (journal) this.step('restore the previous output', this.dir, () => this.rollBack(journal));
    this.step('delete the leftover of a crashed synth', this.dir, () => this.cleanUp());
  }

  protected swap(): void {
    this.swapNow();
  }

  /** The in-place swap (also the fallback of a {@link Beside} whose directory turned out to be a mount point). */
  public swapNow(): void {
    const skip = new Set<string>([...Object.values(IN_PLACE_NAMES), ...NOT_CONTENT]);
    const journal: Journal = {
      tool: 'secrets-topology',
      old: this.step('read', this.dir, () => readdirSync(this.dir))
        .filter((e) => !skip.has(e))
        .sort(),
      new: this.step('read', this.staging, () => readdirSync(this.staging)).sort(),
    };
    checkRemovable(this.outdir, this.dir, skip);
    const tmp = join(this.dir, IN_PLACE_NAMES.journalTmp);
    this.step('write the journal', this.journal, () => {
      fsOps.create(tmp, `${JSON.stringify(journal)}\n`);
      fsOps.rename(tmp, this.journal);
    });
    try {
      fsOps.mkdir(this.previous);
      for (const e of journal.old) fsOps.rename(join(this.dir, e), join(this.previous, e));
      for (const e of journal.new) fsOps.rename(join(this.staging, e), join(this.dir, e));
      fsOps.unlink(this.journal);
    } catch (e) {
      this.step('restore the previous output', this.dir, () => {
        this.rollBack(journal);
        this.cleanUp();
      });
      throw new OutputError(this.outdir, fsFailure(e, 'move the new output into place', errorPath(e) ?? this.dir, this.dir));
    }
    try {
      this.cleanUp();
    } catch (e) {
      warnLeftover(this.previous, e);
    }
  }

  /** Moves every entry back where it was before the swap began (new ones into staging, old ones into the directory). */
  private rollBack(journal: Journal): void {
    for (const e of journal.new) {
      if (!present(join(this.staging, e)) && present(join(this.dir, e))) fsOps.rename(join(this.dir, e), join(this.staging, e));
    }
    for (const e of journal.old) if (present(join(this.previous, e))) fsOps.rename(join(this.previous, e), join(this.dir, e));
  }

  /** Deletes the journal, then the staging and previous directories (the new output's leftovers, and the old output). */
  private cleanUp(): void {
    if (present(this.journal)) fsOps.unlink(this.journal);
    for (const d of [this.staging, this.previous]) if (isOurs(d)) removeOurs(d);
  }

  /** The journal in `file`, undefined when there is none, or `foreign`. */
  private readJournal(file: string): Journal | undefined | 'foreign' {
    if (!present(file)) return undefined;
    try {
      const j = JSON.parse(readFileSync(file, 'utf8')) as Partial<Journal>;
      if (j.tool === 'secrets-topology' && Array.isArray(j.old) && Array.isArray(j.new)) {
        // Plain names of entries of the output, never one of the names synth keeps for itself.
        const reserved = new Set<unknown>([...Object.values(IN_PLACE_NAMES), ...NOT_CONTENT, '', '.', '..']);
        const names: unknown[] = [...j.old, ...j.new];
        if (names.every((n) => typeof n === 'string' && !n.includes('/') && !n.includes('\u0000') && !reserved.has(n))) return j as Journal;
      }
    } catch {
      // not ours
    }
    return 'foreign';
  }
}

/** The kind (`old` or `staging`) and the pid of a beside swap's directory of `base` (`.<base>.old-<pid>`, `.<base>.staging-<pid>`). */
function leftoverOf(base: string, name: string): { kind: string; pid: number } | undefined {
  const prefix = `.${base}.`;
  const m = name.startsWith(prefix) ? /^(old|staging)-([0-9]{1,10})$/.exec(name.slice(prefix.length)) : null;
  return m ? { kind: m[1], pid: Number(m[2]) } : undefined;
}

/** Whether a beside swap of `dir` that crashed between its renames left the old output to restore. */
function restorable(dir: string): boolean {
  const parent = dirname(dir);
  try {
    return readdirSync(parent).some((n) => leftoverOf(basename(dir), n)?.kind === 'old' && isOurs(join(parent, n)));
  } catch {
    return false;
  }
}

/**
 * Whether `dir` is a mount point: on another device than its parent, the root of one, or listed in
 * /proc/self/mountinfo (a bind mount of the same file system).
 */
export function isMountPoint(dir: string): boolean {
  if (simulatedMountPoint(dir)) return existsSync(dir);
  let here;
  let parent;
  try {
    here = statSync(dir);
    parent = statSync(dirname(dir));
  } catch {
    return false;
  }
  if (here.dev !== parent.dev || here.ino === parent.ino) return true;
  try {
    const real = realpathSync(dir);
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .some((line) => unescapeMountPath(line.split(' ')[4] ?? '') === real);
  } catch {
    return false;
  }
}

/** A path of /proc/self/mountinfo, whose space, tab, newline and backslash are octal escapes. */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Whether `path` is a directory of this tool: a real directory (not a link) holding the marker, or empty. */
function isOurs(path: string): boolean {
  try {
    if (!lstatSync(path).isDirectory()) return false;
    const marker = lstatSync(join(path, OUTPUT_MARKER), { throwIfNoEntry: false });
    return marker ? marker.isFile() : readdirSync(path).length === 0;
  } catch {
    return false;
  }
}

/** Deletes a directory of this tool, its marker last (a deletion cut short still carries it). */
function removeOurs(dir: string): void {
  for (const e of readdirSync(dir)) if (e !== OUTPUT_MARKER) fsOps.rm(join(dir, e));
  if (present(join(dir, OUTPUT_MARKER))) fsOps.unlink(join(dir, OUTPUT_MARKER));
  fsOps.rmdir(dir);
}

/** Deletes the old output after a swap; a failure leaves it for the next run's recovery, with a warning. */
function finishRemoving(old: string): void {
  try {
    removeOurs(old);
  } catch (e) {
    warnLeftover(old, e);
  }
}

function warnLeftover(path: string, e: unknown): void {
  const f = fsFailure(e, 'delete', errorPath(e) ?? path, dirname(path));
  process.stderr.write(
    `warning: the new output is in place, but the old one could not be deleted (${f.operation} ${showPath(f.path)}: ${f.reason}${f.code ? ` (${f.code})` : ''}); the next synth deletes it.\n`,
  );
}

/**
 * Throws an {@link OutputError} unless every directory below `root` (but the `skip` names at its
 * top) can be emptied: the old output is deleted after the swap, and one that can only be half
 * deleted is neither the old output nor gone.
 */
function checkRemovable(outdir: string, root: string, skip: ReadonlySet<string>): void {
  const walk = (dir: string, top: boolean): void => {
    const entries = step(outdir, 'delete the previous output in', dir, root, () => {
      accessSync(dir, constants.W_OK | constants.X_OK);
      return readdirSync(dir, { withFileTypes: true });
    });
    for (const e of entries) if (e.isDirectory() && !(top && skip.has(e.name))) walk(join(dir, e.name), false);
  };
  try {
    walk(root, true);
  } catch (e) {
    if (!(e instanceof OutputError) || (e.failure.code !== 'EACCES' && e.failure.code !== 'EPERM')) throw e;
    throw new OutputError(outdir, {
      ...e.failure,
      reason: 'the directory is not writable for the user running synth, so the previous output could not be deleted',
      advice: `make it writable (e.g. chmod -R u+w ${showPath(root)}), or delete the previous output first`,
    });
  }
}

/** Whether anything (a link too) is at `path`. */
function present(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function errorPath(e: unknown): string | undefined {
  const path = (e as { path?: unknown } | null)?.path;
  return typeof path === 'string' ? path : undefined;
}

/** Runs `run`; a file-system failure becomes an {@link OutputError} (other errors pass through). */
function step<T>(outdir: string, operation: string, path: string, adviceDir: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof OutputError || e instanceof TopologyError || errnoCode(e) === undefined) throw e;
    throw new OutputError(outdir, fsFailure(e, operation, errorPath(e) ?? path, adviceDir));
  }
}
