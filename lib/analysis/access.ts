/**
 * The access analysis: for every remote secret a shared secret reads and every control plane,
 * whether the model delivers it there and whether the plane's ESO could read it anyway if a user
 * created ESO objects by hand in the plane (control planes do not stop that), and through what.
 *
 * A plane can read a remote secret
 * - through a store projected into it that has static credentials: the credentials can read
 *   whatever they can, which the compiler does not know ("credentials scope unknown"), so every
 *   remote secret of the same backend that any store with the SAME credentials Secret serves is
 *   assumed readable, from the namespaces the store is usable from;
 * - through the cloud principal(s) its ESO can act as (IRSA role, Pod Identity role, managed
 *   identity, GCP principal or service account): every remote secret a `read` grant of the
 *   principal matches (AWS ARN wildcards `*`/`?`, Key Vault scopes, GCP resource-name prefixes and
 *   `resource.name.startsWith(...)` conditions), from any namespace (a hand-made store has no
 *   namespace conditions). When the identity stage published no principal for a Space, the scope is
 *   unknown and assumed from the identity mode (see {@link AccessOptions}).
 *
 * Everything is plain data with stable sorting, so it can be written to `report.json` and compared.
 */
import type { Construct } from 'constructs';
import type { AccessGrant, ClusterSubject, CloudPrincipal, IdentityFacts } from '../identity/plan.js';
import { AwsIdentity, type IdentityMode, type SpaceIdentity } from '../model/space-identity.js';
import { ControlPlane } from '../model/control-plane.js';
import type { Cloud } from '../model/space.js';
import { SharedSecret, type DataFromFind } from '../secrets/shared-secret.js';
import { AwsParameterStore, AwsSecretsManager } from '../stores/aws.js';
import { AzureKeyVault } from '../stores/azure.js';
import { GcpSecretManager } from '../stores/gcp.js';
import type { SecretStoreProvider } from '../stores/provider.js';
import { SecretStore } from '../stores/secret-store.js';
import { EsoCluster } from '../eso/cluster.js';
import type { Placement, PlaneReach } from '../resolve/placement.js';
import { cmp } from '../private/order.js';

/** Namespace list meaning "any namespace of the plane". */
export const ANY_NAMESPACE = '*';

/** Label used for planes (and secrets delivered only to planes) without an environment. */
export const NO_ENVIRONMENT = '(none)';

/** Options of the access analysis. */
export interface AccessOptions {
  /**
   * Assume that a user in a plane can reference ANY `SharedSecretStore` of the plane's group from
   * a hand-made `ClusterSecretStore` (`provider.upboundspaces.storeRef.name`), not only the stores
   * projected into the plane. The public Upbound ESO fork (upbound/external-secrets, branch
   * `spaces`, commit dabba7b4) looks the SharedSecretStore up by name in the group namespace without
   * checking its selectors; the Spaces docs say a projected store is usable only where it is
   * selected. With this option, every static-credential store of the group counts as reachable from
   * every plane of the group, from any namespace.
   * @default false (the documented behaviour)
   */
  readonly storeRefBypass?: boolean;
}

/** A remote secret as the matrix names it. */
export interface RemoteRef {
  /** `key`: `data[].remoteKey` or `dataFrom[].extract.key`; `find`: `dataFrom[].find`. */
  readonly kind: 'key' | 'find';
  /** As written in the model: the key, or `find path=… name=… tags=…`. */
  readonly ref: string;
  /**
   * The resource as the cloud names it: an ARN (Secrets Manager secrets end in `-??????`), a Key
   * Vault object id or URL, a GCP resource name; for finds, a pattern with `*`.
   */
  readonly resource: string;
}

/** How a plane can read a remote secret. */
export interface AccessPath {
  /**
   * `credentials`: static credentials of a store projected into the plane; `identity`: a grant of a
   * cloud principal the plane's ESO can act as; `identity-unknown`: the Space's workload identity,
   * whose grants were not published (scope assumed from the identity mode).
   */
  readonly kind: 'credentials' | 'identity' | 'identity-unknown';
  /** Stable id: `credentials:<space>/<group>/<secret>@<store path>`, `identity:<principal id>`, `identity-unknown:<space>`. */
  readonly id: string;
  /**
   * Human description of what the plane goes through (without the grant), e.g.
   * `store "aws-sm" with credentials Secret aws-eu/platform/keys (credentials scope unknown)` or
   * `IAM role arn:aws:iam::111122223333:role/x`.
   */
  readonly description: string;
  /** Namespaces of the plane it works from; `["*"]` = any namespace. */
  readonly namespaces: readonly string[];
  /** Construct path of the store it goes through (credentials, per-plane identity-unknown). */
  readonly store?: string;
  /** The credentials Secret, `<space>/<group>/<secret name>`. */
  readonly credentials?: string;
  /** The principal id (role ARN, identity, member, service account). */
  readonly principal?: string;
  /** The grant's resource pattern. */
  readonly grant?: string;
  /** The grant's condition, if any. */
  readonly condition?: string;
  /** False when the condition could not be evaluated (then it is assumed to allow). */
  readonly conditionEvaluated?: boolean;
}

/** One row of the matrix: a remote secret of a shared secret × a control plane. */
export interface AccessEntry {
  /** `<space>/<group>/<plane>`. */
  readonly plane: string;
  /** Plane name. */
  readonly planeName: string;
  /** Construct path of the plane. */
  readonly planePath: string;
  /** Environment of the plane, or {@link NO_ENVIRONMENT}. */
  readonly environment: string;
  /** Construct path of the shared secret. */
  readonly secret: string;
  /** Name of the shared secret. */
  readonly secretName: string;
  /** Name of the Kubernetes Secret it writes. */
  readonly target: string;
  /** Construct path of the secret's store. */
  readonly store: string;
  /** Name of the secret's store. */
  readonly storeName: string;
  /** The remote secret. */
  readonly remote: RemoteRef;
  /** Environments the remote secret belongs to (of every plane any secret delivers it to), sorted. */
  readonly secretEnvironments: readonly string[];
  /** Namespaces the model delivers it to in this plane (empty: not delivered). */
  readonly delivered: readonly string[];
  /** Whether the plane's ESO can read it (through {@link paths}). */
  readonly readable: boolean;
  /** Every way the plane can read it, sorted by id. */
  readonly paths: readonly AccessPath[];
  /** Readable by a plane whose environment is not among {@link secretEnvironments} (which is not empty). */
  readonly crossEnvironment: boolean;
}

