/**
 * The access analysis: for every remote secret of the model and every control plane, whether the
 * model delivers it there and whether a user of the plane could make the plane's ESO read it, and
 * through what — under the threat model of docs/threat-model.md:
 * - a user of a plane creates namespaces and any ESO object in it, so a store usable in a plane is
 *   usable from any namespace (unless the `declared-namespaces-only` assumption is named), and a
 *   `SharedSecretStore` of the plane's group can be named directly, whatever its selectors (unless
 *   `store-selectors-enforced` is named);
 * - a principal is shared by everything that can become it: the plane's ESO becomes every principal
 *   whose trust admits its token (in any Space or ESO cluster), and every principal those can assume;
 *   static credentials and chained roles read what every store using them references;
 * - remote secrets are resources (normalised per backend by the stores' access models) owned by
 *   environments by intent (`Environment.owns`, else the environments the stores declare).
 *
 * Everything is plain data with stable sorting, so it can be written to `report.json` and compared.
 */
import type { Construct } from 'constructs';
import { grantScope, grantMatches, literalGlobPrefix, resourceScope } from '../backends/grants.js';
import type { Problem } from '../model/errors.js';
import type { AccessGrant, ClusterSubject, IdentityFacts } from '../identity/plan.js';
import type { Cloud } from '../model/space.js';
import { cmp } from '../private/order.js';
import type { ControlPlane } from '../model/control-plane.js';
import type { Placement } from '../resolve/placement.js';
import { EsoSecretStore } from '../eso/cluster.js';
import {
  ANY_NAMESPACE,
  buildPrincipalGraph,
  referencedReads,
  type Actor,
  type GraphAssumptions,
  type PrincipalGraph,
  type PrincipalKind,
  type PrincipalNode,
} from './principals.js';
import { collectRemotes, modelContexts, NO_ENVIRONMENT, type RemoteItem, type Remotes } from './remotes.js';

export { ANY_NAMESPACE, NO_ENVIRONMENT };

/** Assumptions of the access analysis (see docs/threat-model.md); the defaults are the conservative ones. */
export interface AccessOptions {
  /**
   * Only stores projected into a plane are usable there (the `store-selectors-enforced` assumption).
   * The public `upboundspaces` provider looks a `SharedSecretStore` up by name and never reads its
   * selectors, so by default every plane of a group can use every store of the group.
   * @default false
   */
  readonly storeSelectorsEnforced?: boolean;
  /**
   * Only the namespaces a store selects can use it (the `declared-namespaces-only` assumption).
   * Plane users create namespaces, so by default a store usable in a plane is usable from any of its namespaces.
   * @default false
   */
  readonly declaredNamespacesOnly?: boolean;
}

/** A remote secret as the matrix names it. */
export interface RemoteRef {
  /** `key`: `data[].remoteKey` or `dataFrom[].extract.key`; `find`: `dataFrom[].find`. */
  readonly kind: 'key' | 'find';
  /** As written in the model: the key, or `find path=… name=… tags=…`. */
  readonly ref: string;
  /** The resource as the cloud names it: an ARN (Secrets Manager secrets end in `-??????`), a Key Vault object id or URL, a GCP resource name; for finds, a pattern with `*`. */
  readonly resource: string;
}

/** How a plane can read a remote secret. */
export interface AccessPath {
  /** `credentials`: static credentials of a store the plane can name; `identity`: a grant of a cloud principal the plane's ESO can become. */
  readonly kind: 'credentials' | 'identity';
  /** Stable id: `credentials:<space>/<group>/<secret>@<store path>`, `identity:<principal id>`. */
  readonly id: string;
  /** Human description of what the plane goes through, e.g. `IAM role arn:aws:iam::111122223333:role/x (by sts:AssumeRole from arn:…)`. */
  readonly description: string;
  /** Namespaces of the plane it works from; `["*"]` = any namespace. */
  readonly namespaces: readonly string[];
  /** Construct path of the store it goes through (credentials). */
  readonly store?: string;
  /** The credentials Secret, `<space>/<group>/<secret name>`. */
  readonly credentials?: string;
  /** The principal id (role ARN, identity, member, service account). */
  readonly principal?: string;
  /** Principals the plane goes through before {@link principal} (by sts:AssumeRole), in order. @default none */
  readonly via?: readonly string[];
  /** The grant's resource pattern (identity), or the referenced resource (credentials, chained roles). */
  readonly grant?: string;
  /** The grant's condition, if any. */
  readonly condition?: string;
  /** False when the condition could not be evaluated (then it is assumed to allow). */
  readonly conditionEvaluated?: boolean;
}

