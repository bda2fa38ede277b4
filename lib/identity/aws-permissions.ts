/**
 * What ESO needs from AWS (the shared-secrets controllers of a Space, or the ESO controller of a
 * plain cluster), derived from what the secret objects reference:
 * exact ARNs for `data` and `dataFrom.extract`, prefixes and tag conditions for `dataFrom.find`,
 * `kms:Decrypt` only on the keys a store declares. Each need is an {@link AwsPermission}; a role's
 * permissions become its policy statements ({@link permissionStatements}) and the grants the
 * access analysis reads ({@link permissionGrants}).
 *
 * The action sets follow what ESO's AWS providers call (ESO v0.17+):
 * - Secrets Manager, one secret: `GetSecretValue` (with `VersionStage`/`VersionId` for `version`).
 *   `DescribeSecret` returns metadata only (tags, rotation; ESO calls it for `metadataPolicy: Fetch`
 *   and before deleting what it pushed) and is granted with it. Not granted: `ListSecretVersionIds`
 *   (ESO never lists versions; a `version` is passed straight to `GetSecretValue`) and
 *   `GetResourcePolicy` (only PushSecret's `resourcePolicy` metadata reads it).
 * - Tag conditions use the global `aws:ResourceTag/<key>` for both services.
 * - Secrets Manager, `find`: with a name pattern and no path, ESO pages through `ListSecrets` and
 *   reads each match with `GetSecretValue`; with a path or tags it calls `BatchGetSecretValue` with
 *   filters, which needs `ListSecrets` too and `GetSecretValue` on every secret returned. A name
 *   pattern wins over tags (ESO ignores the tags then).
 * - Parameter Store, one parameter: `GetParameter` (and `GetParameters`, the batch form).
 *   `find` by name: `GetParametersByPath` (recursive) on the path, `/` when none is given; by tags:
 *   `DescribeParameters` (only on `*`) and `GetParameter` on each match.
 * - `kms:Decrypt` on the declared customer-managed keys, only through the store's service
 *   (`kms:ViaService`); AWS-managed keys need no grant.
 * - PushSecret (plain ESO clusters): writes on the pushed secrets only, deletes only on what ESO
 *   tagged `managed-by=external-secrets` (see {@link pushPermissions}).
 * - A store with its own `role` (ESO assumes it after authenticating): `sts:AssumeRole` on that role
 *   and nothing else in the policy; the store's secrets are that role's business. The grants still
 *   name them (conditioned on the chained role), so the access analysis sees what planes can read.
 */
import type { Access, AccessGrant } from './plan.js';
import { PolicyStatement, type PolicyConditions } from './aws-policy.js';
import type { DataFromFind } from '../secrets/shared-secret.js';
import { AwsParameterStore, AwsSecretsManager } from '../stores/aws.js';
import type { SecretStoreProvider } from '../stores/provider.js';
import type { SecretNeed } from './workload.js';
import { byKey, cmp } from '../private/order.js';
import { secretArnGrant } from '../private/cloud-ids.js';
import { quoteValue } from '../private/terminal.js';

/** One need of a role: some actions on one resource, maybe under a condition. */
export interface AwsPermission {
  /** Statement family, the Sid (or its stem): letters and digits. */
  readonly sid: string;
  /** IAM actions. */
  readonly actions: readonly string[];
  /** One resource ARN (or `*`). */
  readonly resource: string;
  /** `StringEquals` conditions (key → value), all of which must hold. @default none */
  readonly stringEquals?: Readonly<Record<string, string>>;
  /** Conditions with other operators (`Null`, `ForAnyValue:StringEquals`, ...), all of which must hold too. @default none */
  readonly conditions?: PolicyConditions;
  /** `Deny` for a guard statement (policy only, never a grant). @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** What the grant lets the role do, for the access analysis. */
  readonly access: Access;
  /** Construct paths of the secrets that need it. */
  readonly neededBy: readonly string[];
  /** Why it reaches beyond the named secrets. @default none */
  readonly wider?: string;
  /**
   * Where it shows: in the role's policy only (role chaining), in the published grants only (what
   * a chained role is expected to grant), or both.
   * @default 'both'
   */
  readonly scope?: 'both' | 'policy' | 'grants';
  /** The role the access goes through (ESO `provider.aws.role`), for grants-only permissions. @default none */
  readonly via?: string;
}

