/**
 * The oracle's verdict on one generated topology: compile it, compute the ground truth from the
 * artifacts (./truth.ts), read the report (./report-adapter.ts) and compare, under the contract of
 * docs/threat-model.md:
 *
 * - Only remote secrets the model knows are ground truth (./ownership.ts): a secret object
 *   references them or an `owns` declaration covers them. A plane that can read a secret nobody
 *   names or declares is counted apart ({@link Verdict.unknownReads}); no compiler can list it.
 * - Readers are the planes and the plain ESO clusters (`clusters/<name>` rows; a cluster without an
 *   `environment` is the environment `(none)`); each is judged alike.
 * - Sound: every ground-truth (reader, remote secret) read is in the report's readable set.
 * - Cross-environment: a read is across environments when the secret's owners as a compiler can
 *   know them (the declaring environment, else the environments of the planes its stores declare)
 *   include one other than the plane's. Every such read is flagged cross-environment in the report
 *   (one of a production secret on a non-production plane also `productionOutsideProduction`).
 *   Without an opt-out synthesis must stop ("caught"), and so it must with `cross-environment`
 *   alone opted out when a production secret reaches a non-production plane; the report of the
 *   topology compiled again with both rules opted out must still flag every such read, so that one
 *   flagged read cannot hide another.
 * - Declared owners: where a declaration covers a secret, the report's key entries for it say so
 *   and name that environment alone.
 * - A read across environments by the world's owner that the contract's owners do not make one
 *   (no declaration, and the stores' planes are the plane's own environment) is the user's missing
 *   declaration, not an analysis error: {@link Verdict.undeclared}, printed, never a failure.
 *
 * A caught topology is compiled again with both cross-environment rules opted out to get its
 * artifacts; one without any cross-environment read is a false positive when a flag is on secrets
 * that exist (else it is caught for secrets to come: a declared scope, an absent key).
 */
import { TopologyError } from '../../lib/index.js';
import { readArtifacts } from './artifacts.js';
import { buildTopology } from './build.js';
import { claimCovers, reportClaims, type ReportClaim } from './report-adapter.js';
import { ownership, type Ownership } from './ownership.js';
import { groundTruth, type GroundTruth, type Via } from './truth.js';
import type { IamSimulator } from './aws.js';
import type { OptOut, WorldSpec } from './world.js';

/** A ground-truth read the report gets wrong. */
export interface Miss {
  readonly plane: string;
  readonly remote: string;
  /** How the plane reads it (ground truth). */
  readonly via: readonly string[];
  /** The classes: of the ground-truth paths, and of how the report names it. */
  readonly classes: readonly string[];
  /** What the report says of it (for a read it lists): remote ids, owners, paths. */
  readonly report?: readonly string[];
}

export interface Verdict {
  readonly status: 'compiled' | 'caught' | 'rejected';
  /** Why the topology did not compile (rejected), shortened. */
  readonly rejection?: string;
  /** Why the analysis refused the topology (caught without output; see {@link REFUSED}). */
  readonly refusal?: string;
  /** Ground-truth reads of remote secrets the model knows, and those across environments (by the contract's owners). */
  readonly truthPairs: number;
  readonly truthCross: number;
  /** Of those, the reads by plain ESO clusters (`clusters/<name>` rows), and those across environments. */
  readonly clusterPairs: number;
  readonly clusterCross: number;
  /** Reads of remote secrets the model neither references nor declares (no ground truth: no compiler can know them). */
  readonly unknownReads: number;
  /** (plane, remote secret) pairs of the world the report says are readable. */
  readonly reportPairs: number;
  /** Of those, the pairs the ground truth does not have (how much wider the report is). */
  readonly reportExtra: number;
  /** Ground-truth reads missing from the report's readable set. */
  readonly unsound: readonly Miss[];
  /** Ground-truth cross-environment reads the report does not flag (also: production secrets not flagged as such), caught or not. */
  readonly unflagged: readonly Miss[];
  /** Reads of declared secrets whose report entries do not name the declared owner alone. */
  readonly misowned: readonly Miss[];
  /** Reads across environments by the world's owner that no declaration tells the compiler: the user's, not a failure. */
  readonly undeclared: readonly Miss[];
  /** Reads the contract's (derived) owners make cross-environment but the world's owner does not (e.g. a selector spanning environments). */
  readonly derivedOnly: number;
  /**
   * Caught, but the ground truth has no cross-environment read and a flag is on secrets that exist
   * (a false positive); caught for secrets that do not exist only (a declared scope other
   * environments can read into, an absent key: by contract, not false); caught without a read
   * across environments by the world's owners.
   */
  readonly falsePositive: boolean;
  readonly caughtOnAbsent: boolean;
  readonly falsePositiveWorld: boolean;
  /** Report pairs flagged cross-environment that cover remote secrets of the world, none of them a ground-truth cross-environment read of the plane. */
  readonly spuriousFlags: number;
  /** Report pairs flagged cross-environment that name no remote secret of the world (they do not exist, or only a declared scope's future ones). */
  readonly flagsOnAbsent: number;
}

