/**
 * A fast-check generator of random multi-Space topologies ({@link WorldSpec}s) that can produce each
 * class of access the analysis must see: identities shared across Spaces (one Azure managed
 * identity, one impersonated Google service account, one GKE workload pool per project with
 * colliding host namespaces), chained AWS roles, static credentials shared by stores of several
 * environments, stores whose label selectors catch planes of other environments, namespaces a
 * plane does not declare, secrets that name another environment's remote secret, overlapping names
 * and prefixes, `find`s, ARN keys and other spellings of one remote secret (Key Vault certificates
 * named as `cert/`, `key/` or the secret of their name), role names that
 * collide across Spaces and plain ESO clusters (which declare an environment or not, and push
 * secrets, their own environment's or another's), and a backend the analysis does not know; and the
 * ways ownership is told: `Environment` `owns` declarations consistent with the world (none, by the
 * name-prefix convention, by exact names in several spellings, or both), a store's declared
 * `environment`, secrets that narrow their store's planes.
 *
 * fast-check generates raw choices (numbers, flags, small lists); {@link toWorld} maps them to a
 * topology that is valid by construction where the compiler requires it (unique names, stores
 * that reach a plane and a namespace, secrets within their store's reach), so shrinking a
 * counterexample keeps it compilable.
 */
import fc from 'fast-check';
import {
  ACCOUNTS,
  AWS_REGIONS,
  AZURE_IDENTITIES,
  CHAIN_ROLE_NAMES,
  CLUSTER_NAMES,
  ENVIRONMENTS,
  GCP_PROJECTS,
  GSAS,
  VAULTS,
  clusterBackend,
  remoteIdentity,
  roleArn,
  sameBackend,
  selects,
  smSuffix,
  vaultResourceId,
  vaultUrl,
  type Account,
  type Backend,
  type ClusterSpec,
  type EnvName,
  type GroupSpec,
  type HostSpec,
  type IdentitySpec,
  type KeyForm,
  type OptOut,
  type OwnsSpec,
  type PlaneSel,
  type PlaneSpec,
  type RefSpec,
  type RemoteSpec,
  type SecretSpec,
  type SpaceSpec,
  type StoreSpec,
  type WorldSpec,
  credentialAccount,
} from './world.js';
import { declarationsOverlap, declaredOwner, declares } from './ownership.js';

/** Names that collide when joined with '-' (Space `shop` + environment `prod` = Space `shop-prod`). */
const SPACE_NAMES = ['shop', 'shop-prod', 'eu', 'eu-platform'] as const;
const GROUP_NAMES = ['platform', 'payments', 'platform-prod'] as const;
const NAMESPACES = ['team-a', 'team-b', 'crossplane-system'] as const;
const CREDENTIAL_SECRETS = ['creds-a', 'creds-b', 'creds-c'] as const;
/** controlPlaneIds: the same id in two Spaces gives the same host namespace on two clusters. */
const PLANE_UUIDS = [1, 2, 3, 4, 5, 6].map((i) => `0c0ffee0-0000-4000-8000-00000000000${i}`);
const HOST_NAMESPACES = ['cp-shared', 'cp-team-a'] as const;
const TEAMS = ['team-a', 'team-b'] as const;
const ITEMS = ['db', 'db-admin', 'api'] as const;

// ---------------------------------------------------------------------------------------------
// Raw choices

const pick = fc.nat({ max: 50 });
const skewed = (n: number) => fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: n - 1 }) });

const rawBackend = fc.record({
  kind: fc.constantFrom('sm', 'sm', 'ps', 'kv', 'gsm', 'hv'),
  account: skewed(ACCOUNTS.length),
  region: skewed(AWS_REGIONS.length),
  vault: fc.nat({ max: VAULTS.length - 1 }),
  project: fc.nat({ max: GCP_PROJECTS.length - 1 }),
});
type RawBackend = typeof rawBackend extends fc.Arbitrary<infer T> ? T : never;

const rawRemote = fc.record({
  backend: rawBackend,
  prefix: fc.nat({ max: ENVIRONMENTS.length + 1 }), // an environment, "shared", or none
  team: fc.nat({ max: TEAMS.length - 1 }),
  item: fc.nat({ max: ITEMS.length - 1 }),
  owner: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pick }), // none: the environment of the prefix
  tags: fc.constantFrom('owner', 'owner', 'other', 'none'),
  // Key Vault: a certificate (with a key and a secret of its name).
  certificate: fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

