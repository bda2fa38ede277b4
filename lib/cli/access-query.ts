/**
 * "Who can read this remote secret?" and "why can this plane read it?", answered from the access
 * matrix: the one a synthesis computes ({@link accessViewOfApp}) or the one a `report.json` renders
 * ({@link accessViewOfReport}); both give the same answers (a property test holds them to it).
 * A remote secret is named as the report names it: its name or key (`prod/db`), its resource (an
 * ARN, also with the 6-character suffix of a real secret or without it, a Key Vault id or URL, a GCP
 * resource name), its id (`<secret path>#<ref>`) or the construct path of its shared secret.
 */
import { NO_ENVIRONMENT, globMatch, type AccessEntry, type AccessPath, type PrincipalAccess } from '../analysis/access.js';
import type { TopologyApp } from '../app.js';
import { ControlPlane } from '../model/control-plane.js';
import { cmp } from '../private/order.js';
import { flattenAccess, type ReportData } from '../report/report.js';

/** The access matrix as the queries read it. */
export interface AccessView {
  /** Every delivered or readable plane × remote secret pair. */
  readonly entries: readonly AccessEntry[];
  /** Every published principal and what it can read. */
  readonly principals: readonly PrincipalAccess[];
  /** Every plane of the topology, `<space>/<group>/<plane>`, with its environment. */
  readonly planes: ReadonlyArray<{ readonly key: string; readonly environment: string }>;
}

/**
 * The access matrix of a synthesis of `app` (computed once with the rest of its compilation). The
 * one place that knows where a compilation keeps it.
 */
export function accessViewOfApp(app: TopologyApp): AccessView {
  const matrix = app.compile().context.access;
  return {
    entries: matrix.entries,
    principals: matrix.principals,
    planes: ControlPlane.all(app)
      .map((p) => ({ key: `${p.group.space.name}/${p.group.name}/${p.name}`, environment: p.environment?.name ?? NO_ENVIRONMENT }))
      .sort((a, b) => cmp(a.key, b.key)),
  };
}

/** The access matrix a report renders. */
export function accessViewOfReport(report: ReportData): AccessView {
  return {
    entries: flattenAccess(report),
    principals: report.principals,
    planes: report.planes.map((p) => ({ key: p.key, environment: p.environment ?? NO_ENVIRONMENT })).sort((a, b) => cmp(a.key, b.key)),
  };
}

/** A remote secret of the topology. */
export interface RemoteSecret {
  /** `<secret path>#<ref>`. */
  readonly id: string;
  /** Construct path of the shared secret that reads it. */
  readonly secret: string;
  readonly kind: 'key' | 'find';
  /** As the shared secret writes it: the key, or `find path=… name=…`. */
  readonly ref: string;
  /** As the cloud names it (an ARN pattern, a Key Vault object, a GCP resource name). */
  readonly resource: string;
  /** Environments it belongs to. */
  readonly environments: readonly string[];
  /** How the query matched it: `name`, `resource`, `id`, `secret`, or `find covering <resource>`. */
  readonly matchedBy: string;
}

/** A way a plane can read a remote secret. */
export interface ReadPath {
  readonly kind: AccessPath['kind'];
  readonly id: string;
  readonly description: string;
  /** Namespaces of the plane it works from (`*`: any). */
  readonly namespaces: readonly string[];
  readonly store?: string;
  readonly credentials?: string;
  readonly principal?: string;
}

/** What one plane can do with one remote secret. */
export interface PlaneAccess {
  readonly plane: string;
  readonly environment: string;
  /** Id of the remote secret. */
  readonly remote: string;
  /** Namespaces the topology delivers it to (empty: not delivered). */
  readonly delivered: readonly string[];
  readonly readable: boolean;
  readonly paths: readonly ReadPath[];
  readonly crossEnvironment: boolean;
}

/** A principal that can read a remote secret. */
export interface PrincipalReader {
  readonly id: string;
  readonly kind: PrincipalAccess['kind'];
  /** The Space or ESO cluster that uses it. */
  readonly usedBy: string;
  /** Planes that can act as it. */
  readonly planes: readonly string[];
  /** Its grants that match, by remote secret id. */
  readonly grants: ReadonlyArray<{ readonly remote: string; readonly grant: string }>;
}

/** The answer to "who can read X?". */
export interface WhoCanRead {
  readonly query: string;
  /** The remote secrets X names, sorted by id. */
  readonly remotes: readonly RemoteSecret[];
  /** Every plane that receives or can read one of them, sorted by plane and remote. */
  readonly planes: readonly PlaneAccess[];
  /** Every principal that can read one of them, sorted by id. */
  readonly principals: readonly PrincipalReader[];
}

