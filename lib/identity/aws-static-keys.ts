/**
 * The IAM of static access keys that assume a role (issue 16 item 5): a store whose
 * `StaticCredentials.awsAccessKey` names the keys' IAM user (`userArn`) and whose provider has a
 * `role` makes ESO authenticate with the keys, then assume the role. For each such role:
 *
 * - its trust policy: `sts:AssumeRole` for exactly the users whose keys the stores hold;
 * - its permission policy: what the stores' secret objects read (and push), nothing else;
 * - each user's policy: `sts:AssumeRole` on the roles its keys are used for, and nothing else.
 *
 * This needs no workload identity, so it runs for every Space (Cloud Spaces included) and every
 * plain ESO cluster. The files go to `iam/aws/static-keys/` of the owner; the role and the users
 * are principals of the access analysis (the keys' Secret → the user → the role).
 */
import type { Construct } from 'constructs';
import type { Problem } from '../model/errors.js';
import type { Space } from '../model/space.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';
import type { EsoCluster } from '../eso/cluster.js';
import { AWS_IAM_LIMITS } from '../model/space-identity.js';
import { AWS_ROLE_ARN_PARTS } from '../private/cloud-ids.js';
import { cmp } from '../private/order.js';
import { iamDir } from '../output/layout.js';
import {
  chainedRolePermissions,
  isAwsProvider,
  permissionGrants,
  permissionStatements,
  type AwsPermission,
  type AwsProvider,
} from './aws-permissions.js';
import { PolicyDocument, PolicyStatement } from './aws-policy.js';
import { emptyPlan, type CloudPrincipal, type IdentityPlan, type PlannedFile } from './plan.js';
import {
  clusterOwner,
  clusterUses,
  sharedSecretNeed,
  spaceOwner,
  type IdentityOwner,
  type IdentityStore,
  type SecretNeed,
} from './workload.js';

/** A store whose keys assume a role, and what its secret objects need. */
interface KeyStore {
  readonly store: IdentityStore;
  readonly provider: AwsProvider;
  readonly role: string;
  /** The keys' IAM user; none for another store naming the same role (its needs count, its keys or identity are not ours). */
  readonly userArn?: string;
  readonly needs: readonly SecretNeed[];
}

/** One role assumed by static keys. */
interface KeyRole {
  readonly arn: string;
  readonly name: string;
  readonly users: readonly string[];
  /** Workload-identity roles of the owner that assume it too. */
  readonly chainedFrom: readonly string[];
  readonly stores: readonly string[];
  readonly permissions: readonly AwsPermission[];
  readonly trust: PolicyDocument;
  readonly policy: PolicyDocument;
}

/**
 * The static-key roles of a Space (every store of it, whether or not the Space has an identity).
 * `chainers` are the principals of the Space's workload identity: one that assumes a role of the
 * keys too (a store without keys naming the same `role`) is trusted beside the users, so that
 * applying this trust policy does not cut it off.
 */
export function planAwsStaticKeysOfSpace(space: Space, chainers: readonly CloudPrincipal[] = []): IdentityPlan {
  const secrets = SharedSecret.all(space);
  const stores: KeyStore[] = [];
  for (const store of SecretStore.all(space)) {
    const k = keyStore(store);
    if (k) stores.push({ ...k, needs: secrets.filter((s) => s.store === store).map(sharedSecretNeed) });
  }
  return plan(spaceOwner(space), stores, chainers);
}

/** The static-key roles of a plain ESO cluster (`chainers`: see {@link planAwsStaticKeysOfSpace}). */
export function planAwsStaticKeysOfCluster(cluster: EsoCluster, chainers: readonly CloudPrincipal[] = []): IdentityPlan {
  const found = cluster.stores.flatMap((store) => {
    const k = keyStore(store);
    return k ? [k] : [];
  });
  if (found.length === 0) return emptyPlan();
  const uses = clusterUses(cluster, new Map<Construct, AwsProvider>(found.map((k) => [k.store, k.provider])));
  return plan(
    clusterOwner(cluster),
    found.map((k) => ({ ...k, needs: uses.filter((u) => u.store === k.store).map((u) => u.need) })),
    chainers,
  );
}

function keyStore(store: IdentityStore): Omit<KeyStore, 'needs'> | undefined {
  const provider = store.provider;
  if (!isAwsProvider(provider)) return undefined;
  const userArn = provider.credentials?.userArn;
  const role = provider.role;
  if (typeof role !== 'string' || !AWS_ROLE_ARN_PARTS.test(role)) return undefined;
  return { store, provider, role, ...(typeof userArn === 'string' ? { userArn } : {}) };
}

