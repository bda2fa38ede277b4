/**
 * Compiling topologies: where the derived selectors land (evaluated against the declared planes),
 * refresh intervals, the provider block of every authentication mode, the Shared* objects and the
 * kustomizations, as objects and as rendered YAML.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  Guardrails,
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
  type Compilation,
} from '../lib/index.js';
import { toYaml } from '../lib/output/render.js';
import { effectiveRefreshInterval } from '../lib/resolve/refresh.js';
import { authModes, lean, minimal, selectorMatrix } from './fixtures/topologies.js';

function compileWith<T>(build: (app: TopologyApp) => T): { model: T; out: Compilation } {
  const app = new TopologyApp({ outdir: 'unused-never-written' });
  const model = build(app);
  return { model, out: app.compile() };
}

/** The object of one manifest file. */
function manifest(out: Compilation, path: string): Record<string, any> {
  const m = out.manifests.find((e) => e.path === path);
  if (!m) throw new Error(`no manifest ${path}; have:\n${out.manifests.map((e) => e.path).join('\n')}`);
  return m.object as Record<string, any>;
}

/** The YAML text of a file, parsed back (as YAML 1.1, like kubectl, to catch quoting mistakes). */
function fileObject(out: Compilation, path: string): Record<string, any> {
  const text = out.files.get(path);
  if (text === undefined) throw new Error(`no file ${path}`);
  return parse(text, { version: '1.1' }) as Record<string, any>;
}

