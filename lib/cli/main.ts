/**
 * The `secrets-topology` command: a table of commands and a small dispatcher. A command is a module
 * exporting a {@link Command}; adding one is adding a row to {@link COMMANDS}.
 *
 *   secrets-topology <command> [arguments] [options]
 *   secrets-topology <command> --help
 */
import { readFileSync } from 'node:fs';
import { checkCommand } from './check.js';
import { PROGRAM, columns, commandHelp, exitCodeLines, parseCommandArgs, type Command } from './command.js';
import { CliError, EXIT, EXIT_MEANINGS, type ExitCode } from './exit-codes.js';
import { importCommand } from '../import/index.js';
import { explainCommand } from './explain.js';
import { processIo, type CliIo } from './io.js';
import { reviewCommand } from './review.js';
import { synthCommand } from './synth.js';
import { whoCanReadCommand } from './who-can-read.js';
import { quoteValue } from '../private/terminal.js';
import { PACKAGE_NAME } from '../private/package-name.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [synthCommand, checkCommand, reviewCommand, whoCanReadCommand, explainCommand];

/**
 * Commands that parse their own arguments (any number of paths): the dispatcher hands them the
 * arguments after their name. `import` has its own exit codes (0 mapped, 3 mapped with items to
 * review, 1 bad input): see its `--help`.
 */
const DELEGATED: ReadonlyArray<{ readonly name: string; readonly summary: string; run(argv: readonly string[], io: CliIo): number }> = [
  {
    name: 'import',
    summary: 'Existing SharedSecretStore / SharedExternalSecret / ESO YAML to a TypeScript topology.',
    run: (argv, io) => importCommand(argv, { stdout: (t) => io.stdout.write(t), stderr: (t) => io.stderr.write(t), cwd: io.cwd }),
  },
];

/**
 * The version in the package's package.json: two folders up from the sources (lib/cli/), three from
 * the compiled JavaScript (build/lib/cli/).
 */
function version(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    let pkg: { name?: unknown; version?: unknown };
    try {
      pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as typeof pkg;
    } catch {
      continue;
    }
    if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
  }
  return 'unknown';
}

/** The `--help` text of the program. */
export function programHelp(): string {
  return [
    `Usage: ${PROGRAM} <command> [arguments] [options]`,
    '',
    'Compile a secrets topology (the "app" of cdk8s.yaml) into GitOps manifests, IAM and a review',
    'report, and review what a change grants.',
    '',
    'Commands:',
    ...columns([...COMMANDS, ...DELEGATED].map((c) => [c.name, c.summary])),
    '',
    `Run \`${PROGRAM} <command> --help\` for the arguments and options of a command.`,
    '',
    ...exitCodeLines(EXIT_MEANINGS.map(([code]) => code)),
    '',
  ].join('\n');
}

/**
 * Runs the command line `argv` (without the program name) and returns the exit code. Every failure
 * is one message on stderr (`secrets-topology <command>: ...`), never a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    (name === undefined ? io.stderr : io.stdout).write(topic ? commandHelp(topic) : programHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const delegated = DELEGATED.find((c) => c.name === name);
  if (delegated) return delegated.run(rest, io) as ExitCode;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(
      `${PROGRAM}: unknown command ${quoteValue(name, 80)}; the commands are ${[...COMMANDS, ...DELEGATED].map((c) => c.name).join(', ')}. See ${PROGRAM} --help.\n`,
    );
    return EXIT.usage;
  }
  try {
    const args = parseCommandArgs(command, rest);
    if (args.help) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (e) {
    const code = e instanceof CliError ? e.exitCode : EXIT.failed;
    const message = e instanceof Error ? e.message : String(e);
    io.stderr.write(`${message.startsWith(`${PROGRAM} `) ? message : `${PROGRAM} ${command.name}: ${message}`}\n`);
    return code;
  }
}

/** The program: runs `process.argv` and sets the exit code. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2));
}
