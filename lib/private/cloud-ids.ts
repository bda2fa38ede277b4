/**
 * The shapes of cloud identifiers, defined once: the props checks of identities and store
 * providers, and the code that takes identifiers apart, use these. Each is anchored (`^...$`).
 */

/** An RFC 4122 textual UUID (either case; version and variant bits not checked). */
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

// AWS

/** An AWS account ID: 12 digits. */
export const AWS_ACCOUNT_ID = /^\d{12}$/;
/** An AWS partition: `aws`, `aws-cn`, `aws-us-gov`, ... */
export const AWS_PARTITION = /^aws(-[a-z]+)*$/;
/** An AWS region code, e.g. `eu-central-1`, `us-gov-west-1`. */
export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
/** An IAM role ARN (with an optional path). */
export const AWS_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** An IAM role ARN taken apart: partition, account, and the name with its path. */
export const AWS_ROLE_ARN_PARTS = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):role\/(.+)$/;
/** An IAM role name (without path). */
export const AWS_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** An IAM user ARN (with an optional path): the user whose access keys a store holds. */
export const AWS_USER_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** What may start the name of a generated IAM role: at most 32 of `\w+=,.@-`. */
export const AWS_ROLE_NAME_PREFIX = /^[\w+=,.@-]{0,32}$/;
/** A KMS key ARN (a key ID or a multi-Region key ID). */
export const AWS_KMS_KEY_ARN =
  /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$|^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/mrk-[0-9a-f]{32}$/;
/** A Secrets Manager secret ARN. */
export const AWS_SECRET_ARN = /^arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
/** The random suffix Secrets Manager appends to a secret's name in its ARN: `-` and 6 characters. */
export const AWS_SECRET_ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;

/**
 * The names the resource part of a Secrets Manager ARN (after `secret:`) may denote: without the
 * suffix (a full ARN) and as written (a partial ARN of a name that happens to end so); one name
 * when it has no suffix (a partial ARN).
 */
export function secretNamesOfArnTail(tail: string): string[] {
  return AWS_SECRET_ARN_SUFFIX.test(tail) ? [tail.replace(AWS_SECRET_ARN_SUFFIX, ''), tail] : [tail];
}

/**
 * The IAM resource that grants the Secrets Manager secret an ARN names: the ARN as written when it
 * ends in a suffix (a full ARN), else with `-??????` for the suffix (a partial ARN: IAM matches
 * the secret's full ARN, so the ARN as written would match nothing).
 */
export function secretArnGrant(arn: string): string {
  return AWS_SECRET_ARN_SUFFIX.test(arn) ? arn : `${arn}-??????`;
}

/** A Secrets Manager secret name. */
export const AWS_SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A Parameter Store parameter ARN. */
export const AWS_PARAMETER_ARN = /^arn:aws(-[a-z]+)*:ssm:[a-z0-9-]+:\d{12}:parameter\/[a-zA-Z0-9_.\-/]+$/;
/** A Parameter Store parameter name (characters and length; reserved prefixes and depth are checked apart). */
export const AWS_PARAMETER_NAME = /^[a-zA-Z0-9_.\-/]{1,2048}$/;
/** An EKS cluster name. */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
/** An OIDC issuer URL as EKS prints it (https, host, optional port and path). */
export const OIDC_ISSUER_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%/-]*)?$/;

// Azure

/** A Key Vault URL: `https://<vault>.vault.<cloud suffix>/`; group 1 is the vault name. */
export const AZURE_KEY_VAULT_URL =
  /^https:\/\/([a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9])\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net|microsoftazure\.de)\/?$/;
/** The ARM resource ID of a Key Vault. */
export const AZURE_KEY_VAULT_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[\w().-]{1,90}\/providers\/Microsoft\.KeyVault\/vaults\/[a-zA-Z0-9-]{3,24}$/;
/** The name of a Key Vault secret, key or certificate. */
export const AZURE_KEY_VAULT_OBJECT_NAME = /^[0-9a-zA-Z-]{1,127}$/;
/** The name of a user-assigned managed identity. */
export const AZURE_MANAGED_IDENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/;
/** A resource group name (it must not end with '.' either, which this does not check). */
export const AZURE_RESOURCE_GROUP = /^[-\w.()]{1,90}$/;
/** An Azure region name, e.g. `westeurope`. */
export const AZURE_LOCATION = /^[a-z][a-z0-9]{1,40}$/;

// GCP

/** A GCP project ID: 6-30 lowercase letters, digits and '-', starting with a letter. */
export const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** A GCP project number: 6 to 20 digits, not starting with 0. */
export const GCP_PROJECT_NUMBER = /^[1-9]\d{5,19}$/;
/** A GCP region, e.g. `europe-west1`. */
export const GCP_REGION = /^[a-z]+-[a-z]+\d+$/;
/** A Secret Manager secret ID. */
export const GCP_SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
/** A Google service account email: `<name>@<project-id>.iam.gserviceaccount.com`. */
export const GCP_SERVICE_ACCOUNT_EMAIL = /^([a-z][a-z0-9-]{4,28}[a-z0-9])@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/;
/** An IAM role name: predefined (`roles/...`) or custom (`projects/<id>/roles/...`, `organizations/<n>/roles/...`). */
export const GCP_ROLE = /^(roles\/[A-Za-z0-9_.]+|(projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]|organizations\/\d+)\/roles\/[A-Za-z0-9_.]{3,64})$/;
