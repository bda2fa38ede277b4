/**
 * Scale benchmark: `npm run bench` (`tsx bench/run.ts`).
 *
 * For P planes with S = 10 × P secrets (synthetic topologies from test/fixtures/generator.ts),
 * measures the wall time and peak RSS of a full synth — model built, then `app.synth()`: validated,
 * each file rendered and written into a staging dir that is swapped in for a temp dir — each run in
 * a fresh child process (bench/child.ts), and three baselines over the SAME emitted objects: plain
 * cdk8s (every object an ApiObject, `app.synth()`) in one Chart with `FILE_PER_CHART` (one file),
 * in one Chart per output directory with `FILE_PER_CHART` (a file per directory, as our
 * `OutputLayout.FILE_PER_GROUP`, whose synth is measured too), and
 * plain cdk8s in one Chart per output directory with `FOLDER_PER_CHART_FILE_PER_RESOURCE` (a file
 * per object, like ours), and the floor (`yaml` stringify of each object written to its own file;
 * also timed with our own YAML layout, same bytes). Also times `cdk8s synth` of main.ts against a
 * one-object cdk8s app, and both apps run directly. Every run is made twice: with the output on
 * disk (the temp dir) and on a memory filesystem (/dev/shm), where the disk's noise is gone and
 * what is compared is the work of each.
 *
 * Prints a table, the ratios, the growth exponent and pass/fail for the targets; never fails on a
 * missed target. Options (flags or env):
 *   --sizes 100,1000,3000   (BENCH_SIZES)    plane counts of the default shape
 *   --wide 100,300,1000     (BENCH_WIDE)     plane counts of the wide shape (groups of 100 planes); "" skips
 *   --memfs on|off          (BENCH_MEMFS)    run every size again with the output on /dev/shm (default on, when it exists)
 *   --repeat 3              (BENCH_REPEAT)   runs per size and mode; medians are reported
 *   --example-repeat 5      (BENCH_EXAMPLE_REPEAT)
 *   --write                 (BENCH_WRITE=1)  also write the report into bench/RESULTS.md (between its markers)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GIB = 1024 ** 3;

function option(flag: string, env: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  return process.env[env] ?? fallback;
}
const sizesOf = (s: string): number[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(Number)
    .filter((n) => n > 0);

const SIZES = sizesOf(option('--sizes', 'BENCH_SIZES', '100,1000,3000'));
const WIDE = sizesOf(option('--wide', 'BENCH_WIDE', '100,300,1000'));
const MEMFS_DIR = '/dev/shm';
const MEMFS = existsSync(MEMFS_DIR) && option('--memfs', 'BENCH_MEMFS', 'on') !== 'off';
const REPEAT = Math.max(1, Number(option('--repeat', 'BENCH_REPEAT', '3')));
const EXAMPLE_REPEAT = Math.max(1, Number(option('--example-repeat', 'BENCH_EXAMPLE_REPEAT', '5')));
const WRITE = process.argv.includes('--write') || process.env.BENCH_WRITE === '1';

interface RunResult {
  mode: string;
  ms: number;
  phases: Record<string, number>;
  /** Files in the output. */
  files: number;
  /** File writes made (baselines). */
  writes?: number;
  /** Charts (plain cdk8s, a file per resource). */
  charts?: number;
  manifests?: number;
  maxRssKb: number;
  topology?: Record<string, number>;
  /** Synth time by stage, each emit stage including its writes (ours only). */
  stages?: Record<string, number>;
  /** Bytes of output (ours only). */
  bytes?: number;
  /** The largest output file (ours only). */
  largest?: { path: string; bytes: number };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Median wall time of some runs. */
const med = (runs: readonly RunResult[]): number => median(runs.map((x) => x.ms));

function child(args: string[]): RunResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'child.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench child ${args[0]} failed (exit ${r.status}):\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as RunResult;
}

interface SizeResult {
  planes: number;
  topology: Record<string, number>;
  files: number;
  manifests: number;
  ours: RunResult[];
  /** Ours with `OutputLayout.FILE_PER_GROUP` (a multi-document file per directory). */
  oursGroup: RunResult[];
  /** Plain cdk8s, FILE_PER_CHART (one multi-document file). */
  cdk8s: RunResult[];
  /** Plain cdk8s, a Chart per directory, FILE_PER_CHART (a multi-document file per directory). */
  cdk8sCharts: RunResult[];
  /** Plain cdk8s, a Chart per directory and a file per object. */
  cdk8sFiles: RunResult[];
  /** `yaml` library stringify + write. */
  floor: RunResult[];
  /** Our toYaml + write. */
  floorBlock: RunResult[];
}

