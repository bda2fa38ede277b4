import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort, type WorkerOptions } from 'node:worker_threads';
import { TopologyError, type Problem } from '../model/errors.js';
import { renderFile, type FileContent } from './file-content.js';
import { faultPlan } from './fs-ops.js';
import type { WriterData } from './write-worker.js';
import { outputTarget, unsafeOutputLocation, unsafeOutputPath } from './outdir.js';
import { fsFailure, OutputError } from './output-error.js';
import { openSwap, type Swap } from './swap.js';
import { writeStagedFile } from './write-file.js';

export { renderFile, type FileContent };
export { OutputError, type OutputFailure } from './output-error.js';

/** Most files queued for the writer thread before {@link StagedDirectory.write} waits (bounds memory). */
const MAX_QUEUED = 8192;

/**
 * Files held before the writer thread starts: an output of at most this many files is written on
 * the main thread at the end, since starting a thread (more so through tsx in development) costs
 * more than writing a few hundred small files.
 */
const THREAD_AFTER = 256;

/**
 * Starts the writer thread from write-worker next to this module: the compiled JavaScript of the
 * package, or, when this module is the TypeScript source (development: tsx, vitest), the source
 * through tsx's loader, which a worker thread does not inherit from its parent.
 */
function startWriterThread(options: WorkerOptions): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./write-worker.js', here), options);
  const source = new URL('./write-worker.ts', here).href;
  const tsx = tsxEsmApi(here);
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, {
    ...options,
    eval: true,
  });
}

/**
 * The URL of tsx's ESM API (`register()`), found from `from` through tsx's package.json (not
 * `import.meta.resolve`, which tsx's own transform does not provide to CommonJS-compiled code).
 */
function tsxEsmApi(from: string): string {
  const manifest = createRequire(from).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, { import?: { default?: string } } | string> })
    .exports;
  const api = exports?.['./esm/api'];
  const entry = typeof api === 'object' ? api.import?.default : undefined;
  return pathToFileURL(join(dirname(manifest), entry ?? './dist/esm/api/index.mjs')).href;
}

/** What the writer thread reports about a failed write. */
interface WriteFailure {
  readonly file: string;
  readonly message: string;
  readonly code?: string;
  readonly path?: string;
}

/**
 * Creates files on a thread of its own (write-worker.ts), rendering objects to YAML and report
 * JSON there too: creating thousands of small files is slow system-call work and rendering is the
 * largest part of the CPU work (and of the garbage), so both run beside the rest of the synthesis.
 * The main thread waits only when it must (see {@link flush}) or when {@link MAX_QUEUED} files are
 * waiting. Its failures are {@link OutputError}s of `outdir`.
 */
class BackgroundWriter {
  private readonly state = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  private readonly errors: MessagePort;
  private readonly worker: Worker;

  public constructor(
    private readonly outdir: string,
    private readonly adviceDir: string,
    private readonly silenceMs: number,
  ) {
    const channel = new MessageChannel();
    this.errors = channel.port1;
    const faults = faultPlan();
    const workerData: WriterData = {
      state: this.state.buffer,
      errors: channel.port2,
      faults: { ...faults, fail: faults.fail.filter((f) => f.op !== '*') },
    };
    this.worker = startWriterThread({ workerData, transferList: [channel.port2] });
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
        throw new OutputError(this.outdir, {
          operation: 'write the files of',
          path: this.outdir,
          reason: `the output writer thread stopped (no sign of life for ${this.silenceMs / 1000} s with ${n} file${n === 1 ? '' : 's'} to write)`,
          advice: 'run synth again; nothing was replaced',
        });
      }
    }
  }

  private throwIfFailed(): void {
    if (Atomics.load(this.state, 1) === 0) return;
    this.waitUntil(0);
    const error = receiveMessageOnPort(this.errors)?.message as WriteFailure | undefined;
    const file = error?.file ?? this.outdir;
    const failure = fsFailure(
      Object.assign(new Error(error?.message ?? 'unknown error'), { code: error?.code }),
      'write',
      error?.path ?? file,
      this.adviceDir,
    );
    throw new OutputError(this.outdir, failure);
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
  /**
   * How many files are held before the writer thread starts; an output with no more files than
   * this is written on the main thread when it is read back or committed (`0`: a thread always).
   * @default 256
   */
  readonly writerThreadAfter?: number;
}

/**
 * A new version of an output directory, written file by file into a staging directory (by a writer
 * thread; at most a bounded queue of files is kept in memory) and swapped in with {@link commit},
 * all or nothing (see swap.ts): a reader sees the complete old or the complete new output, also
 * after a crash at any point, and a failed write leaves the old output and no leftovers.
 *
 * Opening one, before anything else: checks the directory (the safe-output-directory rule,
 * outdir.ts), takes its lock (one synth at a time; a lock of a process that is gone is taken
 * over), and recovers what a crashed run left. A symbolic link is written through (its target is
 * replaced; the link stays); a mount point (a container volume) is replaced in place under a journal.
 * File-system failures are {@link OutputError}s naming the path, the operation and what to do.
 */
