/**
 * Real file systems, mounted by the test (it runs as root and `mount` works; otherwise it is skipped
 * with a message, and the same logic is covered by the injected faults of writer-faults.test.ts):
 * the output directory as a mount point (a tmpfs, a bind mount of the same file system: renaming it
 * fails with EBUSY) is replaced in place and stays mounted; a full file system (bytes, inodes) and a
 * read-only one (the parent's, the output directory's own) end in one message with the old output
 * left as it was and nothing left over.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TopologyApp } from '../lib/index.js';
import { OUTPUT_MARKER } from '../lib/output/outdir.js';
import { generateTopology } from './fixtures/generator.js';
import { minimal } from './fixtures/topologies.js';
import { IS_ROOT, snapshot, synthCaptured, tree, writeOutput } from './support/output-dirs.js';

const root = mkdtempSync(join(tmpdir(), 'topology-mounts-'));
const mounted: string[] = [];

function mount(...args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' });
  mounted.push(args[args.length - 1]);
}

function canMount(): boolean {
  if (!IS_ROOT) return false;
  const probe = join(root, 'probe');
  mkdirSync(probe);
  try {
    mount('-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe);
    execFileSync('umount', [probe]);
    mounted.pop();
    return true;
  } catch {
    return false;
  }
}

const MOUNTS = canMount();
if (!MOUNTS)
  console.info(
    '[writer-mounts] skipped: mounting needs root and a mount that works (the injected faults of writer-faults.test.ts cover the same logic)',
  );

afterAll(() => {
  for (const m of mounted.reverse()) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'pipe' });
    } catch {
      // already gone
    }
  }
  rmSync(root, { recursive: true, force: true });
});

function isMounted(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === path);
}

const OLD = { 'old.yaml': 'old\n', 'spaces/a/x.yaml': 'x\n' };
let n = 0;

/** The files a synth of `build` writes. */
function expected(build: (app: TopologyApp) => void): Record<string, string> {
  const app = new TopologyApp({ outdir: 'never-written' });
  build(app);
  return Object.fromEntries(app.compile().files);
}
const small = (app: TopologyApp): void => void minimal(app);
const large = (app: TopologyApp): void => void generateTopology(app, { planes: 30, seed: 1 });

describe.skipIf(!MOUNTS)('the output directory is a mount point', () => {
  it.each(['tmpfs', 'bind'])('%s: replaced in place (twice), still mounted, nothing left over, lost+found kept', (kind) => {
    const parent = join(root, `case-${n++}`);
    const outdir = join(parent, 'dist');
    mkdirSync(outdir, { recursive: true });
    if (kind === 'tmpfs') mount('-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', outdir);
    else {
      mkdirSync(join(parent, 'volume'));
      mount('--bind', join(parent, 'volume'), outdir);
    }
    const device = statSync(outdir).dev;
    writeOutput(outdir, OLD);
    mkdirSync(join(outdir, 'lost+found'));
    for (const build of [small, large]) {
      const r = synthCaptured(
        (() => {
          const app = new TopologyApp({ outdir });
          build(app);
          return app;
        })(),
      );
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBeUndefined();
      expect(isMounted(outdir)).toBe(true);
      expect(statSync(outdir).dev).toBe(device);
      const files = tree(outdir);
      delete files['lost+found'];
      expect(files).toEqual(expected(build));
      expect(readdirSync(outdir).filter((e) => e.startsWith('.secrets-topology-') && e !== OUTPUT_MARKER)).toEqual([]);
      expect(readdirSync(outdir)).toContain('lost+found');
      expect(readdirSync(parent).sort()).toEqual(kind === 'bind' ? ['dist', 'volume'] : ['dist']);
    }
  });
});

describe.skipIf(!MOUNTS)('a full or read-only file system: one message, the old output, nothing left over', () => {
  /** A tmpfs mounted as `parent` with `options`, holding dist with the old output. */
  function fileSystem(options: string): { parent: string; outdir: string } {
    const parent = join(root, `fs-${n++}`);
    mkdirSync(parent);
    mount('-t', 'tmpfs', '-o', options, 'tmpfs', parent);
    writeFileSync(join(parent, 'bystander.txt'), 'keep\n');
    const outdir = join(parent, 'dist');
    writeOutput(outdir, OLD);
    return { parent, outdir };
  }

  function synthLarge(outdir: string): { stderr: string; exitCode: number | undefined } {
    const app = new TopologyApp({ outdir });
    large(app);
    return synthCaptured(app);
  }

  it.each([
    ['bytes', 'size=256k'],
    ['inodes', 'size=64m,nr_inodes=40'],
  ])('no space left (%s)', (_what, options) => {
    const { parent, outdir } = fileSystem(options);
    const before = snapshot(parent);
    const r = synthLarge(outdir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /^could not write the output; ".*\/dist" was left as it was:\n {2}- (write|create the staging directory) ".*": no space left on the device \(bytes or inodes\) \(ENOSPC\): free space where ".*" lives \(see df -h and df -i\), or set "outdir" on another file system\.\n$/,
    );
    expect(snapshot(parent)).toEqual(before);
  });

  it('a file system so full that not even the lock can be written: no empty lock left behind; the next run writes', () => {
    const { parent, outdir } = fileSystem('size=512k');
    // Fill every data block (inodes stay free: the lock file is created, writing it fails).
    const filler = join(parent, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(2 * 1024 * 1024));
    } catch {
      // ENOSPC: full
    }
    const before = snapshot(parent);
    const r = synthCaptured(minimal(new TopologyApp({ outdir })).app);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/take the lock ".*\/\.dist\.lock": no space left on the device \(bytes or inodes\) \(ENOSPC\)/);
    expect(snapshot(parent)).toEqual(before);
    rmSync(filler);
    const again = synthCaptured(minimal(new TopologyApp({ outdir })).app);
    expect(again.stderr).toBe('');
    expect(tree(outdir)).toEqual(expected(small));
  });

  it('the parent is on a read-only file system', () => {
    const { parent, outdir } = fileSystem('size=1m');
    execFileSync('mount', ['-o', 'remount,ro', parent]);
    const before = snapshot(parent);
    const r = synthLarge(outdir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /^could not write the output; ".*\/dist" was left as it was:\n {2}- take the lock ".*\/\.dist\.lock": read-only file system \(EROFS\): mount the file system of ".*" read-write, or set "outdir" to a directory on a writable one\.\n$/,
    );
    expect(snapshot(parent)).toEqual(before);
  });

  it('the output directory is a read-only mount', () => {
    const parent = join(root, `ro-${n++}`);
    const outdir = join(parent, 'dist');
    mkdirSync(outdir, { recursive: true });
    mount('-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', outdir);
    writeOutput(outdir, OLD);
    execFileSync('mount', ['-o', 'remount,ro', outdir]);
    const before = snapshot(parent);
    const r = synthLarge(outdir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/take the lock ".*\/dist\/\.secrets-topology-lock": read-only file system \(EROFS\)/);
    expect(snapshot(parent)).toEqual(before);
    expect(tree(outdir)).toEqual(OLD);
  });
});
