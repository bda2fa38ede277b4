/**
 * The import's round trip: topology → synth → YAML → import → generated TypeScript → run that file
 * → synth → the same objects. "The same" is checked twice: by the import's definition of
 * equivalence (lib/import/equivalence.ts, docs/import.md) and, independently of it, byte for byte
 * where no delivery annotation is involved (every Shared*, ESO, and, without GitOps delivery,
 * ControlPlane and group Namespace file).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopologyApp, TopologyError, type Compilation } from '../lib/index.js';
import { compareObjects, outputObjects, readInputFiles, type ImportResult } from '../lib/import/index.js';
import { ItemList } from '../lib/import/items.js';
import { buildGitOps } from '../examples/gitops.js';
import { buildPlainEso } from '../examples/plain-eso.js';
import { buildSveltos } from '../examples/sveltos.js';
import { buildExample } from '../main.js';
import { generateTopology, type GeneratorOptions } from './fixtures/generator.js';
import { fcParams } from './fuzz-support.js';
import { buildImportTopology, importTopologyArb } from './fixtures/import-topologies.js';
import { importInto, runGenerated, scratchDir, yamlFiles } from './support/import.js';

/** Kinds the import maps, by `apiVersion kind`. */
const IMPORTED =
  /^(spaces\.upbound\.io\/v1alpha1 Shared(SecretStore|ExternalSecret)|spaces\.upbound\.io\/v1beta1 ControlPlane|v1 Namespace|external-secrets\.io\/v1(alpha1)? (ClusterSecretStore|SecretStore|ExternalSecret|ClusterExternalSecret|PushSecret))$/;
/** The kinds whose files carry no delivery annotation. */
const NEVER_ANNOTATED = /^(spaces\.upbound\.io\/v1alpha1 Shared|external-secrets\.io\/)/;

/** Path → YAML text of every object of an imported kind (Cloud Space wrappers excluded). */
function importedFiles(c: Compilation, kinds = IMPORTED): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of c.manifests) {
    const o = m.object as { apiVersion?: string; kind?: string };
    if (m.path.includes('/cloud-objects/') || !kinds.test(`${o.apiVersion} ${o.kind}`)) continue;
    out.set(m.path, c.files.get(m.path) ?? '');
  }
  return out;
}

function compile(build: (app: TopologyApp) => unknown): Compilation {
  const app = new TopologyApp({ outdir: 'never-written' });
  build(app);
  return app.compile();
}

/** Asserts the round trip of `first` through `result`: equivalent by the import's definition and byte-equal where no annotation differs. */
async function expectRoundTrip(first: Compilation, result: ImportResult, dir: string, byteEqual: RegExp): Promise<Compilation> {
  expect(result.problems).toEqual([]);
  const second = (await runGenerated(result.code, dir)).compile();
  const before = outputObjects(first.manifests).map((o) => ({
    key: o.key,
    value: o.value,
    object: o.key.name,
    source: '',
    unmappedPaths: [],
  }));
  expect(compareObjects(before, outputObjects(second.manifests))).toEqual([]);
  const a = importedFiles(first, byteEqual);
  const b = importedFiles(second, byteEqual);
  expect([...b.keys()]).toEqual([...a.keys()]);
  for (const [path, text] of a) expect(b.get(path), path).toBe(text);
  return second;
}

