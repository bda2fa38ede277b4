/**
 * The AWS IAM of a Space or ESO cluster as provider-upjet-aws managed resources
 * (`iam.aws.upbound.io/v1beta1`, cluster-scoped, or with a namespace the Crossplane v2 namespaced
 * `iam.aws.m.upbound.io/v1beta1`): per role a `Role` (trust policy as a JSON string; an inline
 * permission policy in `inlinePolicy`), and with managed policies a `Policy` per policy document and
 * a `RolePolicyAttachment` that references both by name (`roleRef`, `policyArnRef`). With EKS Pod
 * Identity, also a `PodIdentityAssociation` (`eks.aws[.m].upbound.io/v1beta1`) per associated
 * service account, referencing its Role (`roleArnRef`): the same associations as the JSON files.
 */
import { k8sName } from '../private/k8s-names.js';
import type { CrossplaneFile } from './crossplane.js';
import { cmp } from '../private/order.js';
import type { PolicyDocument } from './aws-policy.js';
import type { AwsIdentity } from '../model/space-identity.js';
import type { IdentityOwner } from './workload.js';

/** API version of the provider-upjet-aws IAM resources (cluster-scoped). */
export const AWS_IAM_API = 'iam.aws.upbound.io/v1beta1';
/** API version of the namespaced provider-upjet-aws IAM resources (Crossplane v2). */
export const AWS_IAM_NAMESPACED_API = 'iam.aws.m.upbound.io/v1beta1';
/** API version of the provider-upjet-aws EKS resources (cluster-scoped). */
export const AWS_EKS_API = 'eks.aws.upbound.io/v1beta1';
/** API version of the namespaced provider-upjet-aws EKS resources (Crossplane v2). */
export const AWS_EKS_NAMESPACED_API = 'eks.aws.m.upbound.io/v1beta1';

/** A service account that assumes a role through an EKS pod identity association. */
export interface AwsCrossplaneAssociation {
  /** Its namespace (a plane's host namespace, or ESO's namespace). */
  readonly namespace: string;
  /** The service account. */
  readonly serviceAccount: string;
}

/** One role as the Crossplane output needs it. */
export interface AwsCrossplaneRole {
  /** Role name (the Role's external name). */
  readonly name: string;
  /** Environment the role is dedicated to, for its description. @default none */
  readonly environment?: string;
  /** Trust policy. */
  readonly trust: PolicyDocument;
  /** Permission policy documents (several when a managed policy is split). */
  readonly policies: readonly PolicyDocument[];
  /** Name of each policy (managed policy name, or inline policy name). */
  readonly policyNames: readonly string[];
  /** Pod identity associations of the role (EKS Pod Identity only). @default none */
  readonly associations?: readonly AwsCrossplaneAssociation[];
}

/** The `Role`, `Policy` and `RolePolicyAttachment` objects of the roles, one file per kind (sorted by name). */
export function awsCrossplaneManifests(owner: IdentityOwner, id: AwsIdentity, roles: readonly AwsCrossplaneRole[]): CrossplaneFile[] {
  const labels = { [`secrets-topology/${owner.kind}`]: owner.name };
  const namespace = id.crossplaneNamespace;
  const iamApi = namespace === undefined ? AWS_IAM_API : AWS_IAM_NAMESPACED_API;
  const eksApi = namespace === undefined ? AWS_EKS_API : AWS_EKS_NAMESPACED_API;
  // Namespaced managed resources name the kind of their ProviderConfig (the CRD defaults the whole
  // reference to the ClusterProviderConfig "default").
  const providerConfigRef =
    namespace === undefined
      ? id.crossplaneProviderConfig !== undefined
        ? { name: id.crossplaneProviderConfig }
        : undefined
      : id.crossplaneProviderConfig !== undefined || id.crossplaneProviderConfigKind !== undefined
        ? { kind: id.crossplaneProviderConfigKind ?? 'ClusterProviderConfig', name: id.crossplaneProviderConfig ?? 'default' }
        : undefined;
  const metadata = (name: string, annotations?: Record<string, string>): Record<string, unknown> => ({
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    labels,
    ...(annotations !== undefined ? { annotations } : {}),
  });
  const inline = id.permissionPolicy === 'inline';
  const roleObjects: Record<string, unknown>[] = [];
  const policyObjects: Record<string, unknown>[] = [];
  const attachments: Record<string, unknown>[] = [];
  const associations: Record<string, unknown>[] = [];
  for (const r of roles) {
    const roleName = k8sName(r.name);
    for (const a of r.associations ?? []) {
      associations.push({
        apiVersion: eksApi,
        kind: 'PodIdentityAssociation',
        metadata: metadata(k8sName(`${id.clusterName ?? ''}-${a.namespace}-${a.serviceAccount}`)),
        spec: {
          forProvider: {
            region: id.region,
            clusterName: id.clusterName,
            namespace: a.namespace,
            serviceAccount: a.serviceAccount,
            roleArnRef: { name: roleName },
          },
          providerConfigRef,
        },
      });
    }
    const who =
      owner.kind === 'space'
        ? `the shared-secrets controllers of Space ${owner.name}${r.environment !== undefined ? `, environment ${r.environment}` : ''}`
        : `the ESO controller of cluster ${owner.name}`;
    roleObjects.push({
      apiVersion: iamApi,
      kind: 'Role',
      metadata: metadata(roleName, { 'crossplane.io/external-name': r.name }),
      spec: {
        forProvider: {
          assumeRolePolicy: JSON.stringify(r.trust.toJSON()),
          description: `External Secrets: ${who} (generated by secrets-topology)`,
          inlinePolicy: inline ? r.policies.map((p, i) => ({ name: r.policyNames[i], policy: JSON.stringify(p.toJSON()) })) : undefined,
        },
        providerConfigRef,
      },
    });
    if (inline) continue;
    r.policies.forEach((p, i) => {
      const policyName = r.policyNames[i];
      const objectName = k8sName(policyName);
      policyObjects.push({
        apiVersion: iamApi,
        kind: 'Policy',
        metadata: metadata(objectName, { 'crossplane.io/external-name': policyName }),
        spec: {
          forProvider: { policy: JSON.stringify(p.toJSON()), description: `External Secrets: permissions of role ${r.name}` },
          providerConfigRef,
        },
      });
      attachments.push({
        apiVersion: iamApi,
        kind: 'RolePolicyAttachment',
        metadata: metadata(k8sName(`${policyName}-attachment`)),
        spec: {
          forProvider: { roleRef: { name: roleName }, policyArnRef: { name: objectName } },
          providerConfigRef,
        },
      });
    });
  }
  const byName = (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    const x = (a.metadata as { name: string }).name;
    const y = (b.metadata as { name: string }).name;
    return cmp(x, y);
  };
  const files: CrossplaneFile[] = [];
  for (const [file, objects] of [
    ['roles.yaml', roleObjects],
    ['policies.yaml', policyObjects],
    ['role-policy-attachments.yaml', attachments],
    ['pod-identity-associations.yaml', associations],
  ] as const) {
    if (objects.length === 0) continue;
    const sorted = [...objects].sort(byName);
    files.push({ file, objects: sorted });
  }
  return files;
}

