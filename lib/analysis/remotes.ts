/**
 * The remote secrets of a topology and who owns them. Every secret object (a `SharedSecret`, a
 * plain-ESO `ExternalSecret` or `PushSecret`) references remote secrets by key or by find; each
 * reference is resolved by its store's backend access model into a {@link RemoteResource}, so that
 * two references to one resource are one resource however they are written. Ownership is by intent:
 * an `Environment`'s `owns` declarations first; else the environments of the planes the
 * referencing stores declare, joined over every reference that can denote the same resource.
 */
import type { Construct } from 'constructs';
import {
  PROBE,
  patternContains,
  patternCovers,
  resourcesOverlap,
  type AccessModelContext,
  type BackendAccessModel,
  type NamePattern,
  type NameSpace,
  type RemoteResource,
} from '../backends/backend.js';
import type { Problem } from '../model/errors.js';
import { AwsIdentity, GcpIdentity, type SpaceIdentity } from '../model/space-identity.js';
import { Environment } from '../model/environment.js';
import type { Cloud } from '../model/space.js';
import { SharedSecret, type DataFromSource } from '../secrets/shared-secret.js';
import { AwsParameterStore, AwsSecretsManager } from '../stores/aws.js';
import { AzureKeyVault } from '../stores/azure.js';
import { GcpSecretManager } from '../stores/gcp.js';
import type { SecretStoreProvider } from '../stores/provider.js';
import { SecretStore } from '../stores/secret-store.js';
import { EsoCluster, type EsoSecretStore } from '../eso/cluster.js';
import type { Placement } from '../resolve/placement.js';
import { quoteValue } from '../private/terminal.js';

/** Environment name of planes (and owners) without an environment. */
export const NO_ENVIRONMENT = '(none)';

/** The store a remote secret is read through (a declared scope has none: its declaring environment stands in). */
export interface StoreRef {
  readonly path: string;
  readonly name: string;
  readonly construct?: SecretStore | EsoSecretStore;
}

/** One remote secret referenced by one secret object, or a scope an environment declares it owns. */
export interface RemoteItem {
  /**
   * True for a scope an `Environment.owns` declaration names (no secret object references it): a
   * plane that can read into it can read secrets the environment owns that the model never names.
   */
  readonly declaredScope?: true;
  /** Construct path, name and target Secret name of the secret object. */
  readonly secret: { readonly path: string; readonly name: string; readonly target: string; readonly construct?: SharedSecret };
  readonly store: StoreRef;
  readonly cloud: Cloud;
  readonly resource: RemoteResource;
  /** Environments of the planes its store declares (or the store's declared environment). */
  readonly derived: ReadonlySet<string>;
}

/** The remote secrets of a topology with their owners. */
export interface Remotes {
  readonly items: readonly RemoteItem[];
  /** Owner environments of each item, sorted. */
  readonly owners: ReadonlyMap<RemoteItem, readonly string[]>;
  /** Whether each owner came from a declaration. */
  readonly declared: ReadonlyMap<RemoteItem, boolean>;
  /**
   * Items an owner shares (`SecretOwnership.sharedWith`): owner → the environments that may read it
   * (`*`: every one). An owner shares an item when each of its declarations covering it is shared.
   */
  readonly shared: ReadonlyMap<RemoteItem, ReadonlyMap<string, readonly string[]>>;
  /** Items by secret object (construct path), in reference order. */
  readonly bySecret: ReadonlyMap<string, readonly RemoteItem[]>;
  /** Environments flagged production. */
  readonly production: ReadonlySet<string>;
  readonly problems: readonly Problem[];
}

/** The access-model context of an owner (a Space's or a cluster's identity), shared lookups included. */
export interface ModelContexts {
  readonly of: (identity: SpaceIdentity | undefined) => AccessModelContext;
  /** Concrete values the topology names, that stand for a `*` of a declared scope when grants are matched. */
  readonly known: {
    readonly awsPartitions: readonly string[];
    readonly awsRegions: readonly string[];
    readonly awsAccounts: readonly string[];
    /** Key Vaults by lower-case name: how IAM scopes name them (resource id when known, else URL). */
    readonly vaults: ReadonlyMap<string, string>;
    /** GCP projects: every id and number the topology names. */
    readonly gcpProjects: readonly string[];
  };
  /**
   * What the contexts cannot decide: a GCP project named only by number and another only by id, with
   * nothing in the model pairing them (they may be one project).
   */
  readonly problems: readonly Problem[];
}

