/**
 * Reading the importer's input: YAML files (or directories of them) into plain documents, within
 * limits, since the input may be huge or hostile (alias bombs, deep nesting, odd tags).
 *
 * YAML is read as YAML 1.1, as kubectl reads it (`on`, `yes`, `y` are booleans, `0x1F` a number),
 * except that timestamps stay strings (kubectl gets strings for them too). Duplicate keys make a
 * document unreadable rather than letting one of them win.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { parseAllDocuments, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';
import { displayQuoted } from './escape.js';
import type { ItemList } from './items.js';

/** Limits on the input; exceeding one stops the import (exit code 1) or skips the document. */
export const INPUT_LIMITS = {
  /** Largest file read. */
  maxFileBytes: 16 * 1024 * 1024,
  /** Most bytes read over all files. */
  maxTotalBytes: 128 * 1024 * 1024,
  /** Most files read. */
  maxFiles: 20_000,
  /** Most YAML documents over all files. */
  maxDocuments: 100_000,
  /** Deepest nesting of maps and lists in a document (Kubernetes objects need about 12). */
  maxDepth: 64,
  /** Most alias expansions in a document (the yaml library's guard against alias bombs). */
  maxAliasCount: 100,
  /** Deepest directory below an input directory. */
  maxDirectoryDepth: 32,
} as const;

/** A file of the input: its path for display and layout (`/`-separated), and its text. */
export interface SourceFile {
  /** The input argument as given, joined with the file's path below it (the layout is read from it). */
  readonly path: string;
  readonly text: string;
}

/** One YAML document of a file, as plain data. */
export interface SourceDocument {
  /** Path of the file (see {@link SourceFile.path}). */
  readonly file: string;
  /** 1-based position in the file. */
  readonly index: number;
  /** The document's value (an object for a Kubernetes object; anything else is skipped later). */
  readonly value: unknown;
}

/** `file#index`, for messages. */
export function sourceName(d: { readonly file: string; readonly index: number }): string {
  return `${d.file}#${d.index}`;
}

/** A problem that stops the import before anything is written. */
export class ImportInputError extends Error {}

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: true,
  customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
};
const TO_JS: ToJSOptions = { maxAliasCount: INPUT_LIMITS.maxAliasCount };

function isYamlFile(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/**
 * Reads the files of the input paths (files, or directories walked recursively for `*.yaml` /
 * `*.yml`; hidden entries and symbolic links inside directories are skipped). Throws an
 * {@link ImportInputError} for a missing path or when a limit is exceeded.
 */
export function readInputFiles(paths: readonly string[], cwd: string, items: ItemList): SourceFile[] {
  if (paths.length === 0) throw new ImportInputError('no input: name a YAML file or a directory of YAML files.');
  const files: SourceFile[] = [];
  let total = 0;
  const add = (absolute: string, display: string): void => {
    const size = statSync(absolute).size;
    if (size > INPUT_LIMITS.maxFileBytes)
      throw new ImportInputError(
        `${displayQuoted(display)} has ${size} bytes, more than the ${INPUT_LIMITS.maxFileBytes} bytes a file may have: split it.`,
      );
    total += size;
    if (total > INPUT_LIMITS.maxTotalBytes)
      throw new ImportInputError(`the input has more than ${INPUT_LIMITS.maxTotalBytes} bytes: import it in parts.`);
    if (files.length >= INPUT_LIMITS.maxFiles)
      throw new ImportInputError(`the input has more than ${INPUT_LIMITS.maxFiles} files: import it in parts.`);
    files.push({ path: display, text: readFileSync(absolute, 'utf8') });
  };
  for (const p of paths) {
    const absolute = resolve(cwd, p);
    let st;
    try {
      st = statSync(absolute);
    } catch {
      throw new ImportInputError(`${displayQuoted(p)} does not exist or cannot be read: name a YAML file or a directory of YAML files.`);
    }
    if (st.isDirectory()) walk(absolute, absolute, toSlashes(p), 0, add, items);
    else if (st.isFile()) add(absolute, toSlashes(p));
    else
      throw new ImportInputError(`${displayQuoted(p)} is neither a file nor a directory: name a YAML file or a directory of YAML files.`);
  }
  return files;
}

function toSlashes(p: string): string {
  return p.split(sep).join('/');
}

/** Walks `dir` below `root`; files are shown as `shown` (the argument as given) joined with their path below `root`. */
function walk(
  root: string,
  dir: string,
  shown: string,
  depth: number,
  add: (absolute: string, display: string) => void,
  items: ItemList,
): void {
  if (depth > INPUT_LIMITS.maxDirectoryDepth)
    throw new ImportInputError(
      `${displayQuoted(toSlashes(relative(root, dir)))} is more than ${INPUT_LIMITS.maxDirectoryDepth} directories deep: import a smaller tree.`,
    );
  const names = readdirSync(dir).sort();
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const absolute = join(dir, name);
    const display = posix.join(shown, toSlashes(relative(root, absolute)));
    const st = lstatSync(absolute);
    if (st.isSymbolicLink()) {
      items.note(display, undefined, 'a symbolic link: not followed (name its target as an input to import it)');
    } else if (st.isDirectory()) {
      walk(root, absolute, shown, depth + 1, add, items);
    } else if (st.isFile() && isYamlFile(name)) {
      add(absolute, display);
    }
  }
}

/** Deepest nesting of arrays and objects in `value` (iterative: no recursion on hostile input). */
function depthOf(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * Parses every document of the files. A document the YAML reader refuses (syntax, duplicate keys,
 * an alias bomb, too deep) is skipped and listed; its text is never quoted (it may hold secrets),
 * only the error's code and position.
 */
export function parseDocuments(files: readonly SourceFile[], items: ItemList): SourceDocument[] {
  const out: SourceDocument[] = [];
  for (const f of files) {
    const docs = parseAllDocuments(f.text, YAML_OPTIONS);
    const list = Array.isArray(docs) ? docs : [];
    list.forEach((doc, i) => {
      const where = { file: f.path, index: i + 1 };
      if (out.length >= INPUT_LIMITS.maxDocuments)
        throw new ImportInputError(`the input has more than ${INPUT_LIMITS.maxDocuments} YAML documents: import it in parts.`);
      const error = doc.errors[0];
      if (error) {
        const at = error.linePos?.[0] ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
        items.unmapped(sourceName(where), undefined, `not valid YAML (${error.code}${at}): the document is skipped; fix the YAML.`);
        return;
      }
      for (const w of doc.warnings) {
        const at = w.linePos?.[0] ? ` at line ${w.linePos[0].line}, column ${w.linePos[0].col}` : '';
        items.note(sourceName(where), undefined, `YAML warning ${w.code}${at}: the value is read as plain data.`);
      }
      let value: unknown;
      try {
        value = doc.toJS(TO_JS);
      } catch (e) {
        const why = e instanceof Error && /alias/i.test(e.message) ? 'too many alias expansions (an alias bomb?)' : 'it cannot be read';
        items.unmapped(sourceName(where), undefined, `${why}: the document is skipped.`);
        return;
      }
      if (value === null || value === undefined) return;
      if (depthOf(value, INPUT_LIMITS.maxDepth) > INPUT_LIMITS.maxDepth) {
        items.unmapped(
          sourceName(where),
          undefined,
          `nested more than ${INPUT_LIMITS.maxDepth} levels deep: not a Kubernetes object of a kind the import reads; skipped.`,
        );
        return;
      }
      out.push({ ...where, value });
    });
  }
  return out;
}
