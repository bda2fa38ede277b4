/**
 * Change review: compares two JSON reports (`report.json` and its Space files; a base, e.g. the
 * merge base of a pull request, and the head) and says in plain sentences what changes: which planes gain or lose which secrets
 * in which namespaces, which principals can newly read what, which access crosses environments,
 * and which warnings and opt-outs appear or go. Pure: two reports in, a change list out.
 */
import { principalKindWord, type AccessEntry, type AccessPath, type PrincipalAccess } from '../analysis/access.js';
import {
  REPORT_JSON,
  REPORT_SCHEMA_VERSION,
  REPORT_SCHEMA_VERSION_CELLS,
  REPORT_SCHEMA_VERSION_SINGLE_FILE,
  accessRows,
  flattenAccess,
  joinReport,
  type ReportAccess,
  type ReportData,
  type ReportIndex,
  type ReportSpaceFile,
} from './report.js';
import { cmp } from '../private/order.js';

/** The sections of a review, in display order. */
export const CHANGE_SECTIONS = ['cross-environment', 'delivery', 'access', 'warnings', 'opt-outs'] as const;
/** A section of a review. */
export type ChangeSection = (typeof CHANGE_SECTIONS)[number];

/** One change between two reports. */
export interface ReportChange {
  /** Where it is shown. */
  readonly section: ChangeSection;
  /** `added` (gains, new access, new warning) or `removed`, or `changed`. */
  readonly direction: 'added' | 'removed' | 'changed';
  /** The sentence, e.g. `plane eu-prod-1 gains secret db-credentials in namespace team-a`. */
  readonly sentence: string;
  /** True for new readable pairs across environments (they make the review fail). */
  readonly addsCrossEnvironment: boolean;
}

/** The result of comparing two reports. */
export interface ReviewResult {
  /** Every change, sorted by section, direction and sentence. */
  readonly changes: readonly ReportChange[];
  /** Whether the change adds a readable pair across environments. */
  readonly addsCrossEnvironment: boolean;
  /** Whether there was a base report at all. */
  readonly hasBase: boolean;
  /** Summary counts before and after. */
  readonly counts: {
    readonly before?: { readonly delivered: number; readonly readable: number; readonly crossEnvironment: number };
    readonly after: { readonly delivered: number; readonly readable: number; readonly crossEnvironment: number };
  };
}

/** Exit code of `npm run review` when the change adds cross-environment access. */
export const EXIT_CROSS_ENVIRONMENT = 2;

/**
 * Parses a JSON report file, checking its schema version: the index `report.json` (or a Space's
 * `report.json`) of schema {@link REPORT_SCHEMA_VERSION} or {@link REPORT_SCHEMA_VERSION_CELLS},
 * or a whole `report.json` of schema {@link REPORT_SCHEMA_VERSION_SINGLE_FILE} (from before the
 * split). Access rows are returned in the layout of the current schema.
 *
 * @param text the file's content
 * @param where where it comes from, for the error message
 */
