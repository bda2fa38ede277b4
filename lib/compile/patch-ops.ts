/**
 * JSON Patch (RFC 6902) over JSON Pointers (RFC 6901), applied to plain JSON data: the operations
 * of cdk8s's `JsonPatch` (`add`, `remove`, `replace`, `move`, `copy`, `test`). Written here rather
 * than taken from cdk8s's `JsonPatch.apply` so that every failure is a sentence (not a stack
 * trace), and so that a key such as `__proto__` is an ordinary key: values are read and written as
 * own properties only.
 */
import { quoteValue } from '../private/terminal.js';

/** The operations of RFC 6902. */
export const PATCH_OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
/** One RFC 6902 operation name. */
export type PatchOp = (typeof PATCH_OPS)[number];

/** One operation, checked: its pointers parsed, its value JSON data. */
export interface PatchOperation {
  readonly op: PatchOp;
  /** The target location, as given. */
  readonly path: string;
  /** The target location's reference tokens (unescaped). */
  readonly tokens: readonly string[];
  /** The source location of `move` and `copy`, as given. */
  readonly from?: string;
  /** The source location's reference tokens (unescaped). */
  readonly fromTokens?: readonly string[];
  /** The value of `add`, `replace` and `test`. */
  readonly value?: unknown;
}

/** JSON data: what a manifest is made of. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Json[] | { [key: string]: Json };

const MAX_DEPTH = 64;

/**
 * The reference tokens of a JSON Pointer (`""` is the whole document; otherwise `/`-separated
 * tokens with `~1` for `/` and `~0` for `~`), or a sentence saying why it is not one.
 */
export function parsePointer(pointer: unknown): string[] | string {
  if (typeof pointer !== 'string') return 'is not a string (a JSON Pointer such as "/metadata/annotations/team")';
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return `does not start with "/" (a JSON Pointer such as "/metadata/annotations/team")`;
  const tokens = pointer.slice(1).split('/');
  for (const t of tokens) {
    if (/~(?![01])/.test(t)) return `has "~" not followed by 0 or 1 (write "~0" for "~" and "~1" for "/" in a key)`;
  }
  return tokens.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Whether `value` is JSON data (no undefined, functions, non-finite numbers, class instances or cycles). */
export function isJsonData(value: unknown, depth = 0, seen: Set<object> = new Set()): boolean {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > MAX_DEPTH || seen.has(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  seen.add(value);
  const ok = Array.isArray(value)
    ? value.every((v) => isJsonData(v, depth + 1, seen))
    : Object.keys(value).every((k) => isJsonData((value as Record<string, unknown>)[k], depth + 1, seen));
  seen.delete(value);
  return ok;
}

/**
 * Reads one operation as cdk8s's `JsonPatch` holds it (`{ op, path, from?, value? }`), or a
 * sentence saying what is wrong with it.
 */
export function parseOperation(raw: unknown): PatchOperation | string {
  if (typeof raw !== 'object' || raw === null) return 'is not an operation object';
  const o = raw as Record<string, unknown>;
  const op = o.op;
  if (typeof op !== 'string' || !(PATCH_OPS as readonly string[]).includes(op))
    return `has op ${quoteValue(op)}, not one of ${PATCH_OPS.map((x) => `"${x}"`).join(', ')}`;
  const tokens = parsePointer(o.path);
  if (typeof tokens === 'string') return `has a path that ${tokens}`;
  const base = { op: op as PatchOp, path: o.path as string, tokens };
  if (op === 'move' || op === 'copy') {
    const fromTokens = parsePointer(o.from);
    if (typeof fromTokens === 'string') return `has a from that ${fromTokens}`;
    return { ...base, from: o.from as string, fromTokens };
  }
  if (op === 'remove') return base;
  if (!Object.hasOwn(o, 'value') || !isJsonData(o.value))
    return 'has a value that is not JSON data (strings, numbers, booleans, null, arrays and plain objects)';
  return { ...base, value: o.value };
}

/** Deep copy of JSON data. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Structural equality of JSON data (object keys in any order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && jsonEqual(ra[k], rb[k]));
}

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/** The array index a token names in an array of `length` (`-` is `length` when `append`), else undefined. */
function arrayIndex(token: string, length: number, append: boolean): number | undefined {
  if (token === '-') return append ? length : undefined;
  if (!/^(0|[1-9][0-9]{0,8})$/.test(token)) return undefined;
  const i = Number(token);
  return i < length || (append && i === length) ? i : undefined;
}

/** The value at `tokens` in `doc` (own properties only), or `undefined` when there is none. */
function get(doc: Json, tokens: readonly string[]): { value: Json } | undefined {
  let cur: Json = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length, false);
      if (i === undefined) return undefined;
      cur = cur[i];
    } else if (isContainer(cur) && Object.hasOwn(cur, t)) {
      cur = cur[t];
    } else return undefined;
  }
  return { value: cur };
}

