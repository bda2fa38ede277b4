/**
 * Output layouts (issue 15): beside one file per object (the default), cdk8s's own default, one
 * multi-document YAML file per manifest directory. Both are deterministic, hold the same objects,
 * build the same objects through kustomize, validate against the real CRDs, and work with the
 * command line (`synth` counts objects, `check` compares).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExample } from '../main.js';
import { OutputLayout, TopologyApp, type Compilation, type SynthContext, type Synthesizer } from '../lib/index.js';
import { fromYamlDocuments } from '../lib/output/render.js';
import { groupManifestPath } from '../lib/output/layout.js';
import { TextFile } from '../lib/output/file-artifact.js';
import { CrdValidator, describeWithCrds, validateDirectory } from './support/crd-schemas.js';
import { cli, projectFiles, writeFiles } from './support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'output-layout-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function example(layout?: OutputLayout, outdir = '/nonexistent'): TopologyApp {
  return buildExample(new TopologyApp({ outdir, ...(layout ? { layout } : {}) }));
}

const dirOf = (p: string): string => p.slice(0, p.lastIndexOf('/'));
const isKustomization = (p: string): boolean => p.endsWith('/kustomization.yaml');

let perObject: Compilation;
let perGroup: Compilation;
beforeAll(() => {
  perObject = example().compile();
  perGroup = example(OutputLayout.FILE_PER_GROUP).compile();
});

describe('the layouts', () => {
  it('defaults to one file per object', () => {
    expect(new TopologyApp().layout).toBe(OutputLayout.FILE_PER_OBJECT);
    expect(example(OutputLayout.FILE_PER_OBJECT).compile().files).toEqual(perObject.files);
    expect(perObject.manifests.every((m) => !m.path.endsWith('.k8s.yaml'))).toBe(true);
    expect(new Set(perObject.manifests.map((m) => m.path)).size).toBe(perObject.manifests.length);
  });

  it('writes one <dir>/<dir name>.k8s.yaml per manifest directory, with the same objects in the order of their file-per-object paths', () => {
    const dirs = [...new Set(perObject.manifests.map((m) => dirOf(m.path)))].sort();
    const groupFiles = [...new Set(perGroup.manifests.map((m) => m.path))].sort();
    expect(groupFiles).toEqual(dirs.map(groupManifestPath).sort());
    expect(groupFiles).toContain('spaces/aws-eu/groups/platform/platform.k8s.yaml');
    expect(groupFiles).toContain('argocd/argocd.k8s.yaml');
    // The same objects, each in its directory's file, in the same order.
    const byFile = [...dirs].sort((a, b) => (groupManifestPath(a) < groupManifestPath(b) ? -1 : 1));
    expect(perGroup.manifests.map((m) => m.object)).toEqual(
      byFile.flatMap((dir) => perObject.manifests.filter((m) => dirOf(m.path) === dir).map((m) => m.object)),
    );
    for (const m of perGroup.manifests) expect(perGroup.files.has(m.path)).toBe(true);
    for (const file of groupFiles) {
      const docs = fromYamlDocuments(perGroup.files.get(file) as string);
      expect(docs).toEqual(perGroup.manifests.filter((m) => m.path === file).map((m) => m.object));
      expect(perGroup.files.get(file)).toMatch(/^apiVersion: /);
    }
  });

  it('leaves every other file as it is, and lists the one file in each manifest directory kustomization', () => {
    const manifestFiles = new Set(perObject.manifests.map((m) => m.path));
    const groupFiles = new Set(perGroup.manifests.map((m) => m.path));
    const rest = (c: Compilation, skip: ReadonlySet<string>) =>
      new Map([...c.files].filter(([p]) => !skip.has(p) && !(isKustomization(p) && manifestDirs.has(dirOf(p)))));
    const manifestDirs = new Set([...manifestFiles].map(dirOf));
    expect(rest(perGroup, groupFiles)).toEqual(rest(perObject, manifestFiles));
    for (const dir of manifestDirs) {
      const name = groupManifestPath(dir).slice(dir.length + 1);
      expect(perGroup.files.get(`${dir}/kustomization.yaml`)).toBe(
        `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${name}\n`,
      );
    }
  });

  it('is deterministic, and synth() writes what compile() returns', () => {
    expect(example(OutputLayout.FILE_PER_GROUP).compile().files).toEqual(perGroup.files);
    const out = join(tmp, 'synth-group');
    const app = example(OutputLayout.FILE_PER_GROUP, out);
    app.synth();
    expect(process.exitCode ?? 0).toBe(0);
    for (const [p, text] of perGroup.files) expect(readFileSync(join(out, p), 'utf8'), p).toBe(text);
    // Read back from disk, the objects are the ones compiled.
    expect(app.compile().manifests).toEqual(perGroup.manifests);
  });

  it('builds the same objects through kustomize at every aggregation root', () => {
    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    if (kubectl.status !== 0 && !process.env.CI) return; // kubectl: installed by .ci/run
    const a = join(tmp, 'kustomize-object');
    const b = join(tmp, 'kustomize-group');
    example(OutputLayout.FILE_PER_OBJECT, a).synth();
    example(OutputLayout.FILE_PER_GROUP, b).synth();
    for (const root of ['spaces/aws-eu', 'spaces/azure-we', 'spaces/gcp-us', 'spaces/aws-us/groups/edge', 'argocd']) {
      const build = (dir: string) => spawnSync('kubectl', ['kustomize', join(dir, root)], { encoding: 'utf8' });
      const x = build(a);
      const y = build(b);
      expect(x.status, x.stderr).toBe(0);
      expect(y.stdout, root).toBe(x.stdout);
      expect(x.stdout).toMatch(/^kind: /m);
    }
  });
});

describe('collisions and validation in the group layout', () => {
  /** A user stage that adds objects at the given file-per-object paths. */
  const stage = (paths: readonly string[]): Synthesizer => ({
    name: 'extra',
    stage: 150,
    emit(ctx: SynthContext, out) {
      for (const [i, path] of paths.entries())
        out.addManifest(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } }, ctx.root);
    },
  });

  it('refuses two objects at one file-per-object path, naming the construct', () => {
    const app = example(OutputLayout.FILE_PER_GROUP);
    app.addSynthesizer(stage(['extra/configmap-a.yaml', 'extra/configmap-a.yaml']));
    expect(() => app.compile()).toThrow(/configmap-a\.yaml/);
  });

  it('refuses a file of the user at the path of a group file, and allows one at a file-per-object path (no file is there)', () => {
    const clash = example(OutputLayout.FILE_PER_GROUP);
    new TextFile(clash, 'clash', { path: 'spaces/aws-eu/groups/platform/platform.k8s.yaml', text: 'x' });
    expect(() => clash.compile()).toThrow(/platform\.k8s\.yaml/);

    const free = example(OutputLayout.FILE_PER_GROUP);
    const objectPath = perObject.manifests.find((m) => m.path.startsWith('spaces/aws-eu/groups/platform/'))?.path as string;
    new TextFile(free, 'free', { path: objectPath, text: 'notes\n' });
    expect(free.compile().files.get(objectPath)).toBe('notes\n');
  });

  it('groups the objects of a user stage too, also at the top level', () => {
    const app = example(OutputLayout.FILE_PER_GROUP);
    app.addSynthesizer(stage(['extra/configmap-b.yaml', 'extra/configmap-a.yaml', 'top.yaml']));
    const c = app.compile();
    expect(fromYamlDocuments(c.files.get('extra/extra.k8s.yaml') as string)).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-1' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-0' } },
    ]);
    expect(c.files.get('app.k8s.yaml')).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-2\n');
  });

  it('refuses a layout that is not one (JavaScript and JSON callers), with the value and the fix', () => {
    for (const bad of ['file-per-chart', 'FILE_PER_GROUP', '', 42, {}, null]) {
      const app = new TopologyApp({ layout: bad as unknown as OutputLayout });
      const problems = app.problems().map((p) => p.message);
      expect(problems.join('\n'), String(bad)).toMatch(
        /^layout (".*" is not supported|has the wrong type): expected one of "file-per-object", "file-per-group"/m,
      );
      expect(app.layout).toBe(OutputLayout.FILE_PER_OBJECT);
    }
    // A string from JSON.
    const app = new TopologyApp({ layout: 'file-per-group' as OutputLayout });
    expect(app.problems()).toEqual([]);
    expect(app.layout).toBe(OutputLayout.FILE_PER_GROUP);
  });
});

