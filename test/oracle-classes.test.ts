/**
 * One small topology per class of access the current analysis gets wrong (test/oracle/counterexamples.ts).
 * For each: a test that the oracle's ground truth has the read (from the artifacts alone), and an
 * `it.fails` that the report lists it (`unsound` classes), flags it cross-environment (the
 * `unflagged` ones) or does not flag it (a `false-positive`: the plane reads its own environment's
 * secret). The lead flips each `it.fails` when the new analysis handles the class.
 */
import { describe, expect, it } from 'vitest';
import { readArtifacts } from './oracle/artifacts.js';
import { IamSimulator } from './oracle/aws.js';
import { buildTopology, topologyCode } from './oracle/build.js';
import { COUNTEREXAMPLES, remoteOf } from './oracle/counterexamples.js';
import { judge } from './oracle/oracle.js';
import { claimCovers, reportClaims } from './oracle/report-adapter.js';
import { groundTruth } from './oracle/truth.js';
import { universe } from './oracle/universe.js';

const sim = new IamSimulator();

describe.each(COUNTEREXAMPLES)('$id: $title', (c) => {
  const remote = remoteOf(c);
  const owner = c.spec.remotes[c.remote]?.owner;

  it(`the ground truth has ${c.plane} reading ${remote} (owned by ${owner})`, async () => {
    const files = buildTopology(c.spec, { optOutCrossEnvironment: true }).compile().files;
    const truth = await groundTruth(c.spec, readArtifacts(files), sim);
    expect([...(truth.reads.get(c.plane)?.keys() ?? [])]).toContain(remote);
  });

  if (c.kind === 'false-positive') {
    it('the report does not flag the read as cross-environment', () => {
      const files = buildTopology(c.spec, { optOutCrossEnvironment: true }).compile().files;
      const names = universe(c.spec).find((x) => x.id === remote)?.names ?? [];
      const flagged = reportClaims(files).filter((x) => x.plane === c.plane && x.crossEnvironment && claimCovers(x, names));
      expect(flagged, `the topology:\n${topologyCode(c.spec)}`).toEqual([]);
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
