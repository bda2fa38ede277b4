/**
 * Where the CLI reads a report from: a directory of a synthesis (fresh, or the committed output),
 * or a `report.json` a user names (`--report`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadReport } from '../report/report-read.js';
import { REPORT_JSON, type ReportData } from '../report/report.js';
import { accessViewOfReport, type AccessView } from './access-query.js';
import { stringOption, type CommandArgs, type CommandOption } from './command.js';
import { CliError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { loadProject } from './project.js';
import { withFreshSynthesis } from './run-app.js';
import { quoteValue } from '../private/terminal.js';

/** The report of an output directory (`report.json` and the files it lists), or undefined when it has none. */
export function readReportDir(dir: string, where: string): Promise<ReportData | undefined> {
  return loadReport((path) => {
    const file = join(dir, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }, where);
}

/** The report a user names: a `report.json` (its Space files beside it) or the directory that holds it. */
export async function readReportFile(path: string, cwd: string): Promise<ReportData> {
  const full = resolve(cwd, path);
  const dir = existsSync(full) && statSync(full).isDirectory() ? full : dirname(full);
  if (!existsSync(full))
    throw new CliError(`--report ${quoteValue(path)} does not exist: name a report.json of a synthesis (e.g. dist/report.json).`);
  if (full !== dir && basename(full) !== REPORT_JSON)
    throw new CliError(
      `--report ${quoteValue(path)} is not a ${REPORT_JSON}: name the report.json at the top of an output directory (e.g. dist/report.json).`,
    );
  let report: ReportData | undefined;
  try {
    report = await readReportDir(dir, path);
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  if (!report) throw new CliError(`${dir} has no ${REPORT_JSON}: name the report.json of a synthesis (e.g. dist/report.json).`);
  return report;
}

/** The `--report` option of the commands that read a report. */
export const REPORT_OPTION = {
  report: {
    type: 'string',
    short: 'r',
    value: '<report.json>',
    description: 'Read this report (e.g. dist/report.json) instead of synthesizing the topology afresh.',
  },
} as const satisfies Readonly<Record<string, CommandOption>>;

/**
 * The access matrix to answer from: the report `--report` names, else the one a fresh synthesis of
 * the project (into a temporary directory) renders.
 */
export async function accessViewFor(args: CommandArgs, io: CliIo, what: string): Promise<AccessView> {
  const named = stringOption(args, 'report');
  if (named !== undefined) return accessViewOfReport(await readReportFile(named, io.cwd));
  const project = loadProject(io.cwd, args);
  return withFreshSynthesis(project, io, what, async (fresh) => {
    const report = await readReportDir(fresh, 'a fresh synthesis');
    if (!report) throw new CliError(`the synthesis wrote no ${REPORT_JSON}: is the app a secrets-topology TopologyApp?`);
    return accessViewOfReport(report);
  });
}
