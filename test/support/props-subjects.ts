/**
 * The subjects of the JSON-props property (test/fuzz-json-props.test.ts): one per public
 * constructor or static factory that takes props (or whose arguments a schema checks). A subject is
 * its schema (the props it has), a small valid topology in which it is called once with props the
 * property may replace (`p(name, valid)`), and the construct path its problems are reported at.
 *
 * Four worlds hold the subjects: Spaces on AWS (and the app, delivery, files, guardrails), on
 * Azure, on GCP, and a plain ESO cluster with Sveltos and Flux. Each is valid as written (a test
 * says so): the property's problems are the replaced value's alone.
 */
import type { z } from 'zod';
import {
  ArgoCdDelivery,
  AwsParameterStore,
  AwsSecretsManager,
  AzureKeyVault,
  CloudSpaceObjects,
  ControlPlane,
  Environment,
  EsoCluster,
  EsoExternalSecret,
  EsoPushSecret,
  EsoSecretStore,
  FileArtifact,
  FluxDelivery,
  GcpSecretManager,
  Group,
  Guardrails,
  JsonFile,
  Namespaces,
  Planes,
  SecretOwnership,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  StoreIdentity,
  SveltosSecretDistribution,
  TextFile,
  TopologyApp,
  TopologyTesting,
  YamlFile,
  type AssumptionId,
  type LabelSelector,
  type RuleId,
} from '../../lib/index.js';
import * as model from '../../lib/model/props.js';
import * as stores from '../../lib/stores/props.js';
import * as secrets from '../../lib/secrets/props.js';
import * as eso from '../../lib/eso/props.js';
import * as delivery from '../../lib/delivery/props.js';
import * as targets from '../../lib/targets/props.js';
import * as output from '../../lib/output/props.js';
import * as guardrails from '../../lib/analysis/guardrails/props.js';
import { AZ_ISSUER, AZ_PRINCIPAL, AZ_TENANT, azureIdentityProps, vaultId } from '../fixtures/azure-topologies.js';

/** Props of a subject as the world passes them: replaced when `name` is the subject under test. */
export type PropsOf = <T>(name: string, valid: T) => T;

/** A valid topology that calls each of its subjects once through `p`. */
export type World = (app: TopologyApp, p: PropsOf) => void;

/** One public constructor or factory and where its problems are reported. */
export interface Subject {
  /** The call: `new Space`, `SpaceIdentity.awsIrsa`, `Planes.inEnvironments`. */
  readonly name: string;
  /** The schema its props (or arguments) are checked against. */
  readonly schema: z.ZodType;
  /** Its props argument may be left out (`new Group(space, 'g')`): undefined props are valid. */
  readonly propsOptional: boolean;
  /**
   * The schema names its positional arguments (a list for `...rest`, an object for named ones):
   * there is no props object to replace as a whole.
   */
  readonly positional?: true;
  /** Construct path of its problems; '' for the app. */
  readonly owner: string;
  /** What its problems start with at the owner (`identity: ` for the Space's identity factory). */
  readonly prefix: string;
  readonly world: World;
  /** The app of the world, made from the props under test (the app's own subjects). */
  readonly makeApp?: (props: unknown) => TopologyApp;
}

const ACCOUNT = '111122223333';
const ISSUER = 'https://oidc.eks.eu-central-1.amazonaws.com/id/8A1B2C3D4E5F60718293A4B5C6D7E8F9';
const PLANE_ID = 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa';
const REGION = 'eu-central-1';

/** Arguments of a `...rest` call, as the world passes them (a list, whatever the property put in it). */
const rest = <T>(args: T[]): T[] => args;

/** A file class of a user's (FileArtifact is abstract: the public way to call its constructor). */
class NoteFile extends FileArtifact {
  public render(): string {
    return 'note\n';
  }
}