describe('placement: selectors evaluated against the declared planes', () => {
  const { model, out } = compileWith(selectorMatrix);

  it('placement.toRecords() is exactly where every store and secret lands', () => {
    const at = (plane: string, environment: string | undefined, ...namespaces: string[]) => ({ plane, environment, namespaces });
    const store = (group: string, name: string, ...planes: ReturnType<typeof at>[]) => ({
      kind: 'SharedSecretStore',
      space: 'fleet-space',
      group,
      name,
      path: `fleet-space/${group}/${name}`,
      planes,
    });
    const secret = (group: string, name: string, ...planes: ReturnType<typeof at>[]) => ({
      kind: 'SharedExternalSecret',
      space: 'fleet-space',
      group,
      name,
      path: `fleet-space/${group}/${name}`,
      planes,
    });
    expect(out.placement.toRecords()).toEqual([
      // inEnvironments(dev, staging, prod) + names [crossplane-system]: every plane.
      secret(
        'fleet',
        'base',
        at('dev-eu', 'dev', 'crossplane-system'),
        at('prod-eu', 'prod', 'crossplane-system'),
        at('prod-us', 'prod', 'crossplane-system'),
        at('staging-eu', 'staging', 'crossplane-system'),
      ),
      secret('fleet', 'dev-config', at('dev-eu', 'dev', 'app-a', 'crossplane-system')),
      // the store's planes, namespaces narrowed to team=a.
      secret('fleet', 'eu-team-a', at('dev-eu', 'dev', 'app-a'), at('staging-eu', 'staging', 'app-a')),
      secret('fleet', 'eu-teams', at('dev-eu', 'dev', 'app-a', 'app-b', 'app-c'), at('staging-eu', 'staging', 'app-a')),
      secret('fleet', 'pinned', at('prod-eu', 'prod', 'app-b')),
      secret('fleet', 'team-b', at('prod-eu', 'prod', 'app-b'), at('prod-us', 'prod', 'app-b')),
      store(
        'fleet',
        'all-envs',
        at('dev-eu', 'dev', 'crossplane-system'),
        at('prod-eu', 'prod', 'crossplane-system'),
        at('prod-us', 'prod', 'crossplane-system'),
        at('staging-eu', 'staging', 'crossplane-system'),
      ),
      // environment NotIn (prod) AND legacy DoesNotExist: staging-eu (legacy) is out;
      // team NotIn (b) AND pci DoesNotExist: app-b (team=b) and app-c (pci) are out, unlabelled crossplane-system is in.
      store('fleet', 'dev-only', at('dev-eu', 'dev', 'app-a', 'crossplane-system')),
      // region In (eu) AND environment In (dev, staging): prod-eu and prod-us are out; team Exists: crossplane-system is out.
      store('fleet', 'eu-nonprod', at('dev-eu', 'dev', 'app-a', 'app-b', 'app-c'), at('staging-eu', 'staging', 'app-a')),
      // (prod AND tier=gold) OR (prod AND legacy Exists): staging-eu has legacy but is not prod;
      // team=b OR kubernetes.io/metadata.name In (crossplane-system): app-a is out.
      store('fleet', 'prod-gold', at('prod-eu', 'prod', 'app-b', 'crossplane-system'), at('prod-us', 'prod', 'app-b', 'crossplane-system')),
      secret('sandbox', 'scratch-secret', at('scratch', undefined, 'default')),
      store('sandbox', 'scratch-store', at('scratch', undefined, 'default')),
    ]);
  });

  it('a plane matched with none of its namespaces is reached with an empty namespace list', () => {
    const { model: m, out: o } = compileWith((app) => {
      const prod = new Environment(app, 'prod');
      const g = new Group(new Space(app, 's', { cloud: 'aws' }), 'g');
      new ControlPlane(g, 'a', { environment: prod, namespaces: [{ name: 'apps', labels: { team: 'x' } }] });
      new ControlPlane(g, 'b', { environment: prod, namespaces: ['other'] });
      return new SecretStore(g, 'st', {
        provider: new AwsSecretsManager({ region: 'eu-central-1', credentials: StaticCredentials.awsAccessKey({ secretName: 'k' }) }),
        planes: Planes.inEnvironments(prod),
        namespaces: Namespaces.matching({ matchLabels: { team: 'x' } }),
      });
    });
    expect(o.placement.ofStore(m).map((r) => [r.plane.name, r.namespaces])).toEqual([
      ['a', ['apps']],
      ['b', []],
    ]);
  });

  it('ofStore / ofSecret give the plane constructs, sorted by plane name', () => {
    const reach = out.placement.ofStore(model.stores.allEnvs);
    expect(reach.map((r) => r.plane)).toEqual([model.planes.devEu, model.planes.prodEu, model.planes.prodUs, model.planes.stagingEu]);
    expect(out.placement.ofSecret(model.secrets.pinned).map((r) => r.plane)).toEqual([model.planes.prodEu]);
  });

  it('the emitted selectors are the ones that were evaluated', () => {
    const devOnly = manifest(out, 'spaces/fleet-space/groups/fleet/sharedsecretstore-dev-only.yaml');
    expect(devOnly.spec.controlPlaneSelector).toEqual({
      labelSelectors: [
        {
          matchExpressions: [
            { key: 'environment', operator: 'NotIn', values: ['prod'] },
            { key: 'legacy', operator: 'DoesNotExist' },
          ],
        },
      ],
    });
    expect(devOnly.spec.namespaceSelector).toEqual({
      labelSelectors: [
        {
          matchExpressions: [
            { key: 'pci', operator: 'DoesNotExist' },
            { key: 'team', operator: 'NotIn', values: ['b'] },
          ],
        },
      ],
    });
    const euNonprod = manifest(out, 'spaces/fleet-space/groups/fleet/sharedsecretstore-eu-nonprod.yaml');
    expect(euNonprod.spec.controlPlaneSelector).toEqual({
      labelSelectors: [
        {
          matchExpressions: [
            { key: 'environment', operator: 'In', values: ['dev', 'staging'] },
            { key: 'region', operator: 'In', values: ['eu'] },
          ],
        },
      ],
    });
    expect(euNonprod.spec.namespaceSelector).toEqual({ labelSelectors: [{ matchExpressions: [{ key: 'team', operator: 'Exists' }] }] });
    const prodGold = manifest(out, 'spaces/fleet-space/groups/fleet/sharedsecretstore-prod-gold.yaml');
    expect(prodGold.spec.controlPlaneSelector).toEqual({
      // ordered by JSON text: {"matchLabels":{"environment":"prod","tier"… sorts before …"prod"},"matchExpressions"…
      labelSelectors: [
        { matchLabels: { environment: 'prod', tier: 'gold' } },
        { matchLabels: { environment: 'prod' }, matchExpressions: [{ key: 'legacy', operator: 'Exists' }] },
      ],
    });
    expect(prodGold.spec.namespaceSelector).toEqual({
      labelSelectors: [
        { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['crossplane-system'] }] },
        { matchLabels: { team: 'b' } },
      ],
    });
    const allEnvs = manifest(out, 'spaces/fleet-space/groups/fleet/sharedsecretstore-all-envs.yaml');
    expect(allEnvs.spec.controlPlaneSelector).toEqual({
      labelSelectors: [
        { matchLabels: { environment: 'dev' } },
        { matchLabels: { environment: 'prod' } },
        { matchLabels: { environment: 'staging' } },
      ],
    });
    expect(allEnvs.spec.namespaceSelector).toEqual({ names: ['crossplane-system'] });
    const pinned = manifest(out, 'spaces/fleet-space/groups/fleet/sharedexternalsecret-pinned.yaml');
    expect(pinned.spec.controlPlaneSelector).toEqual({ names: ['prod-eu'] });
    expect(pinned.spec.namespaceSelector).toEqual({ names: ['app-b'] });
    // A secret without its own reach repeats its store's selectors.
    const base = manifest(out, 'spaces/fleet-space/groups/fleet/sharedexternalsecret-base.yaml');
    expect(base.spec.controlPlaneSelector).toEqual(allEnvs.spec.controlPlaneSelector);
    expect(base.spec.namespaceSelector).toEqual(allEnvs.spec.namespaceSelector);
  });

  it('the ControlPlane objects carry exactly the labels the selectors were evaluated against', () => {
    for (const plane of Object.values(model.planes)) {
      const cp = manifest(out, `spaces/fleet-space/groups/${plane.group.name}/controlplane-${plane.name}.yaml`);
      expect(cp.apiVersion).toBe('spaces.upbound.io/v1beta1');
      expect(cp.metadata.name).toBe(plane.name);
      expect(cp.metadata.namespace).toBe(plane.group.name);
      expect(cp.metadata.labels ?? {}).toEqual({ ...plane.labels });
    }
    expect(manifest(out, 'spaces/fleet-space/groups/fleet/controlplane-prod-us.yaml').metadata.labels).toEqual({
      environment: 'prod',
      region: 'us',
      legacy: 'true',
    });
    expect(manifest(out, 'spaces/fleet-space/groups/sandbox/controlplane-scratch.yaml').metadata.labels).toBeUndefined();
  });
});

