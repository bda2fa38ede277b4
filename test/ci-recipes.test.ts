/**
 * The CI recipes of docs/ci run: their commands (the steps with an `id` of the GitHub workflow, the
 * script lines but `npm ci` of the GitLab jobs) run in clones laid out as those CIs lay them out,
 * with only `origin/main` (GitLab: not even that until the recipe fetches it) and a detached pull
 * request head. The pull request adds dev -> prod access over several commits (an opt-out, then the
 * identity change, then an unrelated commit), so HEAD~1 shows no change and only the merge base
 * shows it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TopologyApp } from '../lib/index.js';
import { sharedIdentityTopology, type SharedIdentityOptions } from './fixtures/review-topologies.js';
import { BIN, ROOT, cli, git, projectFiles, writeFiles } from './support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'ci-recipes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BASE: SharedIdentityOptions = { planes: 4, secrets: 4, identity: 'pod-identity', environments: ['dev', 'prod'] };

/** The topology and its output at a commit of the upstream repository. */
function commit(repo: string, options: SharedIdentityOptions, message: string, synth = true): string {
  writeFiles(repo, projectFiles({ ...options }));
  if (synth) {
    const app = new TopologyApp({ outdir: join(repo, 'dist') });
    sharedIdentityTopology(app, options);
    app.synth();
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

/** A clone as a CI checks it out: a detached head, no local branch, only the remote refs `keep`. */
function ciClone(upstream: string, name: string, head: string, keep: readonly string[]): string {
  const dir = join(work, name);
  git(work, 'clone', '-q', '--no-local', upstream, dir);
  git(dir, 'checkout', '-q', '--detach', head);
  git(dir, 'branch', '-q', '-D', 'main');
  git(dir, 'remote', 'set-head', 'origin', '-d');
  for (const ref of git(dir, 'for-each-ref', '--format=%(refname)', 'refs/remotes/origin').split('\n'))
    if (ref && !keep.includes(ref)) git(dir, 'update-ref', '-d', ref);
  // `npm ci` of a project that depends on secrets-topology: its bin in node_modules/.bin.
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(BIN, join(dir, 'node_modules/.bin/secrets-topology'));
  writeFiles(dir, {
    'package.json': JSON.stringify({ name: 'platform-secrets', private: true, devDependencies: { 'secrets-topology': '*' } }),
  });
  return dir;
}

/** Runs a script as the CI's shell does, in `cwd`, with the CI's variables. */
function shell(cwd: string, script: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const ciEnv = { ...process.env, GITHUB_BASE_REF: '', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: '', CI: 'true', ...env };
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env: ciEnv, encoding: 'utf8' });
}

interface Workflow {
  jobs: Record<string, { steps: Array<{ id?: string; run?: string }> }>;
}
interface GitlabJob {
  script: string[];
}
const github = parse(readFileSync(join(ROOT, 'docs/ci/github-actions.yml'), 'utf8')) as Workflow;
const gitlab = parse(readFileSync(join(ROOT, 'docs/ci/gitlab-ci.yml'), 'utf8')) as Record<string, GitlabJob>;
/** The run of the GitHub step with this id. */
const githubStep = (job: string, id: string): string => github.jobs[job]?.steps.find((s) => s.id === id)?.run as string;
/** The script of a GitLab job without `npm ci` (the clone has its node_modules). */
const gitlabScript = (job: string): string => (gitlab[job]?.script ?? []).filter((l) => l.trim() !== 'npm ci').join('\n');

const CROSS =
  /⚠ planes? dev-1 and dev-2 \(dev\) can now read arn:aws:secretsmanager:eu-central-1:111122223333:secret:prod\/app-1-\?{6} of environment prod through IAM role arn:aws:iam::111122223333:role\/\S+/;

