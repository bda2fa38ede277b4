/**
 * The global principal graph: every cloud principal of every Space and ESO cluster, keyed by its
 * cloud identity (one role, managed identity, service account or workload-pool principal however
 * many owners publish it), with who can become it directly (trust: a workload's token domain,
 * namespace and service account; or a store whose static credentials it is) and which principals it
 * can become in turn (`sts:AssumeRole` grants; a store's chained role).
 *
 * Actors are the workloads a user can drive: a control plane's shared-secrets controller (and every
 * store of its group it can name), a plain ESO cluster's controller. An actor can become a
 * principal when one of its tokens matches the principal's trust, wherever the principal was
 * published: two Spaces in one GCP project whose planes share a host namespace are one principal,
 * and so is one managed identity federated with two clusters.
 */
import type { Construct } from 'constructs';
import { resourcesOverlap } from '../backends/backend.js';
import { arnMatches } from '../backends/grants.js';
import type { AccessGrant, CloudPrincipal, IdentityFacts } from '../identity/plan.js';
import { AzureIdentity, type SpaceIdentity } from '../model/space-identity.js';
import { SHARED_SECRETS_SERVICE_ACCOUNT } from '../model/constants.js';
import { ControlPlane } from '../model/control-plane.js';
import { Space } from '../model/space.js';
import type { Cloud } from '../model/space.js';
import { SecretStore } from '../stores/secret-store.js';
import { EsoCluster } from '../eso/cluster.js';
import type { Placement } from '../resolve/placement.js';
import { NO_ENVIRONMENT, type RemoteItem, type Remotes } from './remotes.js';

