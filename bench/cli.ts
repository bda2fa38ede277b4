/**
 * CLI benchmark: `npx tsx bench/cli.ts` (`npm run bench:cli`). Two figures of issue 14:
 *
 * 1. The review of a one-line change against one synth: a git repository whose app is the seeded
 *    synthetic topology (test/fixtures/generator.ts, default shape, P planes and 10 × P secrets);
 *    the base commit and its dist/, then a one-line change (one more secret: the generator adds
 *    secrets last, so the others stay the same) and its dist/. Times `secrets-topology synth` and
 *    `secrets-topology review` (which synthesizes afresh, compares with dist/, reads the base report
 *    from git and compares) as the CLI runs them, each in a fresh process; the target is review
 *    <= 2 × synth.
 * 2. Report file sizes at 1,000 planes × 500 secrets in one Space (one group, one environment,
 *    static credentials: every secret reaches every plane), the shape whose Space report was 100.5 MB
 *    in report schema 3: the largest report file and the total; the target is no file over 25 MB.
 *
 * Options (flags or env): --planes 1000 (BENCH_CLI_PLANES), --repeat 3 (BENCH_CLI_REPEAT),
 * --dir <parent of the work directories> (BENCH_CLI_DIR; default the OS temp dir: on disk),
 * --skip-sizes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const BIN = join(ROOT, 'bin/secrets-topology.mjs');

function option(flag: string, env: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  return process.env[env] ?? fallback;
}
const PLANES = Number(option('--planes', 'BENCH_CLI_PLANES', '1000'));
const REPEAT = Math.max(1, Number(option('--repeat', 'BENCH_CLI_REPEAT', '3')));
const PARENT = option('--dir', 'BENCH_CLI_DIR', tmpdir());
const SIZES = !process.argv.includes('--skip-sizes');

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function run(cwd: string, cmd: string, args: readonly string[], ok: readonly number[] = [0]): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (!ok.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}
const git = (cwd: string, ...args: string[]) =>
  run(cwd, 'git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args]);
const cli = (cwd: string, ...args: string[]) => run(cwd, process.execPath, [BIN, ...args], [0, 2]);

function app(options: string): string {
  return [
    `import { TopologyApp } from ${JSON.stringify(join(ROOT, 'lib/index.ts'))};`,
    `import { generateTopology } from ${JSON.stringify(join(ROOT, 'test/fixtures/generator.ts'))};`,
    'const app = new TopologyApp();',
    `generateTopology(app, ${options});`,
    'app.synth();',
    '',
  ].join('\n');
}

function reviewBench(): void {
  const repo = mkdtempSync(join(PARENT, 'bench-cli-review-'));
  try {
    writeFileSync(join(repo, 'cdk8s.yaml'), `app: ${TSX} app.ts\noutput: dist\n`);
    writeFileSync(join(repo, 'app.ts'), app(`{ planes: ${PLANES}, secrets: ${10 * PLANES} }`));
    git(repo, 'init', '-q', '-b', 'main');
    cli(repo, 'synth');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    git(repo, 'checkout', '-q', '-b', 'change');
    writeFileSync(join(repo, 'app.ts'), app(`{ planes: ${PLANES}, secrets: ${10 * PLANES + 1} }`));
    const synths: number[] = [];
    const reviews: number[] = [];
    let comment = '';
    for (let i = 0; i < REPEAT; i++) {
      const s = cli(repo, 'synth');
      synths.push(s.ms);
      if (i === 0) {
        git(repo, 'add', '-A');
        git(repo, 'commit', '-q', '-m', 'one more secret');
      }
      const r = cli(repo, 'review', '--base', 'main');
      reviews.push(r.ms);
      comment = r.stdout;
    }
    const files = readdirSync(join(repo, 'dist'), { recursive: true }).length;
    const ratio = median(reviews) / median(synths);
    console.log(
      `\n## Review of a one-line change at ${PLANES.toLocaleString('en-US')} planes (${(10 * PLANES).toLocaleString('en-US')} secrets, ${files.toLocaleString('en-US')} output entries), in ${PARENT}\n`,
    );
    console.log('| command | runs (s) | median |');
    console.log('| --- | --- | ---: |');
    console.log(
      `| secrets-topology synth | ${synths.map((x) => (x / 1000).toFixed(1)).join(', ')} | ${(median(synths) / 1000).toFixed(1)} s |`,
    );
    console.log(
      `| secrets-topology review | ${reviews.map((x) => (x / 1000).toFixed(1)).join(', ')} | ${(median(reviews) / 1000).toFixed(1)} s |`,
    );
    console.log(
      `\nreview / synth: ${ratio.toFixed(2)}× (target <= 2×: ${ratio <= 2 ? 'pass' : 'FAIL'}); comment ${comment.length.toLocaleString('en-US')} characters`,
    );
    console.log(`first lines of the comment:\n${comment.split('\n').slice(0, 14).join('\n')}`);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

function sizesBench(): void {
  const dir = mkdtempSync(join(PARENT, 'bench-cli-sizes-'));
  try {
    writeFileSync(join(dir, 'cdk8s.yaml'), `app: ${TSX} app.ts\noutput: dist\n`);
    writeFileSync(
      join(dir, 'app.ts'),
      app('{ planes: 1000, secrets: 500, groups: 1, groupsPerSpace: 1, environments: 1, identities: false }'),
    );
    const s = cli(dir, 'synth');
    const dist = join(dir, 'dist');
    const reports = readdirSync(dist, { recursive: true })
      .map(String)
      .filter((p) => /(^|\/)report(-planes-\d+)?\.json$/.test(p))
      .map((p) => ({ path: p, bytes: statSync(join(dist, p)).size }))
      .sort((a, b) => b.bytes - a.bytes);
    const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
    const total = reports.reduce((n, r) => n + r.bytes, 0);
    const largest = reports[0] ?? { path: '-', bytes: 0 };
    console.log('\n## Report files at 1,000 planes × 500 secrets in one Space\n');
    console.log(
      `synth: ${(s.ms / 1000).toFixed(1)} s; ${reports.length} report files, ${mb(total)} in all; largest ${largest.path} ${mb(largest.bytes)} (target <= 25 MB: ${largest.bytes <= 25e6 ? 'pass' : 'FAIL'})`,
    );
    console.log(`summary line: ${s.stdout.trim()}`);
    for (const r of reports.slice(0, 4)) console.log(`  ${r.path}: ${mb(r.bytes)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `# CLI benchmark (${new Date().toISOString().slice(0, 10)}): ${cpus().length} CPUs, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.versions.node}, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
reviewBench();
if (SIZES) sizesBench();
