/**
 * `cdk8s synth --stdout`: the real cdk8s CLI, with this project's cdk8s.yaml, prints one valid
 * multi-document YAML stream of every Kubernetes object (the same objects as compile()), and dist/
 * is left untouched. The detection of such a run (the CLI's temporary output directory) is exact.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { TopologyApp } from '../lib/index.js';
import { CDK8S_STDOUT_FILE, cdk8sStdoutFiles, isCdk8sStdoutRun } from '../lib/output/cdk8s-stdout.js';
import { buildExample } from '../main.js';
import { ROOT, snapshot, writeOutput } from './support/output-dirs.js';

const work = mkdtempSync(join(tmpdir(), 'topology-stdout-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('isCdk8sStdoutRun', () => {
  const saved = process.env.CDK8S_OUTDIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = saved;
  });
  const temp = (name: string): string => {
    const dir = join(realpathSync(tmpdir()), name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  it('is true for the directory the CLI makes: empty, in the temporary directory, cdk8s-XXXXXX, given as CDK8S_OUTDIR', () => {
    const dir = temp(`cdk8s-${Math.random().toString(36).slice(2, 8).padEnd(6, 'x')}`);
    process.env.CDK8S_OUTDIR = dir;
    expect(isCdk8sStdoutRun(dir)).toBe(true);
    rmSync(dir, { recursive: true });
  });

  it.each([
    ['CDK8S_OUTDIR not set', (dir: string) => (delete process.env.CDK8S_OUTDIR, dir)],
    ['the app given another outdir', (dir: string) => ((process.env.CDK8S_OUTDIR = dir), join(dir, 'x'))],
    ['a name of five characters', () => ((process.env.CDK8S_OUTDIR = temp('cdk8s-abcde')), process.env.CDK8S_OUTDIR)],
    ['a name of seven characters', () => ((process.env.CDK8S_OUTDIR = temp('cdk8s-abcdefg')), process.env.CDK8S_OUTDIR)],
    ['not directly in the temporary directory', () => ((process.env.CDK8S_OUTDIR = temp('nested/cdk8s-abcdef')), process.env.CDK8S_OUTDIR)],
    ['a directory that is not empty', (dir: string) => (writeFileSync(join(dir, 'x.yaml'), 'x'), (process.env.CDK8S_OUTDIR = dir), dir)],
    ['a missing directory', (dir: string) => (rmSync(dir, { recursive: true }), (process.env.CDK8S_OUTDIR = dir), dir)],
    ['dist', () => ((process.env.CDK8S_OUTDIR = 'dist'), 'dist')],
  ])('is false for %s', (_what, arrange) => {
    const dir = temp(`cdk8s-${Math.random().toString(36).slice(2, 8).padEnd(6, 'y')}`);
    const outdir = arrange(dir);
    expect(isCdk8sStdoutRun(outdir)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('cdk8sStdoutFiles', () => {
  it('is one file: every manifest, sorted by path, as one stream of documents that parse back to the objects', () => {
    const { manifests } = buildExample(new TopologyApp({ outdir: 'never-written' })).compile();
    const files = cdk8sStdoutFiles(manifests);
    expect([...files.keys()]).toEqual([CDK8S_STDOUT_FILE]);
    const docs = parseAllDocuments(files.get(CDK8S_STDOUT_FILE) ?? '');
    expect(docs.flatMap((d) => d.errors)).toEqual([]);
    expect(docs.map((d) => d.toJS())).toEqual(manifests.map((m) => m.object));
    const sources = [...(files.get(CDK8S_STDOUT_FILE) ?? '').matchAll(/^---\n# (.*)$/gm)].map((m) => JSON.parse(m[1] ?? '') as string);
    expect(sources).toEqual(manifests.map((m) => m.path));
  });
});

describe('the cdk8s CLI', () => {
  /** A project with this repository's cdk8s.yaml (its app run with this checkout's tsx) and an old dist/. */
  function project(): string {
    const dir = join(work, `project-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    const config = readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8');
    expect(parse(config)).not.toHaveProperty('output');
    const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    writeFileSync(join(dir, 'cdk8s.yaml'), config.replace(/^app: .*$/m, `app: ${process.execPath} --import ${tsx} main.ts`));
    writeFileSync(
      join(dir, 'main.ts'),
      `import { TopologyApp } from ${JSON.stringify(join(ROOT, 'lib', 'index.ts'))};\nimport { buildExample } from ${JSON.stringify(join(ROOT, 'main.ts'))};\nbuildExample(new TopologyApp()).synth();\n`,
    );
    writeOutput(join(dir, 'dist'), { 'old.yaml': 'old\n' });
    return dir;
  }

  function cdk8s(cwd: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const proc = spawn(
      process.execPath,
      [join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade', ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: cwd },
      },
    );
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((ok) => proc.on('close', (code) => ok({ code, stdout, stderr })));
  }

  it('synth --stdout prints one valid YAML stream of every object, and leaves dist/ untouched', async () => {
    const dir = project();
    const before = snapshot(join(dir, 'dist'));
    const r = await cdk8s(dir, '--stdout');
    expect(r.code, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout);
    expect(docs.flatMap((d) => d.errors)).toEqual([]);
    const { manifests } = buildExample(new TopologyApp({ outdir: 'never-written' })).compile();
    expect(docs.map((d) => d.toJS())).toEqual(manifests.map((m) => m.object));
    expect(snapshot(join(dir, 'dist'))).toEqual(before);
  }, 120_000);

  it('synth (no --stdout) still writes the whole output into dist/', async () => {
    const dir = project();
    const r = await cdk8s(dir);
    expect(r.code, r.stderr).toBe(0);
    const { files } = buildExample(new TopologyApp({ outdir: 'never-written' })).compile();
    for (const [path, text] of files) expect(readFileSync(join(dir, 'dist', path), 'utf8'), path).toBe(text);
  }, 120_000);
});
