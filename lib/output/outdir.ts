/**
 * The safe-output-directory rule. Synthesis replaces its output directory as a whole, so the
 * directory it is given must be one it may replace: never the working directory or one of its
 * parents, the filesystem root or the home directory (and their parents), and never a non-empty
 * directory that this tool did not write (it carries no {@link OUTPUT_MARKER}). A symbolic link is
 * written through: the rule applies to the link and to the directory it leads to. Checked before
 * anything is touched: {@link unsafeOutputLocation} before the lock is taken, {@link unsafeOutputContent}
 * once the recovery of a crashed run is done (it may restore the directory).
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, parse, relative, resolve } from 'node:path';
import { showPath } from './output-error.js';

/** The file every output directory this tool writes carries; synthesis refuses to replace a non-empty directory without it. */
export const OUTPUT_MARKER = '.secrets-topology-output';

/** The text of {@link OUTPUT_MARKER}. */
export const OUTPUT_MARKER_TEXT =
  'Written by secrets-topology: every synth replaces this directory as a whole. Keep no other files here.\n';

/**
 * The names synthesis uses inside an output directory that is a mount point (it cannot be renamed,
 * so it is replaced in place: see swap.ts): the lock, the new output as it is written, the old
 * output moved aside, and the journal of the swap (written as `<journal>.tmp`, then renamed).
 */
export const IN_PLACE_NAMES = {
  lock: '.secrets-topology-lock',
  next: '.secrets-topology-next',
  previous: '.secrets-topology-previous',
  journal: '.secrets-topology-journal',
  journalTmp: '.secrets-topology-journal.tmp',
} as const;

/**
 * Entries of an output directory that are not its content: the lock a synth takes inside a mount
 * point, and `lost+found` (the root of a file system, e.g. a volume mounted as the output directory).
 * They do not make a directory foreign, and synthesis never moves or deletes them.
 */
export const NOT_CONTENT: ReadonlySet<string> = new Set([IN_PLACE_NAMES.lock, 'lost+found']);

/** The first path segments an output file may not have: the marker and the in-place names. */
const RESERVED_TOP: ReadonlySet<string> = new Set([OUTPUT_MARKER, 'lost+found', ...Object.values(IN_PLACE_NAMES)]);

/** Longest output file path, and longest segment of one (Linux PATH_MAX and NAME_MAX, in bytes). */
const PATH_MAX = 4096;
const NAME_MAX = 255;

/**
 * Why `rel`, a path of an output file, could lead outside the output directory or onto a name
 * synthesis reserves, or undefined when it is a plain relative path: `/`-separated names, none
 * empty, `.` or `..`, no backslash or NUL, not absolute.
 */