/** Where the ARNs point: partition, and the account that owns the secrets when a store does not say. */
export interface ArnContext {
  readonly partition: string;
  readonly accountId: string;
}

/** Either AWS provider. */
export type AwsProvider = AwsSecretsManager | AwsParameterStore;

/** True for the providers this module knows. */
export function isAwsProvider(p: SecretStoreProvider | undefined): p is AwsProvider {
  return p instanceof AwsSecretsManager || p instanceof AwsParameterStore;
}

const SM_READ = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const SM_FIND = ['secretsmanager:GetSecretValue'];
const PS_READ = ['ssm:GetParameter', 'ssm:GetParameters'];
/** `metadataPolicy: Fetch`: ESO reads the tags, Secrets Manager's with DescribeSecret, SSM's with ListTagsForResource. */
const SM_READ_TAGS = ['secretsmanager:DescribeSecret'];
const PS_READ_TAGS = ['ssm:ListTagsForResource'];
/** Creating a pushed secret: `CreateSecret` with its tags, which also needs `TagResource`. */
const SM_CREATE = ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'];
const PS_PUSH = ['ssm:AddTagsToResource', 'ssm:ListTagsForResource', 'ssm:PutParameter'];

/** A provider and what one secret object needs from it: the input of {@link permissionsFor}. */
export interface AwsUse {
  readonly provider: SecretStoreProvider;
  readonly need: SecretNeed;
}

/**
 * Every permission the secret objects need from their (AWS) stores: the one derivation behind the
 * roles of Spaces (`SharedSecret`s) and of plain ESO clusters (`ExternalSecret`s and
 * `PushSecret`s). Uses of other providers give nothing.
 */
export function permissionsFor(uses: readonly AwsUse[], arns: ArnContext): AwsPermission[] {
  return uses.flatMap((u) => permissionsForNeed(u.provider, u.need, arns, true));
}

/**
 * What the secret objects need from their stores, as the policy of the stores' own `role` (the role
 * the keys of a store assume): the reads and writes themselves, never the chaining.
 */
export function chainedRolePermissions(uses: readonly AwsUse[], arns: ArnContext): AwsPermission[] {
  return uses.flatMap((u) => permissionsForNeed(u.provider, u.need, arns, false));
}

function permissionsForNeed(provider: SecretStoreProvider, need: SecretNeed, arns: ArnContext, chain: boolean): AwsPermission[] {
  if (!isAwsProvider(provider)) return [];
  const neededBy = [need.path];
  const own = [...readPermissions(need, provider, arns, neededBy), ...pushPermissions(need, provider, arns, neededBy)];
  if (!provider.role || !chain) return own;
  // The store's own role decides what it may do; a guard of this role's policy is no grant of it.
  const chained = own.filter((p) => p.effect !== 'Deny').map((p): AwsPermission => ({ ...p, scope: 'grants', via: provider.role }));
  return [{ sid: 'AssumeStoreRoles', actions: ['sts:AssumeRole'], resource: provider.role, access: 'assume', neededBy }, ...chained];
}

