/**
 * `cross-environment` and `production-secret-outside-production`: a remote secret owned by one
 * environment is delivered to or readable by a plane of another (the second rule: owned by a
 * production environment, and the plane is not production — a broad `cross-environment` opt-out
 * does not cover it). One atomic finding per (plane, remote secret, way), opted out atom by atom,
 * then reported per (plane, way, opt-out). Opted-out identities shared across environments become
 * `shared-identity-across-environments` warnings.
 */
import type { AccessEntry, AccessMatrix, AccessPath } from '../access.js';
import { clusterOfReaderKey } from '../principals.js';
import { cmp } from '../../private/order.js';
import { namespacesText, optOutHint, pathFix, plural, q } from './format.js';
import { CROSS_ENVIRONMENT_RULES, type Finding, type OptOut, type RuleId } from './model.js';
import type { OptOutIndex } from './opt-outs.js';

type Atom = { entry: AccessEntry; path?: AccessPath; id: string; paths: string[] };

/** Construct paths of the owners (Spaces, ESO clusters) of each principal id. */
export type OwnerPaths = ReadonlyMap<string, readonly string[]>;

/** The findings of both rules and the shared-identity warnings. */
export function crossEnvironmentFindings(
  access: AccessMatrix,
  ownerPaths: OwnerPaths,
  spacePath: ReadonlyMap<string, string>,
  optOuts: OptOutIndex,
): Finding[] {
  const out: Finding[] = [];
  for (const rule of CROSS_ENVIRONMENT_RULES) {
    const entries = [...access.crossEnvironment(), ...access.clusters.filter((e) => e.crossEnvironment)].filter(
      (e) => rule === 'cross-environment' || e.productionOutsideProduction,
    );
    out.push(...ruleFindings(rule, atomsOf(entries, ownerPaths, spacePath), ownerPaths, spacePath, optOuts));
  }
  return out;
}

function atomsOf(entries: readonly AccessEntry[], ownerPaths: OwnerPaths, spacePath: ReadonlyMap<string, string>): Atom[] {
  const atoms: Atom[] = [];
  for (const e of entries) {
    const base = [e.planePath, e.secret, e.store];
    for (const p of e.paths) {
      const paths = [...base];
      if (p.store) paths.push(p.store);
      for (const o of ownerPaths.get(p.principal ?? '') ?? []) paths.push(o);
      atoms.push({ entry: e, path: p, id: p.id, paths: [...new Set(paths)] });
    }
    if (!e.readable && e.delivered.length > 0) {
      const sp = spacePath.get(e.plane.split('/')[0] ?? '');
      atoms.push({ entry: e, id: `delivery:${e.secret}`, paths: [...new Set([...base, ...(sp !== undefined ? [sp] : [])])] });
    }
  }
  return atoms;
}

