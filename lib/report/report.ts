/**
 * The review report: `REPORT.md` for a reviewer of a pull request and the JSON report with the same
 * facts for tools (`npm run review` compares two of them). Both are derived from one
 * {@link ReportData}, deterministic (sorted, no timestamps) and never contain secret values. The
 * JSON report is split so that no file grows with the whole topology: `report.json` is the index
 * (summary, settings, environments, findings, opt-outs, assumptions and the list of Space files)
 * and `spaces/<space>/report.json` holds the stores, secrets, plane projections, access rows and
 * principals of one Space ({@link ReportIndex}, {@link ReportSpaceFile}, {@link joinReport}).
 */
import type { Construct } from 'constructs';
import {
  type AccessMatrix,
  NO_ENVIRONMENT,
  type AccessEntry,
  type AccessPath,
  type PrincipalAccess,
  type RemoteRef,
} from '../analysis/access.js';
import type { Assumption, Finding, GuardrailReport, OptOut, OptOutUse } from '../analysis/guardrails.js';
import type { Placement } from '../resolve/placement.js';
import { describeAuth, projectionPreview } from '../analysis/projection.js';
import { ControlPlane } from '../model/control-plane.js';
import { Environment } from '../model/environment.js';
import { Group } from '../model/group.js';
import { Space } from '../model/space.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';
import type { SynthContext } from '../compile/context.js';
import { Stage, type OutputSink, type Synthesizer } from '../compile/synthesizer.js';
import { effectiveRefreshInterval } from '../resolve/refresh.js';
import { renderReportMarkdown } from './report-markdown.js';
import { compactPlane, type ReportPlane } from './report-projection.js';
import { REPORT_JSON, REPORT_MD, spaceReportPath } from '../output/layout.js';
import { cmp } from '../private/order.js';
import { clusterOfReaderKey } from '../analysis/principals.js';

/**
 * Version of the `report.json` layout; bumped on incompatible changes. 2: split into one file per
 * Space. 3: a plane's access rows group the remote secrets it receives or reads the same way
 * (`byAccess`) instead of one cell per remote secret. 4: a plane's projection names its stores and
 * secrets by path, grouped by namespaces (`storesByNamespaces`, `secretsByNamespaces`), and a large
 * Space's planes are split into part files (`parts`). The layout is described by
 * `docs/report.schema.json`.
 */
export const REPORT_SCHEMA_VERSION = 4;
/** The last version with each plane's projected objects in full (the review still reads it). */
export const REPORT_SCHEMA_VERSION_FULL_PROJECTION = 3;
/** The last version with one access cell per plane and remote secret (the review still reads it). */
export const REPORT_SCHEMA_VERSION_CELLS = 2;
/** The last version with the whole report in one `report.json` (the review still reads it). */
export const REPORT_SCHEMA_VERSION_SINGLE_FILE = 1;

export { REPORT_JSON, REPORT_MD, spaceReportPath } from '../output/layout.js';

/** A warning or an opted-out finding as written to the report. */
export interface ReportFinding extends Pick<Finding, 'rule' | 'severity' | 'path' | 'subject' | 'message'> {
  /** The opt-out that covers it (only in `allowed`). */
  readonly optOut?: OptOut;
}

/** Counts at the top of the report. */
export interface ReportSummary {
  readonly spaces: number;
  readonly groups: number;
  readonly planes: number;
  readonly environments: number;
  readonly stores: number;
  readonly secrets: number;
  /** Distinct remote secrets (backend + resource) read by the secrets. */
  readonly remoteSecrets: number;
  /** Reader (plane or plain ESO cluster) × remote secret pairs the model delivers. */
  readonly deliveredPairs: number;
  /** Reader × remote secret pairs the reader can read (delivered or not). */
  readonly readablePairs: number;
  /** Readable pairs that are not delivered (reachable with hand-made ESO objects). */
  readonly readableNotDelivered: number;
  /** Delivered or readable pairs across environments, of planes and plain ESO clusters (only present when opted out). */
  readonly crossEnvironmentPairs: number;
  readonly principals: number;
  readonly warnings: number;
  readonly optOuts: number;
  /** Findings covered by an opt-out. */
  readonly allowed: number;
}

/** A store in the report. */
export interface ReportStore {
  readonly path: string;
  readonly space: string;
  readonly group: string;
  readonly name: string;
  readonly backend: string;
  readonly auth: string;
  /** `<space>/<group>/<secret name>` of its static credentials, if any. */
  readonly credentials?: string;
  /** Environments of the planes it reaches, sorted (the planes themselves are in {@link ReportData.planes}). */
  readonly environments: readonly string[];
}

