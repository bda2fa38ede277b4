/**
 * `secrets-topology import`: existing YAML (Spaces Shared* objects, ControlPlanes, plain ESO
 * stores and secrets) to a TypeScript topology. The dispatcher of the `secrets-topology` bin calls
 * {@link importCommand}; the `secrets-topology` dispatcher (lib/cli/main.ts) runs it as `import`.
 */
import { existsSync, lstatSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Cloud } from '../index.js';
import { checkDnsLabel, checkLabelKey } from '../model/validation.js';
import { displayQuoted, displayText } from './escape.js';
import { importTopology, type ImportTopologyOptions } from './import.js';
import { ITEM_SEVERITIES, ItemList, formatItem, isIncomplete } from './items.js';
import { DEFAULT_OPTIONS } from './reconstruct.js';
import { ImportInputError, readInputFiles } from './source.js';
import { PACKAGE_NAME } from '../private/package-name.js';

/** Where the command writes and reads relative paths from. */
export interface CommandIo {
  /** Standard output (the generated TypeScript when there is no `--out`). */
  stdout(text: string): void;
  /** Standard error (the import's report, errors). */
  stderr(text: string): void;
  /**
   * Directory relative paths are resolved against.
   * @default process.cwd()
   */
  readonly cwd?: string;
}

/** Exit codes of {@link importCommand}. */
export const IMPORT_EXIT = {
  /** Everything mapped. */
  OK: 0,
  /** Bad options or input, or the generated topology does not synthesize. */
  ERROR: 1,
  /** Mapped, with unmapped items or items to review listed. */
  INCOMPLETE: 3,
} as const;

const CLOUDS: readonly Cloud[] = ['aws', 'azure', 'gcp'];

/** The command's help text. */
export const IMPORT_HELP = `Usage: secrets-topology import <file or directory>... [options]

Reads existing YAML (SharedSecretStore, SharedExternalSecret, ControlPlane, group Namespaces,
ClusterSecretStore, SecretStore, ExternalSecret, ClusterExternalSecret, PushSecret) and writes a
TypeScript topology that synthesizes back to the same objects. What cannot be mapped is listed on
standard error and as comments in the file. Secret values are never read.

Directories are read recursively (*.yaml, *.yml). The output layout of synth says where objects
belong (spaces/<space>/groups/<group>/, clusters/<cluster>/); the options name what the YAML does
not say.

Options:
  --out <file>                 write the TypeScript to <file> (default: standard output)
  --force                      replace <file> when it exists
  --space <name>               Space of Spaces objects outside spaces/<space>/ (default: ${DEFAULT_OPTIONS.space})
  --group <name>               group of Spaces objects without a namespace (default: ${DEFAULT_OPTIONS.group})
  --cloud <aws|azure|gcp>      cloud of the Spaces and ESO clusters (default: inferred from their stores)
  --cluster <name>             ESO cluster of ESO objects outside clusters/<cluster>/ (default: ${DEFAULT_OPTIONS.cluster})
  --environment-label <key>    ControlPlane label that names the environment (default: ${DEFAULT_OPTIONS.environmentLabel})
  --import-from <module>       module the file imports the API from (default: the package name when
                               installed; in a checkout lib/index.js relative to <file>, ./lib/index.js
                               on standard output)
  --verbose                    list notes too (how the input was read), not only what to act on
  -h, --help                   show this help

Exit codes: 0 everything mapped; 3 mapped, with unmapped items or items to review listed;
1 bad options or input (nothing written), or the generated topology does not synthesize yet
(the file is written, with the problems at its top).
`;

/** The package's public entry point (lib/index.js), for the generated file's import. */
function libIndex(): string {
  return resolve(dirname(dirname(fileURLToPath(import.meta.url))), 'index.js');
}

/**
 * The module a generated file imports the API from: the package by name where it is installed (a
 * relative path into node_modules would break on the next install), else this checkout's entry
 * point relative to the file.
 */
export function defaultImportFrom(out: string | undefined, index: string = libIndex()): string {
  if (index.split(/[\\/]/).includes('node_modules')) return PACKAGE_NAME;
  return out ? relativeSpecifier(out, index) : './lib/index.js';
}

