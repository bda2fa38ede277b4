/**
 * The safe-output-directory rule: synthesis replaces its output directory as a whole, so it refuses,
 * before touching anything, an output directory that is empty, the working directory or one of its
 * parents, the filesystem root, the home directory (or a parent of it), a file, or a non-empty
 * directory this tool never wrote (no marker) — through the app's prop, `$CDK8S_OUTDIR`, symbolic
 * links and the writer itself. Real processes run as an unprivileged user when the tests run as root.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Environment, TopologyApp, TopologyError } from '../lib/index.js';
import { StagedDirectory, writeAtomically } from '../lib/output/writer.js';
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT, unsafeOutputDirectory, unsafeOutputPath } from '../lib/output/outdir.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'topology-outdir-'));
chmodSync(tmp, 0o777);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A project directory with files that must survive, and the listing to compare with afterwards. */
function project(name: string): { dir: string; listing: () => string[] } {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'main.ts'), "// the user's topology\n");
  writeFileSync(join(dir, 'src', 'untracked.txt'), 'keep me\n');
  chmodSync(dir, 0o777);
  chmodSync(join(dir, 'src'), 0o777);
  const listing = (): string[] => readdirSync(dir, { recursive: true }).map(String).sort();
  return { dir, listing };
}

/** Runs `synth()` of an empty topology with `cwd` as the working directory, in this process. */
function synthIn(cwd: string, outdir: string | undefined): { stderr: string; exitCode: number | undefined } {
  const before = process.cwd();
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    process.chdir(cwd);
    new TopologyApp(outdir === undefined ? {} : { outdir }).synth();
    return { stderr: written.join(''), exitCode: process.exitCode };
  } finally {
    process.chdir(before);
    process.exitCode = exitCode;
    spy.mockRestore();
  }
}