const rawRef = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('key' as const), pick, crossOwner: fc.boolean(), form: pick, extract: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('absent' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('find' as const), pick, mode: fc.nat({ max: 3 }), env: pick }) },
);
type RawRef = typeof rawRef extends fc.Arbitrary<infer T> ? T : never;

const rawStore = fc.record({
  env: pick,
  backend: pick,
  ownCloud: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  auth: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 2, arbitrary: fc.nat({ max: CREDENTIAL_SECRETS.length - 1 }) }),
  role: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat({ max: CHAIN_ROLE_NAMES.length + 1 }) }),
  planes: fc.record({ kind: fc.constantFrom('env', 'env', 'named', 'labels'), a: pick, b: fc.option(pick, { nil: undefined }) }),
  namespaces: fc.subarray([...NAMESPACES], { minLength: 1 }),
  // The environment declared to own the store's secrets (mostly none).
  ownerEnv: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pick }),
  secrets: fc.array(
    fc.record({
      refs: fc.array(rawRef, { minLength: 1, maxLength: 3 }),
      // Planes of its own, narrowing the store's: one plane it reaches, or one environment of the store's.
      narrow: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pick }),
    }),
    { maxLength: 2 },
  ),
});
type RawStore = typeof rawStore extends fc.Arbitrary<infer T> ? T : never;

const rawPlane = fc.record({
  env: pick,
  tier: fc.option(fc.constantFrom('a' as const, 'b' as const), { nil: undefined }),
  host: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: PLANE_UUIDS.length - 1 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, -2) }),
  namespaces: fc.subarray([...NAMESPACES], { minLength: 1 }),
});

const rawGroup = fc.record({
  name: pick,
  planes: fc.array(rawPlane, { minLength: 1, maxLength: 3 }),
  stores: fc.array(rawStore, { minLength: 1, maxLength: 3 }),
});

const rawIdentity = fc.record({ kind: fc.nat({ max: 3 }), a: pick, b: pick, c: fc.boolean(), scope: fc.nat({ max: 2 }) });

const rawSpace = fc.record({
  name: pick,
  cloud: fc.constantFrom('aws', 'aws', 'azure', 'gcp'),
  identity: rawIdentity,
  gkeProject: fc.nat({ max: GCP_PROJECTS.length - 1 }),
  groups: fc.array(rawGroup, { minLength: 1, maxLength: 2 }),
});

const rawCluster = fc.record({
  env: pick,
  // Whether it declares that environment (`EsoCluster` `environment`).
  declared: fc.boolean(),
  account: skewed(ACCOUNTS.length),
  roleName: fc.nat({ max: 3 }),
  refs: fc.array(rawRef, { minLength: 1, maxLength: 2 }),
  // PushSecrets: a remote secret of the cluster's backend, mostly of its own environment.
  pushes: fc.oneof(
    { weight: 2, arbitrary: fc.constant([] as { pick: number; crossOwner: boolean }[]) },
    { weight: 1, arbitrary: fc.array(fc.record({ pick, crossOwner: fc.boolean() }), { minLength: 1, maxLength: 2 }) },
  ),
});

/** Raw choices of a topology (what fast-check generates and shrinks). */
const rawWorld = fc.record({
  envs: fc.subarray([...ENVIRONMENTS], { minLength: 2 }),
  remotes: fc.array(rawRemote, { minLength: 1, maxLength: 14 }),
  spaces: fc.array(rawSpace, { minLength: 1, maxLength: 3 }),
  clusters: fc.array(rawCluster, { maxLength: CLUSTER_NAMES.length }),
  optOut: fc.constantFrom<OptOut>('none', 'cross-environment', 'both'),
  // Ownership declarations: none; by the name-prefix convention where the world follows it; of exact
  // names (a form per remote secret, 0 = not declared); or both.
  ownership: fc.record({
    mode: fc.constantFrom('none', 'prefix', 'names', 'mixed'),
    forms: fc.array(fc.nat({ max: 3 }), { maxLength: 16 }),
  }),
});
type RawWorld = typeof rawWorld extends fc.Arbitrary<infer T> ? T : never;