/** `./x/y.js` style specifier of `target` from the directory of `from`. */
function relativeSpecifier(from: string, target: string): string {
  const r = relative(dirname(from), target).split(sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

function fail(io: CommandIo, message: string): number {
  io.stderr(`secrets-topology import: ${message}\n`);
  return IMPORT_EXIT.ERROR;
}

/** Writes `text` to `path` through a temporary file in the same directory, replaced in one step. */
function writeOutput(path: string, text: string, force: boolean): string | undefined {
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return `the directory of --out ${displayQuoted(path)} does not exist: create it first.`;
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st?.isDirectory()) return `--out ${displayQuoted(path)} is a directory: name a file.`;
  if (st && !force) return `--out ${displayQuoted(path)} exists: pass --force to replace it.`;
  const tmp = `${path}.import-${process.pid}-${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx', mode: 0o644 });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    return `cannot write --out ${displayQuoted(path)} (${e instanceof Error ? displayText(e.message, 200) : 'unknown error'}).`;
  }
  return undefined;
}

/**
 * Runs `secrets-topology import` with `argv` (the arguments after `import`). Returns the exit code:
 * see {@link IMPORT_EXIT}. Never throws for bad input; nothing is written on a bad option or input.
 */
export function importCommand(argv: readonly string[], io: CommandIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        force: { type: 'boolean' },
        space: { type: 'string' },
        group: { type: 'string' },
        cloud: { type: 'string' },
        cluster: { type: 'string' },
        'environment-label': { type: 'string' },
        'import-from': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return fail(io, `${e instanceof Error ? displayText(e.message, 200) : 'bad arguments'}; see --help.`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.stdout(IMPORT_HELP);
    return IMPORT_EXIT.OK;
  }
  if (positionals.length === 0) return fail(io, 'name a YAML file or a directory of YAML files; see --help.');
  for (const [flag, value] of [
    ['--space', v.space],
    ['--group', v.group],
    ['--cluster', v.cluster],
  ] as const) {
    if (value !== undefined && checkDnsLabel(value, flag) !== undefined)
      return fail(io, `${flag} ${displayQuoted(value)} is not a valid name: use lowercase letters, digits and '-' (at most 63).`);
  }
  if (v.cloud !== undefined && !(CLOUDS as readonly string[]).includes(v.cloud))
    return fail(io, `--cloud ${displayQuoted(v.cloud)} is not a cloud: use aws, azure or gcp.`);
  const envLabel = v['environment-label'];
  if (envLabel !== undefined && checkLabelKey(envLabel) !== undefined)
    return fail(io, `--environment-label ${displayQuoted(envLabel)} is not a label key: e.g. "environment" or "example.com/env".`);
  if (v.out === '') return fail(io, '--out is empty: name a file.');
  const cwd = io.cwd ?? process.cwd();
  const out = v.out !== undefined ? resolve(cwd, v.out) : undefined;
  const items = new ItemList();
  let files;
  try {
    files = readInputFiles(positionals, cwd, items);
  } catch (e) {
    if (e instanceof ImportInputError) return fail(io, e.message);
    return fail(io, `cannot read the input (${e instanceof Error ? displayText(e.message, 200) : 'unknown error'}).`);
  }
  const options: ImportTopologyOptions = {
    space: v.space,
    group: v.group,
    cloud: v.cloud as Cloud | undefined,
    cluster: v.cluster,
    environmentLabel: envLabel,
    importFrom: v['import-from'] ?? defaultImportFrom(out),
    sources: positionals,
  };
  let result;
  try {
    result = importTopology(files, options, items);
  } catch (e) {
    return fail(
      io,
      `the import failed unexpectedly (${e instanceof Error ? displayText(e.message, 200) : 'unknown error'}): please report it with the input.`,
    );
  }
  if (out) {
    const problem = writeOutput(out, result.code, v.force === true);
    if (problem) return fail(io, problem);
  } else io.stdout(result.code);
  const shown = result.items.filter((i) => v.verbose || i.severity !== 'note');
  const counts = ITEM_SEVERITIES.map((s) => `${result.items.filter((i) => i.severity === s).length} ${s}`).join(', ');
  const lines = [
    `secrets-topology import: ${files.length} file${files.length === 1 ? '' : 's'} read; ${counts}${v.verbose ? '' : ' (--verbose lists the notes)'}.`,
  ];
  for (const i of shown) lines.push(`  ${formatItem(i)}`);
  if (result.problems.length > 0) {
    lines.push(
      `The generated topology does not synthesize yet (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}${out ? `, listed at the top of ${displayText(v.out ?? '')}` : ''}):`,
    );
    for (const p of result.problems) lines.push(`  - ${displayText(p.path || '(app)', 200)}: ${displayText(p.message, 600)}`);
  }
  io.stderr(`${lines.join('\n')}\n`);
  if (result.problems.length > 0) return IMPORT_EXIT.ERROR;
  return isIncomplete(result.items) ? IMPORT_EXIT.INCOMPLETE : IMPORT_EXIT.OK;
}