/** A shared secret in the report. */
export interface ReportSecret {
  readonly path: string;
  readonly space: string;
  readonly group: string;
  readonly name: string;
  readonly store: string;
  readonly target: string;
  readonly refreshInterval: string;
  readonly environments: readonly string[];
  /** Its remote secrets: ids of {@link ReportAccess.remotes}, sorted. */
  readonly remotes: readonly string[];
  readonly creationPolicy: string;
  readonly deletionPolicy: string;
}

/** An environment in the report. */
export interface ReportEnvironment {
  readonly name: string;
  readonly production: boolean;
  readonly refreshInterval: string;
  /** Its planes, `<space>/<group>/<plane>`, sorted. */
  readonly planes: readonly string[];
}

/** A remote secret of a shared secret, listed once in `report.json`. */
export interface ReportRemote {
  /** `<secret path>#<ref>`. */
  readonly id: string;
  /** Construct path of the shared secret. */
  readonly secret: string;
  readonly kind: RemoteRef['kind'];
  readonly ref: string;
  readonly resource: string;
  /** Environments that own it (declared by `Environment.owns`, else derived from the planes its stores declare), sorted. */
  readonly environments: readonly string[];
  /** Present (true) when its owners come from an `owns` declaration. */
  readonly ownershipDeclared?: true;
  /** Environments its owners share it with (`SecretOwnership.sharedWith`; `*`: every environment), sorted. Absent: not shared. */
  readonly sharedWith?: readonly string[];
}

/** An access path, listed once in `report.json`. */
export interface ReportPath {
  readonly id: string;
  readonly kind: AccessPath['kind'];
  readonly description: string;
  readonly store?: string;
  readonly credentials?: string;
  readonly principal?: string;
  /** Principals the plane goes through before {@link principal} (by sts:AssumeRole), in order. */
  readonly via?: readonly string[];
}

/** How a plane receives and can read some remote secrets: the same for each of them. */
export interface ReportAccessSet {
  /** Ids of the remote secrets ({@link ReportRemote.id}), sorted. */
  readonly remotes: readonly string[];
  /** Namespaces each is delivered to (absent: not delivered). */
  readonly delivered?: readonly string[];
  /** How the plane can read each: path id → the namespaces it works from (`*` = any). Absent: not readable. */
  readonly readable?: Readonly<Record<string, readonly string[]>>;
  /** Present (true) when the plane receives or reads them across environments. */
  readonly crossEnvironment?: true;
  /** Present (true) when they are owned by a production environment and the plane is not production. */
  readonly productionOutsideProduction?: true;
}

/** One plane's access in `report.json`: every remote secret it receives or can read, grouped by how. */
export interface ReportAccessRow {
  /** Plane key, `<space>/<group>/<plane>`; for a plain ESO cluster `clusters/<name>`. */
  readonly plane: string;
  readonly environment: string;
  /** Sorted by their first remote id; each remote secret of the plane is in exactly one. */
  readonly byAccess: readonly ReportAccessSet[];
}

/** One plane × remote secret pair, as reports of schema {@link REPORT_SCHEMA_VERSION_CELLS} and older store it. */
export interface ReportAccessCell extends Omit<ReportAccessSet, 'remotes'> {
  /** Id of the remote secret ({@link ReportRemote.id}). */
  readonly remote: string;
}

/** The access matrix as `report.json` stores it: remote secrets and paths once, then per plane its pairs. */
export interface ReportAccess {
  /** Sorted by id. */
  readonly remotes: readonly ReportRemote[];
  /** Sorted by id. */
  readonly paths: readonly ReportPath[];
  /** Sorted by key: the planes' rows, and those of plain ESO clusters (`clusters/<name>`, in `report.json` itself). */
  readonly planes: readonly ReportAccessRow[];
}