describe('unsafeOutputDirectory', () => {
  const cwd = process.cwd();
  it.each([
    ['empty', '', /is empty/],
    ['blank', '  ', /is blank/],
    ['the working directory', '.', /is the working directory/],
    ['the working directory with a trailing slash', './', /is the working directory/],
    ['the working directory, absolute', cwd, /is the working directory/],
    ['the working directory, spelled through a child', 'test/..', /is the working directory/],
    ['a parent of the working directory', '..', /contains the working directory/],
    ['a grand-parent of the working directory', '../..', /contains the working directory/],
    ['the filesystem root', '/', /is the working directory|contains the working directory|is the filesystem root/],
    ['a NUL character', 'dist\u0000x', /NUL/],
  ])('refuses %s', (_what, outdir, why) => {
    expect(unsafeOutputDirectory(outdir)).toMatch(why);
    expect(unsafeOutputDirectory(outdir)).toMatch(/set the app's "outdir" \(or CDK8S_OUTDIR\)/);
  });

  it('refuses values that are not a path (from JavaScript or JSON)', () => {
    for (const v of [undefined, null, 0, 42, {}, ['dist'], true]) expect(unsafeOutputDirectory(v)).toMatch(/must be a path, received/);
  });

  it('refuses the home directory and its parents', () => {
    const home = join(tmp, 'home', 'user');
    mkdirSync(home, { recursive: true });
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      expect(unsafeOutputDirectory(home)).toMatch(/is the home directory/);
      expect(unsafeOutputDirectory(`${home}/`)).toMatch(/is the home directory/);
      expect(unsafeOutputDirectory(join(tmp, 'home'))).toMatch(/contains the home directory/);
      expect(unsafeOutputDirectory(join(home, 'dist'))).toBeUndefined();
    } finally {
      process.env.HOME = saved;
    }
  });

  it('refuses a non-empty directory without the marker, a file, and links to either', () => {
    const p = project('foreign');
    expect(unsafeOutputDirectory(p.dir)).toMatch(
      /holds 2 entries and was not written by secrets-topology \(no \.secrets-topology-output file\)/,
    );
    expect(unsafeOutputDirectory(join(p.dir, 'main.ts'))).toMatch(/exists and is not a directory/);
    symlinkSync(p.dir, join(tmp, 'link-to-foreign'));
    expect(unsafeOutputDirectory(join(tmp, 'link-to-foreign'))).toMatch(/was not written by secrets-topology/);
    symlinkSync(join(p.dir, 'main.ts'), join(tmp, 'link-to-file'));
    expect(unsafeOutputDirectory(join(tmp, 'link-to-file'))).toMatch(/not a directory/);
    symlinkSync(join(tmp, 'missing'), join(tmp, 'dangling'));
    expect(unsafeOutputDirectory(join(tmp, 'dangling'))).toMatch(/link to a missing target/);
  });

  it('refuses a link that leads to the working directory or above it', () => {
    const link = join(tmp, 'link-to-cwd');
    symlinkSync(process.cwd(), link);
    expect(unsafeOutputDirectory(link)).toMatch(/is the working directory/);
    const up = join(tmp, 'link-to-parent');
    symlinkSync(dirname(process.cwd()), up);
    expect(unsafeOutputDirectory(up)).toMatch(/contains the working directory/);
  });

  it('accepts a missing directory, an empty one, and an earlier output (with the marker)', () => {
    expect(unsafeOutputDirectory(join(tmp, 'new', 'deep', 'dist'))).toBeUndefined();
    mkdirSync(join(tmp, 'empty'));
    expect(unsafeOutputDirectory(join(tmp, 'empty'))).toBeUndefined();
    mkdirSync(join(tmp, 'ours'));
    writeFileSync(join(tmp, 'ours', OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    writeFileSync(join(tmp, 'ours', 'REPORT.md'), '# old\n');
    expect(unsafeOutputDirectory(join(tmp, 'ours'))).toBeUndefined();
  });
});

describe('unsafeOutputPath: an output file path never leads outside the output directory', () => {
  it.each([
    ['a parent', '../escape.txt'],
    ['a parent further in', 'a/../../escape.txt'],
    ['only a parent', '..'],
    ['the directory itself', '.'],
    ['empty', ''],
    ['absolute', '/etc/passwd'],
    ['an empty part', 'a//b'],
    ['a trailing slash', 'a/'],
    ['a dot part', './x'],
    ['a dot part further in', 'a/./b'],
    ['backslashes', 'a\\..\\..\\x'],
    ['a NUL character', 'x\u0000y'],
  ])('refuses %s', (_what, rel) => {
    expect(unsafeOutputPath(rel)).toMatch(/is not a plain relative path inside the output directory: use "\/"-separated names/);
  });

  it.each([
    OUTPUT_MARKER,
    `${OUTPUT_MARKER}/x`,
    '.secrets-topology-next/x',
    '.secrets-topology-previous',
    '.secrets-topology-journal',
    '.secrets-topology-lock',
    'lost+found/x',
  ])('refuses the reserved name %s', (rel) => expect(unsafeOutputPath(rel)).toMatch(/uses a name synth reserves for itself/));

  it('refuses names longer than the file system allows, and values that are not strings', () => {
    expect(unsafeOutputPath(`${'a'.repeat(256)}/x`)).toMatch(/longer than the file system allows/);
    expect(unsafeOutputPath(`${'a/'.repeat(2100)}x`)).toMatch(/longer than the file system allows/);
    for (const v of [undefined, null, 1, {}, ['a']]) expect(unsafeOutputPath(v)).toMatch(/must be a string/);
  });

  it('accepts plain relative paths', () => {
    for (const rel of [
      'REPORT.md',
      'spaces/a/groups/g/namespace.yaml',
      '.hidden/x',
      'a..b/c',
      '...',
      'x.secrets-topology-output',
      'lost+found2',
    ]) {
      expect(unsafeOutputPath(rel)).toBeUndefined();
    }
  });
});

describe('synth() refuses an unsafe output directory before it touches anything', () => {
  it.each([
    ['outdir: ""', ''],
    ['outdir: "."', '.'],
    ['outdir: ".."', '..'],
    ['outdir: "./"', './'],
    ['outdir: the project itself', '<project>'],
    ['outdir: a non-empty folder of the project', 'src'],
  ])('%s', (_what, outdir) => {
    const p = project(`prop-${outdir.replace(/[^a-z]/g, '_')}-${Math.random().toString(36).slice(2)}`);
    const before = p.listing();
    const parentBefore = readdirSync(dirname(p.dir)).sort();
    const r = synthIn(p.dir, outdir === '<project>' ? p.dir : outdir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^1 problem in the secrets topology; nothing was written:\n {2}- \(app\): the output directory /);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(p.listing()).toEqual(before);
    expect(readdirSync(dirname(p.dir)).sort()).toEqual(parentBefore);
    expect(readFileSync(join(p.dir, 'main.ts'), 'utf8')).toBe("// the user's topology\n");
  });

  it("reports the output directory with the model's own problems", () => {
    const p = project('with-model-problems');
    const before = process.cwd();
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exitCode = process.exitCode;
    try {
      process.chdir(p.dir);
      const app = new TopologyApp({ outdir: '' });
      new Environment(app, 'prod', { refreshInterval: '1d' });
      app.synth();
      const text = String(spy.mock.calls[0]?.[0]);
      expect(text).toMatch(/^2 problems in the secrets topology; nothing was written:\n {2}- \(app\): the output directory is empty/);
      expect(text).toContain('  - prod: refreshInterval: "1d" is not a Go duration');
      expect(process.exitCode).toBe(1);
    } finally {
      process.chdir(before);
      process.exitCode = exitCode;
      spy.mockRestore();
    }
  });

  it('the writer refuses on its own too (StagedDirectory, writeAtomically)', () => {
    const p = project('writer');
    const before = process.cwd();
    try {
      process.chdir(p.dir);
      for (const outdir of ['', '.', '..', 'src', p.dir]) {
        expect(() => new StagedDirectory(outdir)).toThrow(TopologyError);
        expect(() => writeAtomically(outdir, new Map([['a.yaml', 'a: 1\n']]))).toThrow(/the output directory/);
      }
    } finally {
      process.chdir(before);
    }
    expect(p.listing()).toEqual(['main.ts', 'src', join('src', 'untracked.txt')]);
  });

  it('writes the marker into every output, and replaces an output that has it', () => {
    const out = join(tmp, 'marked', 'dist');
    writeAtomically(out, new Map([['a.yaml', 'a: 1\n']]));
    expect(readFileSync(join(out, OUTPUT_MARKER), 'utf8')).toBe(OUTPUT_MARKER_TEXT);
    writeAtomically(out, new Map([['b.yaml', 'b: 1\n']]));
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'b.yaml']);
  });
});

