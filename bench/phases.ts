/**
 * Where the compile time goes, for one synthetic topology: `tsx bench/phases.ts <planes> [shape]`
 * (shape `default` or `wide`, as in bench/run.ts). Times the model build, `Placement.compute`,
 * `checkTopology` and a whole `compile()`, each on the same model; prints one line per phase.
 * Used for the before/after figures of fixes in lib/ (see bench/RESULTS.md).
 */
import { TopologyApp, TopologyError } from '../lib/index.js';
import { checkTopology } from '../lib/analysis/checks.js';
import { Placement } from '../lib/resolve/placement.js';
import { generateTopology, type GeneratorOptions } from '../test/fixtures/generator.js';

const planes = Number(process.argv[2] ?? 1000);
const shape = process.argv[3] ?? 'default';
const options: GeneratorOptions =
  shape === 'wide' ? { planes, groups: Math.max(1, Math.ceil(planes / 100)), groupsPerSpace: 1, identities: false } : { planes };

const time = <T>(label: string, f: () => T): T => {
  const t0 = performance.now();
  const out = f();
  process.stdout.write(`${label.padEnd(22)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms\n`);
  return out;
};

const app = new TopologyApp({ outdir: 'never-written' });
const info = time('build', () => generateTopology(app, options));
process.stdout.write(`${JSON.stringify({ shape, ...info })}\n`);
const placement = time('Placement.compute', () => Placement.compute(app));
time('checkTopology', () => checkTopology(app, placement));
const c = time('compile (all)', () => {
  try {
    return app.compile();
  } catch (e) {
    if (!(e instanceof TopologyError)) throw e;
    process.stdout.write(
      `${e.problems.length} problems, e.g.:\n${e.problems
        .slice(0, 3)
        .map((p) => `  ${p.path}: ${p.message.slice(0, 300)}`)
        .join('\n')}\n`,
    );
    process.exit(1);
  }
});
process.stdout.write(`files ${c.files.size}, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`);
