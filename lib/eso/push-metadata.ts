/**
 * The per-entry `metadata` of a PushSecret to AWS (ESO v2.9 `providers/v1/aws`): a
 * `kubernetes.external-secrets.io/v1alpha1` `PushSecretMetadata` whose `spec` sets how the pushed
 * secret is created and kept (encryption key, format, description, tags, resource policy,
 * replication). ESO parses it strictly (unknown fields are an error), so only what the provider of
 * the store reads may be set: Secrets Manager reads every field below but `secretType`, Parameter
 * Store reads `secretType`, `kmsKeyID`, `description` and `tags`.
 */
import { checkDnsSubdomain, checkSecretKey, quote } from '../model/validation.js';
import { AWS_KMS_KEY_ARN, AWS_REGION } from '../private/cloud-ids.js';

/** `apiVersion` of the metadata ESO parses. */
export const PUSH_METADATA_API_VERSION = 'kubernetes.external-secrets.io/v1alpha1';
/** `kind` of the metadata ESO parses. */
export const PUSH_METADATA_KIND = 'PushSecretMetadata';
/** How Secrets Manager stores the pushed value: `SecretBinary` (ESO's default) or `SecretString`. */
export const SECRET_PUSH_FORMATS = ['binary', 'string'] as const;
/** A {@link SECRET_PUSH_FORMATS} member. */
export type SecretPushFormat = (typeof SECRET_PUSH_FORMATS)[number];
/** Parameter Store parameter types. */
export const PARAMETER_TYPES = ['String', 'StringList', 'SecureString'] as const;
/** A {@link PARAMETER_TYPES} member. */
export type ParameterType = (typeof PARAMETER_TYPES)[number];
/** Where a resource policy's JSON is read from (in the PushSecret's namespace). */
export const POLICY_SOURCE_KINDS = ['ConfigMap', 'Secret'] as const;
/** A {@link POLICY_SOURCE_KINDS} member. */
export type PolicySourceKind = (typeof POLICY_SOURCE_KINDS)[number];

/** The tag ESO sets itself on every pushed secret; metadata may not name it. */
const MANAGED_BY = 'managed-by';
/** A KMS key ID (a UUID, or a multi-Region key `mrk-...`). */
const KMS_KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^mrk-[0-9a-f]{32}$/;

/** A resource policy attached to a pushed Secrets Manager secret. */
export interface PushResourcePolicy {
  /** The ConfigMap or Secret (in the PushSecret's namespace) and key that hold the policy JSON. */
  readonly policySourceRef: { readonly kind: PolicySourceKind; readonly name: string; readonly key: string };
  /**
   * Have Secrets Manager refuse a policy that grants public access.
   * @default AWS's default
   */
  readonly blockPublicPolicy?: boolean;
}

/** How one pushed AWS secret is created and kept (ESO `PushSecretMetadata` spec). */
export interface AwsPushMetadata {
  /**
   * Secrets Manager: store the value as `SecretString` (`string`) or `SecretBinary` (`binary`).
   * @default 'binary'
   */
  readonly secretPushFormat?: SecretPushFormat;
  /**
   * Customer-managed KMS key that encrypts the secret: its key ID or key ARN (an alias cannot be
   * granted in IAM). The role gets `kms:GenerateDataKey`, `kms:Encrypt` and `kms:Decrypt` on it,
   * through the service only. Parameter Store uses it for `SecureString` parameters only.
   * @default the AWS-managed key (`alias/aws/secretsmanager`, `alias/aws/ssm`), which needs no grant
   */
  readonly kmsKeyId?: string;
  /** Description of the secret. @default ESO's "secret 'managed-by:external-secrets'" */
  readonly description?: string;
  /**
   * Tags of the secret (ESO adds `managed-by: external-secrets` and removes tags not listed).
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** Secrets Manager: a resource policy ESO keeps on the secret (`PutResourcePolicy`). @default none (ESO removes one) */
  readonly resourcePolicy?: PushResourcePolicy;
  /**
   * Secrets Manager: regions the secret is replicated to (ESO adds and removes replicas to match).
   * @default none: replication is not managed
   */
  readonly replicationLocations?: readonly string[];
  /** Parameter Store: the parameter type. @default 'String' */
  readonly secretType?: ParameterType;
}

/** The fields each AWS service reads (ESO refuses unknown fields). */
const FIELDS: Readonly<Record<'secretsmanager' | 'ssm', readonly (keyof AwsPushMetadata)[]>> = {
  secretsmanager: ['secretPushFormat', 'kmsKeyId', 'description', 'tags', 'resourcePolicy', 'replicationLocations'],
  ssm: ['secretType', 'kmsKeyId', 'description', 'tags'],
};

