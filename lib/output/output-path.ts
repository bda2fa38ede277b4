/**
 * Paths inside the output directory: one rule for every file synthesis writes, generated or named
 * by a user ({@link FileArtifact}s).
 *
 * A path a user gives is normalised (`./a`, `a//b`, `a/x/../b` are `a`, `a/b`, `b`) and refused
 * when it is absolute, leaves the output directory (`..`), uses `\` (an alias of `/` on Windows),
 * holds NUL or another control character, or names the output marker. Every path, once
 * normalised, is then claimed in one {@link OutputPaths}: a second file with the same path, with a
 * path that differs only in letter case or Unicode normalisation (one file on macOS and Windows),
 * or a file where another needs a directory, is refused, so no file replaces another.
 */
import { posix } from 'node:path';
import { quoteValue } from '../private/terminal.js';
import { OUTPUT_MARKER } from './outdir.js';

/** Longest path segment (bytes of UTF-8) most filesystems accept. */
const SEGMENT_MAX_BYTES = 255;

/** Control characters (C0, DEL, C1): never part of a file name this tool writes. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A user path, normalised, or the problem with it. */
export type UserPathResult =
  { readonly path: string; readonly problem?: undefined } | { readonly path?: undefined; readonly problem: string };

/**
 * Checks and normalises a path relative to the output directory, as a user gives it: `/`
 * separators, no `.`/`..` escape, no absolute path, no backslash, no control character.
 */
export function normaliseUserPath(path: unknown): UserPathResult {
  const fix = 'use a path relative to the output directory with "/" separators, e.g. "docs/owners.json"';
  if (typeof path !== 'string') return { problem: `path must be a string, got ${quoteValue(path)}: ${fix}.` };
  const shown = quoteValue(path);
  if (path.trim() === '') return { problem: `path ${shown} is empty: ${fix}.` };
  if (CONTROL.test(path)) return { problem: `path ${shown} contains a control character (NUL, a line break, ...): ${fix}.` };
  if (path.includes('\\')) return { problem: `path ${shown} contains "\\", which Windows reads as a separator: ${fix}.` };
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return { problem: `path ${shown} is absolute: ${fix}.` };
  const normal = posix.normalize(path).replace(/\/+$/, '');
  if (normal === '.' || normal === '') return { problem: `path ${shown} names the output directory itself, not a file in it: ${fix}.` };
  if (normal === '..' || normal.startsWith('../'))
    return { problem: `path ${shown} leaves the output directory (it resolves to ${quoteValue(normal)}): ${fix}.` };
  if (path.endsWith('/'))
    return { problem: `path ${shown} ends with "/", so it names a directory: name the file, e.g. "${normal}/README.md".` };
  const long = normal.split('/').find((s) => Buffer.byteLength(s) > SEGMENT_MAX_BYTES);
  if (long !== undefined)
    return {
      problem: `path ${shown} has a name of ${Buffer.byteLength(long)} bytes, over the ${SEGMENT_MAX_BYTES} filesystems accept: shorten it.`,
    };
  if (foldKey(normal) === foldKey(OUTPUT_MARKER))
    return { problem: `path ${shown} is the output marker ${OUTPUT_MARKER}, which synthesis writes itself: choose another name.` };
  return { path: normal };
}

/** The key under which two paths are one file on a case-insensitive, normalising filesystem. */
function foldKey(path: string): string {
  return path.normalize('NFC').toLowerCase().normalize('NFC');
}

/**
 * The paths of one output, claimed one by one. {@link claim} returns why a path cannot be written
 * beside those claimed before (and claims nothing then), or undefined.
 */
export class OutputPaths {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, string>();

  /** Claims `path` (normalised, relative); returns the problem when it collides with an earlier one. */
  public claim(path: string): string | undefined {
    if (path === '' || path.startsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..'))
      return `output file ${quoteValue(path)} is not a normalised path inside the output directory: this is a bug of the synthesizer that produced it.`;
    const key = foldKey(path);
    const same = this.files.get(key);
    if (same === path) return `output file "${path}" is produced twice: rename one of the objects.`;
    if (same !== undefined)
      return `output file ${quoteValue(path)} and ${quoteValue(same)} differ only in letter case or Unicode form, so on a case-insensitive filesystem (macOS, Windows) one would replace the other: rename one.`;
    const below = this.dirs.get(key);
    if (below !== undefined)
      return `output file ${quoteValue(path)} would be a file where ${quoteValue(below)} needs a directory: rename one.`;
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const file = this.files.get(foldKey(dir));
      if (file !== undefined) return `output file ${quoteValue(path)} needs a directory where ${quoteValue(file)} is a file: rename one.`;
    }
    this.files.set(key, path);
    for (let i = 1; i < parts.length; i++) {
      const dirKey = foldKey(parts.slice(0, i).join('/'));
      if (!this.dirs.has(dirKey)) this.dirs.set(dirKey, path);
    }
    return undefined;
  }

  /** Whether `path` was claimed (exactly). */
  public has(path: string): boolean {
    return this.files.get(foldKey(path)) === path;
  }
}
