/**
 * User file paths (TextFile / JsonFile / YamlFile): normalised, refused when they leave the output
 * directory or name another file of the output (also through `./`, `//`, letter case or Unicode
 * form), reported as problems with the construct path before anything is written; at write time no
 * file follows a symbolic link or replaces another.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonFile, TextFile, TopologyApp, TopologyError, YamlFile } from '../lib/index.js';
import { writeRendered } from '../lib/output/file-content.js';
import { OutputPaths, normaliseUserPath } from '../lib/output/output-path.js';
import { minimal } from './fixtures/topologies.js';

const POLICY = 'spaces/eks/iam/aws/eks-shared-secrets/permission-policy.json';

/** The problems of the minimal topology plus one TextFile at `path`. */
function problemsWith(path: string, extra?: (app: TopologyApp) => void): { path: string; message: string }[] {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  minimal(app);
  new TextFile(app, 'user-file', { path, text: 'mine' });
  extra?.(app);
  try {
    app.compile();
    return [];
  } catch (e) {
    if (e instanceof TopologyError) return [...e.problems];
    throw e;
  }
}

describe('user file paths that leave the output directory', () => {
  it.each([
    ['/etc/passwd', 'is absolute'],
    ['//etc/passwd', 'is absolute'],
    ['C:/Windows/x', 'is absolute'],
    ['c:x', 'is absolute'],
    ['../outside.txt', 'leaves the output directory'],
    ['..', 'leaves the output directory'],
    ['a/../../outside.txt', 'leaves the output directory'],
    ['./../outside.txt', 'leaves the output directory'],
    ['a/b/../../../x', 'leaves the output directory'],
    ['..\\outside.txt', 'which Windows reads as a separator'],
    ['a\\..\\..\\x', 'which Windows reads as a separator'],
    ['a\u0000b', 'control character'],
    ['a\nb', 'control character'],
    ['a\rb', 'control character'],
    ['', 'is empty'],
    ['  ', 'is empty'],
    ['.', 'names the output directory itself'],
    ['./', 'names the output directory itself'],
    ['a/..', 'names the output directory itself'],
    ['docs/', 'ends with "/"'],
    ['.secrets-topology-output', 'is the output marker'],
    ['./.Secrets-Topology-Output', 'is the output marker'],
    [`${'n'.repeat(256)}.txt`, 'over the 255'],
  ])('refuses %j (%s), naming the construct and writing nothing', (path, why) => {
    const p = problemsWith(path);
    expect(p.filter((x) => x.path === 'user-file')).toHaveLength(1);
    const message = p.find((x) => x.path === 'user-file')?.message ?? '';
    expect(message).toContain(why);
    expect(message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('refuses a path that is not a string (config read from JSON)', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    new JsonFile(app, 'j', { path: 42 as unknown as string, content: {} });
    expect(() => app.compile()).toThrow(/j: path has the wrong type: expected a string, got 42 \(a number\)/);
  });

  it('property: an accepted path is normalised and resolves inside the output directory', () => {
    const part = fc.constantFrom('..', '.', '', 'a', 'b.txt', '..a', 'a..', '...', ' ', '~', '%2e%2e', 'Ä');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), fc.boolean(), (parts, lead) => {
        const raw = `${lead ? '/' : ''}${parts.join('/')}`;
        const r = normaliseUserPath(raw);
        if (r.path === undefined) return;
        const segments = r.path.split('/');
        expect(segments.every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
        expect(posix.resolve('/out', r.path).startsWith('/out/')).toBe(true);
        expect(r.path).toBe(posix.normalize(raw));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('user file paths that name a generated file', () => {
  it.each([
    [POLICY, 'is produced twice'],
    [`./${POLICY}`, 'is produced twice'],
    [POLICY.replace('/iam/', '//iam/'), 'is produced twice'],
    [POLICY.replace('/iam/', '/iam/./'), 'is produced twice'],
    [POLICY.replace('/iam/', '/x/../iam/'), 'is produced twice'],
    [POLICY.toUpperCase(), 'differ only in letter case'],
    ['Report.md', 'differ only in letter case'],
    ['REPORT.md', 'is produced twice'],
    ['spaces', 'would be a file where'],
    ['Spaces/EKS', 'would be a file where'],
    ['REPORT.md/notes.txt', 'needs a directory where'],
  ])('refuses %j (%s)', (path, why) => {
    const p = problemsWith(path);
    expect(p).toEqual([{ path: 'user-file', message: expect.stringContaining(why) }]);
  });

  it('refuses two user files whose names differ only in Unicode normalisation (one file on macOS)', () => {
    const p = problemsWith('caf\u00e9.txt', (app) => new TextFile(app, 'second', { path: 'cafe\u0301.txt', text: 'b' }));
    expect(p).toEqual([{ path: 'second', message: expect.stringContaining('differ only in letter case or Unicode form') }]);
  });

  it('accepts and normalises paths beside the generated files', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    minimal(app);
    const a = new TextFile(app, 'a', { path: './CODEOWNERS', text: 'x' });
    const b = new YamlFile(app, 'b', { path: 'docs//owners.yaml', content: { a: 1 } });
    const c = new JsonFile(app, 'c', { path: 'spaces/eks/notes/x/../owners.json', content: {} });
    const files = app.compile().files;
    expect([a.path, b.path, c.path]).toEqual(['CODEOWNERS', 'docs/owners.yaml', 'spaces/eks/notes/owners.json']);
    expect(files.get('CODEOWNERS')).toBe('x\n');
    expect(files.has('docs/owners.yaml')).toBe(true);
    expect(files.get(POLICY)).toContain('"Statement"');
  });

  it('leaves an existing output as it was when synth refuses a colliding path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-paths-'));
    const outdir = join(dir, 'dist');
    try {
      const first = new TopologyApp({ outdir });
      minimal(first);
      first.synth();
      const before = readFileSync(join(outdir, POLICY), 'utf8');
      const app = new TopologyApp({ outdir });
      minimal(app);
      new TextFile(app, 'evil', { path: `./${POLICY}`, text: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' });
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      app.synth();
      spy.mockRestore();
      expect(process.exitCode).toBe(1);
      expect(readFileSync(join(outdir, POLICY), 'utf8')).toBe(before);
    } finally {
      process.exitCode = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OutputPaths', () => {
  it('refuses a path that is not normalised (a synthesizer bug), whoever produced it', () => {
    const paths = new OutputPaths();
    for (const p of ['', '/abs', 'a//b', 'a/./b', '../x', 'a/..']) expect(paths.claim(p)).toMatch(/not a normalised path/);
    expect(paths.claim('a/b')).toBeUndefined();
    expect(paths.has('a/b')).toBe(true);
    expect(paths.has('A/b')).toBe(false);
  });
});

describe('writing files', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('never follows a symbolic link at a file path, and never replaces a file', () => {
    dir = mkdtempSync(join(tmpdir(), 'st-write-'));
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'keep');
    mkdirSync(join(dir, 'out'));
    symlinkSync(outside, join(dir, 'out', 'link.txt'));
    expect(() => writeRendered(join(dir, 'out', 'link.txt'), 'pwned')).toThrow(/EEXIST/);
    expect(() => writeRendered(join(dir, 'out', 'link.txt'), { json: { a: 1 } })).toThrow(/EEXIST/);
    symlinkSync(join(dir, 'missing.txt'), join(dir, 'out', 'dangling.txt'));
    expect(() => writeRendered(join(dir, 'out', 'dangling.txt'), 'pwned')).toThrow(/EEXIST/);
    expect(existsSync(join(dir, 'missing.txt'))).toBe(false);
    expect(readFileSync(outside, 'utf8')).toBe('keep');
    writeRendered(join(dir, 'out', 'new.txt'), 'a');
    expect(() => writeRendered(join(dir, 'out', 'new.txt'), 'b')).toThrow(/EEXIST/);
    expect(readFileSync(join(dir, 'out', 'new.txt'), 'utf8')).toBe('a');
  });
});
