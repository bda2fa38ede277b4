/**
 * Class 7 on Key Vault and GCP: the same object named differently.
 */
import {
  AzureKeyVault,
  ControlPlane,
  GcpSecretManager,
  Group,
  Planes,
  SecretOwnership,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  type TopologyApp,
} from '../lib/index.js';
import { report } from './harness.js';
import { APPS, SUBSCRIPTION, TENANT, envs, uuid } from './fixtures.js';

type Ref = { key?: string; find?: Record<string, unknown> };
const props = (r: Ref) => (r.key ? { data: [{ secretKey: 'k', remoteKey: r.key }] } : { dataFrom: [{ find: r.find as never }] });

const kvIdentity = (name: string) =>
  SpaceIdentity.azureWorkloadIdentity({
    tenantId: TENANT,
    clientId: name === 'dev' ? '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b' : '6e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5c',
    subscriptionId: SUBSCRIPTION,
    resourceGroup: 'rg',
    identityName: `${name}-secrets`,
    oidcIssuer: `https://westeurope.oic.prod-aks.azure.com/${TENANT}/${name}/`,
  });

/** Two Azure Spaces (dev, prod), each with its own identity; stores given by the caller. */
const azure =
  (devKv: () => AzureKeyVault, prodKv: () => AzureKeyVault, dev: Ref, prod: Ref, owns?: SecretOwnership[]) =>
  (app: TopologyApp): void => {
    const e = envs(app, owns ? { prodOwns: owns } : {});
    for (const [name, env, kv, ref] of [
      ['dev', e.dev, devKv, dev],
      ['prod', e.prod, prodKv, prod],
    ] as const) {
      const g = new Group(new Space(app, `az-${name}`, { cloud: 'azure', identity: kvIdentity(name) }), 'g');
      new ControlPlane(g, `${name}-1`, { environment: env, controlPlaneId: uuid(name.length), namespaces: ['apps'] });
      const s = new SecretStore(g, 'kv', { namespaces: APPS, provider: kv(), planes: Planes.inEnvironments(env) });
      new SharedSecret(g, 's', { store: s, ...props(ref) });
    }
  };
