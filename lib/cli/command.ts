/**
 * A command of the `secrets-topology` CLI: its options (one definition gives both the parser's
 * configuration, Node's `util.parseArgs`, and the `--help` text), its arguments and what it does.
 */
import { parseArgs } from 'node:util';
import { CliError, EXIT, EXIT_MEANINGS, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { PACKAGE_NAME } from '../private/package-name.js';

/** One option of a command. */
export interface CommandOption {
  readonly type: 'string' | 'boolean';
  /** One-letter alias. @default none */
  readonly short?: string;
  /** What the value is called in `--help`, e.g. `<ref>`. @default `<value>` for a string */
  readonly value?: string;
  /** One sentence for `--help`. */
  readonly description: string;
}

/** The parsed command line of a command. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** A command: the dispatcher's table lists these. */
export interface Command {
  /** What the user types, e.g. `who-can-read`. */
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** The arguments after the command's name, e.g. `<plane> <remote secret>`. @default none */
  readonly arguments?: readonly string[];
  /** What it does, a paragraph or two for `--help`. */
  readonly description: string;
  /** Its options (`--help` is added to every command). */
  readonly options: Readonly<Record<string, CommandOption>>;
  /** The exit codes it can end with. */
  readonly exitCodes: readonly ExitCode[];
  run(args: CommandArgs, io: CliIo): Promise<ExitCode>;
}

/** The program's name, as users type it. */
export const PROGRAM = PACKAGE_NAME;

const HELP: CommandOption = { type: 'boolean', short: 'h', description: 'Show this help.' };

/** Quotes a command-line value for a message. */
function shown(value: string): string {
  const s = JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  return s;
}

/**
 * Parses a command's arguments: its options, then exactly as many positionals as it takes.
 * Throws a {@link CliError} with exit code {@link EXIT.usage} saying what is wrong.
 */
export function parseCommandArgs(command: Command, argv: readonly string[]): CommandArgs & { readonly help: boolean } {
  const options = { ...command.options, help: HELP };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '') : String(e);
    throw new CliError(`${PROGRAM} ${command.name}: ${why}. See ${PROGRAM} ${command.name} --help.`, EXIT.usage);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const wanted = command.arguments ?? [];
  if (!help && parsed.positionals.length !== wanted.length) {
    const got = parsed.positionals.length;
    const what =
      got < wanted.length
        ? `missing ${wanted.slice(got).join(' ')}`
        : `unexpected argument${got - wanted.length === 1 ? '' : 's'} ${parsed.positionals.slice(wanted.length).map(shown).join(' ')}`;
    throw new CliError(`${PROGRAM} ${command.name}: ${what}. Usage: ${usageLine(command)}`, EXIT.usage);
  }
  return { values, positionals: parsed.positionals, help };
}

/** `secrets-topology review [options]`. */
export function usageLine(command: Command): string {
  return [PROGRAM, command.name, ...(command.arguments ?? []), '[options]'].join(' ');
}

/** Lines of a two-column list, the first column padded to the widest. */
export function columns(rows: ReadonlyArray<readonly [string, string]>, indent = 2): string[] {
  const width = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${' '.repeat(indent)}${a.padEnd(width)}  ${b}`);
}

/** The exit codes section of a help text. */
export function exitCodeLines(codes: readonly ExitCode[]): string[] {
  return [
    'Exit codes:',
    ...columns(EXIT_MEANINGS.filter(([code]) => codes.includes(code)).map(([code, meaning]) => [String(code), meaning])),
  ];
}

/** The `--help` text of a command. */
export function commandHelp(command: Command): string {
  const options = { ...command.options, help: HELP };
  const rows = Object.entries(options).map(([name, o]): [string, string] => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`;
    return [flag, o.description];
  });
  return [
    `Usage: ${usageLine(command)}`,
    '',
    command.description,
    '',
    'Options:',
    ...columns(rows),
    '',
    ...exitCodeLines(command.exitCodes),
    '',
  ].join('\n');
}

/** A string option's value, or undefined. */
export function stringOption(args: CommandArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}
