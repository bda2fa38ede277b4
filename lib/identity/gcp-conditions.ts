/**
 * IAM-condition building blocks for Secret Manager: resource-name prefixes of the secrets a shared
 * secret reads, the literal prefix of a `dataFrom.find` name pattern, and CEL clauses.
 */
import { byKey } from '../private/order.js';
import { regexpLiteralPrefix } from '../private/regexp.js';

/** Principals (each occurrence in each binding) one IAM allow policy may hold. */
export const GCP_MAX_POLICY_MEMBERS = 1500;
/** Logical operators one IAM condition expression may hold (so at most 13 OR-ed clauses). */
export const GCP_MAX_CONDITION_OPERATORS = 12;
/** Conditional bindings that grant the same role to the same principal (with different conditions). */
export const GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER = 20;
/** Role that reads secret payloads (`secretmanager.versions.access`). */
export const SECRET_ACCESSOR_ROLE = 'roles/secretmanager.secretAccessor';
/** Role a GKE service account needs on a Google service account to impersonate it. */
export const WORKLOAD_IDENTITY_USER_ROLE = 'roles/iam.workloadIdentityUser';

/** Characters of a Secret Manager secret ID. */
const SECRET_ID_CHAR = /^[A-Za-z0-9_-]$/;

/**
 * The literal text every name matched by a `dataFrom.find.name.regexp` starts with, or undefined
 * when there is none (the pattern is not anchored with `^`, starts with a class, group or `.`, or
 * has a top-level `|`). ESO matches the pattern against secret IDs (RE2, unanchored), so only a
 * leading `^` fixes a prefix. A character followed by `?`, `*` or `{` is optional and ends the
 * prefix before it; one followed by `+` ends it after it.
 *
 * `^looker-api-` gives `looker-api-`; `^db-(a|b)` gives `db-`; `looker` and `^(a|b)` give none.
 */
export function literalPrefix(regexp: string): string | undefined {
  return regexpLiteralPrefix(regexp, SECRET_ID_CHAR) || undefined;
}

/** `projects/<number>[/locations/<location>]/secrets/` — the parent of a project's secrets in IAM resource names. */
export function secretsParent(projectNumber: string, location?: string): string {
  return `projects/${projectNumber}${location ? `/locations/${location}` : ''}/secrets/`;
}

/**
 * The resource-name prefix of one secret's versions: `projects/<number>/secrets/<id>/`. The
 * trailing slash matters: `secretAccessor` checks `secretmanager.versions.access` on
 * `projects/<number>/secrets/<id>/versions/<version>`, and without the slash the prefix of secret
 * `db` would also match the versions of `db-admin`.
 */
export function exactSecretPrefix(projectNumber: string, secretId: string, location?: string): string {
  return `${secretsParent(projectNumber, location)}${secretId}/`;
}

/** The CEL clause that matches resource names starting with `prefix`. */
export function startsWithClause(prefix: string): string {
  return `resource.name.startsWith(${JSON.stringify(prefix)})`;
}

/** Several prefixes OR-ed into one expression (at most {@link GCP_MAX_CONDITION_OPERATORS} + 1). */
export function anyPrefixExpression(prefixes: readonly string[]): string {
  return prefixes.map(startsWithClause).join(' || ');
}

/**
 * Drops every prefix that another prefix of the set already covers, merging what needed it into
 * the covering prefix. Keys of the result are sorted.
 */
export function minimizePrefixes(prefixes: ReadonlyMap<string, ReadonlySet<string>>): Map<string, Set<string>> {
  const keys = [...prefixes.keys()].sort();
  const out = new Map<string, Set<string>>();
  for (const k of keys) {
    // The shortest prefix of the set that k starts with (k itself when none): startsWith is transitive.
    const cover = keys.filter((o) => k.startsWith(o)).sort((x, y) => x.length - y.length)[0] ?? k;
    if (!out.has(cover)) out.set(cover, new Set());
    for (const n of prefixes.get(k) ?? []) out.get(cover)?.add(n);
  }
  return new Map([...out.entries()].sort(byKey));
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
