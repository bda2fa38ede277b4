/**
 * Runtime type checks of props, as a JavaScript, JSON or YAML caller passes them: one declarative
 * zod schema per props interface (next to its concept, one `props.ts` per folder), and this one
 * module that runs a schema and turns zod's issues into the project's problem messages. A message
 * names the prop path (`planes[2].namespaces[0]`), the expected type, the received value (quoted
 * and shortened by {@link quoteValue}, never a nested value, never a credential) and the fix.
 * Values are checked, never converted: `"false"` is not a boolean, `8080` is not a name.
 */
import { z } from 'zod';
import { quoteValue } from './terminal.js';

export { z };

/** The result of {@link parseProps}: the props when they have the declared types, else the fallback, and the problems. */
export interface ParsedProps<T> {
  /** The props as given when they passed, else the fallback (values of the declared types, never thrown on). */
  readonly value: T;
  /** One message per wrong prop; empty when the props passed. */
  readonly problems: readonly string[];
}

/**
 * Checks `props` against `schema`. Never throws, whatever `props` is. On a mismatch the caller
 * gets `fallback` to build from, so that no later code reads a value of the wrong type.
 */
export function parseProps<T>(schema: z.ZodType, props: unknown, fallback: T): ParsedProps<T> {
  let result: ReturnType<z.ZodType['safeParse']>;
  try {
    result = schema.safeParse(props, { reportInput: true, error: () => 'invalid' });
  } catch {
    // A getter or proxy that throws while read: the props cannot be read at all.
    return { value: fallback, problems: [`props cannot be read (a getter or proxy threw): pass a plain object of values.`] };
  }
  if (result.success) return { value: props as T, problems: [] };
  return { value: fallback, problems: unionBranches(result.error.issues).flatMap((i) => issueMessage(i, schema).split('\n')) };
}

/**
 * The issues with a union's mismatch replaced by those of the one branch that matched the value's
 * shape (its issues are all below the union: `crossplane: { providerConfigKind: "x" }` is a wrong
 * `crossplane.providerConfigKind`, not a wrong `crossplane`); a union no branch of which matched
 * the shape stays one issue.
 */
