/**
 * Change review: compares two JSON reports (a base, e.g. the merge base of a pull request, and the
 * head) and says in plain sentences what changes: which planes gain or lose which secrets in which
 * namespaces, which principals can newly read what, which access crosses environments, and which
 * warnings and opt-outs appear or go. Changes that differ only in the plane are one sentence naming
 * every plane. Pure: two reports in, a change list out; rendered in full ({@link renderReview}, for
 * a file) or as a pull-request comment that fits ({@link renderReviewComment}).
 */
import { principalKindWord, type AccessEntry, type AccessPath, type PrincipalAccess } from '../analysis/access.js';
import { flattenAccess, readerName, type ReportData } from './report.js';
import { cmp } from '../private/order.js';
import { codeBlock } from '../output/escape/markdown.js';
import { LINE_BREAKS, showControls } from '../private/controls.js';

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
  /** The sentence, e.g. `plane eu-prod-1 gains secret db-credentials in namespace team-a`, naming everything. */
  readonly sentence: string;
  /** The sentence with long lists shortened (`a, b, c and 97 more planes`); the same as {@link sentence} when short. */
  readonly brief: string;
  /** How many single changes it stands for (e.g. one per plane it names). */
  readonly count: number;
  /** True for new readable pairs across environments (they make the review fail). */
  readonly addsCrossEnvironment: boolean;
}

/** Counts of plane × remote secret pairs. */
export interface PairCounts {
  readonly delivered: number;
  readonly readable: number;
  readonly crossEnvironment: number;
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
    readonly before?: PairCounts;
    readonly after: PairCounts;
  };
}

/** Exit code of a review when the change adds cross-environment access. */
export const EXIT_CROSS_ENVIRONMENT = 2;

/** Most items a brief sentence lists before `and N more`. */
const BRIEF_ITEMS = 12;

/** Names in natural order (`dev-2` before `dev-10`). */
const natural = new Intl.Collator('en', { numeric: true }).compare;

function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `a, b and c`, or `a, b, … and 97 more <what>` when there are more than {@link BRIEF_ITEMS}. */
function briefList(items: readonly string[], what: string): string {
  if (items.length <= BRIEF_ITEMS) return list(items);
  return `${items.slice(0, BRIEF_ITEMS).join(', ')} and ${items.length - BRIEF_ITEMS} more ${what}`;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return n === 1 ? word : many;
}

function namespaces(ns: readonly string[]): string {
  return `${plural(ns.length, 'namespace')} ${list(ns)}`;
}

/** Plane display names: the plane name, or `<space>/<group>/<plane>` when the name is ambiguous. */
function planeNamer(reports: ReadonlyArray<ReportData | undefined>): (key: string) => string {
  const keysByName = new Map<string, Set<string>>();
  const note = (name: string, key: string): void => {
    const keys = keysByName.get(name);
    if (keys) keys.add(key);
    else keysByName.set(name, new Set([key]));
  };
  for (const r of reports) {
    for (const p of r?.planes ?? []) note(p.plane, p.key);
    for (const e of r?.access.planes ?? []) note(readerName(e.plane), e.plane);
  }
  return (key) => {
    const name = readerName(key);
    return (keysByName.get(name)?.size ?? 0) > 1 ? key : name;
  };
}

