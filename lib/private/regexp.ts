/**
 * What a regular expression says about the names it matches, for scoping: the literal text every
 * match starts with. ESO matches `dataFrom.find.name.regexp` unanchored (Go RE2), so only a leading
 * `^` fixes a prefix.
 */

/**
 * The literal text every name matched by `regexp` starts with ('' when there is none: not anchored
 * with `^`, a top-level `|`, a class, group or `.` first). A character followed by `?`, `*` or `{`
 * is optional and ends the prefix before it; one followed by `+` ends it after it. `literal` says
 * which characters can be literal name characters (escaped punctuation among them counts too).
 *
 * `^looker-api-` gives `looker-api-`; `^db-(a|b)` gives `db-`; `looker`, `^(a|b)` and `^a|b` give ''.
 */
export function regexpLiteralPrefix(regexp: string, literal: RegExp): string {
  if (typeof regexp !== 'string' || !regexp.startsWith('^') || hasTopLevelAlternation(regexp)) return '';
  let out = '';
  let i = 1;
  while (i < regexp.length) {
    let lit: string | undefined;
    let len = 1;
    const c = regexp[i] ?? '';
    if (c === '\\') {
      const n = regexp[i + 1] ?? '';
      if (literal.test(n) && !/[A-Za-z0-9]/.test(n)) {
        lit = n;
        len = 2;
      }
    } else if (literal.test(c) && !/[.^$|?*+()[\]{}\\]/.test(c)) {
      lit = c;
    }
    if (lit === undefined) break;
    const next = regexp[i + len];
    if (next === '?' || next === '*' || next === '{') break;
    out += lit;
    i += len;
    if (next === '+') break;
  }
  return out;
}

/** True when `re` has a `|` outside every group and character class. */
export function hasTopLevelAlternation(re: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/** Whether `name` matches `regexp` (unanchored, as ESO does); an invalid pattern matches everything (conservative). */
export function regexpMatches(regexp: string | undefined, name: string): boolean {
  if (regexp === undefined) return true;
  try {
    return new RegExp(regexp).test(name);
  } catch {
    return true;
  }
}