/** The kinds of principal the graph knows. */
export const PRINCIPAL_KINDS = [
  'aws-iam-role',
  'aws-iam-user',
  'azure-managed-identity',
  'gcp-principal',
  'gcp-service-account',
  'static-credentials',
] as const;
/** A kind of principal. */
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** A workload's identity as a cloud sees it: where its token comes from, its namespace and service account. */
export interface Token {
  readonly domain: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** Namespaces meaning "any namespace of the plane". */
export const ANY_NAMESPACE = '*';

/** One principal of the graph. */
export interface PrincipalNode {
  /** Canonical key: the cloud identity (lower case where the cloud ignores case). */
  readonly key: string;
  /** As published (role ARN, identity resource id, member, service-account email, `<space>/<group>/<secret>`). */
  readonly id: string;
  readonly kind: PrincipalKind;
  readonly cloud: Cloud;
  /** `space:<name>` / `cluster:<name>` of every owner that publishes documents for it, sorted. */
  readonly owners: string[];
  /** Published principals merged into it. */
  readonly published: CloudPrincipal[];
  /** Tokens that can become it directly. */
  readonly trust: Token[];
  /** Grants that are its own (published grants without `via`, and `via` grants that name it). */
  readonly grants: AccessGrant[];
  /** Remote secrets it reads because stores using it reference them (static credentials, chained roles). */
  readonly referenced: RemoteItem[];
  /** Stores that authenticate with it (construct paths). */
  readonly stores: Set<string>;
}

/** How an actor becomes a principal: the first step. */
export interface Entry {
  readonly node: PrincipalNode;
  /** `trust` (token), `store` (static credentials through a store it can name). */
  readonly how: 'trust' | 'store';
  /** The store it goes through (`store`). */
  readonly store?: string;
  /** Namespaces of the actor it works from. */
  readonly namespaces: readonly string[];
}

/** A workload a user can drive. */
export interface Actor {
  /** `<space>/<group>/<plane>` or `clusters/<cluster>`. */
  readonly key: string;
  readonly name: string;
  readonly path: string;
  readonly environment: string;
  readonly plane?: ControlPlane;
  /** The plain ESO cluster it is (`clusters/<cluster>`). @default none: a plane */
  readonly cluster?: EsoCluster;
  readonly tokens: Token[];
}

/** The reader key of a plain ESO cluster, `clusters/<name>` (a plane's is `<space>/<group>/<plane>`). */
export function clusterReaderKey(name: string): string {
  return `clusters/${name}`;
}

/** The cluster name of a reader key of a plain ESO cluster, else undefined (a plane's key). */
export function clusterOfReaderKey(key: string): string | undefined {
  const parts = key.split('/');
  return parts.length === 2 && parts[0] === 'clusters' ? parts[1] : undefined;
}

/** The assumptions the graph is built under. */
export interface GraphAssumptions {
  /** Only stores projected into a plane are usable there (else every store of the group, by name). */
  readonly storeSelectorsEnforced: boolean;
  /** Only the namespaces a store selects can use it (else any namespace of the plane). */
  readonly declaredNamespacesOnly: boolean;
}

/** The principal graph. */
export interface PrincipalGraph {
  readonly nodes: ReadonlyMap<string, PrincipalNode>;
  readonly actors: readonly Actor[];
  /** Principals each actor becomes directly. */
  readonly entries: ReadonlyMap<Actor, readonly Entry[]>;
  /** Principals each principal can become (assume). */
  readonly assumes: ReadonlyMap<PrincipalNode, readonly PrincipalNode[]>;
  /** Actors that can become each principal, directly or by chaining. */
  readonly actorsOf: (node: PrincipalNode) => Actor[];
  /** Principals an actor can become, each with the chain of keys that leads there. */
  readonly reach: (actor: Actor) => ReadonlyArray<{ readonly node: PrincipalNode; readonly via: readonly string[]; readonly entry: Entry }>;
}

/** Canonical key of a published principal. */
export function principalKey(p: { id: string; kind: string }): string {
  switch (p.kind) {
    case 'aws-iam-role':
      return roleKey(p.id);
    case 'aws-iam-user':
      return userKey(p.id);
    case 'azure-managed-identity':
      // ARM resource ids are case-insensitive.
      return `azure-mi:${p.id.toLowerCase()}`;
    case 'gcp-principal': {
      const m = /workloadIdentityPools\/([^/]+)\/subject\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(p.id);
      return m ? `gke:${m[1]}/${m[2]}/${m[3]}` : `gcp-principal:${p.id}`;
    }
    case 'gcp-service-account':
      return `gsa:${p.id.toLowerCase()}`;
    default:
      return `${p.kind}:${p.id}`;
  }
}

/**
 * The key of a published principal in the graph: {@link principalKey}, except that a managed
 * identity is keyed by its client id when its owner's identity gives one: the pods present the
 * client id, so one client id is one identity whatever resource id or name it is published under
 * (two resource ids for one client id are also a problem, see guardrails/azure-identities.ts).
 */
function keyOf(p: CloudPrincipal, ownerIdentity: SpaceIdentity | undefined): string {
  if (
    p.kind === 'azure-managed-identity' &&
    ownerIdentity instanceof AzureIdentity &&
    typeof ownerIdentity.props.clientId === 'string' &&
    p.id.toLowerCase() === ownerIdentity.resourceId.toLowerCase()
  )
    return `azure-mi-client:${ownerIdentity.props.clientId.toLowerCase()}`;
  return principalKey(p);
}

/** `aws-role:<partition>:<account>:<name in lower case>`: IAM role names are unique per account, whatever their path and case. */
export function roleKey(arn: string): string {
  const m = /^arn:([^:]*):iam::([^:]*):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `aws-role:${m[1]}:${m[2]}:${m[3].toLowerCase()}` : `aws-role:${arn.toLowerCase()}`;
}

/** `aws-user:<partition>:<account>:<name in lower case>`: IAM user names are unique per account, whatever their path and case. */
export function userKey(arn: string): string {
  const m = /^arn:([^:]*):iam::([^:]*):user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `aws-user:${m[1]}:${m[2]}:${m[3].toLowerCase()}` : `aws-user:${arn.toLowerCase()}`;
}

function tokenKey(t: Token): string {
  return `${t.domain}\u0000${t.namespace}\u0000${t.serviceAccount}`;
}

/**
 * The token domain of a GKE workload whose project the model does not name (a GCP Space or ESO
 * cluster without a GCP identity): its cluster may be in any project, so its token may be any
 * workload pool's.
 */
const ANY_GKE_POOL = 'gke:*';

/** Whether a workload's token is one a trust admits (`*` segments of an EKS domain, and {@link ANY_GKE_POOL}, match any value). */
function tokenMatches(trust: Token, token: Token): boolean {
  if (trust.namespace !== token.namespace && trust.namespace !== ANY_NAMESPACE && token.namespace !== ANY_NAMESPACE) return false;
  if (trust.serviceAccount !== token.serviceAccount) return false;
  if (trust.domain === token.domain) return true;
  if (token.domain === ANY_GKE_POOL) return trust.domain.startsWith('gke:');
  const a = trust.domain.split(':');
  const b = token.domain.split(':');
  return a[0] === 'eks' && b[0] === 'eks' && a.length === b.length && a.every((x, i) => x === '*' || b[i] === '*' || x === b[i]);
}

/** Builds the graph of a topology. */
export function buildPrincipalGraph(
  root: Construct,
  placement: Placement,
  identity: IdentityFacts,
  remotes: Remotes,
  assumptions: GraphAssumptions,
): PrincipalGraph {
  const nodes = new Map<string, PrincipalNode>();
  const node = (key: string, id: string, kind: PrincipalKind, cloud: Cloud): PrincipalNode => {
    let n = nodes.get(key);
    if (!n) {
      n = { key, id, kind, cloud, owners: [], published: [], trust: [], grants: [], referenced: [], stores: new Set() };
      nodes.set(key, n);
    }
    return n;
  };
  const spaces = new Map(Space.all(root).map((s) => [s.name, s]));
  const clusters = new Map(EsoCluster.all(root).map((c) => [c.name, c]));
  const domainOf = (id: SpaceIdentity | undefined): string | undefined =>
    id && typeof (id as { tokenDomain?: unknown }).tokenDomain === 'function' ? id.tokenDomain() : undefined;
  /** The domain of the tokens of a Space's or cluster's controllers: its identity's, or any GKE pool on GCP without one. */
  const workloadDomain = (owner: { cloud: Cloud; identity?: SpaceIdentity }): string | undefined =>
    domainOf(owner.identity) ?? (owner.cloud === 'gcp' && owner.identity === undefined ? ANY_GKE_POOL : undefined);

  // Published principals, merged by cloud identity; `via` grants go to the chained role.
  for (const p of identity.principals) {
    const ownerIdentity = p.cluster ? clusters.get(p.cluster.cluster)?.identity : spaces.get(p.space ?? '')?.identity;
    const n = node(keyOf(p, ownerIdentity), p.id, p.kind, p.cloud);
    n.published.push(p);
    const owner = p.cluster ? `cluster:${p.cluster.cluster}` : `space:${p.space ?? ''}`;
    if (!n.owners.includes(owner)) n.owners.push(owner);
    for (const s of p.stores) n.stores.add(s);
    for (const s of p.planes) {
      const domain = domainOf(spaces.get(s.space)?.identity);
      if (domain) n.trust.push({ domain, namespace: s.hostNamespace, serviceAccount: s.serviceAccount ?? SHARED_SECRETS_SERVICE_ACCOUNT });
    }
    if (p.cluster) {
      const domain = domainOf(ownerIdentity);
      if (domain) n.trust.push({ domain, namespace: p.cluster.namespace, serviceAccount: p.cluster.serviceAccount });
    }
    for (const g of p.grants) {
      if (g.via) node(roleKey(g.via), g.via, 'aws-iam-role', 'aws').grants.push(g);
      else n.grants.push(g);
    }
  }

  // Static credentials and chained store roles: they read what the stores using them reference.
  const credentialKey = (store: RemoteItem['store']): string | undefined => {
    const c = (store.construct as { provider?: { credentials?: { secretName?: unknown } } }).provider?.credentials;
    if (!c || typeof c.secretName !== 'string') return undefined;
    const s = store.construct;
    if (s instanceof SecretStore) return `secret:${s.group.space.name}/${s.group.name}/${c.secretName}`;
    const cl = (s as { cluster?: EsoCluster; credentialsNamespace?: string }).cluster;
    return `secret:clusters/${cl?.name ?? ''}/${(s as { credentialsNamespace?: string }).credentialsNamespace ?? ''}/${c.secretName}`;
  };
  const chainedRole = (store: RemoteItem['store']): string | undefined => {
    const r = (store.construct as { provider?: { role?: unknown } }).provider?.role;
    return typeof r === 'string' && r !== '' ? r : undefined;
  };
  const storeOwner = (store: RemoteItem['store']): string => {
    const s = store.construct;
    return s instanceof SecretStore ? `space:${s.group.space.name}` : `cluster:${(s as { cluster?: EsoCluster }).cluster?.name ?? ''}`;
  };
  // Every store is a way in, whether or not a secret object of the model uses it: a plane user's
  // own ExternalSecret can read through its credentials and chained role.
  const storeRefs: Array<RemoteItem['store']> = [...SecretStore.all(root), ...[...clusters.values()].flatMap((c) => c.stores)].map((s) => ({
    path: s.node.path,
    name: s.name,
    construct: s,
  }));
  const use = (n: PrincipalNode, store: RemoteItem['store']): void => {
    n.stores.add(store.path);
    const owner = storeOwner(store);
    if (!n.owners.includes(owner)) n.owners.push(owner);
  };
  for (const store of storeRefs) {
    const ck = credentialKey(store);
    const cloud = (store.construct as { provider?: { cloud?: Cloud } }).provider?.cloud;
    if (ck && cloud) use(node(ck, ck.slice('secret:'.length), 'static-credentials', cloud), store);
    const role = chainedRole(store);
    if (role) use(node(roleKey(role), role, 'aws-iam-role', 'aws'), store);
  }
  const referencing = remotes.items.filter((i) => i.store.construct !== undefined);
  for (const item of referencing) {
    const ck = credentialKey(item.store);
    if (ck) node(ck, ck.slice('secret:'.length), 'static-credentials', item.cloud).referenced.push(item);
    const role = chainedRole(item.store);
    if (role) node(roleKey(role), role, 'aws-iam-role', 'aws').referenced.push(item);
  }
  // Principal -> principal: sts:AssumeRole grants (patterns may have wildcards); static credentials of a store with a chained role.
  const roles = [...nodes.values()].filter((n) => n.kind === 'aws-iam-role');
  const assumes = new Map<PrincipalNode, PrincipalNode[]>();
  const addAssume = (from: PrincipalNode, to: PrincipalNode): void => {
    if (from === to) return;
    const list = assumes.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    assumes.set(from, list);
  };
  for (const n of nodes.values()) {
    for (const g of n.grants) {
      if (g.access !== 'assume') continue;
      for (const r of roles) if (arnMatches(g.resource, r.id) || roleKey(g.resource) === r.key) addAssume(n, r);
    }
  }
  // The keys' IAM user, when the model names it: the Secret holds its keys, so whoever uses the
  // Secret is that user, and the user assumes the store's role (its policy allows only that).
  const keysUser = (store: RemoteItem['store']): string | undefined => {
    const u = (store.construct as { provider?: { credentials?: { userArn?: unknown } } }).provider?.credentials?.userArn;
    return typeof u === 'string' && u !== '' ? u : undefined;
  };
  for (const store of storeRefs) {
    const ck = credentialKey(store);
    const role = chainedRole(store);
    const from = ck ? nodes.get(ck) : undefined;
    const user = keysUser(store);
    const roleNode = role ? (nodes.get(roleKey(role)) as PrincipalNode) : undefined;
    if (from && user) {
      const u = node(userKey(user), user, 'aws-iam-user', 'aws');
      use(u, store);
      addAssume(from, u);
      if (roleNode) addAssume(u, roleNode);
    } else if (from && roleNode) addAssume(from, roleNode);
  }

  // Actors and their direct entries.
  const actors: Actor[] = [];
  const entries = new Map<Actor, Entry[]>();
  const trustIndex = new Map<string, PrincipalNode[]>();
  const fuzzyTrust: Array<{ trust: Token; node: PrincipalNode }> = [];
  for (const n of nodes.values()) {
    for (const t of n.trust) {
      if (t.domain.startsWith('eks:') || t.namespace === ANY_NAMESPACE) fuzzyTrust.push({ trust: t, node: n });
      const k = tokenKey(t);
      const list = trustIndex.get(k) ?? [];
      if (!list.includes(n)) list.push(n);
      trustIndex.set(k, list);
    }
  }
  const byToken = (t: Token): PrincipalNode[] => {
    const out = new Set(trustIndex.get(tokenKey(t)) ?? []);
    for (const f of fuzzyTrust) if (tokenMatches(f.trust, t)) out.add(f.node);
    if (t.domain === ANY_GKE_POOL || t.namespace === ANY_NAMESPACE)
      for (const n of nodes.values()) for (const trust of n.trust) if (tokenMatches(trust, t)) out.add(n);
    return [...out];
  };
  const storesByGroup = new Map<string, SecretStore[]>();
  for (const s of SecretStore.all(root)) {
    const k = `${s.group.space.name}/${s.group.name}`;
    const list = storesByGroup.get(k) ?? [];
    list.push(s);
    storesByGroup.set(k, list);
  }
  const credentialOfStore = new Map<string, PrincipalNode>();
  for (const n of nodes.values()) if (n.kind === 'static-credentials') for (const s of n.stores) credentialOfStore.set(s, n);

  // The service accounts a plane's controller can get a token for: its own, and the service account
  // of every store of its group with its own identity (a plane user names the store in an
  // `upboundspaces` ClusterSecretStore, and the provider resolves its serviceAccountRef in the
  // plane's host namespace). Whether the token is trusted is the role's trust policy's business.
  const storeAccounts = new Map<string, string[]>();
  for (const [k, list] of storesByGroup) {
    const names = list.flatMap((s) => {
      const sa = (s.provider as { storeIdentity?: { serviceAccount?: unknown } } | undefined)?.storeIdentity?.serviceAccount;
      return typeof sa === 'string' && sa !== SHARED_SECRETS_SERVICE_ACCOUNT ? [sa] : [];
    });
    storeAccounts.set(k, [...new Set(names)].sort());
  }
  for (const plane of ControlPlane.all(root)) {
    const space = plane.group.space;
    const key = `${space.name}/${plane.group.name}/${plane.name}`;
    const domain = workloadDomain(space);
    const host = plane.hostNamespace;
    const accounts = [SHARED_SECRETS_SERVICE_ACCOUNT, ...(storeAccounts.get(`${space.name}/${plane.group.name}`) ?? [])];
    const tokens: Token[] = domain ? accounts.map((serviceAccount) => ({ domain, namespace: host ?? ANY_NAMESPACE, serviceAccount })) : [];
    const actor: Actor = {
      key,
      name: plane.name,
      path: plane.node.path,
      environment: plane.environment?.name ?? NO_ENVIRONMENT,
      plane,
      tokens,
    };
    actors.push(actor);
    const list: Entry[] = [];
    for (const t of tokens) for (const n of byToken(t)) list.push({ node: n, how: 'trust', namespaces: [ANY_NAMESPACE] });
    // Stores it can name: every store of its group (selector bypass), or those projected into it.
    for (const store of storesByGroup.get(`${space.name}/${plane.group.name}`) ?? []) {
      const cred = credentialOfStore.get(store.node.path);
      if (!cred) continue;
      let namespaces: readonly string[] = [ANY_NAMESPACE];
      if (assumptions.storeSelectorsEnforced || assumptions.declaredNamespacesOnly) {
        const reach = placement.ofStore(store).find((r) => r.plane === plane);
        if (assumptions.storeSelectorsEnforced && !reach) continue;
        if (assumptions.declaredNamespacesOnly) {
          namespaces = reach ? reach.namespaces : [];
          if (namespaces.length === 0 && assumptions.storeSelectorsEnforced) continue;
          if (namespaces.length === 0) namespaces = [ANY_NAMESPACE];
        }
      }
      list.push({ node: cred, how: 'store', store: store.node.path, namespaces });
    }
    entries.set(actor, list);
  }
  for (const cluster of clusters.values()) {
    const domain = workloadDomain(cluster);
    // The controller's token, and one for the service account of every store with its own identity
    // (a cluster user creates a store naming it; ESO requests the token in the store's namespace).
    const own = cluster.stores.flatMap((s) => {
      const sa = (s.provider as { storeIdentity?: { serviceAccount?: unknown } } | undefined)?.storeIdentity?.serviceAccount;
      return typeof sa === 'string' ? [{ namespace: s.serviceAccountNamespace, serviceAccount: sa }] : [];
    });
    const tokens: Token[] = domain
      ? [{ namespace: cluster.namespace, serviceAccount: cluster.serviceAccountName }, ...own].map((t) => ({ domain, ...t }))
      : [];
    const actor: Actor = {
      key: clusterReaderKey(cluster.name),
      name: cluster.name,
      path: cluster.node.path,
      environment: cluster.environment?.name ?? NO_ENVIRONMENT,
      cluster,
      tokens,
    };
    actors.push(actor);
    const list: Entry[] = [];
    for (const t of tokens) for (const n of byToken(t)) list.push({ node: n, how: 'trust', namespaces: [ANY_NAMESPACE] });
    // A cluster user can name any service account of the cluster, not only those of the model: a
    // ClusterSecretStore's auth serviceAccountRef carries a namespace, and ESO requests that account's
    // token and presents it as a web identity. So the cluster becomes every principal whose trust
    // admits a web-identity token of its domain, whatever the namespace and service account: an
    // EKS or AKS OIDC issuer is one Kubernetes cluster (a Space on the same issuer runs its planes'
    // controllers in it), a GKE pool is a project (the cluster may be the Spaces host). EKS Pod
    // Identity is no web identity (its roles trust the Pod Identity service, not a token ESO can
    // present for another account).
    if (domain && !domain.startsWith('eks:'))
      for (const n of nodes.values())
        if (n.trust.some((t) => tokenMatches(t, { domain, namespace: ANY_NAMESPACE, serviceAccount: t.serviceAccount })))
          list.push({ node: n, how: 'trust', namespaces: [ANY_NAMESPACE] });
    for (const s of cluster.stores) {
      const cred = credentialOfStore.get(s.node.path);
      if (cred) list.push({ node: cred, how: 'store', store: s.node.path, namespaces: [ANY_NAMESPACE] });
    }
    entries.set(actor, list);
  }

  const reachCache = new Map<Actor, Array<{ node: PrincipalNode; via: string[]; entry: Entry }>>();
  const reach = (actor: Actor): Array<{ node: PrincipalNode; via: string[]; entry: Entry }> => {
    let out = reachCache.get(actor);
    if (out) return out;
    out = [];
    const seen = new Set<string>();
    const queue: Array<{ node: PrincipalNode; via: string[]; entry: Entry }> = [];
    for (const e of entries.get(actor) ?? []) queue.push({ node: e.node, via: [], entry: e });
    while (queue.length > 0) {
      const cur = queue.shift() as { node: PrincipalNode; via: string[]; entry: Entry };
      const k = `${cur.node.key}\u0000${cur.entry.store ?? ''}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(cur);
      for (const next of assumes.get(cur.node) ?? []) queue.push({ node: next, via: [...cur.via, cur.node.id], entry: cur.entry });
    }
    reachCache.set(actor, out);
    return out;
  };
  const actorsOfCache = new Map<PrincipalNode, Actor[]>();
  const actorsOf = (n: PrincipalNode): Actor[] => {
    if (actorsOfCache.size === 0) {
      for (const a of actors) {
        for (const r of reach(a)) {
          const list = actorsOfCache.get(r.node) ?? [];
          if (!list.includes(a)) list.push(a);
          actorsOfCache.set(r.node, list);
        }
      }
    }
    return actorsOfCache.get(n) ?? [];
  };
  for (const n of nodes.values()) n.owners.sort();
  return { nodes, actors, entries, assumes, actorsOf, reach };
}

/**
 * Whether a static-credential or chained-role principal reads an item: a store using it references
 * something that can be the same resource. A referenced key reads that one secret (its own item),
 * not a find around it.
 */
export function referencedReads(n: PrincipalNode, item: RemoteItem): RemoteItem | undefined {
  return n.referenced.find(
    (r) => r === item || (resourcesOverlap(r.resource, item.resource) && !(r.resource.kind === 'key' && item.resource.kind === 'find')),
  );
}
