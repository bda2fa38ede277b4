import type { Problem } from '../model/errors.js';
import type { ControlPlane } from '../model/control-plane.js';
import { Space } from '../model/space.js';
import { AzureKeyVault } from '../stores/azure.js';
import type { Placement } from '../resolve/placement.js';
import { EsoCluster } from '../eso/cluster.js';
import { andList, mergeGrants, soleEnvironment } from './azure-gcp-common.js';
import { stableUuid, truncateWithHash } from '../private/hash.js';
import { cmp, sortedUnique } from '../private/order.js';
import { iamDir } from '../output/layout.js';
import { azureCrossplaneManifests } from './azure-crossplane.js';
import { multiDocYaml } from './crossplane.js';
import { azureReadme } from './azure-readme.js';
import {
  emptyPlan,
  type AccessGrant,
  type CloudPrincipal,
  type ClusterSubject,
  type IdentityPlan,
  type PlaneSubject,
  type PlannedFile,
} from './plan.js';
import { AzureIdentity } from '../model/space-identity.js';
import {
  clusterIdentityStores,
  clusterIdentityUses,
  clusterOwner,
  comparePlanes,
  namedKeys,
  planeSubject,
  providerOf,
  serviceAccountSubject,
  serviceAccountTokenSubject,
  spaceOwner,
  unknownHostNamespace,
  usesFind,
  workloadIdentityStores,
  workloadIdentityUses,
  type IdentityOwner,
  type IdentityStore,
  type IdentityUse,
} from './workload.js';

/** Audience of Azure federated identity credentials (the Entra token exchange). */
export const AZURE_FEDERATED_AUDIENCE = 'api://AzureADTokenExchange';
/** Federated identity credentials one user-assigned managed identity can hold. */
export const AZURE_MAX_FEDERATED_CREDENTIALS = 20;
/** Longest federated identity credential name Azure accepts. */
export const AZURE_FEDERATED_CREDENTIAL_NAME_MAX = 120;

/** A built-in Azure role: its name and role definition ID. */
export interface AzureBuiltInRole {
  /** Role name, e.g. "Key Vault Secrets User". */
  readonly name: string;
  /** Role definition ID (a GUID, the same in every subscription). */
  readonly id: string;
}

