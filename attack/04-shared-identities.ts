/**
 * Classes 4 and 5 (identities shared across Spaces; GKE pool sameness) — next variants:
 *  a) Azure: two Spaces with one clientId (one real identity, what the pods use) but different identityName;
 *  b) Azure: one identity, resource group / identity name in another letter case, issuer with trailing slash variants;
 *  c) GCP: dev Space impersonates a service account, prod Space grants its pool principal; same project and host namespace;
 *  d) GCP: service-account email in upper case in one Space;
 *  e) GCP: same pool through a plain EsoCluster whose controller namespace/SA equal a prod plane's host namespace;
 *  f) AWS: one EsoCluster (no environment) and a dev Space: an EsoCluster store chaining into the prod Space's role.
 */
import {
  AzureKeyVault,
  ControlPlane,
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  GcpSecretManager,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  type TopologyApp,
} from '../lib/index.js';
import { report } from './harness.js';
import { APPS, SUBSCRIPTION, TENANT, envs, uuid } from './fixtures.js';

const azure = (
  name: string,
  p: { clientId?: string; identityName?: string; resourceGroup?: string; issuer?: string } = {},
): SpaceIdentity =>
  SpaceIdentity.azureWorkloadIdentity({
    tenantId: TENANT,
    clientId: p.clientId ?? '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b',
    subscriptionId: SUBSCRIPTION,
    resourceGroup: p.resourceGroup ?? 'rg',
    identityName: p.identityName ?? 'shared-secrets',
    oidcIssuer: p.issuer ?? `https://westeurope.oic.prod-aks.azure.com/${TENANT}/${name}/`,
  });