/** Builds the access-model contexts: AWS accounts and partitions from identities, GCP projects canonical by number. */
export function modelContexts(root: Construct): ModelContexts {
  const numbers = new Map<string, string>();
  const accounts = new Set<string>();
  const partitions = new Set<string>(['aws']);
  const regions = new Set<string>();
  const vaults = new Map<string, string>();
  const projects = new Set<string>();
  /** Every GCP project name the model uses, with the first construct that names it. */
  const named = new Map<string, string>();
  const name = (x: unknown, path: string): void => {
    if (typeof x === 'string' && x !== '' && !named.has(x)) named.set(x, path);
  };
  const note = (id: string | undefined, num: string | undefined): void => {
    if (typeof id === 'string' && typeof num === 'string' && id !== '' && num !== '') numbers.set(id, num);
  };
  for (const c of root.node.findAll()) {
    const id = (c as { identity?: unknown }).identity;
    if (id instanceof GcpIdentity) note(id.projectId, id.projectNumber);
    if (c instanceof Environment)
      for (const o of c.owns ?? []) {
        if (!o || typeof (o as { patterns?: unknown }).patterns !== 'function') continue;
        // The projects a declaration names are those it asks the context to canonicalise.
        o.patterns({ gcpProject: (x) => (name(x, c.node.path), x) });
      }
    if (id instanceof AwsIdentity && typeof id.accountId === 'string') accounts.add(id.accountId);
    if (id instanceof AwsIdentity && typeof id.partition === 'string') partitions.add(id.partition);
    const p = (c as { provider?: unknown }).provider;
    if (p instanceof GcpSecretManager) {
      note(p.projectId, p.projectNumber);
      for (const x of [p.projectId, p.projectNumber]) if (typeof x === 'string') projects.add(x);
      name(p.projectNumber ?? p.projectId, c.node.path);
    }
    if (p instanceof AwsSecretsManager || p instanceof AwsParameterStore) {
      if (typeof p.accountId === 'string') accounts.add(p.accountId);
      if (typeof p.region === 'string') regions.add(p.region);
    }
    if (p instanceof AzureKeyVault && typeof p.vaultUrl === 'string')
      vaults.set(p.vaultName.toLowerCase(), (p.resourceId ?? p.vaultUrl).replace(/\/+$/, ''));
  }
  const gcpProject = (x: string): string => numbers.get(x) ?? x;
  const awsAccounts = [...accounts].sort();
  const paired = new Set(numbers.values());
  const lone = [...named].filter(([x]) => !numbers.has(x) && !paired.has(x));
  const loneNumbers = lone.filter(([x]) => /^\d+$/.test(x));
  const problems: Problem[] = lone
    .filter(([x]) => !/^\d+$/.test(x))
    .filter(() => loneNumbers.length > 0)
    .map(([x, path]) => ({
      path,
      message: `GCP project ${quoteValue(x)} is named only by its id, and ${loneNumbers.map(([n, at]) => `project ${quoteValue(n)} only by its number (${at})`).join(', ')}; nothing in the model pairs them, so the access analysis cannot tell whether they are one project (IAM names projects by number, stores by id). Fix: give the store of ${quoteValue(x)} its projectNumber (gcloud projects describe ${x} --format='value(projectNumber)'), or declare ownership by project id instead of number.`,
    }));
  return {
    of: (identity) =>
      identity instanceof AwsIdentity
        ? { awsAccountId: identity.accountId, awsPartition: identity.partition, awsAccounts, gcpProject }
        : { awsAccounts, gcpProject },
    known: {
      awsPartitions: [...partitions].sort(),
      awsRegions: [...regions].sort(),
      awsAccounts: [...new Set([...awsAccounts, '000000000000'])].sort(),
      vaults,
      gcpProjects: [...projects].sort(),
    },
    problems,
  };
}

