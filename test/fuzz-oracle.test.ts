/**
 * The access analysis against an independent oracle (test/oracle/): random multi-Space topologies
 * built through the public API, their ground truth computed from the generated artifacts alone
 * (AWS trust and permission policies simulated with iam-simulate; Azure federated credentials,
 * role assignments and access policies; GCP bindings, conditions and impersonation; Spaces stores
 * with the selector bypass) and compared with the report.
 *
 * `FC_RUNS` topologies (30 in CI; `npm run bench:props` runs 1,000 and `npm run bench:oracle`
 * 10,000); `FC_SEED` replays a run; `ORACLE_EXAMPLES=1` also prints the smallest topology of each
 * class as code. The first test only checks that the oracle judges them; the two `it.fails` hold
 * the properties the current analysis breaks (the lead flips them when the new analysis lands).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FC_RUNS, fcParams } from './fuzz-support.js';
import { IamSimulator } from './oracle/aws.js';
import { worldArbitrary } from './oracle/generator.js';
import { judge } from './oracle/oracle.js';
import { OracleStats } from './oracle/stats.js';

/** Generous: ~0.1 s per topology on a loaded 2-CPU machine. */
const TIMEOUT = 60_000 + FC_RUNS * 1_000;

describe(`the review report against the oracle (${FC_RUNS} topologies)`, () => {
  let stats: OracleStats | undefined;

  it(
    'judges every generated topology from its artifacts',
    async () => {
      const run = new OracleStats();
      const sim = new IamSimulator();
      await fc.assert(
        fc.asyncProperty(worldArbitrary, async (spec) => {
          run.add(spec, await judge(spec, sim));
        }),
        fcParams,
      );
      console.log(`${run.summary()}\n  iam-simulate: ${sim.runs} simulations, ${sim.hits} answered from the memo`);
      if (process.env.ORACLE_EXAMPLES) {
        for (const v of run.violations()) console.log(`\n// smallest topology of ${v}\n${run.example(v)}`);
        const fp = run.falsePositiveExample();
        if (fp) console.log(`\n// a false positive (caught, no cross-environment read)\n${fp}`);
      }
      expect(run.judged).toBe(FC_RUNS);
      // The generator keeps topologies compilable: a few rejections at most.
      expect(run.rejected).toBeLessThanOrEqual(Math.ceil(FC_RUNS / 10));
      stats = run;
    },
    TIMEOUT,
  );

  // Fails today. Classes of reads the report's readable set misses (see the summary): static
  // credentials through the selector bypass (any SharedSecretStore of the group), stores projected
  // into a plane without a declared namespace, credentials Secrets shared by stores of other
  // backends, backends the analysis does not know (dropped), chained roles (a store's `role` is one
  // principal for every store that names it, also when it is another Space's generated role), role
  // names shared by two owners (one IAM role, two documents), identities shared across Spaces (one
  // managed identity, one impersonated Google service account, one GKE workload pool per project),
  // and grants wider than the model's references (vault-wide access policies, `GetParametersByPath`
  // on `/`, a Secrets Manager find by name pattern granted on `secret:*`, find resources narrower
  // than the find). 10,000 topologies: about a third have such a read.
  it('the readable set of the report contains every ground-truth read', () => {
    if (!stats) return; // the first test failed: so does this one, unflipped
    expect(stats.violations().filter((v) => v.startsWith('unsound'))).toEqual([]);
  });

  // Fails today. Classes of cross-environment reads neither flagged nor caught: ownership taken
  // from delivery (a secret of one environment naming another's remote secret; a label selector
  // that also catches another environment's planes), resource identity by text (an ARN key and a
  // name key of one secret; a key inside a `find` scope), and every unsound class above when the
  // read crosses environments. 10,000 topologies: about 60% have such a read. The report also
  // flags reads of a plane's own environment (false positives, printed in the summary).
  it('every cross-environment read is flagged or stops synthesis', () => {
    if (!stats) return;
    expect(stats.violations().filter((v) => v.startsWith('unflagged'))).toEqual([]);
  });
});
