import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXIT_CROSS_ENVIRONMENT,
  REPORT_SCHEMA_VERSION,
  REPORT_SCHEMA_VERSION_CELLS,
  REPORT_SCHEMA_VERSION_SINGLE_FILE,
  TopologyApp,
  compareReports,
  loadReport,
  parseReport,
  renderReview,
  reviewExitCode,
  type ReportData,
} from '../lib/index.js';
import { planeExpander } from '../lib/report/report-projection.js';
import { REPORT_SCHEMA_VERSION_FULL_PROJECTION } from '../lib/report/report.js';
import { formatJson } from '../lib/output/json-render.js';
import { reviewScenario, smArn, type ReviewStage } from './fixtures/analysis-topologies.js';
import { cli, git } from './support/cli.js';

/** The JSON report files of a stage: `report.json` and the Space files, by path in the output directory. */
type ReportFiles = ReadonlyMap<string, string>;

function reportFiles(stage: ReviewStage): ReportFiles {
  const app = new TopologyApp();
  reviewScenario(app, stage);
  return new Map([...app.compile().files].filter(([path]) => path === 'report.json' || /^spaces\/[^/]+\/report\.json$/.test(path)));
}

const BASE = reportFiles('base');
const HEAD = reportFiles('head');
const SAME_ENV = reportFiles('head-same-environment');
const load = async (files: ReportFiles): Promise<ReportData> => (await loadReport((path) => files.get(path), 'test')) as ReportData;
const [base, head, sameEnv] = await Promise.all([load(BASE), load(HEAD), load(SAME_ENV)]);
const parse = (files: ReportFiles): ReportData => (files === BASE ? base : files === HEAD ? head : sameEnv);
/** Access rows as schema 2 and older wrote them: one cell per plane and remote secret, sorted by remote id. */
const cellRows = (rows: ReportData['access']['planes']): unknown[] =>
  rows.map(({ byAccess, ...row }) => ({
    ...row,
    cells: byAccess
      .flatMap(({ remotes, ...how }) => remotes.map((remote) => ({ remote, ...how })))
      .sort((a, b) => (a.remote < b.remote ? -1 : a.remote > b.remote ? 1 : 0)),
  }));
/** A report as one `report.json` of schema 1, as written before the split into Space files. */
const legacy = (data: ReportData): string =>
  formatJson({
    ...data,
    schemaVersion: REPORT_SCHEMA_VERSION_SINGLE_FILE,
    access: { ...data.access, planes: cellRows(data.access.planes) },
  });
/** Report files as schema 2 wrote them: split by Space, one access cell per remote secret. */
const schema2 = (files: ReportFiles): ReportFiles =>
  new Map(
    [...files].map(([path, text]) => {
      const value = JSON.parse(text) as ReportData;
      return [
        path,
        formatJson({
          ...value,
          schemaVersion: REPORT_SCHEMA_VERSION_CELLS,
          access: { ...value.access, planes: cellRows(value.access.planes) },
        }),
      ];
    }),
  );

/** Writes the report files into `<repo>/dist` (removing the JSON report files there first). */
function writeReport(repo: string, files: ReportFiles): string[] {
  rmSync(join(repo, 'dist'), { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(repo, 'dist', path)), { recursive: true });
    writeFileSync(join(repo, 'dist', path), text);
  }
  return [...files.keys()].map((p) => `dist/${p}`);
}

const ROLE_DEV = 'arn:aws:iam::111122223333:role/eks-dev';
const ROLE_PROD = 'arn:aws:iam::111122223333:role/eks-prod';

/** The sentences every review of base → head must print. */
const SENTENCES = [
  'plane prod-1 gains secret cache-prod in namespace apps',
  'plane prod-1 loses secret api-prod in namespace apps',
  `IAM role ${ROLE_PROD} can now read ${smArn('prod/cache')}`,
  `IAM role ${ROLE_PROD} can no longer read ${smArn('prod/api')}`,
  `IAM role ${ROLE_DEV} can now read ${smArn('prod/db')}`,
  `⚠ plane dev-1 (dev) can now read ${smArn('prod/db')} of environment prod through IAM role ${ROLE_DEV}`,
  'new opt-out cross-environment on eks/apps/dev-1 (covers 1 finding), reason: dev runs the prod schema migration dry-run',
];