/**
 * Problems of one entry's metadata for a store of `service` in `region`; `where` is e.g.
 * `data["tls.crt"].metadata`. The types were checked by the push secret's props schema
 * (`eso/props.ts`); these are the rules of the values.
 */
export function checkPushMetadata(md: AwsPushMetadata, service: 'secretsmanager' | 'ssm', region: string, where: string): string[] {
  const out: string[] = [];
  const known = FIELDS[service];
  const name = service === 'secretsmanager' ? 'AWS Secrets Manager' : 'AWS Parameter Store';
  for (const k of Object.keys(md).filter((x) => md[x as keyof AwsPushMetadata] !== undefined)) {
    if (!(known as readonly string[]).includes(k))
      out.push(`${where}.${k} is not read by ${name} (ESO refuses unknown metadata fields): remove it; ${name} reads ${known.join(', ')}.`);
  }
  if (md.kmsKeyId !== undefined) {
    if (!(KMS_KEY_ID.test(md.kmsKeyId) || AWS_KMS_KEY_ARN.test(md.kmsKeyId)))
      out.push(
        `${where}.kmsKeyId ${quote(md.kmsKeyId)} is not a KMS key ID or key ARN: use the key's ID ("1234abcd-12ab-34cd-56ef-1234567890ab") or ARN (an alias cannot be granted in IAM; leave kmsKeyId out for the AWS-managed key).`,
      );
    else if (service === 'ssm' && md.secretType !== 'SecureString')
      out.push(
        `${where}.kmsKeyId is used for SecureString parameters only (ESO ignores it otherwise): set secretType: "SecureString" or remove kmsKeyId.`,
      );
  }
  if (md.description !== undefined && md.description.length > 2048)
    out.push(`${where}.description ${quote(md.description)} is longer than 2048 characters: shorten it.`);
  for (const [k, v] of Object.entries(md.tags ?? {})) {
    if (k === MANAGED_BY)
      out.push(`${where}.tags may not set "${MANAGED_BY}": ESO sets it itself and refuses metadata that names it; remove that tag.`);
    else if (k.length < 1 || k.length > 128 || k.startsWith('aws:'))
      out.push(`${where}.tags: key ${quote(k)} is not an AWS tag key: use 1-128 characters, not starting with "aws:".`);
    if (v.length > 256) out.push(`${where}.tags[${quote(k)}] ${quote(v)} is longer than 256 characters: shorten it.`);
  }
  const seen = new Set<string>();
  for (const r of md.replicationLocations ?? []) {
    if (!AWS_REGION.test(r))
      out.push(`${where}.replicationLocations: ${quote(r)} is not an AWS region: use a region code such as "eu-west-1".`);
    else if (r === region)
      out.push(
        `${where}.replicationLocations: "${r}" is the store's own region: a secret is not replicated to its primary region; remove it.`,
      );
    else if (seen.has(r)) out.push(`${where}.replicationLocations: "${r}" is listed twice.`);
    seen.add(r);
  }
  if (md.resourcePolicy !== undefined) {
    const ref = md.resourcePolicy.policySourceRef;
    const n = checkDnsSubdomain(ref.name, 'resourcePolicy.policySourceRef.name');
    if (n) out.push(`${where}: ${n}`);
    const k = checkSecretKey(ref.key);
    if (k) out.push(`${where}.resourcePolicy.policySourceRef.key: ${k}`);
  }
  return out;
}

/** The `metadata` of a PushSecret entry, as ESO parses it (field names of the ESO docs; `kmsKeyID`). */
export function pushMetadataJson(m: AwsPushMetadata): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (m.secretPushFormat !== undefined) spec.secretPushFormat = m.secretPushFormat;
  if (m.secretType !== undefined) spec.secretType = m.secretType;
  if (m.kmsKeyId !== undefined) spec.kmsKeyID = m.kmsKeyId;
  if (m.description !== undefined) spec.description = m.description;
  if (m.tags !== undefined) spec.tags = { ...m.tags };
  if (m.resourcePolicy !== undefined) {
    const r = m.resourcePolicy;
    spec.resourcePolicy = {
      policySourceRef: { kind: r.policySourceRef.kind, name: r.policySourceRef.name, key: r.policySourceRef.key },
      ...(r.blockPublicPolicy !== undefined ? { blockPublicPolicy: r.blockPublicPolicy } : {}),
    };
  }
  if (m.replicationLocations !== undefined) spec.replicationLocations = [...m.replicationLocations];
  return { apiVersion: PUSH_METADATA_API_VERSION, kind: PUSH_METADATA_KIND, spec };
}
