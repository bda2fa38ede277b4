/**
 * The example secrets topology: four Spaces (two EKS, AKS, GKE), five groups, thirteen control
 * planes over dev / staging / prod, stores on AWS Secrets Manager, AWS Parameter Store, Azure Key
 * Vault and GCP Secret Manager, every workload-identity mode that keeps environments apart, and
 * Argo CD delivery. `npm run synth` (or `cdk8s synth`) compiles it into dist/.
 */
import { pathToFileURL } from 'node:url';
import {
  ArgoCdDelivery,
  AwsParameterStore,
  AwsSecretsManager,
  AzureKeyVault,
  ControlPlane,
  Environment,
  GcpSecretManager,
  Group,
  Namespaces,
  Planes,
  SecretOwnership,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
} from './lib/index.js';

/** Declares the example topology below `app`. */
export function buildExample(app: TopologyApp): TopologyApp {
  // Each environment declares the remote secrets it owns, per backend: a secret an environment owns
  // that reaches a plane of another environment stops synthesis, wherever it is delivered.
  const dev = new Environment(app, 'dev', {
    refreshInterval: '1h',
    owns: [SecretOwnership.awsSecretsManager({ prefixes: ['dev/'] }), SecretOwnership.azureKeyVault({ vaults: ['kv-data-dev'] })],
  });
  const staging = new Environment(app, 'staging', {
    refreshInterval: '1h',
    owns: [
      SecretOwnership.awsSecretsManager({ prefixes: ['staging/'] }),
      SecretOwnership.gcpSecretManager({ projects: ['acme-analytics-staging'] }),
    ],
  });
  const prod = new Environment(app, 'prod', {
    refreshInterval: '15m',
    production: true,
    owns: [
      SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] }),
      SecretOwnership.awsParameterStore({ paths: ['/prod/'] }),
      SecretOwnership.azureKeyVault({ vaults: ['kv-data-prod'] }),
      SecretOwnership.gcpSecretManager({ projects: ['acme-analytics-prod'] }),
    ],
  });

  // ---------------------------------------------------------------------------------------------
  // Space on EKS (eu-central-1) holding dev, staging and prod planes. EKS Pod Identity gives one
  // IAM role per group and environment (an association per plane host namespace), so a dev
  // plane's controller cannot read prod secrets, nor payments' platform's. (IRSA would share one
  // role across the whole Space.) The roles, policies and pod identity associations are also
  // emitted as Crossplane managed resources (iam/aws/crossplane/), namespaced (Crossplane v2).
  const awsEu = new Space(app, 'aws-eu', {
    cloud: 'aws',
    identity: SpaceIdentity.awsPodIdentity({
      accountId: '111122223333',
      clusterName: 'spaces-eu',
      region: 'eu-central-1',
      roleScope: 'group-environment',
      crossplane: { namespace: 'platform-iam' },
    }),
  });

  const platform = new Group(awsEu, 'platform');
  const teamNamespaces = [
    'crossplane-system',
    { name: 'team-a', labels: { team: 'a', 'secrets.example.com/consumer': 'true' } },
    { name: 'team-b', labels: { team: 'b', 'secrets.example.com/consumer': 'true' } },
  ];
  new ControlPlane(platform, 'eu-dev-1', {
    environment: dev,
    controlPlaneId: '3f1c2a9e-5b7d-4e21-9a0c-6d8e7f1b2c3d',
    namespaces: teamNamespaces,
  });
  new ControlPlane(platform, 'eu-staging-1', {
    environment: staging,
    controlPlaneId: '7a2b4c6d-8e9f-4a1b-9c2d-3e4f5a6b7c8d',
    namespaces: teamNamespaces,
  });
  const euProd1 = new ControlPlane(platform, 'eu-prod-1', {
    environment: prod,
    labels: { region: 'eu-central-1' },
    controlPlaneId: 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa',
    namespaces: teamNamespaces,
  });
  new ControlPlane(platform, 'eu-prod-2', {
    environment: prod,
    labels: { region: 'eu-central-1' },
    hostNamespace: 'mxp-eu-prod-2-system',
    namespaces: teamNamespaces,
  });

  // Separate stores and secrets per environment. A plane can name every SharedSecretStore of its
  // group (the upboundspaces provider ignores their selectors), so what keeps environments apart
  // here is the identity: each plane's Pod Identity role reads only its environment's secrets.
  const smProd = new SecretStore(platform, 'aws-sm-prod', {
    provider: new AwsSecretsManager({ region: 'eu-central-1' }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('crossplane-system', 'team-a', 'team-b'),
  });
  const smByEnv = [dev, staging].map(
    (env) =>
      [
        env,
        new SecretStore(platform, `aws-sm-${env.name}`, {
          provider: new AwsSecretsManager({ region: 'eu-central-1' }),
          planes: Planes.inEnvironments(env),
          namespaces: Namespaces.named('crossplane-system', 'team-a', 'team-b'),
        }),
      ] as const,
  );
  const psProd = new SecretStore(platform, 'aws-ps-prod', {
    provider: new AwsParameterStore({ region: 'eu-central-1' }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.matching({ matchLabels: { 'secrets.example.com/consumer': 'true' } }),
  });

  new SharedSecret(platform, 'provider-aws-prod', {
    store: smProd,
    namespaces: Namespaces.named('crossplane-system'),
    target: { name: 'provider-aws-credentials' },
    data: [{ secretKey: 'credentials', remoteKey: 'prod/platform/provider-aws', property: 'ini' }],
  });
  for (const [env, store] of smByEnv) {
    new SharedSecret(platform, `provider-aws-${env.name}`, {
      store,
      namespaces: Namespaces.named('crossplane-system'),
      target: { name: 'provider-aws-credentials' },
      data: [{ secretKey: 'credentials', remoteKey: `${env.name}/platform/provider-aws`, property: 'ini' }],
    });
  }
  new SharedSecret(platform, 'db-credentials', {
    store: smProd,
    namespaces: Namespaces.named('team-a'),
    target: {
      name: 'db-credentials',
      template: {
        type: 'Opaque',
        data: { url: 'postgres://{{ .username }}:{{ .password }}@db.prod.internal:5432/app' },
      },
    },
    data: [
      { secretKey: 'username', remoteKey: 'prod/team-a/db', property: 'username' },
      { secretKey: 'password', remoteKey: 'prod/team-a/db', property: 'password' },
      { secretKey: 'password-previous', remoteKey: 'prod/team-a/db', property: 'password', version: 'AWSPREVIOUS' },
    ],
  });
  new SharedSecret(platform, 'eu-prod-1-tls', {
    store: smProd,
    planes: Planes.named(euProd1),
    namespaces: Namespaces.named('team-b'),
    target: { name: 'ingress-tls', template: { type: 'kubernetes.io/tls' } },
    dataFrom: [{ extract: { key: 'prod/eu-prod-1/tls' } }],
  });
  new SharedSecret(platform, 'team-config', {
    store: psProd,
    refreshInterval: '1h',
    refreshPolicy: 'Periodic',
    dataFrom: [{ find: { path: '/prod/shared-config/', nameRegexp: '.*' } }],
  });

  // A second group on the same Space: payments keeps its own planes and stores.
  const payments = new Group(awsEu, 'payments');
  new ControlPlane(payments, 'pay-dev-1', {
    environment: dev,
    controlPlaneId: 'c4d5e6f7-0819-4a2b-8c3d-4e5f60718293',
    namespaces: ['crossplane-system', { name: 'payments', labels: { 'pci-scope': 'true' } }],
  });
  new ControlPlane(payments, 'pay-prod-1', {
    environment: prod,
    labels: { 'pci-scope': 'true' },
    controlPlaneId: 'd5e6f708-192a-4b3c-9d4e-5f6071829304',
    namespaces: ['crossplane-system', { name: 'payments', labels: { 'pci-scope': 'true' } }],
  });
  const paySmProd = new SecretStore(payments, 'payments-sm-prod', {
    provider: new AwsSecretsManager({
      region: 'eu-central-1',
      kmsKeyArns: ['arn:aws:kms:eu-central-1:111122223333:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'],
    }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('payments'),
  });
  const paySmDev = new SecretStore(payments, 'payments-sm-dev', {
    provider: new AwsSecretsManager({ region: 'eu-central-1' }),
    planes: Planes.inEnvironments(dev),
    namespaces: Namespaces.named('payments'),
  });
  new SharedSecret(payments, 'stripe-api-key', {
    store: paySmProd,
    data: [{ secretKey: 'api-key', remoteKey: 'prod/payments/stripe', property: 'secret_key' }],
  });
  new SharedSecret(payments, 'stripe-api-key-test', {
    store: paySmDev,
    target: { name: 'stripe-api-key' },
    data: [{ secretKey: 'api-key', remoteKey: 'dev/payments/stripe', property: 'secret_key' }],
  });

  // ---------------------------------------------------------------------------------------------
  // Space on EKS (us-east-1) for production only: IRSA, one role for the Space, trusted by the
  // exact service account of each plane.
  const awsUs = new Space(app, 'aws-us', {
    cloud: 'aws',
    identity: SpaceIdentity.awsIrsa({
      accountId: '444455556666',
      oidcIssuer: 'https://oidc.eks.us-east-1.amazonaws.com/id/5C6D7E8F90A1B2C3D4E5F60718293A4B',
    }),
  });
  const edge = new Group(awsUs, 'edge');
  for (const [name, id] of [
    ['us-prod-1', '2a3b4c5d-6e7f-4081-92a3-b4c5d6e7f809'],
    ['us-prod-2', '3b4c5d6e-7f80-4192-a3b4-c5d6e7f8091a'],
  ] as const) {
    new ControlPlane(edge, name, { environment: prod, controlPlaneId: id, namespaces: ['crossplane-system', 'ingress'] });
  }
  const smUs = new SecretStore(edge, 'aws-sm-us-prod', {
    provider: new AwsSecretsManager({ region: 'us-east-1' }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('ingress'),
  });
  new SharedSecret(edge, 'cdn-signing-key', {
    store: smUs,
    data: [{ secretKey: 'private-key.pem', remoteKey: 'prod/edge/cdn-signing-key' }],
  });

  // ---------------------------------------------------------------------------------------------
  // Space on AKS (westeurope). One managed identity per Space (the Helm values carry one client
  // ID), so workload identity serves the prod planes only; the dev plane reads its own vault with
  // a dev service principal, and gets no federated credential. The dev plane and its store live in a
  // group of their own: a plane can name every SharedSecretStore of its group, so a dev store with
  // static credentials beside the prod planes would let them read the dev vault (and vice versa).
  const azureWe = new Space(app, 'azure-we', {
    cloud: 'azure',
    identity: SpaceIdentity.azureWorkloadIdentity({
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      clientId: '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b',
      principalId: '9c8b7a6f-5e4d-4c3b-8a29-1f0e9d8c7b6a',
      subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      resourceGroup: 'rg-spaces-we',
      identityName: 'spaces-shared-secrets',
      oidcIssuer: 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/',
    }),
  });
  const data = new Group(azureWe, 'data');
  const dataDev = new Group(azureWe, 'data-dev');
  new ControlPlane(dataDev, 'data-dev-1', {
    environment: dev,
    controlPlaneId: 'e6f70819-2a3b-4c4d-8e5f-60718293a4b5',
    namespaces: ['crossplane-system', 'etl'],
  });
  for (const [name, id] of [
    ['data-prod-1', 'f7081920-3b4c-4d5e-9f60-718293a4b5c6'],
    ['data-prod-2', '4c5d6e7f-8091-4a2b-b4c5-d6e7f8091a2b'],
  ] as const) {
    new ControlPlane(data, name, { environment: prod, controlPlaneId: id, namespaces: ['crossplane-system', 'etl'] });
  }
  const kvProd = new SecretStore(data, 'kv-prod', {
    provider: new AzureKeyVault({
      vaultUrl: 'https://kv-data-prod.vault.azure.net',
      resourceId:
        '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/rg-data-we/providers/Microsoft.KeyVault/vaults/kv-data-prod',
    }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('etl'),
  });
  const kvDev = new SecretStore(dataDev, 'kv-dev', {
    provider: new AzureKeyVault({
      vaultUrl: 'https://kv-data-dev.vault.azure.net',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      credentials: StaticCredentials.azureServicePrincipal({ secretName: 'kv-dev-reader' }),
    }),
    planes: Planes.inEnvironments(dev),
    namespaces: Namespaces.named('etl'),
  });
  new SharedSecret(data, 'warehouse-dsn', {
    store: kvProd,
    data: [{ secretKey: 'dsn', remoteKey: 'warehouse-dsn' }],
  });
  new SharedSecret(dataDev, 'warehouse-dsn-dev', {
    store: kvDev,
    target: { name: 'warehouse-dsn' },
    data: [{ secretKey: 'dsn', remoteKey: 'warehouse-dsn' }],
  });

  // ---------------------------------------------------------------------------------------------
  // Space on GKE (us-central1); GCP workload identity with principal identifiers, plus one store
  // with a static service-account key for a project outside the cluster's reach, in the staging
  // group only (the prod planes could name it if it were in theirs).
  const gcpUs = new Space(app, 'gcp-us', {
    cloud: 'gcp',
    identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces-us', projectNumber: '123456789012' }),
  });
  const analytics = new Group(gcpUs, 'analytics');
  const analyticsStaging = new Group(gcpUs, 'analytics-staging');
  new ControlPlane(analyticsStaging, 'ana-staging-1', {
    environment: staging,
    controlPlaneId: '08192a3b-4c5d-4e6f-8071-8293a4b5c6d7',
    namespaces: ['crossplane-system', { name: 'reporting', labels: { team: 'bi' } }],
  });
  new ControlPlane(analytics, 'ana-prod-1', {
    environment: prod,
    controlPlaneId: '192a3b4c-5d6e-4f70-8192-93a4b5c6d7e8',
    namespaces: ['crossplane-system', { name: 'reporting', labels: { team: 'bi' } }],
  });
  const gsmProd = new SecretStore(analytics, 'gsm-prod', {
    provider: new GcpSecretManager({ projectId: 'acme-analytics-prod', projectNumber: '210987654321' }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.matching({ matchLabels: { team: 'bi' } }),
  });
  const gsmStaging = new SecretStore(analyticsStaging, 'gsm-staging', {
    provider: new GcpSecretManager({
      projectId: 'acme-analytics-staging',
      credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'gsm-staging-sa-key' }),
    }),
    planes: Planes.inEnvironments(staging),
    namespaces: Namespaces.matching({ matchLabels: { team: 'bi' } }),
  });
  new SharedSecret(analytics, 'bigquery-exporter', {
    store: gsmProd,
    data: [{ secretKey: 'key.json', remoteKey: 'bigquery-exporter-key' }],
  });
  new SharedSecret(analytics, 'looker-api', {
    store: gsmProd,
    dataFrom: [{ find: { nameRegexp: '^looker-api-' } }],
  });
  new SharedSecret(analyticsStaging, 'bigquery-exporter-staging', {
    store: gsmStaging,
    target: { name: 'bigquery-exporter' },
    data: [{ secretKey: 'key.json', remoteKey: 'bigquery-exporter-key' }],
  });

  // ---------------------------------------------------------------------------------------------
  // Delivery: Argo CD syncs each group directory to its Space and installs the Spaces chart with
  // the user's base values (a file of the repository, and inline values) and the generated values
  // file last. Inline values must not set a key the generated values set (a problem otherwise):
  // Argo CD applies them over every values file.
  new ArgoCdDelivery(app, 'argocd', {
    repoUrl: 'https://github.com/acme/platform-secrets.git',
    path: 'dist',
    destinations: {
      'aws-eu': { server: 'https://8A1B2C3D4E5F60718293A4B5C6D7E8F9.gr7.eu-central-1.eks.amazonaws.com' },
      'aws-us': { server: 'https://5C6D7E8F90A1B2C3D4E5F60718293A4B.gr7.us-east-1.eks.amazonaws.com' },
      'azure-we': { name: 'aks-spaces-we' },
      'gcp-us': { name: 'gke-spaces-us' },
    },
    spacesChart: {
      version: '1.17.0',
      valueFiles: ['platform/spaces-base-values.yaml'],
      values: { account: 'acme', api: { hpa: { enabled: true } } },
    },
  });

  return app;
}

// `tsx main.ts` / `cdk8s synth`: synthesize into $CDK8S_OUTDIR (default dist/).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildExample(new TopologyApp()).synth();
}