const azureTwoSpaces = (devId: SpaceIdentity, prodId: SpaceIdentity) => (app: TopologyApp) => {
  const e = envs(app);
  for (const [name, env, vault, id] of [
    ['az-dev', e.dev, 'kv-dev', devId],
    ['az-prod', e.prod, 'kv-prod', prodId],
  ] as const) {
    const g = new Group(new Space(app, name, { cloud: 'azure', identity: id }), 'g');
    new ControlPlane(g, `${name}-1`, { environment: env, controlPlaneId: uuid(name.length), namespaces: ['apps'] });
    const s = new SecretStore(g, 'kv', {
      namespaces: APPS,
      provider: new AzureKeyVault({
        vaultUrl: `https://${vault}.vault.azure.net`,
        resourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${vault}`,
      }),
      planes: Planes.inEnvironments(env),
    });
    new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'db' }] });
  }
};

report(
  '04a Azure: one clientId, two identity names',
  'flagged or refused (the pods of both Spaces use one identity)',
  azureTwoSpaces(azure('az-dev', { identityName: 'dev-secrets' }), azure('az-prod', { identityName: 'prod-secrets' })),
  { show: ['az-dev/helm/spaces-values.yaml', 'az-prod/helm/spaces-values.yaml'] },
);
report(
  '04b Azure: one identity, name and resource group in other case',
  'flagged',
  azureTwoSpaces(azure('az-dev', { identityName: 'Shared-Secrets', resourceGroup: 'RG' }), azure('az-prod')),
);

const gcp = (build: (app: TopologyApp, e: ReturnType<typeof envs>) => void) => (app: TopologyApp) => build(app, envs(app));
const gcpSpace = (
  app: TopologyApp,
  name: string,
  env: ReturnType<typeof envs>['dev'],
  identity: SpaceIdentity,
  host: string,
  project: string,
  number: string,
): void => {
  const g = new Group(new Space(app, name, { cloud: 'gcp', identity }), 'g');
  new ControlPlane(g, `${name}-1`, { environment: env, hostNamespace: host, namespaces: ['apps'] });
  const s = new SecretStore(g, 'gsm', {
    namespaces: APPS,
    provider: new GcpSecretManager({ projectId: project, projectNumber: number }),
    planes: Planes.inEnvironments(env),
  });
  new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'db' }] });
};

report(
  '04c GCP: dev impersonates an SA, prod grants its pool principal; same project and host namespace',
  'flagged',
  gcp((app, e) => {
    gcpSpace(
      app,
      'gke-dev',
      e.dev,
      SpaceIdentity.gcpImpersonation({
        projectId: 'acme-spaces',
        projectNumber: '123456789012',
        serviceAccountEmail: 'eso-dev@acme-spaces.iam.gserviceaccount.com',
      }),
      'mxp-shared-system',
      'acme-dev',
      '200000000001',
    );
    gcpSpace(
      app,
      'gke-prod',
      e.prod,
      SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' }),
      'mxp-shared-system',
      'acme-prod',
      '200000000002',
    );
  }),
);
report(
  '04d GCP: one impersonated SA, email in upper case in the dev Space',
  'flagged',
  gcp((app, e) => {
    gcpSpace(
      app,
      'gke-dev',
      e.dev,
      SpaceIdentity.gcpImpersonation({
        projectId: 'acme-dev-spaces',
        projectNumber: '123456789013',
        serviceAccountEmail: 'ESO@acme-shared.iam.gserviceaccount.com',
      }),
      'mxp-a-system',
      'acme-dev',
      '200000000001',
    );
    gcpSpace(
      app,
      'gke-prod',
      e.prod,
      SpaceIdentity.gcpImpersonation({
        projectId: 'acme-prod-spaces',
        projectNumber: '123456789014',
        serviceAccountEmail: 'eso@acme-shared.iam.gserviceaccount.com',
      }),
      'mxp-b-system',
      'acme-prod',
      '200000000002',
    );
  }),
);
report(
  '04e GCP: two Spaces, same project, host namespaces differ only in case',
  'flagged (Kubernetes namespaces are lower case: same principal) or refused',
  gcp((app, e) => {
    gcpSpace(
      app,
      'gke-dev',
      e.dev,
      SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' }),
      'MXP-shared-system',
      'acme-dev',
      '200000000001',
    );
    gcpSpace(
      app,
      'gke-prod',
      e.prod,
      SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' }),
      'mxp-shared-system',
      'acme-prod',
      '200000000002',
    );
  }),
);
report(
  '04f GCP: dev Space by controlPlaneId in upper case vs prod hostNamespace of the same id',
  'flagged or refused',
  gcp((app, e) => {
    const id = SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' });
    const gd = new Group(new Space(app, 'gke-dev', { cloud: 'gcp', identity: id }), 'g');
    new ControlPlane(gd, 'dev-1', { environment: e.dev, controlPlaneId: 'AAAAAAAA-0000-4000-8000-000000000001', namespaces: ['apps'] });
    const ds = new SecretStore(gd, 'gsm', {
      namespaces: APPS,
      provider: new GcpSecretManager({ projectId: 'acme-dev', projectNumber: '200000000001' }),
      planes: Planes.inEnvironments(e.dev),
    });
    new SharedSecret(gd, 's', { store: ds, data: [{ secretKey: 'k', remoteKey: 'db' }] });
    gcpSpace(
      app,
      'gke-prod',
      e.prod,
      SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' }),
      'mxp-aaaaaaaa-0000-4000-8000-000000000001-system',
      'acme-prod',
      '200000000002',
    );
  }),
);
report(
  '04g GCP: an EsoCluster in the pool project whose controller namespace is a prod plane host namespace',
  'prod grants reachable by the cluster (not a plane: no row expected); dev plane clean',
  gcp((app, e) => {
    gcpSpace(
      app,
      'gke-prod',
      e.prod,
      SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' }),
      'mxp-shared-system',
      'acme-prod',
      '200000000002',
    );
    const c = new EsoCluster(app, 'tools', {
      cloud: 'gcp',
      identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' }),
      namespace: 'mxp-shared-system',
      serviceAccountName: 'external-secrets-controller',
    });
    const es = new EsoSecretStore(c, 'gsm', {
      provider: new GcpSecretManager({ projectId: 'acme-dev', projectNumber: '200000000001' }),
      namespaces: Namespaces.named('a'),
    });
    new EsoExternalSecret(c, 'x', { store: es, namespace: 'a', data: [{ secretKey: 'k', remoteKey: 'tool' }] });
  }),
);