function readPermissions(need: SecretNeed, provider: AwsProvider, arns: ArnContext, neededBy: readonly string[]): AwsPermission[] {
  const base = arnBase(provider, arns);
  // `metadataPolicy: Fetch` reads the tags only: DescribeSecret / ListTagsForResource, not the value.
  const tagKeys = need.data.filter((d) => d.metadataPolicy === 'Fetch').map((d) => d.remoteKey);
  const keys = [
    ...need.data.filter((d) => d.metadataPolicy !== 'Fetch').map((d) => d.remoteKey),
    ...need.dataFrom.flatMap((s) => ('extract' in s ? [s.extract.key] : [])),
  ];
  const finds = need.dataFrom.flatMap((s) => ('find' in s ? [s.find] : []));
  // A push reads the current value first (ESO skips identical writes) and checks the managed-by tag.
  const pushed = need.pushes.map((p) => p.remoteKey);
  const out: AwsPermission[] = [];
  if (provider instanceof AwsSecretsManager) {
    for (const key of [...keys, ...pushed])
      out.push({ sid: 'SecretsManagerRead', actions: SM_READ, resource: secretArn(base, key), access: 'read', neededBy });
    for (const find of finds) out.push(...secretsManagerFind(base, find, neededBy));
  } else {
    for (const key of [...keys, ...pushed])
      out.push({ sid: 'ParameterStoreRead', actions: PS_READ, resource: parameterArn(base, key), access: 'read', neededBy });
    for (const find of finds) out.push(...parameterStoreFind(base, find, neededBy));
  }
  if (out.length > 0) {
    const [svc, sid] =
      provider instanceof AwsSecretsManager ? ['secretsmanager', 'KmsDecryptViaSecretsManager'] : ['ssm', 'KmsDecryptViaParameterStore'];
    for (const key of provider.kmsKeyArns) {
      out.push({
        sid,
        actions: ['kms:Decrypt'],
        resource: key,
        stringEquals: { 'kms:ViaService': `${svc}.${provider.region}.amazonaws.com` },
        access: 'decrypt',
        neededBy,
      });
    }
  }
  for (const key of tagKeys) {
    out.push(
      provider instanceof AwsSecretsManager
        ? { sid: 'SecretsManagerReadTags', actions: SM_READ_TAGS, resource: secretArn(base, key), access: 'read', neededBy }
        : { sid: 'ParameterStoreReadTags', actions: PS_READ_TAGS, resource: parameterArn(base, key), access: 'read', neededBy },
    );
  }
  return out;
}

/** Tag ESO puts on every secret and parameter it creates, and requires before it updates or deletes one. */
export const ESO_MANAGED_TAG = { key: 'managed-by', value: 'external-secrets' } as const;

/**
 * What ESO's PushSecret does on AWS (ESO v2.9, `providers/v1/aws`), and what the role may do:
 * - Secrets Manager: `DescribeSecret` (the `managed-by=external-secrets` tag check) and
 *   `GetSecretValue` (ESO skips identical writes), granted with the reads. A secret that does not
 *   exist is created with `CreateSecret`, value and tags in one call (tags need `TagResource`
 *   too); both are granted only with the tag `managed-by=external-secrets` in the request
 *   (`aws:RequestTag`). An existing secret is written with `PutSecretValue` only when ESO manages
 *   it, so the grant requires the tag on the resource (`aws:ResourceTag`). `DeleteSecret` (with
 *   `deletionPolicy: Delete`) likewise requires the tag.
 * - The tag is what makes a secret deletable, so the role must not be able to put it on a secret
 *   it did not create: a Deny refuses `TagResource` / `UntagResource` of the `managed-by` key on an
 *   existing secret (the request names it: `secretsmanager:SecretId` is set, which tagging inside
 *   `CreateSecret` does not have) unless it already carries `managed-by=external-secrets`. Without
 *   it, the role could tag an existing secret of a pushed name and delete it.
 * - Parameter Store: `GetParameter` (with the reads), `ListTagsForResource` (the tag check),
 *   `PutParameter` with the tag (needs `AddTagsToResource`); `DeleteParameter` only on tagged
 *   parameters. SSM has no condition key that tells tagging in `PutParameter` from tagging an
 *   existing parameter, so `AddTagsToResource` stays as it is (see the README of the role).
 */
