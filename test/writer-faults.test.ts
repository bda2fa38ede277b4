/**
 * File-system faults injected where a real disk would not produce them on demand (fs-ops.ts): every
 * failure is an OutputError naming the operation, the path, the errno and what to do; the old output
 * is left byte for byte, with no leftover beside it or in it, and the lock released. Both ways of
 * replacing run: beside (staging next to the directory, two renames) and in place (a mount point:
 * staging inside it, a journal). A rename that fails with EBUSY or EXDEV (a mount point that was not
 * detected) falls back to in place. And a simulated crash at every single file-system change of a
 * synth, and again at every change of the recovery that follows, ends in the complete old or the
 * complete new output once the next synth has run.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { TextFile, TopologyApp } from '../lib/index.js';
import { OutputError, StagedDirectory, renderFile, writeAtomically } from '../lib/output/writer.js';
import { crashHappened, injectFaults, type Fault } from '../lib/output/fs-ops.js';
import { IN_PLACE_NAMES, OUTPUT_MARKER } from '../lib/output/outdir.js';
import { minimal } from './fixtures/topologies.js';
import { snapshot, synthCaptured, tree, writeOutput } from './support/output-dirs.js';

const root = mkdtempSync(join(tmpdir(), 'topology-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => injectFaults());

const OLD = { 'spaces/a/kustomization.yaml': 'old\n', 'spaces/stale/x.yaml': 'stale\n', 'stale.txt': 'stale\n' };
const NEW = {
  'spaces/a/kustomization.yaml': 'resources: []\n',
  'spaces/a/groups/g/namespace.yaml': 'kind: Namespace\n',
  'README.md': 'new\n',
};
const newFiles = new Map(Object.entries(NEW));

type Mode = 'beside' | 'in place';
const MODES: Mode[] = ['beside', 'in place'];

let n = 0;
/** A parent holding a bystander file and `dist` with the old output; `mode` says how dist is replaced. */
function setup(mode: Mode): { parent: string; outdir: string; mountPoints: string[] } {
  const parent = join(root, `case-${n++}`);
  mkdirSync(parent);
  writeFileSync(join(parent, 'bystander.txt'), 'keep\n');
  const outdir = join(parent, 'dist');
  writeOutput(outdir, OLD);
  return { parent, outdir, mountPoints: mode === 'in place' ? [outdir] : [] };
}

/** The parent and the output directory hold exactly the old output and the bystander: nothing left over. */
function expectOld(parent: string, outdir: string): void {
  expect(tree(outdir)).toEqual(OLD);
  expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
  expect(readdirSync(outdir).sort()).toEqual([OUTPUT_MARKER, 'spaces', 'stale.txt']);
}

function expectNew(parent: string, outdir: string): void {
  expect(tree(outdir)).toEqual(NEW);
  expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
  expect(readdirSync(outdir).sort()).toEqual([OUTPUT_MARKER, 'README.md', 'spaces']);
}

/** Runs `f`, which must throw an OutputError; returns it. */
function outputError(f: () => void): OutputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OutputError);
    return e as OutputError;
  }
  throw new Error('no error was thrown');
}

/** The first line every output error starts with. */
const HEAD = /^could not write the output; ".*\/dist" was left as it was:\n {2}- /;

