import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CROSS_ENVIRONMENT, TopologyApp, compareReports, parseReport, renderReview, reviewExitCode, type ReportData } from '../lib/index.js';
import { reviewScenario, smArn, type ReviewStage } from './fixtures/analysis-topologies.js';

const root = resolve(import.meta.dirname, '..');

function reportText(stage: ReviewStage): string {
  const app = new TopologyApp();
  reviewScenario(app, stage);
  return app.compile().files.get('report.json') as string;
}

const BASE = reportText('base');
const HEAD = reportText('head');
const SAME_ENV = reportText('head-same-environment');
const parse = (t: string): ReportData => parseReport(t, 'test');

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
    expect(text).toContain('- opt-out cross-environment on eks/apps/dev-1 is removed (reason was: dev runs the prod schema migration dry-run)\n');
    expect(reviewExitCode(result)).toBe(0);
  });

  it('says when nothing changed, and when there is no base report', () => {
    expect(renderReview(compareReports(parse(HEAD), parse(HEAD)), 'HEAD')).toContain('No change to deliveries, read access, warnings or opt-outs.');
    const fresh = compareReports(undefined, parse(BASE));
    expect(renderReview(fresh, 'main')).toContain('No report.json at main: everything below is new.');
    expect(fresh.changes.some((c) => c.sentence === 'plane prod-1 gains secret db-prod in namespace apps')).toBe(true);
  });

  it('refuses a report of another schema version', () => {
    expect(() => parseReport('{"schemaVersion": 99}', 'dist/report.json at main')).toThrow('dist/report.json at main has report schema version 99, but this review understands version 1');
    expect(() => parseReport('nope', 'x')).toThrow('x is not JSON');
  });
});

describe('npm run review (scripts/review.ts) on a git repository', () => {
  const repo = mkdtempSync(join(tmpdir(), 'review-repo-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const git = (...args: string[]): string => {
    const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const review = (...args: string[]) => spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/review.ts'), ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'dist'));
  writeFileSync(join(repo, 'dist/report.json'), BASE);
  git('add', 'dist/report.json');
  git('commit', '-q', '-m', 'base: a report');
  git('checkout', '-q', '-b', 'feature');
  writeFileSync(join(repo, 'dist/report.json'), HEAD);
  git('add', 'dist/report.json');
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

  it('exits with 0 when nothing crosses environments, and 1 on a bad base', () => {
    const same = review('--base', 'HEAD');
    expect(same.stdout).toContain('No change to deliveries, read access, warnings or opt-outs.');
    expect(same.status).toBe(0);
    const bad = review('--base', 'no-such-ref');
    expect(bad.stderr).toContain('git ref "no-such-ref" does not exist');
    expect(bad.status).toBe(1);
  });
});