describe('compareReports', () => {
  it('says what a grant, a revocation and a cross-environment grant change, and fails the review', () => {
    const result = compareReports(parse(BASE), parse(HEAD));
    const text = renderReview(result, 'main (abc1234)');
    for (const s of SENTENCES) expect(text).toContain(`- ${s}\n`);
    expect(text).toContain('new warning shared-identity-across-environments at eks: IAM role');
    expect(text).toContain('> **This change adds read access across environments**');
    expect(text.startsWith('## Secrets topology review\n\nCompared with main (abc1234).\n')).toBe(true);
    expect(result.addsCrossEnvironment).toBe(true);
    expect(reviewExitCode(result)).toBe(EXIT_CROSS_ENVIRONMENT);
    expect(result.changes.filter((c) => c.addsCrossEnvironment).map((c) => c.sentence)).toEqual([
      `plane dev-1 (dev) can now read ${smArn('prod/db')} of environment prod through IAM role ${ROLE_DEV}`,
    ]);
  });

  it('passes a change that stays inside its environments', () => {
    const result = compareReports(parse(BASE), parse(SAME_ENV));
    const text = renderReview(result, 'main');
    expect(text).toContain('- plane prod-1 gains secret cache-prod in namespace apps\n');
    expect(text).toContain('- plane prod-1 loses secret api-prod in namespace apps\n');
    expect(text).not.toContain('⚠');
    expect(reviewExitCode(result)).toBe(0);
  });

  it('reports the reverse change as removals, without failing', () => {
    const result = compareReports(parse(HEAD), parse(BASE));
    const text = renderReview(result, 'feature');
    expect(text).toContain(`- plane dev-1 (dev) can no longer read ${smArn('prod/db')} of environment prod through IAM role ${ROLE_DEV}\n`);
    expect(text).toContain(
      '- opt-out cross-environment on eks/apps/dev-1 is removed (reason was: dev runs the prod schema migration dry-run)\n',
    );
    expect(reviewExitCode(result)).toBe(0);
  });

  it('says when nothing changed, and when there is no base report', () => {
    expect(renderReview(compareReports(parse(HEAD), parse(HEAD)), 'HEAD')).toContain(
      'No change to deliveries, read access, warnings or opt-outs.',
    );
    const fresh = compareReports(undefined, parse(BASE));
    expect(renderReview(fresh, 'main')).toContain('No report.json at main: everything below is new.');
    expect(fresh.changes.some((c) => c.sentence === 'plane prod-1 gains secret db-prod in namespace apps')).toBe(true);
  });

  it('refuses a report of another schema version', () => {
    expect(() => parseReport('{"schemaVersion": 99}', 'dist/report.json at main')).toThrow(
      `dist/report.json at main has report schema version 99, but this version of secrets-topology understands versions 1 to ${REPORT_SCHEMA_VERSION}`,
    );
    for (const v of ['"3"', '3.5', '0', 'null', '{"x":1}'])
      expect(() => parseReport(`{"schemaVersion": ${v}}`, 'x')).toThrow('x has report schema version');
    expect(() => parseReport('{}', 'x')).toThrow('x has report schema version missing');
  });

  it('says a file is not JSON without quoting what is in it', () => {
    for (const text of ['password=hunter2', '{"schemaVersion": 4, "x": hunter2}', 'hunter2\n'])
      expect(() => parseReport(text, 'x')).toThrow(/^x is not valid JSON: synthesize again \(npx secrets-topology synth\)\.$/);
  });

  it('reads only the files the layout names: never a path a report file lists', async () => {
    const index = JSON.parse(HEAD.get('report.json') as string) as { spaces: Array<{ space: string; file: string }> };
    const attempts = [
      { space: 'eks', file: '../../../etc/passwd' },
      { space: 'eks', file: '/etc/passwd' },
      { space: 'eks', file: 'spaces/eks/../../secret.json' },
      { space: 'eks', file: 'spaces/other/report.json' },
      { space: '../eks', file: 'spaces/../eks/report.json' },
      { space: 'eks', file: 'spaces\\eks\\report.json' },
    ];
    for (const listed of attempts) {
      const read: string[] = [];
      const text = JSON.stringify({ ...index, spaces: [listed] });
      await expect(
        loadReport((path) => {
          read.push(path);
          return path === 'report.json' ? text : HEAD.get(path);
        }, 'dist'),
      ).rejects.toThrow('which is not where a Space');
      expect(read).toEqual(['report.json']);
    }
    const space = JSON.parse(HEAD.get('spaces/eks/report.json') as string) as Record<string, unknown>;
    for (const file of ['../../x.json', 'spaces/eks/report-planes-002.json', 'spaces/other/report-planes-001.json']) {
      const read: string[] = [];
      const split = JSON.stringify({ ...space, parts: [{ file, planes: 1 }] });
      await expect(
        loadReport((path) => {
          read.push(path);
          return path === 'spaces/eks/report.json' ? split : HEAD.get(path);
        }, 'dist'),
      ).rejects.toThrow('which is not where its part 1 is');
      expect(read).toEqual(['report.json', 'spaces/eks/report.json']);
    }
  });

  it('reads a base from before the split (one report.json of schema 1) like the split one', async () => {
    const old = await loadReport((path) => (path === 'report.json' ? legacy(base) : undefined), 'old');
    expect(old?.schemaVersion).toBe(1);
    expect(compareReports(old, head)).toEqual(compareReports(base, head));
    expect(compareReports(old, base).changes).toEqual([]);
  });

  it('reads a base of schema 2 (one access cell per plane and remote secret) like the current one', async () => {
    const old = await loadReport((path) => schema2(BASE).get(path), 'old');
    expect(old?.schemaVersion).toBe(REPORT_SCHEMA_VERSION_CELLS);
    expect(compareReports(old, head)).toEqual(compareReports(base, head));
    expect(compareReports(old, base).changes).toEqual([]);
  });

  it("reads a base of schema 3 (each plane's projected objects in full) like the current one", async () => {
    const expand = planeExpander(base);
    const files = new Map(
      [...BASE].map(([path, text]) => {
        const value = JSON.parse(text) as ReportData;
        return [path, formatJson({ ...value, schemaVersion: REPORT_SCHEMA_VERSION_FULL_PROJECTION, planes: value.planes.map(expand) })];
      }),
    );
    expect(files.get('spaces/eks/report.json')).toContain('"clusterExternalSecrets"');
    const old = await loadReport((path) => files.get(path), 'old');
    expect(old?.schemaVersion).toBe(REPORT_SCHEMA_VERSION_FULL_PROJECTION);
    expect(old?.planes).toEqual(base.planes);
    expect(compareReports(old, head)).toEqual(compareReports(base, head));
    expect(compareReports(old, base).changes).toEqual([]);
  });

  it('splits the report into an index and one file per Space, and refuses a missing Space file', async () => {
    expect([...HEAD.keys()]).toEqual(['report.json', 'spaces/eks/report.json']);
    const index = JSON.parse(HEAD.get('report.json') as string) as { spaces: unknown; access: { planes: unknown[] } };
    expect(index.spaces).toEqual([{ space: 'eks', file: 'spaces/eks/report.json' }]);
    expect(index.access.planes).toEqual([]);
    await expect(loadReport((path) => (path === 'report.json' ? HEAD.get(path) : undefined), 'dist at main')).rejects.toThrow(
      'dist at main/spaces/eks/report.json is missing (listed in report.json)',
    );
  });
});

