/**
 * The declarative runtime schemas of the store props (see `model/props.ts`): checked by each store,
 * provider and credentials factory before it reads its props. Types only; identifier shapes
 * (regions, ARNs, vault URLs) are checked by the providers afterwards.
 */
import { expecting, instanceOf, z } from '../private/props.js';
import { environment, stringList, wholeNumber, oneOf } from '../model/props.js';
import { Namespaces, Planes } from '../model/selection.js';
import { StaticCredentials } from './credentials.js';
import { StoreIdentity } from './store-identity.js';
import { SecretStoreProvider } from './provider.js';
import { KEY_VAULT_AUTHORIZATIONS } from './azure.js';

const str = z.string();

/** Static credentials: a reference to a Kubernetes Secret, never a value. */
export const staticCredentials = instanceOf(
  () => StaticCredentials,
  'a StaticCredentials reference (e.g. StaticCredentials.awsAccessKey({ secretName: "aws-credentials" })); credentials are never values',
);
/** A provider: an instance of one of the provider classes. */
export const provider = instanceOf(
  () => SecretStoreProvider,
  'a provider (e.g. new AwsSecretsManager({ region: "eu-central-1" }), not a plain object)',
);
/** A plane selection. */
export const planes = instanceOf(() => Planes, 'a Planes selection (e.g. Planes.inEnvironments(prod))');
/** A namespace selection. */
export const namespaces = instanceOf(() => Namespaces, 'a Namespaces selection (e.g. Namespaces.named("team-a"))');

/** A store's own identity. */
export const storeIdentity = instanceOf(
  () => StoreIdentity,
  'a StoreIdentity (e.g. StoreIdentity.awsIrsa({ serviceAccount: "team-a-secrets" }))',
);

export const StoreIrsaPropsSchema = z.strictObject({ serviceAccount: str, roleName: str.optional() });

export const AwsProviderPropsSchema = z.strictObject({
  region: str,
  accountId: str.optional(),
  role: str.optional(),
  credentials: staticCredentials.optional(),
  kmsKeyArns: stringList.optional(),
  identity: storeIdentity.optional(),
});

export const AwsSecretsManagerPropsSchema = AwsProviderPropsSchema.extend({
  forceDeleteWithoutRecovery: z.boolean().optional(),
  recoveryWindowInDays: wholeNumber.optional(),
});

/** The Secrets Manager options, which a Parameter Store provider names as misplaced (not as unknown props). */
export const SECRETS_MANAGER_ONLY = ['forceDeleteWithoutRecovery', 'recoveryWindowInDays'] as const;
export const AwsParameterStorePropsSchema = AwsProviderPropsSchema.extend({
  forceDeleteWithoutRecovery: z.unknown().optional(),
  recoveryWindowInDays: z.unknown().optional(),
});

export const AzureKeyVaultPropsSchema = z.lazy(() =>
  z.strictObject({
    vaultUrl: str,
    tenantId: str.optional(),
    credentials: staticCredentials.optional(),
    resourceId: str.optional(),
    authorization: oneOf(KEY_VAULT_AUTHORIZATIONS).optional(),
  }),
);

export const GcpSecretManagerPropsSchema = z.strictObject({
  projectId: str,
  projectNumber: str.optional(),
  location: str.optional(),
  credentials: staticCredentials.optional(),
});

export const AwsAccessKeyPropsSchema = z.strictObject({
  secretName: str,
  accessKeyIdKey: str.optional(),
  secretAccessKeyKey: str.optional(),
  sessionTokenKey: str.optional(),
  userArn: str.optional(),
});
export const AzureServicePrincipalPropsSchema = z.strictObject({
  secretName: str,
  clientIdKey: str.optional(),
  clientSecretKey: str.optional(),
});
export const GcpServiceAccountKeyPropsSchema = z.strictObject({ secretName: str, key: str.optional() });

export const SecretStorePropsSchema = z.strictObject({
  name: str.optional(),
  provider,
  planes,
  namespaces,
  refreshInterval: wholeNumber.optional(),
  retry: expecting(
    z.strictObject({ maxRetries: wholeNumber.optional(), retryInterval: str.optional() }),
    'an object { maxRetries, retryInterval }',
  ).optional(),
  environment: environment.optional(),
});