type Compiled = { ok: true; files: ReadonlyMap<string, string> } | { ok: false; problems: readonly { path: string; message: string }[] };

function compileWorld(spec: WorldSpec, optOut: OptOut): Compiled {
  try {
    return { ok: true, files: buildTopology(spec, optOut).compile().files };
  } catch (e) {
    if (e instanceof TopologyError) return { ok: false, problems: e.problems };
    throw e;
  }
}

/** Problems that stop a topology because of its access: the cross-environment guardrails. */
const PRODUCTION_RULE = 'guardrail "production-secret-outside-production"';
const CROSS = ['guardrail "cross-environment"', PRODUCTION_RULE];
/**
 * Problems by which the analysis refuses a topology it cannot judge (or whose IAM would be wrong):
 * an IAM role generated by two owners, a backend without an access model, GCP projects named only
 * by id in one place and only by number in another (one project or two?). The unsafe output is
 * never written, so they count as caught. (A remote secret declared by two environments is not
 * among them: the generator declares consistently, so that refusal would be a rejection.)
 */
export const REFUSED = [
  /is generated by .* with different trust and permission documents/,
  /has no access model/,
  // A GCP project named by id in one place and another by number in another: undecidable whether they are one.
  /is named only by its id, and .* only by its number/,
];

function isCross(message: string): boolean {
  return CROSS.some((c) => message.startsWith(c));
}

/** Whether synthesis stopped on the analysis's own refusal (see {@link REFUSED}). */
export function refusedByAnalysis(problems: readonly { message: string }[]): boolean {
  return (
    problems.length > 0 &&
    problems.every((p) => isCross(p.message) || REFUSED.some((r) => r.test(p.message))) &&
    problems.some((p) => REFUSED.some((r) => r.test(p.message)))
  );
}

export async function judge(spec: WorldSpec, sim: IamSimulator): Promise<Verdict> {
  const first = compileWorld(spec, spec.optOut);
  let files: ReadonlyMap<string, string>;
  let caught = false;
  if (first.ok) files = first.files;
  else if (refusedByAnalysis(first.problems)) return refused(first.problems);
  else if (first.problems.every((p) => isCross(p.message))) {
    caught = true;
    const again = compileWorld(spec, 'both');
    if (!again.ok) return refusedByAnalysis(again.problems) ? refused(again.problems) : rejected(again.problems);
    files = again.files;
  } else return rejected(first.problems);

  const truth = await groundTruth(spec, readArtifacts(files), sim);
  // With `cross-environment` alone opted out, production secrets outside production must still stop synthesis.
  const productionMustStop =
    spec.optOut === 'cross-environment' && (first.ok || !first.problems.some((p) => p.message.startsWith(PRODUCTION_RULE)));
  return compare(truth, ownership(spec), reportClaims(files), { caught, productionMustStop });
}

/** A topology the analysis refused outright: caught, with no output to judge. */
function refused(problems: readonly { message: string }[]): Verdict {
  const why = problems.find((p) => REFUSED.some((r) => r.test(p.message)))?.message ?? '';
  return { ...rejected([]), status: 'caught', rejection: undefined, refusal: why };
}

function rejected(problems: readonly { path: string; message: string }[]): Verdict {
  const p = problems.find((x) => !isCross(x.message)) ?? problems[0];
  return {
    status: 'rejected',
    rejection: `${p?.path}: ${(p?.message ?? '').slice(0, 160)}`,
    truthPairs: 0,
    truthCross: 0,
    clusterPairs: 0,
    clusterCross: 0,
    unknownReads: 0,
    reportPairs: 0,
    reportExtra: 0,
    unsound: [],
    unflagged: [],
    misowned: [],
    undeclared: [],
    derivedOnly: 0,
    falsePositive: false,
    caughtOnAbsent: false,
    falsePositiveWorld: false,
    spuriousFlags: 0,
    flagsOnAbsent: 0,
  };
}

/** The environment flagged production in every world. */
const PRODUCTION = 'prod';

/** What the report says of a read: each covering claim's id, owners and paths. */
function described(cover: readonly ReportClaim[]): string[] {
  return cover.map(
    (c) =>
      `${c.remote} [${c.environments.join(', ')}${c.ownershipDeclared ? ', declared' : ''}]${c.crossEnvironment ? ' cross-environment' : ''} via ${c.paths
        .map((p) => [...p.via, p.through].join(' -> '))
        .join('; ')}`,
  );
}

