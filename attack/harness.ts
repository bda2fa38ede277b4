/**
 * Attack harness: builds a topology through the public API, compiles it (nothing is written) and
 * prints what a reviewer would see: the synth exit code (0 clean, 1 model problems, 2 access
 * findings), the problems, REPORT.md's "readable across environments" figure, and the
 * cross-environment rows of the matrix. With `optOut`, the same topology is compiled again with
 * cross-environment rules opted out so the matrix (who reads what) can be inspected.
 */
import { Guardrails, TopologyApp, TopologyError, type Compilation } from '../lib/index.js';

export interface Outcome {
  exit: 0 | 1 | 2;
  problems: string[];
  crossFigure?: string;
  compilation?: Compilation;
}

export function run(build: (app: TopologyApp) => unknown): Outcome {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  build(app);
  try {
    const c = app.compile();
    const md = c.files.get('REPORT.md') ?? '';
    const m = /\| readable across environments \| (\d+) \|/.exec(md);
    return { exit: 0, problems: [], crossFigure: m?.[1], compilation: c };
  } catch (e) {
    if (!(e instanceof TopologyError)) throw e;
    return {
      exit: e.accessOnly ? 2 : 1,
      problems: e.problems.map((p) => `${p.path}: ${p.message}`),
    };
  }
}

/** Compiles with both cross-environment rules opted out and returns the matrix rows of interest. */
export function matrix(build: (app: TopologyApp) => unknown): Compilation | string[] {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  build(app);
  Guardrails.allow(app, 'cross-environment', 'attack harness: inspect the matrix');
  Guardrails.allow(app, 'production-secret-outside-production', 'attack harness: inspect the matrix');
  try {
    return app.compile();
  } catch (e) {
    if (e instanceof TopologyError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
}

export function report(title: string, expected: string, build: (app: TopologyApp) => unknown, opts: { show?: string[] } = {}): Outcome {
  const o = run(build);
  console.log(`\n=== ${title}`);
  console.log(`expected: ${expected}`);
  console.log(`synth exit: ${o.exit}${o.crossFigure !== undefined ? `; REPORT.md readable across environments: ${o.crossFigure}` : ''}`);
  for (const p of o.problems.slice(0, 8)) console.log(`  problem: ${p.length > 400 ? `${p.slice(0, 400)}…` : p}`);
  if (o.problems.length > 8) console.log(`  (+${o.problems.length - 8} more problems)`);
  if (o.compilation) {
    const acc = o.compilation.context.access;
    for (const e of acc.entries)
      if (e.readable || e.delivered.length > 0)
        console.log(
          `  row: ${e.plane} [${e.environment}] ${e.remote.ref} owners=${e.secretEnvironments.join(',')} delivered=${e.delivered.join(',') || '-'} readable=${e.readable} cross=${e.crossEnvironment}`,
        );
    for (const f of opts.show ?? [])
      for (const [k, v] of o.compilation.files)
        if (k.includes(f))
          console.log(
            `  --- ${k}\n${v
              .split('\n')
              .map((l) => `    ${l}`)
              .join('\n')}`,
          );
  }
  return o;
}