const generatorOptions: fc.Arbitrary<GeneratorOptions> = fc.record({
  planes: fc.integer({ min: 1, max: 16 }),
  secrets: fc.integer({ min: 0, max: 40 }),
  environments: fc.integer({ min: 1, max: 5 }),
  groupsPerSpace: fc.integer({ min: 1, max: 3 }),
  identities: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('import round trip', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => {
    ({ dir, remove } = scratchDir());
  });
  afterAll(() => remove());

  it('property: generated topologies come back as the same objects, byte for byte, with nothing unmapped', async () => {
    await fc.assert(
      fc.asyncProperty(generatorOptions, async (o) => {
        const first = compile((app) => generateTopology(app, o));
        const result = importInto(yamlFiles(first), dir);
        expect(result.items.filter((i) => i.severity === 'unmapped')).toEqual([]);
        // Review items are placeholders only: the workload identity and what it needs.
        for (const i of result.items.filter((x) => x.severity === 'review')) expect(i.reason).toMatch(/placeholder/);
        await expectRoundTrip(first, result, dir, IMPORTED);
      }),
      { ...fcParams, numRuns: Math.max(1, Math.ceil(fcParams.numRuns / 3)) },
    );
  });

  it('property: topologies with every mapped prop (and hostile template strings) come back as the same objects, byte for byte', async () => {
    let skipped = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(importTopologyArb, async (spec) => {
        runs++;
        let first: Compilation;
        try {
          first = compile((app) => buildImportTopology(app, spec));
        } catch (e) {
          if (!(e instanceof TopologyError)) throw e;
          skipped++;
          fc.pre(false);
          return;
        }
        const result = importInto(yamlFiles(first), dir);
        expect(result.items.filter((i) => i.severity === 'unmapped')).toEqual([]);
        expect(result.items.filter((i) => /differs|synthesized/.test(i.reason))).toEqual([]);
        await expectRoundTrip(first, result, dir, IMPORTED);
      }),
      { ...fcParams, numRuns: Math.max(1, Math.ceil(fcParams.numRuns / 2)) },
    );
    // The arbitrary is built to be valid: most runs reach the import.
    expect(skipped).toBeLessThan(Math.max(2, runs / 4));
  });

  it('placeholders are unique over the topology: Spaces never share a made-up principal (100 planes over 9 Spaces)', () => {
    const result = importInto(yamlFiles(compile((app) => generateTopology(app, { planes: 100, seed: 1 }))), dir);
    expect(result.problems).toEqual([]);
    // AWS placeholders: Pod Identity names a cluster, IRSA (stores with the documented jwt reference) an issuer.
    const clusters = [...result.code.matchAll(/(?:clusterName|oidcIssuer): '([^']+)'/g)].map((m) =>
      m[1].replace(/^https:\/\/|\.invalid$/g, ''),
    );
    const identities = [...result.code.matchAll(/identityName: '([^']+)'/g)].map((m) => m[1]);
    const pools = [...result.code.matchAll(/gcpWorkloadIdentity\(\{ projectId: '([^']+)'/g)].map((m) => m[1]);
    const ids = [...result.code.matchAll(/controlPlaneId: '(00000000-[^']+)'/g)].map((m) => m[1]);
    for (const list of [clusters, identities, pools, ids]) {
      expect(list.length).toBeGreaterThan(1);
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('the committed dist/ comes back as the same objects (Argo CD wiring listed as unmapped)', async () => {
    const items = new ItemList();
    const result = importInto(readInputFiles(['dist'], process.cwd(), items), dir, {}, items);
    const unmapped = result.items.filter((i) => i.severity === 'unmapped');
    expect(unmapped.length).toBeGreaterThan(0);
    for (const i of unmapped) expect(i.object).toMatch(/^Application argocd\//);
    await expectRoundTrip(compile(buildExample), result, dir, NEVER_ANNOTATED);
  });

  it('main.ts comes back as a topology that reads like it: environments with their refresh intervals, inEnvironments, named planes', () => {
    const result = importInto(yamlFiles(compile(buildExample)), dir);
    expect(result.code).toContain("const prod = new Environment(app, 'prod', { production: true, refreshInterval: '15m' });");
    expect(result.code).toContain('planes: Planes.inEnvironments(staging),');
    expect(result.code).toContain('planes: Planes.named(euProd1),');
    expect(result.code).toContain("namespaces: Namespaces.matching({ matchLabels: { 'secrets.example.com/consumer': 'true' } }),");
    // Secrets whose interval is their environment's leave it out, the others keep it.
    expect(result.code).not.toMatch(/'stripe-api-key', \{[^}]*refreshInterval/);
    expect(result.code).toMatch(/'team-config', \{\s+store: awsPsProd,\s+refreshInterval: '1h',/);
  });

  it.each([
    ['plain ESO', buildPlainEso],
    ['GitOps with Argo CD (a Cloud Space and an ESO cluster)', (app: TopologyApp) => buildGitOps(app, 'argocd')],
    ['GitOps with Flux', (app: TopologyApp) => buildGitOps(app, 'flux')],
    ['Sveltos', buildSveltos],
  ] as const)('examples: %s comes back as the same objects (delivery and Sveltos objects listed as unmapped)', async (_name, build) => {
    const first = compile(build);
    const result = importInto(yamlFiles(first), dir);
    for (const i of result.items.filter((x) => x.severity === 'unmapped'))
      expect(i.reason).toMatch(/^(GitOps delivery|Sveltos objects|ConfigMaps) /);
    await expectRoundTrip(first, result, dir, NEVER_ANNOTATED);
  });

  it('a Cloud Space is recognized from its provider-kubernetes wrappers', () => {
    const result = importInto(yamlFiles(compile((app) => buildGitOps(app, 'argocd'))), dir);
    expect(result.code).toMatch(/new Space\(app, 'upbound-us', \{ cloud: 'gcp', hosting: 'cloud' \}\)/);
  });
});