/** The access model of a store's provider, or a problem when the provider has none. */
export function accessModelOf(
  provider: SecretStoreProvider | undefined,
  ctx: AccessModelContext,
  path: string,
): { model?: BackendAccessModel; problem?: Problem } {
  if (!provider) return {};
  const fn = (provider as { accessModel?: unknown }).accessModel;
  if (typeof fn !== 'function') {
    const what =
      typeof (provider as { describe?: unknown }).describe === 'function'
        ? provider.describe()
        : String(provider.constructor?.name ?? 'provider');
    return {
      problem: {
        path,
        message: `the store's provider (${what}) has no access model, so the access analysis cannot tell who can read its secrets: give the provider an accessModel() (see lib/backends/) or use one of AwsSecretsManager, AwsParameterStore, AzureKeyVault, GcpSecretManager.`,
      },
    };
  }
  try {
    return { model: provider.accessModel(ctx) };
  } catch (e) {
    return {
      problem: {
        path,
        message: `the store's provider failed to describe its access model (${e instanceof Error ? e.message : 'unknown error'}): check the provider's props.`,
      },
    };
  }
}

/** Resolves every key and find of a secret object with its backend. */
function resolveRefs(model: BackendAccessModel, keys: readonly unknown[], dataFrom: readonly DataFromSource[]): RemoteResource[] {
  const out: RemoteResource[] = [];
  const seen = new Set<string>();
  const add = (r: RemoteResource): void => {
    const k = `${r.kind}\u0000${r.ref}`;
    if (!seen.has(k)) out.push(r);
    seen.add(k);
  };
  for (const k of keys) if (typeof k === 'string' && k !== '') add(model.resolveKey(k));
  for (const src of dataFrom ?? []) {
    if (!src || typeof src !== 'object') continue;
    if ('extract' in src && typeof src.extract?.key === 'string' && src.extract.key !== '') add(model.resolveKey(src.extract.key));
    if ('find' in src && src.find && typeof src.find === 'object') add(model.resolveFind(src.find));
  }
  return out;
}

/**
 * The environments a secret's remote secrets belong to when no declaration covers them: the store's
 * declared environment; else the environments of the planes the secret declares (its own `planes`
 * when it narrows the store's, else the store's): by environment, or those of the planes the
 * selection names or matches.
 */
function declaredEnvironments(secret: SharedSecret, store: SecretStore, placement: Placement): Set<string> {
  if (store.environment instanceof Environment) return new Set([store.environment.name]);
  const own = secret.narrowsPlanes;
  const declared = (own ? secret.planes : store.planes)?.environments ?? [];
  if (declared.length > 0) return new Set(declared.map((e) => e.name));
  const reach = own ? placement.ofSecret(secret) : placement.ofStore(store);
  return new Set(reach.map((r) => r.plane.environment?.name ?? NO_ENVIRONMENT));
}

/** Every remote secret of the topology, resolved, with its owners. */
export function collectRemotes(root: Construct, placement: Placement, contexts: ModelContexts): Remotes {
  const items: RemoteItem[] = [];
  const problems: Problem[] = [];
  const bySecret = new Map<string, RemoteItem[]>();
  const push = (item: RemoteItem): void => {
    items.push(item);
    const list = bySecret.get(item.secret.path);
    if (list) list.push(item);
    else bySecret.set(item.secret.path, [item]);
  };
  const models = new Map<object, BackendAccessModel | undefined>();
  const modelOf = (storeConstruct: SecretStore | EsoSecretStore, identity: SpaceIdentity | undefined): BackendAccessModel | undefined => {
    if (models.has(storeConstruct)) return models.get(storeConstruct);
    const { model, problem } = accessModelOf(storeConstruct.provider, contexts.of(identity), storeConstruct.node.path);
    if (problem) problems.push(problem);
    models.set(storeConstruct, model);
    return model;
  };

  for (const secret of SharedSecret.all(root)) {
    const store = secret.store;
    if (!(store instanceof SecretStore) || !store.provider) continue;
    const model = modelOf(store, store.group.space.identity);
    if (!model) continue;
    const derived = declaredEnvironments(secret, store, placement);
    const ref: StoreRef = { path: store.node.path, name: store.name, construct: store };
    const keys = (secret.data ?? []).map((d) => d?.remoteKey);
    for (const resource of resolveRefs(model, keys, secret.dataFrom ?? []))
      push({
        secret: { path: secret.node.path, name: secret.name, target: secret.targetName, construct: secret },
        store: ref,
        cloud: model.cloud,
        resource,
        derived,
      });
  }
  for (const cluster of EsoCluster.all(root)) {
    // A cluster's references say whose secrets they are only when it declares its environment; an
    // environment-less consumer is still a reader (the principal graph) but derives no owner.
    const derived = new Set<string>(cluster.environment instanceof Environment ? [cluster.environment.name] : []);
    for (const s of [...cluster.externalSecrets, ...cluster.pushSecrets]) {
      const store = s.store;
      if (!store?.provider) continue;
      const model = modelOf(store, cluster.identity);
      if (!model) continue;
      const ref: StoreRef = { path: store.node.path, name: store.name, construct: store };
      const isPush = 'secretName' in s;
      const keys = (s.data ?? []).map((d) => d?.remoteKey);
      const dataFrom = isPush ? [] : ((s as { dataFrom?: readonly DataFromSource[] }).dataFrom ?? []);
      const target = isPush ? (s as { secretName: string }).secretName : ((s as { target?: { name?: string } }).target?.name ?? s.name);
      for (const resource of resolveRefs(model, keys, dataFrom))
        push({ secret: { path: s.node.path, name: s.name, target }, store: ref, cloud: model.cloud, resource, derived });
    }
  }

  for (const env of Environment.all(root)) for (const item of declaredScopes(env, contexts)) items.push(item);
  const { owners, declared, shared, problems: ownershipProblems } = assignOwners(root, items, contexts);
  const production = new Set(
    Environment.all(root)
      .filter((e) => e.production === true)
      .map((e) => e.name),
  );
  return { items, owners, declared, shared, bySecret, production, problems: [...contexts.problems, ...problems, ...ownershipProblems] };
}