function plan(owner: IdentityOwner, stores: readonly KeyStore[], chainers: readonly CloudPrincipal[]): IdentityPlan {
  const byRole = new Map<string, KeyStore[]>();
  for (const k of stores) byRole.set(k.role, [...(byRole.get(k.role) ?? []), k]);
  // Only roles the model knows keys for: the others' trust is not the model's to say.
  for (const [arn, list] of byRole) if (!list.some((k) => k.userArn !== undefined)) byRole.delete(arn);
  const problems: Problem[] = [];
  const roles: KeyRole[] = [...byRole.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([arn, list]) => {
      const [, partition, accountId, path] = AWS_ROLE_ARN_PARTS.exec(arn) as RegExpExecArray;
      const name = path.split('/').pop() as string;
      const users = [...new Set(list.flatMap((k) => (k.userArn !== undefined ? [k.userArn] : [])))].sort(cmp);
      // The owner's workload-identity roles that chain to this role too (their policy allows it).
      const roles = chainers
        .filter((p) => p.kind === 'aws-iam-role' && p.grants.some((g) => g.access === 'assume' && g.resource === arn))
        .map((p) => p.id)
        .sort(cmp);
      const trusted = [...users, ...roles];
      const permissions = chainedRolePermissions(
        list.flatMap((k) => k.needs.map((need) => ({ provider: k.provider, need }))),
        { partition, accountId },
      );
      const trust = new PolicyDocument([
        new PolicyStatement({
          sid: 'StoreAccessKeys',
          principal: { AWS: trusted.length === 1 ? trusted[0] : trusted },
          actions: ['sts:AssumeRole'],
        }),
      ]);
      const policy = new PolicyDocument(permissionStatements(permissions));
      const role = { arn, name, users, chainedFrom: roles, stores: list.map((k) => k.store.node.path), permissions, trust, policy };
      problems.push(...limits(owner, role));
      return role;
    })
    // A role no secret object reads through has nothing to grant (and its user nothing to assume).
    .filter((r) => !r.policy.isEmpty);
  if (roles.length === 0) return { ...emptyPlan(), problems };
  const users = new Map<string, string[]>();
  for (const r of roles) for (const u of r.users) users.set(u, [...(users.get(u) ?? []), r.arn]);
  const principals: CloudPrincipal[] = [
    ...roles.map((r) => principal(owner, r.arn, 'aws-iam-role', permissionGrants(r.permissions), r.stores)),
    ...[...users.entries()].map(([user, arns]) =>
      principal(
        owner,
        user,
        'aws-iam-user',
        arns.map((arn) => ({ access: 'assume' as const, resource: arn, neededBy: neededBy(roles.find((r) => r.arn === arn)) })),
        roles.filter((r) => r.users.includes(user)).flatMap((r) => r.stores),
      ),
    ),
  ];
  return { problems, principals, files: files(owner, roles, users), serviceAccountAnnotations: {}, podLabels: {} };
}

/** The secret objects that need a role: those its grants are for. */
function neededBy(role: KeyRole | undefined): string[] {
  return [...new Set((role?.permissions ?? []).flatMap((p) => p.neededBy))].sort(cmp);
}

function principal(
  owner: IdentityOwner,
  id: string,
  kind: 'aws-iam-role' | 'aws-iam-user',
  grants: CloudPrincipal['grants'],
  stores: readonly string[],
): CloudPrincipal {
  return {
    id,
    cloud: 'aws',
    kind,
    ...(owner.kind === 'space' ? { space: owner.name } : {}),
    ...(owner.serviceAccount ? { cluster: owner.serviceAccount } : {}),
    planes: [],
    grants,
    stores: [...new Set(stores)].sort(cmp),
  };
}

function limits(owner: IdentityOwner, role: Omit<KeyRole, never>): Problem[] {
  const L = AWS_IAM_LIMITS;
  const out: Problem[] = [];
  if (role.trust.size > L.trustPolicyDefault)
    out.push({
      path: owner.scope.node.path,
      message: `the trust policy of IAM role "${role.name}" (assumed by static keys) has ${role.trust.size} characters, over IAM's ${L.trustPolicyDefault}: let fewer IAM users' keys assume it (one user per role).`,
    });
  if (role.policy.size > L.inlinePoliciesPerRole)
    out.push({
      path: owner.scope.node.path,
      message: `the permission policy of IAM role "${role.name}" (assumed by static keys) has ${role.policy.size} characters (whitespace not counted), over the ${L.inlinePoliciesPerRole} IAM allows for the inline policies of a role: read secrets by path prefix (dataFrom.find.path) instead of one by one, or give the stores different roles.`,
    });
  return out;
}

