/**
 * False positives: clean, reasonable topologies that should synthesize (exit 0, 0 cross-environment).
 */
import {
  AwsParameterStore,
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
  type TopologyApp,
} from '../lib/index.js';
import { report } from './harness.js';
import { APPS, REGION, SUBSCRIPTION, TENANT, envs, podIdentity, sm, twoPlanes, uuid } from './fixtures.js';

report(
  '10a shared Key Vault, per-environment identities, per-secret role assignments (dev reads db-dev, prod reads db-prod)',
  'clean',
  (app: TopologyApp) => {
    const e = envs(app, {
      prodOwns: [SecretOwnership.azureKeyVault({ names: ['db-prod'] })],
      devOwns: [SecretOwnership.azureKeyVault({ names: ['db-dev'] })],
    });
    for (const [name, env, key, cid] of [
      ['dev', e.dev, 'db-dev', '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b'],
      ['prod', e.prod, 'db-prod', '6e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5c'],
    ] as const) {
      const identity = SpaceIdentity.azureWorkloadIdentity({
        tenantId: TENANT,
        clientId: cid,
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg',
        identityName: `${name}-secrets`,
        oidcIssuer: `https://westeurope.oic.prod-aks.azure.com/${TENANT}/${name}/`,
      });
      const g = new Group(new Space(app, `az-${name}`, { cloud: 'azure', identity }), 'g');
      new ControlPlane(g, `${name}-1`, { environment: env, controlPlaneId: uuid(name.length), namespaces: ['apps'] });
      const s = new SecretStore(g, 'kv', {
        namespaces: APPS,
        provider: new AzureKeyVault({
          vaultUrl: 'https://kv-shared.vault.azure.net',
          resourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-shared`,
        }),
        planes: Planes.inEnvironments(env),
      });
      new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: key }] });
    }
  },
);

report(
  '10b shared GCP project, per-environment projects for the pools, conditional bindings (dev_db / prod_db)',
  'clean',
  (app: TopologyApp) => {
    const e = envs(app, {
      prodOwns: [SecretOwnership.gcpSecretManager({ secretIds: ['prod_'] })],
      devOwns: [SecretOwnership.gcpSecretManager({ secretIds: ['dev_'] })],
    });
    for (const [name, env, proj, num] of [
      ['dev', e.dev, 'acme-dev-spaces', '100000000001'],
      ['prod', e.prod, 'acme-prod-spaces', '100000000002'],
    ] as const) {
      const g = new Group(
        new Space(app, `gke-${name}`, {
          cloud: 'gcp',
          identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: proj, projectNumber: num }),
        }),
        'g',
      );
      new ControlPlane(g, `${name}-1`, { environment: env, controlPlaneId: uuid(name.length), namespaces: ['apps'] });
      const s = new SecretStore(g, 'gsm', {
        namespaces: APPS,
        provider: new GcpSecretManager({ projectId: 'acme-shared', projectNumber: '300000000001' }),
        planes: Planes.inEnvironments(env),
      });
      new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: `${name}_db` }] });
    }
  },
);

report(
  '10c a non-sensitive shared secret (shared/ca-bundle) read by dev and prod through their own stores and roles',
  'clean (or a way to say "shared" without opting out)',
  (app: TopologyApp) => {
    const e = envs(app);
    const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
    twoPlanes(g, e);
    for (const env of [e.dev, e.prod]) {
      const s = new SecretStore(g, `sm-${env.name}`, { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(env) });
      new SharedSecret(g, `ca-${env.name}`, { store: s, data: [{ secretKey: 'ca', remoteKey: 'shared/ca-bundle' }] });
    }
  },
);

report('10d Parameter Store finds per environment (/dev/ and /prod/ with nameRegexp .*), owns declared', 'clean', (app: TopologyApp) => {
  const e = envs(app, {
    prodOwns: [SecretOwnership.awsParameterStore({ paths: ['/prod/'] })],
    devOwns: [SecretOwnership.awsParameterStore({ paths: ['/dev/'] })],
  });
  const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
  twoPlanes(g, e);
  for (const env of [e.dev, e.prod]) {
    const s = new SecretStore(g, `ps-${env.name}`, {
      namespaces: APPS,
      provider: new AwsParameterStore({ region: REGION }),
      planes: Planes.inEnvironments(env),
    });
    new SharedSecret(g, `all-${env.name}`, { store: s, dataFrom: [{ find: { path: `/${env.name}/`, nameRegexp: '.*' } }] });
  }
});

report(
  '10e Secrets Manager: prefixes "dev" and "devops/" owned by different environments; dev find path "dev/"',
  'clean',
  (app: TopologyApp) => {
    const e = envs(app, {
      prodOwns: [SecretOwnership.awsSecretsManager({ prefixes: ['devops/'] })],
      devOwns: [SecretOwnership.awsSecretsManager({ prefixes: ['dev/'] })],
    });
    const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
    twoPlanes(g, e);
    const d = new SecretStore(g, 'sm-dev', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.dev) });
    new SharedSecret(g, 'd', { store: d, dataFrom: [{ find: { path: 'dev/', nameRegexp: '.*' } }] });
    const p = new SecretStore(g, 'sm-prod', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.prod) });
    new SharedSecret(g, 'p', { store: p, data: [{ secretKey: 'k', remoteKey: 'devops/token' }] });
  },
);

report('10f Valid RE2 inline flag in a find: nameRegexp "(?i)^dev/"', 'accepted (ESO uses Go RE2)', (app: TopologyApp) => {
  const e = envs(app);
  const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
  twoPlanes(g, e);
  const d = new SecretStore(g, 'sm-dev', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.dev) });
  new SharedSecret(g, 'd', { store: d, dataFrom: [{ find: { path: 'dev/', nameRegexp: '(?i)^dev/' } }] });
});
