import { k8sName } from '../private/k8s-names.js';
import type { AzurePlanDocuments } from './azure.js';
import type { CrossplaneFile } from './crossplane.js';

/** API version of the provider-upjet-azure managed identity resources (cluster-scoped). */
export const AZURE_MANAGED_IDENTITY_API = 'managedidentity.azure.upbound.io/v1beta1';

/**
 * The managed identity and its federated credentials as provider-upjet-azure managed resources.
 * The identity exists already (its client ID is in the Helm values), so without `location` it is
 * observed only (`managementPolicies: [Observe]`); with `location` Crossplane manages it fully.
 * Role assignments and access policies are not included (their CRDs are not part of this set).
 */
export function azureCrossplaneManifests(docs: AzurePlanDocuments): CrossplaneFile[] {
  const p = docs.identity.props;
  const labels = { [`secrets-topology/${docs.owner.kind}`]: docs.owner.name };
  const identityName = k8sName(`${docs.owner.name}-${p.identityName}`);
  const identity: Record<string, unknown> = {
    apiVersion: AZURE_MANAGED_IDENTITY_API,
    kind: 'UserAssignedIdentity',
    metadata: { name: identityName, labels, annotations: { 'crossplane.io/external-name': p.identityName } },
    spec: {
      forProvider: { name: p.identityName, resourceGroupName: p.resourceGroup, location: p.location },
      managementPolicies: p.location ? undefined : ['Observe'],
    },
  };
  const credentials = docs.credentials.map((c) => ({
    apiVersion: AZURE_MANAGED_IDENTITY_API,
    kind: 'FederatedIdentityCredential',
    metadata: { name: k8sName(c.name), labels, annotations: { 'crossplane.io/external-name': c.name } },
    spec: {
      forProvider: {
        audience: [...c.audiences],
        issuer: c.issuer,
        subject: c.subject,
        userAssignedIdentityId: docs.identity.resourceId,
      },
    },
  }));
  const files: CrossplaneFile[] = [{ file: 'user-assigned-identity.yaml', objects: [identity] }];
  if (credentials.length > 0) files.push({ file: 'federated-identity-credentials.yaml', objects: credentials });
  return files;
}
