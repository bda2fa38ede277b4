/**
 * What the review needs of git: the repository, the base to compare with (never guessed: an
 * explicit `--base`, else the CI's own variable, else `origin/HEAD`, `origin/main`, `main`; an
 * error that says what to pass when none resolves), the merge base, and files at a commit, read
 * many at a time with one `git cat-file --batch`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { isAbsolute, posix, relative, sep } from 'node:path';
import { CliError } from './exit-codes.js';
import { quoteValue } from '../private/terminal.js';

/** CI variables that name the branch a change goes into, in the order they are consulted. */
export const CI_BASE_VARIABLES = [
  { variable: 'GITHUB_BASE_REF', ci: 'GitHub Actions' },
  { variable: 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME', ci: 'GitLab CI' },
] as const;

/** Refs tried, in order, when neither `--base` nor a CI variable names the base. */
export const DEFAULT_BASES = ['origin/HEAD', 'origin/main', 'main'] as const;

/** Runs git in `cwd`; its stdout (trimmed), or undefined when it fails. */
export function git(cwd: string, ...args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The top directory of the repository `cwd` is in; throws when it is in none. */
export function repositoryRoot(cwd: string): string {
  const top = git(cwd, 'rev-parse', '--show-toplevel');
  if (top === undefined) throw new CliError(`${cwd} is not inside a git repository: run the review in the repository of the topology.`);
  return top;
}

/**
 * Where `path` (relative to `cwd`, or absolute) is inside the repository, `/`-separated (`''` for its
 * top); undefined when it is outside. Taken from git's own idea of the working directory, so that a
 * working directory reached through a symbolic link gives the same answer.
 */
export function pathInRepository(cwd: string, top: string, path: string): string | undefined {
  let rel: string;
  if (isAbsolute(path)) {
    rel = relative(realOrSelf(top), realOrSelf(path)).split(sep).join('/');
  } else {
    const prefix = git(cwd, 'rev-parse', '--show-prefix') ?? '';
    rel = posix.normalize(posix.join(prefix, path.split(sep).join('/')));
  }
  rel = rel.replace(/\/+$/, '');
  if (rel === '.') return '';
  return rel === '..' || rel.startsWith('../') || isAbsolute(rel) ? undefined : rel;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The commit a ref names, or undefined when there is none. */
export function commitOf(cwd: string, ref: string): string | undefined {
  return git(cwd, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`);
}

/** The base a review compares with: the ref as found, how it was chosen, and its commit. */
export interface ResolvedBase {
  /** The ref that resolved, e.g. `origin/main`. */
  readonly ref: string;
  /** Where it comes from, e.g. `--base`, `GITHUB_BASE_REF=main`, `the default`. */
  readonly source: string;
  readonly commit: string;
}

/**
 * The base to compare with: `--base` (as given, or `origin/<it>`), else the first CI variable that
 * is set (`origin/<branch>`, else `<branch>`), else the first of {@link DEFAULT_BASES} that exists.
 * Throws a {@link CliError} saying what was tried and what to pass when none resolves.
 */
export function resolveBase(cwd: string, base: string | undefined, env: Readonly<Record<string, string | undefined>>): ResolvedBase {
  let source: string;
  let candidates: readonly string[];
  const ci = CI_BASE_VARIABLES.find((c) => (env[c.variable] ?? '') !== '');
  if (base !== undefined) {
    source = '--base';
    candidates = base.startsWith('origin/') || base.includes(':') ? [base] : [base, `origin/${base}`];
  } else if (ci) {
    const branch = env[ci.variable] as string;
    source = `${ci.variable}=${branch} (${ci.ci})`;
    candidates = [`origin/${branch}`, branch];
  } else {
    source = 'the default';
    candidates = DEFAULT_BASES;
  }
  for (const ref of candidates) {
    if (ref.startsWith('-')) continue;
    const commit = commitOf(cwd, ref);
    if (commit) return { ref, source, commit };
  }
  const shallow = git(cwd, 'rev-parse', '--is-shallow-repository') === 'true';
  throw new CliError(
    [
      `cannot find the base to compare with: ${candidates.map((c) => quoteValue(c)).join(', ')} (from ${source}) ${candidates.length === 1 ? 'does' : 'do'} not exist in this clone${shallow ? ', which is shallow' : ''}.`,
      'Pass --base <branch or commit> (e.g. --base origin/main), or fetch the base branch first:',
      '  GitHub Actions: actions/checkout with fetch-depth: 0',
      '  GitLab CI: GIT_DEPTH: 0 and git fetch origin "+refs/heads/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME:refs/remotes/origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"',
    ].join('\n'),
  );
}

/** The merge base of HEAD and the base commit; throws when they have none (a shallow clone, unrelated histories). */
export function mergeBase(cwd: string, base: ResolvedBase): string {
  if (!commitOf(cwd, 'HEAD')) throw new CliError('the repository has no commit (HEAD) yet: commit the change first.');
  const mb = git(cwd, 'merge-base', 'HEAD', base.commit);
  if (mb) return mb;
  const shallow = git(cwd, 'rev-parse', '--is-shallow-repository') === 'true';
  throw new CliError(
    shallow
      ? `HEAD and ${base.ref} have no merge base in this shallow clone: fetch the whole history (actions/checkout with fetch-depth: 0; GitLab GIT_DEPTH: 0; or git fetch --unshallow), or pass --base <commit>.`
      : `HEAD and ${base.ref} have no common history: pass --base <the commit to compare with>.`,
  );
}

/**
 * Reads files at a commit. Paths asked for in the same tick are read by one `git cat-file --batch`.
 * A path the commit does not have reads as undefined.
 *
 * @param dir the directory of the files inside the repository (`''` for its top), `/`-separated
 */
export function gitFileReader(cwd: string, commit: string, dir: string): (path: string) => Promise<string | undefined> {
  let pending: Array<{ path: string; done: (text: string | undefined) => void; fail: (e: Error) => void }> = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    catFiles(
      cwd,
      batch.map((b) => `${commit}:${dir === '' ? b.path : `${dir}/${b.path}`}`),
    ).then(
      (texts) => batch.forEach((b, i) => b.done(texts[i])),
      (e: Error) => batch.forEach((b) => b.fail(e)),
    );
  };
  return (path) =>
    new Promise((done, fail) => {
      if (path.includes('\n')) {
        done(undefined);
        return;
      }
      if (pending.length === 0) setImmediate(flush);
      pending.push({ path, done, fail });
    });
}

/** The contents of `<commit>:<path>` specs, in order (undefined: missing), from one `git cat-file --batch`. */
function catFiles(cwd: string, specs: readonly string[]): Promise<Array<string | undefined>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', (e) => reject(new CliError(`could not run git: ${e.message}`)));
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new CliError(`git cat-file failed (exit ${code}): ${stderr.trim()}`));
        return;
      }
      const out = Buffer.concat(chunks);
      const texts: Array<string | undefined> = [];
      let at = 0;
      for (let i = 0; i < specs.length; i++) {
        const eol = out.indexOf(10, at);
        const header = out.subarray(at, eol).toString('utf8');
        at = eol + 1;
        const m = /^[0-9a-f]{40,64} (blob|tree|commit|tag) (\d+)$/.exec(header);
        if (!m) {
          texts.push(undefined); // "<spec> missing" (or ambiguous)
          continue;
        }
        const size = Number(m[2]);
        texts.push(m[1] === 'blob' ? out.subarray(at, at + size).toString('utf8') : undefined);
        at += size + 1;
      }
      resolve(texts);
    });
    child.stdin.end(specs.map((s) => `${s}\n`).join(''));
  });
}