/** Random topologies. */
export const worldArbitrary: fc.Arbitrary<WorldSpec> = rawWorld.map(toWorld);

// ---------------------------------------------------------------------------------------------
// Raw choices -> a consistent world

function at<T>(list: readonly T[], i: number): T {
  return list[i % list.length];
}

function backendOf(r: RawBackend): Backend {
  const account = at(ACCOUNTS, r.account);
  const region = at(AWS_REGIONS, r.region);
  if (r.kind === 'sm' || r.kind === 'ps') return { kind: r.kind, account, region };
  if (r.kind === 'kv') return { kind: 'kv', vault: r.vault };
  if (r.kind === 'gsm') return { kind: 'gsm', project: r.project };
  return { kind: 'hv' };
}

const FLAT: ReadonlySet<Backend['kind']> = new Set(['kv', 'gsm']);

function remoteName(b: Backend, prefix: string | undefined, team: string, item: string): string {
  if (FLAT.has(b.kind)) return [prefix, team, item].filter((x) => x !== undefined).join('-');
  const path = [prefix, team, item].filter((x) => x !== undefined).join('/');
  return b.kind === 'ps' ? `/${path}` : path;
}

function toRemotes(raw: RawWorld, envs: readonly EnvName[]): RemoteSpec[] {
  const out = new Map<string, RemoteSpec>();
  for (const r of raw.remotes) {
    const backend = backendOf(r.backend);
    const prefixes = [...ENVIRONMENTS, 'shared', undefined] as const;
    const prefix = prefixes[r.prefix];
    const name = remoteName(backend, prefix, at(TEAMS, r.team), at(ITEMS, r.item));
    const own = envs.includes(prefix as EnvName) ? (prefix as EnvName) : undefined;
    const owner = r.owner === undefined ? (own ?? at(envs, 0)) : at(envs, r.owner);
    const other = at(envs, envs.indexOf(owner) + 1);
    const tags: Record<string, string> = r.tags === 'owner' ? { env: owner } : r.tags === 'other' ? { env: other } : {};
    const spec: RemoteSpec = { backend, name, owner, tags, ...(backend.kind === 'kv' && r.certificate ? { certificate: true } : {}) };
    if (!out.has(remoteIdentity(spec))) out.set(remoteIdentity(spec), spec);
  }
  return [...out.values()];
}

function toIdentity(cloud: SpaceSpec['cloud'], r: RawWorld['spaces'][number]['identity']): IdentitySpec | undefined {
  if (r.kind === 0) return undefined;
  if (cloud === 'aws') {
    const account = at(ACCOUNTS, r.a % 5 === 4 ? 1 : 0);
    if (r.kind === 1) return { kind: 'aws-irsa', account };
    return {
      kind: 'aws-pod-identity',
      account,
      region: r.c,
      roleScope: at(['environment', 'group-environment', 'plane'] as const, r.scope),
    };
  }
  if (cloud === 'azure') return { kind: 'azure', identity: r.a % AZURE_IDENTITIES.length };
  if (r.kind === 1) return { kind: 'gcp-principal', project: r.a % GCP_PROJECTS.length };
  return { kind: 'gcp-impersonation', project: r.a % GCP_PROJECTS.length, gsa: r.b % GSAS.length };
}

/** Key forms that exist for a remote secret (a Key Vault certificate also as `cert/` and `key/`). */
function formsOf(r: RemoteSpec): KeyForm[] {
  const b = r.backend;
  if (b.kind === 'sm') return ['name', 'arn'];
  if (b.kind === 'ps') return ['name', 'noslash', 'arn'];
  if (b.kind === 'kv')
    return r.certificate
      ? ['name', 'cert', 'prefixed', 'key', 'cert-upper', 'upper', 'prefixed-upper']
      : ['name', 'prefixed', 'upper', 'prefixed-upper'];
  return ['name'];
}

/** The account an AWS Space identity's roles are in. */
function identityAccount(id: IdentitySpec | undefined): Account | undefined {
  return id && (id.kind === 'aws-irsa' || id.kind === 'aws-pod-identity') ? id.account : undefined;
}

