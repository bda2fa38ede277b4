/**
 * The IAM role of a plain ESO cluster's controller, shared by the cluster's checks, the identity
 * planner and the ESO target (whose Helm values annotate ESO's service account with it).
 */
import type { EsoCluster } from './cluster.js';
import { AWS_IAM_LIMITS, AwsIdentity, roleName } from '../model/space-identity.js';
import { AWS_ROLE_ARN_PARTS } from '../private/cloud-ids.js';
import { quoteValue } from '../private/terminal.js';

/** Last word of the role of a plain ESO cluster's controller. */
export const ESO_ROLE_SUFFIX = 'external-secrets';

/**
 * The IAM role of a plain ESO cluster's controller: the one `roleArn` names when it is set, else
 * `<roleNamePrefix><cluster>-external-secrets` in the identity's account. The Helm annotation and
 * the generated IAM documents both use it.
 */
export function esoClusterRole(cluster: EsoCluster, id: AwsIdentity): { readonly name: string; readonly arn: string } {
  const m = cluster.roleArn !== undefined ? AWS_ROLE_ARN_PARTS.exec(cluster.roleArn) : null;
  if (cluster.roleArn !== undefined && m) return { name: m[3], arn: cluster.roleArn };
  const name = roleName(id.roleNamePrefix, [cluster.name], ESO_ROLE_SUFFIX);
  return { name, arn: `arn:${id.partition}:iam::${id.accountId}:role/${name}` };
}

/**
 * Why `roleArn` cannot name the role the identity stage generates for the cluster (its account or
 * partition differ from the identity's, it has a path, or the name is too long); empty when it can.
 */
export function esoRoleArnProblems(cluster: EsoCluster): string[] {
  const id = cluster.identity;
  const arn = cluster.roleArn;
  if (arn === undefined || !(id instanceof AwsIdentity)) return [];
  const m = AWS_ROLE_ARN_PARTS.exec(arn);
  if (!m) return [];
  const [, partition, account, name] = m as unknown as [string, string, string, string];
  const generated = roleName(id.roleNamePrefix, [cluster.name], ESO_ROLE_SUFFIX);
  const out: string[] = [];
  if (account !== id.accountId || partition !== id.partition) {
    out.push(
      `roleArn ${quoteValue(arn)} is in account ${account} (partition ${partition}), but the cluster's identity creates its roles in account ${quoteValue(id.accountId)} (partition ${id.partition}), so the generated IAM role would not be the one ESO assumes: ` +
        `use "arn:${id.partition}:iam::${id.accountId}:role/${name}", or remove roleArn (the role is then "${generated}").`,
    );
  }
  if (name.includes('/')) {
    out.push(
      `roleArn ${quoteValue(arn)} has a path ("${name.slice(0, name.lastIndexOf('/') + 1)}"), but the generated role has none: use "arn:${partition}:iam::${account}:role/${name.slice(name.lastIndexOf('/') + 1)}", or remove roleArn (the role is then "${generated}").`,
    );
  } else if (name.length > AWS_IAM_LIMITS.roleName) {
    out.push(
      `roleArn ${quoteValue(arn)} names a role of ${name.length} characters, over the ${AWS_IAM_LIMITS.roleName} IAM allows: use a shorter name, or remove roleArn (the role is then "${generated}").`,
    );
  }
  return out;
}
