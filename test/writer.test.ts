/**
 * The atomic writer: the output directory is replaced wholesale, nothing is left beside it, a run
 * that died between its two renames is recovered, and a model error leaves the previous output
 * byte for byte.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Environment, Space, TextFile, TopologyApp } from '../lib/index.js';
import { StagedDirectory, writeAtomically } from '../lib/output/writer.js';
import { buildGitOps } from '../examples/gitops.js';
import { buildPlainEso } from '../examples/plain-eso.js';
import { buildSveltos } from '../examples/sveltos.js';
import { fromYaml, toYaml } from '../lib/output/render.js';
import { buildExample } from '../main.js';
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from '../lib/output/outdir.js';

const root = mkdtempSync(join(tmpdir(), 'topology-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let parent: string;
let outdir: string;
let n = 0;
beforeEach(() => {
  parent = join(root, `case-${n++}`);
  mkdirSync(parent);
  outdir = join(parent, 'dist');
});

/** Every file below `dir` with its content, by `/`-separated relative path (the output marker left out: every output has it). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  expect(readFileSync(join(dir, OUTPUT_MARKER), 'utf8')).toBe(OUTPUT_MARKER_TEXT);
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || (e.name === OUTPUT_MARKER && e.parentPath === dir)) continue;
    const abs = join(e.parentPath, e.name);
    out[relative(dir, abs).split(sep).join('/')] = readFileSync(abs, 'utf8');
  }
  return out;
}

/** Writes files as an earlier output of the tool (with its marker). */
function write(dir: string, files: Record<string, string>): void {
  for (const [p, content] of Object.entries({ ...files, [OUTPUT_MARKER]: OUTPUT_MARKER_TEXT })) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
}

const NEW = {
  'spaces/a/kustomization.yaml': 'resources: []\n',
  'spaces/a/groups/g/namespace.yaml': 'kind: Namespace\n',
  'README.md': 'new\n',
};
const OLD = { 'spaces/a/kustomization.yaml': 'old\n', 'spaces/stale/x.yaml': 'stale\n', 'stale.txt': 'stale\n' };

