/**
 * Malformed input corpus: broken topologies and values, table-driven. Every case must make
 * `compile()` throw a `TopologyError` (never another exception) with a problem at the expected
 * construct path whose message quotes the bad value (or names the field) and says the fix, and no
 * problem may carry a stack frame. A few cases also run as real processes (`npx tsx` on a temp
 * script, like `npm run synth`): non-zero exit, no stack trace, the old output untouched. One runs
 * through the cdk8s CLI (`cdk8s synth`), which deletes its output directory before it starts the
 * app: there the old output is gone even though our app writes nothing (documented below).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AwsParameterStore,
  AwsSecretsManager,
  AzureKeyVault,
  ControlPlane,
  Environment,
  GcpSecretManager,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
  TopologyError,
  type ControlPlaneProps,
  type EnvironmentProps,
  type GroupProps,
  type SecretStoreProps,
  type SecretStoreProvider,
  type SharedSecretProps,
  type SpaceProps,
} from '../lib/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// The base topology (valid) and how a case breaks it

const ISSUER = 'https://oidc.eks.eu-central-1.amazonaws.com/id/8A1B2C3D4E5F60718293A4B5C6D7E8F9';
const PROD_ID = 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa';
const DEV_ID = '3f1c2a9e-5b7d-4e21-9a0c-6d8e7f1b2c3d';

interface Base {
  app: TopologyApp;
  prod: Environment;
  dev: Environment;
  space: Space;
  group: Group;
  prod1: ControlPlane;
  dev1: ControlPlane;
  store: SecretStore;
}

/** What a case changes; functions see the constructs built so far. */
interface Patch {
  prod?: EnvironmentProps;
  space?: Partial<SpaceProps>;
  group?: GroupProps;
  prod1?: Partial<ControlPlaneProps>;
  provider?: () => SecretStoreProvider;
  store?: (b: Omit<Base, 'store'>) => Partial<SecretStoreProps>;
  /** Props of the secret `db`; `null` leaves it out. */
  secret?: ((b: Base) => Partial<SharedSecretProps>) | null;
  extra?: (b: Base) => void;
}

/** Two environments, one AWS Space with IRSA, one group, two planes, one store, one secret. */
function build(app: TopologyApp, patch: Patch = {}): Base {
  const prod = new Environment(app, 'prod', { production: true, ...patch.prod });
  const dev = new Environment(app, 'dev');
  const space = new Space(app, 'aws', {
    cloud: 'aws',
    identity: SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: ISSUER }),
    ...patch.space,
  });
  const group = new Group(space, 'platform', patch.group);
  const namespaces = ['crossplane-system', { name: 'team-a', labels: { team: 'a' } }];
  const prod1 = new ControlPlane(group, 'prod-1', { environment: prod, controlPlaneId: PROD_ID, namespaces, ...patch.prod1 });
  const dev1 = new ControlPlane(group, 'dev-1', { environment: dev, controlPlaneId: DEV_ID, namespaces });
  const partial = { app, prod, dev, space, group, prod1, dev1 };
  const store = new SecretStore(group, 'sm', {
    provider: patch.provider?.() ?? new AwsSecretsManager({ region: 'eu-central-1' }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('crossplane-system', 'team-a'),
    ...patch.store?.(partial),
  });
  const base = { ...partial, store };
  if (patch.secret !== null) {
    new SharedSecret(group, 'db', {
      store,
      data: [{ secretKey: 'password', remoteKey: 'prod/db', property: 'password' }],
      ...patch.secret?.(base),
    });
  }
  patch.extra?.(base);
  return base;
}

interface Case {
  /** What is broken. */
  readonly name: string;
  readonly patch: Patch;
  /** Construct path of the expected problem. */
  readonly path: string;
  /** Texts the message must contain: the quoted value or the field name, and the fix. */
  readonly has: readonly string[];
}

const c = (name: string, path: string, has: readonly string[], patch: Patch): Case => ({ name, path, has, patch });
const X = <T>(v: unknown): T => v as T; // values the types forbid, as JavaScript or YAML-fed callers pass them
const S = 'aws/platform/sm';
const SEC = 'aws/platform/db';
const P1 = 'aws/platform/prod-1';
const LONG = 'a'.repeat(10_000);

const awsStatic = StaticCredentials.awsAccessKey({ secretName: 'aws-creds' });