/** Everything `report.json` holds (and `REPORT.md` shows). */
export interface ReportData {
  /** {@link REPORT_SCHEMA_VERSION}; {@link REPORT_SCHEMA_VERSION_CELLS} or {@link REPORT_SCHEMA_VERSION_SINGLE_FILE} for a report read from an older synthesis. */
  readonly schemaVersion: number;
  readonly generator: 'secrets-topology';
  readonly summary: ReportSummary;
  readonly settings: GuardrailReport['settings'];
  /** What the analysis assumes, in plain sentences. */
  readonly assumptions: readonly string[];
  /** Assumptions weaker than the defaults, named in the topology with their reasons (`Guardrails.assume`). */
  readonly assumed: readonly Assumption[];
  readonly environments: readonly ReportEnvironment[];
  readonly stores: readonly ReportStore[];
  readonly secrets: readonly ReportSecret[];
  /** What Spaces creates in each plane. */
  readonly planes: readonly ReportPlane[];
  /** The access matrix (see {@link flattenAccess} for one row per pair). */
  readonly access: ReportAccess;
  /** Published cloud principals and what they can read. */
  readonly principals: readonly PrincipalAccess[];
  /** Warnings not acknowledged. */
  readonly warnings: readonly ReportFinding[];
  /** Findings (guardrail errors and warnings) covered by an opt-out. */
  readonly allowed: readonly ReportFinding[];
  /** Every opt-out, its reason and the subjects it covers. */
  readonly optOuts: readonly OptOutUse[];
}

function planeKey(p: ControlPlane): string {
  return `${p.group.space.name}/${p.group.name}/${p.name}`;
}

function finding(f: Finding): ReportFinding {
  return { rule: f.rule, severity: f.severity, path: f.path, subject: f.subject, message: f.message, optOut: f.optOut };
}

/** The assumptions of the analysis, as sentences (see docs/threat-model.md). */
export function assumptionsOf(matrix: AccessMatrix): string[] {
  return [
    matrix.options.declaredNamespacesOnly
      ? 'A store is usable only from the namespaces it selects (assumption "declared-namespaces-only", named in the topology).'
      : "Plane users create namespaces: a store usable in a plane is usable from any namespace of it, and so is the workload identity of the plane's ESO.",
    matrix.options.storeSelectorsEnforced
      ? 'A plane can use only the SharedSecretStores projected into it (assumption "store-selectors-enforced", named in the topology).'
      : "A plane can name any SharedSecretStore of its group from a hand-made ClusterSecretStore (upboundspaces.storeRef.name): the public upboundspaces provider never reads the store's selectors.",
    'A principal is shared by everything that can become it: one role, managed identity, service account or workload-pool principal across every Space and ESO cluster, and every role it can assume.',
    'Static credentials and chained store roles are assumed to read every remote secret that any store using them references ("credentials scope unknown").',
    'Grant conditions the analysis cannot evaluate (AWS conditions, CEL beyond resource.name tests) are assumed to allow.',
    'A remote secret belongs to the environments that declare it (Environment "owns"), else to the environments of the planes its stores declare, never to where it is delivered.',
  ];
}

/**
 * Builds the report data from the model, its placement, the access matrix and the guardrails.
 * Pure: the same model gives the same data.
 */
