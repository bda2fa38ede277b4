/**
 * The props of a public construct or factory, derived from its zod schema (the source of truth for
 * which props exist): every prop path with the JSON kinds it accepts and whether it is required.
 * Used by the JSON-props property (test/fuzz-json-props.test.ts) so that a new prop is fuzzed
 * without anyone listing it.
 *
 * The walk unwraps lazy, optional, nullable, default, readonly and described schemas, recurses
 * into objects (strict or not), the object branches of unions, list elements (`owns[0]`) and
 * record values (`labels.*`: the first key of the valid value).
 */
import type { z } from 'zod';

/** A JSON value's kind (what `kindOf` says a value is). */
export type JsonKind = 'string' | 'number' | 'boolean' | 'map' | 'list' | 'null' | 'undefined';

/** The declared kind of a prop, as a message names it. */
export type Kind = 'string' | 'boolean' | 'number' | 'map' | 'list' | 'instance' | 'enum' | 'any' | 'props';

/** A path below a props object: keys, list indexes, and `*` for the first key of a record. */
export type PropPath = readonly (string | number)[];

/** One prop of a props schema. */
export interface SchemaSite {
  /** Where it is below the props object; [] for the props object itself. */
  readonly path: PropPath;
  /** Its declared kind (a union's kinds joined with `|`). */
  readonly kind: string;
  /** The JSON kinds a value of the declared type has (empty for an instance: JSON never makes one; every kind for `any`). */
  readonly accepts: readonly JsonKind[];
  /** Undefined is a wrong value too. */
  readonly required: boolean;
  /** An object of named props (not a record): a key it does not name is a wrong prop. */
  readonly object: boolean;
}

const ALL: readonly JsonKind[] = ['string', 'number', 'boolean', 'map', 'list', 'null', 'undefined'];

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly getter?: () => z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;

/** The schema below optional, nullable, default, readonly and lazy wrappers, and whether one of them makes undefined valid. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; description?: string } {
  let s = schema;
  let optional = false;
  let description = s.description;
  for (;;) {
    const def = defOf(s);
    if (def.type === 'optional' || def.type === 'default') optional = true;
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly') && def.innerType)
      s = def.innerType;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else return { inner: s, optional, description };
    description ??= s.description;
  }
}

/** The declared kind and accepted JSON kinds of one (unwrapped) schema. */
function kindOf(inner: z.ZodType, description: string | undefined): { kind: string; accepts: JsonKind[] } {
  const def = defOf(inner);
  switch (def.type) {
    case 'string':
      return { kind: 'string', accepts: ['string'] };
    case 'number':
    case 'int':
      return { kind: 'number', accepts: ['number'] };
    case 'boolean':
      return { kind: 'boolean', accepts: ['boolean'] };
    case 'object':
    case 'record':
      return { kind: 'map', accepts: ['map'] };
    case 'array':
      return { kind: 'list', accepts: ['list'] };
    case 'enum':
    case 'literal':
      return { kind: 'enum', accepts: ['string'] };
    case 'unknown':
    case 'any':
      return { kind: 'any', accepts: [...ALL] };
    case 'custom':
      // `oneOf([...])` is a custom string check described "one of ..."; every other custom check is `instanceOf`.
      return (description ?? inner.description ?? '').startsWith('one of ')
        ? { kind: 'enum', accepts: ['string'] }
        : { kind: 'instance', accepts: [] };
    case 'union': {
      const parts = (def.options ?? []).map((o) => kindOf(unwrap(o).inner, unwrap(o).description));
      return { kind: [...new Set(parts.map((p) => p.kind))].join('|'), accepts: [...new Set(parts.flatMap((p) => p.accepts))] };
    }
    default:
      throw new Error(`props-sites: no kind for a zod ${def.type} schema (teach test/support/props-sites.ts)`);
  }
}

/** Every prop of `schema` (the props object itself first, at path []), deduplicated by path. */
export function sitesOf(schema: z.ZodType): SchemaSite[] {
  const out = new Map<string, SchemaSite>();
  const visit = (s: z.ZodType, path: PropPath, requiredHere: boolean): void => {
    const { inner, optional, description } = unwrap(s);
    const { kind, accepts } = kindOf(inner, description);
    const key = JSON.stringify(path);
    const before = out.get(key);
    out.set(
      key,
      before
        ? { ...before, accepts: [...new Set([...before.accepts, ...accepts])], kind: [...new Set([before.kind, kind])].join('|') }
        : {
            path,
            kind: path.length === 0 ? 'props' : kind,
            accepts,
            required: requiredHere && !optional && !accepts.includes('undefined'),
            object: defOf(inner).type === 'object',
          },
    );
    descend(inner, path);
  };
  const descend = (inner: z.ZodType, path: PropPath): void => {
    const def = defOf(inner);
    if (def.type === 'object') for (const [k, v] of Object.entries(def.shape ?? {})) visit(v, [...path, k], true);
    else if (def.type === 'array' && def.element) visit(def.element, [...path, 0], true);
    else if (def.type === 'record' && def.valueType) visit(def.valueType, [...path, '*'], true);
    else if (def.type === 'union')
      for (const o of def.options ?? []) {
        const u = unwrap(o).inner;
        // A union's object (or list) branch: its props are props too (`crossplane.providerConfigKind`).
        if (['object', 'array', 'record'].includes(defOf(u).type)) descend(u, path);
      }
  };
  visit(schema, [], true);
  return [...out.values()];
}

/** `owns[0].prefixes`, `labels.*`; `props` for the props object itself. */
export function pathText(path: PropPath): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out === '' ? 'props' : out;
}

/** The JSON kind of a value. */
export function jsonKind(value: unknown): JsonKind {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value as JsonKind;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * `base` with the value at `path` replaced by `value`: the plain objects and lists along the path
 * are copied (instances are shared, never changed); a missing or non-object step becomes `{}` (or
 * `[]` before an index); `*` is the first key of the record there (`x` when it has none).
 */
export function setAt(base: unknown, path: PropPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const list = Array.isArray(base) ? [...(base as unknown[])] : [];
    while (list.length < head) list.push(undefined);
    list[head] = setAt(list[head], rest, value);
    return list;
  }
  const obj: Record<string, unknown> = isPlainObject(base) ? { ...base } : {};
  const key = head === '*' ? (Object.keys(obj)[0] ?? 'x') : head;
  obj[key] = setAt(obj[key], rest, value);
  return obj;
}