/** What one principal can read. */
export interface PrincipalAccess {
  readonly id: string;
  readonly kind: CloudPrincipal['kind'];
  readonly cloud: Cloud;
  /** Space whose controllers use it. @default none (a plain ESO cluster's principal) */
  readonly space?: string;
  /** The plain ESO cluster whose controller uses it. @default none (a Space's principal) */
  readonly cluster?: ClusterSubject;
  readonly environment?: string;
  /** Planes that can act as it, `<space>/<group>/<plane>`, sorted. */
  readonly planes: readonly string[];
  /** Environments of those planes, sorted. */
  readonly planeEnvironments: readonly string[];
  /** Its grants, as published. */
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

// ---------------------------------------------------------------------------------------------
// Backends: how each provider names its resources.

/** A remote secret with a concrete sample resource name to match grants against. */
interface Resolved extends RemoteRef {
  /** Concrete names (never with `?`) that stand for the resource when matching grant patterns. */
  readonly samples: readonly string[];
  /** Whether a given concrete resource name is something this ref needs (for wide-grant checks). */
  readonly needs: (resource: string) => boolean;
}

const SM_SUFFIX = 'Ab12Cd';
const PROBE = '0unneeded0';

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function findText(f: DataFromFind): string {
  const parts: string[] = [];
  if (f.path !== undefined) parts.push(`path=${f.path}`);
  if (f.nameRegexp !== undefined) parts.push(`name=${f.nameRegexp}`);
  for (const [k, v] of Object.entries(f.tags ?? {}).sort()) parts.push(`tag ${k}=${v}`);
  return `find ${parts.join(' ')}`.trim();
}

/** The literal characters a regular expression anchored with `^` must start with. */
export function literalPrefix(regexp: string): string {
  if (!regexp.startsWith('^')) return '';
  let out = '';
  for (let i = 1; i < regexp.length; i++) {
    const c = regexp[i] as string;
    if (c === '\\' && i + 1 < regexp.length && /[.\-/_]/.test(regexp[i + 1] as string)) {
      out += regexp[i + 1];
      i++;
      continue;
    }
    if (/[A-Za-z0-9\-_/=@]/.test(c)) {
      const next = regexp[i + 1] ?? '';
      // `*`, `?` or `{` after this character make it optional; `+` makes it the last sure one.
      if (/[*?{]/.test(next)) break;
      out += c;
      if (next === '+') break;
      continue;
    }
    break;
  }
  return out;
}

function regexpMatches(regexp: string | undefined, name: string): boolean {
  if (regexp === undefined) return true;
  try {
    return new RegExp(regexp).test(name);
  } catch {
    return true;
  }
}

/** A backend as the analysis sees it. */
interface Backend {
  readonly cloud: Cloud;
  /** Identity of the backend: same key = same API endpoint and namespace of names. */
  readonly key: string;
  /** Short description, e.g. `AWS Secrets Manager (eu-central-1)`. */
  readonly description: string;
  resolveKey(key: string): Resolved;
  resolveFind(find: DataFromFind): Resolved;
}

function awsAccount(
  id: SpaceIdentity | undefined,
  provider: AwsSecretsManager | AwsParameterStore,
): { account: string; partition: string } {
  const account = provider.accountId ?? (id instanceof AwsIdentity ? id.accountId : undefined) ?? '*';
  const partition = id instanceof AwsIdentity ? id.partition : 'aws';
  return { account, partition };
}

function secretsManager(id: SpaceIdentity | undefined, p: AwsSecretsManager): Backend {
  const { account, partition } = awsAccount(id, p);
  const sampleAccount = account === '*' ? '000000000000' : account;
  const prefix = `arn:${partition}:secretsmanager:${p.region}:${account}:secret:`;
  const samplePrefix = `arn:${partition}:secretsmanager:${p.region}:${sampleAccount}:secret:`;
  /** Name of a secret from a concrete ARN of this backend (without the 6-character suffix). */
  const nameOf = (r: string): string | undefined => {
    if (!r.startsWith(samplePrefix)) return undefined;
    const m = /^(.*)-[A-Za-z0-9]{6}$/.exec(r.slice(samplePrefix.length));
    return m?.[1];
  };
  return {
    cloud: 'aws',
    key: `aws-secretsmanager:${p.region}:${account}`,
    description: p.describe(),
    resolveKey(key) {
      if (key.startsWith('arn:')) {
        const sample = /-[A-Za-z0-9]{6}$/.test(key) ? key : `${key}-${SM_SUFFIX}`;
        return {
          kind: 'key',
          ref: key,
          resource: key,
          samples: [sample],
          needs: (r) => r === sample || r === key || r.startsWith(`${key}-`),
        };
      }
      return {
        kind: 'key',
        ref: key,
        resource: `${prefix}${key}-??????`,
        samples: [`${samplePrefix}${key}-${SM_SUFFIX}`],
        needs: (r) => nameOf(r) === key,
      };
    },
    resolveFind(f) {
      const start = f.path ?? literalPrefix(f.nameRegexp ?? '');
      return {
        kind: 'find',
        ref: findText(f),
        resource: `${prefix}${start}*`,
        samples: [`${samplePrefix}${start}${PROBE}-${SM_SUFFIX}`],
        needs: (r) => {
          const name = nameOf(r);
          return name !== undefined && (f.path === undefined || name.startsWith(f.path)) && regexpMatches(f.nameRegexp, name);
        },
      };
    },
  };
}

function parameterStore(id: SpaceIdentity | undefined, p: AwsParameterStore): Backend {
  const { account, partition } = awsAccount(id, p);
  const sampleAccount = account === '*' ? '000000000000' : account;
  const prefix = `arn:${partition}:ssm:${p.region}:${account}:parameter`;
  const samplePrefix = `arn:${partition}:ssm:${p.region}:${sampleAccount}:parameter`;
  const abs = (name: string): string => (name.startsWith('/') ? name : `/${name}`);
  return {
    cloud: 'aws',
    key: `aws-ssm:${p.region}:${account}`,
    description: p.describe(),
    resolveKey(key) {
      if (key.startsWith('arn:')) return { kind: 'key', ref: key, resource: key, samples: [key], needs: (r) => r === key };
      const arn = `${prefix}${abs(key)}`;
      const sample = `${samplePrefix}${abs(key)}`;
      return { kind: 'key', ref: key, resource: arn, samples: [sample], needs: (r) => r === sample };
    },
    resolveFind(f) {
      const path = f.path !== undefined ? abs(f.path) : abs(literalPrefix(f.nameRegexp ?? ''));
      const dir = path.endsWith('/') ? path : `${path}/`;
      return {
        kind: 'find',
        ref: findText(f),
        resource: `${prefix}${dir}*`,
        samples: [`${samplePrefix}${dir}${PROBE}`],
        needs: (r) => {
          if (!r.startsWith(samplePrefix)) return false;
          const name = r.slice(samplePrefix.length);
          if (f.path !== undefined && !(name.startsWith(dir) || name === dir.slice(0, -1))) return false;
          return regexpMatches(f.nameRegexp, name);
        },
      };
    },
  };
}

const KV_KINDS: Record<string, string> = { secret: 'secrets', key: 'keys', cert: 'certificates' };

/** The vault's resource id when known, else its URL (lowercase, no trailing slash). */
function vaultBase(p: AzureKeyVault): string {
  return p.resourceId ?? p.vaultUrl.replace(/\/+$/, '').toLowerCase();
}

function keyVault(p: AzureKeyVault): Backend {
  const base = vaultBase(p);
  const object = (key: string): string => {
    const m = /^(secret|key|cert)\/(.*)$/.exec(key);
    return m ? `${base}/${KV_KINDS[m[1] as string]}/${m[2]}` : `${base}/secrets/${key}`;
  };
  const low = (s: string): string => s.toLowerCase();
  return {
    cloud: 'azure',
    key: `azure-keyvault:${p.vaultName.toLowerCase()}`,
    description: p.describe(),
    resolveKey(key) {
      const r = object(key);
      return { kind: 'key', ref: key, resource: r, samples: [r], needs: (x) => low(x) === low(r) };
    },
    resolveFind(f) {
      const start = literalPrefix(f.nameRegexp ?? '');
      // Key Vault RBAC cannot scope a search below the vault: a find needs every secret of it.
      return {
        kind: 'find',
        ref: findText(f),
        resource: `${base}/secrets/*`,
        samples: [`${base}/secrets/${start}${PROBE}`],
        needs: (x) => low(x).startsWith(`${low(base)}/secrets/`),
      };
    },
  };
}

function secretManager(p: GcpSecretManager): Backend {
  const where = p.location ? `/locations/${p.location}` : '';
  const bases = [...new Set([p.projectNumber, p.projectId].filter((x): x is string => x !== undefined))].map(
    (proj) => `projects/${proj}${where}`,
  );
  const main = bases[0] as string;
  const under = (r: string, name: string): boolean => r === name || r.startsWith(`${name}/`);
  return {
    cloud: 'gcp',
    key: `gcp-secretmanager:${p.projectId}${where}`,
    description: p.describe(),
    resolveKey(key) {
      const names = bases.map((b) => `${b}/secrets/${key}`);
      return { kind: 'key', ref: key, resource: names[0] as string, samples: names, needs: (r) => names.some((n) => under(r, n)) };
    },
    resolveFind(f) {
      const start = literalPrefix(f.nameRegexp ?? '');
      return {
        kind: 'find',
        ref: findText(f),
        resource: `${main}/secrets/${start}*`,
        samples: bases.map((b) => `${b}/secrets/${start}${PROBE}`),
        needs: (r) =>
          bases.some((b) => {
            if (!r.startsWith(`${b}/secrets/`)) return false;
            const id = r.slice(b.length + '/secrets/'.length).split('/')[0] ?? '';
            return regexpMatches(f.nameRegexp, id);
          }),
      };
    },
  };
}

/** The backend of a store, or undefined for providers the analysis does not know. */
function backendOf(store: SecretStore): Backend | undefined {
  return backendFor(store.provider, store.group.space.identity);
}

/** The backend of a provider whose store belongs to the owner of `identity` (a Space or an ESO cluster). */
function backendFor(p: SecretStoreProvider | undefined, identity: SpaceIdentity | undefined): Backend | undefined {
  if (p instanceof AwsSecretsManager) return secretsManager(identity, p);
  if (p instanceof AwsParameterStore) return parameterStore(identity, p);
  if (p instanceof AzureKeyVault) return keyVault(p);
  if (p instanceof GcpSecretManager) return secretManager(p);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Grant matching

/** Glob match with `*` (any run of characters) and `?` (one character), case-sensitive. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = GLOBS.get(key);
  try {
    if (!re) {
      re = new RegExp(
        `^${pattern
          .split('')
          .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : esc(c)))
          .join('')}$`,
        ignoreCase ? 'is' : 's',
      );
      if (GLOBS.size > 10_000) GLOBS.clear();
      GLOBS.set(key, re);
    }
    return re.test(value);
  } catch {
    // "Regular expression too large" (V8 compiles on first use; a pattern of some 50,000
    // characters, e.g. an invalid region that validation reports anyway): match without one.
    GLOBS.delete(key);
    return wildcardMatch(pattern, value, ignoreCase);
  }
}

/** The text of a glob before its first wildcard (`*` or `?`): every value it matches starts with it. */
function literalGlobPrefix(pattern: string): string {
  const i = pattern.search(/[*?]/);
  return i < 0 ? pattern : pattern.slice(0, i);
}

/** The same glob match as {@link globMatch}, without a regular expression. */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < v.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === v[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

const GLOBS = new Map<string, RegExp>();

/**
 * Whether an IAM `Resource` pattern matches an ARN: `*` alone matches everything; otherwise the
 * partition, service, region and account segments are matched one by one and the resource part as
 * a whole, each with `*` and `?` wildcards.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  let matcher = ARN_MATCHERS.get(pattern);
  if (!matcher) {
    matcher = arnMatcher(pattern);
    if (ARN_MATCHERS.size > 10_000) ARN_MATCHERS.clear();
    ARN_MATCHERS.set(pattern, matcher);
  }
  return matcher(arn);
}

const ARN_MATCHERS = new Map<string, (arn: string) => boolean>();

/** {@link arnMatches} for one pattern, its segments split once (a grant is matched against many ARNs). */
function arnMatcher(pattern: string): (arn: string) => boolean {
  if (pattern === '*') return () => true;
  const p = pattern.split(':');
  if (p.length < 6) return (arn) => globMatch(pattern, arn);
  const part = (glob: string): ((value: string) => boolean) =>
    /[*?]/.test(glob) ? (value) => globMatch(glob, value) : (value) => value === glob;
  const segments = p.slice(0, 5).map(part);
  const resource = part(p.slice(5).join(':'));
  return (arn) => {
    const ends: number[] = [];
    for (let i = arn.indexOf(':'); i >= 0 && ends.length < 5; i = arn.indexOf(':', i + 1)) ends.push(i);
    if (ends.length < 5) return globMatch(pattern, arn);
    let start = 0;
    for (let i = 0; i < 5; i++) {
      if (!(segments[i] as (value: string) => boolean)(arn.slice(start, ends[i]))) return false;
      start = (ends[i] as number) + 1;
    }
    return resource(arn.slice(start));
  };
}

const VAULTS = new Map<string, string | undefined>();

/** `kv:<vault>[/rest]` for a vault-or-below scope (resource id or URL), else undefined. Cached. */
function canonicalVault(scope: string): string | undefined {
  if (VAULTS.has(scope)) return VAULTS.get(scope);
  if (VAULTS.size > 50_000) VAULTS.clear();
  const v = canonicalVaultUncached(scope);
  VAULTS.set(scope, v);
  return v;
}

function canonicalVaultUncached(scope: string): string | undefined {
  const s = scope.endsWith('/') ? scope.replace(/\/+$/, '') : scope;
  const byId = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.keyvault\/vaults\/([^/]+)(\/.*)?$/i.exec(s);
  if (byId) return `kv:${(byId[1] as string).toLowerCase()}${(byId[2] ?? '').toLowerCase()}`;
  const byUrl = /^https:\/\/([^./]+)\.vault\.[^/]+(\/.*)?$/i.exec(s);
  if (byUrl) return `kv:${(byUrl[1] as string).toLowerCase()}${(byUrl[2] ?? '').toLowerCase()}`;
  return undefined;
}

/**
 * Whether an Azure role-assignment scope (or Key Vault URL) covers a Key Vault object: the object
 * is the scope or below it (case-insensitive); vault resource ids and vault URLs are compared by
 * vault name.
 */
export function azureScopeCovers(scope: string, resource: string): boolean {
  if (scope === '*') return true;
  const s = scope.replace(/\/+$/, '').toLowerCase();
  const r = resource.toLowerCase();
  if (r === s || r.startsWith(`${s}/`)) return true;
  const cs = canonicalVault(scope);
  const cr = canonicalVault(resource);
  return cs !== undefined && cr !== undefined && (cr === cs || cr.startsWith(`${cs}/`));
}

/**
 * Whether a GCP grant resource covers a Secret Manager resource name: `*` covers all; a resource
 * ending in `/` is a prefix; for an unconditional grant, `projects/P` (project-level binding) and
 * `projects/P/secrets/ID` (binding on one secret) cover that resource and everything below it;
 * anything else, and every resource of a conditional grant, is a name prefix
 * (`resource.name.startsWith`).
 *
 * @param conditional whether the grant carries a condition (its resource is then a prefix)
 */
export function gcpResourceCovers(pattern: string, resource: string, conditional = false): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('/')) return `${resource}/`.startsWith(pattern);
  if (!conditional && isGcpBindingResource(pattern)) return resource === pattern || resource.startsWith(`${pattern}/`);
  return resource.startsWith(pattern);
}

/** `projects/P`, `projects/P/secrets/ID` or `projects/P/locations/L/secrets/ID`. */
function isGcpBindingResource(pattern: string): boolean {
  return /^projects\/[^/]+((\/locations\/[^/]+)?\/secrets\/[^/]+)?$/.test(pattern);
}

/**
 * Evaluates a GCP IAM condition made of `resource.name.startsWith("…")` and `resource.name == "…"`
 * tests joined by `||` and `&&` (`resource.type`/`resource.service` tests count as true) against
 * the resource names of one secret. Returns undefined when the condition has other parts.
 */
export function evaluateGcpCondition(condition: string, names: readonly string[]): boolean | undefined {
  const strip = (s: string): string => {
    let t = s.trim();
    while (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1).trim();
    return t;
  };
  const atom = (a: string): boolean | undefined => {
    const t = strip(a);
    let m = /^resource\.name\.startsWith\(\s*"([^"]*)"\s*\)$/.exec(t) ?? /^resource\.name\.startsWith\(\s*'([^']*)'\s*\)$/.exec(t);
    if (m) return names.some((n) => n.startsWith(m?.[1] as string));
    m = /^resource\.name\s*==\s*"([^"]*)"$/.exec(t);
    if (m) return names.includes(m[1] as string);
    if (/^resource\.(type|service)\s*==\s*"[^"]*"$/.test(t)) return true;
    return undefined;
  };
  let unknown = false;
  for (const term of strip(condition).split('||')) {
    let all: boolean | undefined = true;
    for (const a of term.split('&&')) {
      const v = atom(a);
      if (v === false) {
        all = false;
        break;
      }
      if (v === undefined) all = undefined;
    }
    if (all === true) return true;
    if (all === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

/** For a GCP secret name, the names a condition may test: the secret and its latest version. */
function gcpNames(sample: string): string[] {
  return [sample, `${sample}/versions/latest`];
}

/**
 * Whether a grant's resource pattern (without evaluating its condition) matches a concrete
 * resource name.
 *
 * @param conditional whether the grant carries a condition (GCP: the resource is then a prefix)
 */
export function grantPatternMatches(cloud: Cloud, pattern: string, resource: string, conditional = false): boolean {
  switch (cloud) {
    case 'aws':
      return arnMatches(pattern, resource);
    case 'azure':
      return azureScopeCovers(pattern, resource);
    case 'gcp':
      return gcpResourceCovers(pattern, resource, conditional);
    default:
      return false;
  }
}

/**
 * The narrowest scope a concrete resource name belongs to, for indexing: the first five ARN
 * segments (AWS), the vault (Azure), the project (GCP).
 */
function resourceScope(cloud: Cloud, resource: string): string | undefined {
  if (cloud === 'aws') {
    const parts = resource.split(':');
    return parts.length >= 6 ? parts.slice(0, 5).join(':') : undefined;
  }
  if (cloud === 'azure') return canonicalVault(resource)?.split('/')[0];
  return /^projects\/[^/]+(?=\/|$)/.exec(resource)?.[0];
}

/**
 * The scope every resource a grant pattern can match belongs to, or undefined when the pattern may
 * match resources of several scopes (wildcards in the scope part, broader scopes, `*`).
 */
function grantScope(cloud: Cloud, grant: AccessGrant): string | undefined {
  const pattern = grant.resource;
  if (pattern === '*') return undefined;
  if (cloud === 'aws') {
    const parts = pattern.split(':');
    if (parts.length < 6) return undefined;
    const head = parts.slice(0, 5);
    return head.some((x) => x.includes('*') || x.includes('?')) ? undefined : head.join(':');
  }
  if (cloud === 'azure') return canonicalVault(pattern)?.split('/')[0];
  const m = /^projects\/([^/*?]+)(\/|$)/.exec(pattern);
  if (!m) return undefined;
  // A conditional grant's resource is a plain name prefix: "projects/12" would match "projects/123".
  const conditional = grant.condition !== undefined && grant.condition.trim() !== '';
  return m[2] === '/' || !conditional ? `projects/${m[1]}` : undefined;
}

/** Outcome of matching a grant against a concrete resource: no, yes, or yes under a condition. */
export interface GrantMatch {
  readonly matches: boolean;
  /** False when the grant has a condition the analysis cannot evaluate (then assumed to allow). */
  readonly conditionEvaluated: boolean;
}

/** Whether a `read` grant lets its principal read a concrete resource. */
export function grantMatches(cloud: Cloud, grant: AccessGrant, resource: string): GrantMatch {
  const conditional = grant.condition !== undefined && grant.condition.trim() !== '';
  if (!grantPatternMatches(cloud, grant.resource, resource, conditional)) return { matches: false, conditionEvaluated: true };
  if (!conditional) return { matches: true, conditionEvaluated: true };
  if (cloud === 'gcp') {
    const v = evaluateGcpCondition(grant.condition, gcpNames(resource));
    if (v !== undefined) return { matches: v, conditionEvaluated: true };
  }
  return { matches: true, conditionEvaluated: false };
}

// ---------------------------------------------------------------------------------------------
// The matrix

/** A shared secret with its resolved remote refs and environments. */
interface SecretInfo {
  readonly secret: SharedSecret;
  readonly backend: Backend;
  readonly refs: readonly Resolved[];
  /** Environments of the planes it is delivered to. */
  readonly environments: ReadonlySet<string>;
}

function planeKey(p: ControlPlane): string {
  return `${p.group.space.name}/${p.group.name}/${p.name}`;
}

function envOf(p: ControlPlane): string {
  return p.environment?.name ?? NO_ENVIRONMENT;
}

function credentialKey(store: SecretStore): string | undefined {
  const c = store.provider?.credentials;
  return c ? `${store.group.space.name}/${store.group.name}/${c.secretName}` : undefined;
}

/** Identity modes whose principal is shared by every plane of the Space (Helm values are per Space). */
const SHARED_MODES: readonly IdentityMode[] = ['aws-irsa', 'azure-workload-identity', 'gcp-impersonation'];

const KIND_WORD: Record<CloudPrincipal['kind'], string> = {
  'aws-iam-role': 'IAM role',
  'azure-managed-identity': 'managed identity',
  'gcp-principal': 'GCP principal',
  'gcp-service-account': 'service account',
};

/** A human word for a principal kind (`IAM role`, `managed identity`, ...). */
export function principalKindWord(kind: CloudPrincipal['kind']): string {
  return KIND_WORD[kind] ?? kind;
}

/**
 * The access matrix of a topology: every (remote secret of a shared secret) × (control plane) pair
 * that is delivered or readable, with how, sorted by plane, secret and remote ref.
 */
export class AccessMatrix {
  /**
   * Computes the matrix from the model, its placement and the identity facts.
   *
   * @param root the TopologyApp (or any scope holding the model)
   * @param placement where every store and secret lands
   * @param identity principals published by the identity stage (use `{ plans: new Map(), principals: [] }` for none)
   * @param options assumptions, see {@link AccessOptions}
   */
  public static compute(root: Construct, placement: Placement, identity: IdentityFacts, options: AccessOptions = {}): AccessMatrix {
    return new AccessMatrix(root, placement, identity, options);
  }

  /** Every delivered or readable pair, sorted by plane, secret path, remote kind and ref. */
  public readonly entries: readonly AccessEntry[];
  /** Every published principal with what it can read, sorted by id. */
  public readonly principals: readonly PrincipalAccess[];
  /** The options the matrix was computed with. */
  public readonly options: Required<AccessOptions>;

  private constructor(root: Construct, placement: Placement, identity: IdentityFacts, options: AccessOptions) {
    this.options = { storeRefBypass: options.storeRefBypass ?? false };
    const planes = ControlPlane.all(root);
    const planeByKey = new Map(planes.map((p) => [planeKey(p), p]));

    // Secrets, their backends and remote refs.
    const infos: SecretInfo[] = [];
    const byStore = new Map<SecretStore, SecretInfo[]>();
    for (const secret of SharedSecret.all(root)) {
      const store = secret.store;
      if (!store?.provider) continue;
      const backend = backendOf(store);
      if (!backend) continue;
      const refs: Resolved[] = [];
      const seen = new Set<string>();
      const add = (r: Resolved): void => {
        const k = `${r.kind}\u0000${r.ref}`;
        if (!seen.has(k)) refs.push(r);
        seen.add(k);
      };
      for (const d of secret.data) if (typeof d.remoteKey === 'string' && d.remoteKey) add(backend.resolveKey(d.remoteKey));
      for (const src of secret.dataFrom) {
        if ('extract' in src && src.extract?.key) add(backend.resolveKey(src.extract.key));
        else if ('find' in src && src.find) add(backend.resolveFind(src.find));
      }
      const environments = new Set(
        placement
          .ofSecret(secret)
          .filter((r) => r.namespaces.length > 0)
          .map((r) => envOf(r.plane)),
      );
      const info: SecretInfo = { secret, backend, refs, environments };
      infos.push(info);
      pushTo(byStore, store, info);
    }

    // Environments per resource: union over every secret reading the same resource of the same backend.
    const resourceEnvs = new Map<string, Set<string>>();
    const resKey = (info: SecretInfo, r: Resolved): string => `${info.backend.key}\u0000${r.kind}\u0000${r.resource}`;
    for (const info of infos) {
      for (const r of info.refs) {
        const k = resKey(info, r);
        const set = resourceEnvs.get(k) ?? new Set<string>();
        for (const e of info.environments) set.add(e);
        resourceEnvs.set(k, set);
      }
    }

    // Per plane: paths to (info, ref) pairs. A ref belongs to one secret: (plane, ref) names the pair.
    type Cell = { info: SecretInfo; ref: Resolved; delivered: string[]; paths: Map<string, AccessPath> };
    const cells = new Map<ControlPlane, Map<Resolved, Cell>>();
    const cell = (plane: ControlPlane, info: SecretInfo, ref: Resolved): Cell => {
      let row = cells.get(plane);
      if (!row) {
        row = new Map();
        cells.set(plane, row);
      }
      let c = row.get(ref);
      if (!c) {
        c = { info, ref, delivered: [], paths: new Map() };
        row.set(ref, c);
      }
      return c;
    };
    const addPath = (plane: ControlPlane, info: SecretInfo, ref: Resolved, path: AccessPath): void => {
      const c = cell(plane, info, ref);
      const prev = c.paths.get(path.id);
      if (!prev) {
        c.paths.set(path.id, path);
        return;
      }
      // The same path through several grants: keep the first grant, merge namespaces.
      const ns = mergeNamespaces(prev.namespaces, path.namespaces);
      c.paths.set(path.id, { ...prev, namespaces: ns });
    };

    // Delivered.
    for (const info of infos) {
      for (const r of placement.ofSecret(info.secret)) {
        if (r.namespaces.length === 0) continue;
        for (const ref of info.refs) cell(r.plane, info, ref).delivered.push(...r.namespaces);
      }
    }

    // Static credentials through stores usable in a plane.
    const credInfos = new Map<string, SecretInfo[]>();
    for (const info of infos) {
      const k = credentialKey(info.secret.store);
      if (k) pushTo(credInfos, `${k}\u0000${info.backend.key}`, info);
    }
    const credentialPaths = (plane: ControlPlane, store: SecretStore, namespaces: readonly string[]): void => {
      const ck = credentialKey(store);
      const backend = backendOf(store);
      if (!ck || !backend || namespaces.length === 0) return;
      const path: AccessPath = {
        kind: 'credentials',
        id: `credentials:${ck}@${store.node.path}`,
        description: `store "${store.name}" with credentials Secret ${ck} (credentials scope unknown)`,
        namespaces: [...namespaces],
        store: store.node.path,
        credentials: ck,
      };
      for (const info of credInfos.get(`${ck}\u0000${backend.key}`) ?? []) for (const ref of info.refs) addPath(plane, info, ref, path);
    };
    for (const store of SecretStore.all(root)) {
      if (!store.provider?.credentials) continue;
      for (const r of placement.ofStore(store)) credentialPaths(r.plane, store, r.namespaces);
      if (this.options.storeRefBypass) {
        for (const plane of store.group.members(ControlPlane)) credentialPaths(plane, store, [ANY_NAMESPACE]);
      }
    }

    // Published principals: each grant is matched against the remote secrets of its scope only.
    type Item = { info: SecretInfo; ref: Resolved; order: number };
    const byScope = new Map<string, Item[]>();
    const byCloud = new Map<Cloud, Item[]>();
    for (const info of infos) {
      for (const ref of info.refs) {
        const item: Item = { info, ref, order: byCloud.get(info.backend.cloud)?.length ?? 0 };
        pushTo(byCloud, info.backend.cloud, item);
        for (const scope of new Set(ref.samples.map((x) => resourceScope(info.backend.cloud, x)))) {
          if (scope === undefined) continue;
          const k = `${info.backend.cloud}\u0000${scope}`;
          const list = byScope.get(k);
          if (list) list.push(item);
          else byScope.set(k, [item]);
        }
      }
    }
    // An ARN pattern matches only ARNs that start with its text before the first wildcard: the
    // items of a list whose samples start so, found in the list's samples sorted once (a list in
    // published order is matched by every grant of every principal of its scope).
    const sortedSamples = new Map<Item[], { samples: string[]; items: Item[] }>();
    const withPrefix = (list: Item[], prefix: string): Item[] => {
      if (prefix === '' || list.length < 16) return list;
      let index = sortedSamples.get(list);
      if (!index) {
        const pairs = list.flatMap((item) => item.ref.samples.map((sample) => ({ sample, item }))).sort((a, b) => cmp(a.sample, b.sample));
        index = { samples: pairs.map((x) => x.sample), items: pairs.map((x) => x.item) };
        sortedSamples.set(list, index);
      }
      let lo = 0;
      let hi = index.samples.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((index.samples[mid] as string) < prefix) lo = mid + 1;
        else hi = mid;
      }
      const found = new Set<Item>();
      for (let i = lo; i < index.samples.length && (index.samples[i] as string).startsWith(prefix); i++) found.add(index.items[i] as Item);
      return [...found].sort((a, b) => a.order - b.order);
    };
    const principalSpaces = new Set(identity.principals.flatMap((p) => (p.space !== undefined ? [p.space] : [])));
    const principals: PrincipalAccess[] = [];
    for (const pr of [...identity.principals].sort((a, b) => cmp(a.id, b.id))) {
      const reads: Array<{ resource: string; secret: string; ref: string; grant: string; environments: string[] }> = [];
      const subjects = pr.planes.map((s) => `${s.space}/${s.group}/${s.plane}`);
      const subjectPlanes = subjects.map((k) => planeByKey.get(k)).filter((p): p is ControlPlane => p !== undefined);
      // The first grant (in published order) that matches each remote secret; an evaluated match wins over an unevaluated one.
      const hits = new Map<Item, { grant: AccessGrant; conditionEvaluated: boolean }>();
      for (const g of pr.grants) {
        if (g.access !== 'read') continue;
        const scope = grantScope(pr.cloud, g);
        const inScope = scope === undefined ? (byCloud.get(pr.cloud) ?? []) : (byScope.get(`${pr.cloud}\u0000${scope}`) ?? []);
        const candidates = pr.cloud === 'aws' ? withPrefix(inScope, literalGlobPrefix(g.resource)) : inScope;
        for (const item of candidates) {
          const prev = hits.get(item);
          if (prev?.conditionEvaluated) continue;
          for (const sample of item.ref.samples) {
            const m = grantMatches(pr.cloud, g, sample);
            if (!m.matches) continue;
            if (!prev || m.conditionEvaluated) hits.set(item, { grant: g, conditionEvaluated: m.conditionEvaluated });
            break;
          }
        }
      }
      for (const [{ info, ref }, hit] of hits) {
        reads.push({
          resource: ref.resource,
          secret: info.secret.node.path,
          ref: ref.ref,
          grant: hit.grant.resource,
          environments: [...(resourceEnvs.get(resKey(info, ref)) ?? [])].sort(),
        });
        const path: AccessPath = {
          kind: 'identity',
          id: `identity:${pr.id}`,
          description: `${principalKindWord(pr.kind)} ${pr.id}`,
          namespaces: [ANY_NAMESPACE],
          principal: pr.id,
          grant: hit.grant.resource,
          condition: hit.grant.condition,
          conditionEvaluated: hit.grant.condition ? hit.conditionEvaluated : undefined,
        };
        for (const plane of subjectPlanes) addPath(plane, info, ref, path);
      }
      principals.push({
        id: pr.id,
        kind: pr.kind,
        cloud: pr.cloud,
        ...(pr.space !== undefined ? { space: pr.space } : {}),
        ...(pr.cluster ? { cluster: pr.cluster } : {}),
        environment: pr.environment,
        planes: [...new Set(subjects)].sort(),
        planeEnvironments: [...new Set(subjectPlanes.map(envOf))].sort(),
        grants: pr.grants,
        reads: dedupeReads(reads),
      });
    }

    // Workload identity without published principals: scope assumed from the mode.
    const reachCache = new Map<SecretStore, Map<ControlPlane, PlaneReach>>();
    const storeReach = (store: SecretStore): Map<ControlPlane, PlaneReach> => {
      let m = reachCache.get(store);
      if (!m) {
        m = new Map(placement.ofStore(store).map((r) => [r.plane, r]));
        reachCache.set(store, m);
      }
      return m;
    };
    const wiInfos = new Map<string, SecretInfo[]>();
    for (const info of infos) {
      const store = info.secret.store;
      const id = store.group.space.identity;
      if (!store.usesWorkloadIdentity || !id || id.cloud !== info.backend.cloud) continue;
      pushTo(wiInfos, store.group.space.name, info);
    }
    for (const plane of planes) {
      const space = plane.group.space;
      const id = space.identity;
      if (!id || principalSpaces.has(space.name)) continue;
      if (SHARED_MODES.includes(id.mode)) {
        const path: AccessPath = {
          kind: 'identity-unknown',
          id: `identity-unknown:${space.name}`,
          description: `the ${id.mode} identity of Space "${space.name}" (identity scope unknown: no principal published; shared by every plane of the Space)`,
          namespaces: [ANY_NAMESPACE],
        };
        for (const info of wiInfos.get(space.name) ?? []) for (const ref of info.refs) addPath(plane, info, ref, path);
      } else {
        // Per-plane identities: assume the plane reads what the workload-identity stores usable in it serve.
        for (const [store, list] of byStore) {
          if (!store.usesWorkloadIdentity || store.group.space !== space) continue;
          const reach = storeReach(store).get(plane);
          if (!reach || reach.namespaces.length === 0) continue;
          const path: AccessPath = {
            kind: 'identity-unknown',
            id: `identity-unknown:${space.name}@${store.node.path}`,
            description: `the ${id.mode} identity of plane "${plane.name}" through store "${store.name}" (identity scope unknown: no principal published; assumed to read what the store serves)`,
            namespaces: [ANY_NAMESPACE],
            store: store.node.path,
          };
          for (const info of list) for (const ref of info.refs) addPath(plane, info, ref, path);
        }
      }
    }

    // Entries. There is one per plane and remote secret a plane receives or can read (hundreds of
    // thousands in a large topology), so the strings and lists they share are made once per plane,
    // secret and remote secret, not once per entry.
    const entries: AccessEntry[] = [];
    const secretFacts = new Map<SecretInfo, Pick<AccessEntry, 'secret' | 'secretName' | 'target' | 'store' | 'storeName'>>();
    const remoteFacts = new Map<Resolved, { remote: RemoteRef; envs: ReadonlySet<string>; secretEnvironments: readonly string[] }>();
    const none: readonly string[] = [];
    for (const [plane, row] of cells) {
      const pf = { plane: planeKey(plane), planeName: plane.name, planePath: plane.node.path, environment: envOf(plane) };
      for (const c of row.values()) {
        let sf = secretFacts.get(c.info);
        if (!sf) {
          const secret = c.info.secret;
          sf = {
            secret: secret.node.path,
            secretName: secret.name,
            target: secret.targetName,
            store: secret.store.node.path,
            storeName: secret.store.name,
          };
          secretFacts.set(c.info, sf);
        }
        let rf = remoteFacts.get(c.ref);
        if (!rf) {
          const envs = resourceEnvs.get(resKey(c.info, c.ref)) ?? new Set<string>();
          rf = { remote: { kind: c.ref.kind, ref: c.ref.ref, resource: c.ref.resource }, envs, secretEnvironments: [...envs].sort() };
          remoteFacts.set(c.ref, rf);
        }
        const paths = [...c.paths.values()].sort((a, b) => cmp(a.id, b.id));
        const readable = paths.length > 0;
        entries.push({
          plane: pf.plane,
          planeName: pf.planeName,
          planePath: pf.planePath,
          environment: pf.environment,
          secret: sf.secret,
          secretName: sf.secretName,
          target: sf.target,
          store: sf.store,
          storeName: sf.storeName,
          remote: rf.remote,
          secretEnvironments: rf.secretEnvironments,
          delivered: c.delivered.length === 0 ? none : [...new Set(c.delivered)].sort(),
          readable,
          paths,
          // A remote secret delivered nowhere belongs to no environment (checks.ts reports it anyway).
          crossEnvironment: readable && rf.envs.size > 0 && !rf.envs.has(pf.environment),
        });
      }
    }
    entries.sort(
      (a, b) => cmp(a.plane, b.plane) || cmp(a.secret, b.secret) || cmp(a.remote.kind, b.remote.kind) || cmp(a.remote.ref, b.remote.ref),
    );
    this.entries = entries;
    this.principals = principals;
  }

  /** Entries the model delivers (some namespace). */
  public delivered(): AccessEntry[] {
    return this.entries.filter((e) => e.delivered.length > 0);
  }

  /** Entries a plane can read. */
  public readable(): AccessEntry[] {
    return this.entries.filter((e) => e.readable);
  }

  /** Entries readable by a plane of another environment. */
  public crossEnvironment(): AccessEntry[] {
    return this.entries.filter((e) => e.crossEnvironment);
  }

  /** Entries of one plane (`<space>/<group>/<plane>`). */
  public forPlane(plane: string): AccessEntry[] {
    return this.entries.filter((e) => e.plane === plane);
  }

  /** Entries of one shared secret (construct path). */
  public forSecret(secretPath: string): AccessEntry[] {
    return this.entries.filter((e) => e.secret === secretPath);
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function mergeNamespaces(a: readonly string[], b: readonly string[]): string[] {
  if (a.includes(ANY_NAMESPACE) || b.includes(ANY_NAMESPACE)) return [ANY_NAMESPACE];
  return [...new Set([...a, ...b])].sort();
}

function dedupeReads<T extends { resource: string; secret: string; ref: string }>(reads: T[]): T[] {
  const seen = new Set<string>();
  return reads
    .sort((a, b) => cmp(a.resource, b.resource) || cmp(a.secret, b.secret) || cmp(a.ref, b.ref))
    .filter((r) => {
      const k = `${r.resource}\u0000${r.secret}\u0000${r.ref}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

// ---------------------------------------------------------------------------------------------
// Wide grants

/** Why a grant is wider than the secrets need, or undefined when it is not. */
export interface WideGrant {
  readonly principal: CloudPrincipal;
  readonly grant: AccessGrant;
  /** A resource the grant matches that no secret needing it reads (a probe), if that is the reason. */
  readonly example?: string;
  /** Plain reason. */
  readonly reason: string;
}

/** Replaces wildcards with a probe name that no secret is expected to use. */
function probeOf(cloud: Cloud, pattern: string, conditional: boolean): string {
  if (cloud === 'gcp') {
    if (pattern === '*') return `projects/${PROBE}/secrets/${PROBE}`;
    if (/^projects\/[^/]+$/.test(pattern)) return `${pattern}/secrets/${PROBE}`;
    if (!conditional && isGcpBindingResource(pattern)) return `${pattern}/versions/${PROBE}`;
    return `${pattern}${PROBE}`;
  }
  if (cloud === 'azure') {
    if (pattern === '*')
      return `/subscriptions/${PROBE}/resourceGroups/${PROBE}/providers/Microsoft.KeyVault/vaults/${PROBE}/secrets/${PROBE}`;
    const c = canonicalVault(pattern);
    const s = pattern.replace(/\/+$/, '');
    if (c === undefined) return `${s}/providers/Microsoft.KeyVault/vaults/${PROBE}/secrets/${PROBE}`;
    const rest = c.split('/').slice(1);
    return rest.length === 0 ? `${s}/secrets/${PROBE}` : s;
  }
  return pattern.replace(/\*/g, PROBE).replace(/\?/g, 'Q');
}

/**
 * Grants of a principal wider than the secrets that need them:
 * - `read` or `write` grants that no secret needs (`neededBy` empty); every `write` grant (shared
 *   secrets only read);
 * - unconditional `read` grants matching a resource (a probe, wildcards replaced by a name no
 *   secret uses) that none of the secrets in `neededBy` reads: `*`, `secret:*`, a project-level GCP
 *   binding, an Azure scope above a vault, or a vault-wide Key Vault scope unless the vault uses
 *   access policies (which cannot be narrower) or a `dataFrom.find` needs the vault;
 * - `list` grants when no secret of the principal's stores uses `dataFrom.find`;
 * - `decrypt` grants on `*` (name the KMS keys).
 */
export function wideGrants(root: Construct, identity: IdentityFacts): WideGrant[] {
  // Every secret object a grant can be needed by: shared secrets, and the external secrets and
  // push secrets of plain ESO clusters, each with its store's path, backend and remote refs.
  type Needer = { store: string; usesFind: boolean; refs: () => Resolved[] };
  const needers = new Map<string, Needer>();
  const storeProviders = new Map<string, SecretStoreProvider | undefined>();
  const resolve = (b: Backend | undefined, keys: readonly string[], finds: readonly DataFromFind[]): Resolved[] => {
    if (!b) return [];
    return [...keys.filter((k) => typeof k === 'string' && k !== '').map((k) => b.resolveKey(k)), ...finds.map((f) => b.resolveFind(f))];
  };
  const keysOf = (data: readonly { remoteKey: string }[], dataFrom: SharedSecret['dataFrom']): string[] => [
    ...data.map((d) => d.remoteKey),
    ...dataFrom.flatMap((src) => ('extract' in src && src.extract?.key ? [src.extract.key] : [])),
  ];
  const findsOf = (dataFrom: SharedSecret['dataFrom']): DataFromFind[] =>
    dataFrom.flatMap((src) => ('find' in src && src.find ? [src.find] : []));
  for (const s of SecretStore.all(root)) storeProviders.set(s.node.path, s.provider);
  for (const s of SharedSecret.all(root)) {
    if (!s.store) continue;
    needers.set(s.node.path, {
      store: s.store.node.path,
      usesFind: s.usesFind,
      refs: () => resolve(s.store.provider ? backendOf(s.store) : undefined, keysOf(s.data, s.dataFrom), findsOf(s.dataFrom)),
    });
  }
  for (const c of EsoCluster.all(root)) {
    for (const s of c.stores) storeProviders.set(s.node.path, s.provider);
    for (const s of c.externalSecrets) {
      if (!s.store) continue;
      needers.set(s.node.path, {
        store: s.store.node.path,
        usesFind: findsOf(s.dataFrom).length > 0,
        refs: () => resolve(backendFor(s.store.provider, c.identity), keysOf(s.data, s.dataFrom), findsOf(s.dataFrom)),
      });
    }
    for (const p of c.pushSecrets) {
      if (!p.store) continue;
      needers.set(p.node.path, {
        store: p.store.node.path,
        usesFind: false,
        refs: () =>
          resolve(
            backendFor(p.store.provider, c.identity),
            p.data.map((d) => d.remoteKey),
            [],
          ),
      });
    }
  }
  const findStores = new Set([...needers.values()].filter((n) => n.usesFind).map((n) => n.store));
  const out: WideGrant[] = [];
  for (const pr of [...identity.principals].sort((a, b) => cmp(a.id, b.id))) {
    const anyFind = pr.stores.some((s) => findStores.has(s));
    for (const g of pr.grants) {
      if (g.access === 'write') {
        if (g.neededBy.length === 0)
          out.push({ principal: pr, grant: g, reason: 'shared secrets only read: no secret needs write access' });
        continue;
      }
      if (g.access === 'list') {
        if (!anyFind && g.neededBy.length === 0)
          out.push({ principal: pr, grant: g, reason: 'listing is only needed for dataFrom.find, which no secret of its stores uses' });
        continue;
      }
      if (g.access === 'decrypt') {
        if (g.resource === '*')
          out.push({ principal: pr, grant: g, example: '*', reason: 'decrypt on every key: name the KMS key ARNs (kmsKeyArns) instead' });
        continue;
      }
      if (g.neededBy.length === 0) {
        out.push({ principal: pr, grant: g, reason: 'no secret needs it (neededBy is empty)' });
        continue;
      }
      const conditional = g.condition !== undefined && g.condition.trim() !== '';
      const probes = [probeOf(pr.cloud, g.resource, conditional)];
      if (conditional && g.condition !== undefined) {
        // Conditions the analysis cannot evaluate are given the benefit of the doubt.
        if (pr.cloud !== 'gcp' || evaluateGcpCondition(g.condition, []) === undefined) continue;
        for (const m of g.condition.matchAll(/resource\.name\.startsWith\(\s*["']([^"']*)["']\s*\)/g)) probes.push(`${m[1]}${PROBE}`);
      }
      const refs = g.neededBy.flatMap((p) => needers.get(p)?.refs() ?? []);
      const probe = probes.find((x) => grantMatches(pr.cloud, g, x).matches && !refs.some((r) => r.needs(x)));
      if (probe === undefined) continue;
      if (pr.cloud === 'azure' && isVaultScope(g.resource)) {
        const accessPolicyVault = pr.stores
          .map((p) => storeProviders.get(p))
          .some(
            (p) =>
              p instanceof AzureKeyVault &&
              p.authorization === 'access-policy' &&
              azureScopeCovers(g.resource, `${vaultBase(p)}/secrets/x`),
          );
        if (accessPolicyVault) continue;
      }
      out.push({ principal: pr, grant: g, example: probe, reason: `it also matches ${probe}, which no secret in neededBy reads` });
    }
  }
  return out;
}

function isVaultScope(scope: string): boolean {
  const c = canonicalVault(scope);
  return c !== undefined && !c.includes('/');
}