export function buildReport(root: Construct, placement: Placement, matrix: AccessMatrix, guardrails: GuardrailReport): ReportData {
  const planes = ControlPlane.all(root);
  const envs = (r: ReturnType<Placement['ofStore']>): string[] =>
    [...new Set(r.filter((x) => x.namespaces.length > 0).map((x) => x.plane.environment?.name ?? NO_ENVIRONMENT))].sort();

  const stores: ReportStore[] = SecretStore.all(root)
    .map((s) => ({
      path: s.node.path,
      space: s.group.space.name,
      group: s.group.name,
      name: s.name,
      backend: s.provider?.describe() ?? 'unknown',
      auth: describeAuth(s),
      credentials: s.provider?.credentials ? `${s.group.space.name}/${s.group.name}/${s.provider.credentials.secretName}` : undefined,
      environments: envs(placement.ofStore(s)),
    }))
    .sort((a, b) => cmp(a.path, b.path));

  const access = accessOf(matrix);
  const remotesBySecret = new Map<string, string[]>();
  for (const r of access.remotes) {
    const list = remotesBySecret.get(r.secret);
    if (list) list.push(r.id);
    else remotesBySecret.set(r.secret, [r.id]);
  }
  const secrets: ReportSecret[] = SharedSecret.all(root)
    .filter((s) => s.store !== undefined)
    .map((s) => {
      return {
        path: s.node.path,
        space: s.group.space.name,
        group: s.group.name,
        name: s.name,
        store: s.store.node.path,
        target: s.targetName,
        refreshInterval: effectiveRefreshInterval(s, placement),
        environments: envs(placement.ofSecret(s)),
        remotes: [...(remotesBySecret.get(s.node.path) ?? [])].sort(),
        creationPolicy: s.target?.creationPolicy ?? 'Owner',
        deletionPolicy: s.target?.deletionPolicy ?? 'Retain',
      };
    })
    .sort((a, b) => cmp(a.path, b.path));

  const environments: ReportEnvironment[] = Environment.all(root)
    .map((e) => ({
      name: e.name,
      production: e.production,
      refreshInterval: e.refreshInterval,
      planes: planes
        .filter((p) => p.environment === e)
        .map(planeKey)
        .sort(),
    }))
    .sort((a, b) => cmp(a.name, b.name));
  const envless = planes
    .filter((p) => !p.environment)
    .map(planeKey)
    .sort();
  if (envless.length > 0) environments.push({ name: NO_ENVIRONMENT, production: false, refreshInterval: '1h', planes: envless });

  const remoteKeys = new Set(matrix.entries.map((e) => `${e.store}\u0000${e.remote.kind}\u0000${e.remote.resource}`));

  // Pairs of every reader: planes and plain ESO clusters (a reader of another environment's secret is one, whoever it is).
  const pairs = readerEntries(matrix);
  const readable = pairs.filter((e) => e.readable);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: 'secrets-topology',
    summary: {
      spaces: Space.all(root).length,
      groups: Group.all(root).length,
      planes: planes.length,
      environments: Environment.all(root).length,
      stores: stores.length,
      secrets: secrets.length,
      remoteSecrets: remoteKeys.size,
      deliveredPairs: pairs.filter((e) => e.delivered.length > 0).length,
      readablePairs: readable.length,
      readableNotDelivered: readable.filter((e) => e.delivered.length === 0).length,
      crossEnvironmentPairs: pairs.filter((e) => e.crossEnvironment).length,
      principals: matrix.principals.length,
      warnings: guardrails.warnings.length,
      optOuts: guardrails.optOuts.length,
      allowed: guardrails.allowed.length,
    },
    settings: guardrails.settings,
    assumptions: assumptionsOf(matrix),
    assumed: guardrails.assumptions,
    environments,
    stores,
    secrets,
    planes: projectionPreview(root, placement).map(compactPlane),
    access,
    principals: matrix.principals,
    warnings: guardrails.warnings.map(finding),
    allowed: guardrails.allowed.map(finding),
    optOuts: guardrails.optOuts,
  };
}

/** Every reader × remote secret pair of the matrix: the planes', then the plain ESO clusters' (keys `clusters/<name>`). */
export function readerEntries(matrix: AccessMatrix): AccessEntry[] {
  return [...matrix.entries, ...matrix.clusters];
}

/** The display name of a reader key: a plane's name (`<space>/<group>/<plane>` without the first two), or `ESO cluster <name>`. */
export function readerName(key: string): string {
  const cluster = clusterOfReaderKey(key);
  return cluster !== undefined ? `ESO cluster ${cluster}` : key.split('/').slice(2).join('/');
}

/** The id of a remote secret of a shared secret in `report.json`. */
export function remoteId(secret: string, ref: string): string {
  return `${secret}#${ref}`;
}

