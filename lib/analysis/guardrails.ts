/**
 * Guardrails: checks over the placement and the access matrix that stop synthesis (errors) or are
 * recorded in the review report (warnings). Every guardrail has a named opt-out with a mandatory
 * reason, declared on a construct with {@link Guardrails.allow}; the report lists every opt-out,
 * its reason and what it covers.
 *
 * | id | error when |
 * | --- | --- |
 * | `cross-environment` | a plane can read a remote secret of another environment (through a store's static credentials or a cloud identity) |
 * | `credential-reuse` | one static credentials Secret (same Space, group and Secret name) is used by two or more stores that together serve different environments |
 * | `production-wildcard-namespaces` | a store that reaches a production plane selects namespaces with a wildcard selector (see {@link isWildcardSelector}) |
 * | `refresh-interval` | a secret's effective refresh interval is outside the bounds (default 1m..24h); `0s` (read once) and the `CreatedOnce`/`OnChange` refresh policies never refresh, so they are out of bounds too |
 * | `wide-iam-grant` | a published identity grant is wider than the secrets that need it (see {@link wideGrants}) |
 *
 * Warnings (risky but legal): `static-credentials-production`, `shared-identity-across-environments`
 * (an opted-out cross-environment identity), `creation-policy-orphan`, `deletion-policy-delete`,
 * `delivery-not-readable` (a delivered secret its plane's principal cannot read: ESO will fail),
 * `unused-opt-out`. Warnings can be acknowledged with the same {@link Guardrails.allow}.
 */
import type { Construct, IConstruct } from 'constructs';
import type { Problem } from '../model/errors.js';
import type { IdentityFacts } from '../identity/plan.js';
import { Environment } from '../model/environment.js';
import type { LabelSelector } from '../model/selectors.js';
import { Space } from '../model/space.js';
import { checkGoDuration, parseGoDuration } from '../model/validation.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';
import { EsoCluster } from '../eso/cluster.js';
import { effectiveRefreshInterval } from '../resolve/refresh.js';
import { AccessMatrix, principalKindWord, type AccessEntry, type AccessOptions, type AccessPath, wideGrants } from './access.js';
import type { Placement } from '../resolve/placement.js';
import { constructsOf } from '../model/find.js';
import { cmp } from '../private/order.js';

/** Ids of the guardrails that stop synthesis unless opted out. */
export const GUARDRAIL_IDS = [
  'cross-environment',
  'credential-reuse',
  'production-wildcard-namespaces',
  'refresh-interval',
  'wide-iam-grant',
] as const;
/** A guardrail that stops synthesis unless opted out. */
export type GuardrailId = (typeof GUARDRAIL_IDS)[number];

/** Ids of the warnings written to the report. */
export const WARNING_IDS = [
  'static-credentials-production',
  'shared-identity-across-environments',
  'creation-policy-orphan',
  'deletion-policy-delete',
  'delivery-not-readable',
  'unused-opt-out',
] as const;
/** A warning: risky but legal, recorded in the report. */
export type WarningId = (typeof WARNING_IDS)[number];

/** Any rule an opt-out can name. */
export type RuleId = GuardrailId | WarningId;

const RULES: readonly string[] = [...GUARDRAIL_IDS, ...WARNING_IDS];

/** Settings of the guardrails, set once on the app with {@link Guardrails.configure}. */
export interface GuardrailSettings {
  /**
   * Shortest allowed refresh interval (Go duration).
   * @default "1m"
   */
  readonly minRefreshInterval?: string;
  /**
   * Longest allowed refresh interval (Go duration).
   * @default "24h"
   */
  readonly maxRefreshInterval?: string;
  /**
   * Assumptions of the access analysis.
   * @default {} (see {@link AccessOptions})
   */
  readonly access?: AccessOptions;
}

/** An opt-out: a rule switched off for a construct and everything below it, with the reason. */
export interface OptOut {
  readonly rule: RuleId;
  /** Construct path of the scope (`""` = the whole app). */
  readonly scope: string;
  readonly reason: string;
}

/** One result of a guardrail or warning. */
export interface Finding {
  readonly rule: RuleId;
  /** `error` for guardrails, `warning` for warnings. */
  readonly severity: 'error' | 'warning';
  /** Construct path the finding is about. */
  readonly path: string;
  /** Stable key of the finding (for comparing reports), e.g. `cross-environment:aws-eu/platform/eu-dev-1:identity:arn:…`. */
  readonly subject: string;
  /** What is wrong, quoting the values, with the fix and the opt-out id. */
  readonly message: string;
  /** Construct paths an opt-out may be declared on (or above) to cover this finding. */
  readonly paths: readonly string[];
  /** The opt-out covering it, if any. */
  readonly optOut?: OptOut;
}