/** One row of the matrix: a remote secret of a secret object × a control plane. */
export interface AccessEntry {
  /** `<space>/<group>/<plane>`. */
  readonly plane: string;
  readonly planeName: string;
  readonly planePath: string;
  /** Environment of the plane, or {@link NO_ENVIRONMENT}. */
  readonly environment: string;
  /** Construct path of the secret object. */
  readonly secret: string;
  readonly secretName: string;
  /** Name of the Kubernetes Secret it writes. */
  readonly target: string;
  /** Construct path of the secret's store. */
  readonly store: string;
  readonly storeName: string;
  readonly remote: RemoteRef;
  /** Environments that own the remote secret (declared, or derived from the stores' declared planes), sorted. */
  readonly secretEnvironments: readonly string[];
  /** Whether {@link secretEnvironments} comes from an `owns` declaration. */
  readonly ownershipDeclared: boolean;
  /**
   * Environments its owners share it with (`SecretOwnership.sharedWith`; `*`: every environment):
   * planes of those environments read it without a cross-environment finding.
   * @default none: not shared
   */
  readonly sharedWith?: readonly string[];
  /** Namespaces the model delivers it to in this plane (empty: not delivered). */
  readonly delivered: readonly string[];
  /** Whether the plane's ESO can read it (through {@link paths}). */
  readonly readable: boolean;
  /** Every way the plane can read it, sorted by id. */
  readonly paths: readonly AccessPath[];
  /** Delivered to or readable by a plane whose environment is not its only owner. */
  readonly crossEnvironment: boolean;
  /** Cross-environment, owned by a production environment, and the plane is not production. */
  readonly productionOutsideProduction: boolean;
}

/** What one principal can read. */
export interface PrincipalAccess {
  readonly id: string;
  readonly kind: PrincipalKind;
  readonly cloud: Cloud;
  /** Space whose controllers use it (the first owner that is a Space). @default none */
  readonly space?: string;
  /** Every Space and ESO cluster that publishes it (`space:<name>`, `cluster:<name>`). */
  readonly owners: readonly string[];
  /** The plain ESO cluster whose controller uses it. @default none */
  readonly cluster?: ClusterSubject;
  readonly environment?: string;
  /** Planes that can become it (directly or by chaining), `<space>/<group>/<plane>`, sorted. */
  readonly planes: readonly string[];
  /** Environments of those planes, sorted. */
  readonly planeEnvironments: readonly string[];
  /** Principals it can become by sts:AssumeRole, sorted. @default none */
  readonly assumes?: readonly string[];
  /** Its own grants, as published. */
  readonly grants: readonly AccessGrant[];
  /** Remote secrets of the model it can read, with the matching grant, sorted. */
  readonly reads: ReadonlyArray<{
    readonly resource: string;
    readonly secret: string;
    readonly ref: string;
    readonly grant: string;
    readonly environments: readonly string[];
  }>;
}

const KIND_WORD: Record<PrincipalKind, string> = {
  'aws-iam-role': 'IAM role',
  'azure-managed-identity': 'managed identity',
  'gcp-principal': 'GCP principal',
  'gcp-service-account': 'service account',
  'static-credentials': 'credentials Secret',
};

/** A human word for a principal kind (`IAM role`, `managed identity`, ...). */
export function principalKindWord(kind: string): string {
  return KIND_WORD[kind as PrincipalKind] ?? kind;
}

/** What a node reads, and through which grant (or referenced resource). */
interface Read {
  readonly item: RemoteItem;
  readonly grant: string;
  readonly condition?: string;
  readonly conditionEvaluated: boolean;
}

