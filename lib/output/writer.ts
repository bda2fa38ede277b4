import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { TopologyError } from '../model/errors.js';
import { renderFile, type FileContent } from './file-content.mjs';
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT, unsafeOutputDirectory } from './outdir.js';

export { renderFile, type FileContent };

/** Most files queued for the writer thread before {@link StagedDirectory.write} waits (bounds memory). */
const MAX_QUEUED = 8192;

/**
 * Creates files on a thread of its own (write-worker.mjs), rendering objects to YAML and report
 * JSON there too: creating thousands of small files is slow system-call work and rendering is the
 * largest part of the CPU work (and of the garbage), so both run beside the rest of the synthesis.
 * The main thread waits only when it must (see {@link flush}) or when {@link MAX_QUEUED} files are
 * waiting.
 */
class BackgroundWriter {
  private readonly state = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  private readonly errors: MessagePort;
  private readonly worker: Worker;

  public constructor(private readonly silenceMs: number) {
    const channel = new MessageChannel();
    this.errors = channel.port1;
    this.worker = new Worker(new URL('./write-worker.mjs', import.meta.url), {
      workerData: { state: this.state.buffer, errors: channel.port2 },
      transferList: [channel.port2],
    });
    // Its failures are seen through `state` (a write error) or its heartbeat (a dead thread).
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  /** Queues a file (absolute path); throws the first write error seen so far. */
  public write(file: string, content: FileContent): void {
    this.throwIfFailed();
    if (Atomics.load(this.state, 0) >= MAX_QUEUED) this.waitUntil(MAX_QUEUED / 2);
    Atomics.add(this.state, 0, 1);
    this.worker.postMessage([file, content]);
  }

  /** Waits until every queued file is written; throws the first write error. */
  public flush(): void {
    this.waitUntil(0);
    this.throwIfFailed();
  }

  /** Drops the queued files, waits for the write in progress, and stops the thread. */
  public stop(): void {
    Atomics.store(this.state, 2, 1);
    try {
      this.waitUntil(0);
    } catch {
      // The thread is dead: it writes nothing more.
    }
    void this.worker.terminate();
  }

  /** Waits until at most `queued` files are waiting; throws when the thread stops beating. */
  private waitUntil(queued: number): void {
    let beat = Atomics.load(this.state, 3);
    let since = Date.now();
    for (let n = Atomics.load(this.state, 0); n > queued; n = Atomics.load(this.state, 0)) {
      Atomics.wait(this.state, 0, n, 200);
      const now = Atomics.load(this.state, 3);
      if (now !== beat) {
        beat = now;
        since = Date.now();
      } else if (Date.now() - since > this.silenceMs) {
        throw new Error(
          `the output writer thread stopped (no sign of life for ${this.silenceMs / 1000} s with ${n} file${n === 1 ? '' : 's'} to write); nothing was replaced`,
        );
      }
    }
  }

  private throwIfFailed(): void {
    if (Atomics.load(this.state, 1) === 0) return;
    this.waitUntil(0);
    const error = receiveMessageOnPort(this.errors)?.message as { file: string; message: string } | undefined;
    throw new Error(`could not write ${error?.file ?? 'an output file'}: ${error?.message ?? 'unknown error'}`);
  }
}

/** Options of a {@link StagedDirectory}. */
export interface StagedDirectoryOptions {
  /**
   * How long the writer thread may show no sign of life, while files wait, before it counts as
   * dead (the write then fails instead of waiting for ever).
   * @default 30,000 ms
   */
  readonly writerSilenceMs?: number;
}

/**
 * A new version of an output directory, built file by file in a sibling staging directory and
 * swapped in with {@link commit}, so that a reader sees either the old directory or the new one,
 * never a mix:
 * 1. every file is written into `.<dir>.staging-<pid>` as it is added, by a writer thread (at most
 *    a bounded queue of files is kept in memory);
 * 2. `commit` waits for the writes, renames the old directory aside, the staging directory into place, and deletes the
 *    old one. If the process dies between the two renames, the next run restores the old one first.
 * `abort` (or a crash) leaves the output directory as it was; stale staging directories are removed
 * by the next run.
 */
export class StagedDirectory {
  /** The directory that {@link commit} replaces. */
  public readonly target: string;
  private readonly staging: string;
  private readonly writer: BackgroundWriter;
  private readonly written = new Set<string>();
  private state: 'open' | 'committed' | 'aborted' = 'open';

  public constructor(outdir: string, options: StagedDirectoryOptions = {}) {
    const unsafe = unsafeOutputDirectory(outdir);
    if (unsafe) throw new TopologyError([{ path: '', message: unsafe }]);
    this.target = resolve(outdir);
    const parent = dirname(this.target);
    const base = basename(this.target);
    mkdirSync(parent, { recursive: true });
    recover(parent, base);
    this.staging = join(parent, `.${base}.staging-${process.pid}`);
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging);
    writeFileSync(join(this.staging, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    this.writer = new BackgroundWriter(options.writerSilenceMs ?? 30_000);
  }

  /**
   * Writes one file (`rel` is relative to the output directory, `/`-separated): its text, or a
   * value rendered on the writer thread (see {@link FileContent}). An error surfaces at a later
   * call or at {@link commit}.
   */
  public write(rel: string, content: FileContent): void {
    this.assertOpen();
    this.writer.write(join(this.staging, rel), content);
    this.written.add(rel);
  }

  /** Reads back a file written earlier, or undefined. */
  public read(rel: string): string | undefined {
    if (!this.written.has(rel)) return undefined;
    this.writer.flush();
    return readFileSync(join(this.staging, rel), 'utf8');
  }

  /** Waits for every write, then replaces the output directory with the staged one. */
  public commit(): void {
    this.assertOpen();
    this.writer.flush();
    this.writer.stop();
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
    this.writer.stop();
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
    staged.commit();
  } catch (e) {
    staged.abort();
    throw e;
  }
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