/**
 * Owners of each item: the environments whose declarations cover it; else the derived environments
 * of every item that can denote the same resource (a name and an ARN of one secret, a key inside a
 * find, overlapping finds).
 */
function assignOwners(
  root: Construct,
  items: readonly RemoteItem[],
  contexts: ModelContexts,
): {
  owners: Map<RemoteItem, string[]>;
  declared: Map<RemoteItem, boolean>;
  shared: Map<RemoteItem, Map<string, string[]>>;
  problems: Problem[];
} {
  const declarations: Array<{ env: Environment; patterns: NamePattern[]; description: string; sharing?: readonly string[] }> = [];
  const ctx = contexts.of(undefined);
  for (const env of Environment.all(root)) {
    for (const o of env.owns ?? []) {
      if (!o || typeof (o as { patterns?: unknown }).patterns !== 'function') continue;
      declarations.push({ env, patterns: o.patterns(ctx), description: o.description, ...(o.sharing ? { sharing: o.sharing } : {}) });
    }
  }
  const owners = new Map<RemoteItem, string[]>();
  const declared = new Map<RemoteItem, boolean>();
  const problems: Problem[] = [];
  const overlapping = overlapIndex(items);
  const reported = new Set<string>();
  const claimsOf = new Map(
    items.map((item) => [item, declarations.filter((d) => d.patterns.some((p) => patternCovers(p, item.resource)))] as const),
  );
  /** A key a declaration covers, or a declared scope, is its declarations' alone: what stores reach it by says nothing more. */
  const declaredAlone = (item: RemoteItem): boolean =>
    (item.declaredScope === true || item.resource.kind === 'key') && (claimsOf.get(item)?.length ?? 0) > 0;
  const shared = sharedItems(items, claimsOf, problems);
  for (const item of items) {
    const claims = claimsOf.get(item) ?? [];
    // A key or a declared scope covered by declarations belongs to the declaring environments; a
    // find to every environment whose declaration it overlaps and, unless a declaration holds its
    // whole scope, to the environments of the stores that reach into it and the owners derived for
    // what else its scope holds.
    if (claims.length > 0 && item.resource.kind === 'find' && !item.declaredScope) {
      const envs = new Set<string>(claims.map((c) => c.env.name));
      if (!claims.some((c) => c.patterns.some((p) => patternContains(p, item.resource)))) {
        for (const e of ownDerived(item)) envs.add(e);
        for (const other of overlapping(item)) if (!declaredAlone(other)) for (const e of other.derived) envs.add(e);
      }
      owners.set(item, [...envs].sort());
      declared.set(item, true);
      continue;
    }
    if (claims.length > 0) {
      const envs = [...new Set(claims.map((c) => c.env.name))].sort();
      owners.set(item, envs);
      declared.set(item, true);
      // Overlapping declared scopes (a vault and a name prefix) may share names no secret has yet: both own them.
      if (envs.length > 1 && item.resource.kind === 'key') {
        const key = `${item.secret.path}\u0000${item.resource.ref}`;
        if (!reported.has(key)) {
          reported.add(key);
          problems.push({
            path: item.secret.path,
            message: `remote secret ${quoteValue(item.resource.ref, 300)} is declared by ${envs.length} environments (${claims.map((c) => `${c.env.name}: ${c.description}`).join('; ')}): a secret has one owner; narrow the "owns" declarations so that one environment claims it.`,
          });
        }
      }
      continue;
    }
    const envs = new Set<string>(ownDerived(item));
    for (const other of overlapping(item)) for (const e of other.derived) envs.add(e);
    // Only consumers without an environment reference it: its owner is unknown, "(none)".
    owners.set(item, envs.size > 0 ? [...envs].sort() : [NO_ENVIRONMENT]);
    declared.set(item, false);
  }
  return { owners, declared, shared, problems };
}