/** The reads of every node: grants matched against the items of their scope, and referenced resources. */
function nodeReads(graph: PrincipalGraph, remotes: Remotes): Map<PrincipalNode, Read[]> {
  const index = grantIndex(remotes.items);
  const out = new Map<PrincipalNode, Read[]>();
  for (const n of graph.nodes.values()) {
    const hits = new Map<RemoteItem, Read>();
    for (const g of n.grants) {
      if (g.access !== 'read') continue;
      for (const item of index.candidates(n.cloud, g)) {
        const prev = hits.get(item);
        if (prev?.conditionEvaluated) continue;
        for (const sample of item.resource.samples) {
          const m = grantMatches(n.cloud, g, sample);
          if (!m.matches) continue;
          if (!prev || m.conditionEvaluated)
            hits.set(item, { item, grant: g.resource, condition: g.condition, conditionEvaluated: m.conditionEvaluated });
          break;
        }
      }
    }
    if (n.referenced.length > 0) {
      for (const item of index.overlapping(n.referenced)) {
        // Credentials and chained roles read what stores reference: those are items with their owners
        // already; a declared scope around them would widen the read to secrets nobody references.
        if (item.declaredScope || hits.get(item)?.conditionEvaluated) continue;
        const ref = referencedReads(n, item);
        if (ref) hits.set(item, { item, grant: ref.resource.resource, conditionEvaluated: true });
      }
    }
    out.set(n, [...hits.values()]);
  }
  return out;
}

