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

export declare function injectFaults(plan?: FaultPlan): void;
export declare function faultPlan(): Required<FaultPlan>;
export declare function crashHappened(): boolean;
export declare function simulatedMountPoint(path: string): boolean;

export declare const fsOps: {
  mkdir(path: string, recursive?: boolean): void;
  rename(from: string, to: string): void;
  rm(path: string): void;
  rmdir(path: string): void;
  unlink(path: string): void;
  writeBy(path: string, write: (path: string) => void): void;
  create(path: string, text: string): void;
  copy(from: string, to: string): void;
};
