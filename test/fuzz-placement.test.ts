/**
 * Property: random topologies with random selectors land where an independent reference
 * evaluation of the Spaces selectors says (test/fuzz-support.ts, written from the Kubernetes and
 * Spaces semantics, not from lib/). When the reference predicts a valid topology (every store and
 * secret reaches a plane and a namespace, every secret only where its store is usable), compile()
 * succeeds, twice to the same bytes, and the manifests validate against the Spaces v1.17 CRDs;
 * otherwise it throws a TopologyError, never another exception.
 *
 * The guardrails are opted out here (this is about placement; the guardrails have their own
 * tests) and the stores use static credentials, so no cloud identity is planned.
 */
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  GUARDRAIL_IDS,
  Group,
  Guardrails,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  StaticCredentials,
  TopologyApp,
  TopologyError,
  type LabelSelector,
  type PlacementRecord,
} from '../lib/index.js';
import { Placement } from '../lib/resolve/placement.js';
import { fcParams, expectSameFiles, expectValidManifests, refReach, type RefPlane, type RefSelector } from './fuzz-support.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';

// ---------------------------------------------------------------------------------------------
// The spec (plain data) and its arbitrary

const ENVS = ['dev', 'staging', 'prod'] as const;
const NAMESPACES = ['crossplane-system', 'team-a', 'team-b', 'team-c'] as const;
const SELECTOR_KEYS = ['environment', 'tier', 'region', 'team', 'consumer', 'kubernetes.io/metadata.name'] as const;
const SELECTOR_VALUES = [
  'dev',
  'staging',
  'prod',
  'gold',
  'silver',
  'eu',
  'us',
  'a',
  'b',
  'true',
  'false',
  'team-a',
  'crossplane-system',
] as const;

type Sel = {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
};
type PlanesSpec =
  | { readonly kind: 'env'; readonly envs: number[] }
  | { readonly kind: 'named'; readonly planes: number[] }
  | { readonly kind: 'matching'; readonly selectors: Sel[] };
type NamespacesSpec = { readonly kind: 'named'; readonly names: string[] } | { readonly kind: 'matching'; readonly selectors: Sel[] };
interface PlaneSpec {
  readonly env: number;
  readonly labels: Record<string, string>;
  readonly namespaces: { name: string; labels: Record<string, string> }[];
}
interface StoreSpec {
  readonly planes: PlanesSpec;
  readonly namespaces: NamespacesSpec;
}
interface SecretSpec {
  readonly store: number;
  readonly planes?: PlanesSpec;
  readonly namespaces?: NamespacesSpec;
}
interface GroupSpec {
  readonly planes: PlaneSpec[];
  readonly stores: StoreSpec[];
  readonly secrets: SecretSpec[];
}
interface Spec {
  readonly groups: GroupSpec[];
}

const dict = <T>(keys: readonly string[], value: fc.Arbitrary<T>, maxKeys: number) =>
  fc.dictionary(fc.constantFrom(...keys), value, { maxKeys, noNullPrototype: true });