/**
 * Which owners share each item (every one of their declarations covering it is shared), and the
 * conflicts: a non-production environment sharing what a production environment's declaration
 * also covers (it cannot give away a production secret).
 */
function sharedItems(
  items: readonly RemoteItem[],
  claimsOf: ReadonlyMap<RemoteItem, ReadonlyArray<{ env: Environment; description: string; sharing?: readonly string[] }>>,
  problems: Problem[],
): Map<RemoteItem, Map<string, string[]>> {
  const shared = new Map<RemoteItem, Map<string, string[]>>();
  const reported = new Set<string>();
  for (const item of items) {
    const claims = claimsOf.get(item) ?? [];
    if (!claims.some((c) => c.sharing)) continue;
    const byEnv = new Map<string, Array<(typeof claims)[number]>>();
    for (const c of claims) byEnv.set(c.env.name, [...(byEnv.get(c.env.name) ?? []), c]);
    const m = new Map<string, string[]>();
    for (const [env, cs] of byEnv) {
      if (!cs.every((c) => c.sharing)) continue;
      const all = cs.flatMap((c) => c.sharing ?? []);
      m.set(env, all.includes('*') ? ['*'] : [...new Set(all)].sort());
    }
    if (m.size > 0) shared.set(item, m);
    for (const c of claims) {
      if (!c.sharing || c.env.production === true) continue;
      for (const other of claims) {
        if (other.env === c.env || other.env.production !== true) continue;
        const key = `${c.env.node.path}\u0000${c.description}\u0000${other.env.node.path}\u0000${other.description}`;
        if (reported.has(key)) continue;
        reported.add(key);
        problems.push({
          path: c.env.node.path,
          message: `environment "${c.env.name}" shares ${c.description}, but production environment "${other.env.name}" owns ${other.description}, and they overlap (e.g. ${quoteValue(item.resource.ref, 300)}): a non-production environment cannot share a production environment's secrets. Fix: let "${other.env.name}" share them (its own declaration with .sharedWith(...)), or narrow "${c.env.name}"'s declaration so that it does not cover them.`,
        });
      }
    }
  }
  return shared;
}

/** Finds, for an item, every item that can denote a resource it denotes (itself included). Keys are indexed by name. */
/**
 * The owners a reference itself gives: the environments its store declares. A find whose consumers
 * declare none (a plain ESO cluster without an environment) may hold secrets no other reference
 * names, whose owner is unknown: "(none)" among its owners, whatever overlapping references add
 * (their scopes are not known to hold all of it: a find's regexp and tags are not compared).
 */
function ownDerived(item: RemoteItem): ReadonlySet<string> {
  return item.derived.size === 0 && item.resource.kind === 'find' ? new Set([NO_ENVIRONMENT]) : item.derived;
}

function overlapIndex(items: readonly RemoteItem[]): (item: RemoteItem) => RemoteItem[] {
  const byName = new Map<string, RemoteItem[]>();
  const finds: RemoteItem[] = [];
  for (const item of items) {
    const r = item.resource;
    if (r.names) {
      for (const n of r.names) {
        const k = `${r.space.service}\u0000${n}`;
        const list = byName.get(k);
        if (list) list.push(item);
        else byName.set(k, [item]);
      }
    } else finds.push(item);
  }
  const keyItems = items.filter((i) => i.resource.names);
  return (item) => {
    const r = item.resource;
    const out = new Set<RemoteItem>();
    if (r.names) {
      for (const n of r.names)
        for (const o of byName.get(`${r.space.service}\u0000${n}`) ?? []) if (resourcesOverlap(r, o.resource)) out.add(o);
    } else {
      for (const o of keyItems) if (resourcesOverlap(r, o.resource)) out.add(o);
    }
    for (const f of finds) if (resourcesOverlap(r, f.resource)) out.add(f);
    return [...out];
  };
}