describe('secrets-topology review --skip-check on a git repository', () => {
  const repo = mkdtempSync(join(tmpdir(), 'review-repo-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const g = (...args: string[]): string => git(repo, ...args);
  const review = (...args: string[]) => cli(repo, ['review', '--skip-check', ...args]);

  g('init', '-q', '-b', 'main');
  g('add', ...writeReport(repo, BASE));
  g('commit', '-q', '-m', 'base: a report');
  // A base from before the split: one report.json of schema 1, on a branch of its own.
  g('checkout', '-q', '-b', 'legacy');
  g('rm', '-q', '-r', 'dist');
  g('add', ...writeReport(repo, new Map([['report.json', legacy(base)]])));
  g('commit', '-q', '-m', 'base: a single report.json (schema 1)');
  g('checkout', '-q', 'main');
  g('checkout', '-q', '-b', 'feature');
  g('rm', '-q', '-r', 'dist');
  g('add', ...writeReport(repo, HEAD));
  g('commit', '-q', '-m', 'a grant, a revocation and a cross-environment grant');

  it('prints the sentences and exits with 2 when the change adds cross-environment access', async () => {
    const r = await review('--base', 'HEAD~1');
    expect(r.stderr).toBe('');
    for (const s of SENTENCES) expect(r.stdout).toContain(`- ${s}\n`);
    expect(r.stdout).toMatch(/^## Secrets topology review\n\nCompared with HEAD~1 \([0-9a-f]{7,}\)\.\n/);
    expect(r.status).toBe(2);
  });

  it('defaults the base to main, compared at its merge base with HEAD', async () => {
    const r = await review();
    expect(r.stdout).toContain(`Compared with main (${g('rev-parse', '--short', 'main')}).`);
    for (const s of SENTENCES) expect(r.stdout).toContain(`- ${s}\n`);
    expect(r.status).toBe(2);
  });

  it('reads a base from before the split (a single report.json of schema 1)', async () => {
    g('checkout', '-q', '--detach', 'legacy');
    g('rm', '-q', '-r', 'dist');
    g('add', ...writeReport(repo, HEAD));
    g('commit', '-q', '-m', 'the head again, on top of the schema 1 report');
    try {
      const r = await review('--base', 'legacy');
      expect(r.stderr).toBe('');
      for (const s of SENTENCES) expect(r.stdout).toContain(`- ${s}\n`);
      expect(r.status).toBe(2);
    } finally {
      g('checkout', '-q', '--force', 'feature');
    }
  });

  it('finds dist/ in the repository from a working directory reached through a symbolic link', async () => {
    const link = `${repo}-link`;
    symlinkSync(repo, link);
    try {
      const r = await cli(link, ['review', '--skip-check', '--base', 'HEAD~1']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(2);
      const outside = await cli(repo, ['review', '--skip-check', '--output', tmpdir()]);
      expect(outside.stderr).toContain('is outside the repository');
      expect(outside.status).toBe(1);
    } finally {
      rmSync(link, { force: true });
    }
  });

  it('exits with 0 when nothing crosses environments, and 1 on a base that does not exist', async () => {
    const same = await review('--base', 'HEAD');
    expect(same.stdout).toContain('No change to deliveries, read access, warnings or opt-outs.');
    expect(same.status).toBe(0);
    const bad = await review('--base', 'no-such-ref');
    expect(bad.stderr).toContain(
      'cannot find the base to compare with: "no-such-ref", "origin/no-such-ref" (from --base) do not exist in this clone.',
    );
    expect(bad.stderr).toContain('Pass --base <branch or commit>');
    expect(bad.status).toBe(1);
  });
});
