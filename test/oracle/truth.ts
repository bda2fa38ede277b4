/**
 * The ground truth: which remote secret each control plane can read, computed from the generated
 * artifacts alone (./artifacts.ts) and the facts of the generated world (./world.ts), never from the
 * construct tree or lib/.
 *
 * Threat model (conservative):
 * - A user of a control plane can create namespaces and any ESO object inside that plane,
 *   including a ClusterSecretStore whose `provider.upboundspaces.storeRef.name` names ANY
 *   SharedSecretStore of the plane's group: the public `upboundspaces` provider fetches it by name
 *   and ignores its selectors (the selector bypass). So selectors and namespaces bound nothing;
 *   every read below works from any namespace.
 * - Static credentials: a plane reads whatever the credentials Secret behind any SharedSecretStore
 *   of its group can read. What an IAM user's keys, a service principal or a service-account key
 *   can read is not in the artifacts; the stated assumption is that a credentials Secret (Space,
 *   group, Secret name) reads exactly the remote secrets that the stores using it reference (data
 *   keys, extract keys, find scopes), and, through a store's `role`, whatever that role reads.
 * - Workload identity: a plane reads whatever any cloud principal its ESO controller can become is
 *   allowed to read by the emitted IAM (./aws.ts, ./azure.ts, ./gcp.ts): a principal is one
 *   principal across Spaces and clusters (role ARN, managed identity, member, service account).
 * - Remote secrets are resources, not strings (./universe.ts); ownership is the environment the
 *   generator created each remote secret for; a read is cross-environment when the plane's
 *   environment differs from the owner's.
 *
 * - A plain ESO cluster is a reader too (the report's `clusters/<name>` rows): a user of the cluster
 *   makes its ESO read whatever the principals its controller's service account can become read
 *   (IRSA trust for the cluster's issuer and the controller's namespace and service account, then
 *   chaining), as a plane's.
 *
 * Every read carries how it happens ({@link Via}), with tags that name the class of access.
 */
import { refMatches } from '../fuzz-support.js';
import type { Artifacts, StoreArtifact } from './artifacts.js';
import { AwsTruth, type IamSimulator, type RoleChain } from './aws.js';
import { AzureTruth } from './azure.js';
import { GcpTruth } from './gcp.js';
import { providerBackend, resolveRef, universe, type Concrete } from './universe.js';
import { NO_ENVIRONMENT } from './ownership.js';
import {
  CLUSTER_ESO_NAMESPACE,
  CLUSTER_ESO_SA,
  backendKey,
  clusterEks,
  clusterKey,
  credentialAccount,
  worldPlanes,
  type Backend,
  type WorldPlane,
  type WorldSpec,
} from './world.js';

/** One way a plane reads a remote secret. */
export interface Via {
  /** What it goes through, e.g. `credentials shop/platform/creds-a` or `role arn:… -> arn:…`. */
  readonly path: string;
  /** Classes of access it belongs to (see {@link ACCESS_CLASSES}). */
  readonly tags: readonly AccessClass[];
}

/** The classes of access the oracle names. */
export const ACCESS_CLASSES = [
  'static-credentials',
  'credentials-of-another-backend',
  'selector-bypass',
  'undeclared-namespace',
  'unknown-backend',
  'chained-role',
  'role-name-collision',
  'aws-identity',
  'azure-identity',
  'gcp-identity',
  'shared-identity-across-spaces',
  'workload-pool-per-project',
  'eso-cluster',
] as const;
export type AccessClass = (typeof ACCESS_CLASSES)[number];

/** A reader of the report: a plane (`<space>/<group>/<plane>`) or a plain ESO cluster (`clusters/<name>`), with its environment. */
export interface Reader {
  readonly key: string;
  readonly kind: 'plane' | 'cluster';
  /** Its environment; a cluster that declares none is `(none)`. */
  readonly env: string;
}

