/**
 * The vocabulary of the guardrails: rule ids, findings, opt-outs, settings and assumptions, and
 * how they are declared on constructs ({@link Guardrails}: cdk-nag style metadata).
 */
import type { IConstruct } from 'constructs';
import type { Problem } from '../../model/errors.js';
import { constructsOf } from '../../model/find.js';
import { checkGoDuration, parseGoDuration } from '../../model/validation.js';
import { cmp } from '../../private/order.js';
import { parseProps } from '../../private/props.js';
import { quoteValue } from '../../private/terminal.js';
import { recordCallProblems } from '../../model/typed.js';
import { GuardrailsAllowArgs, GuardrailsAssumeArgs, GuardrailsConfigureArgs } from './props.js';

/** Ids of the guardrails that stop synthesis unless opted out. */
export const GUARDRAIL_IDS = [
  'cross-environment',
  'production-secret-outside-production',
  'credential-reuse',
  'production-wildcard-namespaces',
  'refresh-interval',
  'wide-iam-grant',
] as const;
/** A guardrail that stops synthesis unless opted out. */
export type GuardrailId = (typeof GUARDRAIL_IDS)[number];

/** The guardrails of read access across environments (their findings make synthesis exit 2). */
export const CROSS_ENVIRONMENT_RULES = [
  'cross-environment',
  'production-secret-outside-production',
] as const satisfies readonly GuardrailId[];

/**
 * The guardrails whose findings are findings of the access analysis (synthesis refused only for them
 * exits 2): the cross-environment rules, and `credential-reuse` (one credentials Secret read by stores
 * of several environments is read access across them).
 */
export const ACCESS_RULES = [...CROSS_ENVIRONMENT_RULES, 'credential-reuse'] as const satisfies readonly GuardrailId[];

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

/**
 * Assumptions weaker than the conservative defaults of the access analysis (docs/threat-model.md),
 * each named with a reason by {@link Guardrails.assume} and recorded in the report:
 * - `store-selectors-enforced`: a plane can use only the SharedSecretStores projected into it (by
 *   default every store of its group: the public `upboundspaces` provider looks stores up by name);
 * - `declared-namespaces-only`: a store is usable only from the namespaces it selects (by default
 *   from any namespace: plane users create namespaces).
 */
export const ASSUMPTION_IDS = ['store-selectors-enforced', 'declared-namespaces-only'] as const;
/** A named assumption of the access analysis. */
export type AssumptionId = (typeof ASSUMPTION_IDS)[number];

/** A named assumption with its reason, as declared and reported. */
export interface Assumption {
  readonly id: AssumptionId;
  readonly reason: string;
}

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

/** A finding before opt-outs are applied. */
export type RawFinding = Omit<Finding, 'optOut'>;

/** An opt-out as reported: with how many findings it covers. */
export interface OptOutUse extends OptOut {
  /** Subjects of the findings it covers, sorted. */
  readonly covers: readonly string[];
}

/** The effective settings and assumptions. */
export interface EffectiveSettings {
  readonly minRefreshInterval: string;
  readonly maxRefreshInterval: string;
  /** Whether a plane can name every SharedSecretStore of its group (false under `store-selectors-enforced`). */
  readonly storeRefBypass: boolean;
  /** Whether a store is usable from any namespace (false under `declared-namespaces-only`). */
  readonly openNamespaces: boolean;
}

/** Everything the guardrails found. */
export interface GuardrailReport {
  readonly settings: EffectiveSettings;
  /** The weaker assumptions declared, with their reasons, sorted by id. */
  readonly assumptions: readonly Assumption[];
  /** Guardrail findings not opted out: they stop synthesis. */
  readonly errors: readonly Finding[];
  /** Warnings not acknowledged. */
  readonly warnings: readonly Finding[];
  /** Findings (errors and warnings) covered by an opt-out. */
  readonly allowed: readonly Finding[];
  /** Every opt-out with what it covers, sorted by scope and rule. */
  readonly optOuts: readonly OptOutUse[];
  /** Invalid opt-outs, settings or assumptions, and what the analysis could not decide. */
  readonly problems: readonly Problem[];
}

const OPT_OUT = 'secrets-topology:guardrail-opt-out';
const SETTINGS = 'secrets-topology:guardrail-settings';
const ASSUME = 'secrets-topology:assumption';

/** Default shortest refresh interval. */
export const DEFAULT_MIN_REFRESH = '1m';
/** Default longest refresh interval. */
export const DEFAULT_MAX_REFRESH = '24h';

/**
 * Opt-outs, settings and assumptions of the guardrails (cdk-nag style): an opt-out is metadata on a
 * construct and covers that construct and everything below it.
 *
 * ```ts
 * Guardrails.allow(awsEu, 'cross-environment', 'IRSA: one role per Space; dev and prod planes share it until we move to Pod Identity');
 * Guardrails.configure(app, { maxRefreshInterval: '12h' });
 * Guardrails.assume(app, 'store-selectors-enforced', 'our Spaces build checks SharedSecretStore selectors (verified with ...)');
 * ```
 */
