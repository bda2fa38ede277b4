/**
 * THE one place that reads the compiler's review report. The report's shape changes (schema 4 is
 * coming); when it does, only this module changes.
 *
 * Today (`report.json` schema 3): `report.json` lists the Space files; each has `access.remotes`
 * (id, kind, resource pattern, owner environments, `ownershipDeclared` when an `owns` declaration
 * says so), `access.paths` (id, kind, principal or credentials, and `via`: the principals assumed
 * on the way) and `access.planes[].byAccess[]` (remote ids with how they are delivered and
 * `readable` path ids, `crossEnvironment` and `productionOutsideProduction` when flagged); the rows
 * of plain ESO clusters (`plane`: `clusters/<name>`) are in `report.json` itself.
 */

/** How the report says a plane reads a remote secret. */
export interface ReportPath {
  readonly id: string;
  /** `credentials` or `identity`. */
  readonly kind: string;
  /** The principal (identity) or the credentials Secret. */
  readonly through: string;
  /** Principals assumed before it, in order (empty: none). */
  readonly via: readonly string[];
}

/** One (plane, remote secret) pair the report says is readable. */
export interface ReportClaim {
  /** `<space>/<group>/<plane>`, or `clusters/<name>` for a plain ESO cluster. */
  readonly plane: string;
  /** The report's id of the remote secret. */
  readonly remote: string;
  /** `key` (one secret) or `find` (a scope; also a scope an environment declares it owns). */
  readonly kind: string;
  /** The resource as the report names it: an ARN or name pattern with `*` / `?` wildcards. */
  readonly resource: string;
  /** The environments the report says the remote secret belongs to. */
  readonly environments: readonly string[];
  /** Whether those come from an `owns` declaration. */
  readonly ownershipDeclared: boolean;
  /** Whether the report flags the pair as cross-environment. */
  readonly crossEnvironment: boolean;
  /** Whether the report flags the pair as a production secret outside production. */
  readonly productionOutsideProduction: boolean;
  /** How the plane reads it. */
  readonly paths: readonly ReportPath[];
}

type Json = Record<string, unknown>;

/** Every readable pair of the report in a compilation's files. */
export function reportClaims(files: ReadonlyMap<string, string>): ReportClaim[] {
  const read = (path: string): Json => {
    const text = files.get(path);
    if (text === undefined) throw new Error(`the report file ${path} is missing`);
    return JSON.parse(text) as Json;
  };
  const index = read('report.json');
  const parts = [index, ...((index.spaces as { file: string }[] | undefined) ?? []).map((s) => read(s.file))];
  const remotes = new Map<string, Json>();
  const paths = new Map<string, ReportPath>();
  for (const p of parts) {
    const access = (p.access as Json | undefined) ?? {};
    for (const r of (access.remotes as Json[] | undefined) ?? []) remotes.set(String(r.id), r);
    for (const x of (access.paths as Json[] | undefined) ?? [])
      paths.set(String(x.id), {
        id: String(x.id),
        kind: String(x.kind),
        through: String(x.principal ?? x.credentials ?? ''),
        via: ((x.via as unknown[] | undefined) ?? []).map(String),
      });
  }
  const out: ReportClaim[] = [];
  for (const p of parts) {
    for (const row of ((p.access as Json | undefined)?.planes as Json[] | undefined) ?? []) {
      for (const set of (row.byAccess as Json[] | undefined) ?? []) {
        const readable = Object.keys((set.readable as Json | undefined) ?? {});
        if (readable.length === 0) continue;
        for (const id of (set.remotes as string[] | undefined) ?? []) {
          const r = remotes.get(id) ?? {};
          out.push({
            plane: String(row.plane),
            remote: id,
            kind: String(r.kind ?? ''),
            resource: String(r.resource ?? ''),
            environments: (r.environments as string[] | undefined) ?? [],
            ownershipDeclared: r.ownershipDeclared === true,
            crossEnvironment: set.crossEnvironment === true,
            productionOutsideProduction: set.productionOutsideProduction === true,
            paths: readable.map((x) => paths.get(x) ?? { id: x, kind: '', through: x, via: [] }),
          });
        }
      }
    }
  }
  return out;
}

/** Whether a report's resource pattern names a remote secret (one of its full names); Key Vault names ignore case. */
export function claimCovers(claim: ReportClaim, names: readonly string[]): boolean {
  const keyVault = /microsoft\.keyvault|\.vault\.azure\.net/i.test(claim.resource);
  const re = globRegExp(claim.resource, keyVault);
  return names.some((n) => re.test(n));
}

const GLOBS = new Map<string, RegExp>();

function globRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = GLOBS.get(key);
  if (!re) {
    const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (GLOBS.size > 20_000) GLOBS.clear();
    GLOBS.set(key, re);
  }
  return re;
}
