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
  public falsePositives = 0;
  public spuriousFlags = 0;
  public flagsOnAbsent = 0;
  public truthPairs = 0;
  public truthCross = 0;
  public reportPairs = 0;
  public reportExtra = 0;
  /** Topologies with at least one unsound read, and with at least one unflagged cross-environment read. */
  public unsoundTopologies = 0;
  public unflaggedTopologies = 0;
  private readonly rejections = new Map<string, number>();
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
    this.truthPairs += v.truthPairs;
    this.truthCross += v.truthCross;
    this.reportPairs += v.reportPairs;
    this.reportExtra += v.reportExtra;
    this.spuriousFlags += v.spuriousFlags;
    this.flagsOnAbsent += v.flagsOnAbsent;
    if (v.falsePositive) {
      this.falsePositives++;
      if (this.falsePositiveExamples.length < 1) this.falsePositiveExamples.push(spec);
    }
    if (v.unsound.length > 0) this.unsoundTopologies++;
    if (v.unflagged.length > 0) this.unflaggedTopologies++;
    const seen = new Set<string>();
    for (const [kind, misses] of [
      ['unsound', v.unsound],
      ['unflagged', v.unflagged],
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

  /** `<kind>: <class>` of every violation seen, sorted. */
  public violations(): string[] {
    return [...this.classes.keys()].sort();
  }

  /** How much wider the report's readable set is than the ground truth: (pairs it has that the truth has not) / truth. */
  public get widthRatio(): number {
    return this.truthPairs === 0 ? Number.NaN : this.reportExtra / this.truthPairs;
  }

  public summary(): string {
    const seconds = (performance.now() - this.started) / 1000;
    const lines = [
      `oracle: ${this.judged} topologies in ${seconds.toFixed(1)} s (${(this.judged / seconds).toFixed(1)}/s): ${this.compiled} compiled, ${this.caught} caught by the cross-environment guardrail, ${this.rejected} rejected`,
      `  ground truth: ${this.truthPairs} (plane, remote secret) reads, ${this.truthCross} across environments`,
      `  report: ${this.reportPairs} readable pairs of the world, ${this.reportExtra} of them not in the ground truth: wider by ${(100 * this.widthRatio).toFixed(1)}% of the ground truth`,
      `  unsound: ${this.unsoundTopologies} topologies with a read the report misses; unflagged: ${this.unflaggedTopologies} with a cross-environment read neither flagged nor caught`,
      `  false positives: ${this.falsePositives} caught topologies without any cross-environment read; ${this.spuriousFlags} flagged pairs covering no cross-environment read of the plane (only its own environment's secrets, or secrets it cannot read), ${this.flagsOnAbsent} flagged pairs on remote secrets that do not exist`,
    ];
    for (const [key, e] of [...this.classes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
      lines.push(`  ${key}: ${e.count} topologies (smallest: ${e.miss.plane} reads ${e.miss.remote} via ${e.miss.via.join('; ')})`);
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