/** The access matrix in the compact form of `report.json`. */
export function accessOf(matrix: AccessMatrix): ReportAccess {
  const remotes = new Map<string, ReportRemote>();
  const paths = new Map<string, ReportPath>();
  type AccessSet = {
    remotes: string[];
    delivered?: readonly string[];
    readable?: Record<string, readonly string[]>;
    crossEnvironment?: true;
    productionOutsideProduction?: true;
  };
  const planes = new Map<string, { plane: string; environment: string; sets: Map<string, AccessSet> }>();
  const ids = new Map<RemoteRef, string>(); // entries of one remote secret share its RemoteRef
  for (const e of readerEntries(matrix)) {
    let id = ids.get(e.remote);
    if (id === undefined) {
      id = remoteId(e.secret, e.remote.ref);
      ids.set(e.remote, id);
    }
    if (!remotes.has(id))
      remotes.set(id, {
        id,
        secret: e.secret,
        kind: e.remote.kind,
        ref: e.remote.ref,
        resource: e.remote.resource,
        environments: e.secretEnvironments,
        ...(e.ownershipDeclared ? { ownershipDeclared: true as const } : {}),
        ...(e.sharedWith ? { sharedWith: e.sharedWith } : {}),
      });
    for (const p of e.paths) {
      if (!paths.has(p.id))
        paths.set(p.id, {
          id: p.id,
          kind: p.kind,
          description: p.description,
          store: p.store,
          credentials: p.credentials,
          principal: p.principal,
          ...(p.via ? { via: p.via } : {}),
        });
    }
    let plane = planes.get(e.plane);
    if (!plane) {
      plane = { plane: e.plane, environment: e.environment, sets: new Map() };
      planes.set(e.plane, plane);
    }
    // Entries of a plane that are delivered and readable alike share one set.
    let how = `${e.crossEnvironment ? 'x' : '-'}${e.productionOutsideProduction ? 'p' : '-'}${e.delivered.join(',')}`;
    for (const p of e.paths) how += `\u0000${p.id}\u0001${p.namespaces.join(',')}`;
    const set = plane.sets.get(how);
    if (set) set.remotes.push(id);
    else {
      plane.sets.set(how, {
        remotes: [id],
        delivered: e.delivered.length > 0 ? e.delivered : undefined,
        readable: e.readable ? Object.fromEntries(e.paths.map((p) => [p.id, p.namespaces])) : undefined,
        crossEnvironment: e.crossEnvironment ? true : undefined,
        productionOutsideProduction: e.productionOutsideProduction ? true : undefined,
      });
    }
  }
  const byId = <T extends { id: string }>(a: T, b: T): number => cmp(a.id, b.id);
  return {
    remotes: [...remotes.values()].sort(byId),
    paths: [...paths.values()].sort(byId),
    planes: [...planes.values()]
      .sort((a, b) => cmp(a.plane, b.plane))
      .map((p) => ({
        plane: p.plane,
        environment: p.environment,
        byAccess: [...p.sets.values()]
          .map((set) => ({ ...set, remotes: set.remotes.sort(cmp) }))
          .sort((a, b) => cmp(a.remotes[0], b.remotes[0])),
      })),
  };
}

/**
 * Access rows of a report of any schema in the layout of {@link REPORT_SCHEMA_VERSION}: rows of
 * schema {@link REPORT_SCHEMA_VERSION_CELLS} and older, one cell per remote secret, become rows of
 * one-secret sets.
 */
export function accessRows(
  rows: ReadonlyArray<ReportAccessRow | { plane: string; environment: string; cells: readonly ReportAccessCell[] }>,
): ReportAccessRow[] {
  return rows.map((row) =>
    'cells' in row
      ? { plane: row.plane, environment: row.environment, byAccess: row.cells.map(({ remote, ...how }) => ({ remotes: [remote], ...how })) }
      : row,
  );
}

/**
 * One {@link AccessEntry} per plane × remote secret pair of a report, joined back from its
 * compact form (for the Markdown, the change review and tests). Identity paths get the grant that
 * the principal's reads name.
 */
export function flattenAccess(data: ReportData): AccessEntry[] {
  const remotes = new Map(data.access.remotes.map((r) => [r.id, r]));
  const paths = new Map(data.access.paths.map((p) => [p.id, p]));
  const secrets = new Map(data.secrets.map((s) => [s.path, s]));
  const stores = new Map(data.stores.map((s) => [s.path, s]));
  const planePaths = new Map(data.planes.map((p) => [p.key, p.path]));
  const grants = new Map<string, string>();
  for (const p of data.principals) for (const r of p.reads) grants.set(`${p.id}\u0000${r.secret}\u0000${r.ref}`, r.grant);
  const out: AccessEntry[] = [];
  for (const plane of data.access.planes) {
    // One entry per remote secret, in the order of their ids (as the access matrix lists them).
    const cells = plane.byAccess
      .flatMap(({ remotes: ids, ...how }) => ids.map((remote) => ({ remote, ...how })))
      .sort((a, b) => cmp(a.remote, b.remote));
    for (const c of cells) {
      const r = remotes.get(c.remote);
      if (!r) continue;
      const secret = secrets.get(r.secret);
      const store = secret ? stores.get(secret.store) : undefined;
      const ps: AccessPath[] = Object.entries(c.readable ?? {})
        .sort(([a], [b]) => cmp(a, b))
        .map(([id, namespaces]) => {
          const p = paths.get(id);
          const grant = p?.principal ? grants.get(`${p.principal}\u0000${r.secret}\u0000${r.ref}`) : undefined;
          return {
            kind: p?.kind ?? 'credentials',
            id,
            description: p?.description ?? id,
            namespaces,
            store: p?.store,
            credentials: p?.credentials,
            principal: p?.principal,
            ...(p?.via ? { via: p.via } : {}),
            grant,
          };
        });
      out.push({
        plane: plane.plane,
        planeName: readerName(plane.plane),
        planePath: planePaths.get(plane.plane) ?? plane.plane,
        environment: plane.environment,
        secret: r.secret,
        secretName: secret?.name ?? r.secret.split('/').pop() ?? r.secret,
        target: secret?.target ?? '',
        store: secret?.store ?? '',
        storeName: store?.name ?? '',
        remote: { kind: r.kind, ref: r.ref, resource: r.resource },
        secretEnvironments: r.environments,
        ownershipDeclared: r.ownershipDeclared === true,
        ...(r.sharedWith ? { sharedWith: r.sharedWith } : {}),
        delivered: c.delivered ?? [],
        readable: ps.length > 0,
        paths: ps,
        crossEnvironment: c.crossEnvironment === true,
        productionOutsideProduction: c.productionOutsideProduction === true,
      });
    }
  }
  return out;
}