/** Which cloud a backend belongs to, for workload identity (HashiCorp Vault: none). */
function cloudOf(b: Backend): SpaceSpec['cloud'] | undefined {
  return b.kind === 'sm' || b.kind === 'ps' ? 'aws' : b.kind === 'kv' ? 'azure' : b.kind === 'gsm' ? 'gcp' : undefined;
}

const DEFAULT_BACKEND: Record<SpaceSpec['cloud'], Backend> = {
  aws: { kind: 'sm', account: ACCOUNTS[0], region: AWS_REGIONS[0] },
  azure: { kind: 'kv', vault: 0 },
  gcp: { kind: 'gsm', project: 0 },
};

interface Context {
  readonly envs: readonly EnvName[];
  readonly remotes: readonly RemoteSpec[];
  readonly spaceNames: readonly string[];
}

function toRefs(raw: readonly RawRef[], store: { env: EnvName; backend: Backend }, ctx: Context): RefSpec[] {
  const inBackend = ctx.remotes.map((r, i) => ({ r, i })).filter(({ r }) => sameBackend(r.backend, store.backend));
  return raw.map((ref): RefSpec => {
    if (ref.kind === 'key' && inBackend.length > 0) {
      const own = inBackend.filter(({ r }) => r.owner === store.env);
      const from = own.length > 0 && !ref.crossOwner ? own : inBackend;
      const { r, i } = at(from, ref.pick);
      return { kind: 'key', remote: i, form: at(formsOf(r), ref.form), extract: ref.extract };
    }
    if (ref.kind === 'find' && store.backend.kind !== 'hv') return toFind(ref, store, inBackend, ctx);
    const b = store.backend;
    return { kind: 'absent', name: remoteName(b, store.env, 'team-a', 'missing') };
  });
}

