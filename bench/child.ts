/**
 * One measured run, in its own process so that peak RSS is per run. Started by bench/run.ts:
 *
 *   node --import tsx bench/child.ts ours         <planes> <outdir> <manifests.json> [shape] [layout]
 *   node --import tsx bench/child.ts cdk8s        <outdir> <manifests.json>
 *   node --import tsx bench/child.ts cdk8s-charts <outdir> <manifests.json>
 *   node --import tsx bench/child.ts cdk8s-files  <outdir> <manifests.json>
 *   node --import tsx bench/child.ts floor       <outdir> <manifests.json>   (or floor-block)
 *
 * `ours` builds the synthetic topology and calls `app.synth()` on it, the real path: validate,
 * then each file is rendered and written into a staging directory, which is swapped in for
 * <outdir> at the end. Peak RSS is taken when synth() returns; only then (untimed, uncounted)
 * `app.compile()` reads the output back to dump the emitted Kubernetes objects (path + object) to
 * <manifests.json> for the baselines, which build the SAME objects:
 * - `cdk8s`: every object as an `ApiObject` in one `Chart`, `app.synth()` into <outdir>
 *   (`FILE_PER_CHART`: one multi-document file);
 * - `cdk8s-charts`: the same objects in one `Chart` per output directory, `FILE_PER_CHART`: one
 *   multi-document file per directory, what our `OutputLayout.FILE_PER_GROUP` writes;
 * - `cdk8s-files`: the same objects in one `Chart` per output directory (a group's directory,
 *   as ours), `yamlOutputType: FOLDER_PER_CHART_FILE_PER_RESOURCE`: a folder per chart and a file
 *   per object, i.e. the same number of files as ours;
 * - `floor`: the `yaml` library's stringify of each plain object (same options as ours) written
 *   to its own file; `floor-block`: the same with our `toYaml` (same bytes, faster layout).
 *
 * Prints one JSON line: { mode, ms, phases, files, maxRssKb, ... }. Module loading is not timed.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { OutputLayout, TopologyApp, type Synthesizer } from '../lib/index.js';
import { toYaml } from '../lib/output/render.js';
import { libraryYaml } from '../lib/output/yaml-render.js';
import { generateTopology, type GeneratorOptions } from '../test/fixtures/generator.js';

interface Entry {
  readonly path: string;
  readonly object: Record<string, unknown>;
}

function report(
  mode: string,
  ms: number,
  files: number,
  phases: Record<string, number> = {},
  extra: Record<string, unknown> = {},
  maxRssKb = process.resourceUsage().maxRSS,
): void {
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
 * that synth time is split by stage. The context (placement, identity plans, access matrix,
 * guardrails, the targets' objects) is built before any check runs, and every check runs before
 * the first emit, so the first probe's check marks the end of all the checking work; the emits
 * then interleave with the built-in stages. Files are written as they are emitted, so each emit
 * stage's time includes writing its files. A probe with an empty label marks a boundary only.
 */
const PROBES: readonly { stage: number; check: string; emit: string }[] = [
  { stage: -1, check: 'validate + context (placement, identity plans, access, guardrails, target objects) + checks', emit: '' },
  { stage: 150, check: '', emit: 'emit + write: objects (Shared*, ControlPlanes -> YAML files)' },
  { stage: 250, check: '', emit: 'emit + write: identity (IAM, Helm values)' },
  { stage: 350, check: '', emit: 'emit + write: delivery' },
  { stage: 550, check: '', emit: 'emit + write: report (REPORT.md, report.json)' },
];
/** The time from the last probe's emit to the end of synth(). */
const LAST_SEGMENT = 'emit + write: kustomizations, file artifacts; commit (rename staging dir into place)';

function ours(planes: number, outdir: string, dump: string, shape: string, layout: OutputLayout): void {
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
  const app = new TopologyApp({ outdir, synthesizers: probes, layout });
  const info = generateTopology(app, shapeOptions(shape, planes));
  const t1 = performance.now();
  app.synth(); // validate, emit and write each file into a staging dir, swap it in
  const t2 = performance.now();
  const rssKb = process.resourceUsage().maxRSS;
  if (process.exitCode) throw new Error('synth() reported model errors (see above)');
  // Untimed, after the peak RSS was taken: the result of this synth, read back from <outdir>.
  const compilation = app.compile();
  writeFileSync(dump, JSON.stringify(compilation.manifests));
  // Time between consecutive marks, named by the stage that ran in between.
  const stages: Record<string, number> = {};
  let prev = t1;
  for (const m of [...marks, { label: LAST_SEGMENT, t: t2 }]) {
    if (m.label) stages[m.label] = (stages[m.label] ?? 0) + (m.t - prev);
    prev = m.t;
  }
  const files = compilation.files;
  process.stdout.write(
    `${JSON.stringify({
      mode: layout === OutputLayout.FILE_PER_GROUP ? 'ours-group' : 'ours',
      ms: t2 - t0,
      phases: { build: t1 - t0, synth: t2 - t1 },
      stages,
      files: files.size,
      manifests: compilation.manifests.length,
      bytes: [...files.values()].reduce((n, text) => n + Buffer.byteLength(text), 0),
      largest: [...files].map(([path, text]) => ({ path, bytes: Buffer.byteLength(text) })).sort((a, b) => b.bytes - a.bytes)[0],
      maxRssKb: rssKb,
      topology: info,
    })}\n`,
  );
}

