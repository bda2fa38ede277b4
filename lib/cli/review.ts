/**
 * `secrets-topology review`: what a change grants or revokes, for a pull-request comment.
 *
 * 1. The base: `--base`, else the CI's variable (GitHub `GITHUB_BASE_REF`, GitLab
 *    `CI_MERGE_REQUEST_TARGET_BRANCH_NAME`), else `origin/HEAD`, `origin/main`, `main`; the
 *    review compares with the merge base of HEAD and it, and fails (saying what to pass) when there
 *    is none: it never falls back to another commit.
 * 2. The head: a fresh synthesis of the topology, which must equal the output directory of the
 *    working tree (else exit 3: a review of a stale `dist/` would say "no change"); `--skip-check`
 *    reads the output directory as it is instead. When synthesis refuses the topology for what it
 *    grants (exit 2: findings of the access analysis, e.g. read access across environments), the
 *    comment is those findings and the review exits with 2.
 * 3. The base report: the report files of the output directory at the merge base (`git cat-file`),
 *    of any schema; none counts as empty.
 * 4. stdout: the comment (at most 60,000 characters); `--artifacts <dir>`: `comment.md` and the
 *    full review `review.md`.
 */
import { lstatSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { compareReports, renderRefusalComment, renderReview, renderReviewComment, reviewExitCode } from '../report/report-diff.js';
import { loadReport } from '../report/report-read.js';
import { REPORT_JSON, type ReportData } from '../report/report.js';
import { stringOption, type Command } from './command.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { outOfDateMessage, outputName, staleness } from './freshness.js';
import { gitFileReader, git, mergeBase, pathInRepository, repositoryRoot, resolveBase } from './git.js';
import type { CliIo } from './io.js';
import { PROJECT_OPTIONS, loadProject, type Project } from './project.js';
import { readReportDir } from './report-source.js';
import { AccessRefused, withFreshSynthesis } from './run-app.js';
import { quoteValue } from '../private/terminal.js';

/** File names in the `--artifacts` directory. */
export const REVIEW_ARTIFACTS = { comment: 'comment.md', review: 'review.md' } as const;

/**
 * Writes a file into `dir` without following a link at its name: into a new temporary file, then
 * renamed over it.
 */
function writeArtifact(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, text, { flag: 'wx' });
  renameSync(tmp, join(dir, name));
}

/** The artifacts directory, created when missing; never the output directory or inside it, never a link. */
function artifactsDir(io: CliIo, project: Project, dir: string): string {
  const path = resolve(io.cwd, dir);
  const rel = relative(project.outputPath, path);
  if (rel === '' || !(rel.startsWith('..') || isAbsolute(rel)))
    throw new CliError(
      `--artifacts ${quoteValue(dir)} is ${rel === '' ? '' : 'inside '}the output directory ${outputName(project)}, which synthesis replaces: choose a directory of its own (e.g. secrets-review).`,
      EXIT.usage,
    );
  mkdirSync(path, { recursive: true });
  if (!lstatSync(path).isDirectory())
    throw new CliError(`--artifacts ${quoteValue(dir)} is not a directory (or is a link): choose a directory of its own.`, EXIT.usage);
  return path;
}

/** How the base is named in the review: `origin/main (abc1234)`. */
function baseName(cwd: string, ref: string, commit: string): string {
  const short = git(cwd, 'rev-parse', '--short', commit) ?? commit.slice(0, 12);
  return `${ref} (${short})`;
}