describe.each(MODES)('%s: a failing step leaves the old output, a message, and nothing else', (mode) => {
  const staging = mode === 'beside' ? '.dist.staging-' : IN_PLACE_NAMES.next;
  const cases: Array<[string, Fault, RegExp]> = [
    [
      'the lock cannot be created (EACCES)',
      { op: 'create', code: 'EACCES' },
      /take the lock ".*(\.dist\.lock|\.secrets-topology-lock)": permission denied \(EACCES\): give the user running synth( \(uid \d+\))? write access to ".*", or set "outdir" \(or CDK8S_OUTDIR\) elsewhere\.$/,
    ],
    [
      'the staging directory cannot be created (ENOSPC)',
      { op: 'mkdir', path: staging, code: 'ENOSPC' },
      /create the staging directory ".*": no space left on the device \(bytes or inodes\) \(ENOSPC\): free space where ".*" lives \(see df -h and df -i\), or set "outdir" on another file system\.$/,
    ],
    [
      'the marker cannot be written (EROFS)',
      { op: 'create', path: staging, code: 'EROFS' },
      /create the staging directory ".*": read-only file system \(EROFS\): mount the file system of ".*" read-write/,
    ],
    [
      'the disk fills up while files are written (ENOSPC, bytes or inodes)',
      { op: 'write', path: 'namespace.yaml', code: 'ENOSPC' },
      /write ".*namespace\.yaml": no space left on the device \(bytes or inodes\) \(ENOSPC\)/,
    ],
    [
      'the quota runs out (EDQUOT)',
      { op: 'write', path: 'README.md', code: 'EDQUOT' },
      /write ".*README\.md": disk quota exceeded \(bytes or inodes\) \(EDQUOT\)/,
    ],
    [
      'a directory cannot be created by the writer thread (EACCES)',
      { op: 'mkdir', path: 'groups', code: 'EACCES' },
      /write ".*groups.*": permission denied \(EACCES\)/,
    ],
    ['the device fails (EIO)', { op: 'write', path: 'kustomization.yaml', code: 'EIO' }, /input\/output error \(EIO\): check the device/],
  ];
  // Small outputs are written on the main thread; larger ones by the writer thread (here: from the first file).
  const writers = [
    ['main thread', {}],
    ['writer thread', { writerThreadAfter: 0 }],
  ] as const;
  it.each(
    cases.flatMap(([what, fault, message]) =>
      writers.map(([by, options]) => [`${what}, files written by the ${by}`, fault, message, options] as const),
    ),
  )('%s', (_what, fault, message, options) => {
    const { parent, outdir, mountPoints } = setup(mode);
    injectFaults({ fail: [fault], mountPoints });
    const e = outputError(() => writeAtomically(outdir, newFiles, options));
    expect(e.message).toMatch(HEAD);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/^\s+at /m);
    injectFaults();
    expectOld(parent, outdir);
    // The lock was released: the next run writes.
    writeAtomically(outdir, newFiles);
    expectNew(parent, outdir);
  });
});

describe('beside: the swap', () => {
  it.each([
    ['EACCES', /permission denied/],
    ['EPERM', /operation not permitted \(EPERM\): give the user running synth( \(uid \d+\))? ownership of ".*" \(a sticky directory/],
    ['EROFS', /read-only file system/],
  ])('moving the old output aside fails (%s): nothing changed', (code, message) => {
    const { parent, outdir } = setup('beside');
    injectFaults({ fail: [{ op: 'rename', code, times: 1 }] });
    const e = outputError(() => writeAtomically(outdir, newFiles));
    expect(e.message).toMatch(/move the previous output aside ".*\/dist": /);
    expect(e.message).toMatch(message);
    expectOld(parent, outdir);
  });

  it('moving the new output into place fails: the old one is moved back', () => {
    const { parent, outdir } = setup('beside');
    injectFaults({ fail: [{ op: 'rename', path: '.dist.staging-', code: 'EIO' }] });
    const e = outputError(() => writeAtomically(outdir, newFiles));
    expect(e.message).toMatch(/move the new output into place ".*\/dist": input\/output error \(EIO\)/);
    expectOld(parent, outdir);
  });

  it('deleting the old output fails after the swap: the new output is in place, a warning, and the next run deletes the rest', () => {
    const { parent, outdir } = setup('beside');
    injectFaults({ fail: [{ op: 'rm', path: '.dist.old-', code: 'EIO' }] });
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string) => stderr.push(chunk) > 0;
    try {
      writeAtomically(outdir, newFiles);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join('')).toMatch(
      /^warning: the new output is in place, but the old one could not be deleted \(delete ".*\.dist\.old-\d+.*": input\/output error \(EIO\)\); the next synth deletes it\.\n$/,
    );
    expect(tree(outdir)).toEqual(NEW);
    expect(readdirSync(parent).filter((e) => e.startsWith('.dist.old-'))).toHaveLength(1);
    injectFaults();
    new StagedDirectory(outdir).abort();
    expectNew(parent, outdir);
  });

  it.each(['EBUSY', 'EXDEV'])(
    'renaming the directory fails with %s (an undetected mount point): it is replaced in place instead',
    (code) => {
      const { parent, outdir } = setup('beside');
      injectFaults({ fail: [{ op: 'rename', code, times: 1 }] });
      writeAtomically(outdir, newFiles);
      injectFaults();
      expectNew(parent, outdir);
    },
  );

  it('the in-place fallback runs out of space while copying: the old output, no leftovers', () => {
    const { parent, outdir } = setup('beside');
    injectFaults({
      fail: [
        { op: 'rename', code: 'EBUSY', times: 1 },
        { op: 'copy', code: 'ENOSPC' },
      ],
    });
    const e = outputError(() => writeAtomically(outdir, newFiles));
    expect(e.message).toMatch(/copy the new output into the mount point ".*": no space left/);
    injectFaults();
    expectOld(parent, outdir);
  });
});

