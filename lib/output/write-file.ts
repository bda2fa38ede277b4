// Creating one staged file, the same on the writer thread (write-worker.ts) and on the main thread
// (writer.ts, for outputs too small to be worth a thread): its directory once, then the rendered
// content, each through fs-ops.ts so that injected faults apply.
import { dirname } from 'node:path';
import { writeRendered, type FileContent } from './file-content.js';
import { fsOps } from './fs-ops.js';

/** Writes `content` (rendered) to `file`, creating its directory first unless `dirs` already has it. */
export function writeStagedFile(file: string, content: FileContent, dirs: Set<string>): void {
  const dir = dirname(file);
  if (!dirs.has(dir)) {
    fsOps.mkdir(dir, true);
    dirs.add(dir);
  }
  fsOps.writeBy(file, (path) => writeRendered(path, content));
}