export function parseReport(text: string, where: string): ReportIndex | ReportData {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where} is not JSON (${(e as Error).message}): synthesize again (npm run synth).`, { cause: e });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION && version !== REPORT_SCHEMA_VERSION_CELLS && version !== REPORT_SCHEMA_VERSION_SINGLE_FILE) {
    throw new Error(
      `${where} has report schema version ${JSON.stringify(version)}, but this review understands versions ${REPORT_SCHEMA_VERSION_SINGLE_FILE} to ${REPORT_SCHEMA_VERSION}: synthesize both sides with the same version of the compiler.`,
    );
  }
  const report = data as ReportIndex | ReportData;
  const access: ReportAccess = { ...report.access, planes: accessRows(report.access.planes) };
  return { ...report, access };
}

/**
 * Reads a whole report: the index `report.json` and the Space files it lists, or a single
 * `report.json` of schema {@link REPORT_SCHEMA_VERSION_SINGLE_FILE}. Undefined when there is no
 * `report.json`.
 *
 * @param read the content of a file, by its path relative to the output directory (undefined: none)
 * @param where where the report comes from, for error messages (e.g. `dist at main`)
 */
export async function loadReport(
  read: (path: string) => Promise<string | undefined> | string | undefined,
  where: string,
): Promise<ReportData | undefined> {
  const text = await read(REPORT_JSON);
  if (text === undefined) return undefined;
  const top = parseReport(text, `${where}/${REPORT_JSON}`);
  if (top.schemaVersion === REPORT_SCHEMA_VERSION_SINGLE_FILE) return top;
  const index = top as ReportIndex;
  const files = await Promise.all(
    index.spaces.map(async (s) => {
      const t = await read(s.file);
      if (t === undefined) throw new Error(`${where}/${s.file} is missing (listed in ${REPORT_JSON}): synthesize again (npm run synth).`);
      const f = parseReport(t, `${where}/${s.file}`) as unknown as ReportSpaceFile;
      if (f.schemaVersion !== index.schemaVersion || f.space !== s.space)
        throw new Error(`${where}/${s.file} is not the report of Space ${s.space}: synthesize again (npm run synth).`);
      return f;
    }),
  );
  return joinReport(index, files);
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function namespaces(ns: readonly string[]): string {
  return `namespace${ns.length === 1 ? '' : 's'} ${list(ns)}`;
}

/** Plane display names: the plane name, or `<space>/<group>/<plane>` when the name is ambiguous. */
function planeNamer(reports: ReadonlyArray<ReportData | undefined>): (key: string) => string {
  const keysByName = new Map<string, Set<string>>();
  for (const r of reports) {
    for (const p of r?.planes ?? []) keysByName.set(p.plane, (keysByName.get(p.plane) ?? new Set()).add(p.key));
    for (const e of r?.access.planes ?? []) {
      const name = e.plane.split('/').slice(2).join('/');
      keysByName.set(name, (keysByName.get(name) ?? new Set()).add(e.plane));
    }
  }
  return (key) => {
    const name = key.split('/').slice(2).join('/');
    return (keysByName.get(name)?.size ?? 0) > 1 ? key : name;
  };
}

function counts(access: readonly AccessEntry[]): { delivered: number; readable: number; crossEnvironment: number } {
  return {
    delivered: access.filter((e) => e.delivered.length > 0).length,
    readable: access.filter((e) => e.readable).length,
    crossEnvironment: access.filter((e) => e.crossEnvironment).length,
  };
}

/** Namespaces delivered per (plane, secret), from the access entries. */
function deliveries(
  access: readonly AccessEntry[],
): Map<string, { plane: string; secret: string; secretName: string; namespaces: Set<string> }> {
  const out = new Map<string, { plane: string; secret: string; secretName: string; namespaces: Set<string> }>();
  for (const e of access) {
    if (e.delivered.length === 0) continue;
    const k = `${e.plane}\u0000${e.secret}`;
    const d = out.get(k) ?? { plane: e.plane, secret: e.secret, secretName: e.secretName, namespaces: new Set<string>() };
    for (const n of e.delivered) d.namespaces.add(n);
    out.set(k, d);
  }
  return out;
}

/** Readable (plane, remote secret, path) triples. */
function readableTriples(access: readonly AccessEntry[]): Map<string, { entry: AccessEntry; path: AccessPath }> {
  const out = new Map<string, { entry: AccessEntry; path: AccessPath }>();
  for (const e of access) {
    for (const p of e.paths)
      out.set(`${e.plane}\u0000${e.store}\u0000${e.remote.kind}\u0000${e.remote.resource}\u0000${p.id}`, { entry: e, path: p });
  }
  return out;
}

function principalWord(p: PrincipalAccess): string {
  return `${principalKindWord(p.kind)} ${p.id}`;
}

function remoteText(e: AccessEntry): string {
  return e.remote.kind === 'find' ? `${e.remote.resource} (${e.remote.ref})` : e.remote.resource;
}

/**
 * Compares a base report (undefined when the base has none) with the head report.
 *
 * @param base the report at the base revision, if any
 * @param head the report of the change
 */
export function compareReports(base: ReportData | undefined, head: ReportData): ReviewResult {
  const changes: ReportChange[] = [];
  const add = (section: ChangeSection, direction: ReportChange['direction'], sentence: string, addsCrossEnvironment = false): void => {
    changes.push({ section, direction, sentence, addsCrossEnvironment });
  };
  const plane = planeNamer([base, head]);
  const accessBefore = base ? flattenAccess(base) : [];
  const accessAfter = flattenAccess(head);

  // Deliveries.
  const before = deliveries(accessBefore);
  const after = deliveries(accessAfter);
  for (const k of [...new Set([...before.keys(), ...after.keys()])]) {
    const b = before.get(k);
    const a = after.get(k);
    const d = (a ?? b) as { plane: string; secretName: string };
    const gained = [...(a?.namespaces ?? [])].filter((n) => !b?.namespaces.has(n)).sort();
    const lost = [...(b?.namespaces ?? [])].filter((n) => !a?.namespaces.has(n)).sort();
    if (gained.length > 0) add('delivery', 'added', `plane ${plane(d.plane)} gains secret ${d.secretName} in ${namespaces(gained)}`);
    if (lost.length > 0) add('delivery', 'removed', `plane ${plane(d.plane)} loses secret ${d.secretName} in ${namespaces(lost)}`);
  }

  // Principals: what they can read and who can act as them.
  const principalsBefore = new Map((base?.principals ?? []).map((p) => [p.id, p]));
  const principalsAfter = new Map(head.principals.map((p) => [p.id, p]));
  for (const id of [...new Set([...principalsBefore.keys(), ...principalsAfter.keys()])]) {
    const b = principalsBefore.get(id);
    const a = principalsAfter.get(id);
    const who = principalWord((a ?? b) as PrincipalAccess);
    const readsBefore = new Set((b?.reads ?? []).map((r) => r.resource));
    const readsAfter = new Set((a?.reads ?? []).map((r) => r.resource));
    for (const r of [...readsAfter].filter((x) => !readsBefore.has(x)).sort()) add('access', 'added', `${who} can now read ${r}`);
    for (const r of [...readsBefore].filter((x) => !readsAfter.has(x)).sort()) add('access', 'removed', `${who} can no longer read ${r}`);
    const planesBefore = new Set(b?.planes ?? []);
    const planesAfter = new Set(a?.planes ?? []);
    for (const p of [...planesAfter].filter((x) => !planesBefore.has(x)).sort())
      add('access', 'added', `plane ${plane(p)} can now act as ${who}`);
    for (const p of [...planesBefore].filter((x) => !planesAfter.has(x)).sort())
      add('access', 'removed', `plane ${plane(p)} can no longer act as ${who}`);
  }

  // Plane-level read access through credentials or unpublished identities, and cross-environment.
  const triplesBefore = readableTriples(accessBefore);
  const triplesAfter = readableTriples(accessAfter);
  const grouped = new Map<string, { direction: 'added' | 'removed'; path: AccessPath; remote: string; planes: Set<string> }>();
  for (const [k, t] of triplesAfter) {
    const was = triplesBefore.get(k);
    if (t.entry.crossEnvironment && !was?.entry.crossEnvironment) {
      add(
        'cross-environment',
        'added',
        `plane ${plane(t.entry.plane)} (${t.entry.environment}) can now read ${remoteText(t.entry)} of environment ${list(t.entry.secretEnvironments)} through ${t.path.description}`,
        true,
      );
    }
    if (!was && t.path.kind !== 'identity') {
      const g = `added\u0000${t.path.id}\u0000${t.entry.remote.resource}`;
      const v = grouped.get(g) ?? { direction: 'added', path: t.path, remote: remoteText(t.entry), planes: new Set<string>() };
      v.planes.add(plane(t.entry.plane));
      grouped.set(g, v);
    }
  }
  for (const [k, t] of triplesBefore) {
    const now = triplesAfter.get(k);
    if (t.entry.crossEnvironment && !now?.entry.crossEnvironment) {
      add(
        'cross-environment',
        'removed',
        `plane ${plane(t.entry.plane)} (${t.entry.environment}) can no longer read ${remoteText(t.entry)} of environment ${list(t.entry.secretEnvironments)} through ${t.path.description}`,
      );
    }
    if (!now && t.path.kind !== 'identity') {
      const g = `removed\u0000${t.path.id}\u0000${t.entry.remote.resource}`;
      const v = grouped.get(g) ?? { direction: 'removed', path: t.path, remote: remoteText(t.entry), planes: new Set<string>() };
      v.planes.add(plane(t.entry.plane));
      grouped.set(g, v);
    }
  }
  for (const g of grouped.values()) {
    const ps = [...g.planes].sort();
    const subject = `plane${ps.length === 1 ? '' : 's'} ${list(ps)}`;
    add(
      'access',
      g.direction,
      `${subject} can ${g.direction === 'added' ? 'now' : 'no longer'} read ${g.remote} through ${g.path.description}`,
    );
  }

  // Warnings.
  const warnBefore = new Map((base?.warnings ?? []).map((w) => [`${w.rule}\u0000${w.subject}`, w]));
  const warnAfter = new Map(head.warnings.map((w) => [`${w.rule}\u0000${w.subject}`, w]));
  for (const [k, w] of warnAfter)
    if (!warnBefore.has(k)) add('warnings', 'added', `new warning ${w.rule} at ${w.path || '(app)'}: ${w.message}`);
  for (const [k, w] of warnBefore) if (!warnAfter.has(k)) add('warnings', 'removed', `warning ${w.rule} at ${w.path || '(app)'} is gone`);

  // Opt-outs.
  const optBefore = new Map((base?.optOuts ?? []).map((o) => [`${o.scope}\u0000${o.rule}`, o]));
  const optAfter = new Map(head.optOuts.map((o) => [`${o.scope}\u0000${o.rule}`, o]));
  for (const [k, o] of optAfter) {
    const b = optBefore.get(k);
    const covers = `covers ${o.covers.length} finding${o.covers.length === 1 ? '' : 's'}`;
    if (!b) add('opt-outs', 'added', `new opt-out ${o.rule} on ${o.scope || '(app)'} (${covers}), reason: ${o.reason}`);
    else if (b.reason !== o.reason)
      add('opt-outs', 'changed', `opt-out ${o.rule} on ${o.scope || '(app)'} has a new reason: ${o.reason} (was: ${b.reason})`);
  }
  for (const [k, o] of optBefore)
    if (!optAfter.has(k)) add('opt-outs', 'removed', `opt-out ${o.rule} on ${o.scope || '(app)'} is removed (reason was: ${o.reason})`);

  const order = (c: ReportChange): number => CHANGE_SECTIONS.indexOf(c.section);
  const dir = { added: 0, changed: 1, removed: 2 } as const;
  changes.sort((a, b) => order(a) - order(b) || dir[a.direction] - dir[b.direction] || cmp(a.sentence, b.sentence));
  return {
    changes,
    addsCrossEnvironment: changes.some((c) => c.addsCrossEnvironment),
    hasBase: base !== undefined,
    counts: { before: base ? counts(accessBefore) : undefined, after: counts(accessAfter) },
  };
}

/** Exit code of a review: {@link EXIT_CROSS_ENVIRONMENT} when it adds cross-environment access, else 0. */
export function reviewExitCode(result: ReviewResult): number {
  return result.addsCrossEnvironment ? EXIT_CROSS_ENVIRONMENT : 0;
}

const TITLES: Record<ChangeSection, string> = {
  'cross-environment': 'Cross-environment access',
  delivery: 'Deliveries',
  access: 'Read access',
  warnings: 'Warnings',
  'opt-outs': 'Opt-outs',
};

/**
 * Renders a review as Markdown for a pull-request comment.
 *
 * @param result the comparison
 * @param base how the base is named (e.g. `main (3f2a1b0)`)
 */
export function renderReview(result: ReviewResult, base: string): string {
  const out: string[] = ['## Secrets topology review', ''];
  const c = result.counts;
  if (!result.hasBase) out.push(`No report.json at ${base}: everything below is new.`, '');
  else out.push(`Compared with ${base}.`, '');
  const fmt = (n: { delivered: number; readable: number; crossEnvironment: number }): string =>
    `${n.delivered} delivered, ${n.readable} readable, ${n.crossEnvironment} across environments`;
  out.push(`Plane × remote secret pairs: ${c.before ? `${fmt(c.before)} → ` : ''}${fmt(c.after)}.`, '');
  if (result.addsCrossEnvironment) {
    out.push(
      '> **This change adds read access across environments** (opted out in the topology, so synthesis allowed it). Review the opt-outs below before merging.',
      '',
    );
  }
  if (result.changes.length === 0) {
    out.push('No change to deliveries, read access, warnings or opt-outs.');
    return `${out.join('\n')}\n`;
  }
  for (const section of CHANGE_SECTIONS) {
    const items = result.changes.filter((x) => x.section === section);
    if (items.length === 0) continue;
    out.push(`### ${TITLES[section]}`, '', ...items.map((x) => `- ${x.addsCrossEnvironment ? '⚠ ' : ''}${x.sentence}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
