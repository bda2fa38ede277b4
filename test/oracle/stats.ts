/**
 * What a run of the oracle property saw: how many topologies compiled, were caught or rejected;
 * how much wider the report's readable set is than the ground truth; every class of unsound or
 * unflagged read with its count and the smallest topology that showed it; false positives.
 */
import { topologyCode } from './build.js';
import type { Miss, Verdict } from './oracle.js';
import type { WorldSpec } from './world.js';

interface Example {
  readonly count: number;
  readonly size: number;
  readonly spec: WorldSpec;
  readonly miss: Miss;
}

/** Size of a topology, to keep the smallest example of each class. */
function size(spec: WorldSpec): number {
  return JSON.stringify(spec).length;
}

export class OracleStats {
  public judged = 0;
  public compiled = 0;
  public caught = 0;
  public rejected = 0;
  /** Caught topologies the analysis refused outright (no output to judge). */
  public refused = 0;
  public falsePositives = 0;
  public falsePositivesWorld = 0;
  public caughtOnAbsent = 0;
  public spuriousFlags = 0;
  public flagsOnAbsent = 0;
  public truthPairs = 0;
  public truthCross = 0;
  public clusterPairs = 0;
  public clusterCross = 0;
  public unknownReads = 0;
  public derivedOnly = 0;
  public undeclaredReads = 0;
  public undeclaredTopologies = 0;
  public reportPairs = 0;
  public reportExtra = 0;
  /** Topologies with at least one unsound read, with an unflagged cross-environment read, with a declared secret misowned. */
  public unsoundTopologies = 0;
  public unflaggedTopologies = 0;
  public misownedTopologies = 0;
  /** Topologies by ownership declarations: none, or some. */
  public declaring = 0;
  private readonly rejections = new Map<string, number>();
  private readonly refusals = new Map<string, number>();
  private readonly classes = new Map<string, Example>();
  private readonly falsePositiveExamples: WorldSpec[] = [];
  private readonly started = performance.now();