describe('refresh interval: explicit > shortest environment default of the reached planes > 1h', () => {
  const { model, out } = compileWith(selectorMatrix);
  const interval = (s: SharedSecret) => effectiveRefreshInterval(s, out.placement);
  const rendered = (group: string, name: string) =>
    manifest(out, `spaces/fleet-space/groups/${group}/sharedexternalsecret-${name}.yaml`).spec.externalSecretSpec.refreshInterval;

  it('resolves each secret as documented, and renders what it resolves', () => {
    const { base, euTeams, euTeamA, pinned, devConfig, teamB, scratchSecret } = model.secrets;
    expect(interval(base)).toBe('10m'); // dev 1h, staging 30m, prod 10m
    expect(interval(euTeams)).toBe('30m'); // dev 1h, staging 30m
    expect(interval(euTeamA)).toBe('30m');
    expect(interval(pinned)).toBe('5m'); // explicit, though prod's default is 10m
    expect(interval(teamB)).toBe('10m'); // prod
    expect(interval(devConfig)).toBe('1h'); // dev's default
    expect(interval(scratchSecret)).toBe('1h'); // a plane without environment
    for (const s of Object.values(model.secrets)) expect(rendered(s.group.name, s.name)).toBe(interval(s));
  });

  it('compares durations, not strings, and an explicit interval wins even when longer', () => {
    const { model: m, out: o } = compileWith((app) => {
      const slow = new Environment(app, 'slow', { refreshInterval: '2h' });
      const fast = new Environment(app, 'fast', { refreshInterval: '90m' });
      const space = new Space(app, 's', { cloud: 'aws' });
      const g = new Group(space, 'g');
      new ControlPlane(g, 'a', { environment: slow, namespaces: ['ns'] });
      new ControlPlane(g, 'b', { environment: fast, namespaces: ['ns'] });
      const store = new SecretStore(g, 'st', {
        provider: new AwsSecretsManager({ region: 'eu-central-1', credentials: StaticCredentials.awsAccessKey({ secretName: 'k' }) }),
        planes: Planes.inEnvironments(slow, fast),
        namespaces: Namespaces.named('ns'),
      });
      Guardrails.allow(store, 'cross-environment', 'test: one store for both environments, to compare their defaults');
      const derived = new SharedSecret(g, 'derived', { store, data: [{ secretKey: 'k', remoteKey: 'r' }] });
      const explicit = new SharedSecret(g, 'explicit', {
        store,
        refreshInterval: '24h',
        target: { name: 'other' },
        data: [{ secretKey: 'k', remoteKey: 'r' }],
      });
      return { derived, explicit };
    });
    expect(effectiveRefreshInterval(m.derived, o.placement)).toBe('90m');
    expect(effectiveRefreshInterval(m.explicit, o.placement)).toBe('24h');
  });
});

