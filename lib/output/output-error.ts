/**
 * Failures of writing the output directory: which operation failed on which path, why, and what to
 * do. `TopologyApp.synth()` prints them like the model's problems (no stack trace, non-zero exit),
 * and the output directory is left as it was.
 */

/** One failed file-system step of the writer. */
export interface OutputFailure {
  /** What the writer was doing, e.g. `move the old output aside`. */
  readonly operation: string;
  /** The path it was doing it on. */
  readonly path: string;
  /** What went wrong, in words. */
  readonly reason: string;
  /** The errno code, when the system gave one. */
  readonly code?: string;
  /** What to do about it. */
  readonly advice: string;
}

/** Synthesis could not write its output; the output directory holds what it held before. */
export class OutputError extends Error {
  public constructor(
    /** The output directory that was to be replaced. */
    public readonly outdir: string,
    /** What failed. */
    public readonly failure: OutputFailure,
  ) {
    const f = failure;
    super(
      `could not write the output; ${showPath(outdir)} was left as it was:\n` +
        `  - ${f.operation} ${showPath(f.path)}: ${f.reason}${f.code ? ` (${f.code})` : ''}: ${f.advice}.`,
    );
    this.name = 'OutputError';
  }
}

/** What each errno code means and what to do about it (`dir` is the directory to act on). */
const ERRNO: Readonly<Record<string, { reason: string; advice: (dir: string) => string }>> = {
  EACCES: {
    reason: 'permission denied',
    advice: (dir) => `give the user running synth${uid()} write access to ${showPath(dir)}, or set "outdir" (or CDK8S_OUTDIR) elsewhere`,
  },
  EPERM: {
    reason: 'operation not permitted',
    advice: (dir) =>
      `give the user running synth${uid()} ownership of ${showPath(dir)} (a sticky directory such as /tmp lets only the owner move entries), or set "outdir" elsewhere`,
  },
  EROFS: {
    reason: 'read-only file system',
    advice: (dir) => `mount the file system of ${showPath(dir)} read-write, or set "outdir" to a directory on a writable one`,
  },
  ENOSPC: {
    reason: 'no space left on the device (bytes or inodes)',
    advice: (dir) => `free space where ${showPath(dir)} lives (see df -h and df -i), or set "outdir" on another file system`,
  },
  EDQUOT: {
    reason: 'disk quota exceeded (bytes or inodes)',
    advice: (dir) => `free space within your quota where ${showPath(dir)} lives, or set "outdir" on another file system`,
  },
  EBUSY: {
    reason: 'busy (a mount point, or in use)',
    advice: (dir) => `stop what is using ${showPath(dir)}, or set "outdir" elsewhere`,
  },
  EXDEV: {
    reason: 'crosses file systems',
    advice: (dir) => `set "outdir" to a directory whose parent is on the same file system as ${showPath(dir)}`,
  },
  ENOENT: { reason: 'it is gone (deleted while synth ran?)', advice: () => 'run synth again' },
  EEXIST: { reason: 'something is in the way', advice: (dir) => `move the entry away from ${showPath(dir)}` },
  ENOTEMPTY: { reason: 'something is in the way', advice: (dir) => `move the entry away from ${showPath(dir)}` },
  ENOTDIR: { reason: 'a file is where a directory must be', advice: (dir) => `move the file away from ${showPath(dir)}` },
  EISDIR: { reason: 'a directory is where a file must be', advice: (dir) => `move the directory away from ${showPath(dir)}` },
  ENAMETOOLONG: { reason: 'the path is too long', advice: () => 'set "outdir" to a shorter path' },
  ELOOP: { reason: 'too many levels of symbolic links', advice: (dir) => `fix the symbolic links leading to ${showPath(dir)}` },
  EMFILE: { reason: 'too many open files', advice: () => 'raise the open-file limit (ulimit -n) and run synth again' },
  ENFILE: {
    reason: 'too many open files in the system',
    advice: () => 'close other programs or raise the system limit, and run synth again',
  },
  EIO: { reason: 'input/output error', advice: (dir) => `check the device where ${showPath(dir)} lives, and run synth again` },
};

/**
 * The failure of `operation` on `path` that `error` reports. `dir` is the directory the user can
 * act on (made writable, freed, ...).
 */
export function fsFailure(error: unknown, operation: string, path: string, dir: string): OutputFailure {
  const code = errnoCode(error);
  const known = code === undefined ? undefined : ERRNO[code];
  if (known) return { operation, path, code, reason: known.reason, advice: known.advice(dir) };
  const message = error instanceof Error ? error.message : String(error);
  return { operation, path, code, reason: message.split('\n')[0] ?? 'unknown error', advice: 'fix the cause and run synth again' };
}

/** The errno code of a system error (`ENOSPC`, ...), or undefined. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** A path as messages show it: JSON-quoted (control characters escaped), middle elided past 160 characters. */
export function showPath(path: string): string {
  return JSON.stringify(path.length > 160 ? `${path.slice(0, 80)}…${path.slice(-79)}` : path);
}

function uid(): string {
  const id = process.getuid?.();
  return id === undefined ? '' : ` (uid ${id})`;
}