const SERVICE_CLOUD: Record<NameSpace['service'], Cloud> = {
  'aws-secretsmanager': 'aws',
  'aws-ssm': 'aws',
  'azure-keyvault': 'azure',
  'gcp-secretmanager': 'gcp',
};

/**
 * The scopes an environment declares it owns, as remote items no secret object references: each
 * declared name, and each declared prefix stood for by a probe name under it, written with every
 * concrete partition, region, account, vault or project the topology names where the declaration
 * says "any". A plane whose principals can read one can read that environment's secrets even if
 * the model never names them (a wide grant, a find of another environment).
 */
function declaredScopes(env: Environment, contexts: ModelContexts): RemoteItem[] {
  const out: RemoteItem[] = [];
  const ctx = contexts.of(undefined);
  for (const o of env.owns ?? []) {
    if (!o || typeof (o as { patterns?: unknown }).patterns !== 'function') continue;
    for (const pattern of o.patterns(ctx)) {
      for (const name of pattern.names ?? []) out.push(scopeItem(env, pattern.space, 'key', name, contexts));
      for (const prefix of pattern.prefixes ?? []) out.push(scopeItem(env, pattern.space, 'find', prefix, contexts));
    }
  }
  return out;
}

function scopeItem(env: Environment, space: NameSpace, kind: 'key' | 'find', name: string, contexts: ModelContexts): RemoteItem {
  const k = contexts.known;
  const any = (v: string | undefined, all: readonly string[]): readonly string[] => (v === undefined || v === '*' ? all : [v]);
  const tail = kind === 'find' ? `${name}${PROBE}` : name;
  const samples: string[] = [];
  let resource: string;
  if (space.service === 'aws-secretsmanager' || space.service === 'aws-ssm') {
    const [partition, region, account] = space.parts;
    for (const p of any(partition, k.awsPartitions))
      for (const r of any(region, k.awsRegions))
        for (const a of any(account, k.awsAccounts))
          samples.push(
            space.service === 'aws-ssm'
              ? `arn:${p}:ssm:${r}:${a}:parameter${tail.startsWith('/') ? tail : `/${tail}`}`
              : `arn:${p}:secretsmanager:${r}:${a}:secret:${tail}-Ab12Cd`,
          );
    const svc = space.service === 'aws-ssm' ? 'ssm' : 'secretsmanager';
    // A Secrets Manager secret's ARN ends in its 6-character suffix, as the access models write it.
    const what =
      space.service === 'aws-ssm'
        ? `parameter${name.startsWith('/') ? name : `/${name}`}`
        : `secret:${name}${kind === 'key' ? '-??????' : ''}`;
    resource = `arn:${partition ?? '*'}:${svc}:${region ?? '*'}:${account ?? '*'}:${what}${kind === 'find' ? '*' : ''}`;
  } else if (space.service === 'azure-keyvault') {
    const vaults = space.parts[0] === '*' ? [...k.vaults.keys()] : [space.parts[0] ?? ''];
    for (const v of vaults)
      samples.push(`${k.vaults.get(v) ?? `https://${v}.vault.azure.net`}/${tail.includes('/') ? tail : `secrets/${tail}`}`);
    resource = `https://${space.parts[0] ?? '*'}.vault.azure.net/${name || 'secrets/'}${kind === 'find' ? '*' : ''}`;
  } else {
    const projects = space.parts[0] === '*' ? k.gcpProjects : [space.parts[0] ?? ''];
    for (const p of projects) samples.push(`projects/${p}/secrets/${tail}`);
    resource = `projects/${space.parts[0] ?? '*'}/secrets/${name}${kind === 'find' ? '*' : ''}`;
  }
  const ref = `owned by ${env.name}: ${resource}`;
  return {
    declaredScope: true,
    secret: { path: env.node.path, name: `(declared by ${env.name})`, target: '' },
    store: { path: env.node.path, name: '(ownership declaration)' },
    cloud: SERVICE_CLOUD[space.service],
    resource: {
      kind,
      ref,
      resource,
      samples,
      needs: () => false,
      space,
      ...(kind === 'key' ? { names: [name] } : { prefix: name }),
    },
    derived: new Set([env.name]),
  };
}
