/**
 * The core Kubernetes objects (Namespace, ConfigMap) come from cdk8s-plus-33, loaded on first use
 * and only the module of the kind asked for; what it renders is the object given (no value dropped,
 * rewritten or resolved), in the canonical form, valid, deterministic, and outside the user's tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Group, TopologyApp } from '../lib/index.js';
import { CDK8S_PLUS_PACKAGE, configMapManifest, namespaceManifest } from '../lib/output/core-objects.js';
import { canonicalManifest } from '../lib/output/manifest.js';
import { minimal } from './fixtures/topologies.js';
import { CrdValidator } from './support/crd-schemas.js';
import pkg from '../package.json' with { type: 'json' };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FC_RUNS = Number(process.env.FC_RUNS ?? 100);

/** Strings an attacker or an odd model would try: cdk8s token look-alikes, YAML markers, unicode, empties. */
const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    '${Token[TOKEN.1]}',
    'a${Token[TOKEN.12]}b',
    '{{ .x }}',
    '---\n',
    'null',
    'true',
    '0x1F',
    'ü\u2028\u0085',
    '\t\n',
  ),
);
const labelKey = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?(\/[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?)?$/);
const dataKey = fc.stringMatching(/^[-._a-zA-Z0-9]{1,30}$/);
/** A map as cdk8s writes it in metadata: left out when empty. */
const orNone = (m: Record<string, string>) => (Object.keys(m).length > 0 ? m : undefined);

describe('namespaceManifest (cdk8s-plus Namespace)', () => {
  it('renders a v1 Namespace with an empty spec, labels and annotations sorted, in the canonical key order', () => {
    const ns = namespaceManifest({ name: 'platform', labels: { z: '1', a: '2' }, annotations: { 'example.com/b': 'x' } });
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'platform', labels: { a: '2', z: '1' }, annotations: { 'example.com/b': 'x' } },
      spec: {},
    });
    expect(Object.keys(ns)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(ns.metadata as object)).toEqual(['name', 'labels', 'annotations']);
    expect(Object.keys((ns.metadata as { labels: object }).labels)).toEqual(['a', 'z']);
  });

  it('leaves out labels and annotations not given or empty (as cdk8s writes metadata)', () => {
    const bare = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: {} };
    expect(namespaceManifest({ name: 'x' })).toEqual(bare);
    expect(namespaceManifest({ name: 'x', labels: {}, annotations: {} })).toEqual(bare);
  });

  it('passes every label and annotation value through unchanged (property: equals the hand-built object)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(labelKey, tricky, { maxKeys: 5 }),
        fc.dictionary(labelKey, tricky, { maxKeys: 5 }),
        (labels, annotations) => {
          const expected = canonicalManifest({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'ns', labels: orNone(labels), annotations: orNone(annotations) },
            spec: {},
          });
          expect(namespaceManifest({ name: 'ns', labels, annotations })).toEqual(expected);
        },
      ),
      { numRuns: FC_RUNS },
    );
  });
});

describe('configMapManifest (cdk8s-plus ConfigMap)', () => {
  it('renders a mutable v1 ConfigMap (`immutable: false`, what cdk8s-plus writes by default) with its data byte for byte', () => {
    const values = '# generated\nserviceAccount:\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/x\n';
    const cm = configMapManifest({ name: 'values', namespace: 'flux-system', labels: { a: 'b' }, data: { 'values.yaml': values } });
    expect(cm).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'values', namespace: 'flux-system', labels: { a: 'b' } },
      data: { 'values.yaml': values },
      immutable: false,
    });
    expect(Object.keys(cm)).toEqual(['apiVersion', 'kind', 'metadata', 'data', 'immutable']);
  });

  it('keeps keys whose value is empty, also when every value is (cdk8s-plus alone would drop `data`)', () => {
    expect(configMapManifest({ name: 'c', data: { k: '' } }).data).toEqual({ k: '' });
    expect(configMapManifest({ name: 'c', data: { k: '', j: '' } }).data).toEqual({ j: '', k: '' });
    expect(configMapManifest({ name: 'c', data: { k: '', j: 'x' } }).data).toEqual({ j: 'x', k: '' });
    expect(configMapManifest({ name: 'c', data: {} })).not.toHaveProperty('data');
  });

  it('takes keys that are names on Object.prototype (cdk8s-plus’s addData alone refuses them as “already used”)', () => {
    for (const key of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      expect(configMapManifest({ name: 'c', data: { [key]: 'x' } }).data, key).toEqual({ [key]: 'x' });
      expect(Object.keys(configMapManifest({ name: 'c', data: { [key]: 'x', a: 'y' } }).data as object), key).toEqual([key, 'a'].sort());
    }
  });

  it('does not resolve cdk8s token look-alikes or templates in data, labels or annotations', () => {
    const s = '${Token[TOKEN.1]} {{ .Values.x }} ${Token[Foo.bar.5]}';
    const cm = configMapManifest({ name: 'c', labels: { t: s }, annotations: { t: s }, data: { [`k`]: s, 'k.yaml': s } });
    expect(cm.metadata).toEqual({ name: 'c', labels: { t: s }, annotations: { t: s } });
    expect(cm.data).toEqual({ k: s, 'k.yaml': s });
  });

  it('passes every data, label and annotation value through unchanged (property: equals the hand-built object)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(dataKey, tricky, { maxKeys: 5 }),
        fc.dictionary(labelKey, tricky, { maxKeys: 3 }),
        fc.dictionary(labelKey, tricky, { maxKeys: 3 }),
        (data, labels, annotations) => {
          const expected = canonicalManifest({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'cm', namespace: 'ns', labels: orNone(labels), annotations: orNone(annotations) },
            data: orNone(data),
            immutable: false,
          });
          const got = configMapManifest({ name: 'cm', namespace: 'ns', labels, annotations, data });
          expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(expected)));
        },
      ),
      { numRuns: FC_RUNS },
    );
  });
});