const CASES: readonly Case[] = [
  // --- names ------------------------------------------------------------------------------------
  c('Space name with uppercase and _', 'aws', ['"AWS_EU"', 'Space name', '(e.g. "aws-eu")'], { space: { name: 'AWS_EU' } }),
  c('group name with _', 'aws/platform', ['"Team_A"', 'group name', '(e.g. "team-a")'], { group: { name: 'Team_A' } }),
  c('control plane name of 64 characters', P1, [`"${'p'.repeat(64)}"`, 'it has 64 characters', 'use at most 63'], {
    prod1: { name: 'p'.repeat(64) },
  }),
  c('empty environment name', 'prod', ['""', 'environment name', 'it is empty'], { prod: { name: '' } }),
  c('store name with a dot', S, ['"aws.sm"', 'store name', '(e.g. "aws-sm")'], { store: () => ({ name: 'aws.sm' }) }),
  c('secret name with a space', SEC, ['"db password"', 'secret name', '(e.g. "db-password")'], { secret: () => ({ name: 'db password' }) }),
  c('unicode control plane name', P1, ['"prød-1"', 'control plane name', 'use at most 63'], { prod1: { name: 'prød-1' } }),
  c('10,000-character secret name', SEC, [`"${'a'.repeat(80)}…" (10000 characters)`, 'it has 10000 characters'], {
    secret: () => ({ name: LONG }),
  }),
  c('namespace name with uppercase', P1, ['"Team-A"', 'namespace name', '(e.g. "team-a")'], {
    prod1: { namespaces: ['crossplane-system', 'Team-A', 'team-a'] },
  }),
  c('namespace declared twice', P1, ['namespace "team-a" is declared twice', 'declare each namespace once'], {
    prod1: { namespaces: ['crossplane-system', 'team-a', 'team-a'] },
  }),
  c('target Secret name with uppercase', SEC, ['target.name', '"DB_Creds"', 'target Secret name'], {
    secret: () => ({ target: { name: 'DB_Creds' } }),
  }),
  c('hostNamespace with uppercase and _', P1, ['"MXP_System"', 'hostNamespace', '(e.g. "mxp-system")'], {
    prod1: { hostNamespace: 'MXP_System' },
  }),
  c('unsupported cloud', 'aws', ['cloud "ibm"', 'is not supported', 'one of "aws", "azure", "gcp"'], {
    space: { cloud: X('ibm'), identity: undefined },
    provider: () => new AwsSecretsManager({ region: 'eu-central-1', credentials: awsStatic }),
  }),
  c('unsupported hosting', 'aws', ['hosting "managed"', 'is not supported', 'one of "self-hosted", "cloud"'], {
    space: { hosting: X('managed') },
  }),

  // --- labels -----------------------------------------------------------------------------------
  c('label key with two slashes', P1, ['"a/b/c"', "more than one '/'"], { prod1: { labels: { 'a/b/c': 'x' } } }),
  c('label key with an empty prefix', P1, ['"/team"', "the prefix before '/' is empty", "remove the '/'"], {
    prod1: { labels: { '/team': 'x' } },
  }),
  c('label value of 64 characters', P1, [`"${'v'.repeat(64)}"`, 'it has 64 characters', 'label value'], {
    prod1: { labels: { team: 'v'.repeat(64) } },
  }),
  c('label value that is a number', P1, ['labels.replicas has the wrong type', 'got 5 (a number)', 'quote it (e.g. "5")'], {
    prod1: { labels: X({ replicas: 5 }) },
  }),
  c('emoji label value', P1, ['"🔑"', 'label value', 'use an empty string or at most 63'], { prod1: { labels: { key: '🔑' } } }),
  c('environment without labels', 'prod', ['environment "prod" has no labels', 'give it at least one label'], { prod: { labels: {} } }),
  c('environment label key with a space', 'prod', ['"env ironment"', 'environment labels', '(e.g. "env-ironment")'], {
    prod: { labels: { 'env ironment': 'prod' } },
  }),
  c('plane label contradicting its environment', P1, ['environment="staging"', 'contradicts environment "prod"', 'remove the label'], {
    prod1: { labels: { environment: 'staging' } },
  }),
  c('namespace label value with a space', P1, ['"a b"', 'labels of namespace "team-b"'], {
    prod1: { namespaces: ['crossplane-system', 'team-a', { name: 'team-b', labels: { team: 'a b' } }] },
  }),
  c('group namespaceLabels key starting with -', 'aws/platform', ['"-x"', 'namespaceLabels'], {
    group: { namespaceLabels: { '-x': 'y' } },
  }),
  c('template metadata label with a slash in the value', SEC, ['"a/b"', 'target.template.metadata.labels'], {
    secret: () => ({ target: { template: { metadata: { labels: { team: 'a/b' } } } } }),
  }),

  // --- durations --------------------------------------------------------------------------------
  c('environment refreshInterval in days', 'prod', ['"1d"', 'refreshInterval', 'write "24h"'], { prod: { refreshInterval: '1d' } }),
  c('negative refreshInterval', SEC, ['"-5m"', 'a negative duration is not allowed', 'write "5m"'], {
    secret: () => ({ refreshInterval: '-5m' }),
  }),
  c('refreshInterval with a space', SEC, ['"1 h"', 'must not contain spaces', 'write "1h"'], {
    secret: () => ({ refreshInterval: '1 h' }),
  }),
  c('empty refreshInterval', SEC, ['""', 'is not a Go duration', 'write e.g. "1h"'], { secret: () => ({ refreshInterval: '' }) }),
  c('refreshInterval without a unit', SEC, ['"5"', 'has no unit', '(e.g. "5s")'], { secret: () => ({ refreshInterval: '5' }) }),
  c('refreshInterval out of range', SEC, ['"3000000h"', 'out of range', 'use at most "2562047h"'], {
    secret: () => ({ refreshInterval: '3000000h' }),
  }),
  c('refreshInterval as a number', SEC, ['refreshInterval has the wrong type', 'got 3600 (a number)', 'expected a string'], {
    secret: () => ({ refreshInterval: X(3600) }),
  }),
  c('retry interval in spelled-out seconds', S, ['retry.retryInterval', '"10seconds"', 'write "10s"'], {
    store: () => ({ retry: { retryInterval: '10seconds' } }),
  }),
  c('negative store refresh seconds', S, ['refreshInterval -1', 'whole number of seconds'], { store: () => ({ refreshInterval: -1 }) }),
  c('fractional maxRetries', S, ['retry.maxRetries has the wrong type', 'got 1.5', 'expected a whole number'], {
    store: () => ({ retry: { maxRetries: 1.5 } }),
  }),

  // --- identifiers, ARNs, project numbers, tenant ids -------------------------------------------
  c('controlPlaneId that is not a UUID', P1, ['"not-a-uuid"', 'controlPlaneId', 'use 32 hexadecimal digits'], {
    prod1: { controlPlaneId: 'not-a-uuid' },
  }),
  c('controlPlaneId without dashes', P1, ['"b2b37aaaee55492cba0c4d561a6325fa"', `(e.g. "${PROD_ID}")`], {
    prod1: { controlPlaneId: 'b2b37aaaee55492cba0c4d561a6325fa' },
  }),
  c('two planes with one controlPlaneId', 'aws/platform/dev-2', [`mxp-${DEV_ID}-system`, 'host namespace'], {
    extra: (b) =>
      void new ControlPlane(b.group, 'dev-2', { environment: b.dev, controlPlaneId: DEV_ID, namespaces: ['crossplane-system'] }),
  }),
  c('AWS region without its number', S, ['region "eu-central"', 'use a region code such as "eu-central-1"'], {
    provider: () => new AwsSecretsManager({ region: 'eu-central' }),
  }),
  // Echoed shortened (the one quoting helper), never whole: the message stays short.
  c('AWS region of 100,000 characters', S, [`region "${'x'.repeat(80)}…" (100000 characters)`, 'is not an AWS region'], {
    provider: () => new AwsSecretsManager({ region: 'x'.repeat(100_000) }),
  }),
  c('AWS account ID of 5 digits', S, ['accountId "12345"', 'use the 12 digits'], {
    provider: () => new AwsSecretsManager({ region: 'eu-central-1', accountId: '12345' }),
  }),
  c('IAM role ARN with a short account', S, ['role "arn:aws:iam::123:role/x"', 'arn:aws:iam::<12-digit account>:role/<name>'], {
    provider: () => new AwsSecretsManager({ region: 'eu-central-1', role: 'arn:aws:iam::123:role/x' }),
  }),
  c('KMS alias instead of a key ARN', S, ['"arn:aws:kms:eu-central-1:111122223333:alias/db"', 'aliases cannot be used'], {
    provider: () => new AwsSecretsManager({ region: 'eu-central-1', kmsKeyArns: ['arn:aws:kms:eu-central-1:111122223333:alias/db'] }),
  }),
  c('IRSA account ID with dashes', 'aws', ['accountId "1111-2222-3333"', 'use the 12 digits'], {
    space: { identity: SpaceIdentity.awsIrsa({ accountId: '1111-2222-3333', oidcIssuer: ISSUER }) },
  }),
  c('IRSA issuer over http', 'aws', ['oidcIssuer "http://oidc.example.com/id/1"', 'starting with "https://"', "The cluster's issuer is"], {
    space: { identity: SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: 'http://oidc.example.com/id/1' }) },
  }),
  c('Secrets Manager name with a space', SEC, ['"prod db"', 'is not a Secrets Manager secret name', 'use 1-512 characters'], {
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'prod db' }] }),
  }),
  c('reserved Parameter Store name', SEC, ['"/aws/reserved/x"', 'not starting with "aws" or "ssm"'], {
    provider: () => new AwsParameterStore({ region: 'eu-central-1' }),
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: '/aws/reserved/x' }] }),
  }),
  c('Parameter Store name of 16 levels', SEC, ['"/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p"', 'at most 15 levels'], {
    provider: () => new AwsParameterStore({ region: 'eu-central-1' }),
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: '/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p' }] }),
  }),
  c('Key Vault URL with a 2-character name', S, ['vaultUrl "https://kv.vault.azure.net"', 'use "https://<vault-name>.vault.azure.net"'], {
    provider: () =>
      new AzureKeyVault({
        vaultUrl: 'https://kv.vault.azure.net',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
      }),
  }),
  c('tenant domain instead of a tenant ID', S, ['"contoso.onmicrosoft.com"', 'tenantId', 'use 32 hexadecimal digits'], {
    provider: () =>
      new AzureKeyVault({
        vaultUrl: 'https://kv-prod.vault.azure.net',
        tenantId: 'contoso.onmicrosoft.com',
        credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
      }),
  }),
  c('service principal without a tenant', S, ['tenantId is required', 'set tenantId'], {
    provider: () =>
      new AzureKeyVault({
        vaultUrl: 'https://kv-prod.vault.azure.net',
        credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
      }),
  }),
  c(
    'Key Vault resource ID of another type',
    S,
    [
      // Resource IDs are long: quoted whole up to 300 characters, shortened past that.
      'resourceId "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa"',
      'Microsoft.KeyVault/vaults/<name>',
    ],
    {
      provider: () =>
        new AzureKeyVault({
          vaultUrl: 'https://kv-prod.vault.azure.net',
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
          resourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa',
        }),
    },
  ),
  c('Key Vault object name with _', SEC, ['"db_password"', 'is not a Key Vault object name', "use 1-127 letters, digits and '-'"], {
    provider: () =>
      new AzureKeyVault({
        vaultUrl: 'https://kv-prod.vault.azure.net',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
      }),
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'db_password' }] }),
  }),
  c('Azure identity client ID that is a name', 'aws', ['"my-identity"', 'clientId'], {
    space: {
      cloud: 'azure',
      identity: SpaceIdentity.azureWorkloadIdentity({
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        clientId: 'my-identity',
        subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
        resourceGroup: 'rg-spaces',
        identityName: 'spaces-shared-secrets',
        oidcIssuer: 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/',
      }),
    },
    provider: () => new AzureKeyVault({ vaultUrl: 'https://kv-prod.vault.azure.net' }),
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'db-password' }] }),
  }),
  c('GCP project name instead of its ID', S, ['projectId "My Project"', 'is not a GCP project ID'], {
    provider: () =>
      new GcpSecretManager({ projectId: 'My Project', credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'gsa' }) }),
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'db-password' }] }),
  }),
  c('GCP project number that is an ID', S, ['projectNumber "acme-123"', 'gcloud projects describe'], {
    provider: () =>
      new GcpSecretManager({
        projectId: 'acme-prod',
        projectNumber: 'acme-123',
        credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'gsa' }),
      }),
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'db-password' }] }),
  }),
  c('GCP identity project number with letters', 'aws', ['projectNumber "12345abc"', 'gcloud projects describe'], {
    space: { cloud: 'gcp', identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '12345abc' }) },
    provider: () => new GcpSecretManager({ projectId: 'acme-prod', projectNumber: '210987654321' }),
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'db-password' }] }),
  }),
  c('GCP location with a space', S, ['location "europe west1"', 'use e.g. "europe-west1"'], {
    provider: () =>
      new GcpSecretManager({
        projectId: 'acme-prod',
        location: 'europe west1',
        credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'gsa' }),
      }),
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'db-password' }] }),
  }),
  c('GCP secret ID with a slash', SEC, ['"prod/db"', 'is not a Secret Manager secret ID'], {
    provider: () =>
      new GcpSecretManager({ projectId: 'acme-prod', credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'gsa' }) }),
  }),
  c('GCP impersonation with a user email', 'aws', ['serviceAccountEmail "alice@example.com"', 'iam.gserviceaccount.com'], {
    space: {
      cloud: 'gcp',
      identity: SpaceIdentity.gcpImpersonation({
        projectId: 'acme-spaces',
        projectNumber: '123456789012',
        serviceAccountEmail: 'alice@example.com',
      }),
    },
    provider: () => new GcpSecretManager({ projectId: 'acme-prod', projectNumber: '210987654321' }),
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'db-password' }] }),
  }),

  // --- credentials --------------------------------------------------------------------------------
  c('Azure credentials on an AWS store', S, ['credentials are azure credentials', 'use StaticCredentials.awsAccessKey'], {
    provider: () =>
      new AwsSecretsManager({ region: 'eu-central-1', credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }) }),
  }),
  c('credentials Secret name with uppercase', S, ['"AWS_CREDS"', 'credentials Secret name', '(e.g. "aws-creds")'], {
    provider: () =>
      new AwsSecretsManager({ region: 'eu-central-1', credentials: StaticCredentials.awsAccessKey({ secretName: 'AWS_CREDS' }) }),
  }),
  c('credentials key with a space', S, ['credentials key for accessKeyId', '"access key"', '(e.g. "access_key")'], {
    provider: () =>
      new AwsSecretsManager({
        region: 'eu-central-1',
        credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-creds', accessKeyIdKey: 'access key' }),
      }),
  }),
  c(
    'store without credentials on a Space without identity',
    S,
    ['has no static credentials', 'no workload identity', 'give the provider "credentials"'],
    { space: { identity: undefined } },
  ),
  c('Cloud Space with a workload identity', 'aws', ['Cloud Space cannot use workload identity', 'remove "identity"'], {
    space: { hosting: 'cloud' },
  }),
  c('store without credentials on a Cloud Space', S, ['is a Cloud Space', 'give the provider "credentials"'], {
    space: { hosting: 'cloud', identity: undefined },
  }),
  c('Azure identity on an AWS Space', 'aws', ['is for azure', 'runs on aws', "use an identity of the Space's own cloud"], {
    space: {
      identity: SpaceIdentity.azureWorkloadIdentity({
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        clientId: '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b',
        subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
        resourceGroup: 'rg-spaces',
        identityName: 'spaces-shared-secrets',
        oidcIssuer: 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/',
      }),
    },
  }),
  c(
    'GCP store using the AWS Space identity',
    S,
    ['uses GCP Secret Manager with the workload identity of Space "aws"', 'give the provider static "credentials"'],
    {
      provider: () => new GcpSecretManager({ projectId: 'acme-prod', projectNumber: '210987654321' }),
      secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'db-password' }] }),
    },
  ),

  // --- selectors ----------------------------------------------------------------------------------
  c('Planes.inEnvironments() without environments', S, ['planes:', 'needs at least one environment'], {
    store: () => ({ planes: Planes.inEnvironments() }),
  }),
  c('Planes.named() without planes', S, ['planes:', 'needs at least one control plane'], { store: () => ({ planes: Planes.named() }) }),
  c('Planes.matching() without selectors', S, ['planes:', 'needs at least one label selector'], {
    store: () => ({ planes: Planes.matching() }),
  }),
  c('lowercase selector operator', S, ['"in" is not a label selector operator', '(e.g. "In")'], {
    store: () => ({ planes: Planes.matching({ matchExpressions: [{ key: 'environment', operator: X('in'), values: ['prod'] }] }) }),
  }),
  c('In without values', S, ['"In" on key "environment" needs a non-empty values list', 'use "Exists"'], {
    store: () => ({ planes: Planes.matching({ matchExpressions: [{ key: 'environment', operator: 'In', values: [] }] }) }),
  }),
  c('Exists with values', S, ['"Exists" on key "environment" must not have values', 'use "In"'], {
    store: () => ({ planes: Planes.matching({ matchExpressions: [{ key: 'environment', operator: 'Exists', values: ['prod'] }] }) }),
  }),
  c(
    'values given as a string',
    S,
    ['matchExpressions[0].values has the wrong type', 'got "prod" (a string)', 'write a list, e.g. ["prod"]'],
    {
      store: () => ({ planes: Planes.matching({ matchExpressions: [{ key: 'environment', operator: 'In', values: X('prod') }] }) }),
    },
  ),
  c('typo in a selector field', S, ['planes: [0].matchLabel is not a known prop', 'did you mean "matchLabels"? Rename it'], {
    store: () => ({ planes: Planes.matching(X({ matchLabel: { environment: 'prod' } })) }),
  }),
  c('Namespaces.named() with uppercase', S, ['namespaces:', '"Team-A"', '(e.g. "team-a")'], {
    store: () => ({ namespaces: Namespaces.named('Team-A') }),
  }),
  c('Namespaces.named() without names', S, ['namespaces:', 'needs at least one namespace'], {
    store: () => ({ namespaces: Namespaces.named() }),
  }),
  c('namespace selector key with !', S, ['"bad key!"', 'label key'], {
    store: () => ({ namespaces: Namespaces.matching({ matchLabels: { 'bad key!': 'x' } }) }),
  }),
  c('selector label value of 64 characters', S, [`"${'x'.repeat(64)}"`, 'it has 64 characters'], {
    store: () => ({ planes: Planes.matching({ matchLabels: { environment: 'x'.repeat(64) } }) }),
  }),

  // --- references across groups and environments; reach -------------------------------------------
  c(
    'plane of another group named by a store',
    S,
    ['control plane "other-1" is in group "other"', 'move the store or secret to group "other"'],
    {
      store: (b) => ({
        planes: Planes.named(
          new ControlPlane(new Group(b.space, 'other'), 'other-1', {
            environment: b.prod,
            controlPlaneId: '7a2b4c6d-8e9f-4a1b-9c2d-3e4f5a6b7c8d',
            namespaces: ['crossplane-system'],
          }),
        ),
      }),
    },
  ),
  c('secret using a store of another group', 'aws/other/db', ['store "sm" is in group "platform"', 'create a store in "other"'], {
    extra: (b) => {
      const other = new Group(b.space, 'other');
      new ControlPlane(other, 'other-1', {
        environment: b.prod,
        controlPlaneId: '7a2b4c6d-8e9f-4a1b-9c2d-3e4f5a6b7c8d',
        namespaces: ['crossplane-system'],
      });
      new SharedSecret(other, 'db', { store: b.store, data: [{ secretKey: 'password', remoteKey: 'prod/db' }] });
    },
  }),
  c(
    'secret reaching a plane its store is not projected to',
    SEC,
    ['reaches plane "dev-1", where its store "sm" is not projected', "Narrow the secret's planes or widen the store's"],
    {
      secret: (b) => ({ planes: Planes.inEnvironments(b.prod, b.dev) }),
    },
  ),
  c(
    'secret reaching a namespace its store does not serve',
    SEC,
    ['reaches namespace "team-a"', 'may not be used', "Narrow the secret's namespaces"],
    {
      store: () => ({ namespaces: Namespaces.named('crossplane-system') }),
      secret: () => ({ namespaces: Namespaces.named('team-a') }),
    },
  ),
  c('store reaching no plane', 'aws/platform/staging-sm', ['store "staging-sm" reaches no control plane', 'Select existing planes'], {
    extra: (b) =>
      void new SecretStore(b.group, 'staging-sm', {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        planes: Planes.inEnvironments(new Environment(b.app, 'staging')),
        namespaces: Namespaces.named('crossplane-system'),
      }),
  }),
  c('store reaching no namespace', S, ['store "sm" reaches no namespace', 'Declare the namespaces on the planes'], {
    store: () => ({ namespaces: Namespaces.named('team-z') }),
  }),
  c('two secrets with one name', 'aws/platform/db-2', ['duplicate', '"db"', 'rename one'], {
    extra: (b) => void new SharedSecret(b.group, 'db-2', { name: 'db', store: b.store, data: [{ secretKey: 'x', remoteKey: 'prod/db2' }] }),
  }),
  c('two stores with one name', 'aws/platform/sm-2', ['duplicate', '"sm"', 'rename one'], {
    extra: (b) =>
      void new SecretStore(b.group, 'sm-2', {
        name: 'sm',
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        planes: Planes.inEnvironments(b.prod),
        namespaces: Namespaces.named('crossplane-system'),
      }),
  }),
  c('two environments with one name', 'prod-again', ['duplicate', '"prod"', 'rename one'], {
    extra: (b) => void new Environment(b.app, 'prod-again', { name: 'prod', labels: { environment: 'prod-again' } }),
  }),
  c(
    'two environments with the same labels',
    'live',
    ['environment "live" has the same labels as "prod"', 'give each environment distinct labels'],
    {
      extra: (b) => void new Environment(b.app, 'live', { labels: { environment: 'prod' } }),
    },
  ),
  c('two secrets writing one target Secret', 'aws/platform/db-copy', ['writes Secret "db"', 'give one of them another target name'], {
    extra: (b) =>
      void new SharedSecret(b.group, 'db-copy', {
        store: b.store,
        target: { name: 'db' },
        data: [{ secretKey: 'x', remoteKey: 'prod/db2' }],
      }),
  }),
  c('plane without an environment', P1, ['control plane "prod-1" has no environment', 'set "environment"'], {
    prod1: { environment: undefined, labels: { environment: 'prod' } },
  }),

  // --- secret content ---------------------------------------------------------------------------
  c('secret without data', SEC, ['secret "db" has no data', 'add data entries'], { secret: () => ({ data: [] }) }),
  c('secretKey used twice', SEC, ['secretKey "password" is used twice', 'each key of the target Secret must come from one entry'], {
    secret: () => ({
      data: [
        { secretKey: 'password', remoteKey: 'prod/db' },
        { secretKey: 'password', remoteKey: 'prod/db2' },
      ],
    }),
  }),
  c('secretKey starting with ..', SEC, ['"..hidden"', 'rename it', '(e.g. "hidden")'], {
    secret: () => ({ data: [{ secretKey: '..hidden', remoteKey: 'prod/db' }] }),
  }),
  c('secretKey of 254 characters', SEC, ['it has 254 characters', 'secret key'], {
    secret: () => ({ data: [{ secretKey: 'k'.repeat(254), remoteKey: 'prod/db' }] }),
  }),
  c('empty remote key', SEC, ['data["password"].remoteKey is empty', 'name the secret in the backend'], {
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: '' }] }),
  }),
  c('lowercase decodingStrategy', SEC, ['decodingStrategy "base64" is not supported', 'one of "Auto", "Base64", "Base64URL", "None"'], {
    secret: () => ({ data: [{ secretKey: 'password', remoteKey: 'prod/db', decodingStrategy: X('base64') }] }),
  }),
  c('find without criteria', SEC, ['dataFrom[0].find has no criteria', 'set path, nameRegexp or tags'], {
    secret: () => ({ data: [], dataFrom: [{ find: {} }] }),
  }),
  c('find by path on Key Vault', SEC, ['dataFrom[0].find.path is not supported by Azure Key Vault', 'use nameRegexp or tags'], {
    provider: () =>
      new AzureKeyVault({
        vaultUrl: 'https://kv-prod.vault.azure.net',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
      }),
    secret: () => ({ data: [], dataFrom: [{ find: { path: 'prod/' } }] }),
  }),
  c('nameRegexp that does not compile', SEC, ['nameRegexp "(["', 'is not a regular expression'], {
    secret: () => ({ data: [], dataFrom: [{ find: { nameRegexp: '([' } }] }),
  }),
  c(
    'dataFrom that is neither extract nor find',
    SEC,
    ['dataFrom[0].key is not a known prop', 'the props here are "extract", "find", "rewrite"'],
    {
      secret: () => ({ data: [], dataFrom: [X({ key: 'prod/db' })] }),
    },
  ),
  c('creationPolicy typo', SEC, ['target.creationPolicy "Owned" is not supported', 'one of "Owner", "Orphan", "Merge", "None"'], {
    secret: () => ({ target: { creationPolicy: X('Owned') } }),
  }),
  c('refreshPolicy typo', SEC, ['refreshPolicy "Always" is not supported', 'one of "Periodic", "OnChange", "CreatedOnce"'], {
    secret: () => ({ refreshPolicy: X('Always') }),
  }),
  c('template data key with a space', SEC, ['target.template.data', '"my key"', '(e.g. "my_key")'], {
    secret: () => ({ target: { template: { data: { 'my key': '{{ .password }}' } } } }),
  }),

  // --- limits -------------------------------------------------------------------------------------
  c(
    'IRSA trust policy over 2,048 characters',
    'aws',
    ['trust policy of IAM role', 'over the limit of 2048', 'use SpaceIdentity.awsPodIdentity'],
    {
      extra: (b) => {
        for (let i = 0; i < 30; i++) {
          const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
          new ControlPlane(b.group, `prod-x${i}`, { environment: b.prod, controlPlaneId: id, namespaces: ['crossplane-system', 'team-a'] });
        }
      },
    },
  ),
];

