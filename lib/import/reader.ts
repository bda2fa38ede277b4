/**
 * Typed, tracked reading of one YAML object: every field the import reads is marked, so that
 * whatever it did not read can be listed as unmapped, with the reason from {@link unmappedReason}.
 * Values of the wrong type are never passed on; they are listed instead. Values are not copied
 * into messages (a field may hold a secret): only their shape is described.
 */

/** A field the import did not map, with a description of its value's shape. */
export interface UnreadField {
  readonly path: string;
  readonly shape: string;
}

/** A field whose value has the wrong type. */
export interface BadField {
  readonly path: string;
  readonly expected: string;
  readonly shape: string;
}

/** A plain object: not null, not a list, not an instance of a class (a Buffer, a Date from YAML tags). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** What a value is, without its content: `a string of 12 characters`, `an object with keys a, b`. */
export function shapeOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (isRecord(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 6).join(', ');
    return `an object with key${keys.length === 1 ? '' : 's'} ${shown}${keys.length > 6 ? `, ... (${keys.length} keys)` : ''}`;
  }
  return `a value of type ${typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v}`;
}

/** `a.b`, `a[0]`. */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** Reads one object's fields, remembering which were read. */
export class Reader {
  private readonly read = new Set<string>();
  private readonly nested: Reader[] = [];
  private readonly bad: BadField[] = [];

  /** A reader over `value` if it is an object, else undefined. */
  public static of(value: unknown, path: string): Reader | undefined {
    return isRecord(value) ? new Reader(value, path) : undefined;
  }

  private constructor(
    /** The object. */
    public readonly value: Readonly<Record<string, unknown>>,
    /** Its path in the document, e.g. `spec.provider`. */
    public readonly path: string,
  ) {}

  /** Whether the field is present (and not null). */
  public has(key: string): boolean {
    return Object.hasOwn(this.value, key) && this.value[key] !== null && this.value[key] !== undefined;
  }

  /** Marks fields as read without using them (server-set fields, defaults). */
  public skip(...keys: string[]): void {
    for (const k of keys) this.read.add(k);
  }

  /** The raw value of a field, marked as read. */
  public raw(key: string): unknown {
    this.read.add(key);
    return Object.hasOwn(this.value, key) ? this.value[key] : undefined;
  }

  private typed<T>(key: string, expected: string, test: (v: unknown) => v is T): T | undefined {
    if (!this.has(key)) {
      this.read.add(key);
      return undefined;
    }
    const v = this.raw(key);
    if (test(v)) return v;
    this.bad.push({ path: fieldPath(this.path, key), expected, shape: shapeOf(v) });
    return undefined;
  }

  /** A string field. */
  public string(key: string): string | undefined {
    return this.typed(key, 'a string', (v): v is string => typeof v === 'string');
  }

  /** A string field that must be one of `values`. */
  public oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    return this.typed(
      key,
      `one of ${values.join(', ')}`,
      (v): v is T => typeof v === 'string' && (values as readonly string[]).includes(v),
    );
  }

  /** A whole-number field. */
  public integer(key: string): number | undefined {
    return this.typed(key, 'a whole number', (v): v is number => typeof v === 'number' && Number.isSafeInteger(v));
  }

  /** A boolean field. */
  public boolean(key: string): boolean | undefined {
    return this.typed(key, 'true or false', (v): v is boolean => typeof v === 'boolean');
  }

  /** A map of strings to strings (labels, annotations, template data). */
  public stringMap(key: string): Record<string, string> | undefined {
    const m = this.typed(key, 'a map of strings', isRecord);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else this.bad.push({ path: fieldPath(fieldPath(this.path, key), k), expected: 'a string', shape: shapeOf(v) });
    }
    return out;
  }

  /** A list of strings. */
  public stringList(key: string): string[] | undefined {
    const l = this.typed(key, 'a list', (v): v is unknown[] => Array.isArray(v));
    if (!l) return undefined;
    const out: string[] = [];
    l.forEach((v, i) => {
      if (typeof v === 'string') out.push(v);
      else this.bad.push({ path: fieldPath(fieldPath(this.path, key), i), expected: 'a string', shape: shapeOf(v) });
    });
    return out;
  }

  /** A nested object, read with its own tracked reader. */
  public object(key: string): Reader | undefined {
    const v = this.typed(key, 'an object', isRecord);
    if (!v) return undefined;
    const r = new Reader(v, fieldPath(this.path, key));
    this.nested.push(r);
    return r;
  }

  /** A list of objects, each read with its own tracked reader (other items are listed as bad). */
  public objects(key: string): Reader[] | undefined {
    const l = this.typed(key, 'a list', (v): v is unknown[] => Array.isArray(v));
    if (!l) return undefined;
    const out: Reader[] = [];
    l.forEach((v, i) => {
      const p = fieldPath(fieldPath(this.path, key), i);
      if (isRecord(v)) {
        const r = new Reader(v, p);
        this.nested.push(r);
        out.push(r);
      } else this.bad.push({ path: p, expected: 'an object', shape: shapeOf(v) });
    });
    return out;
  }

  /** Fields present but never read, here and in every nested reader. */
  public unread(): UnreadField[] {
    const out: UnreadField[] = [];
    for (const [k, v] of Object.entries(this.value)) {
      if (!this.read.has(k) && v !== null && v !== undefined) out.push({ path: fieldPath(this.path, k), shape: shapeOf(v) });
    }
    for (const n of this.nested) out.push(...n.unread());
    return out;
  }

  /** Fields of the wrong type, here and in every nested reader. */
  public badFields(): BadField[] {
    return [...this.bad, ...this.nested.flatMap((n) => n.badFields())];
  }
}