/** Every remote secret of the matrix (of its entries and of what principals read), by id. */
function remoteSecrets(view: AccessView): Map<string, Omit<RemoteSecret, 'matchedBy'>> {
  const out = new Map<string, Omit<RemoteSecret, 'matchedBy'>>();
  for (const e of view.entries) {
    const id = `${e.secret}#${e.remote.ref}`;
    if (!out.has(id)) out.set(id, { id, secret: e.secret, ...e.remote, environments: e.secretEnvironments });
  }
  for (const p of view.principals) {
    for (const r of p.reads) {
      const id = `${r.secret}#${r.ref}`;
      if (!out.has(id)) out.set(id, { id, secret: r.secret, kind: 'key', ref: r.ref, resource: r.resource, environments: r.environments });
    }
  }
  return out;
}

/** Resource names compare case-insensitively on Azure (ids and vault URLs). */
function caseless(resource: string): boolean {
  return resource.startsWith('/subscriptions/') || resource.startsWith('https://');
}

/** How `query` names a remote secret, or undefined when it does not. */
function matchOf(r: Omit<RemoteSecret, 'matchedBy'>, query: string): string | undefined {
  if (query === r.id) return 'id';
  if (query === r.ref) return 'name';
  if (query === r.secret) return 'secret';
  const ci = caseless(r.resource);
  const same = (a: string, b: string): boolean => (ci ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (same(query, r.resource)) return 'resource';
  // A Secrets Manager ARN without its random suffix, or a concrete name a pattern covers.
  if (r.kind === 'key' && r.resource.endsWith('-??????') && same(query, r.resource.slice(0, -7))) return 'resource';
  if (/[*?]/.test(r.resource) && !/[*?]/.test(query) && globMatch(r.resource, query, ci)) return 'resource';
  return undefined;
}

/** A concrete resource name that stands for a key's resource (the `??????` of a Secrets Manager ARN filled in). */
function sample(resource: string): string {
  return resource.endsWith('-??????') ? `${resource.slice(0, -7)}-Ab12Cd` : resource;
}

/**
 * The remote secrets `query` names: by id, name, resource or shared secret path; and the `find`s
 * whose pattern covers one of those (they can read it too).
 */
export function findRemoteSecrets(view: AccessView, query: string): RemoteSecret[] {
  const all = remoteSecrets(view);
  const out = new Map<string, RemoteSecret>();
  for (const r of all.values()) {
    const how = matchOf(r, query);
    if (how) out.set(r.id, { ...r, matchedBy: how });
  }
  const keys = [...out.values()].filter((r) => r.kind === 'key');
  for (const r of all.values()) {
    if (r.kind !== 'find' || out.has(r.id)) continue;
    const covered = keys.find((k) => globMatch(r.resource, sample(k.resource), caseless(r.resource)));
    if (covered) out.set(r.id, { ...r, matchedBy: `find covering ${covered.resource}` });
  }
  return [...out.values()].sort((a, b) => cmp(a.id, b.id));
}

/** Length of the longest common substring of two strings. */
function commonLength(a: string, b: string): number {
  let best = 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        row[j] = prev[j - 1] + 1;
        if (row[j] > best) best = row[j];
      }
    }
    prev = row;
  }
  return best;
}

/**
 * Remote secrets named like `query`, for a "did you mean": the names (refs) and shared secret paths
 * that share the longest run of characters with it (at least 3, ignoring case).
 */
export function similarRemoteSecrets(view: AccessView, query: string, max = 5): string[] {
  const q = query.toLowerCase().slice(0, 200);
  const scored = [...remoteSecrets(view).values()].map((r) => ({
    ref: r.ref,
    score: Math.max(commonLength(q, r.ref.toLowerCase().slice(0, 200)), commonLength(q, r.secret.toLowerCase().slice(0, 200))),
  }));
  const best = Math.max(0, ...scored.map((x) => x.score));
  if (best < 3) return [];
  return [...new Set(scored.filter((x) => x.score === best).map((x) => x.ref))].sort(cmp).slice(0, max);
}

function readPath(p: AccessPath): ReadPath {
  return {
    kind: p.kind,
    id: p.id,
    description: p.description,
    namespaces: p.namespaces,
    ...(p.store !== undefined ? { store: p.store } : {}),
    ...(p.credentials !== undefined ? { credentials: p.credentials } : {}),
    ...(p.principal !== undefined ? { principal: p.principal } : {}),
  };
}

function planeAccess(e: AccessEntry): PlaneAccess {
  return {
    plane: e.plane,
    environment: e.environment,
    remote: `${e.secret}#${e.remote.ref}`,
    delivered: e.delivered,
    readable: e.readable,
    paths: e.paths.map(readPath),
    crossEnvironment: e.crossEnvironment,
  };
}

