/**
 * What the import maps, how, and what it lists: each field the model has no prop for (with its
 * reason, issue 16's included), objects it cannot import, the guesses it makes (environments,
 * selections, inherited selectors, Cloud Spaces), the guardrail opt-outs it declares, and the
 * equivalence it checks (lib/import/equivalence.ts), held to its definition and to the CRDs'
 * defaults.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_SECRET_SPEC_DEFAULTS, PUSH_SECRET_SPEC_DEFAULTS } from '../lib/import/defaults.js';
import { normalizeObject, type ImportItem, type ImportResult } from '../lib/import/index.js';
import { fcParams } from './fuzz-support.js';
import { crdsDir, describeWithCrds, parseManifests } from './support/crd-schemas.js';
import { importInto, runGenerated, scratchDir } from './support/import.js';

type Obj = Record<string, unknown>;

const CP = (name: string, labels: Obj = {}, extra: Obj = {}): Obj => ({
  apiVersion: 'spaces.upbound.io/v1beta1',
  kind: 'ControlPlane',
  metadata: { name, namespace: 'g', labels },
  spec: {},
  ...extra,
});

const STORE = (name: string, spec: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'spaces.upbound.io/v1alpha1',
  kind: 'SharedSecretStore',
  metadata: { name, namespace: 'g', ...metadata },
  spec: {
    controlPlaneSelector: { labelSelectors: [{ matchLabels: { environment: 'prod' } }] },
    namespaceSelector: { names: ['team'] },
    provider: {
      aws: {
        service: 'SecretsManager',
        region: 'eu-central-1',
        auth: {
          secretRef: {
            accessKeyIDSecretRef: { name: `${name}-creds`, key: 'access-key' },
            secretAccessKeySecretRef: { name: `${name}-creds`, key: 'secret-access-key' },
          },
        },
      },
    },
    ...spec,
  },
});

const SECRET = (name: string, store: string, es: Obj = {}, spec: Obj = {}): Obj => ({
  apiVersion: 'spaces.upbound.io/v1alpha1',
  kind: 'SharedExternalSecret',
  metadata: { name, namespace: 'g' },
  spec: {
    controlPlaneSelector: { labelSelectors: [{ matchLabels: { environment: 'prod' } }] },
    namespaceSelector: { names: ['team'] },
    externalSecretSpec: {
      secretStoreRef: { name: store, kind: 'ClusterSecretStore' },
      data: [{ secretKey: 'k', remoteRef: { key: 'a/b' } }],
      ...es,
    },
    ...spec,
  },
});

const ESO = (kind: string, name: string, spec: Obj, namespace?: string, apiVersion = 'external-secrets.io/v1'): Obj => ({
  apiVersion,
  kind,
  metadata: namespace ? { name, namespace } : { name },
  spec,
});

const AWS_STATIC = (secret: string): Obj => ({
  aws: {
    service: 'SecretsManager',
    region: 'eu-central-1',
    auth: {
      secretRef: {
        accessKeyIDSecretRef: { name: secret, key: 'access-key', namespace: 'eso' },
        secretAccessKeySecretRef: { name: secret, key: 'secret-access-key', namespace: 'eso' },
      },
    },
  },
});

let dir: string;
let remove: () => void;
beforeAll(() => {
  ({ dir, remove } = scratchDir());
});
afterAll(() => remove());

function imported(...objects: Obj[]): ImportResult {
  return importInto(
    objects.map((o, i) => ({ path: `in/${i}.yaml`, text: JSON.stringify(o) })),
    dir,
  );
}

const about = (r: ImportResult, object: string): ImportItem[] => r.items.filter((i) => i.object === object);
const fields = (r: ImportResult, object: string): string[] => about(r, object).map((i) => `${i.severity} ${i.field ?? ''}`);

describe('fields the model has no prop for are listed with their reason; the rest of the object is imported', () => {
  it('Shared* fields, issue 16 features among them', () => {
    const r = imported(
      CP('cp', { environment: 'prod' }),
      STORE('s', { secretStoreName: 'other', secretStoreMetadata: { labels: { a: 'b' } } }, { labels: { team: 'x' }, finalizers: ['f'] }),
      SECRET(
        'x',
        's',
        {
          data: [
            { secretKey: 'k', remoteRef: { key: 'a/b', metadataPolicy: 'Fetch', conversionStrategy: 'Unicode', nullBytePolicy: 'Fail' } },
            { secretKey: 'gen', sourceRef: { generatorRef: { kind: 'Password', name: 'p' } } },
          ],
          dataFrom: [{ extract: { key: 'a/c' }, rewrite: [{ regexp: { source: 'a', target: 'b' } }] }],
          target: {
            template: { engineVersion: 'v1', templateFrom: [{ configMap: { name: 'c', items: [] } }] },
            manifest: { kind: 'ConfigMap' },
          },
          syncWindows: [{}],
        },
        { externalSecretName: 'other', externalSecretMetadata: { labels: {} }, refreshTime: '1h' },
      ),
    );
    expect(r.problems).toEqual([]);
    expect(fields(r, 'SharedSecretStore g/s')).toEqual([
      'unmapped metadata.finalizers',
      'unmapped metadata.labels',
      'unmapped spec.secretStoreMetadata',
      'unmapped spec.secretStoreName',
    ]);
    const secret = about(r, 'SharedExternalSecret g/x');
    const reason = (f: string): string => secret.find((i) => i.field === f)?.reason ?? '(not listed)';
    // Issue 16's metadataPolicy Fetch and dataFrom rewrite are props now: read, not listed.
    expect(reason('spec.externalSecretSpec.data[0].remoteRef.metadataPolicy')).toBe('(not listed)');
    expect(reason('spec.externalSecretSpec.dataFrom[0].rewrite')).toBe('(not listed)');
    expect(reason('spec.externalSecretSpec.data[0].remoteRef.conversionStrategy')).toMatch(/^conversionStrategy has no prop/);
    expect(reason('spec.externalSecretSpec.data[1].sourceRef')).toMatch(/^generators and sourceRef have no prop/);
    expect(reason('spec.externalSecretSpec.target.template.templateFrom')).toMatch(/^templateFrom has no prop/);
    expect(reason('spec.externalSecretSpec.target.template.engineVersion')).toMatch(/^only template engine v2/);
    expect(reason('spec.externalSecretSpec.target.manifest')).toMatch(/^target.manifest/);
    expect(reason('spec.externalSecretName')).toMatch(/own name/);
    expect(reason('spec.refreshTime')).toMatch(/^refreshTime has no prop/);
    // Listed once: the check after synthesis does not list the same fields again as differences.
    expect(secret.filter((i) => /differs after synthesis/.test(i.reason))).toEqual([]);
    // What could be mapped is: the secret reads a/b and extracts a/c.
    expect(r.code).toContain("data: [{ secretKey: 'k', remoteKey: 'a/b', metadataPolicy: 'Fetch' }],");
    expect(r.code).toContain("dataFrom: [{ extract: { key: 'a/c' }, rewrite: [{ regexp: { source: 'a', target: 'b' } }] }],");
  });

  it("a SharedSecretStore's own service account (issue 16 item 1) is read as StoreIdentity.awsIrsa; its Space is IRSA", () => {
    const own = STORE('own', {
      provider: {
        aws: { service: 'SecretsManager', region: 'eu-central-1', auth: { jwt: { serviceAccountRef: { name: 'team-a-secrets' } } } },
      },
    });
    const r = imported(CP('cp', { environment: 'prod' }), own);
    expect(about(r, 'SharedSecretStore g/own')).toEqual([]);
    expect(r.code).toContain("identity: StoreIdentity.awsIrsa({ serviceAccount: 'team-a-secrets' })");
    expect(r.code).toContain('SpaceIdentity.awsIrsa(');
    expect(r.code).toMatch(/^import \{[^}]*\bStoreIdentity\b[^}]*\} from /m);
    // With a namespace or audiences it is not the model's form: listed, and the store falls back.
    const ns = STORE('ns', {
      provider: {
        aws: {
          service: 'SecretsManager',
          region: 'eu-central-1',
          auth: { jwt: { serviceAccountRef: { name: 'team-a-secrets', namespace: 'x', audiences: ['sts.amazonaws.com'] } } },
        },
      },
    });
    const r2 = imported(CP('cp', { environment: 'prod' }), ns);
    expect(about(r2, 'SharedSecretStore g/ns').map((i) => i.reason)).toEqual([
      expect.stringMatching(/^auth.jwt other than \{ serviceAccountRef: \{ name \} \} of a SharedSecretStore .* has no prop/),
    ]);
    expect(r2.code).not.toContain('identity: StoreIdentity');
  });

  it('per-store service-account auth of other forms (IRSA with a namespace, Azure, GCP) falls back to the Space identity, listed', () => {
    const irsa = STORE('irsa', {
      provider: {
        aws: { service: 'SecretsManager', region: 'eu-central-1', auth: { jwt: { serviceAccountRef: { name: 'sa', namespace: 'ns' } } } },
      },
    });
    const azure = STORE('azure', {
      provider: {
        azurekv: {
          vaultUrl: 'https://v1234.vault.azure.net',
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          authType: 'WorkloadIdentity',
          serviceAccountRef: { name: 'sa' },
        },
      },
    });
    const r = imported(CP('cp', { environment: 'prod' }), irsa, azure);
    expect(about(r, 'SharedSecretStore g/irsa').map((i) => i.reason)).toEqual([
      expect.stringMatching(/^auth.jwt other than \{ serviceAccountRef: \{ name \} \} of a SharedSecretStore .* has no prop/),
    ]);
    expect(about(r, 'SharedSecretStore g/azure')[0]?.reason).toMatch(
      /^per-store service-account auth \(serviceAccountRef\) has no prop yet \(issue 16\)/,
    );
  });

  it('plain ESO fields: PushSecret metadata (issue 16), namespace regexes, retry settings, ClusterExternalSecret extras', () => {
    const css = ESO('ClusterSecretStore', 'css', {
      provider: AWS_STATIC('creds'),
      conditions: [{ namespaces: ['a'] }, { namespaceRegexes: ['^team-'] }],
      retrySettings: { maxRetries: 3 },
    });
    const push = ESO(
      'PushSecret',
      'p',
      {
        secretStoreRefs: [{ name: 'css', kind: 'ClusterSecretStore' }],
        selector: { secret: { name: 'tls' } },
        data: [
          {
            match: { secretKey: 'tls.crt', remoteRef: { remoteKey: 'backup/tls' } },
            metadata: { apiVersion: 'kubernetes.external-secrets.io/v1alpha1', kind: 'PushSecretMetadata', spec: { tags: {} } },
          },
        ],
      },
      'a',
    );
    const ces = ESO('ClusterExternalSecret', 'ces', {
      externalSecretSpec: {
        secretStoreRef: { name: 'css', kind: 'ClusterSecretStore' },
        data: [{ secretKey: 'k', remoteRef: { key: 'x' } }],
      },
      namespaceSelectors: [{ matchLabels: { team: 'a' } }],
      namespaceSelector: { matchLabels: { old: 'style' } },
      externalSecretMetadata: { labels: { a: 'b' } },
    });
    const r = imported(css, push, ces);
    expect(r.problems).toEqual([]);
    // The AWS PushSecretMetadata is a prop now (issue 16): read, not listed.
    expect(about(r, 'PushSecret a/p').find((i) => i.field?.startsWith('spec.data[0].metadata'))).toBeUndefined();
    expect(r.code).toContain('metadata: { tags: {} }');
    expect(about(r, 'ClusterSecretStore css').find((i) => i.field === 'spec.conditions[1].namespaceRegexes')?.reason).toMatch(
      /^namespace regular expressions cannot be expressed/,
    );
    expect(fields(r, 'ClusterSecretStore css')).toContain('unmapped spec.retrySettings');
    expect(fields(r, 'ClusterExternalSecret ces')).toEqual(['unmapped spec.externalSecretMetadata', 'unmapped spec.namespaceSelector']);
    expect(r.code).toContain("credentialsNamespace: 'eso',");
  });
});

describe('objects the import cannot declare are listed, and so are the objects that depend on them', () => {
  it('a provider the model lacks, a projected upboundspaces store, credentials in two Secrets', () => {
    const vault = STORE('vault', { provider: { vault: { server: 'https://vault' } } });
    const projected = ESO(
      'ClusterSecretStore',
      'aws-sm',
      { provider: { upboundspaces: { storeRef: { name: 'aws-sm' } } } },
      undefined,
      'external-secrets.io/v1beta1',
    );
    const split = STORE('split', {
      provider: {
        aws: {
          service: 'SecretsManager',
          region: 'eu-central-1',
          auth: {
            secretRef: { accessKeyIDSecretRef: { name: 'one', key: 'id' }, secretAccessKeySecretRef: { name: 'two', key: 'secret' } },
          },
        },
      },
    });
    const r = imported(
      CP('cp', { environment: 'prod' }),
      vault,
      SECRET('uses-vault', 'vault'),
      split,
      projected,
      SECRET('uses-nothing', 'nope'),
    );
    expect(about(r, 'SharedSecretStore g/vault')[0]?.reason).toMatch(/^provider "vault" is not modeled .*: the object is not imported$/);
    expect(about(r, 'SharedExternalSecret g/uses-vault')[0]?.reason).toBe('its store "vault" is not imported: the object is not imported');
    expect(about(r, 'SharedExternalSecret g/uses-nothing')[0]?.reason).toBe(
      'its store "nope" is not a SharedSecretStore of group "g" in the input: the object is not imported',
    );
    expect(about(r, 'SharedSecretStore g/split')[0]?.reason).toMatch(
      /more than one Secret: the model takes the keys of one Secret per store/,
    );
    expect(about(r, 'ClusterSecretStore aws-sm').map((i) => i.reason)).toContain(
      'a store Spaces projected into a control plane (provider upboundspaces): import the SharedSecretStore it points to instead: the object is not imported',
    );
    expect(r.code).not.toMatch(/'vault'|'split'|'uses-vault'/);
  });

  it('a Namespace that is not a Spaces group, a Secret (values skipped), unknown kinds', () => {
    const r = imported(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'plain' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'g' }, data: { a: 'YQ==' } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    );
    expect(about(r, 'Namespace plain')[0]?.reason).toMatch(/not a Spaces group/);
    expect(about(r, 'Secret g/s')[0]).toMatchObject({ severity: 'note', reason: expect.stringMatching(/values are not imported/) });
    expect(about(r, 'Widget w')[0]?.reason).toBe('kind Widget of example.com/v1 is not a kind the import reads: not imported');
  });
});

describe('what the import infers', () => {
  it('group Namespace labels, ControlPlane IDs, host namespaces, unmapped ControlPlane spec', () => {
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'g', labels: { 'spaces.upbound.io/group': 'true', cost: 'cc-1' } },
      spec: { finalizers: ['kubernetes'] },
    };
    const cp = CP('cp', { environment: 'prod', region: 'eu' }, { status: { controlPlaneID: '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b' } });
    const host = CP('host', { environment: 'prod' }, { spec: { hostNamespace: { name: 'mxp-host' }, crossplane: { version: '1.20' } } });
    const r = imported(ns, cp, host, STORE('s'));
    expect(r.code).toContain("new Group(imported, 'g', { namespaceLabels: { cost: 'cc-1' } });");
    expect(r.code).toContain("labels: { region: 'eu' },\n    controlPlaneId: '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b',");
    expect(r.code).toContain("hostNamespace: 'mxp-host',");
    expect(fields(r, 'ControlPlane g/host')).toEqual(['unmapped spec.crossplane']);
  });

  it('the environment label is an option; a selector of exactly its labels becomes Planes.inEnvironments', () => {
    const store = STORE('s', {
      controlPlaneSelector: { labelSelectors: [{ matchLabels: { stage: 'live' } }, { matchLabels: { stage: 'test' } }] },
    });
    const r = importInto(
      [CP('a', { stage: 'live' }), CP('b', { stage: 'test' }), store].map((o, i) => ({ path: `${i}.yaml`, text: JSON.stringify(o) })),
      dir,
      { environmentLabel: 'stage' },
    );
    expect(r.code).toContain("const live = new Environment(app, 'live', { labels: { stage: 'live' } });");
    expect(r.code).toContain('planes: Planes.inEnvironments(live, test),');
  });

  it('names and label selectors in one selector: the names are kept, the rest listed', () => {
    const store = STORE('s', { controlPlaneSelector: { names: ['cp'], labelSelectors: [{ matchLabels: { environment: 'prod' } }] } });
    const r = imported(CP('cp', { environment: 'prod' }), store);
    expect(about(r, 'SharedSecretStore g/s')[0]).toMatchObject({ field: 'spec.controlPlaneSelector.labelSelectors', severity: 'unmapped' });
    expect(r.code).toContain('planes: Planes.named(cp),');
  });

  it("a secret with its store's selectors inherits them; one that narrows them says so; a SecretStore reference is listed", () => {
    const r = imported(
      CP('cp', { environment: 'prod' }),
      STORE('s'),
      SECRET('same', 's'),
      SECRET('narrow', 's', {}, { controlPlaneSelector: { names: ['cp'] } }),
      SECRET('kind', 's', { secretStoreRef: { name: 's' } }),
    );
    expect(r.code).toMatch(/new SharedSecret\(g, 'same', \{ store: s, data: \[/);
    expect(r.code).toMatch(/new SharedSecret\(g, 'narrow', \{\s+store: s,\s+planes: Planes.named\(cp\),/);
    expect(about(r, 'SharedExternalSecret g/kind')[0]).toMatchObject({
      severity: 'review',
      field: 'spec.externalSecretSpec.secretStoreRef.kind',
    });
  });

  it('ESO v1beta1 objects are read as v1 (noted); a ClusterSecretStore without conditions serves every namespace, for review', () => {
    const css = ESO('ClusterSecretStore', 'open', { provider: AWS_STATIC('creds') }, undefined, 'external-secrets.io/v1beta1');
    const r = imported(css);
    expect(about(r, 'ClusterSecretStore open').map((i) => `${i.severity} ${i.field}`)).toEqual([
      'review spec.conditions',
      'note apiVersion',
    ]);
    expect(r.code).toContain('namespaces: Namespaces.matching({}),');
    expect(r.problems).toEqual([]);
  });
});

describe('guardrails the YAML already breaks', () => {
  it('get an opt-out on the construct, listed for review, so the topology synthesizes as the YAML was', async () => {
    const shared = STORE('shared', {
      controlPlaneSelector: { labelSelectors: [{ matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev', 'prod'] }] }] },
    });
    // A prod secret read through credentials the dev plane has too; a secret read once.
    const prodOnly = SECRET('prod-only', 'shared');
    const once = SECRET('once', 'shared', { refreshInterval: '0s' });
    const r = imported(CP('dev-1', { environment: 'dev' }), CP('prod-1', { environment: 'prod' }), shared, prodOnly, once);
    expect(r.problems).toEqual([]);
    const rules = r.items.filter((i) => /^guardrail "/.test(i.reason)).map((i) => /^guardrail "([a-z-]+)"/.exec(i.reason)?.[1]);
    expect(new Set(rules)).toEqual(new Set(['cross-environment', 'production-secret-outside-production', 'refresh-interval']));
    expect(r.code).toMatch(/Guardrails\.allow\(\s*dev1,\s*'cross-environment',\s*'imported as is from YAML that already did this/);
    expect(r.code).toMatch(/Guardrails\.allow\(\s*once,\s*'refresh-interval',\s*'imported as is/);
    // The environment does not inherit the secret's 0s: that stays the secret's own.
    expect(r.code).toContain("const prod = new Environment(app, 'prod', { production: true });");
    // The file itself synthesizes, and the report records the opt-outs.
    const compiled = (await runGenerated(r.code, dir)).compile();
    const report = JSON.parse(compiled.files.get('report.json') ?? '{}') as { optOuts: { rule: string }[] };
    expect(report.optOuts.map((o) => o.rule).sort()).toEqual(expect.arrayContaining(['cross-environment', 'refresh-interval']));
  });
});

describe('equivalence (the normal form)', () => {
  const store = STORE('s') as { spec: Obj; metadata: Obj };

  it('ignores what does not change the object: versions, server fields, delivery annotations, null, defaults, order of selector lists, duration spelling', () => {
    const a = SECRET(
      'x',
      's',
      { refreshInterval: '1h', target: { name: 'x', creationPolicy: 'Owner' } },
      { namespaceSelector: { names: ['b', 'a'] } },
    );
    const b = structuredClone(a) as { metadata: Obj; spec: { externalSecretSpec: Obj; namespaceSelector: Obj }; status?: Obj };
    b.metadata.uid = 'u';
    b.metadata.resourceVersion = '1';
    b.metadata.annotations = {
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    };
    b.status = { provisioned: [] };
    b.spec.externalSecretSpec = { ...b.spec.externalSecretSpec, refreshInterval: '60m', target: null };
    b.spec.namespaceSelector = { names: ['a', 'b', 'a'] };
    expect(normalizeObject('SharedExternalSecret', b)).toEqual(normalizeObject('SharedExternalSecret', a));
    const absent = ESO('ClusterSecretStore', 'c', { provider: AWS_STATIC('x') });
    const everyone = ESO('ClusterSecretStore', 'c', { provider: AWS_STATIC('x'), conditions: [{ namespaceSelector: {} }] });
    expect(normalizeObject('ClusterSecretStore', absent)).toEqual(normalizeObject('ClusterSecretStore', everyone));
    const split = ESO('ClusterSecretStore', 'c', { provider: AWS_STATIC('x'), conditions: [{ namespaces: ['b'] }, { namespaces: ['a'] }] });
    const joined = ESO('ClusterSecretStore', 'c', { provider: AWS_STATIC('x'), conditions: [{ namespaces: ['a', 'b'] }] });
    expect(normalizeObject('ClusterSecretStore', split)).toEqual(normalizeObject('ClusterSecretStore', joined));
  });

  it('keeps what changes the object: values, data order, other labels', () => {
    const base = normalizeObject('SharedSecretStore', store);
    const region = structuredClone(store) as unknown as { spec: { provider: { aws: Obj } } };
    region.spec.provider.aws.region = 'us-east-1';
    expect(normalizeObject('SharedSecretStore', region)).not.toEqual(base);
    const labelled = structuredClone(store) as { metadata: Obj };
    labelled.metadata.labels = { a: 'b' };
    expect(normalizeObject('SharedSecretStore', labelled)).not.toEqual(base);
    const two = SECRET('x', 's', {
      data: [
        { secretKey: 'a', remoteRef: { key: 'a' } },
        { secretKey: 'b', remoteRef: { key: 'b' } },
      ],
    });
    const swapped = SECRET('x', 's', {
      data: [
        { secretKey: 'b', remoteRef: { key: 'b' } },
        { secretKey: 'a', remoteRef: { key: 'a' } },
      ],
    });
    expect(normalizeObject('SharedExternalSecret', swapped)).not.toEqual(normalizeObject('SharedExternalSecret', two));
  });

  it('property: the normal form is idempotent and does not depend on key order', () => {
    const labels = fc.dictionary(fc.constantFrom('a', 'b', 'environment', 'tier'), fc.constantFrom('x', 'y', 'prod'), { maxKeys: 3 });
    const selector = fc.record({
      names: fc.array(fc.constantFrom('p', 'q', 'r'), { maxLength: 3 }),
      labelSelectors: fc.array(fc.record({ matchLabels: labels }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(selector, selector, fc.constantFrom(undefined, '1h', '60m', '1h0m0s', '15m'), (cps, nss, refresh) => {
        const o = SECRET('x', 's', refresh ? { refreshInterval: refresh } : {}, { controlPlaneSelector: cps, namespaceSelector: nss });
        const n = normalizeObject('SharedExternalSecret', o);
        expect(normalizeObject('SharedExternalSecret', n)).toEqual(n);
        const reversed = JSON.parse(JSON.stringify(o), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ) as Obj;
        expect(normalizeObject('SharedExternalSecret', reversed)).toEqual(n);
      }),
      fcParams,
    );
  });
});

describeWithCrds("the defaults the import drops are the CRDs' defaults", () => {
  /** The schema of a path below `spec` in a CRD file's served version. */
  function schemaAt(file: string, version: string, path: string): { default?: unknown; description?: string } | undefined {
    const crd = parseManifests(readFileSync(join(crdsDir(), 'external-secrets', file), 'utf8'))[0] as {
      spec: { versions: { name: string; schema: { openAPIV3Schema: { properties: { spec: unknown } } } }[] };
    };
    let node = crd.spec.versions.find((v) => v.name === version)?.schema.openAPIV3Schema.properties.spec as
      { properties?: Record<string, unknown>; items?: unknown; default?: unknown; description?: string } | undefined;
    for (const part of path.split('.')) {
      const list = part.endsWith('[]');
      node = node?.properties?.[list ? part.slice(0, -2) : part] as typeof node;
      if (list) node = node?.items as typeof node;
    }
    return node;
  }

  it.each([
    ['external-secrets.io_externalsecrets.yaml', 'v1', EXTERNAL_SECRET_SPEC_DEFAULTS],
    ['external-secrets.io_pushsecrets.yaml', 'v1alpha1', PUSH_SECRET_SPEC_DEFAULTS],
  ] as const)('%s', (file, version, defaults) => {
    expect(readdirSync(join(crdsDir(), 'external-secrets'))).toContain(file);
    for (const [path, value] of defaults) {
      const s = schemaAt(file, version, path);
      expect(s, path).toBeDefined();
      if (s?.default !== undefined) {
        const crdDefault = String(s.default);
        expect(path === 'refreshInterval' ? crdDefault.replace(/0m0s$/, '') : crdDefault, path).toBe(value);
      } else
        expect(s?.description ?? '', path).toMatch(new RegExp(`Defaults to ${value}|defaults to ${value}|Defaults to .?${value}`, 'i'));
    }
  });
});