describe('provider blocks per authentication mode', () => {
  const { out } = compileWith(authModes);
  const provider = (space: string, store: string) =>
    manifest(out, `spaces/${space}/groups/g/sharedsecretstore-${store}.yaml`).spec.provider;
  const yaml = (space: string, store: string) => out.files.get(`spaces/${space}/groups/g/sharedsecretstore-${store}.yaml`) ?? '';

  it('AWS static keys: auth.secretRef with accessKeyIDSecretRef (JSON spelling), session token, role', () => {
    expect(provider('aws-static', 'sm-static')).toEqual({
      aws: {
        service: 'SecretsManager',
        region: 'us-east-1',
        role: 'arn:aws:iam::111122223333:role/eso-reader',
        auth: {
          secretRef: {
            accessKeyIDSecretRef: { name: 'aws-keys', key: 'access-key' },
            secretAccessKeySecretRef: { name: 'aws-keys', key: 'secret-access-key' },
            sessionTokenSecretRef: { name: 'aws-keys', key: 'session-token' },
          },
        },
      },
    });
    expect(yaml('aws-static', 'sm-static')).toContain('accessKeyIDSecretRef:');
    expect(yaml('aws-static', 'sm-static')).not.toContain('accessKeyIdSecretRef');
  });

  it('AWS static keys in a Cloud Space: custom key names, no session token', () => {
    expect(provider('cloud', 'sm-cloud').aws.auth).toEqual({
      secretRef: { accessKeyIDSecretRef: { name: 'aws-keys', key: 'id' }, secretAccessKeySecretRef: { name: 'aws-keys', key: 'secret' } },
    });
  });

  it('AWS IRSA: the documented auth.jwt.serviceAccountRef naming the controller’s annotated service account', () => {
    expect(provider('aws-irsa', 'sm-irsa')).toEqual({
      aws: {
        service: 'SecretsManager',
        region: 'eu-central-1',
        auth: { jwt: { serviceAccountRef: { name: 'external-secrets-controller' } } },
      },
    });
  });

  it('EKS Pod Identity: no auth block (the pod’s own credentials)', () => {
    expect(provider('aws-pod', 'ps-pod')).toEqual({ aws: { service: 'ParameterStore', region: 'eu-central-1' } });
  });

  it('Azure service principal: authType ServicePrincipal with authSecretRef and tenant', () => {
    expect(provider('azure-sp', 'kv-sp')).toEqual({
      azurekv: {
        vaultUrl: 'https://kv-sp.vault.azure.net',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        authType: 'ServicePrincipal',
        authSecretRef: { clientId: { name: 'azure-sp', key: 'ClientID' }, clientSecret: { name: 'azure-sp', key: 'ClientSecret' } },
      },
    });
  });

  it('Azure workload identity: authType WorkloadIdentity, tenant from the Space identity, no secret', () => {
    expect(provider('azure-wi', 'kv-wi')).toEqual({
      azurekv: {
        vaultUrl: 'https://kv-wi.vault.azure.net',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        authType: 'WorkloadIdentity',
      },
    });
  });

  it('GCP service-account key: auth.secretRef.secretAccessKeySecretRef; projectID in JSON spelling', () => {
    expect(provider('gcp-key', 'gsm-key')).toEqual({
      gcpsm: {
        projectID: 'acme-secrets-key',
        location: 'europe-west1',
        auth: { secretRef: { secretAccessKeySecretRef: { name: 'gcp-sa-key', key: 'key.json' } } },
      },
    });
  });

  it('GCP workload identity: ambient credentials, no auth block', () => {
    expect(provider('gcp-wi', 'gsm-wi')).toEqual({ gcpsm: { projectID: 'acme-secrets-wi' } });
  });

  it('every rendered file parses back to its object', () => {
    for (const { path, object } of out.manifests) expect(fileObject(out, path)).toEqual(object);
  });
});