export interface GroundTruth {
  readonly planes: readonly WorldPlane[];
  /** The planes, then the plain ESO clusters. */
  readonly readers: readonly Reader[];
  readonly all: readonly Concrete[];
  /** Plane key -> remote secret id -> how. */
  readonly reads: ReadonlyMap<string, ReadonlyMap<string, readonly Via[]>>;
}

/** A credentials Secret: `<owner dir>/<namespace>/<name>` of every `{ name, key }` reference in a store's provider. */
function credentialSecrets(store: StoreArtifact): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null) return;
    const o = x as Record<string, unknown>;
    if (typeof o.name === 'string' && typeof o.key === 'string') {
      out.push(`${store.owner.dir}/${typeof o.namespace === 'string' ? o.namespace : store.scope}/${o.name}`);
      return;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(store.provider);
  return [...new Set(out)];
}

function add(reads: Map<string, Via[]>, id: string, via: Via): void {
  const seen = reads.get(id) ?? [];
  if (!seen.some((v) => v.path === via.path)) reads.set(id, [...seen, via]);
}

/**
 * A store with static credentials as a plane sees it: the backend its references resolve in (AWS:
 * the account of its role, else of its credentials), its role, and whether its selectors select the
 * plane and one of the plane's declared namespaces.
 */
function storeReach(
  store: StoreArtifact,
  plane: WorldPlane,
  cred: string,
): { backend: Backend | undefined; role: string | undefined; reach: 'usable' | 'selected' | 'not-selected' } {
  const role = (store.provider.aws as { role?: unknown } | undefined)?.role;
  const secretName = cred.split('/').pop() ?? '';
  const account = typeof role === 'string' ? (role.split(':')[4] ?? '') : credentialAccount(store.owner.name, store.scope, secretName);
  const selected = refMatches(store.selectors.planes, plane.name, plane.labels);
  const usable = selected && plane.namespaces.some((n) => refMatches(store.selectors.namespaces, n, { 'kubernetes.io/metadata.name': n }));
  return {
    backend: providerBackend(store.provider, account),
    role: typeof role === 'string' ? role : undefined,
    reach: usable ? 'usable' : selected ? 'selected' : 'not-selected',
  };
}