/** Indexes of the items: by cloud and grant scope (matching grants), by name (matching references). */
function grantIndex(items: readonly RemoteItem[]): {
  candidates: (cloud: Cloud, g: AccessGrant) => RemoteItem[];
  overlapping: (refs: readonly RemoteItem[]) => RemoteItem[];
} {
  const byScope = new Map<string, RemoteItem[]>();
  const byCloud = new Map<Cloud, RemoteItem[]>();
  const byName = new Map<string, RemoteItem[]>();
  const finds: RemoteItem[] = [];
  const push = <K>(m: Map<K, RemoteItem[]>, k: K, v: RemoteItem): void => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (const item of items) {
    push(byCloud, item.cloud, item);
    for (const scope of new Set(item.resource.samples.map((x) => resourceScope(item.cloud, x))))
      if (scope !== undefined) push(byScope, `${item.cloud}\u0000${scope}`, item);
    if (item.resource.names) for (const n of item.resource.names) push(byName, `${item.resource.space.service}\u0000${n}`, item);
    else finds.push(item);
  }
  // An ARN pattern matches only ARNs that start with its text before the first wildcard.
  const sorted = new Map<RemoteItem[], { samples: string[]; items: RemoteItem[] }>();
  const withPrefix = (list: RemoteItem[], prefix: string): RemoteItem[] => {
    if (prefix === '' || list.length < 16) return list;
    let index = sorted.get(list);
    if (!index) {
      const pairs = list
        .flatMap((item) => item.resource.samples.map((sample) => ({ sample, item })))
        .sort((a, b) => cmp(a.sample, b.sample));
      index = { samples: pairs.map((x) => x.sample), items: pairs.map((x) => x.item) };
      sorted.set(list, index);
    }
    let lo = 0;
    let hi = index.samples.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (index.samples[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found = new Set<RemoteItem>();
    for (let i = lo; i < index.samples.length && index.samples[i].startsWith(prefix); i++) found.add(index.items[i]);
    return [...found];
  };
  return {
    candidates(cloud, g) {
      const scope = grantScope(cloud, g);
      const inScope = scope === undefined ? (byCloud.get(cloud) ?? []) : (byScope.get(`${cloud}\u0000${scope}`) ?? []);
      return cloud === 'aws' ? withPrefix(inScope, literalGlobPrefix(g.resource)) : inScope;
    },
    overlapping(refs) {
      const out = new Set<RemoteItem>();
      for (const r of refs) {
        if (r.resource.names)
          for (const n of r.resource.names) for (const o of byName.get(`${r.resource.space.service}\u0000${n}`) ?? []) out.add(o);
        else for (const o of items) if (o.resource.space.service === r.resource.space.service) out.add(o);
        for (const f of finds) if (f.resource.space.service === r.resource.space.service) out.add(f);
      }
      return [...out];
    },
  };
}

/**
 * The access matrix of a topology: every (remote secret of a secret object) × (control plane) pair
 * that is delivered or readable, with how, sorted by plane, secret and remote ref.
 */
export class AccessMatrix {
  /**
   * Computes the matrix from the model, its placement and the identity facts.
   *
   * @param root the TopologyApp (or any scope holding the model)
   * @param placement where every store and secret lands
   * @param identity principals published by the identity stage
   * @param options assumptions, see {@link AccessOptions}
   */
  public static compute(root: Construct, placement: Placement, identity: IdentityFacts, options: AccessOptions = {}): AccessMatrix {
    return new AccessMatrix(root, placement, identity, options);
  }

  /** Every delivered or readable pair, sorted by plane, secret path, remote kind and ref. */
  public readonly entries: readonly AccessEntry[];
  /**
   * The same for the plain ESO clusters (`plane` is `clusters/<cluster>`, the environment the
   * cluster's or {@link NO_ENVIRONMENT}): what a user who can create ESO objects in the cluster can
   * read, and what its ExternalSecrets deliver. The guardrails check them like planes' rows.
   */
  public readonly clusters: readonly AccessEntry[];
  /** Every principal of the graph with what it can read, sorted by id. */
  public readonly principals: readonly PrincipalAccess[];
  /** The assumptions the matrix was computed with. */
  public readonly options: Required<AccessOptions>;
  /** The remote secrets and their owners. */
  public readonly remotes: Remotes;
  /** What the analysis could not decide (an unknown backend, two owners declared for one secret). */
  public readonly problems: readonly Problem[];

  private constructor(root: Construct, placement: Placement, identity: IdentityFacts, options: AccessOptions) {
    this.options = {
      storeSelectorsEnforced: options.storeSelectorsEnforced ?? false,
      declaredNamespacesOnly: options.declaredNamespacesOnly ?? false,
    };
    const assumptions: GraphAssumptions = this.options;
    const remotes = collectRemotes(root, placement, modelContexts(root));
    const graph = buildPrincipalGraph(root, placement, identity, remotes, assumptions);
    const reads = nodeReads(graph, remotes);
    this.remotes = remotes;
    this.problems = remotes.problems;
    this.entries = matrixEntries(graph, reads, remotes, placement, 'planes');
    this.clusters = matrixEntries(graph, reads, remotes, placement, 'clusters');
    this.principals = principalAccess(graph, reads, remotes);
  }

  /** Entries the model delivers (some namespace). */
  public delivered(): AccessEntry[] {
    return this.entries.filter((e) => e.delivered.length > 0);
  }

  /** Entries a plane can read. */
  public readable(): AccessEntry[] {
    return this.entries.filter((e) => e.readable);
  }

  /** Entries delivered to or readable by a plane of another environment. */
  public crossEnvironment(): AccessEntry[] {
    return this.entries.filter((e) => e.crossEnvironment);
  }

  /** Entries of one plane (`<space>/<group>/<plane>`). */
  public forPlane(plane: string): AccessEntry[] {
    return this.entries.filter((e) => e.plane === plane);
  }

  /** Entries of one secret object (construct path). */
  public forSecret(secretPath: string): AccessEntry[] {
    return this.entries.filter((e) => e.secret === secretPath);
  }
}

/** A path's description: the principal, and the chain that reaches it. */
function describeNode(n: PrincipalNode, via: readonly string[]): string {
  const base =
    n.kind === 'static-credentials' ? `credentials Secret ${n.id} (credentials scope unknown)` : `${principalKindWord(n.kind)} ${n.id}`;
  return via.length > 0 ? `${base} (by sts:AssumeRole from ${via.join(' -> ')})` : base;
}

function matrixEntries(
  graph: PrincipalGraph,
  reads: ReadonlyMap<PrincipalNode, Read[]>,
  remotes: Remotes,
  placement: Placement,
  of: 'planes' | 'clusters',
): AccessEntry[] {
  type Cell = { item: RemoteItem; delivered: string[]; paths: Map<string, AccessPath> };
  const entries: AccessEntry[] = [];
  const none: readonly string[] = [];
  const ownersText = new Map<RemoteItem, readonly string[]>();
  const deliveries =
    of === 'planes' ? deliveriesByPlane(remotes, placement) : new Map<ControlPlane, Array<[RemoteItem, readonly string[]]>>();
  const clusterDeliveries = of === 'clusters' ? deliveriesByCluster(remotes) : new Map<string, Array<[RemoteItem, readonly string[]]>>();
  for (const actor of graph.actors) {
    if (of === 'planes' ? !actor.plane : !actor.cluster) continue;
    const row = new Map<RemoteItem, Cell>();
    const cell = (item: RemoteItem): Cell => {
      let c = row.get(item);
      if (!c) {
        c = { item, delivered: [], paths: new Map() };
        row.set(item, c);
      }
      return c;
    };
    for (const r of graph.reach(actor)) {
      for (const read of reads.get(r.node) ?? []) {
        const path = accessPath(r.node, r.via, r.entry, read);
        const c = cell(read.item);
        const prev = c.paths.get(path.id);
        if (!prev) c.paths.set(path.id, path);
        else if (!prev.namespaces.includes(ANY_NAMESPACE))
          c.paths.set(path.id, { ...prev, namespaces: mergeNamespaces(prev.namespaces, path.namespaces) });
      }
    }
    for (const [item, namespaces] of actor.plane ? (deliveries.get(actor.plane) ?? []) : []) cell(item).delivered.push(...namespaces);
    for (const [item, namespaces] of actor.cluster ? (clusterDeliveries.get(actor.cluster.name) ?? []) : [])
      cell(item).delivered.push(...namespaces);
    for (const c of row.values()) entries.push(entry(actor, c, remotes, ownersText, none));
  }
  return entries.sort(
    (a, b) => cmp(a.plane, b.plane) || cmp(a.secret, b.secret) || cmp(a.remote.kind, b.remote.kind) || cmp(a.remote.ref, b.remote.ref),
  );
}

function entry(
  actor: Actor,
  c: { item: RemoteItem; delivered: string[]; paths: Map<string, AccessPath> },
  remotes: Remotes,
  ownersText: Map<RemoteItem, readonly string[]>,
  none: readonly string[],
): AccessEntry {
  const { item } = c;
  let owners = ownersText.get(item);
  if (!owners) {
    owners = remotes.owners.get(item) ?? [];
    ownersText.set(item, owners);
  }
  const paths = [...c.paths.values()].sort((a, b) => cmp(a.id, b.id));
  const readable = paths.length > 0;
  const delivered = c.delivered.length === 0 ? none : [...new Set(c.delivered)].sort();
  const reaches = readable || delivered.length > 0;
  const sharing = remotes.shared.get(item);
  // An owner's own environment, or one it shares the secret with, reads it within the rules.
  const allowed = (o: string): boolean =>
    o === actor.environment || (sharing?.get(o)?.some((x) => x === '*' || x === actor.environment) ?? false);
  const crossEnvironment = reaches && owners.some((o) => !allowed(o));
  const productionOutsideProduction =
    crossEnvironment && !remotes.production.has(actor.environment) && owners.some((o) => remotes.production.has(o) && !allowed(o));
  const sharedWith = sharing ? [...new Set([...sharing.values()].flat())].sort() : undefined;
  return {
    plane: actor.key,
    planeName: actor.name,
    planePath: actor.path,
    environment: actor.environment,
    secret: item.secret.path,
    secretName: item.secret.name,
    target: item.secret.target,
    store: item.store.path,
    storeName: item.store.name,
    remote: { kind: item.resource.kind, ref: item.resource.ref, resource: item.resource.resource },
    secretEnvironments: owners,
    ownershipDeclared: remotes.declared.get(item) ?? false,
    ...(sharedWith ? { sharedWith } : {}),
    delivered,
    readable,
    paths,
    crossEnvironment,
    productionOutsideProduction,
  };
}

function accessPath(
  node: PrincipalNode,
  via: readonly string[],
  entryStep: { how: string; store?: string; namespaces: readonly string[] },
  read: Read,
): AccessPath {
  if (node.kind === 'static-credentials' && via.length === 0) {
    return {
      kind: 'credentials',
      id: `credentials:${node.id}@${entryStep.store ?? ''}`,
      description: `store "${(entryStep.store ?? '').split('/').pop() ?? ''}" with ${describeNode(node, via)}`,
      namespaces: [...entryStep.namespaces],
      ...(entryStep.store !== undefined ? { store: entryStep.store } : {}),
      credentials: node.id,
      grant: read.grant,
    };
  }
  return {
    kind: 'identity',
    id: `identity:${node.id}`,
    description: describeNode(node, via),
    namespaces: [...entryStep.namespaces],
    principal: node.id,
    ...(via.length > 0 ? { via: [...via] } : {}),
    ...(entryStep.store !== undefined ? { store: entryStep.store } : {}),
    grant: read.grant,
    ...(read.condition ? { condition: read.condition, conditionEvaluated: read.conditionEvaluated } : {}),
  };
}

/** The remote secrets the model delivers to each plane, with the namespaces. */
function deliveriesByPlane(remotes: Remotes, placement: Placement): Map<ControlPlane, Array<[RemoteItem, readonly string[]]>> {
  const out = new Map<ControlPlane, Array<[RemoteItem, readonly string[]]>>();
  for (const item of remotes.items) {
    const s = item.secret.construct;
    if (!s) continue;
    for (const r of placement.ofSecret(s)) {
      if (r.namespaces.length === 0) continue;
      const list = out.get(r.plane);
      if (list) list.push([item, r.namespaces]);
      else out.set(r.plane, [[item, r.namespaces]]);
    }
  }
  return out;
}

/** The remote secrets each ESO cluster's ExternalSecrets write, with their namespaces (`*`: a ClusterExternalSecret). */
function deliveriesByCluster(remotes: Remotes): Map<string, Array<[RemoteItem, readonly string[]]>> {
  const out = new Map<string, Array<[RemoteItem, readonly string[]]>>();
  const externals = new Map<string, { cluster: string; namespace?: string }>();
  const seen = new Set<string>();
  for (const item of remotes.items) {
    const store = item.store.construct;
    if (!(store instanceof EsoSecretStore)) continue;
    if (!seen.has(store.cluster.name))
      for (const x of store.cluster.externalSecrets) externals.set(x.node.path, { cluster: x.cluster.name, namespace: x.namespace });
    seen.add(store.cluster.name);
    const x = externals.get(item.secret.path);
    if (!x) continue;
    const list = out.get(x.cluster) ?? [];
    list.push([item, [x.namespace ?? ANY_NAMESPACE]]);
    out.set(x.cluster, list);
  }
  return out;
}

function mergeNamespaces(a: readonly string[], b: readonly string[]): string[] {
  if (a.includes(ANY_NAMESPACE) || b.includes(ANY_NAMESPACE)) return [ANY_NAMESPACE];
  return [...new Set([...a, ...b])].sort();
}

function principalAccess(graph: PrincipalGraph, reads: ReadonlyMap<PrincipalNode, Read[]>, remotes: Remotes): PrincipalAccess[] {
  const out: PrincipalAccess[] = [];
  for (const n of graph.nodes.values()) {
    const actors = graph.actorsOf(n).filter((a) => a.plane);
    const space = n.owners.find((o) => o.startsWith('space:'))?.slice('space:'.length);
    const cluster = n.published.find((p) => p.cluster)?.cluster;
    const envs = [...new Set(n.published.map((p) => p.environment).filter((e): e is string => e !== undefined))];
    const reading = (reads.get(n) ?? [])
      .map((r) => ({
        resource: r.item.resource.resource,
        secret: r.item.secret.path,
        ref: r.item.resource.ref,
        grant: r.grant,
        environments: remotes.owners.get(r.item) ?? [],
      }))
      .sort((a, b) => cmp(a.resource, b.resource) || cmp(a.secret, b.secret) || cmp(a.ref, b.ref));
    const assumes = (graph.assumes.get(n) ?? []).map((x) => x.id).sort();
    out.push({
      id: n.id,
      kind: n.kind,
      cloud: n.cloud,
      ...(space !== undefined ? { space } : {}),
      owners: [...n.owners],
      ...(cluster ? { cluster } : {}),
      ...(envs.length === 1 ? { environment: envs[0] } : {}),
      planes: actors.map((a) => a.key).sort(),
      planeEnvironments: [...new Set(actors.map((a) => a.environment))].sort(),
      ...(assumes.length > 0 ? { assumes } : {}),
      grants: n.grants,
      reads: reading,
    });
  }
  return out.sort((a, b) => cmp(a.id, b.id) || cmp(a.kind, b.kind));
}

export {
  arnMatches,
  azureScopeCovers,
  evaluateGcpCondition,
  gcpResourceCovers,
  globMatch,
  grantMatches,
  grantPatternMatches,
  type GrantMatch,
} from '../backends/grants.js';
export { wideGrants, type WideGrant } from './wide-grants.js';