describe('SharedExternalSecret', () => {
  it('points at its store’s projected ClusterSecretStore, in every fixture', () => {
    for (const build of [minimal, selectorMatrix, authModes, lean]) {
      const { out } = compileWith(build as (app: TopologyApp) => unknown);
      const secrets = out.manifests.filter((m) => m.object.kind === 'SharedExternalSecret');
      expect(secrets.length).toBeGreaterThan(0);
      for (const { object } of secrets) {
        const o = object as Record<string, any>;
        expect(o.spec.externalSecretSpec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: expect.any(String) });
      }
    }
    const { model, out } = compileWith(minimal);
    expect(manifest(out, 'spaces/eks/groups/platform/sharedexternalsecret-db.yaml').spec.externalSecretSpec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: model.store.name,
    });
  });

  it('renders every optional field of a secret and a store', () => {
    const { out } = compileWith(lean);
    const ess = manifest(out, 'spaces/aks/groups/unmanaged/sharedexternalsecret-registry.yaml').spec.externalSecretSpec;
    expect(ess).toEqual({
      secretStoreRef: { name: 'kv', kind: 'ClusterSecretStore' },
      refreshInterval: '2m',
      refreshPolicy: 'Periodic',
      target: {
        name: 'registry-pull',
        creationPolicy: 'Orphan',
        deletionPolicy: 'Delete',
        immutable: true,
        template: {
          type: 'kubernetes.io/dockerconfigjson',
          engineVersion: 'v2',
          mergePolicy: 'Merge',
          data: { '.dockerconfigjson': '{"auths":{"registry.example.com":{"auth":"{{ .auth }}"}}}' },
          metadata: { labels: { 'app.kubernetes.io/part-of': 'registry' }, annotations: { 'example.com/owner': 'platform' } },
        },
      },
      data: [{ secretKey: 'auth', remoteRef: { key: 'registry-auth', version: 'a1b2c3', decodingStrategy: 'Base64' } }],
      dataFrom: [{ find: { name: { regexp: '^registry-' }, tags: { team: 'platform' } } }],
    });
    const store = manifest(out, 'spaces/aks/groups/unmanaged/sharedsecretstore-kv.yaml').spec;
    expect(store.refreshInterval).toBe(300);
    expect(store.retrySettings).toEqual({ maxRetries: 3, retryInterval: '10s' });
  });

  it('defaults: target named like the secret, creationPolicy Owner, deletionPolicy Retain', () => {
    const { out } = compileWith(selectorMatrix);
    const target = manifest(out, 'spaces/fleet-space/groups/fleet/sharedexternalsecret-base.yaml').spec.externalSecretSpec.target;
    expect(target).toEqual({ name: 'base', creationPolicy: 'Owner', deletionPolicy: 'Retain' });
  });
});

describe('group objects', () => {
  it('a managed group gets its Namespace (group label) and a ControlPlane per plane', () => {
    const { out } = compileWith(minimal);
    expect(manifest(out, 'spaces/eks/groups/platform/namespace.yaml')).toMatchObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'platform', labels: { 'spaces.upbound.io/group': 'true' } },
    });
    expect(manifest(out, 'spaces/eks/groups/platform/controlplane-prod-1.yaml')).toEqual({
      apiVersion: 'spaces.upbound.io/v1beta1',
      kind: 'ControlPlane',
      metadata: { name: 'prod-1', namespace: 'platform', labels: { environment: 'prod', region: 'eu-central-1' } },
      spec: { crossplane: {} },
    });
  });

  it('an unmanaged group gets neither; an explicit host namespace is set on the ControlPlane', () => {
    const { out } = compileWith(lean);
    expect([...out.files.keys()].filter((p) => p.startsWith('spaces/aks/groups/'))).toEqual([
      'spaces/aks/groups/unmanaged/kustomization.yaml',
      'spaces/aks/groups/unmanaged/sharedexternalsecret-registry.yaml',
      'spaces/aks/groups/unmanaged/sharedsecretstore-kv.yaml',
    ]);
    const { out: o2 } = compileWith((app) => {
      const m = lean(app);
      const g = new Group(m.space, 'managed', { namespaceLabels: { team: 'x' } });
      new ControlPlane(g, 'p', { environment: m.prod, hostNamespace: 'mxp-p-system' });
    });
    expect(manifest(o2, 'spaces/aks/groups/managed/controlplane-p.yaml').spec).toEqual({
      crossplane: {},
      hostNamespace: { name: 'mxp-p-system' },
    });
    expect(manifest(o2, 'spaces/aks/groups/managed/namespace.yaml').metadata.labels).toEqual({
      team: 'x',
      'spaces.upbound.io/group': 'true',
    });
  });

  it('label values YAML 1.1 reads as booleans are quoted ("yes" stays a string for kubectl)', () => {
    const { out } = compileWith(lean);
    const text = out.files.get('spaces/aks/groups/unmanaged/sharedsecretstore-kv.yaml') ?? '';
    expect(text).toContain('example.com/secrets: "yes"');
    expect(fileObject(out, 'spaces/aks/groups/unmanaged/sharedsecretstore-kv.yaml').spec.namespaceSelector).toEqual({
      labelSelectors: [{ matchLabels: { 'example.com/secrets': 'yes' } }],
    });
  });
});

