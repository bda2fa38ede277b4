// Every file-system change the output writer makes (writer.ts, swap.ts, lock.ts and the writer
// thread) goes through `fsOps`, so that tests can inject faults where no real disk would produce
// them on demand: an errno (ENOSPC, EBUSY, EXDEV, ...) on the n-th call of an operation, or a
// simulated crash, after which every change fails as if the process had died; and simulated mount
// points. The writer thread runs it too, with the main thread's plan. Nothing in lib/ sets faults;
// only tests do.
import * as fs from 'node:fs';
import { constants } from 'node:os';

/** The file-system changes the output writer makes; a fault names one of them, or `*` for any. */
export type FsOperation = 'mkdir' | 'rename' | 'rm' | 'rmdir' | 'unlink' | 'write' | 'create' | 'copy';

/** One injected fault: calls of `op` (whose path contains `path`) fail after the first `after`, `times` times. */
export interface Fault {
  /** The operation that fails; `*`: any change of the main thread (the writer thread gets the faults of named operations). */
  readonly op: FsOperation | '*';
  /** The errno code the call fails with, e.g. `ENOSPC`. @default 'EIO' */
  readonly code?: string;
  /** Only calls whose (source) path contains this text count. @default every call */
  readonly path?: string;
  /** How many matching calls succeed before the fault fires. @default 0 */
  readonly after?: number;
  /** How many matching calls fail. @default every later call */
  readonly times?: number;
  /** The process "dies" instead: this call and every later change fail, and nothing is cleaned up. @default false */
  readonly crash?: boolean;
}

/** Faults and simulated mount points for the tests of the writer. */
export interface FaultPlan {
  /** The faults to inject. @default none */
  readonly fail?: readonly Fault[];
  /** Absolute paths to treat as mount points. @default none */
  readonly mountPoints?: readonly string[];
}

const NONE: Required<FaultPlan> = Object.freeze({ fail: Object.freeze([]), mountPoints: Object.freeze([]) });
let plan: Required<FaultPlan> = NONE;
let seen: number[] = [];
let crashed = false;

/** Installs a fault plan (replacing the current one and its counters); no argument removes every fault. */
export function injectFaults(next?: FaultPlan): void {
  plan = next ? { fail: [...(next.fail ?? [])], mountPoints: [...(next.mountPoints ?? [])] } : NONE;
  seen = plan.fail.map(() => 0);
  crashed = false;
}

/** The fault plan in force (the writer thread is started with it). */
export function faultPlan(): Required<FaultPlan> {
  return plan;
}

/** Whether a simulated crash happened since the plan was installed. */
export function crashHappened(): boolean {
  return crashed;
}

/** Whether the plan says `path` is a mount point. */
export function simulatedMountPoint(path: string): boolean {
  return plan.mountPoints.includes(path);
}

/** The error a failed call would throw, shaped as Node's own (code, errno, syscall, path). */
function fsError(code: string, syscall: string, path: string): Error {
  const errno = (constants.errno as Readonly<Record<string, number | undefined>>)[code] ?? 0;
  return Object.assign(new Error(`${code}: injected fault, ${syscall} '${path}'`), { code, errno: -errno, syscall, path });
}

function before(op: FsOperation, path: string): void {
  if (crashed) throw fsError('ECRASHED', op, path);
  plan.fail.forEach((fault, i) => {
    if ((fault.op !== op && fault.op !== '*') || (fault.path !== undefined && !path.includes(fault.path))) return;
    const n = (seen[i] ?? 0) + 1;
    seen[i] = n;
    const first = (fault.after ?? 0) + 1;
    if (n < first || (fault.times !== undefined && n >= first + fault.times)) return;
    if (fault.crash) crashed = true;
    throw fsError(fault.crash ? 'ECRASHED' : (fault.code ?? 'EIO'), op, path);
  });
}

/** The file-system changes of the writer, each checked against the fault plan first. */
export const fsOps = {
  mkdir(path: string, recursive = false): void {
    before('mkdir', path);
    fs.mkdirSync(path, { recursive });
  },
  rename(from: string, to: string): void {
    before('rename', from);
    fs.renameSync(from, to);
  },
  /** Removes a file or a whole tree (no error when it is missing). */
  rm(path: string): void {
    before('rm', path);
    fs.rmSync(path, { recursive: true, force: true });
  },
  rmdir(path: string): void {
    before('rmdir', path);
    fs.rmdirSync(path);
  },
  unlink(path: string): void {
    before('unlink', path);
    fs.unlinkSync(path);
  },
  /** Creates `path` with `write(path)` (the writer thread renders and writes the output files so). */
  writeBy(path: string, write: (path: string) => void): void {
    before('write', path);
    write(path);
  },
  /** Creates a file that must not exist yet (O_CREAT | O_EXCL) with `text`; a write that fails (a full disk) leaves no file. */
  create(path: string, text: string): void {
    before('create', path);
    const fd = fs.openSync(path, 'wx');
    try {
      fs.writeFileSync(fd, text);
    } catch (e) {
      fs.closeSync(fd);
      fs.unlinkSync(path);
      throw e;
    }
    fs.closeSync(fd);
  },
  /** Copies a tree (symbolic links as links). */
  copy(from: string, to: string): void {
    before('copy', from);
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
  },
};
