/**
 * The projection preview as `report.json` stores it (schema 4): per plane, the stores and shared
 * secrets Spaces projects into it, by construct path and grouped by the namespaces they reach. What
 * a projected object is made of (name, backend, target, refresh interval) is the same in every
 * plane and is listed once in the report's `stores` and `secrets`; repeating it per plane was most
 * of a large Space's report (65 of 100 MB at 1,000 planes × 500 secrets).
 */
import type { PlaneProjection, ProjectedSecret, ProjectedStore } from '../analysis/projection.js';
import { cmp } from '../private/order.js';

/** Stores or shared secrets projected into a plane that reach the same namespaces of it. */
export interface ReportProjection {
  /** Namespaces of the plane, sorted (empty: projected, but usable in / written to none). */
  readonly namespaces: readonly string[];
  /** Construct paths of the stores or shared secrets, sorted. */
  readonly paths: readonly string[];
}

/** What Spaces creates in one plane, by reference to the report's stores and secrets. */
export interface ReportPlane extends Omit<PlaneProjection, 'clusterSecretStores' | 'clusterExternalSecrets'> {
  /** The stores projected as `ClusterSecretStore`s, grouped by the namespaces that may use them; sorted by first path. */
  readonly storesByNamespaces: readonly ReportProjection[];
  /** The shared secrets projected as `ClusterExternalSecret`s, grouped by the namespaces that get the Secret; sorted by first path. */
  readonly secretsByNamespaces: readonly ReportProjection[];
}

/** What {@link expandPlane} needs of a report: its stores and secrets. */
export interface ProjectionSources {
  readonly stores: ReadonlyArray<{ readonly path: string; readonly name: string; readonly backend: string; readonly auth: string }>;
  readonly secrets: ReadonlyArray<{
    readonly path: string;
    readonly name: string;
    readonly store: string;
    readonly target: string;
    readonly refreshInterval: string;
  }>;
}

/** Groups `[path, namespaces]` pairs by their namespaces. */
function byNamespaces(items: ReadonlyArray<{ readonly path: string; readonly namespaces: readonly string[] }>): ReportProjection[] {
  const groups = new Map<string, { namespaces: readonly string[]; paths: string[] }>();
  for (const { path, namespaces } of items) {
    const key = namespaces.join('\u0000');
    const g = groups.get(key);
    if (g) g.paths.push(path);
    else groups.set(key, { namespaces, paths: [path] });
  }
  return [...groups.values()]
    .map((g) => ({ namespaces: g.namespaces, paths: g.paths.sort(cmp) }))
    .sort((a, b) => cmp(a.paths[0], b.paths[0]));
}

/** A plane's projection in the layout of `report.json` (also how projections of schema 3 and older are read). */
export function compactPlane(p: PlaneProjection | ReportPlane): ReportPlane {
  if (!('clusterSecretStores' in p)) return p;
  const { clusterSecretStores, clusterExternalSecrets, ...plane } = p;
  return {
    ...plane,
    storesByNamespaces: byNamespaces(clusterSecretStores.map((s) => ({ path: s.store, namespaces: s.namespaces }))),
    secretsByNamespaces: byNamespaces(clusterExternalSecrets.map((s) => ({ path: s.secret, namespaces: s.namespaces }))),
  };
}

/**
 * The full projection of a plane from its compact form and the report's stores and secrets (the
 * inverse of {@link compactPlane}). Build it once per report; it looks stores and secrets up by path.
 */
export function planeExpander(report: ProjectionSources): (plane: ReportPlane) => PlaneProjection {
  const stores = new Map(report.stores.map((s) => [s.path, s]));
  const secrets = new Map(report.secrets.map((s) => [s.path, s]));
  const byName = <T extends { name: string }>(a: T, b: T): number => cmp(a.name, b.name);
  return ({ storesByNamespaces, secretsByNamespaces, ...plane }) => ({
    ...plane,
    clusterSecretStores: storesByNamespaces
      .flatMap(({ namespaces, paths }) =>
        paths.map((path): ProjectedStore => {
          const s = stores.get(path);
          const name = s?.name ?? path.split('/').pop() ?? path;
          return {
            name,
            store: path,
            provider: { upboundspaces: { storeRef: { name } } },
            backend: s?.backend ?? 'unknown',
            auth: s?.auth ?? 'unknown',
            namespaces,
          };
        }),
      )
      .sort(byName),
    clusterExternalSecrets: secretsByNamespaces
      .flatMap(({ namespaces, paths }) =>
        paths.map((path): ProjectedSecret => {
          const s = secrets.get(path);
          return {
            name: s?.name ?? path.split('/').pop() ?? path,
            secret: path,
            store: (s && stores.get(s.store)?.name) ?? '',
            target: s?.target ?? '',
            namespaces,
            refreshInterval: s?.refreshInterval ?? '',
          };
        }),
      )
      .sort(byName),
  });
}
