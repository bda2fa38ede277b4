/**
 * Start-up benchmark: `npm run bench:example` (`tsx bench/example.ts`).
 *
 * 1. The example app (main.ts) against the smallest cdk8s app (bench/minimal-app.ts, one Chart,
 *    one ConfigMap), each synthesized in a fresh process, runs interleaved: through the cdk8s CLI
 *    (`cdk8s synth --app "npx tsx <app>"`, what the README's target names: within 1.5×) and run
 *    directly (`npx tsx <app>`). Wall time including process start; medians.
 * 2. What loading cdk8s-plus-33 costs a process that has cdk8s loaded already (the compiler loads
 *    it on first use, one kind's module at a time): `require` of `lib/namespace.js`, then of
 *    `lib/config-map.js` after it, and of the package's index alone, each in a fresh `node`; medians.
 *
 * Options (flags or env): --repeat 5 (BENCH_EXAMPLE_REPEAT), --skip-apps, --skip-load.
 * `npm run bench` runs part 1 too (bench/run.ts imports `timeScript` from here).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The cdk8s-plus package the compiler builds its core objects with. */
const PLUS = 'cdk8s-plus-33';

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Wall time of one synth of `script`, in a fresh process: through the cdk8s CLI (`cdk8s synth
 * --app "npx tsx <script>"`, what the target names) or the app run directly (`npx tsx <script>`).
 */
export function timeScript(script: string, work: string, i: number, via: 'cdk8s' | 'tsx'): number {
  const outdir = join(work, `example-${via}-${i}-${script.replace(/\W+/g, '-')}`);
  const [cmd, args] =
    via === 'cdk8s'
      ? ['npx', ['cdk8s', 'synth', '--no-check-upgrade', '--app', `npx tsx ${script}`, '--output', outdir]]
      : ['npx', ['tsx', script]];
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: outdir } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
  rmSync(outdir, { recursive: true, force: true });
  return ms;
}

/** Milliseconds of each `require` of `steps` in one fresh `node`, after `require('cdk8s')`. */
function timeRequires(steps: readonly string[]): number[] {
  const script = [
    "const { createRequire } = require('node:module');",
    `const req = createRequire(${JSON.stringify(pathToFileURL(join(ROOT, 'package.json')).href)});`,
    "req('cdk8s');",
    'const out = [];',
    `for (const m of ${JSON.stringify(steps)}) { const t = process.hrtime.bigint(); req(m); out.push(Number(process.hrtime.bigint() - t) / 1e6); }`,
    'process.stdout.write(JSON.stringify(out));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`loading ${steps.join(', ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[];
}

const fmtMs = (ms: number): string => `${Math.round(ms)} ms`;
const fmtX = (x: number): string => `${x.toFixed(2)}×`;

function main(): void {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--repeat');
  const repeat = Math.max(1, Number(i >= 0 ? argv[i + 1] : (process.env.BENCH_EXAMPLE_REPEAT ?? '5')));
  const say = (line = ''): void => void process.stdout.write(`${line}\n`);
  say(
    `Machine: ${availableParallelism()} CPUs, Node ${process.version}; load average at start ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}. Medians of ${repeat}, runs interleaved, each in a fresh process.`,
  );
  say();

  if (!argv.includes('--skip-apps')) {
    const work = mkdtempSync(join(tmpdir(), 'topology-bench-example-'));
    try {
      const times = {
        cdk8s: { example: [] as number[], minimal: [] as number[] },
        tsx: { example: [] as number[], minimal: [] as number[] },
      };
      for (let n = 0; n < repeat; n++) {
        for (const via of ['cdk8s', 'tsx'] as const) {
          times[via].example.push(timeScript('main.ts', work, n, via));
          times[via].minimal.push(timeScript('bench/minimal-app.ts', work, n, via));
        }
        process.stderr.write(`[bench:example] run ${n + 1}/${repeat}\n`);
      }
      const [ex, min] = [median(times.cdk8s.example), median(times.cdk8s.minimal)];
      const [exT, minT] = [median(times.tsx.example), median(times.tsx.minimal)];
      say(
        `- \`cdk8s synth --app "npx tsx main.ts"\`: ${fmtMs(ex)}; the same for \`bench/minimal-app.ts\`: ${fmtMs(min)}; ratio ${fmtX(ex / min)} (target 1.5×: ${ex / min <= 1.5 ? 'PASS' : 'FAIL'}).`,
      );
      say(`- Run directly: \`npx tsx main.ts\` ${fmtMs(exT)}, \`npx tsx bench/minimal-app.ts\` ${fmtMs(minT)}; ratio ${fmtX(exT / minT)}.`);
      say(`- Every run (ms): ${JSON.stringify(times, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    say();
  }

  if (!argv.includes('--skip-load')) {
    const kinds: number[][] = [];
    const whole: number[] = [];
    for (let n = 0; n < repeat; n++) {
      kinds.push(timeRequires([`${PLUS}/lib/namespace.js`, `${PLUS}/lib/config-map.js`]));
      whole.push(timeRequires([PLUS])[0]);
    }
    say(`- Loading ${PLUS} after cdk8s, in a fresh \`node\`:`);
    say(
      `  \`lib/namespace.js\` ${fmtMs(median(kinds.map((k) => k[0])))} (the first kind: with the generated Kubernetes bindings both kinds share),`,
    );
    say(`  then \`lib/config-map.js\` ${fmtMs(median(kinds.map((k) => k[1])))}; the package's index alone ${fmtMs(median(whole))}.`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
