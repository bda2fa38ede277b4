/**
 * The artifacts of a compilation as the oracle reads them: ONLY the files map that `compile()`
 * returns (Shared* and ESO objects, IAM JSON documents, pod identity associations, federated
 * credentials, role assignments, access policies, GCP bindings, Helm values). Nothing from the
 * construct tree or lib/ internals: what an operator applies is what the oracle evaluates.
 */
import { parse } from 'yaml';

type Json = Record<string, unknown>;

/** Where a file belongs: `spaces/<space>` or `clusters/<cluster>`. */
export interface Owner {
  readonly kind: 'space' | 'cluster';
  readonly name: string;
  /** `spaces/<name>` or `clusters/<name>`. */
  readonly dir: string;
}

/** A remote reference of an ESO spec (`data[].remoteRef.key`, `dataFrom[].extract.key`, `dataFrom[].find`). */
export type EsoRef =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'find'; readonly path?: string; readonly nameRegexp?: string; readonly tags?: Readonly<Record<string, string>> };

/** A store (SharedSecretStore, or ESO ClusterSecretStore / SecretStore) and the references of the secrets that use it. */
export interface StoreArtifact {
  readonly owner: Owner;
  /** Group (Spaces) or namespace (a namespaced ESO SecretStore); empty for a ClusterSecretStore. */
  readonly scope: string;
  readonly name: string;
  /** `spec.provider`. */
  readonly provider: Json;
  /** SharedSecretStore: `spec.controlPlaneSelector` and `spec.namespaceSelector` (empty objects for ESO stores). */
  readonly selectors: { readonly planes: Json; readonly namespaces: Json };
  /** References of every secret object that reads through the store. */
  readonly refs: readonly EsoRef[];
}

/** An IAM role's documents under `<owner>/iam/aws/<role name>/`. */
export interface RoleDocuments {
  readonly owner: Owner;
  readonly name: string;
  readonly trust?: Json;
  readonly permissions: readonly Json[];
}

export interface PodIdentityAssociation {
  readonly owner: Owner;
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
}

export interface AzureDocuments {
  readonly owner: Owner;
  readonly identity: Json;
  readonly federatedCredentials: readonly Json[];
  readonly roleAssignments: readonly Json[];
  readonly accessPolicies: readonly Json[];
}

export interface GcpBinding {
  readonly role: string;
  readonly members: readonly string[];
  readonly condition?: { readonly expression: string };
}

export interface GcpDocuments {
  readonly owner: Owner;
  /** Bindings to add to each project's policy, by project ID (its directory). */
  readonly projects: ReadonlyMap<string, readonly GcpBinding[]>;
  /** The policy of the Google service account the owner's Helm values annotate. */
  readonly serviceAccountPolicy?: { readonly email: string; readonly bindings: readonly GcpBinding[] };
}

export interface Artifacts {
  readonly stores: readonly StoreArtifact[];
  readonly roles: readonly RoleDocuments[];
  readonly associations: readonly PodIdentityAssociation[];
  readonly azure: readonly AzureDocuments[];
  readonly gcp: readonly GcpDocuments[];
}

function ownerOf(path: string): { owner: Owner; rest: string[] } | undefined {
  const [top, name, ...rest] = path.split('/');
  if ((top !== 'spaces' && top !== 'clusters') || !name) return undefined;
  return { owner: { kind: top === 'spaces' ? 'space' : 'cluster', name, dir: `${top}/${name}` }, rest };
}

function obj(x: unknown): Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : {};
}

function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

/** The references of an ESO `ExternalSecret` spec (also a SharedExternalSecret's `externalSecretSpec`). */
function esoRefs(spec: Json): EsoRef[] {
  const out: EsoRef[] = [];
  for (const d of list(spec.data)) {
    const key = obj(obj(d).remoteRef).key;
    if (typeof key === 'string') out.push({ kind: 'key', key });
  }
  for (const d of list(spec.dataFrom)) {
    const extract = obj(obj(d).extract);
    const find = obj(d).find;
    if (typeof extract.key === 'string') out.push({ kind: 'key', key: extract.key });
    else if (find !== undefined) {
      const f = obj(find);
      const regexp = obj(f.name).regexp;
      out.push({
        kind: 'find',
        ...(typeof f.path === 'string' ? { path: f.path } : {}),
        ...(typeof regexp === 'string' ? { nameRegexp: regexp } : {}),
        ...(f.tags !== undefined ? { tags: obj(f.tags) as Record<string, string> } : {}),
      });
    }
  }
  return out;
}

interface Manifest {
  readonly owner: Owner;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly spec: Json;
}