function pushPermissions(need: SecretNeed, provider: AwsProvider, arns: ArnContext, neededBy: readonly string[]): AwsPermission[] {
  const base = arnBase(provider, arns);
  const tag = { [`aws:ResourceTag/${ESO_MANAGED_TAG.key}`]: ESO_MANAGED_TAG.value };
  /** Tag changes that leave the managed-by key alone (ESO never removes it). */
  const notManagedByKey = { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ESO_MANAGED_TAG.key } };
  const out: AwsPermission[] = [];
  for (const p of need.pushes) {
    const m = p.metadata;
    if (provider instanceof AwsSecretsManager) {
      const resource = secretArn(base, p.remoteKey);
      out.push(
        {
          sid: 'SecretsManagerCreatePushed',
          actions: SM_CREATE,
          resource,
          stringEquals: { [`aws:RequestTag/${ESO_MANAGED_TAG.key}`]: ESO_MANAGED_TAG.value },
          access: 'write',
          neededBy,
        },
        // ESO v2.9 deletes the resource policy of an existing pushed secret whose metadata sets
        // none (and fails when it may not), on every write.
        {
          sid: 'SecretsManagerPush',
          actions: ['secretsmanager:DeleteResourcePolicy', 'secretsmanager:PutSecretValue'],
          resource,
          stringEquals: tag,
          access: 'write',
          neededBy,
        },
        {
          sid: 'SecretsManagerGuardManagedByTag',
          effect: 'Deny',
          actions: ['secretsmanager:TagResource', 'secretsmanager:UntagResource'],
          resource,
          conditions: {
            'ForAnyValue:StringEquals': { 'aws:TagKeys': ESO_MANAGED_TAG.key },
            Null: { 'secretsmanager:SecretId': 'false' },
            StringNotEquals: tag,
          },
          access: 'write',
          neededBy,
          scope: 'policy',
        },
      );
      if (m?.tags !== undefined)
        // ESO removes the tags the metadata no longer lists (never managed-by).
        out.push({
          sid: 'SecretsManagerUntagPushed',
          actions: ['secretsmanager:UntagResource'],
          resource,
          stringEquals: tag,
          conditions: notManagedByKey,
          access: 'write',
          neededBy,
        });
      if (m?.resourcePolicy !== undefined)
        out.push({
          sid: 'SecretsManagerResourcePolicy',
          actions: ['secretsmanager:GetResourcePolicy', 'secretsmanager:PutResourcePolicy'],
          resource,
          stringEquals: tag,
          access: 'write',
          neededBy,
        });
      const replicas = [...new Set(m?.replicationLocations ?? [])].sort();
      if (replicas.length > 0)
        out.push(
          // Also in CreateSecret with AddReplicaRegions, before the new secret can be matched by tag:
          // held to the listed regions instead.
          {
            sid: 'SecretsManagerReplicate',
            actions: ['secretsmanager:ReplicateSecretToRegions'],
            resource,
            conditions: { 'ForAllValues:StringEquals': { 'secretsmanager:AddReplicaRegions': replicas } },
            access: 'write',
            neededBy,
          },
          {
            sid: 'SecretsManagerRemoveReplicas',
            actions: ['secretsmanager:RemoveRegionsFromReplication'],
            resource,
            stringEquals: tag,
            access: 'write',
            neededBy,
          },
        );
      if (m?.kmsKeyId !== undefined)
        for (const region of [provider.region, ...replicas])
          out.push({
            sid: 'KmsEncryptViaSecretsManager',
            actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
            resource: kmsKeyArn(base, m.kmsKeyId, region),
            stringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
            access: 'decrypt',
            neededBy,
          });
      if (p.delete)
        out.push({
          sid: 'SecretsManagerDeletePushed',
          actions: ['secretsmanager:DeleteSecret'],
          resource,
          stringEquals: tag,
          access: 'write',
          neededBy,
        });
    } else {
      const resource = parameterArn(base, p.remoteKey);
      out.push(
        { sid: 'ParameterStorePush', actions: PS_PUSH, resource, access: 'write', neededBy },
        // ESO removes the tags of a parameter it manages that the metadata does not list.
        {
          sid: 'ParameterStoreUntagPushed',
          actions: ['ssm:RemoveTagsFromResource'],
          resource,
          stringEquals: tag,
          conditions: notManagedByKey,
          access: 'write',
          neededBy,
        },
      );
      if (m?.kmsKeyId !== undefined && m.secretType === 'SecureString')
        out.push({
          sid: 'KmsEncryptViaParameterStore',
          actions: ['kms:Decrypt', 'kms:Encrypt'],
          resource: kmsKeyArn(base, m.kmsKeyId, provider.region),
          stringEquals: { 'kms:ViaService': `ssm.${provider.region}.amazonaws.com` },
          access: 'decrypt',
          neededBy,
        });
      if (p.delete)
        out.push({
          sid: 'ParameterStoreDeletePushed',
          actions: ['ssm:DeleteParameter'],
          resource,
          stringEquals: tag,
          access: 'write',
          neededBy,
        });
    }
  }
  return out;
}

