/**
 * The access analysis against an independent oracle (test/oracle/): random multi-Space topologies
 * built through the public API, with ownership declarations consistent with the world for a random
 * share of them; their ground truth computed from the generated artifacts alone (AWS trust and
 * permission policies simulated with iam-simulate; Azure federated credentials, role assignments
 * and access policies; GCP bindings, conditions and impersonation; Spaces stores with the selector
 * bypass) for the remote secrets the model knows, and compared with the report under the contract
 * of docs/threat-model.md.
 *
 * `FC_RUNS` topologies (30 in CI; `npm run bench:oracle` runs 10,000); `FC_SEED` replays a run;
 * `ORACLE_EXAMPLES=1` also prints the smallest topology of each class as code. The summary also
 * counts what is not a failure: how much wider the report is than the ground truth, false
 * positives, and reads that cross environments only by the world's owner (the user's missing
 * declaration).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FC_RUNS, fcParams } from './fuzz-support.js';
import { IamSimulator } from './oracle/aws.js';
import { worldArbitrary } from './oracle/generator.js';
import { judge } from './oracle/oracle.js';
import { OracleStats } from './oracle/stats.js';

/** Generous: ~0.1 s per topology on a loaded 2-CPU machine. */
const TIMEOUT = 60_000 + FC_RUNS * 1_000;

describe(`the review report against the oracle (${FC_RUNS} topologies)`, () => {
  const stats = new OracleStats();

  beforeAll(async () => {
    const sim = new IamSimulator();
    await fc.assert(
      fc.asyncProperty(worldArbitrary, async (spec) => {
        stats.add(spec, await judge(spec, sim));
      }),
      fcParams,
    );
    console.log(`${stats.summary()}\n  iam-simulate: ${sim.runs} simulations, ${sim.hits} answered from the memo`);
    if (process.env.ORACLE_EXAMPLES) {
      for (const v of stats.classesSeen()) console.log(`\n// smallest topology of ${v}\n${stats.example(v)}`);
      const fp = stats.falsePositiveExample();
      if (fp) console.log(`\n// a false positive (caught, no cross-environment read)\n${fp}`);
    }
  }, TIMEOUT);

  it('judges every generated topology; the generator keeps them compilable and its declarations consistent', () => {
    expect(stats.judged).toBe(FC_RUNS);
    expect(stats.rejectionReasons()).toEqual([]);
  });

  it('the readable set of the report contains every ground-truth read', () => {
    expect(stats.violations().filter((v) => v.startsWith('unsound'))).toEqual([]);
  });

  it('every cross-environment read is flagged (a production secret outside production as such) or stops synthesis', () => {
    expect(stats.violations().filter((v) => v.startsWith('unflagged'))).toEqual([]);
  });

  it("a declared secret is its declaring environment's alone in the report", () => {
    expect(stats.violations().filter((v) => v.startsWith('misowned'))).toEqual([]);
  });
});