/** The README of the `crossplane/` folder. */
export function awsCrossplaneReadme(owner: IdentityOwner, id: AwsIdentity, files: readonly CrossplaneFile[]): string {
  const ns = id.crossplaneNamespace;
  const scope =
    ns === undefined
      ? '`iam.aws.upbound.io/v1beta1`, cluster-scoped'
      : `\`iam.aws.m.upbound.io/v1beta1\`, namespaced: Crossplane v2, in namespace \`${ns}\``;
  const providerConfig =
    ns === undefined
      ? id.crossplaneProviderConfig !== undefined
        ? ` (ProviderConfig \`${id.crossplaneProviderConfig}\`)`
        : ' (the `default` ProviderConfig)'
      : ` (${id.crossplaneProviderConfigKind ?? 'ClusterProviderConfig'} \`${id.crossplaneProviderConfig ?? 'default'}\`)`;
  const lines = [
    `# AWS IAM of ${owner.label} as Crossplane managed resources`,
    '',
    `Generated from the secrets topology; edit the topology, not these files. The same ${id.mode === 'aws-pod-identity' ? 'roles, policies and pod identity associations' : 'roles and policies'} as the`,
    `JSON documents one level up, as provider-upjet-aws (${scope}) objects for the`,
    `cluster that runs Crossplane${providerConfig}. They are not listed in any kustomization: apply them there, e.g.`,
    '`kubectl apply -f .`, or point a GitOps tool at this folder.',
    '',
    '| file | objects |',
    '| --- | --- |',
    ...files.map((f) => `| \`${f.file}\` | ${f.objects.length} ${String((f.objects[0] as { kind: string }).kind)} |`),
    '',
    '- `Role`: the trust policy is `spec.forProvider.assumeRolePolicy` (a JSON string)' +
      (id.permissionPolicy === 'inline' ? ', the permission policy its `inlinePolicy`.' : '.'),
  ];
  if (id.permissionPolicy !== 'inline') {
    lines.push(
      '- `Policy`: one per permission policy document; `RolePolicyAttachment` attaches it to the role by reference (`roleRef`, `policyArnRef`).',
    );
  }
  if (id.mode === 'aws-pod-identity') {
    lines.push(
      `- \`PodIdentityAssociation\` (\`${ns === undefined ? AWS_EKS_API : AWS_EKS_NAMESPACED_API}\`): one per service account that assumes a role (a plane's`,
      `  host namespace and its controller), on EKS cluster \`${id.clusterName ?? ''}\` in \`${id.region ?? ''}\`; it references its \`Role\` (\`roleArnRef\`), so`,
      '  Crossplane creates it once the role exists. Use these or the `aws eks create-pod-identity-association` commands, not both.',
    );
  }
  return `${lines.join('\n')}\n`;
}