export async function groundTruth(spec: WorldSpec, artifacts: Artifacts, sim: IamSimulator): Promise<GroundTruth> {
  const all = universe(spec);
  const planes = worldPlanes(spec);
  const aws = new AwsTruth(artifacts, all, sim);
  const azure = new AzureTruth(artifacts, all);
  const gcp = new GcpTruth(artifacts, all);

  // Static credentials: the stores that use each credentials Secret.
  const spaceStores = artifacts.stores.filter((s) => s.owner.kind === 'space');
  const usersOf = new Map<string, StoreArtifact[]>();
  for (const s of spaceStores) for (const c of credentialSecrets(s)) usersOf.set(c, [...(usersOf.get(c) ?? []), s]);

  /** What a chain of roles reads, each read tagged. */
  const roleReads = async (
    chains: ReadonlyMap<string, RoleChain>,
    base: readonly AccessClass[],
    out: Map<string, Via[]>,
  ): Promise<void> => {
    for (const [arn, chain] of chains) {
      const tags = new Set<AccessClass>(base);
      if (chain.roles.length > 1) tags.add('chained-role');
      if (chain.roles.some((r) => (aws.role(r)?.owners.size ?? 0) > 1)) tags.add('role-name-collision');
      for (const [id, grant] of await aws.reads(arn)) {
        const path = `${chain.entry}: ${chain.roles.join(' -> ')}${grant === 'store-role' ? ' (as a store role)' : ''}`;
        add(out, id, { path, tags: [...tags, ...(grant === 'store-role' ? (['chained-role'] as const) : [])] });
      }
    }
  };

  const gcpMembersOfPlanes = new Map<string, Set<string>>();
  for (const p of planes)
    for (const m of gcp.membersOf(p)) gcpMembersOfPlanes.set(m, new Set([...(gcpMembersOfPlanes.get(m) ?? []), p.space.name]));

  const reads = new Map<string, Map<string, Via[]>>();
  for (const plane of planes) {
    const out = new Map<string, Via[]>();
    reads.set(plane.key, out);

    // (a) Static credentials of every SharedSecretStore of the plane's group (selector bypass).
    const groupStores = spaceStores.filter((s) => s.owner.name === plane.space.name && s.scope === plane.group);
    for (const cred of new Set(groupStores.flatMap(credentialSecrets))) {
      const users = (usersOf.get(cred) ?? []).map((store) => ({ store, ...storeReach(store, plane, cred) }));
      for (const { store, backend, role, reach } of users) {
        // How the plane gets at this store's references: the store is usable in it, or only
        // another store with the same Secret is (of the same backend or another), or none is.
        const usable = users.filter((u) => u.reach === 'usable');
        const how: AccessClass =
          reach === 'usable'
            ? 'static-credentials'
            : usable.some((u) => u.backend && backend && backendKey(u.backend) === backendKey(backend))
              ? 'static-credentials'
              : usable.length > 0
                ? 'credentials-of-another-backend'
                : reach === 'selected'
                  ? 'undeclared-namespace'
                  : 'selector-bypass';
        const tags = [
          ...new Set<AccessClass>(['static-credentials', how, ...(backend?.kind === 'hv' ? (['unknown-backend'] as const) : [])]),
        ];
        const path = `credentials ${cred} (store ${store.name})`;
        if (backend) for (const ref of store.refs) for (const c of resolveRef(ref, backend, all)) add(out, c.id, { path, tags });
        if (role)
          await roleReads(
            await aws.closure(new Map([[role, { entry: `credentials ${cred}`, roles: [role] }]])),
            [...tags, 'chained-role'],
            out,
          );
      }
    }

    // (b) Workload identity: every principal the plane's controller can become.
    await roleReads(await aws.closure(await aws.entryRoles(plane)), ['aws-identity'], out);
    for (const id of azure.identitiesOf(plane)) {
      const tags: AccessClass[] = ['azure-identity', ...(azure.owners(id).size > 1 ? (['shared-identity-across-spaces'] as const) : [])];
      for (const r of azure.reads(id)) add(out, r, { path: `managed identity ${id}`, tags });
    }
    const members = gcp.membersOf(plane);
    for (const m of members) {
      const tags: AccessClass[] = [
        'gcp-identity',
        ...((gcpMembersOfPlanes.get(m)?.size ?? 0) > 1 ? (['workload-pool-per-project'] as const) : []),
      ];
      for (const r of gcp.reads(m)) add(out, r, { path: `member ${m}`, tags });
    }
    for (const email of gcp.impersonable(members)) {
      const pool = members.some((m) => (gcpMembersOfPlanes.get(m)?.size ?? 0) > 1);
      const tags: AccessClass[] = [
        'gcp-identity',
        ...(gcp.serviceAccountOwners(email).size > 1 ? (['shared-identity-across-spaces'] as const) : []),
        ...(pool ? (['workload-pool-per-project'] as const) : []),
      ];
      for (const r of gcp.reads(`serviceAccount:${email}`)) add(out, r, { path: `service account ${email}`, tags });
    }
  }
  // (c) Plain ESO clusters: every principal the cluster's ESO controller can become (IRSA), from any
  // namespace a user of the cluster creates objects in. (The world's cluster stores carry no static credentials.)
  const clusters: Reader[] = [];
  for (const c of spec.clusters) {
    const key = clusterKey(c);
    const out = new Map<string, Via[]>();
    reads.set(key, out);
    clusters.push({ key, kind: 'cluster', env: c.environment ?? NO_ENVIRONMENT });
    await roleReads(
      await aws.closure(await aws.entryRolesOf(clusterEks(c), CLUSTER_ESO_NAMESPACE, CLUSTER_ESO_SA)),
      ['aws-identity', 'eso-cluster'],
      out,
    );
  }
  const readers: Reader[] = [...planes.map((p): Reader => ({ key: p.key, kind: 'plane', env: p.env })), ...clusters];
  return { planes, readers, all, reads };
}