function counts(access: readonly AccessEntry[]): PairCounts {
  let delivered = 0;
  let readable = 0;
  let crossEnvironment = 0;
  for (const e of access) {
    if (e.delivered.length > 0) delivered++;
    if (e.readable) readable++;
    if (e.crossEnvironment) crossEnvironment++;
  }
  return { delivered, readable, crossEnvironment };
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

/**
 * Whether an entry reads across environments in a way the other side did not: the other is not
 * cross-environment, or the pairing changed (the plane's environment, an owner it did not have,
 * a production owner): a commit that moves a secret's ownership to production, or a plane to
 * another environment, under opt-outs that cover both, adds a read across environments.
 */
function newCrossEnvironment(e: AccessEntry, other: AccessEntry | undefined): boolean {
  if (!e.crossEnvironment) return false;
  if (!other?.crossEnvironment) return true;
  if (e.environment !== other.environment) return true;
  if (e.productionOutsideProduction && !other.productionOutsideProduction) return true;
  return e.secretEnvironments.some((env) => !other.secretEnvironments.includes(env));
}

function principalWord(p: PrincipalAccess): string {
  return `${principalKindWord(p.kind)} ${p.id}`;
}

function remoteText(e: AccessEntry): string {
  return e.remote.kind === 'find' ? `${e.remote.resource} (${e.remote.ref})` : e.remote.resource;
}

/** Renders a grouped change naming its items (planes, resources): every one, or a shortened list. */
type Render = (items: readonly string[], brief: boolean) => string;

/**
 * Changes that say the same about several items (planes, resources), collected by what they say
 * and rendered as one sentence each that names every item.
 */
class ChangeGroups {
  private readonly groups = new Map<
    string,
    { section: ChangeSection; direction: ReportChange['direction']; render: Render; cross: boolean; items: Set<string> }
  >();

  /** Adds `item` to the group `key` of its section and direction; `render` makes the group's sentence. */
  public add(section: ChangeSection, direction: ReportChange['direction'], key: string, item: string, render: Render, cross = false): void {
    const k = `${section}\u0000${direction}\u0000${key}`;
    const g = this.groups.get(k);
    if (g) g.items.add(item);
    else this.groups.set(k, { section, direction, render, cross, items: new Set([item]) });
  }

  public changes(): ReportChange[] {
    return [...this.groups.values()].map((g) => {
      const items = [...g.items].sort(natural);
      return {
        section: g.section,
        direction: g.direction,
        sentence: g.render(items, false),
        brief: g.render(items, true),
        count: items.length,
        addsCrossEnvironment: g.cross,
      };
    });
  }
}

/**
 * `plane a`, `planes a, b and c`; with the environment of the planes when `env` gives it:
 * `planes a and b (dev)`, or per environment, `planes a and b (dev); c (prod)`.
 */
function planesText(planes: readonly string[], brief: boolean, env?: (plane: string) => string): string {
  const names = (items: readonly string[]): string => (brief ? briefList(items, 'planes') : list(items));
  // ESO clusters name themselves (`ESO cluster tools`): no "plane" before them.
  const word = planes.every((p) => p.startsWith('ESO cluster ')) ? '' : `${plural(planes.length, 'plane')} `;
  if (!env) return `${word}${names(planes)}`;
  const byEnv = new Map<string, string[]>();
  for (const p of planes) {
    const e = env(p);
    const list = byEnv.get(e);
    if (list) list.push(p);
    else byEnv.set(e, [p]);
  }
  return `${word}${[...byEnv].map(([e, ps]) => `${names(ps)} (${e})`).join('; ')}`;
}

/**
 * Compares a base report (undefined when the base has none) with the head report.
 *
 * @param base the report at the base revision, if any
 * @param head the report of the change
 */
export function compareReports(base: ReportData | undefined, head: ReportData): ReviewResult {
  const changes: ReportChange[] = [];
  const add = (section: ChangeSection, direction: ReportChange['direction'], sentence: string): void => {
    changes.push({ section, direction, sentence, brief: sentence, count: 1, addsCrossEnvironment: false });
  };
  const groups = new ChangeGroups();
  const plane = planeNamer([base, head]);
  const envOf = new Map<string, string>();
  const accessBefore = base ? flattenAccess(base) : [];
  const accessAfter = flattenAccess(head);

  // Deliveries.
  const before = deliveries(accessBefore);
  const after = deliveries(accessAfter);
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(k);
    const a = after.get(k);
    const d = (a ?? b) as { plane: string; secretName: string };
    const gained = [...(a?.namespaces ?? [])].filter((n) => !b?.namespaces.has(n)).sort(cmp);
    const lost = [...(b?.namespaces ?? [])].filter((n) => !a?.namespaces.has(n)).sort(cmp);
    for (const [direction, ns, verb] of [
      ['added', gained, 'gain'],
      ['removed', lost, 'lose'],
    ] as const) {
      if (ns.length === 0) continue;
      const rest = `secret ${d.secretName} in ${namespaces(ns)}`;
      groups.add(
        'delivery',
        direction,
        rest,
        plane(d.plane),
        (ps, brief) => `${planesText(ps, brief)} ${verb}${ps.length === 1 ? 's' : ''} ${rest}`,
      );
    }
  }

  // Principals: what they can read and who can act as them.
  const principalsBefore = new Map((base?.principals ?? []).map((p) => [p.id, p]));
  const principalsAfter = new Map(head.principals.map((p) => [p.id, p]));
  for (const id of new Set([...principalsBefore.keys(), ...principalsAfter.keys()])) {
    const b = principalsBefore.get(id);
    const a = principalsAfter.get(id);
    const who = principalWord((a ?? b) as PrincipalAccess);
    const readsBefore = new Set((b?.reads ?? []).map((r) => r.resource));
    const readsAfter = new Set((a?.reads ?? []).map((r) => r.resource));
    const planesBefore = new Set(b?.planes ?? []);
    const planesAfter = new Set(a?.planes ?? []);
    for (const [direction, from, to, now] of [
      ['added', readsAfter, readsBefore, 'now'],
      ['removed', readsBefore, readsAfter, 'no longer'],
    ] as const) {
      for (const r of from)
        if (!to.has(r))
          groups.add(
            'access',
            direction,
            `reads ${id}`,
            r,
            (rs, brief) => `${who} can ${now} read ${brief ? briefList(rs, 'remote secrets') : list(rs)}`,
          );
    }
    for (const [direction, from, to, now] of [
      ['added', planesAfter, planesBefore, 'now'],
      ['removed', planesBefore, planesAfter, 'no longer'],
    ] as const) {
      for (const p of from)
        if (!to.has(p))
          groups.add('access', direction, `acts ${id}`, plane(p), (ps, brief) => `${planesText(ps, brief)} can ${now} act as ${who}`);
    }
  }

  // Plane-level read access through credentials or unpublished identities, and cross-environment.
  const triplesBefore = readableTriples(accessBefore);
  const triplesAfter = readableTriples(accessAfter);
  const compare = (
    from: Map<string, { entry: AccessEntry; path: AccessPath }>,
    to: Map<string, { entry: AccessEntry; path: AccessPath }>,
    direction: 'added' | 'removed',
  ): void => {
    const now = direction === 'added' ? 'now' : 'no longer';
    for (const [k, { entry: e, path }] of from) {
      const other = to.get(k);
      const name = plane(e.plane);
      const what = `${remoteText(e)} of environment ${list(e.secretEnvironments)} through ${path.description}`;
      if (newCrossEnvironment(e, other?.entry)) {
        envOf.set(name, e.environment);
        const env = (p: string): string => envOf.get(p) ?? '';
        groups.add(
          'cross-environment',
          direction,
          what,
          name,
          (ps, brief) => `${planesText(ps, brief, env)} can ${now} read ${what}`,
          direction === 'added',
        );
      }
      if (!other && path.kind !== 'identity') {
        const rest = `${remoteText(e)} through ${path.description}`;
        groups.add('access', direction, `through ${rest}`, name, (ps, brief) => `${planesText(ps, brief)} can ${now} read ${rest}`);
      }
    }
  };
  compare(triplesAfter, triplesBefore, 'added');
  compare(triplesBefore, triplesAfter, 'removed');

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
    const covers = `covers ${o.covers.length} ${plural(o.covers.length, 'finding')}`;
    if (!b) add('opt-outs', 'added', `new opt-out ${o.rule} on ${o.scope || '(app)'} (${covers}), reason: ${o.reason}`);
    else if (b.reason !== o.reason)
      add('opt-outs', 'changed', `opt-out ${o.rule} on ${o.scope || '(app)'} has a new reason: ${o.reason} (was: ${b.reason})`);
  }
  for (const [k, o] of optBefore)
    if (!optAfter.has(k)) add('opt-outs', 'removed', `opt-out ${o.rule} on ${o.scope || '(app)'} is removed (reason was: ${o.reason})`);

  changes.push(...groups.changes());
  const order = (c: ReportChange): number => CHANGE_SECTIONS.indexOf(c.section);
  const dir = { added: 0, changed: 1, removed: 2 } as const;
  changes.sort((a, b) => order(a) - order(b) || dir[a.direction] - dir[b.direction] || natural(a.sentence, b.sentence));
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

