// The writer thread of a StagedDirectory (writer.ts): creates the output files, rendering values
// to YAML or report JSON first (file-content.mjs), beside the main thread's work. Plain JavaScript: it runs without a TypeScript
// loader. `state` is shared with the main thread: [0] files queued and not yet written, [1] 1 once
// a write failed (the error goes to `errors`: the file, the message and the errno code), [2] 1 once
// the main thread aborted (queued files are then dropped), [3] a heartbeat the main thread watches
// while it waits (a thread that died would otherwise leave it waiting for ever). Its file-system
// changes go through fs-ops.mjs, with the main thread's fault plan (tests inject faults there).
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { writeRendered } from './file-content.mjs';
import { fsOps, injectFaults } from './fs-ops.mjs';

const state = new Int32Array(workerData.state);
const errors = workerData.errors;
const dirs = new Set();
const beat = () => Atomics.add(state, 3, 1);
injectFaults(workerData.faults);
setInterval(beat, 100);
beat();

parentPort.on('message', ([file, content]) => {
  try {
    if (Atomics.load(state, 1) === 0 && Atomics.load(state, 2) === 0) {
      const dir = dirname(file);
      if (!dirs.has(dir)) {
        fsOps.mkdir(dir, true);
        dirs.add(dir);
      }
      fsOps.writeBy(file, (path) => writeRendered(path, content));
    }
  } catch (e) {
    errors.postMessage({
      file,
      message: e instanceof Error ? e.message : String(e),
      code: typeof e?.code === 'string' ? e.code : undefined,
      path: typeof e?.path === 'string' ? e.path : undefined,
    });
    Atomics.store(state, 1, 1);
  } finally {
    beat();
    Atomics.sub(state, 0, 1);
    Atomics.notify(state, 0);
  }
});
