/**
 * Example: a plain Kubernetes cluster running the External Secrets Operator (no Upbound Spaces).
 *
 * An EKS cluster whose ESO controller uses IRSA: a ClusterSecretStore on AWS Secrets Manager
 * restricted to two namespaces, a namespaced SecretStore on Parameter Store with static keys, an
 * ExternalSecret, a ClusterExternalSecret, a PushSecret, and Argo CD wiring that also installs
 * the ESO chart with the generated service-account annotation.
 *
 *   npx tsx examples/plain-eso.ts     # writes $CDK8S_OUTDIR, default examples/dist/plain-eso
 */
import { pathToFileURL } from 'node:url';
import {
  ArgoCdDelivery,
  AwsParameterStore,
  AwsSecretsManager,
  EsoCluster,
  EsoExternalSecret,
  EsoPushSecret,
  EsoSecretStore,
  Namespaces,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
} from '../lib/index.js';

/** Declares the plain-ESO example below `app`. */
export function buildPlainEso(app: TopologyApp): TopologyApp {
  const cluster = new EsoCluster(app, 'apps-eu', {
    cloud: 'aws',
    identity: SpaceIdentity.awsIrsa({
      accountId: '111122223333',
      oidcIssuer: 'https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
    }),
    roleArn: 'arn:aws:iam::111122223333:role/apps-eu-external-secrets',
  });

  // Cluster-wide store, usable only from the two team namespaces (spec.conditions).
  const sm = new EsoSecretStore(cluster, 'aws-sm', {
    provider: new AwsSecretsManager({ region: 'eu-central-1' }),
    namespaces: Namespaces.named('team-a', 'team-b'),
  });
  // Namespaced store with static keys (the Secret lives in team-a).
  const ps = new EsoSecretStore(cluster, 'aws-ps', {
    namespace: 'team-a',
    provider: new AwsParameterStore({
      region: 'eu-central-1',
      credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-ps-credentials' }),
    }),
  });

  new EsoExternalSecret(cluster, 'db-credentials', {
    store: sm,
    namespace: 'team-a',
    data: [
      { secretKey: 'username', remoteKey: 'prod/team-a/db', property: 'username' },
      { secretKey: 'password', remoteKey: 'prod/team-a/db', property: 'password' },
    ],
  });
  new EsoExternalSecret(cluster, 'feature-flags', {
    store: ps,
    dataFrom: [{ find: { path: '/team-a/flags/', nameRegexp: '.*' } }],
  });
  // One ClusterExternalSecret writes the same Secret into both team namespaces.
  new EsoExternalSecret(cluster, 'registry-pull', {
    store: sm,
    namespaces: Namespaces.named('team-a', 'team-b'),
    target: { name: 'registry-pull', template: { type: 'kubernetes.io/dockerconfigjson' } },
    data: [{ secretKey: '.dockerconfigjson', remoteKey: 'shared/registry/dockerconfig' }],
  });
  // Push a Secret generated in the cluster (e.g. by cert-manager) back to Secrets Manager.
  new EsoPushSecret(cluster, 'team-a-tls-backup', {
    store: sm,
    namespace: 'team-a',
    secretName: 'team-a-tls',
    data: [
      { secretKey: 'tls.crt', remoteKey: 'backup/team-a/tls', property: 'crt' },
      { secretKey: 'tls.key', remoteKey: 'backup/team-a/tls', property: 'key' },
    ],
  });

  new ArgoCdDelivery(app, 'argocd', {
    repoUrl: 'https://github.com/acme/platform-secrets.git',
    path: 'examples/dist/plain-eso',
    destinations: { 'apps-eu': { name: 'apps-eu' } },
    esoChart: { version: '2.9.0' },
  });
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildPlainEso(new TopologyApp({ outdir: process.env.CDK8S_OUTDIR ?? 'examples/dist/plain-eso' })).synth();
}