describe('in place: the swap under a journal', () => {
  // Renames of a swap: old entries aside (3), new ones in (3), then the journal deleted.
  it.each([0, 1, 2, 3, 4, 5])('rename %i of the swap fails: every entry is moved back', (k) => {
    const { parent, outdir, mountPoints } = setup('in place');
    injectFaults({ fail: [{ op: 'rename', path: outdir, after: k + 1, times: 1, code: 'EIO' }], mountPoints });
    const e = outputError(() => writeAtomically(outdir, newFiles));
    expect(e.message).toMatch(/move the new output into place ".*": input\/output error \(EIO\)/);
    injectFaults();
    expectOld(parent, outdir);
  });

  it('the journal cannot be written (ENOSPC): nothing moved', () => {
    const { parent, outdir, mountPoints } = setup('in place');
    injectFaults({ fail: [{ op: 'create', path: IN_PLACE_NAMES.journalTmp, code: 'ENOSPC' }], mountPoints });
    const e = outputError(() => writeAtomically(outdir, newFiles));
    expect(e.message).toMatch(/write the journal ".*secrets-topology-journal.*": no space left/);
    injectFaults();
    expectOld(parent, outdir);
  });

  it('deleting the journal (the commit point) fails: rolled back', () => {
    const { parent, outdir, mountPoints } = setup('in place');
    injectFaults({ fail: [{ op: 'unlink', path: IN_PLACE_NAMES.journal, code: 'EIO', times: 1 }], mountPoints });
    outputError(() => writeAtomically(outdir, newFiles));
    injectFaults();
    expectOld(parent, outdir);
  });

  it('the old entries cannot be deleted after the commit: a warning; the next run deletes them', () => {
    const { parent, outdir, mountPoints } = setup('in place');
    injectFaults({ fail: [{ op: 'rm', path: IN_PLACE_NAMES.previous, code: 'EIO' }], mountPoints });
    const write = process.stderr.write.bind(process.stderr);
    const stderr: string[] = [];
    process.stderr.write = (chunk: string) => stderr.push(chunk) > 0;
    try {
      writeAtomically(outdir, newFiles);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join('')).toMatch(/^warning: the new output is in place/);
    expect(readdirSync(outdir).sort()).toEqual([OUTPUT_MARKER, IN_PLACE_NAMES.previous, 'README.md', 'spaces']);
    injectFaults({ mountPoints });
    new StagedDirectory(outdir).abort();
    expectNew(parent, outdir);
  });

  it('keeps lost+found (the root of a file system), which it never moves', () => {
    const { parent, outdir, mountPoints } = setup('in place');
    mkdirSync(join(outdir, 'lost+found'));
    writeFileSync(join(outdir, 'lost+found', '#1234'), 'fsck\n');
    injectFaults({ mountPoints });
    writeAtomically(outdir, newFiles);
    expect(readdirSync(outdir).sort()).toEqual([OUTPUT_MARKER, 'README.md', 'lost+found', 'spaces']);
    expect(readdirSync(join(outdir, 'lost+found'))).toEqual(['#1234']);
    expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
  });
});