export class Guardrails {
  /**
   * Switches `rule` off for `scope` and everything below it. The reason is mandatory and is
   * written to the review report next to what the opt-out covers.
   *
   * @param scope the construct (a Space, Group, plane, store, secret, or the app)
   * @param rule a guardrail or warning id, or several
   * @param reason why this is acceptable (non-empty)
   */
  public static allow(scope: IConstruct, rule: RuleId | readonly RuleId[], reason: string): void {
    if (!argsOk('Guardrails.allow', GuardrailsAllowArgs, { scope, rule, reason }, scope)) return;
    for (const r of typeof rule === 'string' ? [rule] : rule) scope.node.addMetadata(OPT_OUT, { rule: r, reason });
  }

  /** Sets the guardrail settings; call it once, on the app. */
  public static configure(app: IConstruct, settings: GuardrailSettings): void {
    if (!argsOk('Guardrails.configure', GuardrailsConfigureArgs, { app, settings }, app)) return;
    app.node.addMetadata(SETTINGS, { ...settings });
  }

  /**
   * Names an assumption weaker than the conservative default of the access analysis, with the
   * reason it holds in your installation (see {@link ASSUMPTION_IDS}); the report records it.
   * Call it on the app.
   */
  public static assume(app: IConstruct, assumption: AssumptionId, reason: string): void {
    if (!argsOk('Guardrails.assume', GuardrailsAssumeArgs, { app, assumption, reason }, app)) return;
    app.node.addMetadata(ASSUME, { id: assumption, reason });
  }

  /** Every opt-out declared below `root`, sorted by scope and rule. */
  public static optOuts(root: IConstruct): OptOut[] {
    return collectOptOuts(root).optOuts;
  }
}

const q = (v: unknown): string => quoteValue(v);

/**
 * Checks a static call's arguments (named as props of `call`) against `schema`; records the type
 * problems on `scope` (or the app) and returns false when they are not of the declared types.
 */
function argsOk(call: string, schema: Parameters<typeof parseProps>[0], args: Record<string, unknown>, scope: unknown): boolean {
  const { problems } = parseProps(schema, args, args);
  recordCallProblems(
    scope,
    problems.map((m) => `${call}: ${m}`),
  );
  return problems.length === 0;
}

/** Every opt-out below `root`, and the invalid ones as problems. */
export function collectOptOuts(root: IConstruct): { optOuts: OptOut[]; problems: Problem[] } {
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

/** The effective settings and assumptions, with the problems of invalid ones. */
export function collectSettings(root: IConstruct): {
  settings: EffectiveSettings;
  assumptions: Assumption[];
  problems: Problem[];
  min: number;
  max: number;
} {
  const problems: Problem[] = [];
  let merged: GuardrailSettings & { access?: unknown } = {};
  const assumptions = new Map<AssumptionId, Assumption>();
  for (const c of constructsOf(root)) {
    for (const m of c.node.metadata) {
      if (m.type !== SETTINGS && m.type !== ASSUME) continue;
      const what = m.type === SETTINGS ? 'Guardrails.configure()' : 'Guardrails.assume()';
      if (c !== root) {
        problems.push({
          path: c.node.path,
          message: `${what} was called on "${c.node.path}": call it on the app (the root of the topology).`,
        });
        continue;
      }
      if (m.type === SETTINGS) {
        merged = { ...merged, ...(m.data as GuardrailSettings) };
        continue;
      }
      const data = (m.data ?? {}) as { id?: unknown; reason?: unknown };
      if (typeof data.id !== 'string' || !(ASSUMPTION_IDS as readonly string[]).includes(data.id)) {
        problems.push({
          path: root.node.path,
          message: `Guardrails.assume: ${q(data.id)} is not an assumption: use one of ${ASSUMPTION_IDS.join(', ')}.`,
        });
        continue;
      }
      if (typeof data.reason !== 'string' || data.reason.trim() === '') {
        problems.push({
          path: root.node.path,
          message: `Guardrails.assume: assumption "${data.id}" has no reason (${q(data.reason)}): say why it holds in your installation, e.g. Guardrails.assume(app, '${data.id}', 'verified on Spaces 1.17 with ...').`,
        });
        continue;
      }
      assumptions.set(data.id as AssumptionId, { id: data.id as AssumptionId, reason: data.reason.trim() });
    }
  }
  if (merged.access !== undefined)
    problems.push({
      path: root.node.path,
      message: `Guardrails.configure: "access" is no longer a setting: the access analysis assumes the conservative defaults; name a weaker assumption with Guardrails.assume(app, 'store-selectors-enforced', '<why it holds>').`,
    });
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
    settings: {
      minRefreshInterval: minText,
      maxRefreshInterval: maxText,
      storeRefBypass: !assumptions.has('store-selectors-enforced'),
      openNamespaces: !assumptions.has('declared-namespaces-only'),
    },
    assumptions: [...assumptions.values()].sort((a, b) => cmp(a.id, b.id)),
    problems,
    min,
    max,
  };
}
