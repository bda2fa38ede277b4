/**
 * The plain ESO target: stores, external secrets and push secrets of an ESO cluster become
 * `external-secrets.io` objects that validate against the ESO v2.9.0 CRDs, the provider blocks are
 * the Spaces ones converted to ESO JSON, and the ESO Helm values carry the cluster's identity.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildPlainEso } from '../examples/plain-eso.js';
import {
  AwsSecretsManager,
  AzureKeyVault,
  EsoCluster,
  EsoExternalSecret,
  EsoPushSecret,
  EsoSecretStore,
  GcpSecretManager,
  Namespaces,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
  type Compilation,
} from '../lib/index.js';
import { esoValues } from '../lib/targets/eso.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';
import { compile, problems } from './support/compile.js';

type Json = Record<string, any>;

const obj = (out: Compilation, path: string): Json => {
  const m = out.manifests.find((x) => x.path === path);
  if (!m) throw new Error(`no manifest ${path}; have ${out.manifests.map((x) => x.path).join(', ')}`);
  return m.object;
};

const KV_ID = '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/rg-apps/providers/Microsoft.KeyVault/vaults/kv-apps';
const AZURE = {
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b',
  subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  resourceGroup: 'rg',
  identityName: 'eso',
  oidcIssuer: 'https://westeurope.oic.prod-aks.azure.com/x/y/',
};

describe('plain ESO example', () => {
  let out: Compilation;
  beforeAll(() => {
    out = compile(buildPlainEso);
  });

  it('writes cluster-scoped objects in clusters/<c>/ and namespaced ones in clusters/<c>/namespaces/<ns>/', () => {
    expect(out.manifests.filter((m) => m.path.startsWith('clusters/')).map((m) => m.path)).toEqual([
      'clusters/apps-eu/clusterexternalsecret-registry-pull.yaml',
      'clusters/apps-eu/clustersecretstore-aws-sm.yaml',
      'clusters/apps-eu/namespaces/team-a/externalsecret-db-credentials.yaml',
      'clusters/apps-eu/namespaces/team-a/externalsecret-feature-flags.yaml',
      'clusters/apps-eu/namespaces/team-a/pushsecret-team-a-tls-backup.yaml',
      'clusters/apps-eu/namespaces/team-a/secretstore-aws-ps.yaml',
    ]);
    expect(out.files.has('clusters/apps-eu/helm/eso-values.yaml')).toBe(true);
  });

  it('restricts the ClusterSecretStore with spec.conditions and leaves auth to the IRSA-annotated controller', () => {
    const css = obj(out, 'clusters/apps-eu/clustersecretstore-aws-sm.yaml');
    expect(css.apiVersion).toBe('external-secrets.io/v1');
    expect(css.spec).toEqual({
      conditions: [{ namespaces: ['team-a', 'team-b'] }],
      provider: { aws: { region: 'eu-central-1', service: 'SecretsManager' } },
    });
  });

  it('reuses the provider mapping: ESO JSON keys (accessKeyIDSecretRef) for static credentials', () => {
    const ss = obj(out, 'clusters/apps-eu/namespaces/team-a/secretstore-aws-ps.yaml');
    expect(ss.metadata).toMatchObject({ name: 'aws-ps', namespace: 'team-a' });
    expect(ss.spec.provider.aws.auth.secretRef).toEqual({
      accessKeyIDSecretRef: { name: 'aws-ps-credentials', key: 'access-key' },
      secretAccessKeySecretRef: { name: 'aws-ps-credentials', key: 'secret-access-key' },
    });
  });

  it('emits an ExternalSecret per namespaced secret and a ClusterExternalSecret with namespaceSelectors (not the deprecated fields)', () => {
    const es = obj(out, 'clusters/apps-eu/namespaces/team-a/externalsecret-db-credentials.yaml');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-sm' });
    expect(es.spec.data[0]).toEqual({ secretKey: 'username', remoteRef: { key: 'prod/team-a/db', property: 'username' } });
    expect(es.spec.refreshInterval).toBe('1h');
    expect(obj(out, 'clusters/apps-eu/namespaces/team-a/externalsecret-feature-flags.yaml').spec.secretStoreRef).toEqual({
      kind: 'SecretStore',
      name: 'aws-ps',
    });
    const ces = obj(out, 'clusters/apps-eu/clusterexternalsecret-registry-pull.yaml');
    expect(ces.spec.namespaceSelector).toBeUndefined();
    expect(ces.spec.namespaces).toBeUndefined();
    expect(ces.spec.namespaceSelectors).toEqual([
      { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a', 'team-b'] }] },
    ]);
    expect(ces.spec.externalSecretSpec.target).toMatchObject({
      name: 'registry-pull',
      template: { type: 'kubernetes.io/dockerconfigjson', engineVersion: 'v2' },
    });
  });

  it('emits a v1alpha1 PushSecret from a Secret to remote keys', () => {
    const ps = obj(out, 'clusters/apps-eu/namespaces/team-a/pushsecret-team-a-tls-backup.yaml');
    expect(ps.apiVersion).toBe('external-secrets.io/v1alpha1');
    expect(ps.spec).toMatchObject({
      secretStoreRefs: [{ name: 'aws-sm', kind: 'ClusterSecretStore' }],
      selector: { secret: { name: 'team-a-tls' } },
      deletionPolicy: 'None',
      updatePolicy: 'Replace',
      refreshInterval: '1h',
    });
    expect(ps.spec.data[1]).toEqual({ match: { secretKey: 'tls.key', remoteRef: { remoteKey: 'backup/team-a/tls', property: 'key' } } });
  });

  it("annotates ESO's service account with the IRSA role in the Helm values", () => {
    const v = parse(out.files.get('clusters/apps-eu/helm/eso-values.yaml') ?? '');
    expect(v.serviceAccount).toEqual({
      create: true,
      name: 'external-secrets',
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/apps-eu-external-secrets' },
    });
  });

  it('synthesizes when run as a program: the files on disk are the compiled ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plain-eso-'));
    try {
      const o = compile(buildPlainEso, dir);
      const app = new TopologyApp({ outdir: dir });
      buildPlainEso(app);
      app.synth();
      for (const [path, content] of o.files) expect(readFileSync(join(dir, path), 'utf8'), path).toBe(content);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ESO identity and provider details', () => {
  it('Azure: client-id annotation, the use label on the pod, WorkloadIdentity without a service-account ref', () => {
    const out = compile((app) => {
      const c = new EsoCluster(app, 'aks', { cloud: 'azure', identity: SpaceIdentity.azureWorkloadIdentity(AZURE) });
      const kv = new EsoSecretStore(c, 'kv', {
        provider: new AzureKeyVault({ vaultUrl: 'https://kv-apps.vault.azure.net', resourceId: KV_ID }),
        namespaces: Namespaces.matching({ matchLabels: { team: 'a' } }, { matchLabels: { team: 'b' } }),
      });
      new EsoExternalSecret(c, 'dsn', {
        store: kv,
        namespaces: Namespaces.matching({ matchLabels: { team: 'a' } }),
        data: [{ secretKey: 'dsn', remoteKey: 'dsn' }],
      });
    });
    expect(parse(out.files.get('clusters/aks/helm/eso-values.yaml') ?? '')).toEqual({
      podLabels: { 'azure.workload.identity/use': 'true' },
      serviceAccount: { create: true, name: 'external-secrets', annotations: { 'azure.workload.identity/client-id': AZURE.clientId } },
    });
    const css = obj(out, 'clusters/aks/clustersecretstore-kv.yaml');
    expect(css.spec.provider).toEqual({
      azurekv: { authType: 'WorkloadIdentity', tenantId: AZURE.tenantId, vaultUrl: 'https://kv-apps.vault.azure.net' },
    });
    expect(css.spec.conditions).toEqual([
      { namespaceSelector: { matchLabels: { team: 'a' } } },
      { namespaceSelector: { matchLabels: { team: 'b' } } },
    ]);
    expect(obj(out, 'clusters/aks/clusterexternalsecret-dsn.yaml').spec.namespaceSelectors).toEqual([{ matchLabels: { team: 'a' } }]);
  });

  it('GCP: the GSA annotation with impersonation, nothing with principal identifiers or Pod Identity', () => {
    const values = (identity: SpaceIdentity, cloud: 'aws' | 'gcp'): Json => {
      let v: Json = {};
      compile((app) => {
        v = esoValues(new EsoCluster(app, 'c', { cloud, identity }));
      });
      return v;
    };
    expect(
      values(
        SpaceIdentity.gcpImpersonation({
          projectId: 'acme-x1',
          projectNumber: '123456789012',
          serviceAccountEmail: 'eso-secrets@acme-x1.iam.gserviceaccount.com',
        }),
        'gcp',
      ).serviceAccount.annotations,
    ).toEqual({ 'iam.gke.io/gcp-service-account': 'eso-secrets@acme-x1.iam.gserviceaccount.com' });
    expect(
      values(SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-x1', projectNumber: '123456789012' }), 'gcp').serviceAccount.annotations,
    ).toEqual({});
    expect(values(SpaceIdentity.awsPodIdentity({ accountId: '111122223333', clusterName: 'c' }), 'aws').serviceAccount.annotations).toEqual(
      {},
    );
    expect(
      values(SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/X' }), 'aws')
        .serviceAccount.annotations,
    ).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/c-external-secrets' });
  });

  it('gives every Secret reference of a ClusterSecretStore a namespace (the ESO namespace unless set)', () => {
    const out = compile((app) => {
      const c = new EsoCluster(app, 'gke', { cloud: 'gcp' });
      new EsoSecretStore(c, 'gsm', {
        provider: new GcpSecretManager({
          projectId: 'acme-x1',
          credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'gsm-key' }),
        }),
        namespaces: Namespaces.named('a'),
      });
      new EsoSecretStore(c, 'sm', {
        provider: new AwsSecretsManager({
          region: 'eu-west-1',
          credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-keys', sessionTokenKey: 'token' }),
        }),
        namespaces: Namespaces.named('a'),
        credentialsNamespace: 'creds',
      });
    });
    expect(obj(out, 'clusters/gke/clustersecretstore-gsm.yaml').spec.provider.gcpsm.auth.secretRef.secretAccessKeySecretRef).toEqual({
      name: 'gsm-key',
      key: 'secret-access-credentials',
      namespace: 'external-secrets',
    });
    const aws = obj(out, 'clusters/gke/clustersecretstore-sm.yaml').spec.provider.aws.auth.secretRef;
    for (const ref of Object.values<Json>(aws)) expect(ref.namespace).toBe('creds');
    expect(Object.keys(aws).sort()).toEqual(['accessKeyIDSecretRef', 'secretAccessKeySecretRef', 'sessionTokenSecretRef']);
  });
});

describe('ESO model problems', () => {
  it('reports every mistake at once, with the path and the fix', () => {
    const p = problems((app) => {
      const c = new EsoCluster(app, 'c', { cloud: 'aws', roleArn: 'arn:aws:iam::111122223333:role/x' });
      const open = new EsoSecretStore(c, 'open', { provider: new AwsSecretsManager({ region: 'eu-west-1' }) });
      const ns = new EsoSecretStore(c, 'ns', {
        namespace: 'team-a',
        provider: new AwsSecretsManager({ region: 'eu-west-1', credentials: StaticCredentials.awsAccessKey({ secretName: 'k' }) }),
      });
      const named = new EsoSecretStore(c, 'named', {
        namespaces: Namespaces.named('team-a'),
        provider: new AwsSecretsManager({ region: 'eu-west-1', credentials: StaticCredentials.awsAccessKey({ secretName: 'k' }) }),
      });
      new EsoExternalSecret(c, 'wrong-ns', { store: named, namespace: 'team-b', data: [{ secretKey: 'k', remoteKey: 'r' }] });
      new EsoExternalSecret(c, 'ces-on-ns-store', {
        store: ns,
        namespaces: Namespaces.named('team-a'),
        data: [{ secretKey: 'k', remoteKey: 'r' }],
      });
      new EsoExternalSecret(c, 'nowhere', { store: named, data: [] });
      new EsoPushSecret(c, 'push', { store: named, secretName: 'src', data: [] });
      new EsoPushSecret(c, 'push-twice', {
        store: ns,
        secretName: 'src',
        data: [
          { secretKey: 'a', remoteKey: 'r' },
          { secretKey: 'b', remoteKey: 'r' },
        ],
      });
      void open;
    });
    const text = p.join('\n');
    expect(text).toContain("c: roleArn is set, but the cluster's identity is not set");
    expect(text).toContain('c/open: ClusterSecretStore "open" has no namespaces: restrict it with namespaces');
    expect(text).toContain('c/open: store "open" has no static credentials and cluster "c" has no workload identity');
    expect(text).toContain('c/wrong-ns: namespace "team-b" may not use ClusterSecretStore "named" (namespaces names [team-a])');
    expect(text).toContain('c/ces-on-ns-store: ClusterExternalSecret "ces-on-ns-store" uses the namespaced SecretStore "ns"');
    expect(text).toContain('c/nowhere: secret "nowhere" has neither namespace nor namespaces');
    expect(text).toContain('c/nowhere: secret "nowhere" has no data');
    expect(text).toContain('c/push: push secret "push" has no namespace and its store "named" is a ClusterSecretStore');
    expect(text).toContain('c/push: push secret "push" pushes nothing');
    expect(text).toContain('c/push-twice: data["b"]: remote key "r" is written by two entries');
  });

  it('refuses two objects of one kind and name in a cluster', () => {
    const p = problems((app) => {
      const c = new EsoCluster(app, 'c', { cloud: 'aws' });
      const creds = StaticCredentials.awsAccessKey({ secretName: 'k' });
      new EsoSecretStore(c, 'a', {
        name: 'same',
        namespaces: Namespaces.named('x'),
        provider: new AwsSecretsManager({ region: 'eu-west-1', credentials: creds }),
      });
      new EsoSecretStore(c, 'b', {
        name: 'same',
        namespaces: Namespaces.named('x'),
        provider: new AwsSecretsManager({ region: 'eu-west-1', credentials: creds }),
      });
    });
    expect(p.join('\n')).toContain('c/b: ClusterSecretStore "same" is declared twice in cluster "c" (also at c/a)');
  });
});

describeWithCrds('ESO objects validate against the ESO v2.9.0 CRDs', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['external-secrets', 'argo-cd/application-crd.yaml'] });
  });
  afterAll(() => undefined);

  it('every object of the plain ESO example and of the provider variants', () => {
    const outs = [
      compile(buildPlainEso),
      compile((app) => {
        const c = new EsoCluster(app, 'aks', { cloud: 'azure', identity: SpaceIdentity.azureWorkloadIdentity(AZURE) });
        const kv = new EsoSecretStore(c, 'kv', {
          provider: new AzureKeyVault({ vaultUrl: 'https://kv-apps.vault.azure.net', resourceId: KV_ID }),
          namespaces: Namespaces.matching({ matchLabels: { team: 'a' } }),
          refreshInterval: 300,
        });
        const sp = new EsoSecretStore(c, 'kv-sp', {
          provider: new AzureKeyVault({
            vaultUrl: 'https://kv-apps.vault.azure.net',
            tenantId: AZURE.tenantId,
            credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
          }),
          namespaces: Namespaces.named('a'),
        });
        new EsoExternalSecret(c, 'dsn', {
          store: kv,
          namespaces: Namespaces.matching({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }),
          dataFrom: [{ find: { nameRegexp: '^dsn-', tags: { app: 'x' } } }, { extract: { key: 'bundle' } }],
          refreshPolicy: 'OnChange',
        });
        new EsoExternalSecret(c, 'sp-secret', {
          store: sp,
          namespace: 'a',
          target: {
            creationPolicy: 'Merge',
            deletionPolicy: 'Merge',
            template: { mergePolicy: 'Merge', data: { url: '{{ .u }}' }, metadata: { labels: { a: 'b' } } },
          },
          data: [{ secretKey: 'u', remoteKey: 'u', version: '1', decodingStrategy: 'Base64' }],
        });
        new EsoPushSecret(c, 'push', {
          store: sp,
          namespace: 'a',
          secretName: 'src',
          deletionPolicy: 'Delete',
          updatePolicy: 'IfNotExists',
          data: [{ secretKey: 'a', remoteKey: 'pushed' }],
        });
      }),
    ];
    const errors: string[] = [];
    let n = 0;
    for (const out of outs) {
      for (const { path, object } of out.manifests) {
        errors.push(...v.validate(object).map((e) => `${path}: ${e}`));
        n++;
      }
    }
    expect(errors).toEqual([]);
    expect(n).toBeGreaterThanOrEqual(11);
  });
});