describe('writeAtomically', () => {
  it('creates the directory (and its parents) with exactly the given files', () => {
    const deep = join(parent, 'a', 'b', 'dist');
    writeAtomically(deep, new Map(Object.entries(NEW)));
    expect(tree(deep)).toEqual(NEW);
  });

  it('replaces the directory wholesale: stale files and directories disappear', () => {
    write(outdir, OLD);
    writeAtomically(outdir, new Map(Object.entries(NEW)));
    expect(tree(outdir)).toEqual(NEW);
    expect(existsSync(join(outdir, 'spaces', 'stale'))).toBe(false);
  });

  it('leaves no staging or old directory behind, and does not touch siblings', () => {
    write(outdir, OLD);
    writeFileSync(join(parent, 'sibling.txt'), 'keep\n');
    mkdirSync(join(parent, '.other.old-1'));
    writeAtomically(outdir, new Map(Object.entries(NEW)));
    expect(readdirSync(parent).sort()).toEqual(['.other.old-1', 'dist', 'sibling.txt']);
    expect(readFileSync(join(parent, 'sibling.txt'), 'utf8')).toBe('keep\n');
  });

  it('writing the same files twice gives the same bytes', () => {
    const files = new Map(Object.entries(NEW));
    writeAtomically(outdir, files);
    const first = tree(outdir);
    writeAtomically(outdir, files);
    expect(tree(outdir)).toEqual(first);
  });

  it('recovers when a previous run died between the two renames (old dir aside, no target)', () => {
    // The dead run had renamed dist/ to .dist.old-<pid> and not yet moved its staging dir in.
    write(join(parent, '.dist.old-99999'), OLD);
    write(join(parent, '.dist.staging-99999'), { 'half.yaml': 'half\n' });
    writeAtomically(outdir, new Map(Object.entries(NEW)));
    expect(tree(outdir)).toEqual(NEW);
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('restores the old directory first, so a run that then fails still leaves the old output in place', () => {
    write(join(parent, '.dist.old-99999'), OLD);
    // "x" is both a file and a directory: writing the staging directory fails after recovery.
    const impossible = new Map([
      ['x', 'file\n'],
      ['x/y', 'nested\n'],
    ]);
    expect(() => writeAtomically(outdir, impossible)).toThrow();
    expect(tree(outdir)).toEqual(OLD);
    expect(readdirSync(parent).filter((d) => d.startsWith('.dist.old-'))).toEqual([]);
    // The next good run cleans up the failed run's staging directory.
    writeAtomically(outdir, new Map(Object.entries(NEW)));
    expect(tree(outdir)).toEqual(NEW);
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('drops a leftover old directory when the target exists (a run that died before deleting it)', () => {
    write(outdir, OLD);
    write(join(parent, '.dist.old-99999'), { 'older.txt': 'older\n' });
    writeAtomically(outdir, new Map(Object.entries(NEW)));
    expect(tree(outdir)).toEqual(NEW);
    expect(readdirSync(parent)).toEqual(['dist']);
  });
});

describe('StagedDirectory', () => {
  it('writes files into a staging directory only; abort leaves the output as it was', () => {
    write(outdir, OLD);
    const staged = new StagedDirectory(outdir);
    staged.write('a/b.yaml', 'b\n');
    expect(staged.read('a/b.yaml')).toBe('b\n');
    expect(staged.read('missing.yaml')).toBeUndefined();
    expect(tree(outdir)).toEqual(OLD);
    staged.abort();
    expect(tree(outdir)).toEqual(OLD);
    expect(readdirSync(parent)).toEqual(['dist']);
    expect(() => staged.commit()).toThrow(/already aborted/);
  });

  it('commit swaps the staged files in; the directory cannot be written after that', () => {
    write(outdir, OLD);
    const staged = new StagedDirectory(outdir);
    for (const [p, text] of Object.entries(NEW)) staged.write(p, text);
    staged.commit();
    expect(tree(outdir)).toEqual(NEW);
    expect(readdirSync(parent)).toEqual(['dist']);
    expect(() => staged.write('late.yaml', 'x')).toThrow(/already committed/);
  });
});

describe('StagedDirectory writer thread', () => {
  it('a writer thread that died is an error after its silence, not a hang; the output is left as it was', async () => {
    write(outdir, OLD);
    const staged = new StagedDirectory(outdir, { writerSilenceMs: 300, writerThreadAfter: 0 });
    staged.write('a.yaml', 'a\n');
    // Kill the thread from outside, as a crash would (test-only access to the private field).
    await (staged as unknown as { writer: { worker: { terminate(): Promise<number> } } }).writer.worker.terminate();
    staged.write('b.yaml', 'b\n');
    expect(() => staged.commit()).toThrow(
      /^could not write the output; ".*dist" was left as it was:\n {2}- write the files of ".*dist": the output writer thread stopped \(no sign of life for 0.3 s with [12] files? to write\): run synth again; nothing was replaced\.$/,
    );
    staged.abort();
    expect(tree(outdir)).toEqual(OLD);
    expect(readdirSync(parent)).toEqual(['dist']);
  });
});

describe('TopologyApp.synth', () => {
  // synth() writes files as they are rendered and reads objects back from them when a later stage
  // asks (the Flux values ConfigMap, the Cloud Space wrappers): the same bytes as compile().
  const builders = {
    main: buildExample,
    gitops: (app: TopologyApp) => buildGitOps(app, 'flux'),
    'plain-eso': buildPlainEso,
    sveltos: buildSveltos,
  };
  it.each(Object.entries(builders))(
    '%s: writes exactly the files compile() renders in memory, and compile() afterwards returns them',
    (_name, build) => {
      const app = build(new TopologyApp({ outdir }));
      app.synth();
      const inMemory = build(new TopologyApp({ outdir: join(parent, 'unused') })).compile();
      expect(tree(outdir)).toEqual(Object.fromEntries(inMemory.files));
      expect(readdirSync(parent)).toEqual(['dist']);
      const after = app.compile();
      expect(Object.fromEntries(after.files)).toEqual(Object.fromEntries(inMemory.files));
      expect(after.manifests).toEqual(inMemory.manifests);
      // Every object reads back from its YAML as the value that was rendered.
      for (const m of inMemory.manifests) expect(fromYaml(toYaml(m.object))).toEqual(m.object);
    },
  );

  // Synthesis lists each scope's constructs once (withTreeListed), which is right only if it adds
  // nothing to the tree.
  it.each(Object.entries(builders))('%s: synthesis leaves the construct tree as it was', (_name, build) => {
    const app = build(new TopologyApp({ outdir }));
    const before = app.node.findAll().map((c) => c.node.path);
    app.synth();
    expect(app.node.findAll().map((c) => c.node.path)).toEqual(before);
    const other = build(new TopologyApp({ outdir: join(parent, 'unused') }));
    other.compile();
    expect(other.node.findAll().map((c) => c.node.path)).toEqual(before);
  });

  it('a failure while files are being written (one path produced twice) leaves the previous output and no staging directory', () => {
    buildExample(new TopologyApp({ outdir })).synth();
    const before = tree(outdir);
    const bad = buildExample(new TopologyApp({ outdir }));
    new TextFile(bad, 'a', { path: 'README.txt', text: 'a' });
    new TextFile(bad, 'b', { path: 'README.txt', text: 'b' });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exitCode = process.exitCode;
    try {
      bad.synth();
      expect(process.exitCode).toBe(1);
      expect(String(stderr.mock.calls[0]?.[0])).toContain('output file "README.txt" is produced twice');
    } finally {
      process.exitCode = exitCode;
      stderr.mockRestore();
    }
    expect(tree(outdir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('a failing compile (TopologyError) leaves the previous output byte-identical', () => {
    buildExample(new TopologyApp({ outdir })).synth();
    const before = tree(outdir);
    expect(Object.keys(before).length).toBeGreaterThan(10);

    const bad = buildExample(new TopologyApp({ outdir }));
    new Environment(bad, 'qa', { refreshInterval: '1d' });
    new Space(bad, 'Bad_Space', { cloud: 'aws' });
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exitCode = process.exitCode;
    try {
      bad.synth();
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = exitCode;
      stderr.mockRestore();
    }
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^2 problems in the secrets topology; nothing was written:\n/);
    expect(tree(outdir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['dist']);
  });
});