function ruleFindings(
  rule: RuleId,
  atoms: readonly Atom[],
  ownerPaths: OwnerPaths,
  spacePath: ReadonlyMap<string, string>,
  optOuts: OptOutIndex,
): Finding[] {
  const groups = new Map<string, { atoms: Atom[]; optOut?: OptOut }>();
  for (const a of atoms) {
    const o = optOuts.covering(rule, a.paths);
    const subject = `${rule}:${a.entry.plane}:${a.id}`;
    optOuts.use(o, subject);
    const k = `${subject}\u0000${o ? `${o.scope}\u0000${o.rule}` : ''}`;
    const g = groups.get(k) ?? { atoms: [], optOut: o };
    g.atoms.push(a);
    groups.set(k, g);
  }
  const findings: Finding[] = [];
  const shared = new Map<
    string,
    { path: AccessPath; planes: Set<string>; clusters: Set<string>; envs: Set<string>; scope: string; optOut: OptOut }
  >();
  for (const g of groups.values()) {
    const first = g.atoms[0];
    const e = first.entry;
    const p = first.path;
    const items = [...new Map(g.atoms.map((a) => [`${a.entry.secret}\u0000${a.entry.remote.ref}`, a.entry])).values()].sort(
      (x, y) => cmp(x.secret, y.secret) || cmp(x.remote.ref, y.remote.ref),
    );
    const envs = [...new Set(items.flatMap((i) => i.secretEnvironments))].filter((x) => x !== e.environment).sort();
    const shown = items
      .slice(0, 10)
      .map(
        (i) =>
          `${q(i.remote.ref)}${i.remote.resource !== i.remote.ref ? ` (${i.remote.resource})` : ''} of secret "${i.secretName}" (owned by ${i.secretEnvironments.join(', ') || 'no environment'}${i.ownershipDeclared ? ', declared' : ''})`,
      );
    const more = items.length > shown.length ? ` and ${items.length - shown.length} more` : '';
    const scope =
      p?.kind === 'credentials'
        ? (p.store ?? e.store)
        : ((ownerPaths.get(p?.principal ?? '') ?? [])[0] ?? spacePath.get(e.plane.split('/')[0] ?? '') ?? e.planePath);
    const how = p
      ? `can read ${plural(items.length, 'remote secret')} of environment${envs.length === 1 ? '' : 's'} ${envs.join(', ')} through ${p.description} ${namespacesText(p.namespaces)}`
      : `receives ${plural(items.length, 'remote secret')} of environment${envs.length === 1 ? '' : 's'} ${envs.join(', ')} (delivered by the model)`;
    const cluster = clusterOfReaderKey(e.plane) !== undefined;
    const what =
      rule === 'production-secret-outside-production'
        ? ` Production secrets must not reach non-production ${cluster ? 'clusters' : 'planes'}.`
        : ` A user who can create ESO objects in that ${cluster ? 'cluster' : 'plane'} can read them.`;
    const who = cluster ? `ESO cluster "${e.planeName}"` : `plane "${e.planeName}"`;
    const fix = cluster
      ? `give the cluster the environment of the secrets it reads (EsoCluster environment), or read them through an identity and stores of its own environment`
      : pathFix(p);
    findings.push({
      rule,
      severity: 'error',
      path: e.planePath,
      subject: `${rule}:${e.plane}:${first.id}`,
      message: `${who} (environment ${e.environment}) ${how}: ${shown.join(', ')}${more}.${what} Fix: ${fix}; or opt out: ${optOutHint(rule, scope)}.`,
      paths: [...new Set(g.atoms.flatMap((a) => a.paths))].sort(),
      ...(g.optOut ? { optOut: g.optOut } : {}),
    });
    if (rule === 'cross-environment' && g.optOut && p && p.kind === 'identity') {
      const s = shared.get(p.id) ?? {
        path: p,
        planes: new Set<string>(),
        clusters: new Set<string>(),
        envs: new Set<string>(),
        scope,
        optOut: g.optOut,
      };
      (cluster ? s.clusters : s.planes).add(e.planeName);
      s.envs.add(e.environment);
      for (const x of envs) s.envs.add(x);
      shared.set(p.id, s);
    }
  }
  for (const [id, s] of [...shared].sort(([a], [b]) => cmp(a, b))) {
    findings.push(
      optOuts.apply({
        rule: 'shared-identity-across-environments',
        severity: 'warning',
        path: s.scope,
        subject: `shared-identity-across-environments:${id}`,
        message: `${s.path.description} is shared across environments ${[...s.envs].sort().join(', ')} (cross-environment opted out at "${s.optOut.scope || '(app)'}": ${s.optOut.reason}): ${readersText(s.planes, s.clusters)} can read secrets of other environments through it. Prefer one identity per environment; acknowledge: ${optOutHint('shared-identity-across-environments', s.scope)}.`,
        paths: [s.scope],
      }),
    );
  }
  return findings;
}

/** `planes a, b`, `ESO cluster t`, or `planes a, b, ESO cluster t`: the readers of a shared identity, planes first. */
function readersText(planes: ReadonlySet<string>, clusters: ReadonlySet<string>): string {
  return [
    ...(planes.size > 0 ? [`planes ${[...planes].sort().join(', ')}`] : []),
    ...[...clusters].sort().map((c) => `ESO cluster ${c}`),
  ].join(', ');
}
