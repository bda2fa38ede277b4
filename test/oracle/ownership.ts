/**
 * Ownership as the contract (docs/threat-model.md) defines it, computed from the generated world
 * alone (never from lib/):
 *
 * - which remote secrets an `owns` declaration covers ({@link declares}), read from the
 *   documented meaning of `SecretOwnership` (Secrets Manager name prefixes, exact names, ARNs;
 *   Parameter Store path prefixes, `/` implied; Key Vault whole vaults and object name prefixes,
 *   case-insensitive; GCP whole projects by id or number and secret id prefixes);
 * - which remote secrets the model knows: a secret object references them (by key, in any
 *   spelling, or inside a find's scope) or a declaration covers them. A remote secret the model
 *   neither references nor declares cannot be known to any compiler, so it is no ground truth;
 * - the owners a compiler can know: the declaring environment, else the environment a referencing
 *   store declares (`SecretStore` `environment`), else the environments of the planes the secret
 *   (its own `planes`, else its store's) declares (`Planes.inEnvironments`, the environments of
 *   `Planes.named` planes and of the planes a `Planes.matching` selector matches; a plain ESO
 *   cluster its `environment`, and without one none; a `PushSecret`'s remote keys are references
 *   too), joined over every reference that denotes it;
 *   a secret only such clusters reference is owned by "(none)".
 *
 * The world's owner ({@link RemoteSpec.owner}) stays the ground truth of who a secret belongs to;
 * where no declaration says so and the derived owners differ, that is the user's missing
 * declaration, which the oracle classifies apart from the analysis's errors.
 */
import { inFind } from './universe.js';
import {
  ACCOUNTS,
  AWS_REGIONS,
  GCP_PROJECTS,
  VAULTS,
  clusterBackend,
  remoteIdentity,
  sameBackend,
  selects,
  smSuffix,
  vaultResourceId,
  vaultUrl,
  type Backend,
  type EnvName,
  type OwnsSpec,
  type PlaneSel,
  type PlaneSpec,
  type RefSpec,
  type RemoteSpec,
  type WorldSpec,
} from './world.js';

/** The environment of a plane (or an owner) without one, as the report names it. */
export const NO_ENVIRONMENT = '(none)';

/** A name in a backend: a remote secret of the world, or a name the model references that does not exist. */
export type Named = Pick<RemoteSpec, 'backend' | 'name'>;

const abs = (name: string): string => (name.startsWith('/') ? name : `/${name}`);
const low = (s: string): string => s.toLowerCase();

/** The world's vault a declaration names by name, URL or resource id (any case). */
function vaultIndex(text: string): number {
  const t = low(text).replace(/\/+$/, '');
  return VAULTS.findIndex((v, i) => t === v.name || t === low(vaultUrl(i)) || t === low(vaultResourceId(i)));
}

/** The world's GCP project a declaration names by id or number. */
function projectIndex(text: string): number {
  return GCP_PROJECTS.findIndex((p) => p.id === text || p.number === text);
}

/** Whether a Secrets Manager ARN names a secret: its full ARN (name and suffix) or a partial ARN (the name). */
function arnNames(arn: string, b: Extract<Backend, { kind: 'sm' }>, name: string): boolean {
  const m = /^arn:aws:secretsmanager:([^:]+):(\d{12}):secret:(.+)$/.exec(arn);
  if (!m || m[1] !== b.region || m[2] !== b.account) return false;
  return m[3] === name || m[3] === `${name}-${smSuffix(b, name)}`;
}

/** Whether a declaration covers a name of a backend. */
export function declares(o: OwnsSpec, r: Named): boolean {
  const b = r.backend;
  switch (o.kind) {
    case 'sm':
      if (b.kind !== 'sm' || (o.account !== undefined && o.account !== b.account) || (o.region !== undefined && o.region !== b.region))
        return false;
      return (
        (o.prefixes ?? []).some((p) => r.name.startsWith(p)) ||
        (o.names ?? []).includes(r.name) ||
        (o.arns ?? []).some((a) => arnNames(a, b, r.name))
      );
    case 'ps':
      if (b.kind !== 'ps' || (o.account !== undefined && o.account !== b.account) || (o.region !== undefined && o.region !== b.region))
        return false;
      return o.paths.some((p) => abs(r.name).startsWith(abs(p)));
    case 'kv':
      if (b.kind !== 'kv') return false;
      return (o.vaults ?? []).some((v) => vaultIndex(v) === b.vault) || (o.names ?? []).some((n) => low(r.name).startsWith(low(n)));
    case 'gsm':
      if (b.kind !== 'gsm') return false;
      return (o.projects ?? []).some((p) => projectIndex(p) === b.project) || (o.secretIds ?? []).some((s) => r.name.startsWith(s));
  }
}

/** Every backend of the world a declaration can name (each account and region, vault and project). */
const BACKENDS: readonly Backend[] = [
  ...(['sm', 'ps'] as const).flatMap((kind) => ACCOUNTS.flatMap((account) => AWS_REGIONS.map((region) => ({ kind, account, region })))),
  ...VAULTS.map((_, vault) => ({ kind: 'kv' as const, vault })),
  ...GCP_PROJECTS.map((_, project) => ({ kind: 'gsm' as const, project })),
];

