import type { Problem } from '../errors.js';
import type { ControlPlane } from '../model/control-plane.js';
import { Space } from '../model/space.js';
import { toJson } from '../output/render.js';
import { AzureKeyVault } from '../stores/azure.js';
import type { SecretStore } from '../stores/secret-store.js';
import type { SynthContext } from '../synthesizer.js';
import { spaceDir } from '../targets/spaces-target.js';
import {
  andList,
  cmp,
  comparePlanes,
  mergeGrants,
  planeSubject,
  serviceAccountSubject,
  soleEnvironment,
  sortedUnique,
  stableUuid,
  truncateWithHash,
  unknownHostNamespace,
  workloadIdentityStores,
  workloadIdentityUses,
  type IdentityUse,
} from './azure-gcp-common.js';
import { azureCrossplaneManifests } from './azure-crossplane.js';
import { azureReadme } from './azure-readme.js';
import { emptyPlan, type AccessGrant, type CloudPrincipal, type IdentityPlan, type PlaneSubject, type PlannedFile } from './plan.js';
import { AzureIdentity } from './space-identity.js';

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

/** One federated identity credential of the managed identity (one per plane host namespace). */
export interface AzureFederatedCredential {
  /** Credential name: `<space>-<group>-<plane>`, cut with a hash past 120 characters. */
  readonly name: string;
  /** The AKS OIDC issuer. */
  readonly issuer: string;
  /** `system:serviceaccount:<host namespace>:external-secrets-controller`. */
  readonly subject: string;
  /** Always `["api://AzureADTokenExchange"]`. */
  readonly audiences: readonly string[];
  /** The plane this credential lets in. */
  readonly controlPlane: PlaneSubject;
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
  /** Data-plane permissions: `get` (and `list` for `dataFrom.find`). */
  readonly permissions: { readonly secrets?: readonly string[]; readonly keys?: readonly string[]; readonly certificates?: readonly string[] };
  /** Construct paths of the shared secrets that need it. */
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

/** Everything the Azure planner derives for one Space (files are rendered from it). */
export interface AzurePlanDocuments {
  /** The Space's identity. */
  readonly identity: AzureIdentity;
  /** The Space. */
  readonly space: Space;
  /** Federated credentials, sorted by name. */
  readonly credentials: readonly AzureFederatedCredential[];
  /** Role assignments (RBAC vaults), sorted by scope. */
  readonly roleAssignments: readonly AzureRoleAssignment[];
  /** Access policy entries (access-policy vaults), sorted by vault. */
  readonly accessPolicies: readonly AzureAccessPolicy[];
  /** Federated credentials the identity holds over every Space that shares it. */
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
export function planAzure(space: Space, ctx: SynthContext): IdentityPlan {
  const id = space.identity;
  if (!(id instanceof AzureIdentity)) {
    return emptyPlan();
  }
  const problems: Problem[] = id.check().map((m) => ({ path: space.node.path, message: `identity: ${m}` }));
  const label = `the Azure workload identity of Space "${space.name}" (managed identity "${id.props.identityName}")`;
  const uses = workloadIdentityUses(space, ctx, AzureKeyVault);

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

  // The limit counts every Space whose identity is this managed identity.
  const sharing = Space.all(ctx.root).filter((o) => o.identity instanceof AzureIdentity && sameIdentity(o.identity, id));
  let credentialCount = 0;
  for (const o of sharing) credentialCount += o === space ? planes.length : servedPlanes(workloadIdentityUses(o, ctx, AzureKeyVault)).length;
  if (credentialCount > AZURE_MAX_FEDERATED_CREDENTIALS) {
    const spaces = sharing.length > 1 ? `, over Spaces ${andList(sharing.map((o) => o.name))}` : '';
    problems.push({
      path: space.node.path,
      message:
        `managed identity "${id.props.identityName}" would need ${credentialCount} federated identity credentials (one per control-plane host namespace that reads secrets through it${spaces}), ` +
        `but Azure allows at most ${AZURE_MAX_FEDERATED_CREDENTIALS} per user-assigned managed identity: serve fewer planes through it (give some stores static credentials or narrow their planes), ` +
        `or split the planes across Spaces, each with its own managed identity.`,
    });
  }

  for (const { store, provider } of workloadIdentityStores(space, AzureKeyVault)) {
    if (provider.tenantId !== undefined && typeof id.props.tenantId === 'string' && provider.tenantId.toLowerCase() !== id.props.tenantId.toLowerCase()) {
      problems.push({
        path: store.node.path,
        message: `store "${store.name}" sets tenantId "${provider.tenantId}", but it authenticates with the managed identity "${id.props.identityName}" of tenant "${id.props.tenantId}", and a managed identity gets tokens only in its own tenant: remove tenantId, or give the store service-principal credentials of that tenant.`,
      });
    }
  }
  const access = vaultAccess(space, id, uses, problems);
  const principal: CloudPrincipal = {
    id: id.resourceId,
    cloud: 'azure',
    kind: 'azure-managed-identity',
    space: space.name,
    environment: soleEnvironment(subjects),
    planes: subjects,
    grants: mergeGrants(access.grants),
    stores: sortedUnique(workloadIdentityStores(space, AzureKeyVault).map((s) => s.store.node.path)),
  };

  const docs: AzurePlanDocuments = {
    identity: id,
    space,
    credentials,
    roleAssignments: access.roleAssignments,
    accessPolicies: access.accessPolicies,
    credentialCount,
  };
  return {
    problems,
    principals: [principal],
    files: azureFiles(docs),
    serviceAccountAnnotations: { 'azure.workload.identity/client-id': id.props.clientId },
    podLabels: { 'azure.workload.identity/use': 'true' },
  };
}

/** Files under `spaces/<space>/iam/azure/`. */
function azureFiles(docs: AzurePlanDocuments): PlannedFile[] {
  const dir = `${spaceDir(docs.space)}/iam/azure`;
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
    { path: `${dir}/managed-identity.json`, content: toJson(identity) },
    { path: `${dir}/federated-credentials.json`, content: toJson(docs.credentials) },
  ];
  if (docs.roleAssignments.length > 0) files.push({ path: `${dir}/role-assignments.json`, content: toJson(docs.roleAssignments) });
  if (docs.accessPolicies.length > 0) files.push({ path: `${dir}/access-policies.json`, content: toJson(docs.accessPolicies) });
  files.push({ path: `${dir}/README.md`, content: azureReadme(docs) });
  if (p.crossplane) {
    for (const m of azureCrossplaneManifests(docs)) files.push({ path: `${dir}/crossplane/${m.file}`, content: m.content });
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

interface VaultGroup {
  readonly key: string;
  readonly stores: { store: SecretStore; provider: AzureKeyVault }[];
  readonly uses: IdentityUse<AzureKeyVault>[];
}

/** Role assignments, access policies and grants for every vault the identity reads. */
function vaultAccess(
  space: Space,
  id: AzureIdentity,
  uses: readonly IdentityUse<AzureKeyVault>[],
  problems: Problem[],
): { roleAssignments: AzureRoleAssignment[]; accessPolicies: AzureAccessPolicy[]; grants: AccessGrant[] } {
  const groups = new Map<string, VaultGroup>();
  for (const s of workloadIdentityStores(space, AzureKeyVault)) {
    const key = vaultKey(s.provider.vaultUrl);
    if (!groups.has(key)) groups.set(key, { key, stores: [], uses: [] });
    groups.get(key)?.stores.push(s);
  }
  for (const u of uses) {
    if (u.planes.length > 0) groups.get(vaultKey(u.provider.vaultUrl))?.uses.push(u);
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
        problems.push({ path: s.store.node.path, message: `stores of Key Vault "${vault.vaultName}" give different resourceIds (${andList(ids)}): set the vault's one resource ID on every store.` });
      }
      continue;
    }
    const resourceId = ids[0];

    // What the secrets read: exact objects, or (dataFrom.find) the vault's secrets by listing.
    const objects = new Map<string, { obj: KeyVaultObject; neededBy: Set<string> }>();
    const finders = new Set<string>();
    for (const u of g.uses) {
      const path = u.secret.node.path;
      const keys = [...u.secret.data.map((d) => d.remoteKey), ...u.secret.dataFrom.flatMap((d) => ('extract' in d && d.extract ? [d.extract.key] : []))];
      for (const key of keys) {
        if (typeof key !== 'string' || key === '') continue;
        const obj = keyVaultObject(key);
        const k = `${obj.kind}/${obj.name}`;
        if (!objects.has(k)) objects.set(k, { obj, neededBy: new Set() });
        objects.get(k)?.neededBy.add(path);
      }
      if (u.secret.usesFind) finders.add(path);
    }
    if (objects.size === 0 && finders.size === 0) continue;
    const secretReaders = new Set([...finders, ...[...objects.values()].filter((o) => o.obj.kind === 'secrets').flatMap((o) => [...o.neededBy])]);
    const findWhy = 'dataFrom.find lists and reads every secret of the vault (Key Vault permissions cannot name a pattern)';

    if (vault.authorization === 'access-policy') {
      const has = (kind: KeyVaultObject['kind']): boolean => [...objects.values()].some((o) => o.obj.kind === kind);
      const permissions: { secrets?: string[]; keys?: string[]; certificates?: string[] } = {};
      if (has('secrets') || finders.size > 0) permissions.secrets = finders.size > 0 ? ['get', 'list'] : ['get'];
      if (has('keys')) permissions.keys = ['get'];
      if (has('certificates')) permissions.certificates = ['get'];
      const neededBy = sortedUnique([...finders, ...[...objects.values()].flatMap((o) => [...o.neededBy])]);
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
      continue;
    }

    // RBAC: role assignments need the vault's resource ID.
    if (!resourceId) {
      const withSecrets = new Set(g.uses.map((u) => u.store));
      for (const s of g.stores.filter((x) => withSecrets.has(x.store))) {
        problems.push({
          path: s.store.node.path,
          message:
            `store "${s.store.name}" reads Key Vault "${vault.vaultName}" with the Azure workload identity of Space "${space.name}", and the vault uses Azure RBAC (authorization: "rbac"), but its resourceId is not set, so no role assignment can be scoped to it: ` +
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
        description: `External Secrets of Space "${space.name}": ${what}`,
        neededBy: needed,
      });
    };
    if (finders.size > 0) {
      assign(resourceId, KEY_VAULT_SECRETS_USER, secretReaders, 'read and list every secret of the vault (dataFrom.find)');
      grants.push({ access: 'read', resource: resourceId, neededBy: sortedUnique(secretReaders), wider: findWhy });
      grants.push({ access: 'list', resource: resourceId, neededBy: sortedUnique(finders), wider: findWhy });
    }
    for (const { obj, neededBy } of [...objects.values()].sort((a, b) => cmp(`${a.obj.kind}/${a.obj.name}`, `${b.obj.kind}/${b.obj.name}`))) {
      if (obj.kind === 'secrets' && finders.size > 0) continue; // covered by the vault-wide assignment
      const scope = `${resourceId}/${obj.kind}/${obj.name}`;
      const role = obj.kind === 'secrets' ? KEY_VAULT_SECRETS_USER : KEY_VAULT_READER;
      assign(scope, role, neededBy, `read ${obj.kind.replace(/s$/, '')} "${obj.name}"`);
      grants.push({ access: 'read', resource: scope, neededBy: sortedUnique(neededBy) });
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