/** `roles/<account>/<name>`: a role name is unique per account, whatever its path. */
function roleDir(r: KeyRole): string {
  return `roles/${r.arn.split(':')[4]}/${r.name}`;
}

/** `users/<account>/<name>`. */
function userDir(arn: string): string {
  return `users/${arn.split(':')[4]}/${userName(arn)}`;
}

/** `<user name>` of a user ARN (its last path segment). */
function userName(arn: string): string {
  return arn.split('/').pop() as string;
}

function files(owner: IdentityOwner, roles: readonly KeyRole[], users: ReadonlyMap<string, readonly string[]>): PlannedFile[] {
  const dir = `${iamDir(owner.dir, 'aws')}/static-keys`;
  const out: PlannedFile[] = [];
  for (const r of roles) {
    out.push({ path: `${dir}/${roleDir(r)}/trust-policy.json`, json: r.trust.toJSON(), keys: 'as-given' });
    out.push({ path: `${dir}/${roleDir(r)}/permission-policy.json`, json: r.policy.toJSON(), keys: 'as-given' });
  }
  for (const [user, arns] of users) {
    const doc = new PolicyDocument([new PolicyStatement({ sid: 'AssumeStoreRoles', actions: ['sts:AssumeRole'], resources: [...arns] })]);
    out.push({ path: `${dir}/${userDir(user)}/assume-role-policy.json`, json: doc.toJSON(), keys: 'as-given' });
  }
  out.push({ path: `${dir}/README.md`, text: () => readme(owner, dir, roles, users) });
  return out.sort((a, b) => cmp(a.path, b.path));
}

function readme(owner: IdentityOwner, dir: string, roles: readonly KeyRole[], users: ReadonlyMap<string, readonly string[]>): string {
  const out = [
    `# AWS IAM of the static access keys of ${owner.label} that assume a role`,
    '',
    'Generated from the secrets topology; edit the topology, not these files.',
    "A store with static keys (`StaticCredentials.awsAccessKey({ userArn })`) and a `role` makes ESO authenticate with the keys and assume the role. Each role trusts exactly the IAM users whose keys assume it and grants what its stores' secrets need; each user may only assume its roles. The keys themselves are created out of band (`aws iam create-access-key`) and put into the stores' Secrets, never into the topology.",
    '',
    `Run the commands from this directory (\`dist/${dir}\`).`,
  ];
  for (const r of roles) {
    out.push(
      '',
      `## Role \`${r.name}\``,
      '',
      `Stores: ${r.stores.map((s) => `\`${s}\``).join(', ')}. Assumed by: ${[...r.users, ...r.chainedFrom].map((u) => `\`${u}\``).join(', ')}${r.chainedFrom.length > 0 ? ' (the roles: stores without keys that name this role too; the Space role README lists what they need)' : ''}.`,
      '',
      '```sh',
    );
    out.push(`aws iam create-role --role-name ${r.name} --assume-role-policy-document file://${roleDir(r)}/trust-policy.json`);
    out.push(
      `# on later changes: aws iam update-assume-role-policy --role-name ${r.name} --policy-document file://${roleDir(r)}/trust-policy.json`,
    );
    out.push(
      `aws iam put-role-policy --role-name ${r.name} --policy-name ${r.name} --policy-document file://${roleDir(r)}/permission-policy.json`,
    );
    out.push('```');
    const account = r.arn.split(':')[4];
    const foreign = r.users.filter((u) => u.split(':')[4] !== account);
    if (foreign.length > 0)
      out.push(
        '',
        `Users of another account (${foreign.map((u) => `\`${u}\``).join(', ')}) need their own account's policy below as well; the role's trust alone is not enough.`,
      );
  }
  for (const [user, arns] of users) {
    const name = userName(user);
    out.push('', `## User \`${user}\``, '', `May assume: ${arns.map((a) => `\`${a}\``).join(', ')}.`, '', '```sh');
    out.push(
      `aws iam put-user-policy --user-name ${name} --policy-name assume-store-roles --policy-document file://${userDir(user)}/assume-role-policy.json`,
    );
    out.push('```');
  }
  return `${out.join('\n')}\n`;
}