/** Sets an own property (also `__proto__`, which plain assignment would take for the prototype). */
function setOwn(obj: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Describes where a pointer stops existing, for messages. */
function missing(tokens: readonly string[]): string {
  return tokens.length === 0 ? 'the object' : `${pointerOf(tokens)} does not exist`;
}

/** The JSON Pointer of `tokens` (escaped). */
export function pointerOf(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function add(doc: Json, tokens: readonly string[], value: Json): string | undefined {
  if (tokens.length === 0) return 'the whole object cannot be replaced';
  const parent = get(doc, tokens.slice(0, -1));
  const key = tokens[tokens.length - 1];
  if (!parent || !isContainer(parent.value)) return `its parent ${pointerOf(tokens.slice(0, -1)) || '(the object)'} does not exist`;
  const p = parent.value;
  if (Array.isArray(p)) {
    const i = arrayIndex(key, p.length, true);
    if (i === undefined)
      return `${quoteValue(key)} is not an index of the array at ${pointerOf(tokens.slice(0, -1))} (0 to ${p.length}, or "-")`;
    p.splice(i, 0, value);
  } else setOwn(p, key, value);
  return undefined;
}

function remove(doc: Json, tokens: readonly string[]): string | undefined {
  if (tokens.length === 0) return 'the whole object cannot be removed';
  const parent = get(doc, tokens.slice(0, -1));
  const key = tokens[tokens.length - 1];
  if (!parent || !isContainer(parent.value) || !get(doc, tokens)) return missing(tokens);
  const p = parent.value;
  if (Array.isArray(p)) p.splice(arrayIndex(key, p.length, false) ?? p.length, 1);
  else Reflect.deleteProperty(p, key);
  return undefined;
}

/**
 * Applies one operation to `doc` (in place; give it a copy). Returns a sentence saying why it
 * failed, or `undefined`. A failed operation may leave `doc` changed: drop it.
 */
export function applyOperation(doc: Json, op: PatchOperation): string | undefined {
  switch (op.op) {
    case 'add':
      return add(doc, op.tokens, cloneJson(op.value as Json));
    case 'remove':
      return remove(doc, op.tokens);
    case 'replace': {
      if (!get(doc, op.tokens)) return missing(op.tokens);
      return remove(doc, op.tokens) ?? add(doc, op.tokens, cloneJson(op.value as Json));
    }
    case 'test': {
      const at = get(doc, op.tokens);
      if (!at) return missing(op.tokens);
      return jsonEqual(at.value, op.value) ? undefined : `the value at ${pointerOf(op.tokens) || '(the object)'} is not the one tested`;
    }
    case 'copy': {
      const from = op.fromTokens ?? [];
      const at = get(doc, from);
      if (!at) return missing(from);
      return add(doc, op.tokens, cloneJson(at.value));
    }
    case 'move': {
      const from = op.fromTokens ?? [];
      const at = get(doc, from);
      if (!at) return missing(from);
      if (op.tokens.length > from.length && from.every((t, i) => op.tokens[i] === t))
        return `${op.path} is inside ${op.from ?? ''}: a value cannot be moved into itself`;
      return remove(doc, from) ?? add(doc, op.tokens, at.value);
    }
  }
}