export function unsafeOutputPath(rel: unknown): string | undefined {
  const how = 'use "/"-separated names relative to the output directory, without "..", ".", empty parts, "\\" or a leading "/"';
  if (typeof rel !== 'string') return `an output file path must be a string, received ${typeof rel}: ${how}.`;
  const shown = showPath(rel);
  const parts = rel.split('/');
  if (rel === '' || rel.includes('\u0000') || rel.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..'))
    return `output file path ${shown} is not a plain relative path inside the output directory: ${how}.`;
  if (RESERVED_TOP.has(parts[0])) return `output file path ${shown} uses a name synth reserves for itself: choose another name.`;
  if (Buffer.byteLength(rel) > PATH_MAX || parts.some((p) => Buffer.byteLength(p) > NAME_MAX))
    return `output file path ${shown} is longer than the file system allows (${PATH_MAX} bytes, ${NAME_MAX} per name): shorten it.`;
  return undefined;
}

/** Symbolic links followed before the chain counts as a loop (Linux's own limit). */
const MAX_LINKS = 40;

const HOW = 'set the app\'s "outdir" (or CDK8S_OUTDIR) to a directory of its own, e.g. "dist"';

/**
 * Why `outdir` must not be replaced, or undefined when it may be. `outdir` is what the app was
 * given (a prop or `$CDK8S_OUTDIR`); relative paths are taken from the working directory.
 */
export function unsafeOutputDirectory(outdir: unknown): string | undefined {
  return unsafeOutputLocation(outdir) ?? unsafeOutputContent(outdir as string);
}

/**
 * The part of {@link unsafeOutputDirectory} that a crashed run cannot have caused: not a path, a
 * protected directory (directly or through links), a link loop, or something that is not a directory.
 */
export function unsafeOutputLocation(outdir: unknown): string | undefined {
  if (typeof outdir !== 'string') return `the output directory must be a path, received ${typeof outdir}: ${HOW}.`;
  if (outdir.trim() === '')
    return `the output directory is ${outdir === '' ? 'empty' : 'blank'} (it would be the working directory, which synth would replace): ${HOW}.`;
  if (outdir.includes('\u0000')) return `the output directory contains a NUL character: ${HOW}.`;
  const shown = showPath(outdir);
  const given = resolve(outdir);
  const target = outputTarget(outdir);
  if (target === undefined)
    return `the output directory ${shown} is a symbolic link that leads through more than ${MAX_LINKS} links (a loop): fix the link or choose another "outdir".`;
  for (const [what, dir] of protectedDirectories()) {
    for (const t of new Set([given, target, realOrSelf(target)])) {
      if (t === dir) return `the output directory ${shown} is ${what} (${dir}), which synth would replace as a whole: ${HOW}.`;
      if (isInside(dir, t)) return `the output directory ${shown} contains ${what} (${dir}), which synth would replace as a whole: ${HOW}.`;
    }
  }
  const stat = statOrUndefined(target);
  if (stat && !stat.isDirectory()) {
    return target === given
      ? `the output directory ${shown} exists and is not a directory: move the file away or choose another "outdir".`
      : `the output directory ${shown} is a link to something that is not a directory: choose another "outdir".`;
  }
  return undefined;
}

/**
 * The part of {@link unsafeOutputDirectory} that depends on what the directory holds: a link to a
 * missing target, or a non-empty directory that this tool did not write.
 */
export function unsafeOutputContent(outdir: string): string | undefined {
  const shown = showPath(outdir);
  const target = outputTarget(outdir) ?? resolve(outdir);
  if (!existsSync(target)) {
    return target === resolve(outdir)
      ? undefined
      : `the output directory ${shown} is a symbolic link to a missing target: remove the link or point it at a directory.`;
  }
  const entries = readdirSync(target).filter((e) => !NOT_CONTENT.has(e));
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    return (
      `the output directory ${shown} holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} and was not written by secrets-topology (no ${OUTPUT_MARKER} file), ` +
      `so synth will not replace it: choose an empty or new directory, or, if it is an earlier output of this tool, delete it first.`
    );
  }
  return undefined;
}

/**
 * The directory synthesis replaces for `outdir`: its absolute path, or, when that is a symbolic
 * link, where the chain of links ends (which may not exist yet). Undefined for a loop.
 */
export function outputTarget(outdir: string): string | undefined {
  let path = resolve(outdir);
  for (let links = 0; links <= MAX_LINKS; links++) {
    let target: string;
    try {
      if (!lstatSync(path).isSymbolicLink()) return path;
      target = readlinkSync(path);
    } catch {
      return path;
    }
    path = resolve(dirname(path), target);
  }
  return undefined;
}

/** The directories that must never be the output directory nor inside it. */
function protectedDirectories(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const cwd = process.cwd();
  out.push(['the working directory', cwd]);
  const realCwd = realOrSelf(cwd);
  if (realCwd !== cwd) out.push(['the working directory', realCwd]);
  const home = safeHome();
  if (home) {
    out.push(['the home directory', home]);
    const realHome = realOrSelf(home);
    if (realHome !== home) out.push(['the home directory', realHome]);
  }
  const root = parse(cwd).root;
  out.push(['the filesystem root', root]);
  return out;
}

/** Whether `inner` is strictly inside `outer`. */
function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Missing: the nearest existing parent decides where it would be.
    const parent = dirname(path);
    if (parent === path) return path;
    return join(realOrSelf(parent), path.slice(parent.length + (parent.endsWith('/') ? 0 : 1)));
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function safeHome(): string | undefined {
  try {
    const h = homedir();
    return h && isAbsolute(h) ? resolve(h) : undefined;
  } catch {
    return undefined;
  }
}