describe('synth(): a file-system failure is a message, exit code 1, and the old output', () => {
  it.each(MODES)('%s: the disk fills up while the files are written', (mode) => {
    const { parent, outdir, mountPoints } = setup(mode);
    const before = snapshot(parent);
    injectFaults({ fail: [{ op: 'write', path: 'sharedexternalsecret', code: 'ENOSPC' }], mountPoints });
    const r = synthCaptured(minimal(new TopologyApp({ outdir })).app);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(HEAD);
    expect(r.stderr).toMatch(
      /write ".*sharedexternalsecret-db\.yaml": no space left on the device \(bytes or inodes\) \(ENOSPC\): free space/,
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
    injectFaults();
    expect(snapshot(parent)).toEqual(before);
  });

  it.each(MODES)('%s: the swap fails', (mode) => {
    const { parent, outdir, mountPoints } = setup(mode);
    const before = snapshot(parent);
    injectFaults({ fail: [{ op: 'rename', path: outdir, code: 'EACCES', after: mode === 'beside' ? 0 : 1 }], mountPoints });
    const r = synthCaptured(minimal(new TopologyApp({ outdir })).app);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(HEAD);
    expect(r.stderr).toMatch(/permission denied \(EACCES\)/);
    injectFaults();
    expect(snapshot(parent)).toEqual(before);
  });

  it('a file path that would leave the output directory is a problem of its construct; nothing is written', () => {
    const { parent, outdir } = setup('beside');
    const before = snapshot(parent);
    const app = minimal(new TopologyApp({ outdir })).app;
    new TextFile(app, 'escape', { path: '../escape.txt', text: 'x' });
    const r = synthCaptured(app);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      // The file artifact's own path check (before any output is opened) names it first.
      /^1 problem in the secrets topology; nothing was written:\n {2}- escape: path "\.\.\/escape\.txt" leaves the output directory/,
    );
    expect(snapshot(parent)).toEqual(before);
    expect(existsSync(join(parent, 'escape.txt'))).toBe(false);
  });
});

/**
 * A crash at change k of a synth (k = 0, 1, ...: until a synth runs through), then a crash at
 * change j of the recovery that follows (j = 0..), then a full recovery: the output is the complete
 * old or the complete new one, and nothing is left over.
 */
describe.each([
  ['beside', 'beside', false],
  ['in place', 'in place', false],
  ['beside, through a symbolic link', 'beside', true],
  ['in place, through a symbolic link', 'in place', true],
])('a crash at every change: %s', (_name, mode, linked) => {
  it('ends in the old or the new output, also when the recovery crashes too', () => {
    const parent = join(root, `crash-${n++}`);
    const real = join(parent, linked ? 'real' : 'dist');
    mkdirSync(real, { recursive: true });
    writeFileSync(join(parent, 'bystander.txt'), 'keep\n');
    if (linked) symlinkSync('real', join(parent, 'dist'));
    const outdir = join(parent, 'dist');
    const mountPoints = mode === 'in place' ? [real] : [];
    // The old output, made by hand (a synth would start a writer thread: most of this test's time).
    const reset = (): void => {
      injectFaults({ mountPoints });
      for (const e of readdirSync(real)) rmSync(join(real, e), { recursive: true });
      writeOutput(real, OLD);
    };
    const check = (where: string): 'old' | 'new' => {
      const got = tree(real);
      const which = isDeepStrictEqual(got, OLD) ? 'old' : isDeepStrictEqual(got, NEW) ? 'new' : undefined;
      expect(which, `${where}: neither the old nor the new output`).toBeDefined();
      expect(readdirSync(parent).sort(), where).toEqual(linked ? ['bystander.txt', 'dist', 'real'] : ['bystander.txt', 'dist']);
      expect(readdirSync(real).sort(), where).toEqual(
        which === 'old' ? [OUTPUT_MARKER, 'spaces', 'stale.txt'] : [OUTPUT_MARKER, 'README.md', 'spaces'],
      );
      return which as 'old' | 'new';
    };
    const outcomes = { old: 0, new: 0 };
    // Warnings of a clean-up cut short by the "crash" are expected; keep them off the test output.
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    onTestFinished(() => stderr.mockRestore());
    reset();
    let k = 0;
    for (; k < 200; k++) {
      injectFaults({ fail: [{ op: '*', after: k, crash: true }], mountPoints });
      try {
        writeAtomically(outdir, newFiles);
      } catch {
        // the "crash"
      }
      if (!crashHappened()) break;
      for (let j = 0; j < 4; j++) {
        injectFaults({ fail: [{ op: '*', after: j, crash: true }], mountPoints });
        try {
          new StagedDirectory(outdir).abort();
        } catch {
          // the recovery "crashed" too
        }
        if (!crashHappened()) break;
      }
      injectFaults({ mountPoints });
      new StagedDirectory(outdir).abort();
      outcomes[check(`crash at change ${k}`)]++;
      reset();
    }
    expect(k).toBeGreaterThan(4);
    expect(k).toBeLessThan(200);
    expect(check('a run without a crash')).toBe('new');
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
    expect(existsSync(join(parent, 'dist'))).toBe(true);
  });
});