export const reviewCommand: Command = {
  name: 'review',
  summary: 'Review a change: what it grants or revokes, as a pull-request comment',
  description: [
    'Compares the report of the topology with the one at the merge base of HEAD and the base branch,',
    'and prints what the change grants or revokes as Markdown for a pull-request comment (at most',
    '60,000 characters: counts, every cross-environment change, the rest folded).',
    '',
    'The base is --base, else $GITHUB_BASE_REF (GitHub Actions) or $CI_MERGE_REQUEST_TARGET_BRANCH_NAME',
    '(GitLab CI) as origin/<branch>, else origin/HEAD, origin/main or main; when none exists the review',
    'fails and says what to fetch or pass. It never compares with another commit instead.',
    '',
    'First it synthesizes the topology and checks that the output directory is current (as check',
    'does): a change to the topology without a new synthesis exits with 3. When synthesis refuses the',
    'topology for what it grants (findings of the access analysis, e.g. read access across',
    'environments), the comment lists the findings and the review exits with 2.',
  ].join('\n'),
  options: {
    base: {
      type: 'string',
      short: 'b',
      value: '<ref>',
      description: 'The branch (or commit) the change goes into; compared at its merge base with HEAD.',
    },
    artifacts: {
      type: 'string',
      value: '<dir>',
      description: `Also write the comment (${REVIEW_ARTIFACTS.comment}) and the full review (${REVIEW_ARTIFACTS.review}) into this directory.`,
    },
    'skip-check': {
      type: 'boolean',
      description: 'Review the output directory as it is, without synthesizing (faster; trusts that it is current).',
    },
    ...PROJECT_OPTIONS,
  },
  exitCodes: [EXIT.ok, EXIT.failed, EXIT.crossEnvironment, EXIT.outOfDate, EXIT.usage],
  async run(args, io) {
    const project = loadProject(io.cwd, args);
    const artifacts = stringOption(args, 'artifacts');
    const outDir = artifacts === undefined ? undefined : artifactsDir(io, project, artifacts);
    const top = repositoryRoot(io.cwd);
    const base = resolveBase(io.cwd, stringOption(args, 'base'), io.env);
    const at = mergeBase(io.cwd, base);
    const dist = pathInRepository(io.cwd, top, project.output);
    if (dist === undefined)
      throw new CliError(
        `the output directory ${outputName(project)} is outside the repository ${top}: the review reads it at the base commit.`,
      );
    const name = baseName(io.cwd, base.ref, at);
    const where = `${dist || '.'} at ${name}`;

    const review = async (head: ReportData): Promise<ExitCode> => {
      const before = await loadReport(gitFileReader(top, at, dist), where);
      const result = compareReports(before, head);
      const comment = renderReviewComment(result, name, {
        fullReview: outDir
          ? `the full review (${REVIEW_ARTIFACTS.review} in the CI artifact)`
          : 'the full review (run with --artifacts <dir>)',
      });
      if (outDir) {
        writeArtifact(outDir, REVIEW_ARTIFACTS.comment, comment);
        writeArtifact(outDir, REVIEW_ARTIFACTS.review, renderReview(result, name));
      }
      io.stdout.write(comment);
      return reviewExitCode(result) as ExitCode;
    };

    if (args.values['skip-check'] === true) return review(await headReport(project.outputPath, outputName(project)));
    const refused = (e: AccessRefused): ExitCode => {
      const comment = renderRefusalComment(e.findings);
      if (outDir) {
        writeArtifact(outDir, REVIEW_ARTIFACTS.comment, comment);
        writeArtifact(outDir, REVIEW_ARTIFACTS.review, renderRefusalComment(e.findings, { maxChars: Number.MAX_SAFE_INTEGER }));
      }
      io.stdout.write(comment);
      io.stderr.write(`review: ${e.message}\n`);
      return e.exitCode;
    };
    return withFreshSynthesis(project, io, 'review', async (fresh) => {
      const d = staleness(project, fresh);
      if (d) {
        const message = outOfDateMessage(project, d);
        if (outDir)
          writeArtifact(
            outDir,
            REVIEW_ARTIFACTS.comment,
            `## Secrets topology review\n\n> **Not reviewed:** ${message.split('\n')[0]}\n\n\`\`\`\n${message}\n\`\`\`\n`,
          );
        io.stderr.write(`review: ${message}\n`);
        return EXIT.outOfDate;
      }
      return review(await headReport(fresh, 'a fresh synthesis'));
    }).catch((e: unknown) => {
      if (e instanceof AccessRefused) return refused(e);
      throw e;
    });
  },
};

/** The report in an output directory; an error when it has none. */
async function headReport(dir: string, where: string): Promise<ReportData> {
  const report = await readReportDir(dir, where);
  if (!report) throw new CliError(`${where} has no ${REPORT_JSON}: is the app a secrets-topology TopologyApp?`);
  return report;
}
