/**
 * The files of the JSON report (schema 4): they validate against docs/report.schema.json; a plane's
 * projection by reference expands back to the projection preview; a Space above the budget is split
 * into part files that each stay within it and read back to the same report; the size estimate
 * stays above the written size; the Mermaid diagrams stay within their caps and say what they leave out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPORT_JSON, TopologyApp, compareReports, loadReport, reportFromFiles, type ReportData } from '../lib/index.js';
import { projectionPreview } from '../lib/analysis/projection.js';
import { MERMAID_MAX_EDGES, MERMAID_MAX_NODES, environmentDiagram, spaceDiagram } from '../lib/report/report-mermaid.js';
import { compactPlane, planeExpander } from '../lib/report/report-projection.js';
import { estimateJsonBytes, flattenAccess, formatJson, reportJsonParts } from '../lib/report/report.js';
import { buildExample } from '../main.js';
import { kitchenSink } from './fixtures/analysis-topologies.js';
import { generateTopology, type GeneratorOptions } from './fixtures/generator.js';
import { fcParams } from './fuzz-support.js';
import { ROOT } from './support/cli.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'docs/report.schema.json'), 'utf8')) as object;
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

/** The JSON report files of a compilation, by path. */
function jsonFiles(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].filter(([path]) => path === REPORT_JSON || /^spaces\/[^/]+\/report(-planes-\d+)?\.json$/.test(path)));
}

function compiled(build: (app: TopologyApp) => unknown): { app: TopologyApp; files: ReadonlyMap<string, string>; data: ReportData } {
  const app = new TopologyApp({ outdir: 'unused-never-written' });
  build(app);
  const files = app.compile().files;
  return { app, files, data: reportFromFiles((p) => files.get(p)) };
}

/** The report written with a file budget: path → text. */
function written(data: ReportData, fileBudget?: number): Map<string, string> {
  return new Map([...reportJsonParts(data, { fileBudget })].map(([path, file]) => [path, formatJson(file)]));
}

function expectValid(files: ReadonlyMap<string, string>): void {
  for (const [path, text] of files) {
    const ok = validate(JSON.parse(text));
    expect(ok ? [] : validate.errors?.slice(0, 5), path).toEqual([]);
  }
}

const example = compiled(buildExample);
const sink = compiled((app) => kitchenSink(app));
const generated = compiled((app) =>
  generateTopology(app, { planes: 60, secrets: 300, groups: 2, groupsPerSpace: 1, identities: false, seed: 7 }),
);

describe('the JSON report files', () => {
  it('validate against docs/report.schema.json: the example, the committed dist/, a kitchen sink, a generated topology and a split one', () => {
    expectValid(jsonFiles(example.files));
    const committed = new Map([...jsonFiles(example.files).keys()].map((p) => [p, readFileSync(join(ROOT, 'dist', p), 'utf8')]));
    expectValid(committed);
    expectValid(jsonFiles(sink.files));
    expectValid(jsonFiles(generated.files));
    const split = written(generated.data, 64 * 1024);
    expect([...split.keys()].filter((p) => p.includes('report-planes-')).length).toBeGreaterThan(2);
    expectValid(split);
  });

  it('the schema is not a formality: it refuses what the layout does not have', () => {
    const space = JSON.parse(jsonFiles(example.files).get('spaces/aws-eu/report.json') as string) as Record<string, any>;
    const wrong: Array<[string, unknown]> = [
      ['an unknown property', { ...space, extra: 1 }],
      ['another schema version', { ...space, schemaVersion: 3 }],
      ['a schema 3 projection', { ...space, planes: [{ ...space.planes[0], clusterExternalSecrets: [] }] }],
      [
        'a part outside the Space',
        {
          ...space,
          parts: [
            { file: '../x.json', planes: 1 },
            { file: 'spaces/aws-eu/report-planes-002.json', planes: 1 },
          ],
        },
      ],
      [
        'an access set without remotes',
        { ...space, access: { ...space.access, planes: [{ plane: 'a/b/c', environment: 'dev', byAccess: [{ remotes: [] }] }] } },
      ],
    ];
    for (const [what, value] of wrong) expect(validate(value), what).toBe(false);
  });

  it('name each plane\u2019s projected stores and secrets by path, and expand back to the projection preview', () => {
    for (const t of [example, sink, generated]) {
      const preview = projectionPreview(t.app, t.app.compile().placement);
      const expand = planeExpander(t.data);
      expect(t.data.planes.map(expand)).toEqual(preview);
      expect(preview.map(compactPlane)).toEqual(t.data.planes);
    }
    // The details are listed once: a plane names paths only.
    const plane = JSON.parse(jsonFiles(example.files).get('spaces/aws-eu/report.json') as string).planes[0];
    expect(Object.keys(plane).sort()).toEqual([
      'environment',
      'group',
      'hostNamespace',
      'key',
      'path',
      'plane',
      'production',
      'secretsByNamespaces',
      'space',
      'storesByNamespaces',
    ]);
  });

  it('split a Space above the budget into parts within it, that read back to the same report and review the same', async () => {
    const budget = 96 * 1024;
    const split = written(generated.data, budget);
    const parts = [...split].filter(([p]) => p.includes('report-planes-'));
    expect(parts.length).toBeGreaterThan(2);
    for (const [path, text] of split) {
      const value = JSON.parse(text) as { planes: unknown[] };
      // Within the budget, unless the file is one plane (a plane is never split).
      if (value.planes.length > 1) expect(text.length, path).toBeLessThanOrEqual(budget);
    }
    const name = generated.data.planes[0]?.space;
    const space = JSON.parse(split.get(`spaces/${name}/report.json`) as string) as {
      planes: unknown[];
      parts: Array<{ file: string; planes: number }>;
    };
    expect(space.planes).toEqual([]);
    expect(space.parts.map((p) => p.file)).toEqual(parts.filter(([p]) => p.startsWith(`spaces/${name}/`)).map(([p]) => p));
    expect(space.parts.reduce((n, p) => n + p.planes, 0)).toBe(30);
    const back = await loadReport((p) => split.get(p), 'split');
    expect(back).toEqual(generated.data);
    expect(reportFromFiles((p) => split.get(p))).toEqual(generated.data);
    expect(compareReports(back, generated.data).changes).toEqual([]);
    // Deterministic, and not split when it fits.
    expect(written(generated.data, budget)).toEqual(split);
    expect([...written(generated.data).keys()].some((p) => p.includes('report-planes-'))).toBe(false);
  });

  it('a missing part is an error that names it', async () => {
    const split = written(generated.data, 96 * 1024);
    const missing = [...split.keys()].find((p) => p.endsWith('report-planes-002.json')) as string;
    const listedIn = missing.replace(/report-planes-\d+\.json$/, 'report.json');
    await expect(loadReport((p) => (p === missing ? undefined : split.get(p)), 'dist')).rejects.toThrow(
      `dist/${missing} is missing (listed in ${listedIn})`,
    );
  });

  it('estimate the size of every value above what formatJson writes (property)', () => {
    const options: fc.Arbitrary<GeneratorOptions> = fc.record({
      planes: fc.integer({ min: 1, max: 20 }),
      secrets: fc.integer({ min: 0, max: 60 }),
      environments: fc.integer({ min: 1, max: 4 }),
      identities: fc.boolean(),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    });
    fc.assert(
      fc.property(options, (o) => {
        const t = compiled((app) => generateTopology(app, o));
        for (const [path, file] of reportJsonParts(t.data)) {
          const value = JSON.parse(JSON.stringify(file)) as unknown;
          expect(estimateJsonBytes(value), path).toBeGreaterThanOrEqual(formatJson(value).length);
        }
      }),
      { ...fcParams, numRuns: Math.max(1, Math.ceil(fcParams.numRuns / 3)) },
    );
  });
});

