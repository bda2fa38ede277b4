/**
 * Example: GitOps delivery of a self-hosted Space, an Upbound Cloud Space and a plain ESO cluster,
 * with Argo CD or Flux.
 *
 * - The self-hosted Space (EKS, IRSA) gets one Application / Kustomization per group and the
 *   Spaces Helm release fed with the generated values file.
 * - The Cloud Space cannot be synced directly (its API has no watch): its Shared* objects are
 *   wrapped in provider-kubernetes Objects under `spaces/<space>/cloud-objects/`, delivered to
 *   the control plane `delivery-cp` that runs provider-kubernetes.
 * - The ESO cluster gets its directory and the ESO Helm release.
 *
 *   npx tsx examples/gitops.ts [argocd|flux]   # writes $CDK8S_OUTDIR, default examples/dist/gitops-<tool>
 */
import { pathToFileURL } from 'node:url';
import {
  ArgoCdDelivery,
  AwsSecretsManager,
  ControlPlane,
  Environment,
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  FluxDelivery,
  GcpSecretManager,
  type FluxHelmInstallOptions,
  type FluxHelmUpgradeOptions,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
} from '../lib/index.js';

/** Which GitOps tool the example wires. */
export type GitOpsTool = 'argocd' | 'flux';

/** Repository path of the example's output. */
export const GITOPS_REPO_PATH = 'dist';

/** Variations of the example's delivery (each an option of ArgoCdDelivery or of the Flux Spaces chart). */
export interface GitOpsOptions {
  /** Argo CD: one ApplicationSet per Space / cluster. */
  readonly applicationSet?: boolean;
  /** Argo CD: inline base values of the Spaces release. */
  readonly values?: Record<string, unknown>;
  /** Flux: the Spaces chart registry's credentials Secret. */
  readonly secretRef?: string;
  /** Flux: install settings of the Spaces release. */
  readonly install?: FluxHelmInstallOptions;
  /** Flux: upgrade settings of the Spaces release. */
  readonly upgrade?: FluxHelmUpgradeOptions;
  /** Flux: the ESO chart repository's credentials Secret. */
  readonly esoSecretRef?: string;
  /** Argo CD: inline base values of the ESO release. */
  readonly esoValues?: Record<string, unknown>;
  /** Argo CD: value files of the Spaces release. @default ['platform/spaces-base-values.yaml'] */
  readonly valueFiles?: string[];
}

/** Declares the GitOps example below `app`. */
export function buildGitOps(app: TopologyApp, tool: GitOpsTool = 'argocd', options: GitOpsOptions = {}): TopologyApp {
  const prod = new Environment(app, 'prod', { production: true, refreshInterval: '15m' });

  const eks = new Space(app, 'aws-eu', {
    cloud: 'aws',
    identity: SpaceIdentity.awsIrsa({
      accountId: '111122223333',
      oidcIssuer: 'https://oidc.eks.eu-central-1.amazonaws.com/id/8A1B2C3D4E5F60718293A4B5C6D7E8F9',
    }),
  });
  const platform = new Group(eks, 'platform');
  new ControlPlane(platform, 'eu-prod-1', {
    environment: prod,
    controlPlaneId: 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa',
    namespaces: ['crossplane-system'],
  });
  const sm = new SecretStore(platform, 'aws-sm-prod', {
    provider: new AwsSecretsManager({ region: 'eu-central-1' }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('crossplane-system'),
  });
  new SharedSecret(platform, 'provider-aws', {
    store: sm,
    target: { name: 'provider-aws-credentials' },
    data: [{ secretKey: 'credentials', remoteKey: 'prod/platform/provider-aws', property: 'ini' }],
  });

  const cloud = new Space(app, 'upbound-us', { cloud: 'gcp', hosting: 'cloud' });
  const apps = new Group(cloud, 'apps');
  new ControlPlane(apps, 'us-prod-1', { environment: prod, namespaces: ['default'] });
  const gsm = new SecretStore(apps, 'gsm-prod', {
    provider: new GcpSecretManager({
      projectId: 'acme-apps-prod',
      credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'gsm-sa-key' }),
    }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('default'),
  });
  new SharedSecret(apps, 'api-token', { store: gsm, data: [{ secretKey: 'token', remoteKey: 'api-token' }] });

  const tools = new EsoCluster(app, 'tools', {
    cloud: 'aws',
    identity: SpaceIdentity.awsPodIdentity({ accountId: '111122223333', clusterName: 'tools' }),
  });
  const toolsSm = new EsoSecretStore(tools, 'aws-sm', {
    provider: new AwsSecretsManager({ region: 'eu-central-1' }),
    namespaces: Namespaces.named('ci'),
  });
  new EsoExternalSecret(tools, 'ci-token', {
    store: toolsSm,
    namespace: 'ci',
    data: [{ secretKey: 'token', remoteKey: 'tools/ci/token' }],
  });

  const repo = 'https://github.com/acme/platform-secrets.git';
  if (tool === 'argocd') {
    new ArgoCdDelivery(app, 'argocd', {
      repoUrl: repo,
      path: GITOPS_REPO_PATH,
      destinations: {
        'aws-eu': { server: 'https://A1B2C3D4E5.gr7.eu-central-1.eks.amazonaws.com' },
        'upbound-us': { name: 'delivery-cp' },
        tools: { name: 'tools' },
      },
      spacesChart: { version: '1.17.0', valueFiles: options.valueFiles ?? ['platform/spaces-base-values.yaml'], values: options.values },
      esoChart: { version: '2.9.0', values: options.esoValues },
      applicationSet: options.applicationSet,
    });
  } else {
    new FluxDelivery(app, 'flux', {
      url: repo,
      path: GITOPS_REPO_PATH,
      targets: {
        'aws-eu': { kubeConfigSecret: 'aws-eu-kubeconfig', kubeConfigKey: 'value' },
        'upbound-us': { kubeConfigSecret: 'delivery-cp-kubeconfig' },
        tools: {},
      },
      spacesChart: {
        version: '1.17.0',
        valuesFrom: [{ kind: 'Secret', name: 'spaces-base-values' }],
        secretRef: options.secretRef,
        install: options.install,
        upgrade: options.upgrade,
      },
      esoChart: { version: '2.9.0', secretRef: options.esoSecretRef },
    });
  }
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tool: GitOpsTool = process.argv[2] === 'flux' ? 'flux' : 'argocd';
  buildGitOps(new TopologyApp({ outdir: process.env.CDK8S_OUTDIR ?? `examples/dist/gitops-${tool}` }), tool).synth();
}
