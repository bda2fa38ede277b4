/**
 * Example: ESO in a Sveltos management cluster fetches secrets from GCP Secret Manager, and
 * Sveltos copies the resulting Secrets to the managed clusters selected by label.
 *
 * The management cluster (GKE) runs ESO with service-account impersonation; a ClusterSecretStore
 * serves only the namespace the distributed Secrets are materialized in. Flux (running on the
 * management cluster itself) applies everything, and installs the ESO chart with the generated
 * values.
 *
 *   npx tsx examples/sveltos.ts       # writes $CDK8S_OUTDIR, default examples/dist/sveltos
 */
import { pathToFileURL } from 'node:url';
import {
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  FluxDelivery,
  GcpSecretManager,
  Namespaces,
  SpaceIdentity,
  SveltosSecretDistribution,
  TopologyApp,
} from '../lib/index.js';

/** Declares the Sveltos example below `app`. */
export function buildSveltos(app: TopologyApp): TopologyApp {
  const mgmt = new EsoCluster(app, 'mgmt', {
    cloud: 'gcp',
    identity: SpaceIdentity.gcpImpersonation({
      projectId: 'acme-mgmt',
      projectNumber: '123456789012',
      serviceAccountEmail: 'external-secrets@acme-mgmt.iam.gserviceaccount.com',
    }),
  });
  const gsm = new EsoSecretStore(mgmt, 'gsm', {
    // projectNumber: the identity stage's IAM conditions name secrets by project number.
    provider: new GcpSecretManager({ projectId: 'acme-shared-secrets', projectNumber: '345678901234' }),
    namespaces: Namespaces.named('fleet-secrets'),
  });

  const pull = new EsoExternalSecret(mgmt, 'registry-pull', {
    store: gsm,
    namespace: 'fleet-secrets',
    target: { template: { type: 'kubernetes.io/dockerconfigjson' } },
    data: [{ secretKey: '.dockerconfigjson', remoteKey: 'registry-dockerconfig' }],
  });
  const telemetry = new EsoExternalSecret(mgmt, 'telemetry-token', {
    store: gsm,
    namespace: 'fleet-secrets',
    refreshInterval: '15m',
    data: [{ secretKey: 'token', remoteKey: 'telemetry-ingest-token' }],
  });

  new SveltosSecretDistribution(mgmt, 'registry-pull-prod', {
    secret: pull,
    clusterSelector: { matchLabels: { env: 'prod' } },
    targetNamespace: 'kube-system',
  });
  new SveltosSecretDistribution(mgmt, 'telemetry-token-all', {
    secret: telemetry,
    clusterSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'staging', 'prod'] }] },
    targetNamespace: 'observability',
    syncMode: 'ContinuousWithDriftDetection',
  });

  new FluxDelivery(app, 'flux', {
    url: 'https://github.com/acme/platform-secrets.git',
    path: 'examples/dist/sveltos',
    targets: { mgmt: {} },
    esoChart: { version: '2.9.0' },
  });
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildSveltos(new TopologyApp({ outdir: process.env.CDK8S_OUTDIR ?? 'examples/dist/sveltos' })).synth();
}
