/**
 * The constructs of the model: their defaults, derived values (labels, host namespaces, namespace
 * labels) and the Spaces selectors that `Planes` and `Namespaces` compile to.
 */
import { describe, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  StaticCredentials,
  TopologyApp,
  hostNamespaceFor,
  type SpacesSelector,
} from '../lib/index.js';
import { irsa, uuid } from './fixtures/topologies.js';

function app(): TopologyApp {
  return new TopologyApp({ outdir: 'unused-never-written' });
}

/** A Space with a group, for constructs that need a scope. */
function scaffold() {
  const a = app();
  const dev = new Environment(a, 'dev');
  const prod = new Environment(a, 'prod', { refreshInterval: '15m' });
  const space = new Space(a, 'eks', { cloud: 'aws', identity: irsa() });
  const group = new Group(space, 'platform');
  return { app: a, dev, prod, space, group };
}

describe('Environment', () => {
  it('defaults: name from the id, labels { environment: <name> }, refresh 1h, not production', () => {
    const e = new Environment(app(), 'staging');
    expect(e.name).toBe('staging');
    expect(e.labels).toEqual({ environment: 'staging' });
    expect(e.refreshInterval).toBe('1h');
    expect(e.production).toBe(false);
  });

  it('the default label uses the name, not the id', () => {
    expect(new Environment(app(), 'env-prod', { name: 'prod' }).labels).toEqual({ environment: 'prod' });
  });

  it('explicit labels replace the default (they are not merged with it)', () => {
    const e = new Environment(app(), 'prod', {
      labels: { stage: 'production', 'example.com/tier': 'critical' },
      refreshInterval: '10m',
      production: true,
    });
    expect(e.labels).toEqual({ stage: 'production', 'example.com/tier': 'critical' });
    expect(e.refreshInterval).toBe('10m');
    expect(e.production).toBe(true);
  });

  it('copies its labels: later changes to the props object do not leak in', () => {
    const labels: Record<string, string> = { environment: 'prod' };
    const e = new Environment(app(), 'prod', { labels });
    labels.environment = 'dev';
    expect(e.labels).toEqual({ environment: 'prod' });
  });

  it('Environment.all lists environments in tree order', () => {
    const a = app();
    new Environment(a, 'b');
    new Environment(a, 'a');
    expect(Environment.all(a).map((e) => e.name)).toEqual(['b', 'a']);
  });
});

describe('Space and Group', () => {
  it('Space defaults: name from the id, self-hosted, no identity', () => {
    const s = new Space(app(), 'gke', { cloud: 'gcp' });
    expect(s.name).toBe('gke');
    expect(s.cloud).toBe('gcp');
    expect(s.hosting).toBe('self-hosted');
    expect(s.identity).toBeUndefined();
  });

  it('Group defaults: name from the id, manages its Namespace and ControlPlanes, requires environments', () => {
    const { space, group } = scaffold();
    expect(group.name).toBe('platform');
    expect(group.space).toBe(space);
    expect(group.manageNamespace).toBe(true);
    expect(group.manageControlPlanes).toBe(true);
    expect(group.requireEnvironment).toBe(true);
    expect(group.namespaceLabels).toEqual({});
  });

  it('Group props override the defaults', () => {
    const { space } = scaffold();
    const g = new Group(space, 'g', {
      name: 'team-x',
      manageNamespace: false,
      manageControlPlanes: false,
      requireEnvironment: false,
      namespaceLabels: { team: 'x' },
    });
    expect([g.name, g.manageNamespace, g.manageControlPlanes, g.requireEnvironment]).toEqual(['team-x', false, false, false]);
    expect(g.namespaceLabels).toEqual({ team: 'x' });
  });

  it('members() returns only the group’s own constructs of a type', () => {
    const { space, group, prod } = scaffold();
    const other = new Group(space, 'other');
    const a = new ControlPlane(group, 'a', { environment: prod });
    new ControlPlane(other, 'b', { environment: prod });
    expect(group.members(ControlPlane)).toEqual([a]);
    expect(Group.of(a)).toBe(group);
  });

  it('a construct outside any group cannot find one', () => {
    const { space } = scaffold();
    expect(() => Group.of(space)).toThrow('eks is not inside a Group: create it with a Group as scope.');
  });
});