const vault =
  (name: string, extra: Record<string, unknown> = {}) =>
  () =>
    new AzureKeyVault({
      vaultUrl: `https://${name}.vault.azure.net`,
      resourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`,
      ...extra,
    } as never);

report(
  '07v KV: dev store on vault URL in upper case, prod owns kv-prod',
  'flagged',
  azure(() => new AzureKeyVault({ vaultUrl: 'https://KV-PROD.vault.azure.net' }), vault('kv-prod'), { key: 'db' }, { key: 'x' }, [
    SecretOwnership.azureKeyVault({ vaults: ['kv-prod'] }),
  ]),
);
report(
  '07w KV: shared vault; dev key "secret/DB-Password", prod owns names ["db-password"]',
  'flagged (Key Vault names are case-insensitive)',
  azure(vault('kv-shared'), vault('kv-shared'), { key: 'secret/DB-Password' }, { key: 'other' }, [
    SecretOwnership.azureKeyVault({ names: ['db-password'] }),
  ]),
);
report(
  '07x KV: shared vault, dev reads "db", prod reads "DB" (no declaration)',
  'flagged',
  azure(vault('kv-shared'), vault('kv-shared'), { key: 'db' }, { key: 'DB' }),
);
report(
  '07y KV: dev vault by resource id without URL match (sovereign cloud URL) vs prod owns by resource id',
  'flagged',
  azure(() => new AzureKeyVault({ vaultUrl: 'https://kv-prod.vault.azure.cn' }), vault('kv-prod'), { key: 'db' }, { key: 'x' }, [
    SecretOwnership.azureKeyVault({
      vaults: [`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-prod`],
    }),
  ]),
);
report(
  '07z KV: dev reads "key/db" (a key object), prod owns names ["db"]',
  'flagged (the name prefix covers keys/ too)',
  azure(vault('kv-shared'), vault('kv-shared'), { key: 'key/db' }, { key: 'other' }, [SecretOwnership.azureKeyVault({ names: ['db'] })]),
);
report(
  '07za KV: dev find tags on shared vault; prod reads "db"',
  'flagged (Key Vault RBAC cannot scope a find below the vault)',
  azure(vault('kv-shared'), vault('kv-shared'), { find: { tags: { env: 'dev' } } }, { key: 'db' }),
);
report(
  '07zb KV: dev static SP credentials on shared vault reading "db"; prod reads "db" through identity',
  'flagged',
  azure(
    vault('kv-shared', { credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp', tenantId: TENANT } as never) }),
    vault('kv-shared'),
    { key: 'db' },
    { key: 'db' },
  ),
);

/** Two GCP Spaces in different projects. */
const gcp =
  (devSm: () => GcpSecretManager, prodSm: () => GcpSecretManager, dev: Ref, prod: Ref, owns?: SecretOwnership[]) =>
  (app: TopologyApp): void => {
    const e = envs(app, owns ? { prodOwns: owns } : {});
    for (const [name, env, sm, ref, proj, num] of [
      ['dev', e.dev, devSm, dev, 'acme-dev-spaces', '100000000001'],
      ['prod', e.prod, prodSm, prod, 'acme-prod-spaces', '100000000002'],
    ] as const) {
      const g = new Group(
        new Space(app, `gke-${name}`, {
          cloud: 'gcp',
          identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: proj, projectNumber: num }),
        }),
        'g',
      );
      new ControlPlane(g, `${name}-1`, { environment: env, controlPlaneId: uuid(name.length), namespaces: ['apps'] });
      const s = new SecretStore(g, 'gsm', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(env) });
      new SharedSecret(g, 's', { store: s, ...props(ref) });
    }
  };
report(
  '07zc GCP: prod owns project by number only; dev store names the project by id (number nowhere paired)',
  'flagged or refused (cannot tell)',
  gcp(
    () => new GcpSecretManager({ projectId: 'acme-prod' }),
    () => new GcpSecretManager({ projectId: 'acme-prod-x', projectNumber: '300000000009' }),
    { key: 'db' },
    { key: 'x' },
    [SecretOwnership.gcpSecretManager({ projects: ['300000000003'] })],
  ),
);
report(
  '07zd GCP: dev store projectId acme-dev, key "projects/acme-prod/secrets/db"',
  'flagged or refused',
  gcp(
    () => new GcpSecretManager({ projectId: 'acme-dev', credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'sa' }) }),
    () => new GcpSecretManager({ projectId: 'acme-prod' }),
    { key: 'projects/acme-prod/secrets/db' },
    { key: 'db' },
    [SecretOwnership.gcpSecretManager({ projects: ['acme-prod'] })],
  ),
);
report(
  '07ze GCP: dev store on prod project with location (regional) vs prod owns project',
  'flagged',
  gcp(
    () => new GcpSecretManager({ projectId: 'acme-prod', location: 'europe-west1' }),
    () => new GcpSecretManager({ projectId: 'acme-prod' }),
    { key: 'db' },
    { key: 'x' },
    [SecretOwnership.gcpSecretManager({ projects: ['acme-prod'] })],
  ),
);
report(
  '07zf GCP: dev find nameRegexp "^prod_" on shared project, prod owns secretIds ["prod_"]',
  'flagged',
  gcp(
    () => new GcpSecretManager({ projectId: 'acme-shared', projectNumber: '300000000001' }),
    () => new GcpSecretManager({ projectId: 'acme-shared', projectNumber: '300000000001' }),
    { find: { nameRegexp: '^prod_' } },
    { key: 'prod_db' },
    [SecretOwnership.gcpSecretManager({ secretIds: ['prod_'] })],
  ),
);

// The same with static credentials (no identity: no resourceId / projectNumber needed).
const sp = () => StaticCredentials.azureServicePrincipal({ secretName: 'dev-sp' } as never);
const kvCreds = (url: string) => () => new AzureKeyVault({ vaultUrl: url, tenantId: TENANT, credentials: sp() } as never);
report(
  '07v2 KV creds: dev vault URL in upper case, prod owns kv-prod',
  'flagged',
  azure(kvCreds('https://KV-PROD.vault.azure.net'), vault('kv-prod'), { key: 'db' }, { key: 'x' }, [
    SecretOwnership.azureKeyVault({ vaults: ['kv-prod'] }),
  ]),
);
report(
  '07y2 KV creds: dev vault in azure.cn sovereign URL; prod owns by resource id kv-prod (public cloud)',
  'clean or flagged (different clouds are different vaults; the declaration names no cloud)',
  azure(kvCreds('https://kv-prod.vault.azure.cn'), vault('kv-prod'), { key: 'db' }, { key: 'x' }, [
    SecretOwnership.azureKeyVault({
      vaults: [`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-prod`],
    }),
  ]),
);
report(
  '07y3 KV creds: dev vault URL with trailing path "https://kv-prod.vault.azure.net/"',
  'flagged',
  azure(kvCreds('https://kv-prod.vault.azure.net/'), vault('kv-prod'), { key: 'db' }, { key: 'x' }, [
    SecretOwnership.azureKeyVault({ vaults: ['https://kv-prod.vault.azure.net'] }),
  ]),
);
const gsa = () => StaticCredentials.gcpServiceAccountKey({ secretName: 'dev-sa' });
report(
  '07zc2 GCP creds: prod owns project by number only; dev store names project by id (never paired)',
  'flagged or refused (the analysis cannot tell id and number apart)',
  gcp(
    () => new GcpSecretManager({ projectId: 'acme-prod', credentials: gsa() }),
    () => new GcpSecretManager({ projectId: 'acme-prod-x', projectNumber: '300000000009' }),
    { key: 'db' },
    { key: 'x' },
    [SecretOwnership.gcpSecretManager({ projects: ['300000000003'] })],
  ),
);
report(
  '07zc3 GCP creds: prod owns by id; dev store names the project by its number only',
  'flagged or refused',
  gcp(
    () => new GcpSecretManager({ projectId: '300000000003', credentials: gsa() } as never),
    () => new GcpSecretManager({ projectId: 'acme-prod-x', projectNumber: '300000000009' }),
    { key: 'db' },
    { key: 'x' },
    [SecretOwnership.gcpSecretManager({ projects: ['acme-prod'] })],
  ),
);
report(
  '07zc4 GCP: no declaration; prod identity store reads acme-prod (id+number); dev creds store reads project by id only, same secret',
  'flagged',
  gcp(
    () => new GcpSecretManager({ projectId: 'acme-prod', credentials: gsa() }),
    () => new GcpSecretManager({ projectId: 'acme-prod', projectNumber: '300000000003' }),
    { key: 'db' },
    { key: 'db' },
  ),
);
report(
  '07ze2 GCP creds: dev store on prod project with a location',
  'flagged',
  gcp(
    () => new GcpSecretManager({ projectId: 'acme-prod', location: 'europe-west1', credentials: gsa() }),
    () => new GcpSecretManager({ projectId: 'acme-prod', projectNumber: '300000000003' }),
    { key: 'db' },
    { key: 'x' },
    [SecretOwnership.gcpSecretManager({ projects: ['acme-prod'] })],
  ),
);