/** Spaces on AWS, and the app, delivery, files and guardrails. Ids: prod, s (IRSA), s2 (Pod Identity), s/g/{cp,st,st2,sec}. */
export const awsWorld: World = (app, p) => {
  const prod = new Environment(
    app,
    'prod',
    p('new Environment', {
      name: 'prod',
      labels: { environment: 'prod' },
      refreshInterval: '15m',
      production: true,
      owns: [
        SecretOwnership.awsSecretsManager(
          p('SecretOwnership.awsSecretsManager', {
            prefixes: ['prod/'],
            names: ['shared-db'],
            arns: [`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod-legacy-AbCdEf`],
            region: REGION,
            accountId: ACCOUNT,
            partition: 'aws',
          }),
        ),
        SecretOwnership.awsParameterStore(
          p('SecretOwnership.awsParameterStore', { paths: ['/prod/'], region: REGION, accountId: ACCOUNT, partition: 'aws' }),
        ),
      ],
    }),
  );
  const space = new Space(
    app,
    's',
    p('new Space', {
      name: 's',
      cloud: 'aws' as const,
      hosting: 'self-hosted' as const,
      identity: SpaceIdentity.awsIrsa(
        p('SpaceIdentity.awsIrsa', {
          accountId: ACCOUNT,
          oidcIssuer: ISSUER,
          partition: 'aws',
          roleNamePrefix: 'platform-',
          trustPolicyMaxChars: 2048,
          maxManagedPoliciesPerRole: 10,
          permissionPolicy: 'managed' as const,
          crossplane: { providerConfigName: 'aws', namespace: 'crossplane-system', providerConfigKind: 'ProviderConfig' as const },
          storeAuth: 'service-account-ref' as const,
        }),
      ),
    }),
  );
  new Space(app, 's2', {
    cloud: 'aws',
    identity: SpaceIdentity.awsPodIdentity(
      p('SpaceIdentity.awsPodIdentity', {
        accountId: ACCOUNT,
        clusterName: 'spaces',
        region: REGION,
        roleScope: 'environment' as const,
        roleNamePrefix: 'spaces-',
        crossplane: false,
      }),
    ),
  });
  const group = new Group(
    space,
    'g',
    p('new Group', {
      name: 'g',
      manageNamespace: true,
      manageControlPlanes: true,
      requireEnvironment: true,
      namespaceLabels: { team: 'platform' },
    }),
  );
  const plane = new ControlPlane(
    group,
    'cp',
    p('new ControlPlane', {
      name: 'cp',
      environment: prod,
      labels: { region: 'eu' },
      controlPlaneId: PLANE_ID,
      namespaces: ['crossplane-system', { name: 'team-a', labels: { team: 'a' } }],
    }),
  );
  const store = new SecretStore(
    group,
    'st',
    p('new SecretStore', {
      name: 'st',
      provider: new AwsSecretsManager(
        p('new AwsSecretsManager', {
          region: REGION,
          accountId: ACCOUNT,
          kmsKeyArns: [`arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
          identity: StoreIdentity.awsIrsa(p('StoreIdentity.awsIrsa', { serviceAccount: 'team-a-secrets', roleName: 'team-a-secrets' })),
          forceDeleteWithoutRecovery: false,
          recoveryWindowInDays: 7,
        }),
      ),
      planes: Planes.inEnvironments(...rest(p('Planes.inEnvironments', [prod]))),
      namespaces: Namespaces.named(...rest(p('Namespaces.named', ['team-a']))),
      refreshInterval: 60,
      retry: { maxRetries: 3, retryInterval: '10s' },
      environment: prod,
    }),
  );
  new SecretStore(group, 'st2', {
    provider: new AwsParameterStore(
      p('new AwsParameterStore', {
        region: REGION,
        accountId: ACCOUNT,
        role: `arn:aws:iam::${ACCOUNT}:role/eso-prod-parameters`,
        kmsKeyArns: [],
        credentials: StaticCredentials.awsAccessKey(
          p('StaticCredentials.awsAccessKey', {
            secretName: 'aws-creds',
            accessKeyIdKey: 'access-key',
            secretAccessKeyKey: 'secret-access-key',
            sessionTokenKey: 'session-token',
            userArn: `arn:aws:iam::${ACCOUNT}:user/eso-prod`,
          }),
        ),
      }),
    ),
    planes: Planes.named(...rest(p('Planes.named', [plane]))),
    namespaces: Namespaces.matching(
      ...rest(
        p<LabelSelector[]>('Namespaces.matching', [
          { matchLabels: { team: 'a' }, matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] },
        ]),
      ),
    ),
  });
  new SharedSecret(
    group,
    'sec',
    p('new SharedSecret', {
      name: 'sec',
      store,
      data: [
        {
          secretKey: 'password',
          remoteKey: 'prod/db',
          property: 'password',
          version: 'AWSCURRENT',
          decodingStrategy: 'None' as const,
          metadataPolicy: 'None' as const,
        },
      ],
      dataFrom: [
        { extract: { key: 'prod/config', property: 'app', version: 'AWSCURRENT' }, rewrite: [{ regexp: { source: '^', target: 'app_' } }] },
      ],
      refreshPolicy: 'Periodic' as const,
      target: {
        name: 'db-credentials',
        creationPolicy: 'Owner' as const,
        deletionPolicy: 'Retain' as const,
        immutable: false,
        template: {
          type: 'Opaque',
          mergePolicy: 'Replace' as const,
          data: { url: 'postgres://{{ .password }}@db' },
          metadata: { labels: { app: 'db' }, annotations: { owner: 'platform' } },
        },
      },
      refreshInterval: '15m',
      planes: Planes.matching(...rest(p<LabelSelector[]>('Planes.matching', [{ matchLabels: { environment: 'prod' } }]))),
      namespaces: Namespaces.named('team-a'),
    }),
  );
  new ArgoCdDelivery(
    app,
    'argo',
    p('new ArgoCdDelivery', {
      repoUrl: 'https://github.com/acme/platform-secrets.git',
      targetRevision: 'main',
      path: 'dist',
      project: 'default',
      namespace: 'argocd',
      destinations: { s: { server: 'https://kubernetes.default.svc' }, s2: { name: 's2' } },
      granularity: 'group' as const,
      automated: true,
      prune: true,
      selfHeal: true,
      serverSideApply: true,
      protectControlPlanes: true,
      spacesChart: {
        version: '1.17.0',
        repository: 'oci://xpkg.upbound.io/spaces-artifacts',
        chart: 'spaces',
        releaseName: 'spaces',
        namespace: 'upbound-system',
        valueFiles: ['platform/spaces-values.yaml'],
        values: { account: 'acme' },
      },
      esoChart: { version: '2.9.0' },
      applicationSet: false,
    }),
  );
  new JsonFile(app, 'jf', p('new JsonFile', { path: 'meta/owners.json', content: { team: 'platform' } }));
  new YamlFile(app, 'yf', p('new YamlFile', { path: 'meta/notes.yaml', content: { team: 'platform' }, header: 'Generated.' }));
  new TextFile(app, 'tf', p('new TextFile', { path: 'meta/CODEOWNERS', text: '* @acme/platform' }));
  new NoteFile(app, 'fa', p('new FileArtifact', { path: 'meta/note.txt' }));
  const rule: RuleId = 'unused-opt-out';
  const allow = p('Guardrails.allow', { scope: app, rule, reason: 'the fuzz topology' });
  Guardrails.allow(allow.scope, allow.rule, allow.reason);
  const configure = p('Guardrails.configure', { app, settings: { minRefreshInterval: '1m', maxRefreshInterval: '24h' } });
  Guardrails.configure(configure.app, configure.settings);
  const assumption: AssumptionId = 'declared-namespaces-only';
  const assume = p('Guardrails.assume', {
    app,
    assumption,
    reason: 'planes only hold the namespaces they declare',
  });
  Guardrails.assume(assume.app, assume.assumption, assume.reason);
};

/** Spaces on Azure. Ids: prod, az, az/g/{cp,kv,kv2}. */
export const azureWorld: World = (app, p) => {
  const prod = new Environment(app, 'prod', {
    production: true,
    owns: [SecretOwnership.azureKeyVault(p('SecretOwnership.azureKeyVault', { vaults: ['kv-prod'], names: ['prod-'] }))],
  });
  const space = new Space(app, 'az', {
    cloud: 'azure',
    identity: SpaceIdentity.azureWorkloadIdentity(
      p('SpaceIdentity.azureWorkloadIdentity', {
        ...azureIdentityProps(),
        oidcIssuer: AZ_ISSUER,
        principalId: AZ_PRINCIPAL,
        location: 'westeurope',
        crossplane: false,
      }),
    ),
  });
  const group = new Group(space, 'g');
  new ControlPlane(group, 'cp', { environment: prod, controlPlaneId: PLANE_ID, namespaces: ['apps'] });
  new SecretStore(group, 'kv', {
    provider: new AzureKeyVault(
      p('new AzureKeyVault', {
        vaultUrl: 'https://kv-prod.vault.azure.net',
        tenantId: AZ_TENANT,
        resourceId: vaultId('kv-prod'),
        authorization: 'rbac' as const,
      }),
    ),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('apps'),
  });
  new SecretStore(group, 'kv2', {
    provider: new AzureKeyVault({
      vaultUrl: 'https://kv-two.vault.azure.net',
      tenantId: AZ_TENANT,
      credentials: StaticCredentials.azureServicePrincipal(
        p('StaticCredentials.azureServicePrincipal', { secretName: 'az-sp', clientIdKey: 'ClientID', clientSecretKey: 'ClientSecret' }),
      ),
    }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('apps'),
  });
};

/** Spaces on GCP. Ids: prod, gw (workload identity), gi (impersonation), gc (Upbound Cloud), cso. */
export const gcpWorld: World = (app, p) => {
  const prod = new Environment(app, 'prod', {
    production: true,
    owns: [SecretOwnership.gcpSecretManager(p('SecretOwnership.gcpSecretManager', { projects: ['acme-secrets'], secretIds: ['prod-'] }))],
  });
  const gw = new Space(app, 'gw', {
    cloud: 'gcp',
    identity: SpaceIdentity.gcpWorkloadIdentity(
      p('SpaceIdentity.gcpWorkloadIdentity', { projectId: 'acme-spaces', projectNumber: '123456789012', crossplane: false }),
    ),
  });
  const g = new Group(gw, 'g');
  new ControlPlane(g, 'cp', { environment: prod, controlPlaneId: PLANE_ID, namespaces: ['apps'] });
  new SecretStore(g, 'gsm', {
    provider: new GcpSecretManager(
      p('new GcpSecretManager', { projectId: 'acme-secrets', projectNumber: '345678901234', location: 'europe-west1' }),
    ),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('apps'),
  });
  new Space(app, 'gi', {
    cloud: 'gcp',
    identity: SpaceIdentity.gcpImpersonation(
      p('SpaceIdentity.gcpImpersonation', {
        projectId: 'acme-spaces',
        projectNumber: '123456789012',
        serviceAccountEmail: 'eso-secrets@acme-spaces.iam.gserviceaccount.com',
      }),
    ),
  });
  const gc = new Space(app, 'gc', { cloud: 'gcp', hosting: 'cloud' });
  const cg = new Group(gc, 'g');
  new ControlPlane(cg, 'cp', { environment: prod, namespaces: ['apps'] });
  new SecretStore(cg, 'gsm', {
    provider: new GcpSecretManager({
      projectId: 'acme-secrets',
      credentials: StaticCredentials.gcpServiceAccountKey(
        p('StaticCredentials.gcpServiceAccountKey', { secretName: 'gsm-sa-key', key: 'key.json' }),
      ),
    }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('apps'),
  });
  new CloudSpaceObjects(app, 'cso', p('new CloudSpaceObjects', { providerConfigs: { gc: 'gc' }, managementPolicies: ['*'] }));
};

/** A plain ESO cluster with Sveltos and Flux. Ids: prod, c, c/{sm,es,push,dist}, flux. */
export const esoWorld: World = (app, p) => {
  const prod = new Environment(app, 'prod', { production: true });
  const cluster = new EsoCluster(
    app,
    'c',
    p('new EsoCluster', {
      name: 'c',
      cloud: 'aws' as const,
      identity: SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: 'apps' }),
      namespace: 'external-secrets',
      serviceAccountName: 'external-secrets',
      environment: prod,
    }),
  );
  const sm = new EsoSecretStore(
    cluster,
    'sm',
    p('new EsoSecretStore', {
      name: 'sm',
      provider: new AwsSecretsManager({ region: REGION }),
      namespaces: Namespaces.named('team-a'),
      refreshInterval: 60,
    }),
  );
  const es = new EsoExternalSecret(
    cluster,
    'es',
    p('new EsoExternalSecret', {
      name: 'es',
      store: sm,
      namespace: 'team-a',
      target: { name: 'es' },
      refreshInterval: '1h',
      refreshPolicy: 'Periodic' as const,
      data: [{ secretKey: 'token', remoteKey: 'prod/token' }],
      dataFrom: [{ find: { path: 'prod/', tags: { team: 'a' } } }],
    }),
  );
  new EsoPushSecret(
    cluster,
    'push',
    p('new EsoPushSecret', {
      name: 'push',
      store: sm,
      namespace: 'team-a',
      secretName: 'tls',
      data: [
        {
          secretKey: 'tls.key',
          remoteKey: 'backup/tls',
          property: 'key',
          metadata: {
            secretPushFormat: 'string' as const,
            description: 'TLS key backup',
            tags: { team: 'a' },
            resourcePolicy: {
              policySourceRef: { kind: 'ConfigMap' as const, name: 'tls-policy', key: 'policy.json' },
              blockPublicPolicy: true,
            },
          },
        },
      ],
      refreshInterval: '1h',
      deletionPolicy: 'None' as const,
      updatePolicy: 'Replace' as const,
    }),
  );
  new SveltosSecretDistribution(
    cluster,
    'dist',
    p('new SveltosSecretDistribution', {
      name: 'dist',
      secret: es,
      clusterSelector: { matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      targetNamespace: 'kube-system',
      targetName: 'copy',
      syncMode: 'Continuous' as const,
    }),
  );
  new FluxDelivery(
    app,
    'flux',
    p('new FluxDelivery', {
      url: 'https://github.com/acme/platform-secrets.git',
      ref: { branch: 'main' },
      path: 'dist',
      namespace: 'flux-system',
      targets: { c: { kubeConfigSecret: 'c-kubeconfig', kubeConfigKey: 'value' } },
      granularity: 'group' as const,
      prune: true,
      protectControlPlanes: true,
      interval: '10m',
      sourceInterval: '1m',
      esoChart: {
        version: '2.9.0',
        valuesFrom: [{ kind: 'Secret', name: 'eso-values', valuesKey: 'values.yaml' }],
        values: { replicaCount: 2 },
        install: { retries: 3, remediateLastFailure: true, crds: 'CreateReplace' as const },
        upgrade: { retries: 3, strategy: 'rollback' as const, cleanupOnFail: true, crds: 'CreateReplace' as const },
      },
    }),
  );
};

const s = (
  name: string,
  schema: z.ZodType,
  world: World,
  owner: string,
  options: { prefix?: string; propsOptional?: boolean; positional?: true; makeApp?: (props: unknown) => TopologyApp } = {},
): Subject => ({ name, schema, world, owner, prefix: options.prefix ?? '', propsOptional: options.propsOptional ?? false, ...options });

/** Every subject. */
export const SUBJECTS: readonly Subject[] = [
  s('new TopologyApp', output.TopologyAppPropsSchema, awsWorld, '', {
    propsOptional: true,
    makeApp: (props) => new TopologyApp(props as ConstructorParameters<typeof TopologyApp>[0]),
  }),
  s('TopologyTesting.app', output.TopologyAppPropsSchema, awsWorld, '', {
    propsOptional: true,
    makeApp: (props) => TopologyTesting.app(props as Parameters<typeof TopologyTesting.app>[0]),
  }),
  s('new Environment', model.EnvironmentPropsSchema, awsWorld, 'prod', { propsOptional: true }),
  s('SecretOwnership.awsSecretsManager', model.SecretsManagerOwnershipPropsSchema, awsWorld, 'prod', { prefix: 'owns[0]: ' }),
  s('SecretOwnership.awsParameterStore', model.ParameterStoreOwnershipPropsSchema, awsWorld, 'prod', { prefix: 'owns[1]: ' }),
  s('SecretOwnership.azureKeyVault', model.KeyVaultOwnershipPropsSchema, azureWorld, 'prod', { prefix: 'owns[0]: ' }),
  s('SecretOwnership.gcpSecretManager', model.SecretManagerOwnershipPropsSchema, gcpWorld, 'prod', { prefix: 'owns[0]: ' }),
  s('new Space', model.SpacePropsSchema, awsWorld, 's'),
  s('SpaceIdentity.awsIrsa', model.AwsIrsaPropsSchema, awsWorld, 's', { prefix: 'identity: ' }),
  s('SpaceIdentity.awsPodIdentity', model.AwsPodIdentityPropsSchema, awsWorld, 's2', { prefix: 'identity: ' }),
  s('SpaceIdentity.azureWorkloadIdentity', model.AzureWorkloadIdentityPropsSchema, azureWorld, 'az', { prefix: 'identity: ' }),
  s('SpaceIdentity.gcpWorkloadIdentity', model.GcpWorkloadIdentityPropsSchema, gcpWorld, 'gw', { prefix: 'identity: ' }),
  s('SpaceIdentity.gcpImpersonation', model.GcpImpersonationPropsSchema, gcpWorld, 'gi', { prefix: 'identity: ' }),
  s('new Group', model.GroupPropsSchema, awsWorld, 's/g', { propsOptional: true }),
  s('new ControlPlane', model.ControlPlanePropsSchema, awsWorld, 's/g/cp', { propsOptional: true }),
  s('new SecretStore', stores.SecretStorePropsSchema, awsWorld, 's/g/st'),
  s('new AwsSecretsManager', stores.AwsSecretsManagerPropsSchema, awsWorld, 's/g/st', { prefix: 'provider: ' }),
  s('StoreIdentity.awsIrsa', stores.StoreIrsaPropsSchema, awsWorld, 's/g/st', { prefix: 'provider: identity: ' }),
  s('new AwsParameterStore', stores.AwsParameterStorePropsSchema, awsWorld, 's/g/st2', { prefix: 'provider: ' }),
  s('StaticCredentials.awsAccessKey', stores.AwsAccessKeyPropsSchema, awsWorld, 's/g/st2', { prefix: 'provider: credentials: ' }),
  s('new AzureKeyVault', stores.AzureKeyVaultPropsSchema, azureWorld, 'az/g/kv', { prefix: 'provider: ' }),
  s('StaticCredentials.azureServicePrincipal', stores.AzureServicePrincipalPropsSchema, azureWorld, 'az/g/kv2', {
    prefix: 'provider: credentials: ',
  }),
  s('new GcpSecretManager', stores.GcpSecretManagerPropsSchema, gcpWorld, 'gw/g/gsm', { prefix: 'provider: ' }),
  s('StaticCredentials.gcpServiceAccountKey', stores.GcpServiceAccountKeyPropsSchema, gcpWorld, 'gc/g/gsm', {
    prefix: 'provider: credentials: ',
  }),
  s('Planes.inEnvironments', model.PlanesInEnvironmentsArgs, awsWorld, 's/g/st', { prefix: 'planes: ', positional: true }),
  s('Planes.named', model.PlanesNamedArgs, awsWorld, 's/g/st2', { prefix: 'planes: ', positional: true }),
  s('Planes.matching', model.SelectorArgs, awsWorld, 's/g/sec', { prefix: 'planes: ', positional: true }),
  s('Namespaces.named', model.NamespacesNamedArgs, awsWorld, 's/g/st', { prefix: 'namespaces: ', positional: true }),
  s('Namespaces.matching', model.SelectorArgs, awsWorld, 's/g/st2', { prefix: 'namespaces: ', positional: true }),
  s('new SharedSecret', secrets.SharedSecretPropsSchema, awsWorld, 's/g/sec'),
  s('new ArgoCdDelivery', delivery.ArgoCdDeliveryPropsSchema, awsWorld, 'argo'),
  s('new JsonFile', output.DataFilePropsSchema, awsWorld, 'jf'),
  s('new YamlFile', output.YamlFilePropsSchema, awsWorld, 'yf'),
  s('new TextFile', output.TextFilePropsSchema, awsWorld, 'tf'),
  s('new FileArtifact', output.FileArtifactPropsSchema, awsWorld, 'fa'),
  s('Guardrails.allow', guardrails.GuardrailsAllowArgs, awsWorld, '', { prefix: 'Guardrails.allow: ', positional: true }),
  s('Guardrails.configure', guardrails.GuardrailsConfigureArgs, awsWorld, '', { prefix: 'Guardrails.configure: ', positional: true }),
  s('Guardrails.assume', guardrails.GuardrailsAssumeArgs, awsWorld, '', { prefix: 'Guardrails.assume: ', positional: true }),
  s('new CloudSpaceObjects', targets.CloudSpaceObjectsPropsSchema, gcpWorld, 'cso', { propsOptional: true }),
  s('new EsoCluster', eso.EsoClusterPropsSchema, esoWorld, 'c'),
  s('new EsoSecretStore', eso.EsoSecretStorePropsSchema, esoWorld, 'c/sm'),
  s('new EsoExternalSecret', eso.EsoExternalSecretPropsSchema, esoWorld, 'c/es'),
  s('new EsoPushSecret', eso.EsoPushSecretPropsSchema, esoWorld, 'c/push'),
  s('new SveltosSecretDistribution', eso.SveltosSecretDistributionPropsSchema, esoWorld, 'c/dist'),
  s('new FluxDelivery', delivery.FluxDeliveryPropsSchema, esoWorld, 'flux'),
];

/**
 * Exported schemas of lib/**\/props.ts that are no subject's own, each with why (a new schema must
 * get a subject or a line here).
 */
export const SCHEMAS_WITHOUT_SUBJECT: Readonly<Record<string, string>> = {
  // The props every AWS provider shares: the schema of neither public class (each extends it).
  'stores/props.ts#AwsProviderPropsSchema': 'extended by AwsSecretsManagerPropsSchema and AwsParameterStorePropsSchema',
  // Nested in a subject's schema: fuzzed through it.
  'model/props.ts#PlaneNamespaceSchema': 'an entry of ControlPlanePropsSchema.namespaces',
  'analysis/guardrails/props.ts#GuardrailSettingsSchema': 'GuardrailsConfigureArgs.settings',
  // Arguments of methods, not of a constructor or factory: test/patch.test.ts covers them.
  'model/props.ts#ObjectSelectorSchema': 'the select argument of addJsonPatchTo (a method)',
  'model/props.ts#JsonPatchArgs': 'the operations of addJsonPatch / addJsonPatchTo (methods)',
};

/** The props schema modules (every lib/**\/props.ts but lib/private/), by their path below lib/. */
export const SCHEMA_MODULES: Readonly<Record<string, Record<string, unknown>>> = {
  'model/props.ts': model,
  'stores/props.ts': stores,
  'secrets/props.ts': secrets,
  'eso/props.ts': eso,
  'delivery/props.ts': delivery,
  'targets/props.ts': targets,
  'output/props.ts': output,
  'analysis/guardrails/props.ts': guardrails,
};