function measure(shape: string, planes: number, work: string): SizeResult {
  const runs: Pick<SizeResult, 'ours' | 'oursGroup' | 'cdk8s' | 'cdk8sCharts' | 'cdk8sFiles' | 'floor' | 'floorBlock'> = {
    ours: [],
    oursGroup: [],
    cdk8s: [],
    cdk8sCharts: [],
    cdk8sFiles: [],
    floor: [],
    floorBlock: [],
  };
  for (let i = 0; i < REPEAT; i++) {
    // Interleaved, so that load from elsewhere on the machine hits all four alike.
    const dir = join(work, `${shape}-${planes}-${i}`);
    const dump = join(dir, 'manifests.json');
    runs.ours.push(child(['ours', String(planes), join(dir, 'ours', 'dist'), dump, shape]));
    runs.oursGroup.push(child(['ours', String(planes), join(dir, 'ours-group', 'dist'), join(dir, 'group.json'), shape, 'file-per-group']));
    runs.cdk8s.push(child(['cdk8s', join(dir, 'cdk8s'), dump]));
    runs.cdk8sCharts.push(child(['cdk8s-charts', join(dir, 'cdk8s-charts'), dump]));
    runs.cdk8sFiles.push(child(['cdk8s-files', join(dir, 'cdk8s-files'), dump]));
    runs.floor.push(child(['floor', join(dir, 'floor'), dump]));
    runs.floorBlock.push(child(['floor-block', join(dir, 'floor-block'), dump]));
    rmSync(dir, { recursive: true, force: true });
  }
  const first = runs.ours[0];
  return { planes, topology: first.topology ?? {}, files: first.files, manifests: first.manifests ?? 0, ...runs };
}

/** Wall time of `npx tsx <script>` with CDK8S_OUTDIR set to a fresh dir. */
/**
 * Wall time of one synth of `script`, in a fresh process: through the cdk8s CLI (`cdk8s synth
 * --app "npx tsx <script>"`, what the target names) or the app run directly (`npx tsx <script>`).
 */