describe('YAML rendering', () => {
  it('quotes every string a YAML 1.1 or 1.2 parser would read as something else, and only those', () => {
    const values = [
      'yes',
      'no',
      'on',
      'off',
      'y',
      'N',
      'true',
      'null',
      '~',
      '',
      '0755',
      '0o17',
      '0x1F',
      '1e3',
      '1_000',
      '2024-01-01',
      '12:30',
      '.inf',
    ];
    const doc = Object.fromEntries([...values.map((v, i) => [`k${i}`, v]), ['y', 'key-y'], ['plain', 'eu-central-1']]);
    const text = toYaml(doc);
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version }), version).toEqual(doc);
    expect(text).toContain('"y": key-y\n');
    expect(text).toContain('plain: eu-central-1\n');
  });
});

describe('kustomizations', () => {
  for (const [name, build] of Object.entries({ minimal, selectorMatrix, authModes, lean })) {
    it(`${name}: each lists exactly the manifests of its directory (or its group directories), sorted`, () => {
      const { out } = compileWith(build as (app: TopologyApp) => unknown);
      const paths = [...out.files.keys()];
      const kustomizations = paths.filter((p) => p.endsWith('/kustomization.yaml'));
      expect(kustomizations.length).toBeGreaterThan(0);
      for (const k of kustomizations) {
        const dir = k.slice(0, -'/kustomization.yaml'.length);
        const doc = fileObject(out, k);
        expect(doc.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
        expect(doc.kind).toBe('Kustomization');
        const resources = doc.resources as string[];
        expect(resources).toEqual([...resources].sort());
        if (dir.split('/').length === 4) {
          // spaces/<space>/groups/<group>: every other file of the directory.
          const siblings = paths.filter((p) => p.startsWith(`${dir}/`) && p !== k).map((p) => p.slice(dir.length + 1));
          expect(siblings.every((s) => !s.includes('/'))).toBe(true);
          expect(resources).toEqual(siblings.sort());
        } else {
          // spaces/<space>: its group directories, each with its own kustomization.
          expect(dir.split('/')).toHaveLength(2);
          const groups = [...new Set(paths.filter((p) => p.startsWith(`${dir}/groups/`)).map((p) => p.split('/').slice(2, 4).join('/')))];
          expect(resources).toEqual(groups.sort());
          for (const g of groups) expect(out.files.has(`${dir}/${g}/kustomization.yaml`)).toBe(true);
        }
      }
      // Spaces are different clusters: nothing ties them together.
      expect(out.files.has('spaces/kustomization.yaml')).toBe(false);
      expect(out.files.has('kustomization.yaml')).toBe(false);
    });
  }
});

describe('whole files of a small topology', () => {
  const { out } = compileWith(minimal);
  it('SharedSecretStore', async () => {
    const path = 'spaces/eks/groups/platform/sharedsecretstore-sm-prod.yaml';
    // IRSA: the documented reference to the shared-secrets controller's service account.
    expect(manifest(out, path).spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: 'external-secrets-controller' } } });
    await expect(out.files.get(path)).toMatchFileSnapshot('__snapshots__/synth/minimal-sharedsecretstore-sm-prod.yaml');
  });
  it('SharedExternalSecret', async () => {
    const path = 'spaces/eks/groups/platform/sharedexternalsecret-db.yaml';
    expect(manifest(out, path).spec.externalSecretSpec.refreshInterval).toBe('15m');
    await expect(out.files.get(path)).toMatchFileSnapshot('__snapshots__/synth/minimal-sharedexternalsecret-db.yaml');
  });
});