/** The principals that can read some of `remotes`, with the grants that match. */
function readersOf(view: AccessView, remotes: readonly RemoteSecret[]): PrincipalReader[] {
  const ids = new Set(remotes.map((r) => r.id));
  return view.principals
    .map((p) => ({
      id: p.id,
      kind: p.kind,
      usedBy: p.cluster ? `ESO cluster ${p.cluster.cluster}` : `Space ${p.space ?? ''}`,
      planes: [...p.planes].sort(cmp),
      grants: p.reads
        .map((r) => ({ remote: `${r.secret}#${r.ref}`, grant: r.grant }))
        .filter((g) => ids.has(g.remote))
        .sort((a, b) => cmp(a.remote, b.remote) || cmp(a.grant, b.grant)),
    }))
    .filter((p) => p.grants.length > 0)
    .sort((a, b) => cmp(a.id, b.id));
}

/** Who can read the remote secrets `query` names: the planes (delivered to, readable from, through) and the principals. */
export function whoCanRead(view: AccessView, query: string): WhoCanRead {
  const remotes = findRemoteSecrets(view, query);
  const ids = new Set(remotes.map((r) => r.id));
  const planes = view.entries
    .filter((e) => ids.has(`${e.secret}#${e.remote.ref}`))
    .map(planeAccess)
    .sort((a, b) => cmp(a.plane, b.plane) || cmp(a.remote, b.remote));
  return { query, remotes, planes, principals: readersOf(view, remotes) };
}

/** The planes `query` names: its key (`<space>/<group>/<plane>`) or, when unique, its name. */
export function findPlanes(view: AccessView, query: string): Array<{ key: string; environment: string }> {
  const exact = view.planes.filter((p) => p.key === query);
  if (exact.length > 0) return exact;
  return view.planes.filter((p) => p.key.split('/').slice(2).join('/') === query);
}

/** Why a plane can or cannot read one remote secret. */
export interface Explanation {
  readonly plane: string;
  readonly environment: string;
  readonly remote: RemoteSecret;
  readonly delivered: readonly string[];
  readonly readable: boolean;
  readonly crossEnvironment: boolean;
  readonly paths: readonly ReadPath[];
  /** The principals the plane can act as that can read it, with their grants. */
  readonly principals: readonly PrincipalReader[];
  /** The answer in plain sentences. */
  readonly because: readonly string[];
}

function nsText(ns: readonly string[]): string {
  if (ns.includes('*')) return 'any namespace';
  return `${ns.length === 1 ? 'namespace' : 'namespaces'} ${ns.join(', ')}`;
}

/** Explains, for each remote secret `query` names, whether and how the plane receives it and can read it. */
export function explainAccess(view: AccessView, plane: { key: string; environment: string }, query: string): Explanation[] {
  const remotes = findRemoteSecrets(view, query);
  const entries = new Map(view.entries.filter((e) => e.plane === plane.key).map((e) => [`${e.secret}#${e.remote.ref}`, e]));
  return remotes.map((remote) => {
    const e = entries.get(remote.id);
    const principals = readersOf(view, [remote]).filter((p) => p.planes.includes(plane.key));
    const because: string[] = [];
    const delivered = e?.delivered ?? [];
    because.push(
      delivered.length > 0
        ? `The topology delivers it to ${nsText(delivered)} of the plane (shared secret ${remote.secret}).`
        : `The topology does not deliver it to this plane.`,
    );
    for (const p of e?.paths ?? []) {
      const from = `from ${nsText(p.namespaces)}`;
      if (p.kind === 'credentials')
        because.push(
          `It can read it ${from} through ${p.description}: the store is projected into the plane, and the credentials' cloud permissions are unknown, so they are assumed to read every secret of the backend that a store with the same credentials reads.`,
        );
      else if (p.kind === 'identity') {
        const grants = principals.find((x) => x.id === p.principal)?.grants.map((g) => g.grant) ?? [];
        because.push(
          `It can read it ${from} through ${p.description}: the plane's ESO can act as this principal${grants.length > 0 ? `, whose grant ${grants.join(', ')} matches it` : ''} (a hand-made store in the plane has no namespace conditions).`,
        );
      } else
        because.push(
          `It can read it ${from} through ${p.description}: the Space published no cloud principal, so its workload identity is assumed to read what the stores it serves read.`,
        );
    }
    if (!e?.readable)
      because.push(
        'It cannot read it: no store projected into the plane reads it with static credentials, and no principal the plane can act as has a grant that matches it.',
      );
    if (e?.crossEnvironment)
      because.push(
        `This crosses environments: the plane is in ${plane.environment}, and the secret belongs to ${remote.environments.join(', ')} (the environments of the planes it is delivered to); synthesis allowed it because of an opt-out of the cross-environment guardrail.`,
      );
    return {
      plane: plane.key,
      environment: plane.environment,
      remote,
      delivered,
      readable: e?.readable ?? false,
      crossEnvironment: e?.crossEnvironment ?? false,
      paths: (e?.paths ?? []).map(readPath),
      principals,
      because,
    };
  });
}