/** An opt-out as reported: with how many findings it covers. */
export interface OptOutUse extends OptOut {
  /** Subjects of the findings it covers, sorted. */
  readonly covers: readonly string[];
}

/** Everything the guardrails found. */
export interface GuardrailReport {
  /** Effective settings. */
  readonly settings: { readonly minRefreshInterval: string; readonly maxRefreshInterval: string; readonly storeRefBypass: boolean };
  /** Guardrail findings not opted out: they stop synthesis. */
  readonly errors: readonly Finding[];
  /** Warnings not acknowledged. */
  readonly warnings: readonly Finding[];
  /** Findings (errors and warnings) covered by an opt-out. */
  readonly allowed: readonly Finding[];
  /** Every opt-out with what it covers, sorted by scope and rule. */
  readonly optOuts: readonly OptOutUse[];
  /** Invalid opt-outs or settings. */
  readonly problems: readonly Problem[];
}

const OPT_OUT = 'secrets-topology:guardrail-opt-out';
const SETTINGS = 'secrets-topology:guardrail-settings';

/** Default shortest refresh interval. */
export const DEFAULT_MIN_REFRESH = '1m';
/** Default longest refresh interval. */
export const DEFAULT_MAX_REFRESH = '24h';

/**
 * Opt-outs and settings of the guardrails (cdk-nag style): an opt-out is metadata on a construct
 * and covers that construct and everything below it.
 *
 * ```ts
 * Guardrails.allow(awsEu, 'cross-environment', 'IRSA: one role per Space; dev and prod planes share it until we move to Pod Identity');
 * Guardrails.configure(app, { maxRefreshInterval: '12h' });
 * ```
 */
export class Guardrails {
  private constructor() {}

  /**
   * Switches `rule` off for `scope` and everything below it. The reason is mandatory and is
   * written to the review report next to what the opt-out covers.
   *
   * @param scope the construct (a Space, Group, plane, store, secret, or the app)
   * @param rule a guardrail or warning id, or several
   * @param reason why this is acceptable (non-empty)
   */
  public static allow(scope: IConstruct, rule: RuleId | readonly RuleId[], reason: string): void {
    for (const r of typeof rule === 'string' ? [rule] : rule) scope.node.addMetadata(OPT_OUT, { rule: r, reason });
  }

  /** Sets the guardrail settings; call it once, on the app. */
  public static configure(app: IConstruct, settings: GuardrailSettings): void {
    app.node.addMetadata(SETTINGS, { ...settings });
  }

  /** Every opt-out declared below `root`, sorted by scope and rule. */
  public static optOuts(root: IConstruct): OptOut[] {
    return collectOptOuts(root).optOuts;
  }
}