function compare(
  truth: GroundTruth,
  own: Ownership,
  claims: readonly ReportClaim[],
  { caught, productionMustStop }: { readonly caught: boolean; readonly productionMustStop: boolean },
): Verdict {
  const byPlane = new Map<string, ReportClaim[]>();
  for (const c of claims) byPlane.set(c.plane, [...(byPlane.get(c.plane) ?? []), c]);
  const worldOwner = new Map(truth.all.map((c) => [c.id, c.remote.owner]));
  const certificates = new Set(truth.all.filter((c) => c.remote.certificate === true).map((c) => c.id));
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
  let clusterPairs = 0;
  let clusterCross = 0;
  let worldCrossPairs = 0;
  let unknownReads = 0;
  let reportPairs = 0;
  let reportExtra = 0;
  let spuriousFlags = 0;
  let flagsOnAbsent = 0;
  let derivedOnly = 0;
  const unsound: Miss[] = [];
  const unflagged: Miss[] = [];
  const misowned: Miss[] = [];
  const undeclared: Miss[] = [];
  for (const plane of truth.readers) {
    const reads = truth.reads.get(plane.key) ?? new Map<string, readonly Via[]>();
    const mine = byPlane.get(plane.key) ?? [];
    const covering = new Map(truth.all.map((c) => [c.id, mine.filter((x) => claimCovers(x, c.names))]));
    const covered = [...covering.entries()].filter(([, x]) => x.length > 0).map(([id]) => id);
    reportPairs += covered.length;
    reportExtra += covered.filter((id) => !reads.has(id) || !own.known.has(id)).length;
    const crossHere = new Set<string>();
    for (const [id, vias] of reads) {
      if (!own.known.has(id)) {
        unknownReads++;
        continue;
      }
      truthPairs++;
      const owners = [...(own.owners.get(id) ?? [])];
      const cross = owners.some((o) => o !== plane.env);
      if (plane.kind === 'cluster') {
        clusterPairs++;
        if (cross) clusterCross++;
      }
      const worldCross = worldOwner.get(id) !== plane.env;
      if (cross) {
        truthCross++;
        crossHere.add(id);
      }
      if (worldCross) worldCrossPairs++;
      if (cross && !worldCross) derivedOnly++;
      const via = vias.map((v) => v.path);
      const classes = new Set<string>(vias.flatMap((v) => v.tags));
      const cover = covering.get(id) ?? [];
      const miss = (more: readonly string[] = []): Miss => ({
        plane: plane.key,
        remote: id,
        via,
        classes: [...new Set([...classes, ...more, ...(certificates.has(id) ? ['key-vault-certificate'] : [])])].sort(),
        ...(cover.length > 0 ? { report: described(cover) } : {}),
      });
      if (worldCross && !cross) undeclared.push(miss(['undeclared-owner']));
      if (cover.length === 0) {
        unsound.push(miss(inReport.has(id) ? [] : ['not-in-report']));
        continue;
      }
      const declared = own.declared.get(id);
      const keys = cover.filter((x) => x.kind === 'key');
      if (declared !== undefined && keys.some((x) => !x.ownershipDeclared || x.environments.join() !== declared)) misowned.push(miss());
      const more: string[] = [];
      // Flagged for this secret: by an entry that names one of its other owners (not a flag for another secret of a wide scope).
      const others = owners.filter((o) => o !== plane.env);
      if (cross && !cover.some((x) => x.crossEnvironment && x.environments.some((e) => others.includes(e)))) more.push('cross-environment');
      const production = owners.includes(PRODUCTION) && plane.env !== PRODUCTION;
      if (production && !cover.some((x) => x.productionOutsideProduction && x.environments.includes(PRODUCTION)))
        more.push('production-outside-production');
      if (production && productionMustStop) more.push('production-under-cross-environment-opt-out');
      if (more.length === 0) continue;
      if (cover.some((x) => x.environments.includes(plane.env))) more.push('ownership-from-delivery');
      if (cover.every((x) => x.kind === 'find')) more.push('find-scope');
      if ((namedBy.get(id)?.size ?? 0) > 1) more.push('resource-identity');
      unflagged.push(miss(more));
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
    clusterPairs,
    clusterCross,
    unknownReads,
    reportPairs,
    reportExtra,
    unsound,
    unflagged,
    misowned,
    undeclared,
    derivedOnly,
    falsePositive: caught && truthCross === 0 && spuriousFlags > 0,
    caughtOnAbsent: caught && truthCross === 0 && spuriousFlags === 0,
    falsePositiveWorld: caught && worldCrossPairs === 0,
    spuriousFlags,
    flagsOnAbsent,
  };
}
