/**
 * The lock of an output directory: one synth at a time replaces it (a watch and a manual run, two
 * CI steps), and only the holder recovers or cleans up what crashed runs left. The lock is a file
 * created atomically (O_CREAT | O_EXCL) holding the holder's pid, host, PID namespace, start time
 * and a random token. A lock whose process is gone (same host and namespace, pid not running, or
 * running but started at another time: the pid was reused) is taken over; a lock of another host or
 * PID namespace (another container sharing the volume) is reported, never guessed at.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fsOps } from './fs-ops.js';
import { errnoCode, fsFailure, OutputError, showPath } from './output-error.js';
import { quoteValue } from '../private/terminal.js';

/** What a lock file holds. */
interface LockRecord {
  readonly tool: 'secrets-topology';
  readonly pid: number;
  readonly host: string;
  /** When the holder took the lock (ISO 8601). */
  readonly since: string;
  /** The holder's process start time since boot, in clock ticks (Linux), to tell a reused pid. */
  readonly started?: string;
  /** The holder's PID namespace (Linux, e.g. `pid:[4026531836]`): a pid means nothing in another one (another container). */
  readonly pidns?: string;
  readonly token: string;
}

/** Tokens of the locks this process holds. */
const held = new Set<string>();

/** What a stale lock is renamed to during a takeover: `<lock>.stale-<pid>-<hex>`. */
const ASIDE = '.stale-';

/** This process's PID namespace (Linux), or undefined. */
const PID_NAMESPACE = ((): string | undefined => {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
})();

/** A held lock on an output directory. */
export class OutputLock {
  /**
   * Takes the lock `file` for the output directory `outdir`, or throws an {@link OutputError}
   * naming the holder. A stale lock (its process is gone) is taken over.
   */
  public static acquire(file: string, outdir: string): OutputLock {
    const mine: LockRecord = {
      tool: 'secrets-topology',
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
      started: processStart(process.pid),
      pidns: PID_NAMESPACE,
      token: randomBytes(12).toString('hex'),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fsOps.create(file, `${JSON.stringify(mine)}\n`);
        held.add(mine.token);
        sweepAsides(file);
        return new OutputLock(file, outdir, mine.token);
      } catch (e) {
        if (errnoCode(e) !== 'EEXIST') throw new OutputError(outdir, fsFailure(e, 'take the lock', file, dirname(file)));
      }
      let holder: ReturnType<typeof readLock>;
      try {
        holder = readSettledLock(file);
      } catch (e) {
        throw new OutputError(outdir, fsFailure(e, 'read the lock', file, dirname(file)));
      }
      if (holder === 'missing') continue;
      const refusal = holder === 'foreign' ? foreignLock(file) : liveHolder(holder, file, outdir);
      if (refusal) throw new OutputError(outdir, refusal);
      takeOver(file, outdir, (holder as LockRecord).token);
    }
    throw new OutputError(outdir, {
      operation: 'take the lock',
      path: file,
      reason: 'other synths kept taking it',
      advice: 'run synth again when the others are done',
    });
  }

  private constructor(
    private readonly file: string,
    private readonly outdir: string,
    private readonly token: string,
  ) {}

  /** Throws an {@link OutputError} unless this lock is still the one in the lock file. */
  public verify(): void {
    const now = readLock(this.file);
    if (typeof now === 'object' && now.token === this.token) return;
    throw new OutputError(this.outdir, {
      operation: 'check the lock',
      path: this.file,
      reason:
        typeof now === 'object'
          ? `process ${now.pid} on ${now.host === hostname() ? 'this host' : `host ${quoteValue(now.host)}`} took it over while this synth ran`
          : 'the lock file was removed while this synth ran',
      advice: 'do not delete the lock of a running synth; run synth again',
    });
  }

  /** Releases the lock (when it is still ours). Never throws: a lock left behind is taken over once this process is gone. */
  public release(): void {
    if (!held.delete(this.token)) return;
    try {
      const now = readLock(this.file);
      if (typeof now === 'object' && now.token === this.token) fsOps.unlink(this.file);
    } catch {
      // See above.
    }
  }
}

/** The lock in `file`, `missing`, or `foreign` (not a lock of this tool). */
function readLock(file: string): LockRecord | 'missing' | 'foreign' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    if (r.tool === 'secrets-topology' && Number.isSafeInteger(r.pid) && typeof r.host === 'string' && typeof r.token === 'string') {
      return r as LockRecord;
    }
  } catch {
    // not JSON
  }
  return 'foreign';
}

/** How long a lock file may stay unreadable while its creator writes it (created empty with O_EXCL, then written). */
const SETTLE_MS = 1000;
const SETTLE_STEP_MS = 25;