function timeScript(script: string, work: string, i: number, via: 'cdk8s' | 'tsx'): number {
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

// ---------------------------------------------------------------------------------------------

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const fmtMb = (kb: number): string => `${Math.round(kb / 1024)} MiB`;
const fmtX = (x: number): string => `${x.toFixed(2)}×`;
const mark = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

/** Least-squares slope of log(t) over log(P). */
function growthExponent(points: readonly { p: number; t: number }[]): number {
  const xs = points.map((q) => Math.log(q.p));
  const ys = points.map((q) => Math.log(q.t));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? Number.NaN : num / den;
}

/** Both layouts of ours against plain cdk8s writing a file per chart. */
function layoutTable(results: readonly SizeResult[]): string[] {
  const out = [
    '| planes | ours, file per object | ours, file per group | plain cdk8s, one Chart (one file) | plain cdk8s, a Chart per directory (file per chart) | group / one file | group / file per chart | files: per object / per group / cdk8s per chart |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of results) {
    const g = med(r.oursGroup);
    const c = med(r.cdk8s);
    const cc = med(r.cdk8sCharts);
    out.push(
      `| ${r.planes} | ${fmtMs(med(r.ours))} | ${fmtMs(g)} | ${fmtMs(c)} | ${fmtMs(cc)} | ${fmtX(g / c)} | ${fmtX(g / cc)} | ${r.files} / ${r.oursGroup[0]?.files ?? '?'} / ${r.cdk8sCharts[0]?.files ?? '?'} |`,
    );
  }
  return out;
}

function table(results: readonly SizeResult[]): string[] {
  const out = [
    '| planes | secrets | groups | Spaces | files | ours (build / synth) | plain cdk8s one file | plain cdk8s file per resource | floor | ours / cdk8s one file | ours / cdk8s per resource | ours / floor | peak RSS ours / cdk8s one file / per resource / floor |',
    '| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of results) {
    const t = med(r.ours);
    const c = med(r.cdk8s);
    const cf = med(r.cdk8sFiles);
    const f = med(r.floor);
    const ph = (k: string): string => fmtMs(median(r.ours.map((x) => x.phases[k] ?? 0)));
    const rss = (xs: RunResult[]): number => Math.max(...xs.map((x) => x.maxRssKb));
    out.push(
      `| ${r.planes} | ${r.topology.secrets ?? '?'} | ${r.topology.groups ?? '?'} | ${r.topology.spaces ?? '?'} | ${r.files} | ${fmtMs(t)} (${ph('build')} / ${ph('synth')}) | ${fmtMs(c)} | ${fmtMs(cf)} | ${fmtMs(f)} | ${fmtX(t / c)} | ${fmtX(t / cf)} | ${fmtX(t / f)} | ${fmtMb(rss(r.ours))} / ${fmtMb(rss(r.cdk8s))} / ${fmtMb(rss(r.cdk8sFiles))} / ${fmtMb(rss(r.floor))} |`,
    );
  }
  return out;
}

/** What plain cdk8s with a file per object wrote, beside ours. */
function fileCounts(results: readonly SizeResult[]): string[] {
  return results.map((r) => {
    const x = r.cdk8sFiles[0];
    return `- ${r.planes} planes: ours wrote ${r.files} files (${r.manifests} objects; the rest are kustomizations, Helm values, IAM and reports); plain cdk8s file per resource wrote ${x?.files ?? 0} files in ${x?.charts ?? 0} chart folders; the floor with our YAML layout instead of the library's stringify (same bytes): ${fmtMs(med(r.floorBlock))}`;
  });
}

/**
 * Synth time by stage (median over the runs) for each size, and the output's size. Files are
 * written as they are emitted, so each emit stage includes its writes; the last row is the file
 * artifacts and the commit (the staging dir renamed into place).
 */
function stageTable(results: readonly SizeResult[]): string[] {
  const labels = [...new Set(results.flatMap((r) => r.ours.flatMap((x) => Object.keys(x.stages ?? {}))))];
  const out = [`| stage | ${results.map((r) => `${r.planes} planes`).join(' | ')} |`, `| --- | ${results.map(() => '---:').join(' | ')} |`];
  const cell = (r: SizeResult, f: (x: RunResult) => number): string => fmtMs(median(r.ours.map(f)));
  out.push(`| build the model (generator) | ${results.map((r) => cell(r, (x) => x.phases.build ?? 0)).join(' | ')} |`);
  for (const label of labels) {
    const values = results.map((r) => median(r.ours.map((x) => x.stages?.[label] ?? 0)));
    if (values.every((v) => v < 1)) continue;
    out.push(`| ${label} | ${values.map(fmtMs).join(' | ')} |`);
  }
  out.push(`| **total** | ${results.map((r) => cell(r, (x) => x.ms)).join(' | ')} |`);
  const mb = (b: number | undefined): string => `${((b ?? 0) / 1e6).toFixed(1)} MB`;
  out.push(
    `| output size (largest file) | ${results.map((r) => `${mb(r.ours[0]?.bytes)} (${r.ours[0]?.largest?.path ?? '?'} ${mb(r.ours[0]?.largest?.bytes)})`).join(' | ')} |`,
  );
  return out;
}

function growth(results: readonly SizeResult[]): { lines: string[]; ratio10?: number; exponent: number } {
  const pts = results.map((r) => ({ p: r.planes, t: median(r.ours.map((x) => x.ms)), floor: med(r.floor) }));
  const lines: string[] = [];
  const exponent = growthExponent(pts);
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first && last && last.p > first.p) {
    const k = Math.log(last.t / first.t) / Math.log(last.p / first.p);
    lines.push(
      `- growth exponent log(t${last.p}/t${first.p}) / log(${last.p / first.p}) = ${k.toFixed(2)}; least-squares fit over ${pts.length} sizes: ${exponent.toFixed(2)} (1.00 = linear)`,
    );
  }
  let ratio10: number | undefined;
  for (const a of pts) {
    const b = pts.find((q) => q.p === a.p * 10);
    if (b) {
      ratio10 = b.t / a.t;
      lines.push(
        `- ${a.p} → ${b.p} planes (10× the input): ${fmtX(ratio10)} the time (the floor, which only renders and writes the objects: ${fmtX(b.floor / a.floor)})`,
      );
    }
  }
  return { lines, ratio10, exponent };
}

/** One pass of the scale runs: the default shape, then the wide one, with their tables. */
interface Pass {
  readonly where: string;
  readonly results: SizeResult[];
  readonly wide: SizeResult[];
  readonly growth: ReturnType<typeof growth>;
  readonly wideGrowth?: ReturnType<typeof growth>;
}