function unionBranches(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union') return [issue];
    const deeper = issue.errors.filter((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
    const only = deeper.length === 1 ? deeper[0] : undefined;
    if (!only) return [issue];
    return unionBranches(only.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  });
}

/** A schema whose mismatch message says `expected` (e.g. `a namespace name or { name, labels }`). */
export function expecting<S extends z.ZodType>(schema: S, expected: string): S {
  return schema.describe(expected);
}

/**
 * An instance of a class, checked when the props are parsed (the class is looked up then, so
 * schemas may name classes of modules that import them).
 */
export function instanceOf<T>(cls: () => { readonly prototype: T }, expected: string): z.ZodType<T> {
  return z
    .custom<T>((v) => v !== null && typeof v === 'object' && Object.prototype.isPrototypeOf.call(cls().prototype, v))
    .describe(expected);
}

/** A schema's expected-type text: its description, else zod's expected type in words. */
function expectedText(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  const own = describedAt(schema, issue.path);
  if (own) return own;
  if (issue.code === 'invalid_type') return TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`;
  if (issue.code === 'invalid_value') return `one of ${issue.values.map((v) => quoteValue(v)).join(', ')}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') return 'a value in range';
  return 'a value of the documented type';
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'a boolean (true or false)',
  array: 'a list',
  object: 'an object',
  record: 'an object of names to values',
  function: 'a function',
};

/** The description of the sub-schema at `path`, through optional and other wrappers. */
function describedAt(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let s = schemaAt(schema, path);
  while (s) {
    if (s.description) return s.description;
    const def = (s as unknown as { def: Record<string, unknown> & { type: string } }).def;
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly' || def.type === 'default')
      s = def.innerType as z.ZodType;
    else if (def.type === 'lazy') s = (def.getter as () => z.ZodType)();
    else return undefined;
  }
  return undefined;
}

/** The sub-schema at `path` (through objects, lists, records, optionals and unions' first object), if found. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const key of path) {
    s = s && child(s, key);
    if (!s) return undefined;
  }
  return s;
}

function child(s: z.ZodType, key: PropertyKey): z.ZodType | undefined {
  const def = (s as unknown as { def: Record<string, unknown> & { type: string } }).def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'default':
      return child(def.innerType as z.ZodType, key);
    case 'lazy':
      return child((def.getter as () => z.ZodType)(), key);
    case 'object':
      return typeof key === 'string' ? (def.shape as Record<string, z.ZodType>)[key] : undefined;
    case 'array':
      return typeof key === 'number' ? (def.element as z.ZodType) : undefined;
    case 'record':
      return def.valueType as z.ZodType;
    case 'union':
      for (const o of def.options as z.ZodType[]) {
        const c = child(o, key);
        if (c) return c;
      }
      return undefined;
    default:
      return undefined;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `planes[2].namespaces[0]`, `labels["a b"]`; `props` for the props object itself. */
export function propPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${quoteValue(String(key), 40)}]`;
  }
  return out === '' ? 'props' : out;
}

/** Path segments whose values are never repeated in a message (they may hold credentials). */
const SENSITIVE = /^(credentials|password|token|secretAccessKey|accessKeyId|clientSecret|privateKey|secretRef)$/i;

/** The received value as a message shows it: a primitive quoted and shortened; a list or object by its shape, never its content. */
export function receivedText(value: unknown, sensitive = false): string {
  if (value === undefined) return 'nothing (undefined)';
  if (value === null) return 'null';
  if (sensitive && typeof value !== 'boolean' && typeof value !== 'number') return `${kindOf(value)} (not repeated here)`;
  if (typeof value === 'string') return `${quoteValue(value)} (a string)`;
  if (typeof value === 'number' && !Number.isFinite(value)) return `${String(value)} (a number)`; // JSON would show null
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${quoteValue(value)} (a ${typeof value})`;
  return kindOf(value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'string') return `a string of ${[...value].length} characters`;
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return `a ${typeof value}`;
  const proto: unknown = Object.getPrototypeOf(value);
  const ctor = proto && proto !== Object.prototype ? (proto as { constructor?: { name?: unknown } }).constructor?.name : undefined;
  if (typeof ctor === 'string' && ctor !== '') return `a ${quoteValue(ctor, 40).slice(1, -1)}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 4).map((k) => quoteValue(k, 40));
  return `an object with key${keys.length === 1 ? '' : 's'} ${shown.join(', ')}${keys.length > 4 ? `, … (${keys.length} keys)` : ''}`;
}

/** The keys of an object schema (through wrappers), sorted; empty when `schema` is not an object schema. */
function knownKeys(schema: z.ZodType | undefined): string[] {
  let s = schema;
  while (s) {
    const def = (s as unknown as { def: Record<string, unknown> & { type: string } }).def;
    if (def.type === 'object') return Object.keys(def.shape as Record<string, unknown>).sort();
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly' || def.type === 'default')
      s = def.innerType as z.ZodType;
    else if (def.type === 'lazy') s = (def.getter as () => z.ZodType)();
    else return [];
  }
  return [];
}

/**
 * The one known key close to `key` (a few edits, or a different letter case), or
 * undefined when none or several are as close: a suggestion only when it is unambiguous.
 */
export function closest(key: string, known: readonly string[]): string | undefined {
  if (key.length > 100) return undefined;
  const lower = key.toLowerCase();
  const cased = known.filter((k) => k.toLowerCase() === lower);
  if (cased.length === 1) return cased[0];
  let best: string[] = [];
  // At most 1 edit in a short key, 2 in a key of 4 characters, 3 in a longer one (`retry` → `retries`).
  let bestDistance = key.length <= 3 ? 1 : key.length === 4 ? 2 : 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = [k];
      bestDistance = d;
    } else if (d === bestDistance) best.push(k);
  }
  return best.length === 1 ? best[0] : undefined;
}

/** Damerau-Levenshtein distance (adjacent transpositions count 1: `namepsaces` is 1 from `namespaces`). */
function editDistance(a: string, b: string): number {
  // Rows i-2, i-1 and i of the table, over b.
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] ?? 0) + 1);
      row.push(v);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** One issue as a problem message: the prop path, what was expected, what was received and the fix. */
function issueMessage(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  const where = propPath(issue.path);
  const expected = expectedText(issue, schema);
  const input: unknown = (issue as { input?: unknown }).input;
  const sensitive = issue.path.some((k) => typeof k === 'string' && SENSITIVE.test(k));
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schemaAt(schema, issue.path));
    const owner = issue.path.length === 0 ? '' : `${where}.`;
    return issue.keys
      .map((k) => {
        const near = closest(k, known);
        const fix = near
          ? `did you mean ${quoteValue(near)}? Rename it`
          : `remove it${known.length > 0 ? `; the props here are ${known.map((x) => quoteValue(x)).join(', ')}` : ''}`;
        return `${owner}${propPath([k])} is not a known prop (props are checked strictly: a misspelt prop would be ignored silently): ${fix}.`;
      })
      .join('\n');
  }
  if (input === undefined) {
    return `${where} is required: expected ${expected}, got nothing (undefined); set it (a mistyped lookup such as envs["prdo"] gives undefined).`;
  }
  if (typeof input === 'string' && expected.startsWith('one of ')) {
    return `${where} ${sensitive ? 'value (not repeated here)' : quoteValue(input)} is not supported: expected ${expected}; use one of those.`;
  }
  return `${where} has the wrong type: expected ${expected}, got ${receivedText(input, sensitive)}; ${fixFor(issue, expected, input)}.`;
}

/** How to fix a value of the wrong type. Values are never converted, so the fix says how to write the right one. */
function fixFor(issue: z.core.$ZodIssue, expected: string, input: unknown): string {
  const wanted = issue.code === 'invalid_type' ? issue.expected : undefined;
  if (input === null) return 'remove the null (or the prop) or give a value';
  if (wanted === 'string' && (typeof input === 'number' || typeof input === 'boolean'))
    return `quote it (e.g. ${quoteValue(String(input))}): values are not converted`;
  if (wanted === 'boolean' && typeof input === 'string')
    return `write true or false without quotes (${quoteValue(input)} is a string, and not converted)`;
  if (wanted === 'array' && typeof input === 'string') return `write a list, e.g. [${quoteValue(input)}]`;
  if (wanted === 'object' && Array.isArray(input)) return 'write an object of names to values, not a list';
  if (wanted === 'array' && typeof input === 'object') return 'write a list of entries, not an object';
  if (wanted === 'number' && typeof input === 'string') return 'write the number without quotes';
  return `give ${expected}`;
}