describe('as a real process, as an unprivileged user', () => {
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const script = (dir: string): string => {
    const file = join(dir, 'synth.ts');
    writeFileSync(file, `import { TopologyApp } from ${JSON.stringify(join(ROOT, 'lib', 'index.ts'))};\nnew TopologyApp().synth();\n`);
    return file;
  };
  const run = (cwd: string, env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, script(cwd)], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? cwd, ...env, NODE_PATH: join(ROOT, 'node_modules') },
      encoding: 'utf8',
      timeout: 60_000,
      ...asUser,
    });

  it.each([
    ['CDK8S_OUTDIR set to an empty string', () => ''],
    ['CDK8S_OUTDIR=.', () => '.'],
    ['CDK8S_OUTDIR=..', () => '..'],
    ['CDK8S_OUTDIR=/', () => '/'],
    ['CDK8S_OUTDIR=$HOME', (dir: string) => dir],
  ])('%s: exit 1, one message, nothing deleted', (_what, outdir) => {
    const p = project(`env-${Math.random().toString(36).slice(2)}`);
    const before = p.listing();
    const r = run(p.dir, { CDK8S_OUTDIR: outdir(p.dir), HOME: p.dir });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toMatch(/^1 problem in the secrets topology; nothing was written:\n {2}- \(app\): the output directory /);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status).toBe(1);
    expect(p.listing().filter((f) => f !== 'synth.ts')).toEqual(before);
    expect(existsSync(join(p.dir, 'main.ts'))).toBe(true);
  });

  it('the default (dist beside the working directory) works, and is written again', () => {
    const p = project(`default-${Math.random().toString(36).slice(2)}`);
    for (let i = 0; i < 2; i++) {
      const r = run(p.dir, {});
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    expect(readFileSync(join(p.dir, 'dist', OUTPUT_MARKER), 'utf8')).toBe(OUTPUT_MARKER_TEXT);
    expect(relative(p.dir, join(p.dir, 'dist'))).toBe('dist');
    expect(existsSync(join(p.dir, 'src', 'untracked.txt'))).toBe(true);
  });
});