describeWithCrds('the group layout against the real CRDs', () => {
  it('every document of every group file validates', async () => {
    const out = join(tmp, 'crds-group');
    example(OutputLayout.FILE_PER_GROUP, out).synth();
    const validator = await CrdValidator.load();
    expect(await validateDirectory(out, validator)).toEqual([]);
  });
});

describe('the command line on a group-layout project', () => {
  it('synth counts the objects of the group files, and check passes on its output', async () => {
    const counts: string[] = [];
    for (const layout of ['file-per-object', 'file-per-group']) {
      const dir = mkdtempSync(join(tmp, `cli-${layout}-`));
      const files = projectFiles({ planes: 2, secrets: 2, identity: 'pod-identity', environments: ['dev', 'prod'] });
      files['topology.ts'] = files['topology.ts'].replace('new TopologyApp()', `new TopologyApp({ layout: '${layout}' as never })`);
      writeFiles(dir, files);
      const synth = await cli(dir, ['synth']);
      expect(synth.status, synth.stderr).toBe(0);
      counts.push(/(\d+) objects?/.exec(synth.stdout)?.[1] ?? '');
      const check = await cli(dir, ['check']);
      expect(check.status, check.stderr).toBe(0);
      expect(check.stdout).toMatch(/is up to date/);
    }
    expect(counts[0]).not.toBe('');
    expect(counts[1]).toBe(counts[0]);
  });
});