/** The ARN of a KMS key given by ID or ARN, in `region` (a replica region uses the key of the same ID there). */
function kmsKeyArn(b: ArnBase, key: string, region: string): string {
  if (!key.startsWith('arn:')) return `arn:${b.partition}:kms:${region}:${b.account}:key/${key}`;
  const parts = key.split(':');
  parts[3] = region;
  return parts.join(':');
}

function arnBase(provider: AwsProvider, arns: ArnContext): ArnBase {
  return { partition: arns.partition, region: provider.region, account: provider.accountId ?? arns.accountId };
}

interface ArnBase {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * `arn:<p>:secretsmanager:<region>:<account>:secret:<name>-??????` (the 6-character suffix); for a
 * key that is an ARN, that ARN, with `-??????` when it has no suffix (a partial ARN).
 */
export function secretArn(b: ArnBase, key: string): string {
  if (key.startsWith('arn:')) return secretArnGrant(key);
  return `arn:${b.partition}:secretsmanager:${b.region}:${b.account}:secret:${key}-??????`;
}

/** `arn:<p>:ssm:<region>:<account>:parameter/<name without leading slash>`, or the ARN given. */
export function parameterArn(b: ArnBase, key: string): string {
  if (key.startsWith('arn:')) return key;
  return `arn:${b.partition}:ssm:${b.region}:${b.account}:parameter/${key.replace(/^\/+/, '')}`;
}

function where(b: ArnBase): string {
  return `${b.region} of account ${b.account}`;
}

function secretsManagerFind(b: ArnBase, find: DataFromFind, neededBy: readonly string[]): AwsPermission[] {
  const prefix = `arn:${b.partition}:secretsmanager:${b.region}:${b.account}:secret:${find.path ?? ''}*`;
  const tags = find.nameRegexp === undefined ? Object.entries(find.tags ?? {}).sort(byKey) : [];
  const batch = find.path !== undefined || tags.length > 0;
  const listWider =
    'ListSecrets and BatchGetSecretValue only work on "*": the role can list the names and metadata of every secret the account holds (values still need GetSecretValue)';
  const out: AwsPermission[] = [
    { sid: 'SecretsManagerList', actions: ['secretsmanager:ListSecrets'], resource: '*', access: 'list', neededBy, wider: listWider },
  ];
  if (batch)
    out.push({
      sid: 'SecretsManagerBatchRead',
      actions: ['secretsmanager:BatchGetSecretValue'],
      resource: '*',
      access: 'list',
      neededBy,
      wider: listWider,
    });
  const scope =
    find.path !== undefined ? `every secret whose name starts with ${quoteValue(find.path)} in ${where(b)}` : `every secret in ${where(b)}`;
  if (tags.length > 0) {
    // The global `aws:ResourceTag/<key>`: Secrets Manager evaluates it like its own
    // `secretsmanager:ResourceTag/<key>`, and it is the form IAM tooling (and our policy tests) know.
    const stringEquals = Object.fromEntries(tags.map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    return [...out, { sid: 'SecretsManagerFindByTags', actions: SM_FIND, resource: prefix, stringEquals, access: 'read', neededBy }];
  }
  const wider =
    find.nameRegexp !== undefined
      ? `dataFrom.find.nameRegexp ${quoteValue(find.nameRegexp)} cannot be expressed in IAM: the grant covers ${scope}`
      : find.path !== undefined
        ? `dataFrom.find.path is a prefix: the grant covers ${scope}`
        : undefined;
  return [...out, { sid: 'SecretsManagerFind', actions: SM_FIND, resource: prefix, access: 'read', neededBy, wider }];
}

function parameterStoreFind(b: ArnBase, find: DataFromFind, neededBy: readonly string[]): AwsPermission[] {
  const path = (find.path ?? '/').replace(/^\/+/, '').replace(/\/+$/, '');
  const root = `arn:${b.partition}:ssm:${b.region}:${b.account}:parameter/`;
  const below = path === '' ? [`${root}*`] : [`${root}${path}`, `${root}${path}/*`];
  const tags = find.nameRegexp === undefined ? Object.entries(find.tags ?? {}).sort(byKey) : [];
  const scope = path === '' ? `every parameter in ${where(b)}` : `every parameter under "/${path}" in ${where(b)}`;
  if (tags.length > 0) {
    const stringEquals = Object.fromEntries(tags.map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    return [
      {
        sid: 'ParameterStoreList',
        actions: ['ssm:DescribeParameters'],
        resource: '*',
        access: 'list',
        neededBy,
        wider:
          'DescribeParameters only works on "*": the role can list the names and metadata of every parameter the account holds (values still need GetParameter)',
      },
      {
        sid: 'ParameterStoreFindByTags',
        actions: ['ssm:GetParameter'],
        resource: path === '' ? `${root}*` : `${root}${path}/*`,
        stringEquals,
        access: 'read',
        neededBy,
      },
    ];
  }
  const wider =
    find.nameRegexp !== undefined
      ? `dataFrom.find.nameRegexp ${quoteValue(find.nameRegexp)} cannot be expressed in IAM: the grant covers ${scope}`
      : `dataFrom.find.path reads a whole hierarchy: the grant covers ${scope}`;
  return below.map((resource) => ({
    sid: 'ParameterStoreFindByPath',
    actions: ['ssm:GetParametersByPath'],
    resource,
    access: 'read' as const,
    neededBy,
    wider,
  }));
}

/** Merges permissions that differ only in `neededBy`. Sorted by sid, condition, resource. */
export function mergePermissions(perms: readonly AwsPermission[]): AwsPermission[] {
  const merged = new Map<string, AwsPermission>();
  for (const p of perms) {
    const key = permissionKey(p);
    const seen = merged.get(key);
    merged.set(
      key,
      seen
        ? { ...seen, neededBy: [...new Set([...seen.neededBy, ...p.neededBy])].sort() }
        : { ...p, neededBy: [...new Set(p.neededBy)].sort() },
    );
  }
  return [...merged.entries()].sort(byKey).map(([, p]) => p);
}

function conditionKey(p: AwsPermission): string {
  const other = Object.entries(p.conditions ?? {})
    .map(([op, byKey]) => [op, Object.entries(byKey).sort()] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([p.effect ?? 'Allow', Object.entries(p.stringEquals ?? {}).sort(), other]);
}

function permissionKey(p: AwsPermission): string {
  return [p.sid, [...p.actions].sort().join(','), conditionKey(p), p.resource, p.scope ?? 'both', p.via ?? ''].join('\u0000');
}

/** Whether the permission belongs in the role's policy. */
export function inPolicy(p: AwsPermission): boolean {
  return p.scope !== 'grants';
}

/** Order of the statement families in a policy: reads first, then finds, lists, pushes, KMS, role chaining. */
const SID_ORDER = [
  'SecretsManagerRead',
  'SecretsManagerReadTags',
  'SecretsManagerFind',
  'SecretsManagerFindByTags',
  'SecretsManagerList',
  'SecretsManagerBatchRead',
  'SecretsManagerCreatePushed',
  'SecretsManagerPush',
  'SecretsManagerUntagPushed',
  'SecretsManagerResourcePolicy',
  'SecretsManagerReplicate',
  'SecretsManagerRemoveReplicas',
  'SecretsManagerDeletePushed',
  'SecretsManagerGuardManagedByTag',
  'ParameterStoreRead',
  'ParameterStoreReadTags',
  'ParameterStoreFindByPath',
  'ParameterStoreFindByTags',
  'ParameterStoreList',
  'ParameterStorePush',
  'ParameterStoreUntagPushed',
  'ParameterStoreDeletePushed',
  'KmsDecryptViaSecretsManager',
  'KmsDecryptViaParameterStore',
  'KmsEncryptViaSecretsManager',
  'KmsEncryptViaParameterStore',
  'AssumeStoreRoles',
];

/**
 * Statements for a role's permissions: one per family and condition, resources sorted. When a
 * family has several conditions (tag sets, regions), its Sids are numbered in condition order.
 */
export function permissionStatements(perms: readonly AwsPermission[]): PolicyStatement[] {
  const groups = new Map<string, Map<string, AwsPermission[]>>();
  for (const p of mergePermissions(perms.filter(inPolicy))) {
    const bySid = groups.get(p.sid) ?? new Map<string, AwsPermission[]>();
    groups.set(p.sid, bySid);
    const key = `${[...p.actions].sort().join(',')}\u0000${conditionKey(p)}`;
    bySid.set(key, [...(bySid.get(key) ?? []), p]);
  }
  const rank = (sid: string): number => (SID_ORDER.includes(sid) ? SID_ORDER.indexOf(sid) : SID_ORDER.length);
  const sids = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || cmp(a, b));
  const out: PolicyStatement[] = [];
  for (const sid of sids) {
    const bySid = groups.get(sid) as Map<string, AwsPermission[]>;
    const keys = [...bySid.keys()].sort();
    keys.forEach((key, i) => {
      const members = bySid.get(key) as AwsPermission[];
      const first = members[0];
      const statement = new PolicyStatement({
        sid: keys.length > 1 ? `${sid}${i + 1}` : sid,
        effect: first.effect,
        actions: [...first.actions],
        resources: members.map((m) => m.resource),
        conditions: first.conditions,
      });
      for (const [k, v] of Object.entries(first.stringEquals ?? {})) statement.addCondition('StringEquals', k, v);
      out.push(statement);
    });
  }
  return out;
}

/** The grants of a role's permissions, one per access, resource and condition, sorted. */
export function permissionGrants(perms: readonly AwsPermission[]): AccessGrant[] {
  const merged = new Map<string, AccessGrant>();
  for (const p of mergePermissions(perms.filter((x) => x.scope !== 'policy'))) {
    const condition = conditionText(p);
    const key = [p.access, p.resource, condition ?? '', p.via ?? ''].join('\u0000');
    const seen = merged.get(key);
    const neededBy = [...new Set([...(seen?.neededBy ?? []), ...p.neededBy])].sort();
    const wider = seen?.wider ?? p.wider;
    merged.set(key, {
      access: p.access,
      resource: p.resource,
      neededBy,
      ...(condition ? { condition } : {}),
      ...(wider ? { wider } : {}),
      ...(p.via ? { via: p.via } : {}),
    });
  }
  return [...merged.entries()].sort(byKey).map(([, g]) => g);
}

function conditionText(p: AwsPermission): string | undefined {
  const entries = Object.entries(p.stringEquals ?? {}).sort(byKey);
  const parts = entries.map(([k, v]) => `StringEquals ${k}=${JSON.stringify(v)}`);
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}
