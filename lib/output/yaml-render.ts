// YAML rendering of the output: the writer thread (write-worker.ts) renders with the same code as
// the main thread. Used through render.ts.
import {
  parse,
  parseAllDocuments,
  stringify,
  type CreateNodeOptions,
  type DocumentOptions,
  type ScalarTag,
  type SchemaOptions,
  type Tags,
  type ToStringOptions,
} from 'yaml';
import { readsAsNonString } from './escape/yaml-scalar.js';

/**
 * Plain scalars that some reader takes for a non-string although the library's YAML 1.1 schema reads
 * a string (`0X1F`, `0o_17`, `08`, `1e3`, `2001-1-2`, `=`): a tag of their own makes the library
 * quote such strings when it writes them. Reading our own output, the tag gives the text back.
 */
const NON_STRING: ScalarTag = {
  tag: 'tag:secrets-topology,2025:non-string',
  default: true,
  // The library calls only `test()` of this "regular expression".
  test: { test: readsAsNonString } as unknown as RegExp,
  resolve: (s: string) => s,
};
// Without the merge tag, the library writes the string `<<` as a string (quoted by NON_STRING) rather than as a merge key.
const customTags = (tags: Tags): Tags => [...tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:merge'), NON_STRING];
const OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  lineWidth: 0,
  aliasDuplicateObjects: false,
  version: '1.1',
  customTags,
};

/**
 * YAML of one document, keys in the order given, no line folding, trailing newline. Strings that a
 * YAML 1.1 parser (go-yaml v2 behind kubectl and sigs.k8s.io/yaml) or a YAML 1.2 parser (go-yaml v3)
 * would read as something else are quoted: `"yes"`, `"on"`, `"n"`, `"0755"`, `"0o17"`, `"0X1F"`,
 * `"true"`, `"2001-1-2"` (see escape/yaml-scalar.ts).
 *
 * The `yaml` library decides every byte; {@link blockYaml} only lays out the block structure of
 * plain data itself (the library builds a node tree per document, most of the rendering time of a
 * large synthesis) and asks the library how each distinct key and scalar is written.
 */
export function toYaml(doc: unknown): string {
  return blockYaml(doc) ?? libraryYaml(doc);
}

/** The `yaml` library's rendering of the whole document, with the options of {@link toYaml}. */
export function libraryYaml(doc: unknown): string {
  return stringify(doc, OPTIONS);
}

/** Reads back what {@link toYaml} wrote (same schema, so the value is the one that was rendered). */
export function fromYaml(text: string): unknown {
  return parse(text, OPTIONS);
}

/** Reads back every document of a multi-document text (documents of {@link toYaml} joined by `---`). */
export function fromYamlDocuments(text: string): unknown[] {
  return parseAllDocuments(text, OPTIONS).map((d) => {
    const error = d.errors[0];
    if (error) throw error;
    return d.toJS() as unknown;
  });
}

/**
 * The library's YAML of `doc`, laid out here: a plain object whose members are plain objects,
 * arrays, strings, finite numbers, booleans and null, written in block style with the library's
 * indentation (`key:` then members two spaces deeper, `- ` items, `{}` and `[]` for empty ones).
 * Returns undefined for anything else (other values, a scalar the library writes on more than one
 * line, such as a block literal) and {@link toYaml} then lets the library render the whole document.
 * A differential property test holds the two to the same bytes.
 */
export function blockYaml(doc: unknown): string | undefined {
  if (!isPlainObject(doc)) return undefined;
  if (Object.keys(doc).length === 0) return '{}\n';
  const out: string[] = [];
  return mapping(doc, '', '', out) ? out.join('') : undefined;
}

/** A plain data object (what JSON.parse makes), members in insertion order. */
type PlainObject = Readonly<Record<string, unknown>>;

function isPlainObject(v: unknown): v is PlainObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Writes the pairs of a non-empty mapping; the first line starts with `first` (after a `- `), the others with `indent`. */
function mapping(obj: PlainObject, first: string, indent: string, out: string[]): boolean {
  let lead = first;
  for (const k in obj) {
    if (!Object.hasOwn(obj, k)) continue;
    const key = keyText(k);
    if (key === undefined) return false;
    out.push(lead, key, ':');
    if (!value(obj[k], indent, out)) return false;
    lead = indent;
  }
  return true;
}

/** Writes the items of a non-empty sequence, `- ` each; the first line starts with `first`. */
function sequence(arr: readonly unknown[], first: string, indent: string, out: string[]): boolean {
  let lead = first;
  for (const item of arr) {
    out.push(lead, '-');
    if (!value(item, indent, out)) return false;
    lead = indent;
  }
  return true;
}

/** Writes a value after `key:` or `-`: a scalar or empty collection on the same line, else the block below. */
function value(v: unknown, indent: string, out: string[]): boolean {
  if (v !== null && typeof v === 'object') {
    const deeper = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return (out.push(' []\n'), true);
      // A sequence under a key starts on the next line, one under `- ` on the same one.
      return out[out.length - 1] === '-'
        ? (out.push(' '), sequence(v, '', deeper, out))
        : (out.push('\n'), sequence(v, deeper, deeper, out));
    }
    if (!isPlainObject(v)) return false;
    if (Object.keys(v).length === 0) return (out.push(' {}\n'), true);
    return out[out.length - 1] === '-' ? (out.push(' '), mapping(v, '', deeper, out)) : (out.push('\n'), mapping(v, deeper, deeper, out));
  }
  const text = scalarText(v);
  if (text === undefined) return false;
  out.push(' ', text, '\n');
  return true;
}

/**
 * Letters first, then letters, digits and `_./-`, 6 or more long: plain in YAML 1.1 and 1.2 (no
 * keyword is that long), except an exponent alone (`E02001`, `e-12345`), which the library's 1.1
 * schema reads as a float and so quotes.
 */
const PLAIN = /^(?![eE]-?[0-9]+$)[A-Za-z][A-Za-z0-9_./-]{5,}$/;
const MEMO_LIMIT = 200_000;
const scalars = new Map<string | number, string | null>();
const keys = new Map<string, string | null>();

/** How the library writes a string, number, boolean or null as a value on one line, or undefined. */
function scalarText(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      if (PLAIN.test(v)) return v;
      break;
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
      break;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      return undefined;
    default:
      return undefined;
  }
  // A string or a number here (the other types returned above).
  return memo(scalars, v, () => (typeof v === 'string' && DOCUMENT_MARKER.test(v) ? null : oneLine(stringify(v, OPTIONS), '')));
}

/** How the library writes a mapping key, or undefined. */
function keyText(k: string): string | undefined {
  return memo(keys, k, () => (DOCUMENT_MARKER.test(k) ? null : oneLine(stringify({ [k]: 0 }, OPTIONS), ': 0')));
}

/** Strings the library writes differently at the start of a line (a document marker there) than after an indent. */
const DOCUMENT_MARKER = /^(---|\.\.\.)/;

/** `text` without `suffix` and the final newline, if that leaves one line that is not a block scalar. */
function oneLine(text: string, suffix: string): string | null {
  const end = text.length - 1 - suffix.length;
  if (end < 1 || !text.endsWith(`${suffix}\n`) || text.indexOf('\n') !== end + suffix.length) return null;
  const line = text.slice(0, end);
  return /^[|>]/.test(line) ? null : line;
}

function memo<K>(cache: Map<K, string | null>, key: K, compute: () => string | null): string | undefined {
  let text = cache.get(key);
  if (text === undefined) {
    text = compute();
    if (cache.size < MEMO_LIMIT) cache.set(key, text);
  }
  return text ?? undefined;
}