/** Largest pull-request comment {@link renderReviewComment} writes, in characters (GitHub allows 65,536). */
export const REVIEW_COMMENT_MAX_CHARS = 60_000;

/** Longest line of a comment; longer sentences are cut (the full review has them whole). */
const COMMENT_MAX_LINE = 4_000;

/** A change as a list item: one line (line breaks in names or reasons become spaces). */
function line(c: ReportChange, brief: boolean): string {
  return `- ${c.addsCrossEnvironment ? '⚠ ' : ''}${(brief ? c.brief : c.sentence).replace(/[\r\n\u2028\u2029]+/g, ' ')}`;
}

/** The opening of a review: title, base, pair counts, the cross-environment alert and the counts by section. */
function opening(result: ReviewResult, base: string): string[] {
  const out: string[] = ['## Secrets topology review', ''];
  const c = result.counts;
  out.push(result.hasBase ? `Compared with ${base}.` : `No report.json at ${base}: everything below is new.`, '');
  const fmt = (n: PairCounts): string => `${n.delivered} delivered, ${n.readable} readable, ${n.crossEnvironment} across environments`;
  out.push(`Plane × remote secret pairs: ${c.before ? `${fmt(c.before)} → ` : ''}${fmt(c.after)}.`, '');
  if (result.addsCrossEnvironment) {
    out.push(
      '> **This change adds read access across environments** (opted out in the topology, so synthesis allowed it). Review the opt-outs below before merging.',
      '',
    );
  }
  if (result.changes.length === 0) return [...out, 'No change to deliveries, read access, warnings or opt-outs.'];
  const rows = CHANGE_SECTIONS.flatMap((section) => {
    const n = { added: 0, removed: 0, changed: 0 };
    for (const x of result.changes) if (x.section === section) n[x.direction] += x.count;
    return n.added + n.removed + n.changed === 0 ? [] : [`| ${TITLES[section]} | ${n.added} | ${n.removed} | ${n.changed} |`];
  });
  out.push('| change | added | removed | changed |', '| --- | ---: | ---: | ---: |', ...rows, '');
  return out;
}