export class StagedDirectory {
  /** The directory that {@link commit} replaces (as given: a link stays a link, its target is replaced). */
  public readonly target: string;
  private readonly swap: Swap;
  private readonly silenceMs: number;
  private readonly threadAfter: number;
  /** Started once more than {@link threadAfter} files were written (opening only to recover, a small output, or a model that then fails, starts no thread). */
  private writer?: BackgroundWriter;
  /** Files written before the thread starts: written on the main thread at {@link read} or {@link commit}, or handed to the thread. */
  private held: Array<readonly [string, FileContent]> = [];
  /** The first write failure: every later write, read and commit throws it (the staged output lacks a file). */
  private failure?: OutputError;
  private readonly written = new Set<string>();
  private state: 'open' | 'committed' | 'aborted' = 'open';

  public constructor(outdir: string, options: StagedDirectoryOptions = {}) {
    const unsafe = unsafeOutputLocation(outdir);
    if (unsafe) throw new TopologyError([{ path: '', message: unsafe }]);
    this.target = resolve(outdir);
    this.swap = openSwap(this.target, outputTarget(outdir) ?? this.target);
    this.silenceMs = options.writerSilenceMs ?? 30_000;
    this.threadAfter = options.writerThreadAfter ?? THREAD_AFTER;
  }

  /**
   * Writes one file (`rel` is relative to the output directory, `/`-separated, see
   * {@link unsafeOutputPath}): its text, or a value rendered on the writer thread (see
   * {@link FileContent}). An error surfaces at a later call or at {@link commit}.
   */
  public write(rel: string, content: FileContent): void {
    this.assertOpen();
    const unsafe = unsafeOutputPath(rel);
    if (unsafe) throw new TopologyError([{ path: '', message: unsafe }]);
    this.written.add(rel);
    const file = join(this.swap.staging, rel);
    this.failing(() => {
      if (this.writer) return this.writer.write(file, content);
      // A copy, as the thread receives one: a value changed after write() is written as it was (as compile() renders it).
      this.held.push([file, typeof content === 'string' ? content : structuredClone(content)]);
      if (this.held.length <= this.threadAfter) return;
      this.writer = new BackgroundWriter(this.target, dirname(this.swap.staging), this.silenceMs);
      for (const [f, c] of this.held.splice(0)) this.writer.write(f, c);
    });
  }

  /** Writes the held files on this thread (the thread was never started), or waits for the thread's writes. */
  private settle(): void {
    this.failing(() => {
      if (this.writer) return this.writer.flush();
      const dirs = new Set<string>();
      for (const [file, content] of this.held.splice(0)) {
        try {
          writeStagedFile(file, content, dirs);
        } catch (e) {
          const path = (e as { path?: unknown } | null)?.path;
          throw new OutputError(this.target, fsFailure(e, 'write', typeof path === 'string' ? path : file, dirname(this.swap.staging)));
        }
      }
    });
  }

  /** Runs `step` unless a write failed before; a write failure is kept, and thrown again by every later step. */
  private failing(step: () => void): void {
    if (this.failure) throw this.failure;
    try {
      step();
    } catch (e) {
      if (e instanceof OutputError) this.failure = e;
      throw e;
    }
  }

  /** Reads back a file written earlier, or undefined. */
  public read(rel: string): string | undefined {
    if (!this.written.has(rel)) return undefined;
    this.settle();
    const file = join(this.swap.staging, rel);
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new OutputError(this.target, fsFailure(e, 'read back', file, dirname(file)));
    }
  }

  /** Waits for every write, then replaces the output directory with the staged one. */
  public commit(): void {
    this.assertOpen();
    this.settle();
    this.writer?.stop();
    this.state = 'committed';
    this.swap.commit();
  }

  /** Drops the staged files and releases the lock; the output directory is left as it was. */
  public abort(): void {
    if (this.state === 'aborted') return;
    const open = this.state === 'open';
    this.state = 'aborted';
    if (!open) return;
    this.held = [];
    this.writer?.stop();
    this.swap.abort();
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error(`the staged output for ${this.target} was already ${this.state}`);
  }
}

/**
 * Opens the output directory for `TopologyApp.synth()`: a {@link StagedDirectory}, whose unsafe
 * output directory is reported with the model's problems (`modelProblems`, asked only then).
 */
export function openOutput(outdir: string, modelProblems: () => readonly Problem[]): StagedDirectory {
  try {
    return new StagedDirectory(outdir);
  } catch (e) {
    if (e instanceof TopologyError) throw new TopologyError([...e.problems, ...modelProblems()]);
    throw e;
  }
}

/**
 * Replaces `outdir` with exactly `files` (relative path -> content), atomically as described at
 * {@link StagedDirectory}. On a write error nothing changes and the error is thrown.
 */
export function writeAtomically(outdir: string, files: ReadonlyMap<string, string>, options: StagedDirectoryOptions = {}): void {
  const staged = new StagedDirectory(outdir, options);
  try {
    for (const rel of [...files.keys()].sort()) staged.write(rel, files.get(rel) ?? '');
    staged.commit();
  } catch (e) {
    staged.abort();
    throw e;
  }
}