/** The parts of a report that belong to one Space (in the index: to no Space, e.g. a plain ESO cluster's principal). */
export interface ReportPart {
  readonly stores: readonly ReportStore[];
  readonly secrets: readonly ReportSecret[];
  readonly planes: readonly ReportPlane[];
  /** Access rows of the planes of the part, with the remote secrets and paths they name. */
  readonly access: ReportAccess;
  readonly principals: readonly PrincipalAccess[];
}

/** `spaces/<space>/report.json`: what one Space holds. */
export interface ReportSpaceFile extends ReportPart {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly generator: 'secrets-topology';
  readonly space: string;
  /**
   * When the Space's report is split: the files that hold its planes and their access rows (then
   * `planes` and `access.planes` are empty here), relative to the output directory, in plane order.
   * @default none (the planes are in this file)
   */
  readonly parts?: ReadonlyArray<{ readonly file: string; readonly planes: number }>;
}

/** `spaces/<space>/report-planes-<n>.json`: some planes of a Space whose report is split, and their access rows. */
export interface ReportPlanesFile {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly generator: 'secrets-topology';
  readonly space: string;
  readonly planes: readonly ReportPlane[];
  readonly access: { readonly planes: readonly ReportAccessRow[] };
}

/** `report.json` since schema 2: everything but the per-Space parts, and the list of Space files. */
export interface ReportIndex extends ReportPart, Omit<ReportData, keyof ReportPart | 'schemaVersion' | 'environments'> {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** The environments without their planes (those follow from the planes' projections in the Space files). */
  readonly environments: ReadonlyArray<Omit<ReportEnvironment, 'planes'>>;
  /** The Space files, sorted by Space; `file` is relative to the directory of `report.json`. */
  readonly spaces: ReadonlyArray<{ readonly space: string; readonly file: string }>;
}

/** A file of the JSON report: the index, a Space file or a part of a split Space. */
export type ReportJsonFile = ReportIndex | ReportSpaceFile | ReportPlanesFile;

/**
 * Largest estimated size of a Space file of the JSON report ({@link estimateJsonBytes}); the planes
 * of a larger Space go into part files of at most this size each (a plane is never split). The
 * estimate runs above the formatted size, so files stay well below GitHub's 100 MiB limit and the
 * 25 MB this project allows itself.
 */
export const REPORT_FILE_BUDGET = 8 * 1024 * 1024;

/** Path of part `n` (from 1) of the planes of a Space whose report is split. */
export function spacePartPath(space: string, n: number): string {
  return `spaces/${space}/report-planes-${String(n).padStart(3, '0')}.json`;
}

/**
 * About how many bytes `value` takes as {@link formatJson} writes it, counted without building the
 * text: every scalar, key and bracket as if on a line of its own, indented. Deterministic; above
 * the real size for the report's values (which put short values on one line).
 */
export function estimateJsonBytes(value: unknown, depth = 1): number {
  const line = 2 * depth + 2;
  if (typeof value === 'string') return value.length + 2 + line;
  if (value === null || typeof value !== 'object') return String(value).length + line;
  let n = 2 * line;
  if (Array.isArray(value)) {
    for (const item of value) n += estimateJsonBytes(item, depth + 1);
  } else {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) n += k.length + 4 + estimateJsonBytes(v, depth + 1);
  }
  return n;
}

