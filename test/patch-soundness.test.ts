/**
 * The escape hatch cannot open a hole in the access analysis: for random sequences of JSON patch
 * operations (every op, hostile and benign pointers, escapes, array indices, `-`, values of every
 * type) on random constructs of the GitOps example, either synthesis is refused with patch
 * problems only, or the output equals the unpatched output except for labels and annotations the
 * compiler did not write, on kinds that no selector matches, outside the controllers' domains;
 * the report (the access analysis) and every non-object file are byte-identical. The patched
 * objects of an accepted run validate against the real CRD schemas and CEL rules.
 */
import { JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGitOps } from '../examples/gitops.js';
import { SecretStore, TopologyApp, TopologyError, type Compilation, type ObjectSelector } from '../lib/index.js';
import { LABEL_SELECTED_KINDS, reservedDomainOf } from '../lib/compile/patch.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';

type Json = Record<string, any>;
type Patchable = IConstruct & {
  addJsonPatch(...ops: JsonPatch[]): void;
  addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void;
};

const RUNS = Number(process.env.FC_RUNS ?? 120);

const PATHS = [
  '/metadata/labels/a',
  '/metadata/labels/example.com~1team',
  '/metadata/labels/environment',
  '/metadata/labels/app.kubernetes.io~1managed-by',
  '/metadata/annotations/example.com~1x',
  '/metadata/annotations/argocd.argoproj.io~1sync-wave',
  '/metadata/annotations/argocd.argoproj.io~1sync-options',
  '/metadata/annotations/kustomize.toolkit.fluxcd.io~1prune',
  '/metadata/annotations/__proto__',
  '/metadata/annotations/x~0y',
  '/metadata/labels',
  '/metadata/annotations',
  '/metadata/name',
  '/metadata/namespace',
  '/metadata~1labels',
  '/metadata/labels~1x',
  '/metadata/annotations/a/b',
  '/spec',
  '/spec/provider',
  '/spec/provider/aws/region',
  '/spec/controlPlaneSelector',
  '/spec/namespaceSelector/names/0',
  '/spec/namespaceSelector/names/-',
  '/spec/externalSecretSpec/data/0/remoteRef/key',
  '/spec/externalSecretSpec/refreshInterval',
  '/spec/destination/namespace',
  '/spec/path',
  '/kind',
  '',
];
const VALUES: unknown[] = ['v', 'prod', '', 'x y', '5', 3, true, null, {}, { a: 'b' }, ['x'], { 'example.com/k': 'v' }];
const SELECTORS: (ObjectSelector | undefined)[] = [
  undefined,
  undefined,
  { kind: 'SharedSecretStore' },
  { kind: 'Application' },
  { kind: 'Namespace' },
];

/** Operations that are accepted on most objects. */
const benignArb = fc.record({
  op: fc.constant('add'),
  path: fc.constantFrom('/metadata/annotations/example.com~1x', '/metadata/annotations/y', '/metadata/labels/example.com~1team'),
  value: fc.constantFrom('v', 'a-b', ''),
});

const hostileArb = fc.oneof(
  fc.record({ op: fc.constantFrom('add', 'replace', 'test'), path: fc.constantFrom(...PATHS), value: fc.constantFrom(...VALUES) }),
  fc.record({ op: fc.constant('remove'), path: fc.constantFrom(...PATHS) }),
  fc.record({ op: fc.constantFrom('copy', 'move'), from: fc.constantFrom(...PATHS), path: fc.constantFrom(...PATHS) }),
);

const opArb = fc.oneof({ arbitrary: benignArb, weight: 3 }, { arbitrary: hostileArb, weight: 2 });

type Op = { op: string; path: string; from?: string; value?: unknown };

function toPatch(o: Op): JsonPatch {
  switch (o.op) {
    case 'add':
      return JsonPatch.add(o.path, o.value);
    case 'replace':
      return JsonPatch.replace(o.path, o.value);
    case 'test':
      return JsonPatch.test(o.path, o.value);
    case 'remove':
      return JsonPatch.remove(o.path);
    case 'copy':
      return JsonPatch.copy(o.from ?? '', o.path);
    default:
      return JsonPatch.move(o.from ?? '', o.path);
  }
}

function patchables(app: TopologyApp): Patchable[] {
  return app.node.findAll().filter((c): c is Patchable => typeof (c as Partial<Patchable>).addJsonPatch === 'function');
}

function build(): TopologyApp {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  buildGitOps(app, 'argocd');
  return app;
}

/** The object without the labels and annotations of its metadata. */
function withoutMaps(o: Json): Json {
  const { labels: _l, annotations: _a, ...meta } = o.metadata as Json;
  return { ...o, metadata: meta };
}

/** A Cloud Space wrapper without the object it wraps. */
function withoutWrapped(o: Json): Json {
  const { manifest: _m, ...forProvider } = o.spec.forProvider as Json;
  return { ...o, spec: { ...o.spec, forProvider } };
}

