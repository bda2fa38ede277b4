// Every file-system change the output writer makes (writer.ts, swap.ts, lock.ts and the writer
// thread) goes through `fsOps`, so that tests can inject faults where no real disk would produce
// them on demand: an errno (ENOSPC, EBUSY, EXDEV, ...) on the n-th call of an operation, or a
// simulated crash, after which every change fails as if the process had died; and simulated mount
// points. Plain JavaScript: the writer thread runs it without a TypeScript loader. Typed by
// fs-ops.d.mts. Nothing in lib/ sets faults; only tests do.
import * as fs from 'node:fs';
import { constants } from 'node:os';

const NONE = Object.freeze({ fail: Object.freeze([]), mountPoints: Object.freeze([]) });
let plan = NONE;
let seen = [];
let crashed = false;

/** Installs a fault plan (replacing the current one and its counters); no argument removes every fault. */
export function injectFaults(next) {
  plan = next ? { fail: [...(next.fail ?? [])], mountPoints: [...(next.mountPoints ?? [])] } : NONE;
  seen = plan.fail.map(() => 0);
  crashed = false;
}

/** The fault plan in force (the writer thread is started with it). */
export function faultPlan() {
  return plan;
}

/** Whether a simulated crash happened since the plan was installed. */
export function crashHappened() {
  return crashed;
}

/** Whether the plan says `path` is a mount point. */
export function simulatedMountPoint(path) {
  return plan.mountPoints.includes(path);
}

/** The error a failed call would throw, shaped as Node's own (code, errno, syscall, path). */
function fsError(code, syscall, path) {
  const errno = constants.errno[code] ?? 0;
  return Object.assign(new Error(`${code}: injected fault, ${syscall} '${path}'`), { code, errno: -errno, syscall, path });
}

function before(op, path) {
  if (crashed) throw fsError('ECRASHED', op, path);
  plan.fail.forEach((fault, i) => {
    if ((fault.op !== op && fault.op !== '*') || (fault.path !== undefined && !path.includes(fault.path))) return;
    seen[i] += 1;
    const first = (fault.after ?? 0) + 1;
    if (seen[i] < first || (fault.times !== undefined && seen[i] >= first + fault.times)) return;
    if (fault.crash) crashed = true;
    throw fsError(fault.crash ? 'ECRASHED' : (fault.code ?? 'EIO'), op, path);
  });
}

/** The file-system changes of the writer, each checked against the fault plan first. */
export const fsOps = {
  mkdir(path, recursive = false) {
    before('mkdir', path);
    fs.mkdirSync(path, { recursive });
  },
  rename(from, to) {
    before('rename', from);
    fs.renameSync(from, to);
  },
  /** Removes a file or a whole tree (no error when it is missing). */
  rm(path) {
    before('rm', path);
    fs.rmSync(path, { recursive: true, force: true });
  },
  rmdir(path) {
    before('rmdir', path);
    fs.rmdirSync(path);
  },
  unlink(path) {
    before('unlink', path);
    fs.unlinkSync(path);
  },
  /** Creates `path` with `write(path)` (the writer thread renders and writes the output files so). */
  writeBy(path, write) {
    before('write', path);
    write(path);
  },
  /** Creates a file that must not exist yet (O_CREAT | O_EXCL) with `text`; a write that fails (a full disk) leaves no file. */
  create(path, text) {
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
  copy(from, to) {
    before('copy', from);
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
  },
};
