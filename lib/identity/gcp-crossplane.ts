import { shortHash } from '../private/hash.js';
import { k8sName } from '../private/k8s-names.js';
import type { CrossplaneFile } from './crossplane.js';
import { cmp } from '../private/order.js';
import type { GcpPlanDocuments } from './gcp.js';

/** API version of the provider-upjet-gcp IAM member resources (cluster-scoped). */
export const GCP_CLOUDPLATFORM_API = 'cloudplatform.gcp.upbound.io/v1beta2';

/**
 * The same IAM as provider-upjet-gcp managed resources: one `ProjectIAMMember` per member of each
 * project binding (with its condition), and for impersonation one `ServiceAccountIAMMember` per
 * plane. IAM members are additive: they leave the policy's other bindings alone.
 */
export function gcpCrossplaneManifests(docs: GcpPlanDocuments): CrossplaneFile[] {
  const labels = { [`secrets-topology/${docs.owner.kind}`]: docs.owner.name };
  const files: CrossplaneFile[] = [];
  const members: Record<string, unknown>[] = [];
  for (const p of docs.projects) {
    for (const b of p.bindings) {
      for (const member of b.members) {
        const key = `${p.projectId}|${b.role}|${member}|${b.condition?.expression ?? ''}`;
        members.push({
          apiVersion: GCP_CLOUDPLATFORM_API,
          kind: 'ProjectIAMMember',
          metadata: { name: k8sName(`${docs.owner.name}-${p.projectId}-${b.role.split('/').pop() ?? ''}-${shortHash(key, 10)}`), labels },
          spec: { forProvider: { project: p.projectId, role: b.role, member, condition: b.condition ? { ...b.condition } : undefined } },
        });
      }
    }
  }
  members.sort((a, b) => cmp((a.metadata as { name: string }).name, (b.metadata as { name: string }).name));
  if (members.length > 0) files.push({ file: 'project-iam-members.yaml', objects: members });

  const sa = docs.serviceAccountBinding;
  const email = docs.identity.serviceAccountEmail;
  if (sa && email) {
    const project = email.split('@')[1]?.split('.')[0] ?? docs.identity.projectId;
    const objects = sa.members.map((member) => ({
      apiVersion: GCP_CLOUDPLATFORM_API,
      kind: 'ServiceAccountIAMMember',
      metadata: { name: k8sName(`${docs.owner.name}-wi-user-${shortHash(`${email}|${sa.role}|${member}`, 10)}`), labels },
      spec: { forProvider: { serviceAccountId: `projects/${project}/serviceAccounts/${email}`, role: sa.role, member } },
    }));
    objects.sort((a, b) => cmp(a.metadata.name, b.metadata.name));
    files.push({ file: 'service-account-iam-members.yaml', objects });
  }
  return files;
}