// ---------------------------------------------------------------------------------------------

/** A stack frame as V8 prints it: `    at fn (file:line:col)` or `at file:line:col`. */
const STACK_FRAME = /^\s*at\s|\bat\s+\S*\s*\(?[^()\s]+:\d+:\d+\)?/m;

function compileError(patch: Patch): TopologyError {
  const app = new TopologyApp({ outdir: join(tmpdir(), 'malformed-never-written') });
  let thrown: unknown;
  try {
    build(app, patch);
    app.compile();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('compile() succeeded: expected a TopologyError');
  if (!(thrown instanceof TopologyError))
    throw new Error(`expected a TopologyError, got ${String(thrown)}\n${(thrown as Error)?.stack ?? ''}`);
  return thrown;
}

describe('malformed corpus: every case is a TopologyError naming the path, the value and the fix', () => {
  it('has at least 60 distinct cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((k) => k.name)).size).toBe(CASES.length);
  });

  it('the base topology is valid', () => {
    const app = new TopologyApp({ outdir: join(tmpdir(), 'malformed-never-written') });
    build(app);
    expect(app.problems()).toEqual([]);
  });

  it.each(CASES.map((k) => [k.name, k] as const))('%s', (_name, k) => {
    const err = compileError(k.patch);
    expect(err.name).toBe('TopologyError');
    const atPath = err.problems.filter((p) => p.path === k.path);
    const match = atPath.find((p) => k.has.every((h) => p.message.includes(h)));
    if (!match) {
      throw new Error(
        `no problem at ${JSON.stringify(k.path)} containing ${JSON.stringify(k.has)}; got:\n${err.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      );
    }
    for (const p of err.problems) {
      expect(p.message, `stack frame in ${p.path}: ${p.message}`).not.toMatch(STACK_FRAME);
      expect(p.message.trim()).not.toBe('');
    }
    expect(err.message).not.toMatch(STACK_FRAME);
    expect(err.message).toContain(`${k.path}: `);
  });
});

// ---------------------------------------------------------------------------------------------
// As real processes

/** Source of a script that builds the base topology with one mistake and synthesizes it. */
function script(mistake: string): string {
  return `import { AwsSecretsManager, ControlPlane, Environment, Group, Namespaces, Planes, SecretStore, SharedSecret, Space, SpaceIdentity, StaticCredentials, TopologyApp } from ${JSON.stringify(join(ROOT, 'lib', 'index.ts'))};
const app = new TopologyApp();
const prod = new Environment(app, 'prod', { production: true });
const dev = new Environment(app, 'dev');
const space = new Space(app, 'aws', { cloud: 'aws', identity: SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: ${JSON.stringify(ISSUER)} }) });
const group = new Group(space, 'platform');
const namespaces = ['crossplane-system', { name: 'team-a', labels: { team: 'a' } }];
new ControlPlane(group, 'prod-1', { environment: prod, controlPlaneId: ${JSON.stringify(PROD_ID)}, namespaces });
new ControlPlane(group, 'dev-1', { environment: dev, controlPlaneId: ${JSON.stringify(DEV_ID)}, namespaces });
const store = new SecretStore(group, 'sm', { provider: new AwsSecretsManager({ region: 'eu-central-1' }), planes: Planes.inEnvironments(prod), namespaces: Namespaces.named('crossplane-system', 'team-a') });
const secretProps: any = { store, data: [{ secretKey: 'password', remoteKey: 'prod/db' }] };
${mistake}
new SharedSecret(group, 'db', secretProps);
app.synth();
`;
}

const PROCESS_CASES: readonly { name: string; mistake: string; expect: string }[] = [
  {
    name: 'duration in days',
    mistake: `secretProps.refreshInterval = '7d';`,
    expect: 'aws/platform/db: refreshInterval: "7d" is not a Go duration',
  },
  {
    name: 'bad label key',
    mistake: `new ControlPlane(group, 'prod-2', { environment: prod, labels: { 'a/b/c': 'x' }, namespaces });`,
    expect: 'aws/platform/prod-2: "a/b/c" is not a valid label key',
  },
  {
    name: 'store of another group',
    mistake: `const other = new Group(space, 'other'); new ControlPlane(other, 'o-1', { environment: prod, namespaces }); new SharedSecret(other, 'x', { store, data: [{ secretKey: 'k', remoteKey: 'prod/x' }] });`,
    expect: 'aws/other/x: store "sm" is in group "platform"',
  },
  {
    name: 'reaches no plane',
    mistake: `secretProps.planes = Planes.inEnvironments(new Environment(app, 'qa'));`,
    expect: 'aws/platform/db: secret "db" reaches no control plane',
  },
  {
    name: 'bad credentials reference',
    mistake: `new SecretStore(group, 'static', { provider: new AwsSecretsManager({ region: 'eu-central-1', credentials: StaticCredentials.awsAccessKey({ secretName: 'Bad_Name' }) }), planes: Planes.inEnvironments(dev), namespaces: Namespaces.named('team-a') });`,
    expect: 'aws/platform/static: "Bad_Name" is not a valid credentials Secret name',
  },
];

const OLD_FILES: Record<string, string> = {
  'spaces/aws/groups/platform/sharedexternalsecret-db.yaml': 'old: true\n',
  'spaces/aws/groups/platform/kustomization.yaml': 'resources: []\n',
  'README.old': 'previous output\n',
};

function listFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const p = spawn(cmd, args, { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', fail);
    p.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('malformed topologies as real processes', () => {
  const work = mkdtempSync(join(tmpdir(), 'malformed-proc-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function prepare(name: string, mistake: string): { dir: string; outdir: string; file: string } {
    const dir = join(work, name.replace(/\W+/g, '-'));
    const outdir = join(dir, 'dist');
    for (const [rel, content] of Object.entries(OLD_FILES)) {
      mkdirSync(dirname(join(outdir, rel)), { recursive: true });
      writeFileSync(join(outdir, rel), content);
    }
    const file = join(dir, 'topology.ts');
    writeFileSync(file, script(mistake));
    return { dir, outdir, file };
  }

  it('npx tsx <script>: exit 1, the problem on stderr, no stack trace, the old output untouched', async () => {
    const runs = await Promise.all(
      PROCESS_CASES.map(async (k) => {
        const { dir, outdir, file } = prepare(k.name, k.mistake);
        const r = await run('npx', ['tsx', file], ROOT, { CDK8S_OUTDIR: outdir });
        return { k, dir, outdir, r };
      }),
    );
    for (const { k, dir, outdir, r } of runs) {
      expect(r.code, `${k.name}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain('nothing was written');
      expect(r.stderr).toContain(k.expect);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.stdout).toBe('');
      expect(listFiles(outdir)).toEqual(OLD_FILES);
      expect(readdirSync(dir).sort()).toEqual(['dist', 'topology.ts']); // no staging or old dirs left
    }
  }, 60_000);

  it('cdk8s synth: exit non-zero and no stack trace, but the CLI has already deleted the output directory', async () => {
    // `cdk8s synth` empties/removes its output dir before it starts the app (so that stale
    // manifests never survive), hence the old output is gone even though the app wrote nothing.
    // `npm run synth` (tsx main.ts) keeps the old output on a model error; prefer it in CI.
    const k = PROCESS_CASES[0];
    const { dir, outdir } = prepare('cdk8s-cli', k.mistake);
    writeFileSync(
      join(dir, 'cdk8s.yaml'),
      `language: typescript\napp: ${join(ROOT, 'node_modules', '.bin', 'tsx')} topology.ts\noutput: dist\n`,
    );
    const r = await run(join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], dir, { CDK8S_OUTDIR: '' });
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}\n${r.stderr}`).toContain(k.expect);
    // The CLI prints its own stack ("Error: command ... returned a non-zero exit code 1 at
    // ChildProcess..."), but nothing of the app's: no frame in lib/ or the topology script.
    expect(r.stderr).toContain('returned a non-zero exit code 1');
    const frames = r.stderr.split('\n').filter((l) => /^\s+at\s/.test(l));
    expect(frames.filter((l) => !l.includes('node_modules/cdk8s-cli/') && !l.includes('(node:'))).toEqual([]);
    expect(listFiles(outdir)).toEqual({});
  }, 60_000);
});