describe('the CI recipes on a pull request that adds dev -> prod access over several commits', () => {
  const upstream = join(work, 'upstream');
  let head = '';
  let stale = '';
  beforeAll(() => {
    mkdirSync(upstream);
    git(upstream, 'init', '-q', '-b', 'main');
    commit(upstream, BASE, 'the topology: a role per environment');
    git(upstream, 'checkout', '-q', '-b', 'pr');
    commit(upstream, { ...BASE, optOut: true }, 'opt the Space out of the cross-environment guardrail');
    commit(upstream, { ...BASE, identity: 'irsa' }, 'one IRSA role for the Space');
    writeFiles(upstream, { 'README.md': 'Platform secrets.\n' });
    git(upstream, 'add', '-A');
    git(upstream, 'commit', '-q', '-m', 'a README');
    head = git(upstream, 'rev-parse', 'HEAD');
    stale = commit(upstream, { ...BASE, identity: 'irsa', planes: 5 }, 'a fifth plane, without synthesizing', false);
    git(upstream, 'checkout', '-q', 'main');
  });

  it('GitHub Actions: the review step exits 2 naming the access, writes the comment and the full review, and HEAD~1 would have shown nothing', async () => {
    const dir = ciClone(upstream, 'github', head, ['refs/remotes/origin/main']);
    const r = shell(dir, githubStep('review', 'review'), { GITHUB_BASE_REF: 'main', GITHUB_ACTIONS: 'true' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^## Secrets topology review\n\nCompared with origin\/main \([0-9a-f]{7,}\)\.\n/);
    expect(r.stdout).toContain('> **This change adds read access across environments**');
    expect(r.stdout).toMatch(CROSS);
    expect(readFileSync(join(dir, 'secrets-review/comment.md'), 'utf8')).toBe(r.stdout);
    expect(readFileSync(join(dir, 'secrets-review/review.md'), 'utf8')).toMatch(CROSS);
    // What the review did before: the last commit alone changes nothing.
    const last = await cli(dir, ['review', '--skip-check', '--base', 'HEAD~1']);
    expect(last.stdout).toContain('No change to deliveries, read access, warnings or opt-outs.');
    expect(last.status).toBe(0);
  });

  it('GitHub Actions: without the base branch in the clone the review fails and says what to fetch, it never compares with HEAD~1', () => {
    const dir = ciClone(upstream, 'github-shallow', head, []);
    const r = shell(dir, githubStep('review', 'review'), { GITHUB_BASE_REF: 'main' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'cannot find the base to compare with: "origin/main", "main" (from GITHUB_BASE_REF=main (GitHub Actions)) do not exist in this clone.',
    );
    expect(r.stderr).toContain('actions/checkout with fetch-depth: 0');
  });

  it('GitHub Actions: a head whose dist/ is stale fails the review (exit 3) and the check (exit 3), saying so', () => {
    const dir = ciClone(upstream, 'github-stale', stale, ['refs/remotes/origin/main']);
    const review = shell(dir, githubStep('review', 'review'), { GITHUB_BASE_REF: 'main' });
    expect(review.status).toBe(3);
    expect(review.stdout).toBe('');
    expect(review.stderr).toContain('review: dist/ is out of date with the topology:');
    expect(review.stderr).toContain('  missing in dist/:      spaces/eks/groups/apps/controlplane-dev-3.yaml');
    expect(readFileSync(join(dir, 'secrets-review/comment.md'), 'utf8')).toContain(
      '> **Not reviewed:** dist/ is out of date with the topology',
    );
    const check = shell(dir, githubStep('check', 'check'), {});
    expect(check.status).toBe(3);
    expect(check.stderr).toContain('check: dist/ is out of date with the topology:');
  });

  it('GitLab CI: the review job fetches the target branch, exits 2 naming the access and keeps the artifact', () => {
    const dir = ciClone(upstream, 'gitlab', head, []);
    const r = shell(dir, gitlabScript('secrets-topology-review'), {
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
      CI_PIPELINE_SOURCE: 'merge_request_event',
      GITLAB_CI: 'true',
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/Compared with origin\/main \([0-9a-f]{7,}\)\./);
    expect(r.stdout).toMatch(CROSS);
    expect(existsSync(join(dir, 'secrets-review/review.md'))).toBe(true);
    const check = shell(dir, gitlabScript('secrets-topology-check'), {});
    expect(check.stdout).toMatch(/^check: dist\/ is up to date \(\d+ files\)\.\n$/);
    expect(check.status).toBe(0);
  });
});