  public add(spec: WorldSpec, v: Verdict): void {
    this.judged++;
    if (v.status === 'rejected') {
      this.rejected++;
      const why = (v.rejection ?? '').replace(/"[^"]*"/g, '"…"').slice(0, 100);
      this.rejections.set(why, (this.rejections.get(why) ?? 0) + 1);
      return;
    }
    if (v.status === 'compiled') this.compiled++;
    else this.caught++;
    if (v.refusal !== undefined) {
      this.refused++;
      const why = v.refusal.replace(/"[^"]*"/g, '"…"').slice(0, 100);
      this.refusals.set(why, (this.refusals.get(why) ?? 0) + 1);
    }
    this.truthPairs += v.truthPairs;
    this.truthCross += v.truthCross;
    this.clusterPairs += v.clusterPairs;
    this.clusterCross += v.clusterCross;
    this.unknownReads += v.unknownReads;
    this.derivedOnly += v.derivedOnly;
    this.undeclaredReads += v.undeclared.length;
    if (v.undeclared.length > 0) this.undeclaredTopologies++;
    if (spec.owns.length > 0) this.declaring++;
    this.reportPairs += v.reportPairs;
    this.reportExtra += v.reportExtra;
    this.spuriousFlags += v.spuriousFlags;
    this.flagsOnAbsent += v.flagsOnAbsent;
    if (v.falsePositive) {
      this.falsePositives++;
      if (this.falsePositiveExamples.length < 1) this.falsePositiveExamples.push(spec);
    }
    if (v.falsePositiveWorld) this.falsePositivesWorld++;
    if (v.caughtOnAbsent) this.caughtOnAbsent++;
    if (v.unsound.length > 0) this.unsoundTopologies++;
    if (v.unflagged.length > 0) this.unflaggedTopologies++;
    if (v.misowned.length > 0) this.misownedTopologies++;
    const seen = new Set<string>();
    for (const [kind, misses] of [
      ['unsound', v.unsound],
      ['unflagged', v.unflagged],
      ['misowned', v.misowned],
      ['undeclared', v.undeclared],
    ] as const) {
      for (const miss of misses) {
        for (const c of miss.classes) {
          const key = `${kind}: ${c}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const prev = this.classes.get(key);
          const s = size(spec);
          const better = !prev || s < prev.size;
          this.classes.set(key, {
            count: (prev?.count ?? 0) + 1,
            size: better ? s : prev.size,
            spec: better ? spec : prev.spec,
            miss: better ? miss : prev.miss,
          });
        }
      }
    }
  }

  /** Why topologies were rejected (did not compile for another reason than access), shortened, with counts. */
  public rejectionReasons(): string[] {
    return [...this.rejections.entries()].map(([why, n]) => `${n}x ${why}`).sort();
  }

  /** `<kind>: <class>` of every violation seen (unsound, unflagged, misowned), sorted. */
  public violations(): string[] {
    return [...this.classes.keys()].filter((k) => !k.startsWith('undeclared')).sort();
  }

  /** `<kind>: <class>` of every class seen, violations and the user's missing declarations, sorted. */
  public classesSeen(): string[] {
    return [...this.classes.keys()].sort();
  }

  /** How much wider the report's readable set is than the ground truth: (pairs it has that the truth has not) / truth. */
  public get widthRatio(): number {
    return this.truthPairs === 0 ? Number.NaN : this.reportExtra / this.truthPairs;
  }

  public summary(): string {
    const seconds = (performance.now() - this.started) / 1000;
    const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
    const lines = [
      `oracle: ${this.judged} topologies in ${seconds.toFixed(1)} s (${(this.judged / seconds).toFixed(1)}/s): ${this.compiled} compiled, ${this.caught} caught (${this.refused} of them refused by the analysis), ${this.rejected} rejected; ${this.declaring} with ownership declarations`,
      `  ground truth: ${this.truthPairs} (plane, remote secret) reads of secrets the model knows, ${this.truthCross} across environments by the owners a compiler can know (${this.derivedOnly} of them only by derived owners); of them by plain ESO clusters ${this.clusterPairs}, ${this.clusterCross} across environments; ${this.unknownReads} reads of secrets the model neither references nor declares (not ground truth)`,
      `  report: ${this.reportPairs} readable pairs of the world, ${this.reportExtra} of them not in the ground truth: wider by ${pct(this.reportExtra, this.truthPairs)} of the ground truth`,
      `  unsound: ${this.unsoundTopologies} topologies with a read the report misses; unflagged: ${this.unflaggedTopologies} with a cross-environment read neither flagged nor caught; misowned: ${this.misownedTopologies} with a declared secret the report gives another owner`,
      `  false positives: ${this.falsePositives} caught topologies without a cross-environment read, flagged on secrets that exist (${this.caughtOnAbsent} more caught only for secrets that do not exist: declared scopes, absent keys; ${this.falsePositivesWorld} caught without a read across environments by the world's owners); ${this.spuriousFlags} flagged pairs covering no cross-environment read of the plane (only its own environment's secrets, or secrets it cannot read), ${this.flagsOnAbsent} flagged pairs on remote secrets that do not exist (absent keys, declared scopes)`,
      `  the user's missing declarations (not failures): ${this.undeclaredReads} reads in ${this.undeclaredTopologies} topologies cross environments by the world's owner but not by any owner the model declares or derives`,
    ];
    for (const [key, e] of [...this.classes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
      lines.push(
        `  ${key}: ${e.count} topologies (smallest: ${e.miss.plane} reads ${e.miss.remote} via ${e.miss.via.join('; ')}${e.miss.report ? `; the report: ${e.miss.report.join(' | ')}` : ''})`,
      );
    for (const [why, n] of [...this.refusals.entries()].sort(([, a], [, b]) => b - a).slice(0, 5)) lines.push(`  refused ${n}x: ${why}`);
    for (const [why, n] of [...this.rejections.entries()].sort(([, a], [, b]) => b - a).slice(0, 5)) lines.push(`  rejected ${n}x: ${why}`);
    return lines.join('\n');
  }

  /** The smallest topology of a class, as code. */
  public example(key: string): string | undefined {
    const e = this.classes.get(key);
    return e && topologyCode(e.spec);
  }

  /** A false-positive topology, as code. */
  public falsePositiveExample(): string | undefined {
    const s = this.falsePositiveExamples[0];
    return s && topologyCode(s);
  }
}
