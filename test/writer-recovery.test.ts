/**
 * Recovery of a crashed run, before anything else (also before the model is checked), and only of
 * what this tool created: directories with its names that carry the output marker (or are empty),
 * of processes that are gone. A user's entries that happen to match a name are never touched. And
 * symbolic links: the output directory is written through (the link stays, its target is
 * replaced), also when a crash left the link dangling.
 */
import { spawn } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Environment, TopologyApp } from '../lib/index.js';
import { StagedDirectory, writeAtomically } from '../lib/output/writer.js';
import { injectFaults } from '../lib/output/fs-ops.js';
import { IN_PLACE_NAMES, OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from '../lib/output/outdir.js';
import { minimal } from './fixtures/topologies.js';
import { snapshot, synthCaptured, tree, writeOutput } from './support/output-dirs.js';

const root = mkdtempSync(join(tmpdir(), 'topology-recovery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OLD = { 'old.yaml': 'old\n', 'spaces/a/x.yaml': 'x\n' };
const NEW = new Map([['new.yaml', 'new\n']]);

let n = 0;
function prepare(): { parent: string; outdir: string } {
  const parent = join(root, `case-${n++}`);
  mkdirSync(parent);
  const outdir = join(parent, 'dist');
  writeOutput(outdir, OLD);
  return { parent, outdir };
}

describe('only what this tool created is recovered or deleted', () => {
  it("a user's entries that match the leftover names are left as they are", () => {
    const { parent, outdir } = prepare();
    const user = join(parent, 'user');
    mkdirSync(user);
    writeFileSync(join(user, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    writeFileSync(join(parent, '.dist.old-1'), 'a file\n');
    mkdirSync(join(parent, '.dist.old-2'));
    writeFileSync(join(parent, '.dist.old-2', 'notes.txt'), 'no marker\n');
    symlinkSync(user, join(parent, '.dist.staging-3'));
    mkdirSync(join(parent, '.dist.staging-4', OUTPUT_MARKER), { recursive: true });
    writeFileSync(join(parent, '.dist.staging-4', 'x'), 'x\n');
    mkdirSync(join(parent, '.dist.old-x'));
    mkdirSync(join(parent, '.dist.old-1.bak'));
    mkdirSync(join(parent, '.dist.staging-99999999999'));
    writeFileSync(join(parent, '.dist.staging-99999999999', OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    const before = new Map([...snapshot(parent)].filter(([p]) => !p.startsWith('dist')));
    writeAtomically(outdir, NEW);
    expect(new Map([...snapshot(parent)].filter(([p]) => !p.startsWith('dist')))).toEqual(before);
    expect(tree(outdir)).toEqual({ 'new.yaml': 'new\n' });
  });

  it('a leftover of a process that still runs is kept; once it is gone, the next run deletes it', async () => {
    const { parent, outdir } = prepare();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const leftover = join(parent, `.dist.staging-${child.pid}`);
    writeOutput(leftover, { 'half.yaml': 'half\n' });
    writeAtomically(outdir, NEW);
    expect(readdirSync(parent).sort()).toEqual([`.dist.staging-${child.pid}`, 'dist']);
    const exited = new Promise((ok) => child.on('exit', ok));
    child.kill('SIGKILL');
    await exited;
    writeAtomically(outdir, NEW);
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('an old output whose deletion was cut short (the marker is deleted last) is finished', () => {
    const { parent, outdir } = prepare();
    writeOutput(join(parent, '.dist.old-99999'), { 'rest.yaml': 'rest\n' });
    rmSync(join(parent, '.dist.old-99999', 'rest.yaml'));
    writeAtomically(outdir, NEW);
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('a crash between the two renames is recovered before the model is checked: an invalid model leaves the old output in place', () => {
    const { parent, outdir } = prepare();
    renameSync(outdir, join(parent, '.dist.old-99999'));
    writeOutput(join(parent, '.dist.staging-99999'), { 'partial.yaml': 'partial\n' });
    const app = minimal(new TopologyApp({ outdir })).app;
    new Environment(app, 'qa', { refreshInterval: '1d' });
    const r = synthCaptured(app);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^1 problem in the secrets topology; nothing was written:\n {2}- qa: refreshInterval: "1d"/);
    expect(tree(outdir)).toEqual(OLD);
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('an old output aside without the marker is not ours: not restored, not deleted; the output is written anew', () => {
    const { parent, outdir } = prepare();
    renameSync(outdir, join(parent, '.dist.old-99999'));
    writeFileSync(join(parent, '.dist.old-99999', 'foreign.txt'), 'x\n');
    rmSync(join(parent, '.dist.old-99999', OUTPUT_MARKER));
    const r = synthCaptured(minimal(new TopologyApp({ outdir })).app);
    expect(r.exitCode).toBeUndefined();
    expect(readdirSync(parent).sort()).toEqual(['.dist.old-99999', 'dist']);
  });
});

describe('a symbolic link as the output directory is written through', () => {
  it('the link stays a link, its target gets the new output, nothing is left beside either', () => {
    const parent = join(root, `link-${n++}`);
    mkdirSync(join(parent, 'elsewhere'), { recursive: true });
    writeOutput(join(parent, 'elsewhere', 'out'), OLD);
    symlinkSync('elsewhere/out', join(parent, 'dist'));
    const r = synthCaptured(minimal(new TopologyApp({ outdir: join(parent, 'dist') })).app);
    expect(r.stderr).toBe('');
    expect(lstatSync(join(parent, 'dist')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(parent, 'dist'))).toBe('elsewhere/out');
    expect(Object.keys(tree(join(parent, 'elsewhere', 'out')))).toContain('REPORT.md');
    expect(readdirSync(parent).sort()).toEqual(['dist', 'elsewhere']);
    expect(readdirSync(join(parent, 'elsewhere'))).toEqual(['out']);
  });

  it('through a chain of links', () => {
    const parent = join(root, `chain-${n++}`);
    mkdirSync(join(parent, 'real'), { recursive: true });
    symlinkSync('real', join(parent, 'hop'));
    symlinkSync('hop', join(parent, 'dist'));
    writeAtomically(join(parent, 'dist'), NEW);
    expect(tree(join(parent, 'real'))).toEqual({ 'new.yaml': 'new\n' });
    expect(readdirSync(parent).sort()).toEqual(['dist', 'hop', 'real']);
  });

  it('a link loop is refused', () => {
    const parent = join(root, `loop-${n++}`);
    mkdirSync(parent);
    symlinkSync('b', join(parent, 'a'));
    symlinkSync('a', join(parent, 'b'));
    expect(() => writeAtomically(join(parent, 'a'), NEW)).toThrow(/leads through more than 40 links \(a loop\)/);
    expect(readdirSync(parent).sort()).toEqual(['a', 'b']);
  });

  it('a crash between the renames left the link dangling: the target is restored through it', () => {
    const parent = join(root, `dangling-${n++}`);
    mkdirSync(parent);
    writeOutput(join(parent, '.real.old-99999'), OLD);
    symlinkSync('real', join(parent, 'dist'));
    new StagedDirectory(join(parent, 'dist')).abort();
    expect(tree(join(parent, 'real'))).toEqual(OLD);
    expect(lstatSync(join(parent, 'dist')).isSymbolicLink()).toBe(true);
    expect(readdirSync(parent).sort()).toEqual(['dist', 'real']);
  });

  it('a dangling link with nothing to restore is refused, and nothing is created', () => {
    const parent = join(root, `dangling-${n++}`);
    mkdirSync(parent);
    symlinkSync('missing/out', join(parent, 'dist'));
    const before = snapshot(parent);
    expect(() => writeAtomically(join(parent, 'dist'), NEW)).toThrow(/is a symbolic link to a missing target/);
    expect(snapshot(parent)).toEqual(before);
  });
});

describe('in place (a mount point): the journal', () => {
  function inPlace(): { parent: string; outdir: string } {
    const p = prepare();
    injectFaults({ mountPoints: [p.outdir] });
    return p;
  }
  afterAll(() => injectFaults());

  it('a crash in the middle of the swap (journal, entries half moved) is rolled back', () => {
    const { outdir } = inPlace();
    const previous = join(outdir, IN_PLACE_NAMES.previous);
    const next = join(outdir, IN_PLACE_NAMES.next);
    writeOutput(next, { 'new.yaml': 'new\n' });
    writeFileSync(
      join(outdir, IN_PLACE_NAMES.journal),
      JSON.stringify({ tool: 'secrets-topology', old: [OUTPUT_MARKER, 'old.yaml', 'spaces'], new: [OUTPUT_MARKER, 'new.yaml'] }),
    );
    mkdirSync(previous);
    renameSync(join(outdir, OUTPUT_MARKER), join(previous, OUTPUT_MARKER));
    renameSync(join(outdir, 'old.yaml'), join(previous, 'old.yaml'));
    renameSync(join(outdir, 'spaces'), join(previous, 'spaces'));
    renameSync(join(next, 'new.yaml'), join(outdir, 'new.yaml'));
    new StagedDirectory(outdir).abort();
    expect(tree(outdir)).toEqual(OLD);
    expect(readdirSync(outdir).sort()).toEqual([OUTPUT_MARKER, 'old.yaml', 'spaces']);
  });

  it.each([
    ['not JSON', 'x'],
    ['an entry that leaves the directory', JSON.stringify({ tool: 'secrets-topology', old: ['../../etc'], new: [] })],
    ['an entry with a slash', JSON.stringify({ tool: 'secrets-topology', old: ['a/b'], new: [] })],
    ['an entry that is the lock', JSON.stringify({ tool: 'secrets-topology', old: [], new: ['.secrets-topology-lock'] })],
    ['an entry that is not a string', JSON.stringify({ tool: 'secrets-topology', old: [1], new: [] })],
    ['no lists', JSON.stringify({ tool: 'secrets-topology' })],
  ])('a journal that is not ours (%s) is reported and nothing is moved', (_what, text) => {
    const { parent, outdir } = inPlace();
    writeFileSync(join(outdir, IN_PLACE_NAMES.journal), text);
    const before = snapshot(parent);
    expect(() => writeAtomically(outdir, NEW)).toThrow(
      /recover ".*secrets-topology-journal": the file is not a journal of secrets-topology: move it away \(synth uses this name/,
    );
    expect(snapshot(parent)).toEqual(before);
  });

  it("a user's directory at the staging name (no marker) is left alone and reported", () => {
    const { parent, outdir } = inPlace();
    mkdirSync(join(outdir, IN_PLACE_NAMES.next));
    writeFileSync(join(outdir, IN_PLACE_NAMES.next, 'mine.txt'), 'mine\n');
    const before = snapshot(parent);
    expect(() => writeAtomically(outdir, NEW)).toThrow(
      /create the staging directory ".*secrets-topology-next": something is in the way \(EEXIST\)/,
    );
    expect(snapshot(parent)).toEqual(before);
    expect(readFileSync(join(outdir, IN_PLACE_NAMES.next, 'mine.txt'), 'utf8')).toBe('mine\n');
  });
});
