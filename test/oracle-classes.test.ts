/**
 * One small topology per class of access the first analysis got wrong (test/oracle/counterexamples.ts).
 * For each: a test that the oracle's ground truth has the read (from the artifacts alone), and a
 * test that the report lists it (`unsound` classes), flags it cross-environment (the `unflagged`
 * ones), does not flag it (a `false-positive`: the plane reads its own environment's secret), or
 * that the oracle counts it as the user's missing declaration (`undeclared`). Where the analysis
 * refuses the topology (`refusal`), synthesis stops with that problem and the oracle counts it as
 * caught.
 */
import { describe, expect, it } from 'vitest';
import { TopologyError } from '../lib/index.js';
import { readArtifacts } from './oracle/artifacts.js';
import { IamSimulator } from './oracle/aws.js';
import { buildTopology, topologyCode } from './oracle/build.js';
import { COUNTEREXAMPLES, remoteOf } from './oracle/counterexamples.js';
import { judge } from './oracle/oracle.js';
import { claimCovers, reportClaims } from './oracle/report-adapter.js';
import { groundTruth } from './oracle/truth.js';
import { universe } from './oracle/universe.js';

const sim = new IamSimulator();

/** The problems of a compilation with both cross-environment rules opted out. */
function problemsOf(c: (typeof COUNTEREXAMPLES)[number]): string[] {
  try {
    buildTopology(c.spec, 'both').compile();
    return [];
  } catch (e) {
    if (e instanceof TopologyError) return e.problems.map((p) => p.message);
    throw e;
  }
}

describe.each(COUNTEREXAMPLES)('$id: $title', (c) => {
  const remote = remoteOf(c);
  const owner = c.spec.remotes[c.remote]?.owner;

  if (c.refusal) {
    const refusal = c.refusal;
    it('the analysis refuses the topology, and the oracle counts it as caught', async () => {
      expect(problemsOf(c).join('\n'), `the topology:\n${topologyCode(c.spec)}`).toMatch(refusal);
      expect((await judge(c.spec, sim)).status).toBe('caught');
    });
    return;
  }

  it(`the ground truth has ${c.plane} reading ${remote} (owned by ${owner})`, async () => {
    const files = buildTopology(c.spec, 'both').compile().files;
    const truth = await groundTruth(c.spec, readArtifacts(files), sim);
    expect([...(truth.reads.get(c.plane)?.keys() ?? [])]).toContain(remote);
  });

  if (c.kind === 'false-positive') {
    it('the report does not flag the read as cross-environment', () => {
      const files = buildTopology(c.spec, 'both').compile().files;
      const names = universe(c.spec).find((x) => x.id === remote)?.names ?? [];
      const flagged = reportClaims(files).filter((x) => x.plane === c.plane && x.crossEnvironment && claimCovers(x, names));
      expect(flagged, `the topology:\n${topologyCode(c.spec)}`).toEqual([]);
    });
    return;
  }
  if (c.kind === 'undeclared') {
    it("the oracle counts the read as the user's missing declaration, not as the analysis's error", async () => {
      const v = await judge(c.spec, sim);
      const here = (m: { plane: string; remote: string }): boolean => m.plane === c.plane && m.remote === remote;
      expect(v.undeclared.filter(here).length).toBe(1);
      expect([...v.unsound, ...v.unflagged, ...v.misowned].filter(here)).toEqual([]);
    });
    return;
  }
  const claim = c.kind === 'unsound' ? 'lists the read as readable' : 'flags the read as cross-environment (or synthesis stops)';
  it(`the report ${claim}`, async () => {
    const v = await judge(c.spec, sim);
    const missed = [...(c.kind === 'unsound' ? v.unsound : [...v.unsound, ...v.unflagged])].filter(
      (m) => m.plane === c.plane && m.remote === remote,
    );
    expect(missed, `the topology:\n${topologyCode(c.spec)}`).toEqual([]);
  });
});
