import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXIT_CROSS_ENVIRONMENT,
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
import { formatJson } from '../lib/output/json-render.mjs';
import { reviewScenario, smArn, type ReviewStage } from './fixtures/analysis-topologies.js';

const root = resolve(import.meta.dirname, '..');

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
      'dist/report.json at main has report schema version 99, but this review understands versions 1 to 3',
    );
    expect(() => parseReport('nope', 'x')).toThrow('x is not JSON');
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

describe('npm run review (scripts/review.ts) on a git repository', () => {
  const repo = mkdtempSync(join(tmpdir(), 'review-repo-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const git = (...args: string[]): string => {
    const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: repo,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const review = (...args: string[]) =>
    spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/review.ts'), ...args], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });

  git('init', '-q', '-b', 'main');
  git('add', ...writeReport(repo, BASE));
  git('commit', '-q', '-m', 'base: a report');
  // A base from before the split: one report.json of schema 1.
  git('checkout', '-q', '-b', 'legacy');
  git('rm', '-q', '-r', 'dist');
  git('add', ...writeReport(repo, new Map([['report.json', legacy(base)]])));
  git('commit', '-q', '-m', 'base: a single report.json (schema 1)');
  git('checkout', '-q', 'main');
  git('checkout', '-q', '-b', 'feature');
  git('rm', '-q', '-r', 'dist');
  git('add', ...writeReport(repo, HEAD));
  git('commit', '-q', '-m', 'a grant, a revocation and a cross-environment grant');

  it('prints the sentences and exits with 2 when the change adds cross-environment access', () => {
    const r = review('--base', 'HEAD~1');
    expect(r.stderr).toBe('');
    for (const s of SENTENCES) expect(r.stdout).toContain(`- ${s}\n`);
    expect(r.stdout).toMatch(/^## Secrets topology review\n\nCompared with HEAD~1 \([0-9a-f]{7,}\)\.\n/);
    expect(r.status).toBe(2);
  });

  it('defaults the base to the merge base with main', () => {
    const r = review();
    const base = git('rev-parse', '--short', 'main');
    expect(r.stdout).toContain(`Compared with ${base}.`);
    for (const s of SENTENCES) expect(r.stdout).toContain(`- ${s}\n`);
    expect(r.status).toBe(2);
  });

  it('reads a base from before the split (a single report.json of schema 1)', () => {
    const r = review('--base', 'legacy');
    expect(r.stderr).toBe('');
    for (const s of SENTENCES) expect(r.stdout).toContain(`- ${s}\n`);
    expect(r.status).toBe(2);
  });

  it('exits with 0 when nothing crosses environments, and 1 on a bad base', () => {
    const same = review('--base', 'HEAD');
    expect(same.stdout).toContain('No change to deliveries, read access, warnings or opt-outs.');
    expect(same.status).toBe(0);
    const bad = review('--base', 'no-such-ref');
    expect(bad.stderr).toContain('git ref "no-such-ref" does not exist');
    expect(bad.status).toBe(1);
  });
});