const requirement = fc.oneof(
  fc.record({
    key: fc.constantFrom(...SELECTOR_KEYS),
    operator: fc.constantFrom('In' as const, 'NotIn' as const),
    values: fc.uniqueArray(fc.constantFrom(...SELECTOR_VALUES), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({ key: fc.constantFrom(...SELECTOR_KEYS), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
);
const selector: fc.Arbitrary<Sel> = fc.record(
  { matchLabels: dict(SELECTOR_KEYS, fc.constantFrom(...SELECTOR_VALUES), 2), matchExpressions: fc.array(requirement, { maxLength: 2 }) },
  { requiredKeys: [] },
);
const planesSpec: fc.Arbitrary<PlanesSpec> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('env' as const),
      envs: fc.uniqueArray(fc.nat(ENVS.length - 1), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('named' as const), planes: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 3 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('matching' as const), selectors: fc.array(selector, { minLength: 1, maxLength: 2 }) }),
  },
);
const namespacesSpec: fc.Arbitrary<NamespacesSpec> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('named' as const),
      names: fc.uniqueArray(fc.constantFrom(...NAMESPACES), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('matching' as const), selectors: fc.array(selector, { minLength: 1, maxLength: 2 }) }),
  },
);
/** A secret's own selection: mostly none (it inherits its store's), so that many topologies are valid. */
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
const planeSpec: fc.Arbitrary<PlaneSpec> = fc.record({
  env: fc.nat(ENVS.length - 1),
  labels: fc.record({ tier: fc.constantFrom('gold', 'silver'), region: fc.constantFrom('eu', 'us') }, { requiredKeys: [] }),
  namespaces: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(...NAMESPACES),
      labels: fc.record({ team: fc.constantFrom('a', 'b'), consumer: fc.constantFrom('true', 'false') }, { requiredKeys: [] }),
    }),
    { minLength: 1, maxLength: 4, selector: (n) => n.name },
  ),
});
const groupSpec: fc.Arbitrary<GroupSpec> = fc.record({
  planes: fc.array(planeSpec, { minLength: 1, maxLength: 4 }),
  stores: fc.array(fc.record({ planes: planesSpec, namespaces: namespacesSpec }), { minLength: 1, maxLength: 2 }),
  secrets: fc.array(fc.record({ store: fc.nat(2), planes: maybe(planesSpec), namespaces: maybe(namespacesSpec) }), { maxLength: 3 }),
});
const spec: fc.Arbitrary<Spec> = fc.record({ groups: fc.array(groupSpec, { minLength: 1, maxLength: 2 }) });

// ---------------------------------------------------------------------------------------------
// Building it with lib/, and the reference

const uniq = (xs: number[], n: number): number[] => [...new Set(xs.map((x) => x % n))];

function build(app: TopologyApp, s: Spec): void {
  Guardrails.allow(app, [...GUARDRAIL_IDS], 'property test of placement: guardrails are tested elsewhere');
  const envs = ENVS.map((e) => new Environment(app, e));
  const space = new Space(app, 'fz', { cloud: 'aws' });
  s.groups.forEach((g, gi) => {
    const group = new Group(space, `g${gi}`);
    const planes = g.planes.map(
      (p, i) => new ControlPlane(group, `p${i}`, { environment: envs[p.env], labels: p.labels, namespaces: p.namespaces }),
    );
    const planesOf = (ps: PlanesSpec): Planes => {
      if (ps.kind === 'env') return Planes.inEnvironments(...ps.envs.map((e) => envs[e]));
      if (ps.kind === 'named') return Planes.named(...uniq(ps.planes, planes.length).map((i) => planes[i]));
      return Planes.matching(...(ps.selectors as LabelSelector[]));
    };
    const namespacesOf = (ns: NamespacesSpec): Namespaces =>
      ns.kind === 'named' ? Namespaces.named(...ns.names) : Namespaces.matching(...(ns.selectors as LabelSelector[]));
    const stores = g.stores.map(
      (st, i) =>
        new SecretStore(group, `s${i}`, {
          provider: new AwsSecretsManager({
            region: 'eu-central-1',
            credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-credentials' }),
          }),
          planes: planesOf(st.planes),
          namespaces: namespacesOf(st.namespaces),
        }),
    );
    g.secrets.forEach((x, i) => {
      new SharedSecret(group, `x${i}`, {
        store: stores[x.store % stores.length],
        planes: x.planes && planesOf(x.planes),
        namespaces: x.namespaces && namespacesOf(x.namespaces),
        data: [{ secretKey: 'value', remoteKey: `prod/x${i}` }],
      });
    });
  });
}

/** The selectors, derived from the spec by the reference (not by lib's toSelector()). */
function refPlanesSelector(ps: PlanesSpec, nPlanes: number): RefSelector {
  if (ps.kind === 'env') return { labelSelectors: ps.envs.map((e) => ({ matchLabels: { environment: ENVS[e] } })) };
  if (ps.kind === 'named') return { names: uniq(ps.planes, nPlanes).map((i) => `p${i}`) };
  return { labelSelectors: ps.selectors };
}
function refNamespacesSelector(ns: NamespacesSpec): RefSelector {
  return ns.kind === 'named' ? { names: ns.names } : { labelSelectors: ns.selectors };
}