describe('core objects: validity and determinism', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: [] });
  });
  const saved = process.env.CDK8S_DISABLE_SORT;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK8S_DISABLE_SORT;
    else process.env.CDK8S_DISABLE_SORT = saved;
  });

  it('validates against the core v1 schemas', () => {
    expect(v.validate(namespaceManifest({ name: 'platform', labels: { 'spaces.upbound.io/group': 'true' } }))).toEqual([]);
    expect(v.validate(configMapManifest({ name: 'values', namespace: 'flux-system', data: { 'values.yaml': 'a: 1\n' } }))).toEqual([]);
  });

  it('renders the same bytes whatever CDK8S_DISABLE_SORT says (the order is ours, not cdk8s’s)', () => {
    const props = { name: 'c', namespace: 'n', labels: { z: '1', a: '2' }, annotations: { y: '1', b: '2' }, data: { z: '1', a: '2' } };
    delete process.env.CDK8S_DISABLE_SORT;
    const sorted = JSON.stringify([configMapManifest(props), namespaceManifest(props)]);
    process.env.CDK8S_DISABLE_SORT = '1';
    expect(JSON.stringify([configMapManifest(props), namespaceManifest(props)])).toBe(sorted);
  });

  it('adds nothing to the user’s construct tree: the cdk8s-plus constructs live in a scratch app', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const { group } = minimal(app);
    const before = app.node.findAll().map((c) => c.node.path);
    const out = app.compile();
    expect(out.manifests.some((m) => (m.object as { kind?: string }).kind === 'Namespace')).toBe(true);
    expect(app.node.findAll().map((c) => c.node.path)).toEqual(before);
    expect(group.node.children.filter((c) => !(c instanceof Group)).map((c) => c.node.id)).not.toContain('namespace');
    // A second compile of the same app gives the same objects (nothing collides in the tree).
    expect(JSON.stringify(app.compile().manifests.map((m) => m.object))).toBe(JSON.stringify(out.manifests.map((m) => m.object)));
  });
});

describe('cdk8s-plus is loaded on first use, one kind’s module at a time', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'core-objects-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a script in a fresh Node process (tsx), printing the cdk8s-plus files in the require cache after each step. */
  function loadedAfterSteps(): Record<string, string[]> {
    const lib = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, p)).href);
    const script = join(dir, 'probe.ts');
    writeFileSync(
      script,
      [
        `import { createRequire } from 'node:module';`,
        `import { TopologyApp } from ${lib('lib/index.ts')};`,
        `import { lean, minimal } from ${lib('test/fixtures/topologies.ts')};`,
        `import { buildSveltos } from ${lib('examples/sveltos.ts')};`,
        `const cache = createRequire(${lib('lib/output/core-objects.ts')}).cache;`,
        `const loaded = () => Object.keys(cache).filter((k) => k.includes('/${CDK8S_PLUS_PACKAGE}/')).map((k) => k.slice(k.indexOf('/${CDK8S_PLUS_PACKAGE}/') + ${CDK8S_PLUS_PACKAGE.length + 2})).sort();`,
        `const steps: Record<string, string[]> = { imported: loaded() };`,
        `const compile = (build: (app: TopologyApp) => unknown) => { const app = new TopologyApp({ outdir: '/nonexistent' }); build(app); app.compile(); };`,
        `compile(lean); steps.noNamespace = loaded();`,
        `compile(minimal); steps.namespace = loaded();`,
        `compile(buildSveltos); steps.sveltos = loaded();`,
        `process.stdout.write(JSON.stringify(steps));`,
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as Record<string, string[]>;
  }

  it('is not loaded by importing the library nor by a topology without managed namespaces; then only the kind’s module', () => {
    const steps = loadedAfterSteps();
    expect(steps.imported).toEqual([]);
    expect(steps.noNamespace).toEqual([]);
    expect(steps.namespace).toContain('lib/namespace.js');
    expect(steps.namespace).not.toContain('lib/index.js');
    expect(steps.namespace).not.toContain('lib/config-map.js');
    expect(steps.sveltos).toContain('lib/config-map.js');
    expect(steps.sveltos).not.toContain('lib/index.js');
  }, 60_000);

  it('is a dependency of the package, pinned exactly (users do not install it; its peers are the app’s cdk8s and constructs)', () => {
    const deps = (pkg as { dependencies: Record<string, string> }).dependencies;
    expect(deps[CDK8S_PLUS_PACKAGE]).toMatch(/^\d+\.\d+\.\d+$/);
    expect((pkg as { peerDependencies: Record<string, string> }).peerDependencies).not.toHaveProperty(CDK8S_PLUS_PACKAGE);
  });
});