/** Why `after` is not a sound patch of `before` (empty when it is); a Cloud Space wrapper's object is judged as an object. */
function unsound(before: Json, after: Json): string[] {
  const out: string[] = [];
  if (before.kind === 'Object' && before.spec?.forProvider?.manifest) {
    out.push(...unsound(before.spec.forProvider.manifest, after.spec.forProvider.manifest).map((m) => `wrapped: ${m}`));
    return [...out, ...unsound(withoutWrapped(before), withoutWrapped(after))];
  }
  if (JSON.stringify(withoutMaps(before)) !== JSON.stringify(withoutMaps(after))) out.push('changed outside the metadata maps');
  for (const map of ['labels', 'annotations'] as const) {
    const was: Json = before.metadata[map] ?? {};
    const now: Json = after.metadata[map] ?? {};
    for (const [k, v] of Object.entries(was)) if (now[k] !== v) out.push(`compiler ${map} ${k} changed`);
    for (const [k, v] of Object.entries(now)) {
      if (Object.hasOwn(was, k)) continue;
      if (typeof v !== 'string') out.push(`${map} ${k} not a string`);
      if (reservedDomainOf(k)) out.push(`${map} ${k} reserved`);
      if (map === 'labels' && (LABEL_SELECTED_KINDS as readonly string[]).includes(String(before.kind)))
        out.push(`label ${k} on ${before.kind}`);
    }
  }
  return out;
}

describe('patch soundness (property)', () => {
  let plain: Compilation;
  beforeAll(() => {
    plain = build().compile();
  });

  it('either refuses with patch problems only, or changes nothing but new labels and annotations', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ target: fc.nat(), select: fc.constantFrom(...SELECTORS), ops: fc.array(opArb, { minLength: 1, maxLength: 3 }) }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (calls) => {
          const app = build();
          const targets = patchables(app);
          for (const call of calls) {
            const t = targets[call.target % targets.length];
            const ops = call.ops.map(toPatch);
            if (call.select) t.addJsonPatchTo(call.select, ...ops);
            else t.addJsonPatch(...ops);
          }
          let out: Compilation;
          try {
            out = app.compile();
          } catch (e) {
            if (!(e instanceof TopologyError)) throw e;
            refused++;
            for (const p of e.problems) expect(p.message).toMatch(/^JSON patch/);
            return;
          }
          accepted++;
          expect([...out.files.keys()]).toEqual([...plain.files.keys()]);
          const manifests = new Set(plain.manifests.map((m) => m.path));
          for (const [path, text] of plain.files) if (!manifests.has(path)) expect(out.files.get(path), path).toBe(text);
          const after = new Map(out.manifests.map((m) => [m.path, m.object as Json]));
          for (const m of plain.manifests) expect(unsound(m.object as Json, after.get(m.path) ?? {}), m.path).toEqual([]);
        },
      ),
      { numRuns: RUNS, seed: 15 },
    );
    // Both outcomes are exercised.
    expect(accepted).toBeGreaterThan(RUNS / 20);
    expect(refused).toBeGreaterThan(RUNS / 4);
  });

  it("a later call may change a key an earlier call added (the user's key, not the compiler's)", () => {
    const app = build();
    const store = patchables(app).find((c) => c.node.id === 'aws-sm-prod');
    store?.addJsonPatch(JsonPatch.add('/metadata/labels/a', 'b'));
    store?.addJsonPatch(JsonPatch.add('/metadata/labels/a', 'c'));
    expect(app.problems()).toEqual([]);
    expect(
      (app.compile().manifests.find((m) => m.path.endsWith('sharedsecretstore-aws-sm-prod.yaml'))?.object as Json).metadata.labels,
    ).toEqual({ a: 'c' });
  });
});

describeWithCrds('patched objects against the real CRD schemas', () => {
  let validator: CrdValidator;
  beforeAll(async () => {
    validator = await CrdValidator.load({
      include: ['spaces/v1.17', 'external-secrets', 'argo-cd', 'flux', 'sveltos', 'crossplane-providers'],
    });
  });

  it('validates each patched object of the GitOps example (schema and CEL)', () => {
    const app = build();
    for (const c of patchables(app)) {
      c.addJsonPatch(JsonPatch.add('/metadata/annotations/example.com~1owner', 'team-a'));
      // Labels where no selector matches them: the stores' SharedSecretStores.
      if (c instanceof SecretStore) c.addJsonPatch(JsonPatch.add('/metadata/labels/example.com~1team', 'a'));
    }
    const out = app.compile();
    let patched = 0;
    for (const m of out.manifests) {
      const o = m.object as Json;
      if (o.metadata.annotations?.['example.com/owner'] === 'team-a') patched++;
      expect(validator.knows(String(o.apiVersion), String(o.kind)), `${o.apiVersion} ${o.kind}`).toBe(true);
      expect(validator.validate(o), m.path).toEqual([]);
    }
    expect(patched).toBe(out.manifests.length);
    expect(out.manifests.filter((m) => (m.object as Json).metadata.labels?.['example.com/team'] === 'a').length).toBeGreaterThan(1);
  });
});
