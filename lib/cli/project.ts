/**
 * The user's project as the CLI sees it: the program that builds the topology (`app` in
 * `cdk8s.yaml`, e.g. `npx tsx main.ts`, run with `CDK8S_OUTDIR` set, as `cdk8s synth` runs it) and
 * its output directory (`output`, default `dist`). `--app` and `--output` override both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { stringOption, type CommandArgs, type CommandOption } from './command.js';
import { CliError } from './exit-codes.js';
import { quoteValue } from '../private/terminal.js';

/** The configuration file the CLI reads, in the working directory. */
export const PROJECT_FILE = 'cdk8s.yaml';

/** Output directory when `cdk8s.yaml` names none. */
export const DEFAULT_OUTPUT = 'dist';

/** The options every command that runs the app takes. */
export const PROJECT_OPTIONS: Readonly<Record<'app' | 'output', CommandOption>> = {
  app: {
    type: 'string',
    short: 'a',
    value: '<command>',
    description: `The command that synthesizes the topology (default: "app" in ${PROJECT_FILE}).`,
  },
  output: {
    type: 'string',
    short: 'o',
    value: '<dir>',
    description: `The output directory (default: "output" in ${PROJECT_FILE}, else ${DEFAULT_OUTPUT}).`,
  },
};

/** A project: where it is, its app command and its output directory. */
export interface Project {
  /** The working directory the app runs in. */
  readonly dir: string;
  /** The app command, run by the shell (undefined: none configured; {@link appCommand} says what to do). */
  readonly app?: string;
  /** The output directory as configured (relative to {@link dir} unless absolute). */
  readonly output: string;
  /** The output directory, absolute. */
  readonly outputPath: string;
}

function configOf(dir: string): { app?: unknown; output?: unknown } | undefined {
  const file = join(dir, PROJECT_FILE);
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new CliError(`${file} is not valid YAML (${why}): fix it, or pass --app and --output.`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new CliError(`${file} must be a mapping with "app" and "output": fix it, or pass --app.`);
  return data;
}

/** The project in `dir` with the `--app` and `--output` of `args`. */
export function loadProject(dir: string, args: CommandArgs): Project {
  const config = configOf(dir);
  const app = stringOption(args, 'app') ?? config?.app;
  if (app !== undefined && (typeof app !== 'string' || app.trim() === ''))
    throw new CliError(
      `the app command must be a non-empty string (e.g. app: npx tsx main.ts), got ${quoteValue(app, 80)}: fix "app" in ${PROJECT_FILE}, or pass --app.`,
    );
  const output = stringOption(args, 'output') ?? config?.output ?? DEFAULT_OUTPUT;
  if (typeof output !== 'string' || output.trim() === '' || output.includes('\u0000'))
    throw new CliError(
      `the output directory must be a non-empty path, got ${quoteValue(output, 80)}: set "output" in ${PROJECT_FILE} or pass --output.`,
    );
  return { dir, app, output, outputPath: resolve(dir, output) };
}

/** The app command of a project; an error saying how to give one when it has none. */
export function appCommand(project: Project): string {
  if (project.app !== undefined) return project.app;
  const file = join(project.dir, PROJECT_FILE);
  if (existsSync(file))
    throw new CliError(
      `${file} has no "app" (the command that synthesizes the topology, e.g. app: npx tsx main.ts): add it, or pass --app.`,
    );
  throw new CliError(
    `there is no ${PROJECT_FILE} in ${project.dir}: run secrets-topology in the directory of your topology's ${PROJECT_FILE}, or pass --app "<command that synthesizes it>" (e.g. --app "npx tsx main.ts").`,
  );
}
