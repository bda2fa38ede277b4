// The JSON layout of the report files, in plain JavaScript so that the writer thread
// (write-worker.mjs), which runs without a TypeScript loader, formats with the same code as the
// main thread. Typed by json-render.d.mts; used through report.ts.

/** Line width of `report.json`: values that fit are printed on one line. */
export const REPORT_JSON_WIDTH = 320;

/**
 * JSON with sorted keys, two-space indent and every value that fits in `width` columns on one line
 * (so each access cell, store or grant is one line: small and diff-friendly). Deterministic.
 */
export function formatJson(value, width = REPORT_JSON_WIDTH) {
  // Memory matters here (the per-Space files hold the access matrix): keys are sorted once per
  // object (no sorted copy of the value), whether a value fits on one line is decided by counting
  // (no text is built for values that do not fit), and the text goes into one list of pieces
  // joined once.
  const sortedKeys = new Map();
  const keysOf = (v) => {
    let keys = sortedKeys.get(v);
    if (!keys) {
      keys = Object.keys(v)
        .filter((k) => v[k] !== undefined)
        .sort();
      sortedKeys.set(v, keys);
    }
    return keys;
  };
  const scalar = (v) => JSON.stringify(v) ?? 'null';
  const plain = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
  const scalarLength = (v) => (typeof v === 'string' && plain.test(v) ? v.length + 2 : scalar(v).length);
  // The length of the one-line form of `v` (`{ "a": 1, "b": [1, 2] }`), or -1 when it exceeds `max`.
  const flatLength = (v, max) => {
    let n;
    if (v === null || typeof v !== 'object') n = scalarLength(v);
    else if (Array.isArray(v)) {
      n = 2;
      for (let i = 0; i < v.length && n <= max; i++) {
        const x = flatLength(v[i], max - n - (i === 0 ? 0 : 2));
        if (x < 0) return -1;
        n += x + (i === 0 ? 0 : 2);
      }
    } else {
      n = 2; // `{` and `}`
      for (const k of keysOf(v)) {
        const x = v[k];
        n += scalarLength(k) + 4; // `"k": ` and the space or `, ` before it
        if (n > max) return -1;
        const len = flatLength(x, max - n);
        if (len < 0) return -1;
        n += len;
      }
    }
    return n <= max ? n : -1;
  };
  const pieces = [];
  const flat = (v) => {
    if (v === null || typeof v !== 'object') pieces.push(scalar(v));
    else if (Array.isArray(v)) {
      pieces.push('[');
      v.forEach((x, i) => {
        if (i > 0) pieces.push(', ');
        flat(x);
      });
      pieces.push(']');
    } else {
      const keys = keysOf(v);
      if (keys.length === 0) {
        pieces.push('{}');
        return;
      }
      keys.forEach((k, i) => {
        pieces.push(`${i === 0 ? '{ ' : ', '}${scalar(k)}: `);
        flat(v[k]);
      });
      pieces.push(' }');
    }
  };
  const print = (v, indent, prefix) => {
    if (v === null || typeof v !== 'object' || flatLength(v, width - indent.length - prefix) >= 0) {
      flat(v);
      return;
    }
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) {
        pieces.push('[]');
        return;
      }
      pieces.push('[\n');
      v.forEach((x, i) => {
        pieces.push(i === 0 ? inner : `,\n${inner}`);
        print(x, inner, 0);
      });
      pieces.push(`\n${indent}]`);
      return;
    }
    pieces.push('{\n');
    let first = true;
    for (const k of keysOf(v)) {
      const x = v[k];
      const key = scalar(k);
      pieces.push(`${first ? '' : ',\n'}${inner}${key}: `);
      first = false;
      print(x, inner, key.length + 2);
    }
    pieces.push(`\n${indent}}`);
  };
  print(value, '', 0);
  pieces.push('\n');
  return pieces.join('');
}

