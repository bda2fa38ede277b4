import { describe, expect, it } from 'vitest';
import {
  REPORT_SCHEMA_VERSION,
  TopologyApp,
  reportFromFiles,
  type ReportData,
  type ReportIndex,
  type ReportSpaceFile,
} from '../lib/index.js';
import { formatJson } from '../lib/output/json-render.js';
import { renderReportMarkdown } from '../lib/report/report-markdown.js';
import { planeExpander } from '../lib/report/report-projection.js';
import { flattenAccess } from '../lib/report/report.js';
import { kitchenSink } from './fixtures/analysis-topologies.js';
import { generateTopology } from './fixtures/generator.js';

/** The JSON report files of a compilation (`report.json` and `spaces/<space>/report.json`), by path. */
function jsonFiles(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].filter(([path]) => path === 'report.json' || /^spaces\/[^/]+\/report\.json$/.test(path)));
}

function build(): { json: ReportData; jsonText: string; md: string } {
  const { app } = kitchenSink(new TopologyApp());
  const c = app.compile();
  const jsonText = [...jsonFiles(c.files).values()].join('');
  return { json: reportFromFiles((path) => c.files.get(path)), jsonText, md: c.files.get('REPORT.md') as string };
}

/** Escapes like a Markdown table cell (written here, not imported, so the test is independent). */
function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/** Escapes like Markdown text (no HTML: `<` and entity-like `&` as entities), written here too. */
function markdownText(s: string): string {
  return s.replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;').replace(/</g, '&lt;');
}

/** The Markdown table rows (lines starting with `|`). */
function rows(md: string): string[] {
  return md.split('\n').filter((l) => l.startsWith('| '));
}

function nsText(ns: readonly string[]): string {
  return ns.length === 0 ? '—' : ns.includes('*') ? 'any namespace' : ns.join(', ');
}