/** "Key Vault Secrets User": read secret contents (and list secret metadata). */
export const KEY_VAULT_SECRETS_USER: AzureBuiltInRole = { name: 'Key Vault Secrets User', id: '4633458b-17de-408a-b874-0445c86b69e6' };
/** "Key Vault Reader": read metadata and public parts of keys and certificates (no secret contents). */
export const KEY_VAULT_READER: AzureBuiltInRole = { name: 'Key Vault Reader', id: '21090545-7ca7-4776-b22c-e363652d74d2' };
/** "Key Vault Secrets Officer": read, set and delete secrets (PushSecret). */
export const KEY_VAULT_SECRETS_OFFICER: AzureBuiltInRole = {
  name: 'Key Vault Secrets Officer',
  id: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
};
/** "Key Vault Crypto Officer": manage keys (PushSecret of a `key/<name>`). */
export const KEY_VAULT_CRYPTO_OFFICER: AzureBuiltInRole = { name: 'Key Vault Crypto Officer', id: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603' };
/** "Key Vault Certificates Officer": manage certificates (PushSecret of a `cert/<name>`). */
export const KEY_VAULT_CERTIFICATES_OFFICER: AzureBuiltInRole = {
  name: 'Key Vault Certificates Officer',
  id: 'a4417e6f-fecd-4de8-b567-7b0420556985',
};

/** One federated identity credential of the managed identity (one per plane host namespace, or one for an ESO cluster). */
export interface AzureFederatedCredential {
  /** Credential name: `<space>-<group>-<plane>` (`<cluster>-<namespace>-<service account>`), cut with a hash past 120 characters. */
  readonly name: string;
  /** The AKS OIDC issuer. */
  readonly issuer: string;
  /** `system:serviceaccount:<host namespace>:external-secrets-controller` (`<eso namespace>:<service account>`). */
  readonly subject: string;
  /** Always `["api://AzureADTokenExchange"]`. */
  readonly audiences: readonly string[];
  /** The plane this credential lets in. @default none (an ESO cluster's credential) */
  readonly controlPlane?: PlaneSubject;
  /** The ESO cluster controller this credential lets in. @default none (a plane's credential) */
  readonly cluster?: ClusterSubject;
}

/** One Azure role assignment of the managed identity. */
export interface AzureRoleAssignment {
  /** Role assignment name: a GUID derived from scope, role and identity (stable). */
  readonly name: string;
  /** Vault, or one secret / key / certificate of it. */
  readonly scope: string;
  /** `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<role id>`. */
  readonly roleDefinitionId: string;
  /** Built-in role name, for readers. */
  readonly roleDefinitionName: string;
  /** Object ID of the identity, or the ARM expression that reads it. */
  readonly principalId: string;
  /** Always `ServicePrincipal` (a managed identity), which spares Entra a lookup. */
  readonly principalType: 'ServicePrincipal';
  /** What the assignment is for. */
  readonly description: string;
  /** Construct paths of the shared secrets that need it. */
  readonly neededBy: readonly string[];
}

/** One Key Vault access policy entry for the managed identity (vaults in the access-policy model). */
export interface AzureAccessPolicy {
  /** Name of the vault. */
  readonly vaultName: string;
  /** URL of the vault. */
  readonly vaultUrl: string;
  /** Resource ID of the vault, when set on its stores. */
  readonly resourceId?: string;
  /** Tenant of the vault. */
  readonly tenantId: string;
  /** Object ID of the identity, or the ARM expression that reads it. */
  readonly objectId: string;
  /** Data-plane permissions: `get` (and `list` for `dataFrom.find`; `set`/`import` and `delete` for PushSecret). */
  readonly permissions: {
    readonly secrets?: readonly string[];
    readonly keys?: readonly string[];
    readonly certificates?: readonly string[];
  };
  /** Construct paths of the secret objects that need it. */
  readonly neededBy: readonly string[];
}

/** A Key Vault object named by a remote key: `secret/x` (or plain `x`), `key/x`, `cert/x`. */
export interface KeyVaultObject {
  /** Collection of the object in the vault (its path segment in scopes). */
  readonly kind: 'secrets' | 'keys' | 'certificates';
  /** Object name. */
  readonly name: string;
}

/** The Key Vault object an ESO remote key reads (ESO's `secret/`, `key/` and `cert/` prefixes). */
export function keyVaultObject(remoteKey: string): KeyVaultObject {
  const m = /^(secret|key|cert)\/(.*)$/.exec(remoteKey);
  if (!m) return { kind: 'secrets', name: remoteKey };
  const kind = m[1] === 'key' ? 'keys' : m[1] === 'cert' ? 'certificates' : 'secrets';
  return { kind, name: m[2] ?? '' };
}

/**
 * Deterministic federated credential name of a plane: `<space>-<group>-<plane>` (letters, digits,
 * '-' and '_', first character alphanumeric), cut to 120 characters with a hash of the full name.
 */
export function federatedCredentialName(subject: Pick<PlaneSubject, 'space' | 'group' | 'plane'>): string {
  const raw = `${subject.space}-${subject.group}-${subject.plane}`.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return truncateWithHash(raw || 'plane', AZURE_FEDERATED_CREDENTIAL_NAME_MAX);
}

/** Everything the Azure planner derives for one Space or ESO cluster (files are rendered from it). */
export interface AzurePlanDocuments {
  /** The owner's identity. */
  readonly identity: AzureIdentity;
  /** The Space or ESO cluster that uses it. */
  readonly owner: IdentityOwner;
  /** Federated credentials, sorted by name. */
  readonly credentials: readonly AzureFederatedCredential[];
  /** Role assignments (RBAC vaults), sorted by scope. */
  readonly roleAssignments: readonly AzureRoleAssignment[];
  /** Access policy entries (access-policy vaults), sorted by vault. */
  readonly accessPolicies: readonly AzureAccessPolicy[];
  /** Federated credentials the identity holds over every Space and ESO cluster that shares it. */
  readonly credentialCount: number;
}

/** `[reference(...)].principalId`: the ARM expression of the identity's object ID. */
export function principalIdExpression(id: AzureIdentity): string {
  const p = id.props;
  return `[reference(resourceId('${p.subscriptionId}', '${p.resourceGroup}', 'Microsoft.ManagedIdentity/userAssignedIdentities', '${p.identityName}'), '2023-01-31').principalId]`;
}

/** The `az` command that prints the identity's object ID. */
export function principalIdCommand(id: AzureIdentity): string {
  const p = id.props;
  return `az identity show --name ${p.identityName} --resource-group ${p.resourceGroup} --subscription ${p.subscriptionId} --query principalId --output tsv`;
}

/**
 * The Azure workload-identity plan of a Space. The Spaces Helm values give the controller's service
 * account ONE client ID per Space, so one user-assigned managed identity serves every plane of the
 * Space: it trusts each plane's host namespace through a federated credential (at most 20), and
 * is granted read access to the Key Vault objects its secrets name (role assignments per secret in
 * RBAC vaults, an access policy in access-policy vaults).
 */
export function planAzure(space: Space, placement: Placement): IdentityPlan {
  const id = space.identity;
  if (!(id instanceof AzureIdentity)) {
    return emptyPlan();
  }
  const owner = spaceOwner(space);
  const problems: Problem[] = id.check().map((m) => ({ path: space.node.path, message: `identity: ${m}` }));
  const label = `the Azure workload identity of Space "${space.name}" (managed identity "${id.props.identityName}")`;
  const uses = workloadIdentityUses(space, placement, providerOf(AzureKeyVault));

  // Trust: one federated credential per plane host namespace that reads secrets through the identity.
  const planes = servedPlanes(uses);
  const subjects: PlaneSubject[] = [];
  for (const plane of planes) {
    const s = planeSubject(plane);
    if (s) subjects.push(s);
    else problems.push(unknownHostNamespace(plane, label, "a federated credential's subject must name it"));
  }
  const credentials: AzureFederatedCredential[] = subjects
    .map((s) => ({
      name: federatedCredentialName(s),
      issuer: id.props.oidcIssuer,
      subject: serviceAccountSubject(s.hostNamespace),
      audiences: [AZURE_FEDERATED_AUDIENCE],
      controlPlane: s,
    }))
    .sort((a, b) => cmp(a.name, b.name));
  const stores = workloadIdentityStores(space, providerOf(AzureKeyVault));
  return azurePlan(owner, id, placement, { stores, uses, credentials, planes: subjects, problems });
}

/**
 * The Azure workload-identity plan of a plain ESO cluster: the managed identity trusts ESO's
 * controller service account (one federated credential) and is granted what the cluster's external
 * secrets read and its push secrets write ("Key Vault Secrets Officer" on each pushed secret) in
 * the vaults of its stores without static credentials. Nothing when no such store exists.
 */
export function planAzureCluster(cluster: EsoCluster, placement: Placement): IdentityPlan {
  const id = cluster.identity;
  if (!(id instanceof AzureIdentity)) return emptyPlan();
  const problems: Problem[] = id.check().map((m) => ({ path: cluster.node.path, message: `identity: ${m}` }));
  const isVault = providerOf(AzureKeyVault);
  const stores = clusterIdentityStores(cluster, isVault);
  if (stores.length === 0) return { ...emptyPlan(), problems };
  const owner = clusterOwner(cluster);
  const sa = owner.serviceAccount as ClusterSubject;
  const credentials: AzureFederatedCredential[] = [
    {
      name: clusterCredentialName(sa),
      issuer: id.props.oidcIssuer,
      subject: serviceAccountTokenSubject(sa.namespace, sa.serviceAccount),
      audiences: [AZURE_FEDERATED_AUDIENCE],
      cluster: sa,
    },
  ];
  return azurePlan(owner, id, placement, { stores, uses: clusterIdentityUses(cluster, isVault), credentials, planes: [], problems });
}

/** Federated credential name of an ESO cluster's controller: `<cluster>-<namespace>-<service account>`, cut like a plane's. */
export function clusterCredentialName(sa: ClusterSubject): string {
  const raw = `${sa.cluster}-${sa.namespace}-${sa.serviceAccount}`.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return truncateWithHash(raw || 'eso', AZURE_FEDERATED_CREDENTIAL_NAME_MAX);
}

/** What {@link azurePlan} needs besides the owner and its identity. */
interface AzurePlanInput {
  /** Stores that authenticate with the identity. */
  readonly stores: readonly { store: IdentityStore; provider: AzureKeyVault }[];
  /** Secret objects read or pushed through them. */
  readonly uses: readonly IdentityUse<AzureKeyVault>[];
  /** The owner's federated credentials. */
  readonly credentials: readonly AzureFederatedCredential[];
  /** Planes that act as the identity (Spaces). */
  readonly planes: readonly PlaneSubject[];
  /** Problems found so far (added to). */
  readonly problems: Problem[];
}

/** The plan of one owner of an Azure identity: limits, tenant checks, vault access, principal and files. */
function azurePlan(owner: IdentityOwner, id: AzureIdentity, placement: Placement, input: AzurePlanInput): IdentityPlan {
  const { stores, uses, credentials, planes: subjects, problems } = input;
  const shared = sharedCredentials(owner, id, placement, credentials.length);
  if (shared.count > AZURE_MAX_FEDERATED_CREDENTIALS) {
    const owners = shared.spaces.length + shared.clusters.length;
    const over = [
      shared.spaces.length > 0 ? `Spaces ${andList(shared.spaces)}` : '',
      shared.clusters.length > 0 ? `ESO clusters ${andList(shared.clusters)}` : '',
    ]
      .filter((x) => x !== '')
      .join(' and ');
    const per =
      shared.clusters.length > 0
        ? 'one per control-plane host namespace that reads secrets through it, one per ESO cluster'
        : 'one per control-plane host namespace that reads secrets through it';
    const more = shared.clusters.length > 0 ? ', give ESO clusters their own managed identity,' : '';
    problems.push({
      path: owner.scope.node.path,
      message:
        `managed identity "${id.props.identityName}" would need ${shared.count} federated identity credentials (${per}${owners > 1 ? `, over ${over}` : ''}), ` +
        `but Azure allows at most ${AZURE_MAX_FEDERATED_CREDENTIALS} per user-assigned managed identity: serve fewer planes through it (give some stores static credentials or narrow their planes)${more} ` +
        `or split the planes across Spaces, each with its own managed identity.`,
    });
  }

  for (const { store, provider } of stores) {
    if (
      provider.tenantId !== undefined &&
      typeof id.props.tenantId === 'string' &&
      provider.tenantId.toLowerCase() !== id.props.tenantId.toLowerCase()
    ) {
      problems.push({
        path: store.node.path,
        message: `store "${store.name}" sets tenantId "${provider.tenantId}", but it authenticates with the managed identity "${id.props.identityName}" of tenant "${id.props.tenantId}", and a managed identity gets tokens only in its own tenant: remove tenantId, or give the store service-principal credentials of that tenant.`,
      });
    }
  }
  const access = vaultAccess(owner, id, stores, uses, problems);
  const principal: CloudPrincipal = {
    id: id.resourceId,
    cloud: 'azure',
    kind: 'azure-managed-identity',
    ...(owner.kind === 'space' ? { space: owner.name } : {}),
    ...(owner.serviceAccount ? { cluster: owner.serviceAccount } : {}),
    environment: soleEnvironment(subjects),
    planes: subjects,
    grants: mergeGrants(access.grants),
    stores: sortedUnique(stores.map((s) => s.store.node.path)),
  };

  const docs: AzurePlanDocuments = {
    identity: id,
    owner,
    credentials,
    roleAssignments: access.roleAssignments,
    accessPolicies: access.accessPolicies,
    credentialCount: shared.count,
  };
  return {
    problems,
    principals: [principal],
    files: azureFiles(docs),
    serviceAccountAnnotations: { 'azure.workload.identity/client-id': id.props.clientId },
    podLabels: { 'azure.workload.identity/use': 'true' },
  };
}
/** Files under `spaces/<space>/iam/azure/` (`clusters/<cluster>/iam/azure/`). */
function azureFiles(docs: AzurePlanDocuments): PlannedFile[] {
  const dir = iamDir(docs.owner.dir, 'azure');
  const id = docs.identity;
  const p = id.props;
  const identity: Record<string, unknown> = {
    name: p.identityName,
    resourceGroup: p.resourceGroup,
    subscriptionId: p.subscriptionId,
    resourceId: id.resourceId,
    tenantId: p.tenantId,
    clientId: p.clientId,
    oidcIssuer: p.oidcIssuer,
    federatedCredentials: { count: docs.credentialCount, limit: AZURE_MAX_FEDERATED_CREDENTIALS },
  };
  if (p.principalId) identity.principalId = p.principalId;
  else identity.principalIdLookup = { azCli: principalIdCommand(id), armExpression: principalIdExpression(id) };
  const files: PlannedFile[] = [
    { path: `${dir}/managed-identity.json`, json: identity, keys: 'sorted' },
    { path: `${dir}/federated-credentials.json`, json: docs.credentials, keys: 'sorted' },
  ];
  if (docs.roleAssignments.length > 0) files.push({ path: `${dir}/role-assignments.json`, json: docs.roleAssignments, keys: 'sorted' });
  if (docs.accessPolicies.length > 0) files.push({ path: `${dir}/access-policies.json`, json: docs.accessPolicies, keys: 'sorted' });
  files.push({ path: `${dir}/README.md`, text: () => azureReadme(docs) });
  if (p.crossplane) {
    for (const m of azureCrossplaneManifests(docs))
      files.push({ path: `${dir}/crossplane/${m.file}`, text: () => multiDocYaml(m.objects), objects: m.objects });
  }
  return files;
}

/** Distinct planes that read at least one secret, sorted. */
function servedPlanes(uses: readonly IdentityUse<AzureKeyVault>[]): ControlPlane[] {
  return [...new Set(uses.flatMap((u) => u.planes))].sort(comparePlanes);
}

function sameIdentity(a: AzureIdentity, b: AzureIdentity): boolean {
  return a === b || a.resourceId.toLowerCase() === b.resourceId.toLowerCase();
}

const OWNERS = new WeakMap<Placement, { spaces: Space[]; clusters: EsoCluster[] }>();

/** The Spaces and ESO clusters of the model, listed once per synthesis (a walk of the whole tree; one placement per synthesis). */
function identityOwners(owner: IdentityOwner, placement: Placement): { spaces: Space[]; clusters: EsoCluster[] } {
  let owners = OWNERS.get(placement);
  if (!owners) {
    const root = owner.scope.node.root;
    owners = { spaces: Space.all(root), clusters: EsoCluster.all(root) };
    OWNERS.set(placement, owners);
  }
  return owners;
}

/**
 * Federated credentials the managed identity holds over every Space and ESO cluster that uses it
 * (`own` for the owner being planned), and who they are: Azure's limit is per identity.
 */
function sharedCredentials(
  owner: IdentityOwner,
  id: AzureIdentity,
  placement: Placement,
  own: number,
): { count: number; spaces: string[]; clusters: string[] } {
  let count = 0;
  const spaces: string[] = [];
  const clusters: string[] = [];
  for (const o of identityOwners(owner, placement).spaces) {
    if (!(o.identity instanceof AzureIdentity && sameIdentity(o.identity, id))) continue;
    spaces.push(o.name);
    count +=
      owner.kind === 'space' && owner.scope === o
        ? own
        : servedPlanes(workloadIdentityUses(o, placement, providerOf(AzureKeyVault))).length;
  }
  for (const c of identityOwners(owner, placement).clusters) {
    if (!(c.identity instanceof AzureIdentity && sameIdentity(c.identity, id))) continue;
    const n = owner.kind === 'cluster' && owner.scope === c ? own : clusterIdentityStores(c, providerOf(AzureKeyVault)).length > 0 ? 1 : 0;
    if (n > 0) clusters.push(c.name);
    count += n;
  }
  return { count, spaces, clusters };
}

interface VaultGroup {
  readonly key: string;
  readonly stores: { store: IdentityStore; provider: AzureKeyVault }[];
  readonly uses: IdentityUse<AzureKeyVault>[];
}

/** Role that writes (and reads) a kind of Key Vault object, for PushSecret. */
const OFFICER: Record<KeyVaultObject['kind'], AzureBuiltInRole> = {
  secrets: KEY_VAULT_SECRETS_OFFICER,
  keys: KEY_VAULT_CRYPTO_OFFICER,
  certificates: KEY_VAULT_CERTIFICATES_OFFICER,
};

/**
 * Role assignments, access policies and grants for every vault the identity reads or writes: the
 * one derivation from (store provider, secret objects) behind Spaces and plain ESO clusters.
 */
function vaultAccess(
  owner: IdentityOwner,
  id: AzureIdentity,
  stores: readonly { store: IdentityStore; provider: AzureKeyVault }[],
  uses: readonly IdentityUse<AzureKeyVault>[],
  problems: Problem[],
): { roleAssignments: AzureRoleAssignment[]; accessPolicies: AzureAccessPolicy[]; grants: AccessGrant[] } {
  const groups = new Map<string, VaultGroup>();
  for (const s of stores) {
    const key = vaultKey(s.provider.vaultUrl);
    if (!groups.has(key)) groups.set(key, { key, stores: [], uses: [] });
    groups.get(key)?.stores.push(s);
  }
  for (const u of uses) {
    // A shared secret that reaches no plane is read by nobody; an ESO object is always reconciled.
    if (owner.kind === 'cluster' || u.planes.length > 0) groups.get(vaultKey(u.provider.vaultUrl))?.uses.push(u);
  }

  const principalId = id.props.principalId ?? principalIdExpression(id);
  const roleAssignments: AzureRoleAssignment[] = [];
  const accessPolicies: AzureAccessPolicy[] = [];
  const grants: AccessGrant[] = [];

  for (const g of [...groups.values()].sort((a, b) => cmp(a.key, b.key))) {
    const first = g.stores[0];
    if (!first) continue;
    const vault = first.provider;
    const models = sortedUnique(g.stores.map((s) => s.provider.authorization));
    if (models.length > 1) {
      for (const s of g.stores) {
        problems.push({
          path: s.store.node.path,
          message: `stores of Key Vault "${vault.vaultName}" disagree on its permission model (${andList(models)}): a vault has one; set the same "authorization" on every store of the vault.`,
        });
      }
      continue;
    }
    const ids = sortedUnique(g.stores.flatMap((s) => (s.provider.resourceId ? [s.provider.resourceId] : [])));
    if (new Set(ids.map((i) => i.toLowerCase())).size > 1) {
      for (const s of g.stores) {
        problems.push({
          path: s.store.node.path,
          message: `stores of Key Vault "${vault.vaultName}" give different resourceIds (${andList(ids)}): set the vault's one resource ID on every store.`,
        });
      }
      continue;
    }
    const resourceId = ids[0];

    // What the secrets read: exact objects, or (dataFrom.find) the vault's secrets by listing; and what they push.
    const objects = new Map<string, { obj: KeyVaultObject; neededBy: Set<string> }>();
    const pushed = new Map<string, { obj: KeyVaultObject; neededBy: Set<string>; delete: boolean }>();
    const finders = new Set<string>();
    for (const u of g.uses) {
      const path = u.need.path;
      for (const key of namedKeys(u.need)) {
        const obj = keyVaultObject(key);
        const k = `${obj.kind}/${obj.name}`;
        if (!objects.has(k)) objects.set(k, { obj, neededBy: new Set() });
        objects.get(k)?.neededBy.add(path);
      }
      for (const p of u.need.pushes) {
        const obj = keyVaultObject(p.remoteKey);
        const k = `${obj.kind}/${obj.name}`;
        const seen = pushed.get(k) ?? { obj, neededBy: new Set<string>(), delete: false };
        seen.neededBy.add(path);
        pushed.set(k, { ...seen, delete: seen.delete || p.delete });
      }
      if (usesFind(u.need)) finders.add(path);
    }
    if (objects.size === 0 && finders.size === 0 && pushed.size === 0) continue;
    const secretReaders = new Set([
      ...finders,
      ...[...objects.values()].filter((o) => o.obj.kind === 'secrets').flatMap((o) => [...o.neededBy]),
    ]);
    const findWhy = 'dataFrom.find lists and reads every secret of the vault (Key Vault permissions cannot name a pattern)';

    if (vault.authorization === 'access-policy') {
      const kinds = (m: ReadonlyMap<string, { obj: KeyVaultObject }>, kind: KeyVaultObject['kind']): boolean =>
        [...m.values()].some((o) => o.obj.kind === kind);
      const deletes = (kind: KeyVaultObject['kind']): boolean => [...pushed.values()].some((o) => o.obj.kind === kind && o.delete);
      const permissions: { secrets?: string[]; keys?: string[]; certificates?: string[] } = {};
      if (kinds(objects, 'secrets') || finders.size > 0 || kinds(pushed, 'secrets')) {
        permissions.secrets = [
          'get',
          ...(finders.size > 0 ? ['list'] : []),
          ...(kinds(pushed, 'secrets') ? ['set'] : []),
          ...(deletes('secrets') ? ['delete'] : []),
        ];
      }
      for (const kind of ['keys', 'certificates'] as const) {
        if (kinds(objects, kind) || kinds(pushed, kind))
          permissions[kind] = ['get', ...(kinds(pushed, kind) ? ['import'] : []), ...(deletes(kind) ? ['delete'] : [])];
      }
      const writers = [...pushed.values()].flatMap((o) => [...o.neededBy]);
      const neededBy = sortedUnique([...finders, ...[...objects.values()].flatMap((o) => [...o.neededBy]), ...writers]);
      accessPolicies.push({
        vaultName: vault.vaultName,
        vaultUrl: vault.vaultUrl,
        resourceId,
        tenantId: g.stores.map((s) => s.provider.tenantId).find((t) => t !== undefined) ?? id.props.tenantId,
        objectId: principalId,
        permissions,
        neededBy,
      });
      const resource = resourceId ?? vault.vaultUrl;
      const wide = 'a Key Vault access policy applies to the whole vault: the identity can read every object of the kinds it is granted';
      grants.push({ access: 'read', resource, neededBy, wider: wide });
      if (finders.size > 0) grants.push({ access: 'list', resource, neededBy: sortedUnique(finders), wider: findWhy });
      if (writers.length > 0)
        grants.push({
          access: 'write',
          resource,
          neededBy: sortedUnique(writers),
          wider:
            'a Key Vault access policy applies to the whole vault: the identity can write every object of the kinds it may set or import',
        });
      continue;
    }

    // RBAC: role assignments need the vault's resource ID.
    if (!resourceId) {
      const withSecrets = new Set(g.uses.map((u) => u.store));
      for (const s of g.stores.filter((x) => withSecrets.has(x.store))) {
        problems.push({
          path: s.store.node.path,
          message:
            `store "${s.store.name}" reads Key Vault "${vault.vaultName}" with the Azure workload identity of ${owner.label}, and the vault uses Azure RBAC (authorization: "rbac"), but its resourceId is not set, so no role assignment can be scoped to it: ` +
            `set resourceId to "/subscriptions/<subscription>/resourceGroups/<resource group>/providers/Microsoft.KeyVault/vaults/${vault.vaultName}" (az keyvault show --name ${vault.vaultName} --query id --output tsv), ` +
            `or set authorization: "access-policy" if the vault uses access policies.`,
        });
      }
      continue;
    }
    const assign = (scope: string, role: AzureBuiltInRole, neededBy: Iterable<string>, what: string): void => {
      const needed = sortedUnique(neededBy);
      roleAssignments.push({
        name: stableUuid(`${scope.toLowerCase()}|${role.id}|${id.resourceId.toLowerCase()}`),
        scope,
        roleDefinitionId: `/subscriptions/${subscriptionOf(resourceId)}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
        roleDefinitionName: role.name,
        principalId,
        principalType: 'ServicePrincipal',
        description: `External Secrets of ${owner.label}: ${what}`,
        neededBy: needed,
      });
    };
    if (finders.size > 0) {
      assign(resourceId, KEY_VAULT_SECRETS_USER, secretReaders, 'read and list every secret of the vault (dataFrom.find)');
      grants.push({ access: 'read', resource: resourceId, neededBy: sortedUnique(secretReaders), wider: findWhy });
      grants.push({ access: 'list', resource: resourceId, neededBy: sortedUnique(finders), wider: findWhy });
    }
    for (const { obj, neededBy } of [...objects.values()].sort((a, b) =>
      cmp(`${a.obj.kind}/${a.obj.name}`, `${b.obj.kind}/${b.obj.name}`),
    )) {
      if (obj.kind === 'secrets' && finders.size > 0) continue; // covered by the vault-wide assignment
      if (pushed.has(`${obj.kind}/${obj.name}`)) continue; // the officer role below reads too
      const scope = `${resourceId}/${obj.kind}/${obj.name}`;
      const role = obj.kind === 'secrets' ? KEY_VAULT_SECRETS_USER : KEY_VAULT_READER;
      assign(scope, role, neededBy, `read ${obj.kind.replace(/s$/, '')} "${obj.name}"`);
      grants.push({ access: 'read', resource: scope, neededBy: sortedUnique(neededBy) });
    }
    for (const { obj, neededBy } of [...pushed.values()].sort((a, b) =>
      cmp(`${a.obj.kind}/${a.obj.name}`, `${b.obj.kind}/${b.obj.name}`),
    )) {
      const scope = `${resourceId}/${obj.kind}/${obj.name}`;
      const readers = [...neededBy, ...(objects.get(`${obj.kind}/${obj.name}`)?.neededBy ?? [])];
      assign(scope, OFFICER[obj.kind], readers, `push (write) ${obj.kind.replace(/s$/, '')} "${obj.name}"`);
      grants.push({ access: 'read', resource: scope, neededBy: sortedUnique(readers) });
      grants.push({ access: 'write', resource: scope, neededBy: sortedUnique(neededBy) });
    }
  }
  roleAssignments.sort((a, b) => cmp(a.scope, b.scope) || cmp(a.roleDefinitionName, b.roleDefinitionName));
  accessPolicies.sort((a, b) => cmp(a.vaultName, b.vaultName));
  return { roleAssignments, accessPolicies, grants };
}

/** A vault's identity for grouping stores: the lowercased host of its URL. */
function vaultKey(vaultUrl: string): string {
  try {
    return new URL(vaultUrl).host.toLowerCase();
  } catch {
    return String(vaultUrl);
  }
}

/** The subscription of an ARM resource ID. */
function subscriptionOf(resourceId: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1] ?? '';
}