/**
 * {@link readLock}, waiting up to {@link SETTLE_MS} for a lock that another synth has just created and
 * not yet written (an empty or partial file reads as foreign for that moment).
 */
function readSettledLock(file: string): ReturnType<typeof readLock> {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; ; waited += SETTLE_STEP_MS) {
    const holder = readLock(file);
    if (holder !== 'foreign' || waited >= SETTLE_MS) return holder;
    Atomics.wait(pause, 0, 0, SETTLE_STEP_MS);
  }
}

function foreignLock(file: string): { operation: string; path: string; reason: string; advice: string } {
  return {
    operation: 'take the lock',
    path: file,
    reason: 'the file exists and is not a lock of secrets-topology (or one a synth died writing)',
    advice: `if no synth is running, delete ${showPath(file)} (synth locks the output directory with a file of this name)`,
  };
}

/** Why `holder` still holds the lock, or undefined when it is stale. */
function liveHolder(holder: LockRecord, file: string, outdir: string): ReturnType<typeof foreignLock> | undefined {
  const since = typeof holder.since === 'string' ? ` since ${holder.since}` : '';
  const elsewhere =
    holder.host !== hostname()
      ? `on host ${quoteValue(holder.host)}`
      : holder.pidns !== undefined && PID_NAMESPACE !== undefined && holder.pidns !== PID_NAMESPACE
        ? 'in another PID namespace (another container) of this host'
        : undefined;
  if (elsewhere) {
    return {
      operation: 'take the lock',
      path: file,
      reason: `another synth holds it: process ${holder.pid} ${elsewhere}${since}, which this process cannot check`,
      advice: `wait for it to finish and run synth again; if that synth is gone, delete ${showPath(file)}`,
    };
  }
  if (held.has(holder.token)) {
    return {
      operation: 'take the lock',
      path: file,
      reason: 'this process is already writing this output directory',
      advice: `commit or abort the other StagedDirectory of ${showPath(outdir)} first`,
    };
  }
  if (!processAlive(holder)) return undefined;
  return {
    operation: 'take the lock',
    path: file,
    reason: `another synth is writing this output directory: process ${holder.pid} on this host${since}`,
    advice: `wait for it to finish and run synth again (if no such synth runs, delete ${showPath(file)})`,
  };
}

/**
 * Removes the stale lock whose token is `stale`: it is renamed to a name of this process's own
 * first, and deleted only if it is still the stale one (another process may have taken over and
 * locked in between; its lock is then put back).
 */
function takeOver(file: string, outdir: string, stale: string): void {
  const aside = `${file}${ASIDE}${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fsOps.rename(file, aside);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return;
    throw new OutputError(outdir, fsFailure(e, 'take over the stale lock', file, dirname(file)));
  }
  const moved = readLock(aside);
  if (typeof moved === 'object' && moved.token !== stale) {
    try {
      fsOps.create(file, readFileSync(aside, 'utf8'));
    } catch {
      // A third process locked meanwhile: the one we moved will find its lock gone at verify().
    }
  }
  try {
    fsOps.unlink(aside);
  } catch (e) {
    // Gone: the next holder swept it (see sweepAsides).
    if (errnoCode(e) !== 'ENOENT') throw new OutputError(outdir, fsFailure(e, 'take over the stale lock', aside, dirname(file)));
  }
}

/**
 * Deletes the stale locks that takeovers moved aside (`<lock>.stale-<pid>-<hex>`) and did not
 * delete because their process died. Runs when the lock is held; a takeover still running finds
 * its aside gone and gives up.
 */
function sweepAsides(file: string): void {
  const prefix = `${basename(file)}${ASIDE}`;
  try {
    for (const name of readdirSync(dirname(file))) {
      const pid = name.startsWith(prefix) ? /^([0-9]{1,10})-[0-9a-f]{8}$/.exec(name.slice(prefix.length))?.[1] : undefined;
      const path = join(dirname(file), name);
      if (pid !== undefined && !isRunning(Number(pid)) && typeof readLock(path) === 'object') fsOps.unlink(path);
    }
  } catch {
    // Tidying only: a stale lock left aside blocks nothing.
  }
}

/** Whether the lock's process still runs (the same pid, started at the recorded time when known). */
function processAlive(holder: LockRecord): boolean {
  if (!isRunning(holder.pid)) return false;
  const started = processStart(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

/**
 * Whether a process with this pid runs on this host. This process's own pid counts as not
 * running: what carries it and is not held now was left by an earlier process with the same pid
 * (containers reuse small pids), or by this one, which no longer needs it.
 */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

/** The start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), on Linux. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