describe('review report', () => {
  const { json, jsonText, md } = build();
  const access = flattenAccess(json);

  it('is written to report.json and REPORT.md, with a schema version and no timestamps', () => {
    expect(json.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(json.generator).toBe('secrets-topology');
    expect(jsonText).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(md).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(md.startsWith('# Secrets topology: review report\n')).toBe(true);
  });

  it('is split into an index and one file per Space that join back to the report REPORT.md shows', () => {
    const { app } = kitchenSink(new TopologyApp());
    const files = jsonFiles(app.compile().files);
    const index = JSON.parse(files.get('report.json') as string) as ReportIndex;
    expect(index.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(index.spaces.map((s) => s.file)).toEqual([...files.keys()].filter((p) => p !== 'report.json'));
    expect(index.spaces.length).toBeGreaterThan(1);
    expect(renderReportMarkdown(json)).toBe(md);
  });

  it('is deterministic: the same model gives the same bytes', () => {
    const again = build();
    expect(again.jsonText).toBe(jsonText);
    expect(again.md).toBe(md);
  });

  it('never contains template text or anything but names', () => {
    expect(jsonText).not.toContain('postgres://');
    expect(md).not.toContain('postgres://');
  });

  it('counts what it lists', () => {
    const s = json.summary;
    // Each set stands for one pair per remote secret it lists.
    const pairs = (f: (set: (typeof json.access.planes)[number]['byAccess'][number]) => unknown): number =>
      json.access.planes.flatMap((p) => p.byAccess).reduce((n, set) => n + (f(set) ? set.remotes.length : 0), 0);
    expect(s.deliveredPairs).toBe(pairs((set) => set.delivered));
    expect(s.readablePairs).toBe(pairs((set) => set.readable));
    expect(s.crossEnvironmentPairs).toBe(pairs((set) => set.crossEnvironment));
    expect(access.length).toBe(pairs(() => true));
    expect(s.crossEnvironmentPairs).toBeGreaterThan(0);
    expect(s.principals).toBe(json.principals.length);
    expect(s.warnings).toBe(json.warnings.length);
    expect(s.optOuts).toBe(json.optOuts.length);
    expect(s.planes).toBe(json.planes.length);
    expect(md).toContain(`| delivered (plane × remote secret) | ${s.deliveredPairs} |`);
    expect(md).toContain(`| readable across environments | ${s.crossEnvironmentPairs} |`);
  });

  it('shows every delivered and readable pair of the JSON in the Markdown, under its environment', () => {
    const table = rows(md);
    const sections = md.split('\n### Environment ');
    const missing: string[] = [];
    for (const e of access) {
      const start = `| ${esc(e.plane)} | ${esc(e.secretName)} | \`${esc(e.remote.ref)}\` | ${esc(nsText(e.delivered))} | `;
      const row = table.find((r) => r.startsWith(start));
      if (!row) {
        missing.push(start);
        continue;
      }
      if (e.readable) {
        expect(row).not.toContain('no: ESO cannot read it');
        for (const p of e.paths) expect(row).toContain(esc(p.description));
        if (e.crossEnvironment) expect(row).toContain('⚠ cross-environment');
      } else {
        expect(row).toContain('no: ESO cannot read it');
      }
      const section = sections.find((x) => x.startsWith(`\`${e.environment}\``));
      expect(section, e.environment).toContain(start);
    }
    expect(missing).toEqual([]);
    expect(access.length).toBeGreaterThan(10);
  });

  it('shows every warning, opt-out and opted-out finding of the JSON in the Markdown', () => {
    expect(json.warnings.length).toBeGreaterThan(0);
    for (const w of json.warnings) expect(md).toContain(`- **${w.rule}** at \`${w.path}\`: ${markdownText(w.message)}`);
    expect(json.optOuts.length).toBe(3);
    for (const o of json.optOuts) expect(md).toContain(`| ${o.rule} | \`${o.scope}\` | ${esc(o.reason)} | ${o.covers.length} finding`);
    expect(json.allowed.length).toBeGreaterThan(0);
    for (const f of json.allowed)
      expect(md).toContain(
        `- **${f.rule}** at \`${f.path}\`: ${markdownText(f.message)} _(opted out at \`${f.optOut?.scope}\`: ${markdownText(f.optOut?.reason ?? '')})_`,
      );
  });

  it('lists every principal, its grants and what it can read', () => {
    expect(json.principals.map((p) => p.id)).toEqual([
      'arn:aws:iam::111122223333:role/eks-shared-secrets',
      'aws/apps/aws-dev-keys',
      'aws/apps/aws-prod-keys',
      'mi-dev',
      'mi-prod',
      'principal://g-dev',
      'principal://g-prod',
    ]);
    for (const p of json.principals) {
      expect(md).toContain(`\`${p.id}\``);
      for (const g of p.grants) expect(md).toContain(`| ${g.access} | \`${esc(g.resource)}\` |`);
      for (const r of p.reads) expect(md).toContain(`| \`${esc(r.resource)}\` | ${esc(r.secret)} |`);
    }
  });

  it('previews what Spaces creates in each plane', () => {
    const compact = json.planes.find((p) => p.key === 'eks/apps/prod-1');
    const prod = compact && planeExpander(json)(compact);
    expect(compact?.storesByNamespaces).toEqual([{ namespaces: ['apps'], paths: ['eks/apps/ps-prod', 'eks/apps/sm-prod'] }]);
    expect(prod?.clusterSecretStores.map((s) => [s.name, s.provider.upboundspaces.storeRef.name, s.namespaces])).toEqual([
      ['ps-prod', 'ps-prod', ['apps']],
      ['sm-prod', 'sm-prod', ['apps']],
    ]);
    expect(prod?.clusterExternalSecrets.map((s) => [s.name, s.target, s.namespaces])).toEqual([
      ['api-prod', 'api-prod', ['apps']],
      ['config-prod', 'config-prod', ['apps']],
      ['db-prod', 'db', ['apps']],
    ]);
    expect(md).toContain(
      '| ClusterSecretStore | sm-prod | provider.upboundspaces.storeRef.name: sm-prod; AWS Secrets Manager (eu-central-1); workload identity (aws-irsa) | apps |',
    );
    expect(md).toContain('| ClusterExternalSecret | db-prod | store sm-prod → Secret db, refresh 15m | apps |');
  });

  it('draws the flow by environment pair, and per Space its stores → secrets → planes with cross-environment readers marked', () => {
    const blocks = md
      .split('```mermaid\n')
      .slice(1)
      .map((b) => b.split('```')[0]);
    expect(blocks).toHaveLength(5);
    // By environment: one dotted edge per (secret environment, plane environment) pair, with its count.
    const byEnv = blocks[0];
    const crossPairs = (from: string, to: string): number =>
      access.filter((e) => e.crossEnvironment && e.environment === to && e.secretEnvironments.includes(from)).length;
    expect(byEnv).toMatch(new RegExp(`s\\d+ -\\.->\\|⚠ ${crossPairs('prod', 'dev')} pairs readable across environments\\| p\\d+`));
    expect(byEnv).toMatch(new RegExp(`s\\d+ -\\.->\\|⚠ ${crossPairs('dev', 'prod')} pairs readable across environments\\| p\\d+`));
    expect(byEnv.match(/-\.->/g)).toHaveLength(2);
    const delivered = (env: string): number => access.filter((e) => e.environment === env && e.delivered.length > 0).length;
    expect(byEnv).toContain(`|${delivered('dev')} deliveries|`);
    expect(byEnv).toContain(`|${delivered('prod')} deliveries|`);
    // Per Space: deliveries only; planes that read across environments are marked, not joined by more edges.
    const eks = blocks.find((b) => b.includes('store ps-prod')) as string;
    expect(eks.startsWith('flowchart LR\n')).toBe(true);
    expect(eks).toMatch(/subgraph g\d+\["group apps"\]/);
    expect(eks).toMatch(/st\d+ --> se\d+/);
    expect(eks).toMatch(/se\d+ -->\|apps\| pl\d+/);
    expect(eks).not.toContain('-.->');
    expect(eks).toContain('"dev-1 (dev) ⚠ reads across environments"');
    expect(eks).toMatch(/class pl\d+,pl\d+ cross/);
  });

  it('states its assumptions', () => {
    expect(json.assumptions.length).toBeGreaterThanOrEqual(5);
    for (const a of json.assumptions) expect(md).toContain(`- ${a}`);
    expect(json.settings).toEqual({ minRefreshInterval: '1m', maxRefreshInterval: '24h', storeRefBypass: false, openNamespaces: false });
    // The fixture names both weaker assumptions, with their reasons, in both reports.
    expect(json.assumed.map((a) => a.id)).toEqual(['declared-namespaces-only', 'store-selectors-enforced']);
    for (const a of json.assumed) expect(md).toContain(`- \`${a.id}\`: ${a.reason}`);
  });

  it('summarizes large topologies per plane, still listing every cross-environment pair', () => {
    const small = renderReportMarkdown(json, { maxAccessRows: 5 });
    expect(small).toContain(`_The topology has ${access.length} plane × remote secret pairs (more than 5)`);
    expect(small).toContain('| plane | delivered pairs | readable pairs | readable across environments |');
    const dev1 = access.filter((e) => e.plane === 'eks/apps/dev-1');
    const count = (f: (e: (typeof access)[number]) => boolean): number => dev1.filter(f).length;
    expect(small).toContain(
      `| eks/apps/dev-1 | ${count((e) => e.delivered.length > 0)} | ${count((e) => e.readable)} | ${count((e) => e.crossEnvironment)} |`,
    );
    expect(small).toContain('| eks/apps/dev-1 | dev | 1 | 1 |');
    expect(small).toContain('| IAM role `arn:aws:iam::111122223333:role/eks-shared-secrets` | eks | 2 | dev, prod | 4 | 6 |');
    for (const e of access.filter((x) => x.crossEnvironment))
      expect(small).toContain(`| ${esc(e.plane)} | ${esc(e.secretName)} | \`${esc(e.remote.ref)}\` |`);
    expect(small.length).toBeLessThan(md.length);
  });
});

describe('JSON report size', () => {
  const sizes = (planes: number) => {
    const app = new TopologyApp({ outdir: 'unused-never-written' });
    generateTopology(app, { planes, seed: 1 });
    const files = jsonFiles(app.compile().files);
    const indexText = files.get('report.json') as string;
    const index = JSON.parse(indexText) as ReportIndex;
    const spaces = index.spaces.map((s) => ({
      text: files.get(s.file) as string,
      data: JSON.parse(files.get(s.file) as string) as ReportSpaceFile,
      space: s.space,
    }));
    return { files, indexText, index, spaces };
  };
  const small = sizes(30);
  const large = sizes(300);

  it('keeps plane-sized data out of the index: it grows with environments, Spaces and findings, not planes', () => {
    // What the index holds besides findings: a few KB per environment and one line per Space.
    const core = (r: typeof large): number => formatJson({ ...r.index, warnings: [], allowed: [], optOuts: [] }).length;
    const bound = (r: typeof large): number => 4096 + 2048 * r.index.environments.length + 160 * r.index.spaces.length;
    for (const r of [small, large]) expect(core(r)).toBeLessThan(bound(r));
    expect(large.index.environments.length).toBe(small.index.environments.length);
    for (const key of ['planes', 'secrets', 'stores', 'principals'] as const) expect(large.index[key]).toEqual([]);
    expect(large.index.access.planes).toEqual([]);
    // The whole JSON report grew ~10× with 10× the planes; the index is a small fraction of it.
    const total = [...large.files.values()].reduce((n, t) => n + t.length, 0);
    expect(large.indexText.length).toBeLessThan(total / 100);
  });

  it('puts in each Space file only its Space, bounded by the size of that Space', () => {
    expect(large.spaces.length).toBeGreaterThan(small.spaces.length);
    const planes = new Set<string>();
    for (const { text, data, space } of large.spaces) {
      expect(data.space).toBe(space);
      expect(data.planes.length).toBeGreaterThan(0);
      for (const p of data.planes) {
        expect(p.space).toBe(space);
        planes.add(p.key);
      }
      for (const row of data.access.planes) expect(row.plane.split('/')[0]).toBe(space);
      for (const s of [...data.stores, ...data.secrets]) expect(s.space).toBe(space);
      for (const p of data.principals) expect(p.space).toBe(space);
      // Proportional to the Space: at most 64 KB per plane of the Space (the generator's planes take ~30-50 KB).
      expect(text.length).toBeLessThan(64 * 1024 * data.planes.length);
    }
    expect(planes.size).toBe(300);
    const largest = Math.max(...large.spaces.map((s) => s.text.length));
    const total = [...large.files.values()].reduce((n, t) => n + t.length, 0);
    expect(largest).toBeLessThan(total / 5);
  });
});