/** A report split by Space (key undefined: items of no Space, which stay in the index); access rows go with their plane. */
function partsBySpace(data: ReportData): Map<string | undefined, ReportPart> {
  const parts = new Map<
    string | undefined,
    {
      stores: ReportStore[];
      secrets: ReportSecret[];
      planes: ReportPlane[];
      rows: ReportAccess['planes'][number][];
      principals: PrincipalAccess[];
    }
  >();
  const part = (space: string | undefined) => {
    let p = parts.get(space);
    if (!p) {
      p = { stores: [], secrets: [], planes: [], rows: [], principals: [] };
      parts.set(space, p);
    }
    return p;
  };
  part(undefined);
  const planeSpace = new Map<string, string>();
  for (const p of data.planes) {
    planeSpace.set(p.key, p.space);
    part(p.space).planes.push(p);
  }
  for (const s of data.stores) part(s.space).stores.push(s);
  for (const s of data.secrets) part(s.space).secrets.push(s);
  for (const p of data.principals) part(p.space).principals.push(p);
  for (const row of data.access.planes) part(planeSpace.get(row.plane)).rows.push(row);
  const remotes = new Map(data.access.remotes.map((r) => [r.id, r]));
  const paths = new Map(data.access.paths.map((p) => [p.id, p]));
  const out = new Map<string | undefined, ReportPart>();
  for (const [space, p] of parts) {
    const remoteIds = new Set<string>();
    const pathIds = new Set<string>();
    for (const row of p.rows) {
      for (const set of row.byAccess) {
        for (const id of set.remotes) remoteIds.add(id);
        for (const id in set.readable) pathIds.add(id);
      }
    }
    const pick = <T>(ids: Set<string>, byId: Map<string, T>): T[] => [...ids].sort(cmp).flatMap((id) => byId.get(id) ?? []);
    out.set(space, {
      stores: p.stores,
      secrets: p.secrets,
      planes: p.planes,
      access: { remotes: pick(remoteIds, remotes), paths: pick(pathIds, paths), planes: p.rows },
      principals: p.principals,
    });
  }
  return out;
}

/** Options of {@link reportJsonParts}. */
export interface ReportJsonOptions {
  /**
   * Largest estimated size of a Space file; larger Spaces are split into part files.
   * @default REPORT_FILE_BUDGET
   */
  readonly fileBudget?: number;
}

/**
 * The files of the JSON report, index first, each built on its own (so the whole report never
 * exists as one value or one string): `report.json`, one `spaces/<space>/report.json` per Space
 * and, for a Space above the budget, its planes in `spaces/<space>/report-planes-<n>.json`; to be
 * written with {@link formatJson}. Paths are relative to the output directory.
 */
export function* reportJsonParts(
  data: ReportData,
  options: ReportJsonOptions = {},
): Generator<readonly [path: string, file: ReportJsonFile]> {
  const budget = options.fileBudget ?? REPORT_FILE_BUDGET;
  const parts = partsBySpace(data);
  const spaces = [...parts.keys()].filter((s): s is string => s !== undefined).sort(cmp);
  const rest = parts.get(undefined) as ReportPart;
  parts.delete(undefined);
  const index: ReportIndex = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: data.generator,
    summary: data.summary,
    settings: data.settings,
    assumptions: data.assumptions,
    assumed: data.assumed,
    environments: data.environments.map(({ planes: _planes, ...e }) => e),
    warnings: data.warnings,
    allowed: data.allowed,
    optOuts: data.optOuts,
    spaces: spaces.map((space) => ({ space, file: spaceReportPath(space) })),
    ...rest,
  };
  yield [REPORT_JSON, index];
  for (const space of spaces) {
    const part = parts.get(space) as ReportPart;
    parts.delete(space); // handed on: the writer thread has its own copy
    const head = { schemaVersion: REPORT_SCHEMA_VERSION, generator: data.generator, space } as const;
    const chunks = planeChunks(part, budget);
    if (chunks.length <= 1) {
      yield [spaceReportPath(space), { ...head, ...part }];
      continue;
    }
    yield [
      spaceReportPath(space),
      {
        ...head,
        ...part,
        planes: [],
        access: { ...part.access, planes: [] },
        parts: chunks.map((c, i) => ({ file: spacePartPath(space, i + 1), planes: c.planes.length })),
      },
    ];
    for (const [i, c] of chunks.entries()) yield [spacePartPath(space, i + 1), { ...head, planes: c.planes, access: { planes: c.rows } }];
  }
}

/**
 * The planes of a Space part (with their access rows) in consecutive chunks of at most `budget`
 * estimated bytes; one chunk when the whole part fits.
 */
