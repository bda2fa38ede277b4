/**
 * How cloud grants match resources: AWS ARN patterns (`*`, `?`, segment by segment), Azure
 * role-assignment scopes (vault by resource id or URL), GCP resource-name prefixes and the
 * `resource.name` conditions of IAM bindings. Shared by the access analysis and the wide-grant check.
 */
import type { Cloud } from '../model/space.js';
import { PROBE } from './backend.js';

/** A grant as matching needs it: its resource pattern and its condition. */
export interface GrantPattern {
  readonly resource: string;
  readonly condition?: string;
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

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
export function literalGlobPrefix(pattern: string): string {
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
      if (!segments[i](arn.slice(start, ends[i]))) return false;
      start = ends[i] + 1;
    }
    return resource(arn.slice(start));
  };
}

const VAULTS = new Map<string, string | undefined>();

/** `kv:<vault>[/rest]` for a vault-or-below scope (resource id or URL), else undefined. Cached. */
export function canonicalVault(scope: string): string | undefined {
  if (VAULTS.has(scope)) return VAULTS.get(scope);
  if (VAULTS.size > 50_000) VAULTS.clear();
  const v = canonicalVaultUncached(scope);
  VAULTS.set(scope, v);
  return v;
}

function canonicalVaultUncached(scope: string): string | undefined {
  const s = scope.endsWith('/') ? scope.replace(/\/+$/, '') : scope;
  const byId = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.keyvault\/vaults\/([^/]+)(\/.*)?$/i.exec(s);
  if (byId) return `kv:${byId[1].toLowerCase()}${(byId[2] ?? '').toLowerCase()}`;
  const byUrl = /^https:\/\/([^./]+)\.vault\.[^/]+(\/.*)?$/i.exec(s);
  if (byUrl) return `kv:${byUrl[1].toLowerCase()}${(byUrl[2] ?? '').toLowerCase()}`;
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
export function isGcpBindingResource(pattern: string): boolean {
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
    if (m) return names.includes(m[1]);
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
export function resourceScope(cloud: Cloud, resource: string): string | undefined {
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
export function grantScope(cloud: Cloud, grant: GrantPattern): string | undefined {
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
export function grantMatches(cloud: Cloud, grant: GrantPattern, resource: string): GrantMatch {
  const conditional = grant.condition !== undefined && grant.condition.trim() !== '';
  if (!grantPatternMatches(cloud, grant.resource, resource, conditional)) return { matches: false, conditionEvaluated: true };
  if (!conditional) return { matches: true, conditionEvaluated: true };
  if (cloud === 'gcp') {
    const v = evaluateGcpCondition(grant.condition, gcpNames(resource));
    if (v !== undefined) return { matches: v, conditionEvaluated: true };
  }
  return { matches: true, conditionEvaluated: false };
}

/** Replaces wildcards with a probe name that no secret is expected to use. */
export function probeOf(cloud: Cloud, pattern: string, conditional: boolean): string {
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