function toFind(
  ref: Extract<RawRef, { kind: 'find' }>,
  store: { env: EnvName; backend: Backend },
  inBackend: readonly { r: RemoteSpec }[],
  ctx: Context,
): RefSpec {
  const env = at(ctx.envs, ref.env);
  const flat = FLAT.has(store.backend.kind);
  // A prefix from the names of the backend: a first segment (`prod/`), a whole name (a prefix of
  // `…/db-admin` when it is `…/db`), or nothing.
  const names = inBackend.map(({ r }) => r.name.replace(/^\//, ''));
  const base = names.length > 0 ? at(names, ref.pick) : `${env}/team-a/db`;
  const sep = flat ? '-' : '/';
  const prefixes = [`${base.split(sep)[0]}${sep}`, base, ''];
  const prefix = at(prefixes, ref.pick + ref.mode);
  if (ref.mode === 0 && !flat) return { kind: 'find', path: prefix, nameRegexp: '.*' };
  if (ref.mode === 1 && !flat) return { kind: 'find', path: prefix, tags: { env } };
  if (ref.mode === 3 || prefix === '') return { kind: 'find', tags: { env } };
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { kind: 'find', nameRegexp: `^${store.backend.kind === 'ps' ? '/' : ''}${escaped}` };
}

function toStore(
  raw: RawStore,
  i: number,
  space: { name: string; cloud: SpaceSpec['cloud']; identity?: IdentitySpec },
  group: { name: string; planes: readonly PlaneSpec[] },
  ctx: Context,
): StoreSpec {
  const name = `s${i + 1}`;
  // Auth: the Space's workload identity, or a credentials Secret of the group.
  const identity = raw.auth < 0 && space.identity !== undefined;
  // Backend: one the remote secrets use (of the Space's cloud for workload identity), else a default.
  const candidates = [...new Map(ctx.remotes.map((r) => [JSON.stringify(r.backend), r.backend])).values()].filter((b) =>
    identity || raw.ownCloud ? cloudOf(b) === space.cloud : true,
  );
  const any = [...new Map(ctx.remotes.map((r) => [JSON.stringify(r.backend), r.backend])).values()];
  const from = candidates.length > 0 ? candidates : identity ? [DEFAULT_BACKEND[space.cloud]] : any;
  let backend = at(from, raw.backend);
  // A credentials Secret of the group; for AWS, preferably one whose keys are of the account the
  // picked backend is in (else its references name secrets that do not exist).
  const k = Math.max(0, raw.auth) % CREDENTIAL_SECRETS.length;
  const names = [...CREDENTIAL_SECRETS.slice(k), ...CREDENTIAL_SECRETS.slice(0, k)];
  const b0 = backend;
  const secretName =
    (b0.kind === 'sm' || b0.kind === 'ps') && !identity
      ? (names.find((n) => credentialAccount(space.name, group.name, n) === b0.account) ?? at(names, 0))
      : at(names, 0);
  let accountId: Account | undefined;
  let role: string | undefined;
  if (backend.kind === 'sm' || backend.kind === 'ps') {
    const own = identityAccount(space.identity) ?? ACCOUNTS[0];
    const roles = [
      ...CHAIN_ROLE_NAMES.map((n) => roleArn(own, n)),
      roleArn(own, `${at(ctx.spaceNames, raw.env)}-${at(ctx.envs, raw.env)}-shared-secrets`),
      roleArn(ACCOUNTS[1], CHAIN_ROLE_NAMES[0]),
    ];
    role = raw.role === undefined ? undefined : at(roles, raw.role);
    // The account the store reads: its role's, its credentials', or its identity's.
    const reads = role
      ? (role.split(':')[4] as Account)
      : identity
        ? backend.account
        : credentialAccount(space.name, group.name, secretName);
    backend = { ...backend, account: reads };
    if (reads !== own || !identity) accountId = reads;
  }
  const planes = toPlaneSel(raw.planes, group.planes, ctx);
  const env = planes.kind === 'env' ? planes.envs[0] : at(ctx.envs, raw.env);
  const reached = group.planes.filter((p) => selects(planes, p));
  // At least one namespace the store may use must be declared in a plane it reaches.
  const declared = new Set(reached.flatMap((p) => p.namespaces));
  const namespaces = raw.namespaces.some((n) => declared.has(n))
    ? raw.namespaces
    : [...raw.namespaces, reached[0]?.namespaces[0] ?? 'team-a'];
  // The planes where the store reaches a namespace: a secret narrowed to one of them reaches one too.
  const usable = reached.filter((p) => p.namespaces.some((n) => namespaces.includes(n)));
  const secrets: SecretSpec[] = raw.secrets.map((x, j) => ({
    name: `${name}-x${j + 1}`,
    refs: toRefs(x.refs, { env, backend }, ctx),
    ...(x.narrow !== undefined ? { planes: narrowed(planes, usable, x.narrow) } : {}),
  }));
  return {
    name,
    env,
    backend,
    auth: identity ? { kind: 'identity' } : { kind: 'static', secretName },
    ...(role ? { role } : {}),
    ...(accountId ? { accountId } : {}),
    planes,
    ...(raw.ownerEnv !== undefined ? { environment: at(ctx.envs, raw.ownerEnv) } : {}),
    namespaces: [...new Set(namespaces)].sort(),
    secrets,
  };
}

/** A secret's own planes within its store's: one environment of a store that selects by environment, else one plane; of planes where the store reaches a namespace. */
function narrowed(store: PlaneSel, usable: readonly PlaneSpec[], i: number): PlaneSel {
  if (store.kind === 'env') return { kind: 'env', envs: [at([...new Set(usable.map((p) => p.env))], i)] };
  return { kind: 'named', planes: [at(usable, i).name] };
}

function toPlaneSel(raw: RawStore['planes'], planes: readonly PlaneSpec[], ctx: Context): PlaneSel {
  const first = at(planes, raw.a);
  let sel: PlaneSel;
  if (raw.kind === 'env') {
    const envs = [first.env, ...(raw.b !== undefined ? [at(ctx.envs, raw.b)] : [])];
    sel = { kind: 'env', envs: [...new Set(envs)] };
  } else if (raw.kind === 'named') {
    sel = {
      kind: 'named',
      planes: [first.name, ...(raw.b !== undefined ? [at(planes, raw.b).name] : [])].filter((x, i, a) => a.indexOf(x) === i),
    };
  } else {
    // By a tier label: catches the planes of every environment with that tier.
    sel = first.tier ? { kind: 'labels', matchLabels: { tier: first.tier } } : { kind: 'labels', matchLabels: { environment: first.env } };
  }
  return planes.some((p) => selects(sel, p)) ? sel : { kind: 'named', planes: [first.name] };
}

function toPlanes(
  raw: RawWorld['spaces'][number]['groups'][number]['planes'],
  envs: readonly EnvName[],
  hosts: Set<string>,
  where: string,
): PlaneSpec[] {
  return raw.map((p, i) => {
    const name = `p${i + 1}`;
    let host: HostSpec =
      p.host >= 0 ? { kind: 'id', uuid: at(PLANE_UUIDS, p.host) } : { kind: 'ns', name: at(HOST_NAMESPACES, -p.host - 1) };
    const text = host.kind === 'id' ? host.uuid : host.name;
    // Host namespaces are unique on a cluster: a repeat within the Space gets its own id.
    if (hosts.has(text)) {
      const n = [...`${where}/${name}`].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 0xffffff, 7);
      host = { kind: 'id', uuid: `0c0ffee1-0000-4000-8000-${n.toString(16).padStart(12, '0')}` };
    }
    hosts.add(host.kind === 'id' ? host.uuid : host.name);
    return { name, env: at(envs, p.env), ...(p.tier ? { tier: p.tier } : {}), host, namespaces: [...p.namespaces].sort() };
  });
}

function toCluster(raw: RawWorld['clusters'][number], i: number, ctx: Context, spaces: readonly SpaceSpec[]): ClusterSpec {
  const env = at(ctx.envs, raw.env);
  const account = at(ACCOUNTS, raw.account);
  const first = spaces[0];
  // A role name of a Space's generated role (IRSA: `<space>-shared-secrets`; Pod Identity: `<space>-<env>-shared-secrets`).
  const names = [
    undefined,
    first ? `${first.name}-shared-secrets` : undefined,
    first ? `${first.name}-${env}-shared-secrets` : undefined,
    `${at(CLUSTER_NAMES, i)}-eso`,
  ];
  const roleName = at(names, raw.roleName);
  const backend = clusterBackend({ account });
  // Pushes write remote secrets that exist (by name), of its own environment unless crossOwner.
  const inBackend = ctx.remotes.map((r, j) => ({ r, j })).filter(({ r }) => sameBackend(r.backend, backend));
  const pushes = raw.pushes.flatMap((p) => {
    const own = inBackend.filter(({ r }) => r.owner === env);
    const from = own.length > 0 && !p.crossOwner ? own : inBackend;
    return from.length > 0 ? [{ kind: 'key' as const, remote: at(from, p.pick).j, form: 'name' as const, extract: false }] : [];
  });
  return {
    name: at(CLUSTER_NAMES, i),
    env,
    ...(raw.declared ? { environment: env } : {}),
    account,
    ...(roleName ? { roleName } : {}),
    refs: toRefs(raw.refs, { env, backend }, ctx),
    ...(pushes.length > 0 ? { pushes: pushes.filter((p, k) => pushes.findIndex((q) => q.remote === p.remote) === k) } : {}),
  };
}

/** Maps raw choices to a topology. */
function toWorld(raw: RawWorld): WorldSpec {
  const envs = ENVIRONMENTS.filter((e) => raw.envs.includes(e));
  const remotes = toRemotes(raw, envs);
  const usedSpaces = new Set<string>();
  const named = raw.spaces.flatMap((s) => {
    const name = at(SPACE_NAMES, s.name);
    if (usedSpaces.has(name)) return [];
    usedSpaces.add(name);
    return [{ raw: s, name }];
  });
  // Every cloud a Space runs on has remote secrets of each environment (else its stores read nothing).
  for (const cloud of new Set(named.map((s) => s.raw.cloud))) {
    if (remotes.some((r) => cloudOf(r.backend) === cloud)) continue;
    const backend = DEFAULT_BACKEND[cloud];
    for (const env of envs) remotes.push({ backend, name: remoteName(backend, env, 'team-a', 'db'), owner: env, tags: { env } });
  }
  const ctx: Context = { envs, remotes, spaceNames: named.map((s) => s.name) };
  const spaces: SpaceSpec[] = named.map(({ raw: s, name }) => {
    const cloud = s.cloud;
    const identity = toIdentity(cloud, s.identity);
    const hosts = new Set<string>();
    const usedGroups = new Set<string>();
    const groups: GroupSpec[] = s.groups.flatMap((g) => {
      const gname = at(GROUP_NAMES, g.name);
      if (usedGroups.has(gname)) return [];
      usedGroups.add(gname);
      const planes = toPlanes(g.planes, envs, hosts, `${name}/${gname}`);
      const stores = g.stores.map((st, i) =>
        toStore(st, i, { name, cloud, ...(identity ? { identity } : {}) }, { name: gname, planes }, ctx),
      );
      return [{ name: gname, planes, stores }];
    });
    return {
      name,
      cloud,
      ...(identity ? { identity } : {}),
      ...(cloud === 'gcp' && !identity ? { gkeProject: s.gkeProject } : {}),
      groups,
    };
  });
  const clusters = raw.clusters.map((c, i) => toCluster(c, i, ctx, spaces));
  const owns = toOwns(raw.ownership, remotes, envs);
  return { envs, remotes, owns, spaces, clusters, optOut: raw.optOut };
}

/** The declaration of one environment's prefix on one kind of backend (`prod/`, `/prod/`, `prod-`). */
function prefixDeclaration(kind: Backend['kind'], env: EnvName): OwnsSpec | undefined {
  if (kind === 'sm') return { kind, env, prefixes: [`${env}/`] };
  if (kind === 'ps') return { kind, env, paths: [`/${env}/`] };
  if (kind === 'kv') return { kind, env, names: [`${env}-`] };
  if (kind === 'gsm') return { kind, env, secretIds: [`${env}-`] };
  return undefined;
}

/** A declaration of one remote secret in one of a few spellings (some cover more: a vault, a project, a name prefix). */
function nameDeclaration(r: RemoteSpec, form: number): OwnsSpec | undefined {
  const b = r.backend;
  const env = r.owner;
  switch (b.kind) {
    case 'sm': {
      const arn = `arn:aws:secretsmanager:${b.region}:${b.account}:secret:${r.name}`;
      if (form === 1) return { kind: 'sm', env, names: [r.name], account: b.account, region: b.region };
      return { kind: 'sm', env, arns: [form === 2 ? `${arn}-${smSuffix(b, r.name)}` : arn] };
    }
    case 'ps':
      return { kind: 'ps', env, paths: [form === 1 ? r.name : r.name.replace(/^\/+/, '')], account: b.account, region: b.region };
    case 'kv':
      // Object names are case-insensitive; a vault is named by its URL or its resource id.
      return form === 1
        ? { kind: 'kv', env, names: [r.name.toUpperCase()] }
        : { kind: 'kv', env, vaults: [form === 2 ? vaultUrl(b.vault) : vaultResourceId(b.vault)] };
    case 'gsm': {
      const p = GCP_PROJECTS[b.project];
      return form === 1 ? { kind: 'gsm', env, secretIds: [r.name] } : { kind: 'gsm', env, projects: [form === 2 ? p.id : p.number] };
    }
    case 'hv':
      return undefined;
  }
}

/**
 * Ownership declarations consistent with the world: a candidate is kept only when every remote
 * secret it covers is its environment's and it shares no name with a kept declaration of another
 * environment (one name, one owner, also for secrets to come).
 */
function toOwns(raw: RawWorld['ownership'], remotes: readonly RemoteSpec[], envs: readonly EnvName[]): OwnsSpec[] {
  const candidates: OwnsSpec[] = [];
  if (raw.mode === 'prefix' || raw.mode === 'mixed') {
    const kinds = [...new Set(remotes.map((r) => r.backend.kind))].sort();
    for (const env of envs) for (const kind of kinds) candidates.push(...[prefixDeclaration(kind, env)].filter((x) => x !== undefined));
  }
  if (raw.mode === 'names' || raw.mode === 'mixed')
    remotes.forEach((r, i) => {
      const form = raw.forms.length > 0 ? at(raw.forms, i) : 1;
      const d = form > 0 ? nameDeclaration(r, form) : undefined;
      if (d) candidates.push(d);
    });
  const kept: OwnsSpec[] = [];
  for (const c of candidates) {
    if (remotes.some((r) => declares(c, r) && r.owner !== c.env)) continue;
    if (kept.some((k) => k.env !== c.env && declarationsOverlap(k, c))) continue;
    // A declaration that adds nothing is left out, unless it covers no remote secret (a scope for secrets to come).
    const covered = remotes.filter((r) => declares(c, r));
    if (covered.length === 0 || covered.some((r) => declaredOwner(kept, r) === undefined)) kept.push(c);
  }
  return kept;
}