describe('ControlPlane', () => {
  it('name from the id; carries its environment’s labels merged with its own', () => {
    const { group, prod } = scaffold();
    const p = new ControlPlane(group, 'prod-1', { environment: prod, labels: { region: 'eu-central-1' } });
    expect(p.name).toBe('prod-1');
    expect(p.group).toBe(group);
    expect(p.environment).toBe(prod);
    expect(p.labels).toEqual({ environment: 'prod', region: 'eu-central-1' });
  });

  it('without environment it carries only its own labels', () => {
    const { group } = scaffold();
    expect(new ControlPlane(group, 'p', { labels: { a: 'b' } }).labels).toEqual({ a: 'b' });
    expect(new ControlPlane(group, 'q').labels).toEqual({});
  });

  it('host namespace is mxp-<controlPlaneId>-system, lowercased', () => {
    const { group, prod } = scaffold();
    expect(new ControlPlane(group, 'a', { environment: prod, controlPlaneId: uuid(1) }).hostNamespace).toBe(
      'mxp-00000000-0000-4000-8000-000000000001-system',
    );
    expect(new ControlPlane(group, 'b', { environment: prod, controlPlaneId: '3F1C2A9E-5B7D-4E21-9A0C-6D8E7F1B2C3D' }).hostNamespace).toBe(
      'mxp-3f1c2a9e-5b7d-4e21-9a0c-6d8e7f1b2c3d-system',
    );
    expect(hostNamespaceFor('abc')).toBe('mxp-abc-system');
  });

  it('an explicit hostNamespace wins over the controlPlaneId; neither means unknown', () => {
    const { group, prod } = scaffold();
    const p = new ControlPlane(group, 'a', { environment: prod, controlPlaneId: uuid(1), hostNamespace: 'mxp-a-system' });
    expect(p.hostNamespace).toBe('mxp-a-system');
    expect(p.explicitHostNamespace).toBe('mxp-a-system');
    const q = new ControlPlane(group, 'b', { environment: prod });
    expect(q.hostNamespace).toBeUndefined();
    expect(q.explicitHostNamespace).toBeUndefined();
  });

  it('namespaces are sorted by name and carry the implied kubernetes.io/metadata.name label', () => {
    const { group, prod } = scaffold();
    const p = new ControlPlane(group, 'a', {
      environment: prod,
      namespaces: ['team-b', { name: 'crossplane-system' }, { name: 'team-a', labels: { team: 'a' } }],
    });
    p.addNamespace('apps', { tier: 'web' });
    expect(p.namespaces).toEqual([
      { name: 'apps', labels: { tier: 'web', 'kubernetes.io/metadata.name': 'apps' } },
      { name: 'crossplane-system', labels: { 'kubernetes.io/metadata.name': 'crossplane-system' } },
      { name: 'team-a', labels: { team: 'a', 'kubernetes.io/metadata.name': 'team-a' } },
      { name: 'team-b', labels: { 'kubernetes.io/metadata.name': 'team-b' } },
    ]);
  });

  it('the implied name label cannot be spoofed by a declared label', () => {
    const { group, prod } = scaffold();
    const p = new ControlPlane(group, 'a', {
      environment: prod,
      namespaces: [{ name: 'apps', labels: { 'kubernetes.io/metadata.name': 'kube-system' } }],
    });
    expect(p.namespaces[0]?.labels).toEqual({ 'kubernetes.io/metadata.name': 'apps' });
  });

  it('ControlPlane.all lists planes of every group in tree order', () => {
    const { app: a, space, group, prod } = scaffold();
    const other = new Group(space, 'other');
    new ControlPlane(group, 'z', { environment: prod });
    new ControlPlane(other, 'a', { environment: prod });
    expect(ControlPlane.all(a).map((p) => p.node.path)).toEqual(['eks/platform/z', 'eks/other/a']);
  });
});

