// The writer thread of a StagedDirectory (writer.ts): creates the output files, rendering values
// to YAML or report JSON first (file-content.ts), beside the main thread's work. `state` is shared
// with the main thread: [0] files queued and not yet written, [1] 1 once a write failed (the error
// goes to `errors`: the file, the message and the errno code), [2] 1 once the main thread aborted
// (queued files are then dropped), [3] a heartbeat the main thread watches while it waits (a thread
// that died would otherwise leave it waiting for ever). Its file-system changes go through
// fs-ops.ts, with the main thread's fault plan (tests inject faults there). writer.ts starts it
// from the compiled JavaScript, or from this file through tsx's loader in development.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { FileContent } from './file-content.js';
import { injectFaults, type FaultPlan } from './fs-ops.js';
import { writeStagedFile } from './write-file.js';

/** What the main thread hands the writer thread (see writer.ts). */
export interface WriterData {
  readonly state: SharedArrayBuffer;
  readonly errors: MessagePort;
  readonly faults: FaultPlan;
}

const data = workerData as WriterData;
const state = new Int32Array(data.state);
const errors = data.errors;
const dirs = new Set<string>();
const beat = (): number => Atomics.add(state, 3, 1);
injectFaults(data.faults);
setInterval(beat, 100);
beat();

/** A property of a thrown value, when it is a string (Node's errors carry `code` and `path`). */
function stringProp(e: unknown, key: 'code' | 'path'): string | undefined {
  const v = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

parentPort?.on('message', ([file, content]: [string, FileContent]) => {
  try {
    if (Atomics.load(state, 1) === 0 && Atomics.load(state, 2) === 0) writeStagedFile(file, content, dirs);
  } catch (e) {
    errors.postMessage({
      file,
      message: e instanceof Error ? e.message : String(e),
      code: stringProp(e, 'code'),
      path: stringProp(e, 'path'),
    });
    Atomics.store(state, 1, 1);
  } finally {
    beat();
    Atomics.sub(state, 0, 1);
    Atomics.notify(state, 0);
  }
});