/** Reads the artifacts out of a compilation's files. */
export function readArtifacts(files: ReadonlyMap<string, string>): Artifacts {
  const manifests: Manifest[] = [];
  const roles = new Map<string, { owner: Owner; name: string; trust?: Json; permissions: Json[] }>();
  const associations: PodIdentityAssociation[] = [];
  const azure = new Map<
    string,
    { owner: Owner; identity: Json; federatedCredentials: Json[]; roleAssignments: Json[]; accessPolicies: Json[] }
  >();
  const gcpProjects = new Map<string, Map<string, GcpBinding[]>>();
  const saPolicies = new Map<string, GcpBinding[]>();
  const annotations = new Map<string, Json>();
  const owners = new Map<string, Owner>();

  for (const [path, text] of files) {
    const where = ownerOf(path);
    if (!where) continue;
    const { owner, rest } = where;
    owners.set(owner.dir, owner);
    if (rest.includes('crossplane')) continue; // the same IAM again, as Crossplane managed resources
    if (path.endsWith('.yaml') && rest[0] !== 'helm' && !path.endsWith('kustomization.yaml')) {
      for (const doc of [parse(text) as unknown]) {
        const m = obj(doc);
        const meta = obj(m.metadata);
        if (typeof m.kind === 'string')
          manifests.push({
            owner,
            kind: m.kind,
            name: String(meta.name ?? ''),
            namespace: String(meta.namespace ?? ''),
            spec: obj(m.spec),
          });
      }
      continue;
    }
    if (rest[0] === 'helm' && path.endsWith('.yaml')) {
      const values = obj(parse(text) as unknown);
      const spaces = obj(obj(obj(values.controlPlanes).sharedSecrets).serviceAccount).customAnnotations;
      annotations.set(owner.dir, obj(spaces ?? obj(values.serviceAccount).annotations));
      continue;
    }
    if (rest[0] !== 'iam' || !path.endsWith('.json')) continue;
    const cloud = rest[1];
    const json = JSON.parse(text) as unknown;
    const file = rest[rest.length - 1];
    if (cloud === 'aws') {
      if (rest.includes('pod-identity-associations') || file === 'pod-identity-association.json') {
        const a = obj(json);
        associations.push({
          owner,
          clusterName: String(a.clusterName),
          namespace: String(a.namespace),
          serviceAccount: String(a.serviceAccount),
          roleArn: String(a.roleArn),
        });
        continue;
      }
      const name = rest[2];
      const key = `${owner.dir}\u0000${name}`;
      const role = roles.get(key) ?? { owner, name, permissions: [] };
      roles.set(key, role);
      if (file === 'trust-policy.json') role.trust = obj(json);
      else if (file.startsWith('permission-policy')) role.permissions.push(obj(json));
    } else if (cloud === 'azure') {
      const docs = azure.get(owner.dir) ?? { owner, identity: {}, federatedCredentials: [], roleAssignments: [], accessPolicies: [] };
      azure.set(owner.dir, docs);
      if (file === 'managed-identity.json') docs.identity = obj(json);
      else if (file === 'federated-credentials.json') docs.federatedCredentials.push(...list(json).map(obj));
      else if (file === 'role-assignments.json') docs.roleAssignments.push(...list(json).map(obj));
      else if (file === 'access-policies.json') docs.accessPolicies.push(...list(json).map(obj));
    } else if (cloud === 'gcp') {
      const bindings = list(obj(json).bindings).map(gcpBinding);
      if (file === 'service-account-iam-policy.json') saPolicies.set(owner.dir, bindings);
      else if (file === 'iam-policy-bindings.json') {
        const projects = gcpProjects.get(owner.dir) ?? new Map<string, GcpBinding[]>();
        gcpProjects.set(owner.dir, projects);
        projects.set(rest[2], bindings);
      }
    }
  }

  return {
    stores: storesOf(manifests),
    roles: [...roles.values()],
    associations,
    azure: [...azure.values()],
    gcp: [...new Set([...gcpProjects.keys(), ...saPolicies.keys()])].map((dir) => {
      const sa = saPolicies.get(dir);
      const email = annotations.get(dir)?.['iam.gke.io/gcp-service-account'];
      return {
        owner: owners.get(dir) as Owner,
        projects: gcpProjects.get(dir) ?? new Map(),
        ...(sa && typeof email === 'string' ? { serviceAccountPolicy: { email, bindings: sa } } : {}),
      };
    }),
  };
}

function gcpBinding(x: unknown): GcpBinding {
  const b = obj(x);
  const expression = obj(b.condition).expression;
  return {
    role: String(b.role),
    members: list(b.members).map(String),
    ...(typeof expression === 'string' ? { condition: { expression } } : {}),
  };
}

const STORE_KINDS = new Set(['SharedSecretStore', 'ClusterSecretStore', 'SecretStore']);
const SECRET_KINDS = new Set(['SharedExternalSecret', 'ExternalSecret', 'ClusterExternalSecret']);

/**
 * Stores with the references of the secrets that read through them: a SharedExternalSecret names a
 * SharedSecretStore of its group (as the projected ClusterSecretStore); an ESO ExternalSecret names
 * a SecretStore of its namespace or a ClusterSecretStore; a ClusterExternalSecret a store by kind.
 */
function storesOf(manifests: readonly Manifest[]): StoreArtifact[] {
  const stores = new Map<string, StoreArtifact & { refs: EsoRef[] }>();
  const keyOf = (owner: Owner, scope: string, name: string): string => `${owner.dir}\u0000${scope}\u0000${name}`;
  for (const m of manifests) {
    if (!STORE_KINDS.has(m.kind)) continue;
    const scope = m.kind === 'ClusterSecretStore' ? '' : m.namespace;
    const selectors = { planes: obj(m.spec.controlPlaneSelector), namespaces: obj(m.spec.namespaceSelector) };
    stores.set(keyOf(m.owner, scope, m.name), { owner: m.owner, scope, name: m.name, provider: obj(m.spec.provider), selectors, refs: [] });
  }
  for (const m of manifests) {
    if (!SECRET_KINDS.has(m.kind)) continue;
    const spec =
      m.kind === 'SharedExternalSecret'
        ? obj(m.spec.externalSecretSpec)
        : m.kind === 'ClusterExternalSecret'
          ? obj(m.spec.externalSecretSpec)
          : m.spec;
    const storeRef = obj(spec.secretStoreRef);
    const name = String(storeRef.name ?? '');
    const scope = m.kind === 'SharedExternalSecret' ? m.namespace : storeRef.kind === 'ClusterSecretStore' ? '' : m.namespace;
    stores.get(keyOf(m.owner, scope, name))?.refs.push(...esoRefs(spec));
  }
  return [...stores.values()];
}
