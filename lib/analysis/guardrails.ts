/**
 * Guardrails: checks over the placement and the access matrix that stop synthesis (errors) or are
 * recorded in the review report (warnings), one module per rule under `guardrails/`. Every guardrail
 * has a named opt-out with a mandatory reason, declared on a construct with {@link Guardrails.allow};
 * the report lists every opt-out, its reason and what it covers. Weaker assumptions of the access
 * analysis are named with {@link Guardrails.assume} and recorded too.
 *
 * | id | error when |
 * | --- | --- |
 * | `cross-environment` | a remote secret owned by one environment is delivered to or readable by a plane of another |
 * | `production-secret-outside-production` | the same, for a secret owned by a production environment and a non-production plane (a broad `cross-environment` opt-out does not cover it) |
 * | `credential-reuse` | one static credentials Secret is used by stores that together serve different environments |
 * | `production-wildcard-namespaces` | a store that reaches a production plane selects namespaces with a wildcard selector |
 * | `refresh-interval` | a secret's effective refresh interval is outside the bounds (default 1m..24h), or it never refreshes |
 * | `wide-iam-grant` | a published identity grant is wider than the secrets that need it |
 *
 * Warnings: `static-credentials-production`, `shared-identity-across-environments`,
 * `creation-policy-orphan`, `deletion-policy-delete`, `delivery-not-readable`, `unused-opt-out`.
 */
import type { Construct } from 'constructs';
import type { Problem } from '../model/errors.js';
import type { IdentityFacts } from '../identity/plan.js';
import { Space } from '../model/space.js';
import { cmp } from '../private/order.js';
import { EsoCluster } from '../eso/cluster.js';
import { AccessMatrix, type AccessOptions } from './access.js';
import type { RuleContext } from './guardrails/context.js';
import { credentialReuse } from './guardrails/credential-reuse.js';
import { crossEnvironmentFindings } from './guardrails/cross-environment.js';
import { optOutHint, q } from './guardrails/format.js';
import { azureIdentityConflicts } from './guardrails/azure-identities.js';
import { crossplaneNameCollisions } from './guardrails/crossplane-names.js';
import { iamCollisions } from './guardrails/iam-collisions.js';
import { ACCESS_RULES, collectOptOuts, collectSettings, type Finding, type GuardrailReport } from './guardrails/model.js';
import { OptOutIndex } from './guardrails/opt-outs.js';
import { productionWildcardNamespaces } from './guardrails/production-wildcard-namespaces.js';
import { refreshInterval } from './guardrails/refresh-interval.js';
import { deliveryNotReadable, staticCredentialsProduction, targetPolicies } from './guardrails/warnings.js';
import { wideIamGrant } from './guardrails/wide-iam-grant.js';
import type { Placement } from '../resolve/placement.js';

export * from './guardrails/model.js';
export { isWildcardSelector } from './guardrails/production-wildcard-namespaces.js';

/** The rules that give findings independent of each other, in report order. */
const RULES = [
  credentialReuse,
  productionWildcardNamespaces,
  refreshInterval,
  wideIamGrant,
  staticCredentialsProduction,
  targetPolicies,
  deliveryNotReadable,
];

/** Construct paths of the owners of each principal id. */
function ownerPaths(
  access: AccessMatrix,
  spacePath: ReadonlyMap<string, string>,
  clusterPath: ReadonlyMap<string, string>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of access.principals) {
    const paths = p.owners
      .map((o) => (o.startsWith('space:') ? spacePath.get(o.slice(6)) : clusterPath.get(o.slice(8))))
      .filter((x): x is string => x !== undefined);
    out.set(p.id, [...new Set(paths)].sort(cmp));
  }
  return out;
}

/**
 * Evaluates every guardrail and warning. Pure: the same model gives the same report.
 *
 * @param matrix the access matrix, when already computed (with the assumptions the app declares)
 */
export function evaluateGuardrails(root: Construct, placement: Placement, identity: IdentityFacts, matrix?: AccessMatrix): GuardrailReport {
  const { settings, assumptions, problems: settingProblems, min, max } = collectSettings(root);
  const { optOuts, problems: optOutProblems } = collectOptOuts(root);
  const access =
    matrix ??
    AccessMatrix.compute(root, placement, identity, {
      storeSelectorsEnforced: !settings.storeRefBypass,
      declaredNamespacesOnly: !settings.openNamespaces,
    });
  const spacePath = new Map(Space.all(root).map((s) => [s.name, s.node.path]));
  const clusterPath = new Map(EsoCluster.all(root).map((c) => [c.name, c.node.path]));
  const ctx: RuleContext = { root, placement, identity, access, settings, min, max, spacePath, clusterPath };
  const index = new OptOutIndex(optOuts);
  const findings: Finding[] = [
    ...RULES.flatMap((rule) => rule(ctx)).map((f) => index.apply(f)),
    ...crossEnvironmentFindings(access, ownerPaths(access, spacePath, clusterPath), spacePath, index),
  ];
  for (const o of optOuts) {
    if (index.covered(o).length > 0 || o.rule === 'unused-opt-out') continue;
    findings.push(
      index.apply({
        rule: 'unused-opt-out',
        severity: 'warning',
        path: o.scope,
        subject: `unused-opt-out:${o.scope}:${o.rule}`,
        message: `opt-out "${o.rule}" on "${o.scope || '(app)'}" (reason: ${q(o.reason)}) covers nothing: remove it, so it cannot hide a future finding. Acknowledge: ${optOutHint('unused-opt-out', o.scope)}.`,
        paths: [o.scope],
      }),
    );
  }
  const byKey = (a: Finding, b: Finding): number =>
    cmp(a.rule, b.rule) || cmp(a.path, b.path) || cmp(a.subject, b.subject) || cmp(a.optOut?.scope ?? '', b.optOut?.scope ?? '');
  return {
    settings,
    assumptions,
    errors: findings.filter((f) => f.severity === 'error' && !f.optOut).sort(byKey),
    warnings: findings.filter((f) => f.severity === 'warning' && !f.optOut).sort(byKey),
    allowed: findings.filter((f) => f.optOut).sort(byKey),
    optOuts: optOuts.map((o) => ({ ...o, covers: index.covered(o) })),
    problems: [
      ...settingProblems,
      ...optOutProblems,
      ...[...access.problems, ...iamCollisions(ctx), ...crossplaneNameCollisions(ctx), ...azureIdentityConflicts(ctx)].map(asAccessFinding),
    ],
  };
}

/** The assumptions the app names, as the access analysis takes them (see {@link Guardrails.assume}). */
export function accessOptionsOf(root: Construct): AccessOptions {
  const { settings } = collectSettings(root);
  return { storeSelectorsEnforced: !settings.storeRefBypass, declaredNamespacesOnly: !settings.openNamespaces };
}

/** A problem of the access analysis itself (what it cannot decide, IAM names two owners write). */
function asAccessFinding(p: Problem): Problem {
  return { ...p, access: true };
}

/**
 * Turns guardrail errors into synthesis problems; those of read access across environments
 * ({@link ACCESS_RULES}, and the analysis's own problems) are marked {@link Problem.access}.
 */
export function guardrailProblems(report: GuardrailReport): Problem[] {
  const crossing: ReadonlySet<string> = new Set(ACCESS_RULES);
  return [
    ...report.problems,
    ...report.errors.map((f): Problem => ({
      path: f.path,
      message: `guardrail "${f.rule}": ${f.message}`,
      ...(crossing.has(f.rule) ? { access: true } : {}),
    })),
  ];
}
