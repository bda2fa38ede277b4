/**
 * Change review for a pull request: compares the report of this change with the report at a git
 * base and prints Markdown fit for a pull-request comment.
 *
 *   npm run review -- [--base <git ref>] [--dist dist] [--synth]
 *
 * - head: `<dist>/report.json` and the Space files it lists (`<dist>/spaces/<space>/report.json`)
 *   of the working tree, or a fresh synthesis (`--synth`, or when the file does not exist) of
 *   `main.ts` into a temporary directory;
 * - base: the same files as committed at `--base` (default: `git merge-base HEAD main`, else
 *   `HEAD~1`), read with `git show`; a base from before the split (one `report.json`, schema 1) is
 *   read as well; a base without a report counts as empty.
 *
 * Exit code: 2 when the change adds read access across environments, 1 on an error, else 0. The
 * comparison itself is `compareReports` (lib/report/report-diff.ts); this script only finds the
 * two files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $, argv, fs } from 'zx';
import { compareReports, loadReport, renderReview, reviewExitCode } from '../lib/report/report-diff.js';
import { REPORT_JSON, type ReportData } from '../lib/report/report.js';

$.verbose = false;
$.quiet = true;

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function git(...args: string[]): Promise<string | undefined> {
  const r = await $`git ${args}`.nothrow();
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** A file at a revision (`git show <ref>:<path>`) with its exact bytes, or undefined when there is none. */
async function gitShow(spec: string): Promise<string | undefined> {
  const r = await $`git show ${spec}`.nothrow();
  return r.exitCode === 0 ? r.stdout : undefined;
}

async function defaultBase(): Promise<string> {
  return (await git('merge-base', 'HEAD', 'main')) ?? 'HEAD~1';
}

/** A report in a directory: `report.json` and the Space files it lists. */
async function readReport(dir: string, where: string): Promise<ReportData | undefined> {
  return loadReport(async (path) => {
    const file = join(dir, path);
    return (await fs.pathExists(file)) ? fs.readFile(file, 'utf8') : undefined;
  }, where);
}

/** The head report: the files in the working tree, or a fresh synthesis of main.ts. */
async function headReport(dist: string, synth: boolean): Promise<{ report: ReportData; from: string }> {
  const file = join(dist, REPORT_JSON);
  if (!synth && (await fs.pathExists(file))) return { report: (await readReport(dist, dist)) as ReportData, from: file };
  const out = mkdtempSync(join(tmpdir(), 'secrets-review-'));
  try {
    const r = await $({
      cwd: process.cwd(),
      env: { ...process.env, CDK8S_OUTDIR: out },
    })`${join(projectRoot, 'node_modules/.bin/tsx')} main.ts`.nothrow();
    if (r.exitCode !== 0) throw new Error(`synthesis failed:\n${r.stderr.trim()}`);
    const report = await readReport(out, 'a fresh synthesis');
    if (report === undefined) throw new Error(`a fresh synthesis of main.ts wrote no ${REPORT_JSON}`);
    return { report, from: 'a fresh synthesis of main.ts' };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * The base report at a git ref (`report.json` and its Space files, or a single `report.json` from
 * before the split), or undefined when the ref has none.
 */
async function baseReport(ref: string, dist: string): Promise<ReportData | undefined> {
  const top = await git('rev-parse', '--show-toplevel');
  if (top === undefined) throw new Error('not inside a git repository: run the review from the repository of the topology.');
  if ((await git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`)) === undefined)
    throw new Error(`git ref ${JSON.stringify(ref)} does not exist: pass an existing --base (a branch, tag or commit).`);
  const dir = relative(top, resolve(dist)).split('\\').join('/');
  const at = (path: string): string => (dir === '' ? path : `${dir}/${path}`);
  return loadReport((path) => gitShow(`${ref}:${at(path)}`), `${dir || '.'} at ${ref}`);
}

async function main(): Promise<number> {
  const dist = typeof argv.dist === 'string' ? argv.dist : 'dist';
  const base = typeof argv.base === 'string' ? argv.base : await defaultBase();
  const head = await headReport(dist, argv.synth === true);
  const before = await baseReport(base, dist);
  const short = (await git('rev-parse', '--short', base)) ?? base;
  const result = compareReports(before, head.report);
  const name = /^[0-9a-f]{40}$/.test(base) || base === short ? short : `${base} (${short})`;
  process.stdout.write(renderReview(result, name));
  return reviewExitCode(result);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`review: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