function q(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function collectOptOuts(root: IConstruct): { optOuts: OptOut[]; problems: Problem[] } {
  const optOuts: OptOut[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, OptOut>();
  for (const c of constructsOf(root)) {
    for (const m of c.node.metadata) {
      if (m.type !== OPT_OUT) continue;
      const data = (m.data ?? {}) as { rule?: unknown; reason?: unknown };
      const path = c.node.path;
      if (typeof data.rule !== 'string' || !RULES.includes(data.rule)) {
        problems.push({ path, message: `guardrail opt-out ${q(data.rule)} is not a rule: use one of ${RULES.join(', ')}.` });
        continue;
      }
      if (typeof data.reason !== 'string' || data.reason.trim() === '') {
        problems.push({
          path,
          message: `guardrail opt-out "${data.rule}" has no reason (${q(data.reason)}): say why it is acceptable, e.g. Guardrails.allow(scope, '${data.rule}', 'dev and staging share one account by design').`,
        });
        continue;
      }
      const key = `${path}\u0000${data.rule}`;
      const prev = seen.get(key);
      if (prev) {
        if (prev.reason !== data.reason.trim())
          problems.push({
            path,
            message: `guardrail opt-out "${data.rule}" is declared twice on this construct with different reasons (${q(prev.reason)} and ${q(data.reason.trim())}): keep one.`,
          });
        continue;
      }
      const o: OptOut = { rule: data.rule as RuleId, scope: path, reason: data.reason.trim() };
      seen.set(key, o);
      optOuts.push(o);
    }
  }
  optOuts.sort((a, b) => cmp(a.scope, b.scope) || cmp(a.rule, b.rule));
  return { optOuts, problems };
}

function collectSettings(root: IConstruct): { settings: GuardrailReport['settings']; problems: Problem[]; min: number; max: number } {
  const problems: Problem[] = [];
  let merged: GuardrailSettings = {};
  for (const c of constructsOf(root)) {
    for (const m of c.node.metadata) {
      if (m.type !== SETTINGS) continue;
      if (c !== root)
        problems.push({
          path: c.node.path,
          message: `Guardrails.configure() was called on "${c.node.path}": call it on the app (the root of the topology).`,
        });
      else merged = { ...merged, ...(m.data as GuardrailSettings) };
    }
  }
  const minText = merged.minRefreshInterval ?? DEFAULT_MIN_REFRESH;
  const maxText = merged.maxRefreshInterval ?? DEFAULT_MAX_REFRESH;
  const bound = (text: string, what: string): number => {
    const problem = checkGoDuration(text);
    if (problem) {
      problems.push({ path: root.node.path, message: `Guardrails.configure: ${what} ${problem}` });
      return Number.NaN;
    }
    return parseGoDuration(text) ?? Number.NaN;
  };
  const min = bound(minText, 'minRefreshInterval');
  const max = bound(maxText, 'maxRefreshInterval');
  if (min > max)
    problems.push({
      path: root.node.path,
      message: `Guardrails.configure: minRefreshInterval ${q(minText)} is longer than maxRefreshInterval ${q(maxText)}: make the minimum shorter than the maximum.`,
    });
  return {
    settings: { minRefreshInterval: minText, maxRefreshInterval: maxText, storeRefBypass: merged.access?.storeRefBypass ?? false },
    problems,
    min,
    max,
  };
}

/** Whether `scope` (a construct path) is `path` or one of its ancestors. */
function covers(scope: string, path: string): boolean {
  return scope === '' || path === scope || path.startsWith(`${scope}/`);
}

/**
 * Whether a label selector is a wildcard: broader than exact names or exact labels. A selector is
 * exact when it has at least one `matchLabels` pair or `In` requirement and every requirement is
 * `In`; `{}` (matches everything) and any `NotIn`, `Exists` or `DoesNotExist` requirement make it a
 * wildcard, since they also match namespaces nobody listed (e.g. every namespace without a label).
 */
export function isWildcardSelector(s: LabelSelector): boolean {
  const labels = Object.keys(s.matchLabels ?? {}).length;
  const exprs = s.matchExpressions ?? [];
  if (exprs.some((e) => e.operator !== 'In')) return true;
  return labels === 0 && exprs.length === 0;
}

function optOutHint(rule: RuleId, scopePath: string): string {
  return `Guardrails.allow(<construct "${scopePath || '(app)'}">, '${rule}', '<why this is acceptable>')`;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `plane a` or `planes a, b`. */
function planesText(names: readonly string[]): string {
  return `plane${names.length === 1 ? '' : 's'} ${names.join(', ')}`;
}

function pathFix(path: AccessPath): string {
  switch (path.kind) {
    case 'credentials':
      return "give each environment its own credentials Secret and store (separate tokens per environment), so a plane can only use credentials that read its own environment's secrets";
    case 'identity':
      return `give each environment its own principal (e.g. EKS Pod Identity with a role per environment, GCP principal identifiers per plane, or a Space per environment) or narrow the principal's grants`;
    default:
      return "publish the identity's grants (the identity stage) or give each environment its own identity (e.g. EKS Pod Identity with a role per environment, GCP principal identifiers per plane, or a Space per environment)";
  }
}

/** Evaluates every guardrail and warning. Pure: the same model gives the same report. */
export function evaluateGuardrails(root: Construct, placement: Placement, identity: IdentityFacts, matrix?: AccessMatrix): GuardrailReport {
  const { settings, problems: settingProblems, min, max } = collectSettings(root);
  const { optOuts, problems: optOutProblems } = collectOptOuts(root);
  const access = matrix ?? computeMatrix(root, placement, identity, settings.storeRefBypass);
  const raw: Array<Omit<Finding, 'optOut'>> = [];
  const spacePath = new Map(Space.all(root).map((s) => [s.name, s.node.path]));

  // (a) cross-environment, one atomic finding per (plane, remote secret, path).
  type Atom = { entry: AccessEntry; path: AccessPath; paths: string[] };
  const atoms: Atom[] = [];
  for (const e of access.crossEnvironment()) {
    for (const p of e.paths) {
      const paths = [e.planePath, e.secret, e.store];
      if (p.store) paths.push(p.store);
      const space =
        p.kind === 'identity' ? principalSpace(identity, p.principal) : p.kind === 'identity-unknown' ? e.plane.split('/')[0] : undefined;
      const sp = space !== undefined ? spacePath.get(space) : undefined;
      if (sp !== undefined) paths.push(sp);
      atoms.push({ entry: e, path: p, paths: [...new Set(paths)] });
    }
  }

  // (b) credential-reuse.
  const byCred = new Map<string, SecretStore[]>();
  for (const s of SecretStore.all(root)) {
    const c = s.provider?.credentials;
    if (!c) continue;
    const k = `${s.group.space.name}/${s.group.name}/${c.secretName}`;
    const list = byCred.get(k);
    if (list) list.push(s);
    else byCred.set(k, [s]);
  }
  for (const [k, stores] of [...byCred].sort(([a], [b]) => cmp(a, b))) {
    const envsOf = (s: SecretStore): string[] =>
      [...new Set(placement.ofStore(s).map((r) => r.plane.environment?.name ?? '(none)'))].sort();
    const all = new Set(stores.flatMap(envsOf));
    // One store spanning environments is a deliberate shared store (cross-environment guards its secrets).
    if (stores.length < 2 || all.size <= 1) continue;
    const sorted = [...stores].sort((a, b) => cmp(a.node.path, b.node.path));
    const first = sorted[0] as SecretStore;
    raw.push({
      rule: 'credential-reuse',
      severity: 'error',
      path: first.node.path,
      subject: `credential-reuse:${k}`,
      message: `credentials Secret "${k.split('/')[2]}" (Space "${first.group.space.name}", group "${first.group.name}") is used by ${plural(sorted.length, 'store')} serving environments ${[...all].sort().join(', ')}: ${sorted.map((s) => `"${s.name}" (${envsOf(s).join(', ')})`).join(', ')}. Anyone who can create ESO objects in one of those planes can read the other environments' secrets with it. Fix: one credentials Secret per environment (its own access key, service principal or service-account key) referenced by separate stores; or opt out: ${optOutHint('credential-reuse', first.node.path)}.`,
      paths: sorted.map((s) => s.node.path),
    });
  }

  // (c) production-wildcard-namespaces.
  for (const s of SecretStore.all(root)) {
    if (!s.namespaces) continue;
    const prodPlanes = placement
      .ofStore(s)
      .filter((r) => r.plane.environment?.production)
      .map((r) => r.plane.name);
    if (prodPlanes.length === 0) continue;
    const wild = (s.namespaces.toSelector().labelSelectors ?? []).filter(isWildcardSelector);
    if (wild.length === 0) continue;
    raw.push({
      rule: 'production-wildcard-namespaces',
      severity: 'error',
      path: s.node.path,
      subject: `production-wildcard-namespaces:${s.node.path}`,
      message: `store "${s.name}" reaches production ${planesText(prodPlanes)} and selects namespaces with the wildcard selector ${wild.map((w) => q(w)).join(', ')}, which also matches namespaces nobody listed (created later, or labelled by their owners). Fix: Namespaces.named(...) or exact labels ({ matchLabels: {...} } or the In operator); or opt out: ${optOutHint('production-wildcard-namespaces', s.node.path)}.`,
      paths: [s.node.path],
    });
  }

  // (d) refresh-interval.
  if (!Number.isNaN(min) && !Number.isNaN(max)) {
    for (const secret of SharedSecret.all(root)) {
      if (!secret.store?.planes || !secret.store.namespaces) continue;
      const value = effectiveRefreshInterval(secret, placement);
      const ms = parseGoDuration(value);
      if (ms === undefined) continue;
      const from =
        secret.refreshInterval !== undefined
          ? 'refreshInterval'
          : `the default of its environments (${
              [
                ...new Set(
                  placement
                    .ofSecret(secret)
                    .map((r) => r.plane.environment)
                    .filter((e): e is Environment => e !== undefined)
                    .map((e) => `${e.name}: ${e.refreshInterval}`),
                ),
              ].join(', ') || 'none: 1h'
            })`;
      const bounds = `${settings.minRefreshInterval}..${settings.maxRefreshInterval}`;
      let why: string | undefined;
      if (secret.refreshPolicy === 'CreatedOnce' || secret.refreshPolicy === 'OnChange')
        why = `refreshPolicy "${secret.refreshPolicy}" never re-reads the backend, so a rotated secret is never picked up`;
      else if (ms === 0) why = `refreshInterval ${q(value)} (from ${from}) reads the backend once, so a rotated secret is never picked up`;
      else if (ms < min)
        why = `refreshInterval ${q(value)} (from ${from}) is shorter than ${q(settings.minRefreshInterval)}: every plane polls the backend that often (API cost, throttling)`;
      else if (ms > max)
        why = `refreshInterval ${q(value)} (from ${from}) is longer than ${q(settings.maxRefreshInterval)}: a rotated or revoked secret stays in the planes that long`;
      if (!why) continue;
      raw.push({
        rule: 'refresh-interval',
        severity: 'error',
        path: secret.node.path,
        subject: `refresh-interval:${secret.node.path}`,
        message: `secret "${secret.name}": ${why}. Fix: a refreshInterval within ${bounds} with refreshPolicy "Periodic" (or change the bounds with Guardrails.configure(app, { minRefreshInterval, maxRefreshInterval })); or opt out: ${optOutHint('refresh-interval', secret.node.path)}.`,
        paths: [secret.node.path],
      });
    }
  }

  // (e) wide-iam-grant.
  const clusterPath = new Map(EsoCluster.all(root).map((c) => [c.name, c.node.path]));
  for (const w of wideGrants(root, identity)) {
    const pr = w.principal;
    const sp = (pr.cluster ? clusterPath.get(pr.cluster.cluster) : spacePath.get(pr.space ?? '')) ?? '';
    const owner = pr.cluster ? `ESO cluster "${pr.cluster.cluster}"` : `Space "${pr.space ?? ''}"`;
    const g = w.grant;
    raw.push({
      rule: 'wide-iam-grant',
      severity: 'error',
      path: sp,
      subject: `wide-iam-grant:${w.principal.id}:${g.access}:${g.resource}${g.condition ? `:${g.condition}` : ''}`,
      message: `${principalKindWord(w.principal.kind)} ${w.principal.id} (${owner}) has ${g.access} access to ${q(g.resource)}${g.condition ? ` if ${g.condition}` : ''}: ${w.reason}. Fix: grant exactly what the secrets read (Secrets Manager "…:secret:NAME-??????", Parameter Store "…:parameter/NAME", a Key Vault role assignment per secret, a GCP condition resource.name.startsWith("projects/NUMBER/secrets/ID/")), or remove the secrets' need for it; or opt out: ${optOutHint('wide-iam-grant', sp)}.`,
      paths: [sp, ...w.principal.stores, ...g.neededBy],
    });
  }

  // Warnings.
  for (const s of SecretStore.all(root)) {
    const c = s.provider?.credentials;
    if (!c) continue;
    const prod = placement
      .ofStore(s)
      .filter((r) => r.plane.environment?.production)
      .map((r) => r.plane.name);
    if (prod.length === 0) continue;
    const cloud =
      s.group.space.hosting === 'cloud'
        ? ' (a Cloud Space accepts only static credentials: rotate them regularly)'
        : " (use the Space's workload identity instead, or rotate them regularly)";
    raw.push({
      rule: 'static-credentials-production',
      severity: 'warning',
      path: s.node.path,
      subject: `static-credentials-production:${s.node.path}`,
      message: `store "${s.name}" uses static credentials (Secret "${c.secretName}") in production ${planesText(prod)}${cloud}. Acknowledge: ${optOutHint('static-credentials-production', s.node.path)}.`,
      paths: [s.node.path],
    });
  }
  for (const secret of SharedSecret.all(root)) {
    if (secret.target?.creationPolicy === 'Orphan') {
      raw.push({
        rule: 'creation-policy-orphan',
        severity: 'warning',
        path: secret.node.path,
        subject: `creation-policy-orphan:${secret.node.path}`,
        message: `secret "${secret.name}" has target.creationPolicy "Orphan": the Secrets stay in the planes when the secret is removed or its planes change, so removing it does not revoke it. Use "Owner"; or acknowledge: ${optOutHint('creation-policy-orphan', secret.node.path)}.`,
        paths: [secret.node.path],
      });
    }
    if (secret.target?.deletionPolicy === 'Delete') {
      raw.push({
        rule: 'deletion-policy-delete',
        severity: 'warning',
        path: secret.node.path,
        subject: `deletion-policy-delete:${secret.node.path}`,
        message: `secret "${secret.name}" has target.deletionPolicy "Delete": when the remote secret is deleted or unreadable, ESO deletes the Secret in every plane (an outage if it was a mistake). Use "Retain"; or acknowledge: ${optOutHint('deletion-policy-delete', secret.node.path)}.`,
        paths: [secret.node.path],
      });
    }
  }
  const unreadable = new Map<string, AccessEntry[]>();
  for (const e of access.delivered()) {
    if (e.readable) continue;
    const k = `${e.plane}\u0000${e.secret}`;
    const list = unreadable.get(k);
    if (list) list.push(e);
    else unreadable.set(k, [e]);
  }
  for (const list of unreadable.values()) {
    const e = list[0] as AccessEntry;
    raw.push({
      rule: 'delivery-not-readable',
      severity: 'warning',
      path: e.secret,
      subject: `delivery-not-readable:${e.plane}:${e.secret}`,
      message: `secret "${e.secretName}" is delivered to plane "${e.planeName}", but no principal that plane can act as may read ${list.map((x) => q(x.remote.resource)).join(', ')}: ESO will fail there. Grant the plane's principal read access (the identity stage), or narrow the secret's planes. Acknowledge: ${optOutHint('delivery-not-readable', e.secret)}.`,
      paths: [e.secret, e.planePath, e.store],
    });
  }

  // Apply opt-outs: the most specific scope wins.
  const covering = (f: Omit<Finding, 'optOut'>): OptOut | undefined =>
    optOuts
      .filter((o) => o.rule === f.rule && f.paths.some((p) => covers(o.scope, p)))
      .sort((a, b) => b.scope.length - a.scope.length || cmp(a.scope, b.scope))[0];
  const used = new Map<OptOut, Set<string>>(optOuts.map((o) => [o, new Set<string>()]));
  const findings: Finding[] = [];
  for (const f of raw) {
    const o = covering(f);
    if (o) used.get(o)?.add(f.subject);
    findings.push(o ? { ...f, optOut: o } : f);
  }

  // Cross-environment atoms: apply opt-outs atom by atom, then aggregate per (plane, path, opt-out).
  const groups = new Map<string, { atoms: Atom[]; optOut?: OptOut }>();
  for (const a of atoms) {
    const o = covering({ rule: 'cross-environment', severity: 'error', path: a.entry.planePath, subject: '', message: '', paths: a.paths });
    const subject = `cross-environment:${a.entry.plane}:${a.path.id}`;
    if (o) used.get(o)?.add(subject);
    const k = `${subject}\u0000${o ? `${o.scope}\u0000${o.rule}` : ''}`;
    const g = groups.get(k) ?? { atoms: [], optOut: o };
    g.atoms.push(a);
    groups.set(k, g);
  }
  const sharedIdentity = new Map<string, { path: AccessPath; planes: Set<string>; envs: Set<string>; space: string; optOut: OptOut }>();
  for (const g of groups.values()) {
    const first = g.atoms[0] as Atom;
    const e = first.entry;
    const p = first.path;
    const items = [...new Map(g.atoms.map((a) => [`${a.entry.secret}\u0000${a.entry.remote.ref}`, a.entry])).values()].sort(
      (x, y) => cmp(x.secret, y.secret) || cmp(x.remote.ref, y.remote.ref),
    );
    const envs = [...new Set(items.flatMap((i) => i.secretEnvironments))].sort();
    const shown = items
      .slice(0, 10)
      .map((i) => `${q(i.remote.ref)} of secret "${i.secretName}" (${i.secretEnvironments.join(', ') || 'no environment'})`);
    const more = items.length > shown.length ? ` and ${items.length - shown.length} more` : '';
    const scope =
      p.kind === 'credentials'
        ? (p.store ?? e.store)
        : (spacePath.get(p.kind === 'identity' ? (principalSpace(identity, p.principal) ?? '') : (e.plane.split('/')[0] ?? '')) ??
          e.planePath);
    const identityShared = p.kind !== 'credentials';
    findings.push({
      rule: 'cross-environment',
      severity: 'error',
      path: e.planePath,
      subject: `cross-environment:${e.plane}:${p.id}`,
      message: `plane "${e.planeName}" (environment ${e.environment}) can read ${plural(items.length, 'remote secret')} of environment${envs.length === 1 ? '' : 's'} ${envs.join(', ')} through ${p.description}${p.namespaces.includes('*') ? ' from any namespace' : ` from namespace${p.namespaces.length === 1 ? '' : 's'} ${p.namespaces.join(', ')}`}: ${shown.join(', ')}${more}. A user who can create ESO objects in that plane can read them. Fix: ${pathFix(p)}; or opt out: ${optOutHint('cross-environment', scope)}.`,
      paths: [...new Set(g.atoms.flatMap((a) => a.paths))].sort(),
      optOut: g.optOut,
    });
    if (g.optOut && identityShared) {
      const k = p.id;
      const s = sharedIdentity.get(k) ?? { path: p, planes: new Set<string>(), envs: new Set<string>(), space: scope, optOut: g.optOut };
      s.planes.add(e.planeName);
      s.envs.add(e.environment);
      for (const x of envs) s.envs.add(x);
      sharedIdentity.set(k, s);
    }
  }
  for (const [id, s] of [...sharedIdentity].sort(([a], [b]) => cmp(a, b))) {
    const f: Omit<Finding, 'optOut'> = {
      rule: 'shared-identity-across-environments',
      severity: 'warning',
      path: s.space,
      subject: `shared-identity-across-environments:${id}`,
      message: `${s.path.description} is shared across environments ${[...s.envs].sort().join(', ')} (cross-environment opted out at "${s.optOut.scope || '(app)'}": ${s.optOut.reason}): planes ${[...s.planes].sort().join(', ')} can read secrets of other environments through it. Prefer one identity per environment; acknowledge: ${optOutHint('shared-identity-across-environments', s.space)}.`,
      paths: [s.space],
    };
    const o = covering(f);
    if (o) used.get(o)?.add(f.subject);
    findings.push(o ? { ...f, optOut: o } : f);
  }

  // Opt-outs that cover nothing.
  for (const o of optOuts) {
    if ((used.get(o)?.size ?? 0) > 0 || o.rule === 'unused-opt-out') continue;
    const f: Omit<Finding, 'optOut'> = {
      rule: 'unused-opt-out',
      severity: 'warning',
      path: o.scope,
      subject: `unused-opt-out:${o.scope}:${o.rule}`,
      message: `opt-out "${o.rule}" on "${o.scope || '(app)'}" (reason: ${q(o.reason)}) covers nothing: remove it, so it cannot hide a future finding. Acknowledge: ${optOutHint('unused-opt-out', o.scope)}.`,
      paths: [o.scope],
    };
    const cover = covering(f);
    if (cover) used.get(cover)?.add(f.subject);
    findings.push(cover ? { ...f, optOut: cover } : f);
  }

  const byKey = (a: Finding, b: Finding): number =>
    cmp(a.rule, b.rule) || cmp(a.path, b.path) || cmp(a.subject, b.subject) || cmp(a.optOut?.scope ?? '', b.optOut?.scope ?? '');
  return {
    settings,
    errors: findings.filter((f) => f.severity === 'error' && !f.optOut).sort(byKey),
    warnings: findings.filter((f) => f.severity === 'warning' && !f.optOut).sort(byKey),
    allowed: findings.filter((f) => f.optOut).sort(byKey),
    optOuts: optOuts.map((o) => ({ ...o, covers: [...(used.get(o) ?? [])].sort() })),
    problems: [...settingProblems, ...optOutProblems],
  };
}

function computeMatrix(root: Construct, placement: Placement, identity: IdentityFacts, storeRefBypass: boolean): AccessMatrix {
  return AccessMatrix.compute(root, placement, identity, { storeRefBypass });
}

function principalSpace(identity: IdentityFacts, id: string | undefined): string | undefined {
  return identity.principals.find((p) => p.id === id)?.space;
}

/** The guardrail settings of the model (defaults applied), e.g. the access analysis' `storeRefBypass`. */
export function guardrailSettings(root: IConstruct): GuardrailReport['settings'] {
  return collectSettings(root).settings;
}

/** Turns guardrail errors into synthesis problems. */
export function guardrailProblems(report: GuardrailReport): Problem[] {
  return [...report.problems, ...report.errors.map((f) => ({ path: f.path, message: `guardrail "${f.rule}": ${f.message}` }))];
}
