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
 * Wall times and CPU times (user + system of the process tree: on a shared VM the wall time moves
 * by a second between identical runs, the CPU time much less).
 *
 * Options (flags or env): --repeat 5 (BENCH_EXAMPLE_REPEAT), --skip-apps, --skip-load,
 * --baseline <dir>: also time main.ts of another checkout (e.g. `git worktree add /tmp/base main`
 * with node_modules linked), interleaved, to compare before and after a change.
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

/** Wall time and CPU time (user + system of the whole process tree) of one run, in milliseconds. */
export interface ScriptTime {
  readonly wall: number;
  readonly cpu: number;
}

/**
 * One synth of `script` in a fresh process tree, run from `cwd`: through the cdk8s CLI (`cdk8s
 * synth --app "npx tsx <script>"`, what the target names) or the app run directly (`npx tsx
 * <script>`). The CPU time comes from the shell's `times` (its children's user and system time):
 * on a shared VM it moves much less than the wall time.
 */
export function measureScript(script: string, work: string, i: number, via: 'cdk8s' | 'tsx', cwd = ROOT): ScriptTime {
  const outdir = join(work, `example-${via}-${i}-${script.replace(/\W+/g, '-')}-${cwd.replace(/\W+/g, '-')}`);
  const command =
    via === 'cdk8s'
      ? `npx cdk8s synth --no-check-upgrade --app "npx tsx ${script}" --output "$OUT" >/dev/null`
      : `npx tsx ${script} >/dev/null`;
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', `${command} || exit $?; times`], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_OUTDIR: outdir, OUT: outdir },
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} failed (exit ${r.status}): ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
  rmSync(outdir, { recursive: true, force: true });
  // `times`: the shell's own user and system time, then its children's ("0m1.234s 0m0.567s").
  const children = r.stdout.trim().split('\n').at(-1) ?? '';
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
  return { wall, cpu };
}

/** Wall time of one synth of `script` in a fresh process (see {@link measureScript}). */
export function timeScript(script: string, work: string, i: number, via: 'cdk8s' | 'tsx'): number {
  return measureScript(script, work, i, via).wall;
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
    const b = argv.indexOf('--baseline');
    const baseline = b >= 0 ? resolve(argv[b + 1]) : undefined;
    const work = mkdtempSync(join(tmpdir(), 'topology-bench-example-'));
    try {
      type Runs = { example: ScriptTime[]; minimal: ScriptTime[]; baseline: ScriptTime[] };
      const times: Record<'cdk8s' | 'tsx', Runs> = {
        cdk8s: { example: [], minimal: [], baseline: [] },
        tsx: { example: [], minimal: [], baseline: [] },
      };
      for (let n = 0; n < repeat; n++) {
        for (const via of ['cdk8s', 'tsx'] as const) {
          times[via].example.push(measureScript('main.ts', work, n, via));
          times[via].minimal.push(measureScript('bench/minimal-app.ts', work, n, via));
          if (baseline) times[via].baseline.push(measureScript('main.ts', work, n, via, baseline));
        }
        process.stderr.write(`[bench:example] run ${n + 1}/${repeat}\n`);
      }
      const m = (xs: readonly ScriptTime[], k: keyof ScriptTime) => median(xs.map((x) => x[k]));
      for (const via of ['cdk8s', 'tsx'] as const) {
        const t = times[via];
        const what = via === 'cdk8s' ? '`cdk8s synth --app "npx tsx main.ts"`' : '`npx tsx main.ts` (run directly)';
        const ratio = m(t.example, 'wall') / m(t.minimal, 'wall');
        say(
          `- ${what}: ${fmtMs(m(t.example, 'wall'))}; \`bench/minimal-app.ts\` the same way: ${fmtMs(m(t.minimal, 'wall'))}; ratio ${fmtX(ratio)}` +
            (via === 'cdk8s' ? ` (target 1.5×: ${ratio <= 1.5 ? 'PASS' : 'FAIL'})` : '') +
            `. CPU time: ${fmtMs(m(t.example, 'cpu'))} / ${fmtMs(m(t.minimal, 'cpu'))}, ${fmtX(m(t.example, 'cpu') / m(t.minimal, 'cpu'))}.`,
        );
        if (baseline)
          say(
            `  The baseline's main.ts (${baseline}) the same way: ${fmtMs(m(t.baseline, 'wall'))} (${fmtX(m(t.baseline, 'wall') / m(t.minimal, 'wall'))}), CPU ${fmtMs(m(t.baseline, 'cpu'))} (${fmtX(m(t.baseline, 'cpu') / m(t.minimal, 'cpu'))}).`,
          );
      }
      say(`- Every run, wall/CPU ms: ${JSON.stringify(times, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`);
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