/**
 * Renders a whole review as Markdown: every change, every name (for a file, e.g. a CI artifact;
 * see {@link renderReviewComment} for a pull-request comment).
 *
 * @param result the comparison
 * @param base how the base is named (e.g. `main (3f2a1b0)`)
 */
export function renderReview(result: ReviewResult, base: string): string {
  const out = opening(result, base);
  for (const section of CHANGE_SECTIONS) {
    const items = result.changes.filter((x) => x.section === section);
    if (items.length > 0) out.push(`### ${TITLES[section]}`, '', ...items.map((x) => line(x, false)), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * The comment of a review whose head the app refused for what it grants (synthesis exited with
 * {@link EXIT_CROSS_ENVIRONMENT}: every problem a finding of the access analysis): the findings,
 * which name the access, as a code block, at most `maxChars` characters (the lines that do not fit
 * are counted; the CI log has them all).
 */
export function renderRefusalComment(findings: string, options: Pick<ReviewCommentOptions, 'maxChars'> = {}): string {
  const max = options.maxChars ?? REVIEW_COMMENT_MAX_CHARS;
  const head = [
    '## Secrets topology review',
    '',
    '> **This change gives read access the access analysis refuses** (for example across environments): synthesis stopped with the findings below and wrote nothing, so there is nothing to compare. Fix the access, or opt out in the topology with a reason, and the review compares again.',
    '',
  ].join('\n');
  // Shown as the block shows them (control characters as `\uXXXX`), so that they are measured so.
  const lines = findings.replace(/\s+$/, '').split(LINE_BREAKS).map(showControls);
  const cut = (s: string): string => (s.length <= COMMENT_MAX_LINE ? s : `${s.slice(0, COMMENT_MAX_LINE - 1)}…`);
  const kept: string[] = [];
  let size = head.length + 200;
  let fence = 3;
  for (const l of lines.map(cut)) {
    // The block's fence is one backtick longer than the longest run inside it: counted twice.
    const run = Math.max(fence, 1 + Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length)));
    if (size + l.length + 1 + 2 * (run - fence) > max) break;
    kept.push(l);
    size += l.length + 1 + 2 * (run - fence);
    fence = run;
  }
  const left = lines.length - kept.length;
  const more = left > 0 ? `\n_… and ${left} more ${plural(left, 'line')}, in the CI log._\n` : '';
  return `${head}\n${codeBlock(kept.join('\n'))}\n${more}`;
}

/** Options of {@link renderReviewComment}. */
export interface ReviewCommentOptions {
  /**
   * Largest comment, in characters (UTF-16 code units, never fewer than the characters GitHub counts).
   * @default REVIEW_COMMENT_MAX_CHARS
   */
  readonly maxChars?: number;
  /**
   * Where the whole review is, for the note on what the comment leaves out.
   * @default "the full review (review.md in the CI artifact)"
   */
  readonly fullReview?: string;
}

/**
 * Renders a review as a pull-request comment of at most `maxChars` characters at any size: the
 * counts first, then every cross-environment change in full (shortened lists only when they alone
 * would not fit), then the other sections folded (`<details>`), filled while there is room; a note
 * says how many changes are only in the full review ({@link renderReview}).
 *
 * @param result the comparison
 * @param base how the base is named (e.g. `main (3f2a1b0)`)
 */
export function renderReviewComment(result: ReviewResult, base: string, options: ReviewCommentOptions = {}): string {
  const max = options.maxChars ?? REVIEW_COMMENT_MAX_CHARS;
  const full = options.fullReview ?? 'the full review (review.md in the CI artifact)';
  const cut = (s: string, n = COMMENT_MAX_LINE): string => (s.length <= n ? s : `${s.slice(0, Math.max(0, n - 1))}…`);
  const out: string[] = opening(result, base).map((l) => cut(l));
  let size = out.reduce((n, l) => n + l.length + 1, 0);
  const room = (reserve: number): number => max - size - reserve;
  const push = (...lines: string[]): void => {
    for (const l of lines) {
      out.push(l);
      size += l.length + 1;
    }
  };
  // Room kept for the closing note and the frame of each later section.
  const note = (n: number): string =>
    `_${n} ${plural(n, 'change')} ${n === 1 ? 'is' : 'are'} only in ${full} (this comment is limited to ${max.toLocaleString('en-US')} characters)._`;
  const FRAME = 120 + full.length;
  const closing = note(result.changes.length).length + 8;
  let left = 0;

  const cross = result.changes.filter((c) => c.section === 'cross-environment');
  if (cross.length > 0) {
    const reserve = closing + FRAME * (CHANGE_SECTIONS.length - 1);
    const whole = cross.reduce((n, c) => n + line(c, false).length + 1, 0);
    const brief = whole > room(reserve);
    push(`### ${TITLES['cross-environment']}`, '');
    for (const [i, c] of cross.entries()) {
      const l = cut(line(c, brief));
      if (l.length + 1 > room(reserve)) {
        left += cross.length - i;
        push(`- _… and ${cross.length - i} more, in ${full}._`);
        break;
      }
      push(l);
    }
    push('');
  }
  const rest = CHANGE_SECTIONS.filter((s) => s !== 'cross-environment');
  for (const [k, section] of rest.entries()) {
    const items = result.changes.filter((x) => x.section === section);
    if (items.length === 0) continue;
    const reserve = closing + FRAME * (rest.length - k - 1);
    const n = { added: 0, removed: 0, changed: 0 };
    for (const x of items) n[x.direction] += x.count;
    const what = (['added', 'removed', 'changed'] as const).filter((d) => n[d] > 0).map((d) => `${n[d]} ${d}`);
    push('<details>', `<summary>${TITLES[section]}: ${list(what)}</summary>`, '');
    for (const [i, c] of items.entries()) {
      const l = cut(line(c, true));
      if (l.length + 1 > room(reserve + FRAME)) {
        left += items.length - i;
        push(`- _… and ${items.length - i} more, in ${full}._`);
        break;
      }
      push(l);
    }
    push('', '</details>', '');
  }
  if (left > 0) push(note(left));
  return `${out.join('\n').trimEnd()}\n`;
}