/** Names that stand for what a declaration covers: each exact name, and a name under each prefix, in every backend. */
function representatives(o: OwnsSpec): Named[] {
  const texts =
    o.kind === 'sm'
      ? [...(o.prefixes ?? []).map((p) => `${p}0probe`), ...(o.names ?? []), ...(o.arns ?? []).map((a) => a.split(':secret:')[1] ?? '')]
      : o.kind === 'ps'
        ? o.paths.map((p) => `${p}0probe`)
        : o.kind === 'kv'
          ? ['0probe', ...(o.names ?? []).map((n) => `${n}0probe`)]
          : ['0probe', ...(o.secretIds ?? []).map((x) => `${x}0probe`)];
  // An ARN's name may carry the suffix: the name without it too.
  const names = texts.flatMap((t) => [t, t.replace(/-[A-Za-z0-9]{6}$/, '')]);
  return BACKENDS.flatMap((backend) => names.map((name) => ({ backend, name }))).filter((n) => declares(o, n));
}

/** Whether two declarations can cover one name (a secret that exists or may come). */
export function declarationsOverlap(a: OwnsSpec, b: OwnsSpec): boolean {
  return representatives(a).some((n) => declares(b, n)) || representatives(b).some((n) => declares(a, n));
}

/** The environment whose declaration covers a name, if any. */
export function declaredOwner(owns: readonly OwnsSpec[], r: Named): EnvName | undefined {
  return owns.find((o) => declares(o, r))?.env;
}

/** The environments of the planes a store's plane selection declares: by environment, or of the planes it names or matches. */
export function declaredEnvironments(sel: PlaneSel, planes: readonly PlaneSpec[]): EnvName[] {
  if (sel.kind === 'env') return [...sel.envs];
  return [...new Set(planes.filter((p) => selects(sel, p)).map((p) => p.env))];
}

/**
 * The remote secrets of the world a reference denotes as a compiler can know them, read through a
 * store of `backend`: a find's scope by its path and name pattern; its tag filter is not in the
 * model (a compiler cannot see the tags of a remote secret), so a secret inside the path and name
 * scope is inside the find's scope whatever its tags.
 */
export function refTargets(spec: WorldSpec, ref: RefSpec, backend: Backend): RemoteSpec[] {
  if (ref.kind === 'key') return [spec.remotes[ref.remote]];
  if (ref.kind === 'find') {
    const scope = {
      ...(ref.path !== undefined ? { path: ref.path } : {}),
      ...(ref.nameRegexp !== undefined ? { nameRegexp: ref.nameRegexp } : {}),
    };
    return spec.remotes.filter((r) => sameBackend(r.backend, backend) && inFind(scope, r));
  }
  return [];
}

/** Every reference of the model with the store's backend and the environments its store declares. */
export function modelReferences(spec: WorldSpec): Array<{ ref: RefSpec; backend: Backend; environments: readonly string[] }> {
  const out: Array<{ ref: RefSpec; backend: Backend; environments: readonly string[] }> = [];
  for (const space of spec.spaces)
    for (const g of space.groups)
      for (const s of g.stores)
        for (const x of s.secrets) {
          // The store's declared environment, else the planes the secret declares (its own, else its store's).
          const environments = s.environment !== undefined ? [s.environment] : declaredEnvironments(x.planes ?? s.planes, g.planes);
          for (const ref of x.refs) out.push({ ref, backend: s.backend, environments });
        }
  // A plain ESO cluster derives its declared environment (as a store's `environment`); without one, no owner.
  for (const c of spec.clusters)
    for (const ref of [...c.refs, ...(c.pushes ?? [])])
      out.push({ ref, backend: clusterBackend(c), environments: c.environment !== undefined ? [c.environment] : [] });
  return out;
}

/** What a compiler can know of the world's remote secrets. */
export interface Ownership {
  /** Ids of the remote secrets the model references or declares. */
  readonly known: ReadonlySet<string>;
  /** Ids of the remote secrets a declaration covers. */
  readonly declared: ReadonlyMap<string, EnvName>;
  /** The owners a compiler can know, by id: the declaring environment, else the derived ones (possibly none). */
  readonly owners: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Known remote secrets and their contract owners. */
export function ownership(spec: WorldSpec): Ownership {
  const derived = new Map<string, Set<string>>();
  for (const { ref, backend, environments } of modelReferences(spec))
    for (const r of refTargets(spec, ref, backend)) {
      const id = remoteIdentity(r);
      derived.set(id, new Set([...(derived.get(id) ?? []), ...environments]));
    }
  const declared = new Map<string, EnvName>();
  for (const r of spec.remotes) {
    const env = declaredOwner(spec.owns, r);
    if (env !== undefined) declared.set(remoteIdentity(r), env);
  }
  const known = new Set([...derived.keys(), ...declared.keys()]);
  const owners = new Map<string, ReadonlySet<string>>();
  for (const id of known) {
    const env = declared.get(id);
    const d = derived.get(id);
    // Referenced only by consumers without an environment: the owner is unknown, "(none)".
    owners.set(id, env !== undefined ? new Set([env]) : d && d.size === 0 ? new Set([NO_ENVIRONMENT]) : (d ?? new Set()));
  }
  return { known, declared, owners };
}