/**
 * Plain cdk8s over the dumped objects, `app.synth()`: `cdk8s` puts every object in one `Chart`
 * (`FILE_PER_CHART`: one multi-document file); `cdk8s-charts` in one `Chart` per output directory
 * (`FILE_PER_CHART`: a file per directory); `cdk8s-files` puts them in one `Chart` per output
 * directory with `FOLDER_PER_CHART_FILE_PER_RESOURCE` (a folder per chart, `<kind>.<name>.k8s.yaml`
 * per object: as many files as ours, in as many directories).
 */
function cdk8s(mode: 'cdk8s' | 'cdk8s-charts' | 'cdk8s-files', outdir: string, dump: string): void {
  const entries = JSON.parse(readFileSync(dump, 'utf8')) as Entry[];
  const perResource = mode === 'cdk8s-files';
  const perDirectory = mode !== 'cdk8s';
  const t0 = performance.now();
  const app = new App({ outdir, ...(perResource ? { yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE } : {}) });
  const charts = new Map<string, Chart>();
  const chartFor = (path: string): Chart => {
    const dir = perDirectory ? dirname(path) : '';
    let chart = charts.get(dir);
    if (!chart) {
      chart = new Chart(app, perDirectory ? dir.replace(/[^A-Za-z0-9-]+/g, '_') : 'all', { disableResourceNameHashes: true });
      charts.set(dir, chart);
    }
    return chart;
  };
  entries.forEach((e, i) => {
    const { apiVersion, kind, ...rest } = e.object as { apiVersion: string; kind: string };
    new ApiObject(chartFor(e.path), `o${i}`, { apiVersion, kind, ...rest });
  });
  const t1 = performance.now();
  app.synth();
  const t2 = performance.now();
  const rssKb = process.resourceUsage().maxRSS;
  const files = readdirSync(outdir, { recursive: true }).filter((n) => String(n).endsWith('.k8s.yaml')).length;
  report(
    mode,
    t2 - t0,
    files,
    { build: t1 - t0, synth: t2 - t1 },
    { writes: perResource ? entries.length : charts.size, charts: charts.size },
    rssKb,
  );
}

/**
 * The floor: each object rendered and written to its own file, nothing else. `floor` renders with
 * the `yaml` library's stringify (the options of ours); `floor-block` with our `toYaml` (the same
 * bytes, the block layout laid out by us: see lib/output/yaml-render.ts).
 */
function floor(mode: 'floor' | 'floor-block', outdir: string, dump: string): void {
  const entries = JSON.parse(readFileSync(dump, 'utf8')) as Entry[];
  const render = mode === 'floor' ? libraryYaml : toYaml;
  const t0 = performance.now();
  const dirs = new Set<string>();
  for (const e of entries) {
    const file = join(outdir, e.path);
    const dir = dirname(file);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    writeFileSync(file, render(e.object));
  }
  report(mode, performance.now() - t0, entries.length, {}, { writes: entries.length });
}

const [mode, ...args] = process.argv.slice(2);
switch (mode) {
  case 'ours':
    ours(
      Number(args[0]),
      String(args[1]),
      String(args[2]),
      String(args[3] ?? 'default'),
      (args[4] ?? OutputLayout.FILE_PER_OBJECT) as OutputLayout,
    );
    break;
  case 'cdk8s':
  case 'cdk8s-charts':
  case 'cdk8s-files':
    cdk8s(mode, String(args[0]), String(args[1]));
    break;
  case 'floor':
  case 'floor-block':
    floor(mode, String(args[0]), String(args[1]));
    break;
  default:
    process.stderr.write(
      'usage: child.ts ours <planes> <outdir> <dump> [shape] [layout] | cdk8s[-charts|-files] <outdir> <dump> | floor[-block] <outdir> <dump>\n',
    );
    process.exitCode = 2;
}
