/**
 * One measured run, in its own process so that peak RSS is per run. Started by bench/run.ts:
 *
 *   node --import tsx bench/child.ts ours   <planes> <outdir> <manifests.json> [shape]
 *   node --import tsx bench/child.ts cdk8s  <outdir> <manifests.json>
 *   node --import tsx bench/child.ts floor  <outdir> <manifests.json>
 *
 * `ours` builds the synthetic topology, validates and compiles it, writes it atomically into
 * <outdir>, then dumps the emitted Kubernetes objects (path + object) to <manifests.json> (after
 * the clock stops) for the two baselines, which build the SAME objects:
 * - `cdk8s`: every object as an `ApiObject` in one `Chart`, `app.synth()` into <outdir>;
 * - `floor`: `yaml` stringify of each plain object (same options as ours) written to its own file.
 *
 * Prints one JSON line: { mode, ms, phases, files, maxRssKb }. Module loading is not timed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { TopologyApp, toYaml, type Synthesizer } from '../lib/index.js';
import { generateTopology, type GeneratorOptions } from '../test/fixtures/generator.js';

interface Entry {
  readonly path: string;
  readonly object: Record<string, unknown>;
}

function report(mode: string, ms: number, files: number, phases: Record<string, number> = {}, extra: Record<string, unknown> = {}): void {
  const maxRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify({ mode, ms, phases, files, maxRssKb, ...extra })}\n`);
}

/**
 * Topology shapes: `default` (groups of 6 planes, 2 groups per Space, workload identities) and
 * `wide` (groups of 100 planes in one Space each, static credentials: large groups stress the
 * per-group work — placement, checks — that small groups hide).
 */
function shapeOptions(shape: string, planes: number): GeneratorOptions {
  if (shape === 'wide') return { planes, groups: Math.max(1, Math.ceil(planes / 100)), groupsPerSpace: 1, identities: false };
  return { planes };
}

/**
 * Probes: synthesizers that add nothing and only note the time when their check or emit runs, so
 * that compile time is split by stage (checks run for all stages first, then the emits).
 */
const PROBES: readonly { stage: number; check: string; emit: string }[] = [
  { stage: -1, check: 'validate + placement + topology checks', emit: '' },
  { stage: 150, check: 'check: objects', emit: 'emit: objects (Shared*, ControlPlanes -> YAML)' },
  { stage: 250, check: 'check: identity (IAM plans)', emit: 'emit: identity (IAM, Helm values)' },
  { stage: 350, check: 'check: delivery', emit: 'emit: delivery' },
  { stage: 450, check: 'check: kustomize', emit: 'emit: kustomize' },
  { stage: 550, check: 'check: report (access matrix, guardrails)', emit: 'emit: report (REPORT.md, report.json)' },
];

function ours(planes: number, outdir: string, dump: string, shape: string): void {
  const marks: { label: string; t: number }[] = [];
  const probes: Synthesizer[] = PROBES.map((p) => ({
    name: `bench-probe-${p.stage}`,
    stage: p.stage,
    check: () => {
      marks.push({ label: p.check, t: performance.now() });
      return [];
    },
    emit: () => {
      marks.push({ label: p.emit, t: performance.now() });
    },
  }));
  const t0 = performance.now();
  const app = new TopologyApp({ outdir, synthesizers: probes });
  const info = generateTopology(app, shapeOptions(shape, planes));
  const t1 = performance.now();
  const compilation = app.compile();
  const t2 = performance.now();
  app.synth(); // compile() is cached: this is the atomic write
  const t3 = performance.now();
  const rssKb = process.resourceUsage().maxRSS;
  writeFileSync(dump, JSON.stringify(compilation.manifests));
  // Time between consecutive marks, named by the stage that ran in between.
  const stages: Record<string, number> = {};
  let prev = t1;
  for (const m of [...marks, { label: 'emit: file artifacts, sorting', t: t2 }]) {
    if (m.label) stages[m.label] = (stages[m.label] ?? 0) + (m.t - prev);
    prev = m.t;
  }
  process.stdout.write(
    `${JSON.stringify({
      mode: 'ours',
      ms: t3 - t0,
      phases: { build: t1 - t0, compile: t2 - t1, write: t3 - t2 },
      stages,
      files: compilation.files.size,
      manifests: compilation.manifests.length,
      bytes: [...compilation.files.values()].reduce((n, text) => n + Buffer.byteLength(text), 0),
      largest: [...compilation.files].map(([path, text]) => ({ path, bytes: Buffer.byteLength(text) })).sort((a, b) => b.bytes - a.bytes)[0],
      maxRssKb: rssKb,
      topology: info,
    })}\n`,
  );
}

function cdk8s(outdir: string, dump: string): void {
  const entries = JSON.parse(readFileSync(dump, 'utf8')) as Entry[];
  const t0 = performance.now();
  const app = new App({ outdir });
  const chart = new Chart(app, 'all', { disableResourceNameHashes: true });
  entries.forEach((e, i) => {
    const { apiVersion, kind, ...rest } = e.object as { apiVersion: string; kind: string };
    new ApiObject(chart, `o${i}`, { apiVersion, kind, ...rest });
  });
  const t1 = performance.now();
  app.synth();
  const t2 = performance.now();
  report('cdk8s', t2 - t0, 1, { build: t1 - t0, synth: t2 - t1 });
}

function floor(outdir: string, dump: string): void {
  const entries = JSON.parse(readFileSync(dump, 'utf8')) as Entry[];
  const t0 = performance.now();
  const dirs = new Set<string>();
  for (const e of entries) {
    const file = join(outdir, e.path);
    const dir = dirname(file);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    writeFileSync(file, toYaml(e.object));
  }
  report('floor', performance.now() - t0, entries.length);
}

const [mode, ...args] = process.argv.slice(2);
switch (mode) {
  case 'ours':
    ours(Number(args[0]), String(args[1]), String(args[2]), String(args[3] ?? 'default'));
    break;
  case 'cdk8s':
    cdk8s(String(args[0]), String(args[1]));
    break;
  case 'floor':
    floor(String(args[0]), String(args[1]));
    break;
  default:
    process.stderr.write('usage: child.ts ours <planes> <outdir> <dump> [seed] | cdk8s <outdir> <dump> | floor <outdir> <dump>\n');
    process.exitCode = 2;
}