describe('the Mermaid diagrams of REPORT.md', () => {
  const nodes = (lines: readonly string[]): number => lines.filter((l) => /^\s+\w+(\[\(|\[|\{\{)/.test(l)).length;
  const edges = (lines: readonly string[]): number => lines.filter((l) => /-->|-\.->/.test(l)).length;

  it('draw the environments with one edge per environment pair, whatever the size', () => {
    const wide = compiled((app) => generateTopology(app, { planes: 200, secrets: 400, groups: 2, groupsPerSpace: 1, identities: false }));
    const lines = environmentDiagram(wide.data, flattenAccess(wide.data));
    const envs = wide.data.environments.length;
    expect(nodes(lines)).toBe(2 * envs);
    expect(edges(lines)).toBeLessThanOrEqual(envs * envs);
  });

  it('draw a large Space per group and environment, within the caps, saying what it is and what it leaves out', () => {
    // 200 planes in 2 groups of one Space: too many nodes for the detailed level.
    const big = compiled((app) => generateTopology(app, { planes: 200, secrets: 400, groups: 2, groupsPerSpace: 2, identities: false }));
    const space = big.data.planes[0]?.space;
    const lines = spaceDiagram(big.data, new Set(), space);
    expect(lines[0]).toMatch(
      /^_Space `[^`]+` has \d+ stores, 400 secrets, 200 planes and [\d,]+ deliveries \(more than 60 nodes or 120 edges\): its planes are drawn per group and environment/,
    );
    expect(lines.join('\n')).toMatch(/\{\{"\d+ planes of \w+"\}\}/);
    expect(nodes(lines)).toBeLessThanOrEqual(MERMAID_MAX_NODES);
    expect(edges(lines)).toBeLessThanOrEqual(MERMAID_MAX_EDGES);
    // 40 groups in one Space: not every group fits; the note says how many were left out.
    const many = compiled((app) => generateTopology(app, { planes: 240, secrets: 240, groups: 40, groupsPerSpace: 40, identities: false }));
    const m = spaceDiagram(many.data, new Set(), many.data.planes[0]?.space);
    expect(nodes(m)).toBeLessThanOrEqual(MERMAID_MAX_NODES);
    expect(edges(m)).toBeLessThanOrEqual(MERMAID_MAX_EDGES);
    expect(m[0]).toMatch(/Left out: \d+ groups, \d+ stores, the planes of \d+ groups and environments/);
    expect(m[0]).toContain('every pair is in report.json');
  });

  it('mark planes that read across environments instead of drawing an edge per pair', () => {
    const md = sink.files.get('REPORT.md') as string;
    const blocks = md.split('```mermaid\n').slice(1);
    const crossEdges = blocks.slice(1).join('').match(/-\.->/g) ?? [];
    expect(crossEdges).toEqual([]);
    expect(md).toContain('⚠ reads across environments');
  });
});