function planeChunks(part: ReportPart, budget: number): Array<{ planes: ReportPlane[]; rows: ReportAccessRow[] }> {
  const rows = new Map(part.access.planes.map((r) => [r.plane, r]));
  const sizes = part.planes.map((p) => estimateJsonBytes(p, 2) + estimateJsonBytes(rows.get(p.key), 3));
  const fixed = estimateJsonBytes({ ...part, planes: [], access: { ...part.access, planes: [] } });
  if (fixed + sizes.reduce((a, b) => a + b, 0) <= budget) return [{ planes: [...part.planes], rows: [...part.access.planes] }];
  const chunks: Array<{ planes: ReportPlane[]; rows: ReportAccessRow[]; size: number }> = [];
  for (const [i, plane] of part.planes.entries()) {
    const size = sizes[i];
    let chunk = chunks[chunks.length - 1];
    if (!chunk || (chunk.size + size > budget && chunk.planes.length > 0)) {
      chunk = { planes: [], rows: [], size: 0 };
      chunks.push(chunk);
    }
    chunk.planes.push(plane);
    const row = rows.get(plane.key);
    if (row) chunk.rows.push(row);
    chunk.size += size;
  }
  return chunks;
}

/**
 * A Space file with the planes and access rows of its part files put back in (a Space file that
 * is not split is returned as it is).
 */
export function withParts(file: ReportSpaceFile, parts: readonly ReportPlanesFile[]): ReportSpaceFile {
  if (parts.length === 0) return file;
  const { parts: _parts, ...rest } = file;
  return {
    ...rest,
    planes: [...file.planes, ...parts.flatMap((p) => p.planes)],
    access: { ...file.access, planes: [...file.access.planes, ...parts.flatMap((p) => p.access.planes)] },
  };
}

/**
 * The whole report from its index and Space files (the inverse of {@link reportJsonParts}, with
 * each split Space file joined by {@link withParts} first): the parts are concatenated and sorted
 * as {@link buildReport} sorts them.
 */
export function joinReport(index: ReportIndex, files: readonly ReportSpaceFile[]): ReportData {
  const parts: ReportPart[] = [index, ...files];
  const all = <T>(f: (p: ReportPart) => readonly T[]): T[] => parts.flatMap((p) => [...f(p)]);
  const unique = <T extends { id: string }>(items: T[]): T[] =>
    [...new Map(items.map((x) => [x.id, x])).values()].sort((a, b) => cmp(a.id, b.id));
  const { spaces: _spaces, ...rest } = index;
  const planeKeys = new Map<string, string[]>();
  for (const p of all((x) => x.planes)) {
    const env = p.environment ?? NO_ENVIRONMENT;
    const keys = planeKeys.get(env);
    if (keys) keys.push(p.key);
    else planeKeys.set(env, [p.key]);
  }
  return {
    ...rest,
    environments: index.environments.map((e) => ({ ...e, planes: (planeKeys.get(e.name) ?? []).sort(cmp) })),
    stores: all((p) => p.stores).sort((a, b) => cmp(a.path, b.path)),
    secrets: all((p) => p.secrets).sort((a, b) => cmp(a.path, b.path)),
    planes: all((p) => p.planes).sort((a, b) => cmp(a.space, b.space) || cmp(a.group, b.group) || cmp(a.plane, b.plane)),
    access: {
      remotes: unique(all((p) => p.access.remotes)),
      paths: unique(all((p) => p.access.paths)),
      planes: all((p) => p.access.planes).sort((a, b) => cmp(a.plane, b.plane)),
    },
    principals: all((p) => p.principals).sort((a, b) => cmp(a.id, b.id)),
  };
}

export { REPORT_JSON_WIDTH, formatJson } from '../output/json-render.js';

/**
 * The review-report stage: writes `REPORT.md` and `report.json` at the top of the output
 * directory and `report.json` of each Space in `spaces/<space>/`, from the context's access matrix
 * and guardrail report: what the report shows is exactly what was checked.
 */
export class ReviewReport implements Synthesizer {
  public readonly name = 'report';
  public readonly stage = Stage.REPORT;

  public emit(ctx: SynthContext, out: OutputSink): void {
    const data = buildReport(ctx.root, ctx.placement, ctx.access, ctx.guardrails);
    for (const [path, part] of reportJsonParts(data)) out.addJsonFile(path, part, ctx.root);
    out.addFile(REPORT_MD, renderReportMarkdown(data, { access: readerEntries(ctx.access) }), ctx.root);
  }
}