function runPass(where: string, work: string, say: (s?: string) => void): Pass {
  const section = (
    title: string,
    shape: string,
    sizes: readonly number[],
  ): { results: SizeResult[]; growth: ReturnType<typeof growth> } => {
    say(`### ${title}, ${where}`);
    say();
    const results = sizes.map((p) => {
      process.stderr.write(`[bench] ${shape} shape, ${p} planes, ${where} ...\n`);
      return measure(shape, p, work);
    });
    for (const l of table(results)) say(l);
    say();
    say(
      'Output layouts (ours with `OutputLayout.FILE_PER_GROUP`, one multi-document file per directory, against plain cdk8s writing a file per chart):',
    );
    say();
    for (const l of layoutTable(results)) say(l);
    say();
    for (const l of fileCounts(results)) say(l);
    const g = growth(results);
    for (const l of g.lines) say(l);
    say();
    say('Where the time of our synth goes (median; files are written as they are emitted, so each emit stage includes writing its files):');
    say();
    for (const l of stageTable(results)) say(l);
    say();
    return { results, growth: g };
  };
  const main = section(
    'Scale (default shape: groups of 6 planes, 2 groups per Space, workload identities on AWS/Azure/GCP)',
    'default',
    SIZES,
  );
  const wide =
    WIDE.length > 0 ? section('Wide groups (100 planes and 1,000 secrets per group, static credentials)', 'wide', WIDE) : undefined;
  return { where, results: main.results, growth: main.growth, wide: wide?.results ?? [], wideGrowth: wide?.growth };
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'topology-bench-'));
  const started = new Date();
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  const lines: string[] = [];
  const say = (s = ''): void => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };
  try {
    say('## Figures');
    say();
    say(
      `Generated by \`npm run bench\` (bench/run.ts) on ${started.toISOString().slice(0, 10)}. Each figure is the median of ${REPEAT} runs, each run in a fresh Node process; peak RSS is the largest \`process.resourceUsage().maxRSS\` of those runs. Times of ours cover building the model and \`app.synth()\`: validation, then each file rendered and written into a staging directory, which is renamed into place at the end (module loading excluded).`,
    );
    say();
    say(
      `Machine: ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / GIB).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}; load average at start ${load}; output on disk in ${tmpdir()}${MEMFS ? `, then every run again with the output on ${MEMFS_DIR}, a memory filesystem: no disk, so none of its noise; what is compared there is the work each does` : ''}.`,
    );
    say();
    const passes: Pass[] = [runPass(`output on disk (${tmpdir()})`, work, say)];
    if (MEMFS) {
      const memWork = mkdtempSync(join(MEMFS_DIR, 'topology-bench-'));
      try {
        passes.push(runPass(`output on ${MEMFS_DIR} (tmpfs)`, memWork, say));
      } finally {
        rmSync(memWork, { recursive: true, force: true });
      }
    }

    say('### Example synth vs a minimal cdk8s app');
    say();
    process.stderr.write('[bench] example vs minimal cdk8s app ...\n');
    const times = {
      cdk8s: { example: [] as number[], minimal: [] as number[] },
      tsx: { example: [] as number[], minimal: [] as number[] },
    };
    let exampleError: string | undefined;
    for (let i = 0; i < EXAMPLE_REPEAT && exampleError === undefined; i++) {
      for (const via of ['cdk8s', 'tsx'] as const) {
        try {
          times[via].example.push(timeScript('main.ts', work, i, via));
        } catch (e) {
          exampleError = (e as Error).message;
        }
        times[via].minimal.push(timeScript('bench/minimal-app.ts', work, i, via));
      }
    }
    const ex = exampleError === undefined ? median(times.cdk8s.example) : Number.NaN;
    const min = median(times.cdk8s.minimal);
    if (exampleError !== undefined) say(`The example failed, so it was not timed: ${exampleError}`);
    else {
      say(
        `- \`cdk8s synth --app "npx tsx main.ts"\`: ${fmtMs(ex)}; the same for \`bench/minimal-app.ts\` (one ConfigMap): ${fmtMs(min)}; ratio ${fmtX(ex / min)}.`,
      );
      const exT = median(times.tsx.example);
      const minT = median(times.tsx.minimal);
      say(
        `- The apps run directly, without the CLI: \`npx tsx main.ts\` ${fmtMs(exT)}, \`npx tsx bench/minimal-app.ts\` ${fmtMs(minT)}; ratio ${fmtX(exT / minT)}.`,
      );
      say(`- Median of ${EXAMPLE_REPEAT}, wall time including process start, runs interleaved.`);
    }
    say();

    say('### Targets');
    say();
    for (const pass of passes) {
      const { where } = pass;
      const r = pass.results.find((x) => x.planes === 1000);
      if (r) {
        const t = med(r.ours);
        const c = med(r.cdk8s);
        const cf = med(r.cdk8sFiles);
        const f = med(r.floor);
        say(
          `- ${mark(t / c <= 1.5)} ${where}: 1,000 planes / 10,000 secrets within 1.5× plain cdk8s (FILE_PER_CHART, one file): ${fmtX(t / c)}`,
        );
        say(
          `- ${mark(t / cf <= 1.5)} ${where}: 1,000 planes / 10,000 secrets within 1.5× plain cdk8s (one Chart per directory, FOLDER_PER_CHART_FILE_PER_RESOURCE: one file per object like ours): ${fmtX(t / cf)}`,
        );
        const g = med(r.oursGroup);
        const cc = med(r.cdk8sCharts);
        say(
          `- ${mark(g / cc <= 1.5)} ${where}: file-per-group layout within 1.5× plain cdk8s writing one file per chart (a Chart per directory, FILE_PER_CHART): ${fmtX(g / cc)}`,
        );
        say(`- ${mark(g / c <= 1.5)} ${where}: file-per-group layout within 1.5× plain cdk8s writing one file (one Chart): ${fmtX(g / c)}`);
        say(
          `- ${mark(t / f <= 3)} ${where}: 1,000 planes / 10,000 secrets within 3× the floor (\`yaml\` stringify + write): ${fmtX(t / f)} (${fmtX(t / med(r.floorBlock))} of the floor with our YAML layout)`,
        );
      } else {
        say(`- (${where}: 1,000 planes not measured, so the cdk8s and floor targets are not evaluated)`);
      }
      if (pass.growth.ratio10 !== undefined)
        say(`- ${mark(pass.growth.ratio10 <= 12)} ${where}: 10× the input at most 12× the time: ${fmtX(pass.growth.ratio10)}`);
      if (pass.wideGrowth?.ratio10 !== undefined)
        say(
          `- ${mark(pass.wideGrowth.ratio10 <= 12)} ${where}: wide groups, 10× the input at most 12× the time: ${fmtX(pass.wideGrowth.ratio10)}`,
        );
    }
    const peak = Math.max(...passes.flatMap((p) => [...p.results, ...p.wide]).flatMap((r) => r.ours.map((x) => x.maxRssKb)));
    say(`- ${mark(peak * 1024 < GIB)} peak memory < 1 GiB: ${fmtMb(peak)} (largest run)`);
    if (exampleError === undefined)
      say(`- ${mark(ex / min <= 1.5)} \`cdk8s synth\` of the example within 1.5× a minimal cdk8s app's: ${fmtX(ex / min)}`);
    else say('- (example synth failed: not evaluated)');
    say();
    say(
      'Baselines: plain cdk8s builds every emitted object as an `ApiObject` (`disableResourceNameHashes`) and calls `app.synth()`: once in one `Chart` with `FILE_PER_CHART` (one multi-document file), and once in one `Chart` per output directory with `FOLDER_PER_CHART_FILE_PER_RESOURCE` (a file per object, as many files and directories as ours). ' +
        'The floor only runs the `yaml` library\'s stringify (same options as ours) on each plain object and writes it to its own file; "the floor with our YAML layout" does the same with our `toYaml` (same bytes: the block structure laid out by us, each distinct key and scalar written as the library writes it). Ours builds and validates the model, computes placement, plans identities, renders each file (objects, kustomizations, Helm values, IAM, reports) and hands it to a writer thread that creates it in a staging directory, and renames the staging directory into place at the end. Ours is timed from building the model to the end of `synth()`; its peak RSS is taken when `synth()` returns.',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (WRITE) {
    // Only the part between the markers is replaced; notes around it are kept.
    const file = join(ROOT, 'bench', 'RESULTS.md');
    const begin = '<!-- bench:begin (generated by npm run bench -- --write) -->';
    const end = '<!-- bench:end -->';
    const block = `${begin}\n${lines.join('\n')}\n${end}`;
    const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const i = old.indexOf(begin);
    const j = old.indexOf(end);
    writeFileSync(file, i >= 0 && j > i ? `${old.slice(0, i)}${block}${old.slice(j + end.length)}` : `${block}\n${old}`);
    process.stderr.write('[bench] wrote bench/RESULTS.md\n');
  }
}

main();