interface Reference {
  readonly records: PlacementRecord[];
  /** Whether the checks should pass (reach and store coverage). */
  readonly valid: boolean;
}

function reference(s: Spec): Reference {
  const records: PlacementRecord[] = [];
  let valid = true;
  const reaches = (r: ReturnType<typeof refReach>): boolean => r.length > 0 && r.some((x) => x.namespaces.length > 0);
  s.groups.forEach((g, gi) => {
    const group = `g${gi}`;
    const planes: RefPlane[] = g.planes.map((p, i) => ({
      name: `p${i}`,
      environment: ENVS[p.env],
      labels: { environment: ENVS[p.env], ...p.labels },
      namespaces: new Map(p.namespaces.map((n) => [n.name, n.labels])),
    }));
    const record = (kind: PlacementRecord['kind'], name: string, reach: ReturnType<typeof refReach>): PlacementRecord => ({
      kind,
      space: 'fz',
      group,
      name,
      path: `fz/${group}/${name}`,
      planes: reach.map((r) => ({ plane: r.plane, environment: r.environment, namespaces: [...r.namespaces] })),
    });
    const storeReach = g.stores.map((st, i) => {
      const reach = refReach(planes, refPlanesSelector(st.planes, planes.length), refNamespacesSelector(st.namespaces));
      records.push(record('SharedSecretStore', `s${i}`, reach));
      if (!reaches(reach)) valid = false;
      return reach;
    });
    g.secrets.forEach((x, i) => {
      const si = x.store % g.stores.length;
      const st = g.stores[si];
      const reach = refReach(
        planes,
        refPlanesSelector(x.planes ?? st.planes, planes.length),
        refNamespacesSelector(x.namespaces ?? st.namespaces),
      );
      records.push(record('SharedExternalSecret', `x${i}`, reach));
      if (!reaches(reach)) valid = false;
      const served = new Map((storeReach[si] ?? []).map((r) => [r.plane, new Set(r.namespaces)]));
      for (const r of reach) {
        const ns = served.get(r.plane);
        if (!ns || r.namespaces.some((n) => !ns.has(n))) valid = false;
      }
    });
  });
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  records.sort((a, b) => cmp(a.space, b.space) || cmp(a.group, b.group) || cmp(a.kind, b.kind) || cmp(a.name, b.name));
  return { records, valid };
}

// ---------------------------------------------------------------------------------------------

describeWithCrds(
  'property: placement equals the reference evaluation; valid topologies compile deterministically to CRD-valid manifests',
  () => {
    let crds: CrdValidator;
    beforeAll(async () => {
      crds = await CrdValidator.load({ include: ['spaces/v1.17'] });
    });

    it('random topologies and selectors: placement equals the reference; invalid ones throw a TopologyError', () => {
      fc.assert(
        fc.property(spec, (s) => {
          const ref = reference(s);
          const app = new TopologyApp({ outdir: 'never-written' });
          build(app, s);
          expect(Placement.compute(app).toRecords()).toEqual(ref.records);
          if (ref.valid) expect(app.compile().placement.toRecords()).toEqual(ref.records);
          else expect(() => app.compile()).toThrow(TopologyError);
        }),
        fcParams,
      );
    });

    it('random valid topologies: compile twice to the same bytes, CRD-valid manifests', () => {
      // About a fifth of the random specs are valid; filter on the reference's prediction.
      const valid = spec.filter((s) => reference(s).valid);
      fc.assert(
        fc.property(valid, (s) => {
          const app = new TopologyApp({ outdir: 'never-written' });
          build(app, s);
          const first = app.compile();
          expect(first.placement.toRecords()).toEqual(reference(s).records);
          const again = new TopologyApp({ outdir: 'never-written' });
          build(again, s);
          expectSameFiles(first, again.compile());
          expectValidManifests(first, crds);
        }),
        fcParams,
      );
    });
  },
);
