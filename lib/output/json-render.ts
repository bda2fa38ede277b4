// The JSON layout of the report files: the writer thread (write-worker.ts) formats with the same
// code as the main thread. Used through report.ts.

/** Line width of `report.json`: values that fit are printed on one line. */
export const REPORT_JSON_WIDTH = 320;

/** An object of the value (members that are undefined are left out). */
type JsonObject = Readonly<Record<string, unknown>>;

/**
 * JSON with sorted keys, two-space indent and every value that fits in `width` columns on one line
 * (so each access cell, store or grant is one line: small and diff-friendly). Deterministic.
 */
export function formatJson(value: unknown, width: number = REPORT_JSON_WIDTH): string {
  const chunks: string[] = [];
  formatJsonChunks(value, (chunk) => chunks.push(chunk), width);
  return chunks.join('');
}

/** Text of at least this many characters is handed on (a per-Space report runs to megabytes). */
const CHUNK = 1 << 16;

/**
 * {@link formatJson}, handing the text on in pieces of about 64 KiB as it is made, so that a large
 * file is written without its whole text (or a list of its pieces) in memory.
 */
export function formatJsonChunks(value: unknown, emit: (chunk: string) => void, width: number = REPORT_JSON_WIDTH): void {
  // Whether a value fits on one line is decided by counting (no text is built for values that do
  // not fit); each one-line value is built as one string.
  let out = '';
  const print = (v: unknown, indent: string, prefix: number): void => {
    if (v === null || typeof v !== 'object' || flatLength(v, width - indent.length - prefix) >= 0) {
      out += flat(v);
      return;
    }
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) {
        out += '[]';
        return;
      }
      out += '[\n';
      for (let i = 0; i < v.length; i++) {
        out += i === 0 ? inner : `,\n${inner}`;
        print(v[i], inner, 0);
        if (out.length >= CHUNK) {
          emit(out);
          out = '';
        }
      }
      out += `\n${indent}]`;
      return;
    }
    out += '{\n';
    const keys = keysOf(v as JsonObject);
    for (let i = 0; i < keys.length; i++) {
      const key = keyText(keys[i]);
      out += `${i === 0 ? '' : ',\n'}${inner}${key}`;
      print((v as JsonObject)[keys[i]], inner, key.length);
    }
    out += `\n${indent}}`;
  };
  print(value, '', 0);
  emit(`${out}\n`);
}

/** Strings JSON writes as they are, between quotes. */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const KEYS = new Map<string, string>();

/** `"key": ` (keys repeat in every object of a kind). */
function keyText(k: string): string {
  let text = KEYS.get(k);
  if (text === undefined) {
    text = `${scalar(k)}: `;
    if (KEYS.size < 10_000) KEYS.set(k, text);
  }
  return text;
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return PLAIN.test(v) ? `"${v}"` : JSON.stringify(v);
  return JSON.stringify(v) ?? 'null';
}

/** Keys of an object whose value is not undefined, sorted. */
function keysOf(v: JsonObject): string[] {
  const keys: string[] = [];
  for (const k in v) if (Object.hasOwn(v, k) && v[k] !== undefined) keys.push(k);
  return keys.sort();
}

/** The length of the one-line form of `v` (`{ "a": 1, "b": [1, 2] }`), or -1 when it exceeds `max`. */
function flatLength(v: unknown, max: number): number {
  let n: number;
  if (v === null || typeof v !== 'object') n = typeof v === 'string' && PLAIN.test(v) ? v.length + 2 : scalar(v).length;
  else if (Array.isArray(v)) {
    n = 2;
    for (let i = 0; i < v.length; i++) {
      if (i > 0) n += 2;
      const x = flatLength(v[i], max - n);
      if (x < 0) return -1;
      n += x;
    }
  } else {
    n = 2; // `{}`; each pair adds its `"key": `, and `, ` or the spaces inside `{ ` and ` }`
    const o = v as JsonObject;
    for (const k in o) {
      if (!Object.hasOwn(o, k) || o[k] === undefined) continue;
      n += keyText(k).length + 2;
      if (n > max) return -1;
      const x = flatLength(o[k], max - n);
      if (x < 0) return -1;
      n += x;
    }
  }
  return n <= max ? n : -1;
}

/** The one-line form of `v`. */
function flat(v: unknown): string {
  if (v === null || typeof v !== 'object') return scalar(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i === 0 ? '' : ', ') + flat(v[i]);
    return `${s}]`;
  }
  const o = v as JsonObject;
  const keys = keysOf(o);
  if (keys.length === 0) return '{}';
  let s = '{ ';
  for (const [i, k] of keys.entries()) s += (i === 0 ? '' : ', ') + keyText(k) + flat(o[k]);
  return `${s} }`;
}
