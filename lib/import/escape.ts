/**
 * Escaping for the two sinks of the importer: text shown to people (the command's report on a
 * terminal and the comments of the generated TypeScript), and TypeScript source (string literals
 * and identifiers). Everything read from YAML is hostile until it went through one of these.
 */

/** Longest text shown from the input (names, values) before it is shortened. */
export const DISPLAY_MAX = 80;

/**
 * Printable ASCII only: every other code unit (control characters, line and paragraph separators,
 * bidi controls, non-ASCII letters) as `\uXXXX`, and a backslash as `\\`, so the text can neither
 * end a `//` comment, nor move the terminal's cursor, nor look like something else. Longer text
 * is cut to `max` characters and marked with `…(N chars)`.
 */
export function displayText(text: string, max = DISPLAY_MAX): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  let out = '';
  for (let i = 0; i < cut.length; i++) {
    const c = cut.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += cut[i];
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return text.length > max ? `${out}...(${text.length} chars)` : out;
}

/** `"text"`, shortened and escaped by {@link displayText}. */
export function displayQuoted(text: string, max = DISPLAY_MAX): string {
  return `"${displayText(text, max).replace(/"/g, '\\"')}"`;
}

/**
 * A TypeScript single-quoted string literal with the exact value of `text`: printable ASCII is
 * written as is (except `'` and `\`), every other UTF-16 code unit as `\uXXXX` (lone surrogates
 * included), so no input can end the literal, start a new line or hide code behind bidi controls.
 */
export function tsString(text: string): string {
  let out = "'";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x27) out += "\\'";
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += text[i];
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}'`;
}

/** Words TypeScript does not accept as a variable name (reserved, strict-mode and contextual ones that would confuse). */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private ' +
    'protected public static yield any boolean constructor declare get module require number set string symbol type from of await async ' +
    'undefined NaN Infinity arguments eval globalThis process'
  ).split(' '),
);

/** True when `name` is a plain ASCII identifier that may be declared with `const`. */
export function isSafeIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name);
}

/**
 * A camelCase identifier for a Kubernetes-style name (`eu-prod-1` → `euProd1`): ASCII letters and
 * digits only, never starting with a digit, never a reserved word; `fallback` when nothing is left.
 */
export function identifierFor(name: string, fallback: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  let id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (id === '') id = fallback;
  if (/^[0-9]/.test(id)) id = `${fallback}${id.charAt(0).toUpperCase()}${id.slice(1)}`;
  if (id.length > 40) id = id.slice(0, 40);
  return isSafeIdentifier(id) ? id : `${id}_`;
}

/** Hands out identifiers that are unique within one generated file. */
export class IdentifierScope {
  private readonly taken = new Set<string>();

  /** @param reserved names already used by the file (imports, parameters) */
  public constructor(reserved: Iterable<string>) {
    for (const r of reserved) this.taken.add(r);
  }

  /** A fresh identifier for `name`: `base`, else `base` + kind word, else numbered. */
  public claim(name: string, kindWord: string): string {
    const base = identifierFor(name, kindWord);
    const candidates = [base, `${base}${kindWord.charAt(0).toUpperCase()}${kindWord.slice(1)}`];
    for (let i = 2; ; i++) {
      const id = candidates.shift() ?? `${base}${i}`;
      if (!this.taken.has(id) && isSafeIdentifier(id)) {
        this.taken.add(id);
        return id;
      }
    }
  }
}