describe.each(MODES)('%s: files held for the main thread, and handed to the writer thread (attack3)', (mode) => {
  const sorted = Object.keys(NEW).sort();

  it.each([0, 1, 2, 3, 256])('the thread after %i files: every file, in order, readable before the commit', (after) => {
    const { parent, outdir, mountPoints } = setup(mode);
    injectFaults({ mountPoints });
    const staged = new StagedDirectory(outdir, { writerThreadAfter: after });
    for (const rel of sorted) staged.write(rel, NEW[rel as keyof typeof NEW]);
    // The threshold is crossed by the last write at most; a held file and a handed-over one read back alike.
    for (const rel of sorted) expect(staged.read(rel), rel).toBe(NEW[rel as keyof typeof NEW]);
    staged.write('late.txt', 'late\n');
    staged.commit();
    expect(tree(outdir)).toEqual({ ...NEW, 'late.txt': 'late\n' });
    expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
  });

  it.each([1, 2, 256])('a write error in a held file, thread after %i files: an OutputError naming it, the old output', (after) => {
    const { parent, outdir, mountPoints } = setup(mode);
    injectFaults({ fail: [{ op: 'write', path: 'README.md', code: 'ENOSPC' }], mountPoints });
    const e = outputError(() => writeAtomically(outdir, newFiles, { writerThreadAfter: after }));
    expect(e.message).toMatch(HEAD);
    expect(e.message).toMatch(/README\.md": no space left on the device \(bytes or inodes\) \(ENOSPC\)/);
    expect(e.message).not.toMatch(/^\s+at /m);
    injectFaults();
    expectOld(parent, outdir);
  });

  it.each([
    ['main thread', 256],
    ['writer thread', 0],
  ] as const)('%s: a failed write seen by read() fails the commit too (never a partial output), with the same message', (_by, after) => {
    const { parent, outdir, mountPoints } = setup(mode);
    injectFaults({ fail: [{ op: 'write', path: 'README.md', code: 'EIO', times: 1 }], mountPoints });
    const staged = new StagedDirectory(outdir, { writerThreadAfter: after });
    for (const rel of sorted) staged.write(rel, NEW[rel as keyof typeof NEW]);
    const first = outputError(() => staged.read('spaces/a/kustomization.yaml'));
    expect(first.message).toMatch(/README\.md": input\/output error \(EIO\)/);
    // A caller that goes on (the fault does not fire again): the staged output lacks README.md.
    expect(outputError(() => staged.commit()).message).toBe(first.message);
    expect(outputError(() => staged.write('more.txt', 'x\n')).message).toBe(first.message);
    staged.abort();
    expectOld(parent, outdir);
  });

  it.each([
    ['main thread', 256],
    ['writer thread', 0],
  ] as const)('%s: a value changed after write() is written as it was at write() (as compile() renders it)', (_by, after) => {
    const { outdir, mountPoints } = setup(mode);
    injectFaults({ mountPoints });
    const staged = new StagedDirectory(outdir, { writerThreadAfter: after });
    const object: Record<string, unknown> = { kind: 'ConfigMap', data: { a: '1' } };
    const report = { secrets: ['a'] };
    const expected = {
      'cm.yaml': renderFile({ yaml: structuredClone(object) }),
      'report.json': renderFile({ json: structuredClone(report) }),
    };
    staged.write('cm.yaml', { yaml: object });
    staged.write('report.json', { json: report });
    object.data = { a: 'changed' };
    report.secrets.push('late');
    staged.commit();
    expect(tree(outdir)).toEqual(expected);
  });

  it('abort with held files writes none of them and starts no thread', () => {
    const { parent, outdir, mountPoints } = setup(mode);
    injectFaults({ mountPoints });
    const staged = new StagedDirectory(outdir);
    for (const rel of sorted) staged.write(rel, NEW[rel as keyof typeof NEW]);
    expect((staged as unknown as { writer?: unknown }).writer).toBeUndefined();
    staged.abort();
    expectOld(parent, outdir);
  });
});