describe('Planes and Namespaces compile to Spaces selectors', () => {
  /** Exactly one of names / labelSelectors, non-empty: never both, never neither. */
  function expectOneKind(sel: SpacesSelector): void {
    const keys = Object.keys(sel);
    expect(keys).toHaveLength(1);
    expect(['names', 'labelSelectors']).toContain(keys[0]);
    expect((sel.names ?? sel.labelSelectors ?? []).length).toBeGreaterThan(0);
  }

  it('Planes.inEnvironments: one matchLabels selector per environment, sorted, deduplicated', () => {
    const { app: a, dev, prod } = scaffold();
    const staging = new Environment(a, 'staging', { labels: { stage: 'staging', 'example.com/zone': 'b' } });
    const sel = Planes.inEnvironments(prod, staging, dev, prod).toSelector();
    expect(sel).toEqual({
      labelSelectors: [
        { matchLabels: { environment: 'dev' } },
        { matchLabels: { environment: 'prod' } },
        { matchLabels: { 'example.com/zone': 'b', stage: 'staging' } },
      ],
    });
    expect(Object.keys(sel.labelSelectors?.[2]?.matchLabels ?? {})).toEqual(['example.com/zone', 'stage']);
    expectOneKind(sel);
    expect(Planes.inEnvironments(prod, dev).environments).toEqual([prod, dev]);
    expect(Planes.inEnvironments(prod, dev).describe()).toBe('environments prod, dev');
    expect(Planes.inEnvironments(prod).describe()).toBe('environment prod');
  });

  it('Planes.named: the plane names, sorted and deduplicated', () => {
    const { group, prod } = scaffold();
    const b = new ControlPlane(group, 'b', { environment: prod });
    const a = new ControlPlane(group, 'a-id', { name: 'a', environment: prod });
    const sel = Planes.named(b, a, b).toSelector();
    expect(sel).toEqual({ names: ['a', 'b'] });
    expectOneKind(sel);
    expect(Planes.named(a).environments).toEqual([]);
    expect(Planes.named(a, b).describe()).toBe('names [a, b]');
  });

  it('Planes.matching: label selectors normalized (keys, expressions and values sorted)', () => {
    const sel = Planes.matching(
      { matchLabels: { tier: 'gold', region: 'eu' } },
      {
        matchExpressions: [
          { key: 'region', operator: 'NotIn', values: ['us', 'ap'] },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
    ).toSelector();
    expect(JSON.stringify(sel)).toBe(
      JSON.stringify({
        labelSelectors: [
          {
            matchExpressions: [
              { key: 'legacy', operator: 'DoesNotExist' },
              { key: 'region', operator: 'NotIn', values: ['ap', 'us'] },
            ],
          },
          { matchLabels: { region: 'eu', tier: 'gold' } },
        ],
      }),
    );
    expectOneKind(sel);
  });

  it('Namespaces.named and Namespaces.matching', () => {
    const named = Namespaces.named('team-b', 'crossplane-system', 'team-b').toSelector();
    expect(named).toEqual({ names: ['crossplane-system', 'team-b'] });
    expectOneKind(named);
    const matching = Namespaces.matching({ matchExpressions: [{ key: 'team', operator: 'In', values: ['b', 'a'] }] }).toSelector();
    expect(matching).toEqual({ labelSelectors: [{ matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b'] }] }] });
    expectOneKind(matching);
    expect(Namespaces.named('a', 'b').describe()).toBe('names [a, b]');
    expect(Namespaces.matching({ matchLabels: { team: 'a' } }).describe()).toBe('labels team=a');
  });

  it('is deterministic: the same selection in any order gives the same JSON text', () => {
    const { app: a, dev, prod, group } = scaffold();
    const staging = new Environment(a, 'staging');
    const envOrders = [
      [dev, prod, staging],
      [staging, dev, prod],
      [prod, staging, dev],
    ];
    expect(new Set(envOrders.map((o) => JSON.stringify(Planes.inEnvironments(...o).toSelector()))).size).toBe(1);
    const [x, y] = [new ControlPlane(group, 'x', { environment: dev }), new ControlPlane(group, 'y', { environment: dev })];
    expect(JSON.stringify(Planes.named(y, x).toSelector())).toBe(JSON.stringify(Planes.named(x, y).toSelector()));
    const s1 = Planes.matching({ matchLabels: { a: '1', b: '2' } }, { matchLabels: { c: '3' } }).toSelector();
    const s2 = Planes.matching({ matchLabels: { c: '3' } }, { matchLabels: { b: '2', a: '1' } }).toSelector();
    expect(JSON.stringify(s1)).toBe(JSON.stringify(s2));
    expect(JSON.stringify(Namespaces.named('b', 'a').toSelector())).toBe(JSON.stringify(Namespaces.named('a', 'b').toSelector()));
  });

  it('never mixes names and labelSelectors, for every kind of selection', () => {
    const { dev, prod, group } = scaffold();
    const p = new ControlPlane(group, 'p', { environment: dev });
    for (const sel of [
      Planes.inEnvironments(dev, prod).toSelector(),
      Planes.named(p).toSelector(),
      Planes.matching({ matchLabels: { a: 'b' } }, {}).toSelector(),
      Namespaces.named('a').toSelector(),
      Namespaces.matching({ matchLabels: { a: 'b' } }).toSelector(),
    ]) {
      expectOneKind(sel);
    }
  });
});

describe('SecretStore and SharedSecret', () => {
  function storeIn(group: Group, prod: Environment) {
    return new SecretStore(group, 'sm', {
      provider: new AwsSecretsManager({ region: 'eu-central-1' }),
      planes: Planes.inEnvironments(prod),
      namespaces: Namespaces.named('crossplane-system'),
    });
  }

  it('store: name from the id; uses workload identity exactly when it has no credentials', () => {
    const { group, prod } = scaffold();
    const s = storeIn(group, prod);
    expect(s.name).toBe('sm');
    expect(s.group).toBe(group);
    expect(s.usesWorkloadIdentity).toBe(true);
    const t = new SecretStore(group, 't', {
      provider: new AwsSecretsManager({ region: 'eu-central-1', credentials: StaticCredentials.awsAccessKey({ secretName: 'k' }) }),
      planes: Planes.inEnvironments(prod),
      namespaces: Namespaces.named('a'),
    });
    expect(t.usesWorkloadIdentity).toBe(false);
  });

  it('secret defaults: name from the id, the store’s reach, a target Secret of its own name', () => {
    const { group, prod } = scaffold();
    const store = storeIn(group, prod);
    const s = new SharedSecret(group, 'db', { store, data: [{ secretKey: 'password', remoteKey: 'prod/db' }] });
    expect(s.name).toBe('db');
    expect(s.group).toBe(group);
    expect(s.planes).toBe(store.planes);
    expect(s.namespaces).toBe(store.namespaces);
    expect(s.targetName).toBe('db');
    expect(s.target).toEqual({});
    expect(s.refreshInterval).toBeUndefined();
    expect(s.refreshPolicy).toBeUndefined();
    expect(s.usesFind).toBe(false);
  });

  it('secret overrides: own name, reach and target name', () => {
    const { group, prod } = scaffold();
    const store = storeIn(group, prod);
    const planes = Planes.inEnvironments(prod);
    const namespaces = Namespaces.named('a');
    const s = new SharedSecret(group, 'id', {
      name: 'db',
      store,
      planes,
      namespaces,
      target: { name: 'db-credentials' },
      data: [{ secretKey: 'k', remoteKey: 'r' }],
    });
    expect([s.name, s.targetName]).toEqual(['db', 'db-credentials']);
    expect(s.planes).toBe(planes);
    expect(s.namespaces).toBe(namespaces);
  });

  it('addData and addDataFrom append (after the props’ entries) and copy the entry', () => {
    const { group, prod } = scaffold();
    const entry = { secretKey: 'b', remoteKey: 'rb' };
    const s = new SharedSecret(group, 'db', { store: storeIn(group, prod), data: [{ secretKey: 'a', remoteKey: 'ra' }] });
    expect(s.addData(entry)).toBe(s);
    (entry as { remoteKey: string }).remoteKey = 'changed';
    s.addDataFrom({ extract: { key: 'bundle' } }).addDataFrom({ find: { path: 'prod/' } });
    expect(s.data).toEqual([
      { secretKey: 'a', remoteKey: 'ra' },
      { secretKey: 'b', remoteKey: 'rb' },
    ]);
    expect(s.dataFrom).toEqual([{ extract: { key: 'bundle' } }, { find: { path: 'prod/' } }]);
    expect(s.usesFind).toBe(true);
  });
});
