/**
 * The oracle's verdict on one generated topology: compile it, compute the ground truth from the
 * artifacts (./truth.ts), read the report (./report-adapter.ts) and compare.
 *
 * - Sound: every ground-truth (plane, remote secret) read is in the report's readable set.
 * - Cross-environment: every ground-truth read of another environment's secret is flagged
 *   cross-environment in the report, or synthesis stopped with a `cross-environment` guardrail
 *   error ("caught"). A caught topology whose ground truth has no cross-environment read is a false
 *   positive. To get its artifacts, it is compiled again with the guardrail opted out.
 */
import { TopologyError } from '../../lib/index.js';
import { readArtifacts } from './artifacts.js';
import { buildTopology } from './build.js';
import { claimCovers, reportClaims, type ReportClaim } from './report-adapter.js';
import { groundTruth, type GroundTruth, type Via } from './truth.js';
import type { IamSimulator } from './aws.js';
import type { WorldSpec } from './world.js';

/** A ground-truth read the report gets wrong. */
export interface Miss {
  readonly plane: string;
  readonly remote: string;
  /** How the plane reads it (ground truth). */
  readonly via: readonly string[];
  /** The classes: of the ground-truth paths, and (for an unflagged read) of how the report names it. */
  readonly classes: readonly string[];
}

export interface Verdict {
  readonly status: 'compiled' | 'caught' | 'rejected';
  /** Why the topology did not compile (rejected), shortened. */
  readonly rejection?: string;
  /** Ground-truth reads, and those across environments. */
  readonly truthPairs: number;
  readonly truthCross: number;
  /** (plane, remote secret) pairs of the world the report says are readable. */
  readonly reportPairs: number;
  /** Of those, the pairs the ground truth does not have (how much wider the report is). */
  readonly reportExtra: number;
  /** Ground-truth reads missing from the report's readable set. */
  readonly unsound: readonly Miss[];
  /** Ground-truth cross-environment reads neither flagged nor caught. */
  readonly unflagged: readonly Miss[];
  /** Caught, but the ground truth has no cross-environment read. */
  readonly falsePositive: boolean;
  /** Report pairs flagged cross-environment that cover remote secrets of the world, none of them a ground-truth cross-environment read of the plane. */
  readonly spuriousFlags: number;
  /** Report pairs flagged cross-environment that name no remote secret of the world (they do not exist). */
  readonly flagsOnAbsent: number;
}

type Compiled = { ok: true; files: ReadonlyMap<string, string> } | { ok: false; problems: readonly { path: string; message: string }[] };

function compileWorld(spec: WorldSpec, optOutCrossEnvironment: boolean): Compiled {
  try {
    return { ok: true, files: buildTopology(spec, { optOutCrossEnvironment }).compile().files };
  } catch (e) {
    if (e instanceof TopologyError) return { ok: false, problems: e.problems };
    throw e;
  }
}

const CROSS = 'guardrail "cross-environment"';

export async function judge(spec: WorldSpec, sim: IamSimulator): Promise<Verdict> {
  const first = compileWorld(spec, spec.optOutCrossEnvironment);
  let files: ReadonlyMap<string, string>;
  let caught = false;
  if (first.ok) files = first.files;
  else if (first.problems.every((p) => p.message.startsWith(CROSS))) {
    caught = true;
    const again = compileWorld(spec, true);
    if (!again.ok) return rejected(again.problems);
    files = again.files;
  } else return rejected(first.problems);

  const truth = await groundTruth(spec, readArtifacts(files), sim);
  const claims = reportClaims(files);
  return compare(truth, claims, caught);
}

function rejected(problems: readonly { path: string; message: string }[]): Verdict {
  const p = problems.find((x) => !x.message.startsWith(CROSS)) ?? problems[0];
  return {
    status: 'rejected',
    rejection: `${p?.path}: ${(p?.message ?? '').slice(0, 160)}`,
    truthPairs: 0,
    truthCross: 0,
    reportPairs: 0,
    reportExtra: 0,
    unsound: [],
    unflagged: [],
    falsePositive: false,
    spuriousFlags: 0,
    flagsOnAbsent: 0,
  };
}

function compare(truth: GroundTruth, claims: readonly ReportClaim[], caught: boolean): Verdict {
  const byPlane = new Map<string, ReportClaim[]>();
  for (const c of claims) byPlane.set(c.plane, [...(byPlane.get(c.plane) ?? []), c]);
  const owner = new Map(truth.all.map((c) => [c.id, c.remote.owner]));
  // Which report remotes name each remote secret (anywhere in the report), for the resource-identity class.
  const namedBy = new Map<string, Set<string>>();
  const inReport = new Set<string>();
  for (const c of truth.all) {
    const covering = claims.filter((x) => claimCovers(x, c.names));
    if (covering.length > 0) inReport.add(c.id);
    namedBy.set(c.id, new Set(covering.filter((x) => x.kind === 'key').map((x) => x.resource)));
  }

  let truthPairs = 0;
  let truthCross = 0;
  let reportPairs = 0;
  let reportExtra = 0;
  let spuriousFlags = 0;
  let flagsOnAbsent = 0;
  const unsound: Miss[] = [];
  const unflagged: Miss[] = [];
  for (const plane of truth.planes) {
    const reads = truth.reads.get(plane.key) ?? new Map<string, readonly Via[]>();
    const mine = byPlane.get(plane.key) ?? [];
    const covering = new Map(truth.all.map((c) => [c.id, mine.filter((x) => claimCovers(x, c.names))]));
    const covered = [...covering.entries()].filter(([, x]) => x.length > 0).map(([id]) => id);
    reportPairs += covered.length;
    reportExtra += covered.filter((id) => !reads.has(id)).length;
    const crossHere = new Set<string>();
    for (const [id, vias] of reads) {
      truthPairs++;
      const cross = owner.get(id) !== plane.env;
      if (cross) {
        truthCross++;
        crossHere.add(id);
      }
      const via = vias.map((v) => v.path);
      const classes = new Set<string>(vias.flatMap((v) => v.tags));
      const cover = covering.get(id) ?? [];
      if (cover.length === 0) {
        if (!inReport.has(id)) classes.add('not-in-report');
        unsound.push({ plane: plane.key, remote: id, via, classes: [...classes].sort() });
        continue;
      }
      if (cross && !caught && !cover.some((x) => x.crossEnvironment)) {
        if (cover.some((x) => x.environments.includes(plane.env))) classes.add('ownership-from-delivery');
        if (cover.every((x) => x.kind === 'find')) classes.add('find-scope');
        if ((namedBy.get(id)?.size ?? 0) > 1) classes.add('resource-identity');
        unflagged.push({ plane: plane.key, remote: id, via, classes: [...classes].sort() });
      }
    }
    for (const claim of mine) {
      if (!claim.crossEnvironment) continue;
      const covered = truth.all.filter((c) => claimCovers(claim, c.names));
      if (covered.length === 0) flagsOnAbsent++;
      else if (!covered.some((c) => crossHere.has(c.id))) spuriousFlags++;
    }
  }
  return {
    status: caught ? 'caught' : 'compiled',
    truthPairs,
    truthCross,
    reportPairs,
    reportExtra,
    unsound,
    unflagged,
    falsePositive: caught && truthCross === 0,
    spuriousFlags,
    flagsOnAbsent,
  };
}
