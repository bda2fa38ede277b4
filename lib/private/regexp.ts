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
 * `^looker-api-` gives `looker-api-`; `^db-(a|b)` gives `db-`; `(?s)^db-` gives `db-`; `looker`, `^(a|b)`,
 * `^a|b` and `(?i)^db-` give ''.
 */
export function regexpLiteralPrefix(regexp: string, literal: RegExp): string {
  if (typeof regexp !== 'string') return '';
  // Leading RE2 flag groups: `s` and `U` leave the literal prefix as it is; `i` (case-insensitive)
  // and `m` (`^` at every line) leave none.
  for (let m = /^\(\?([imsU]*)(?:-[imsU]*)?\)/.exec(regexp); m; m = /^\(\?([imsU]*)(?:-[imsU]*)?\)/.exec(regexp)) {
    if (/[im]/.test(m[1] ?? '')) return '';
    regexp = regexp.slice(m[0].length);
  }
  if (!regexp.startsWith('^') || hasTopLevelAlternation(regexp)) return '';
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

/**
 * Whether `name` matches `regexp` (Go RE2, unanchored, as ESO does; see {@link translateRe2}); a pattern it
 * cannot translate matches everything (conservative).
 */
export function regexpMatches(regexp: string | undefined, name: string): boolean {
  if (regexp === undefined) return true;
  const t = translateRe2(regexp);
  if ('error' in t) return true;
  return new RegExp(t.source, t.flags).test(name);
}

/** RE2's largest repeat count (`{n}`, `{n,m}`). */
export const RE2_MAX_REPEAT = 1000;

/** POSIX classes RE2 accepts inside a bracket expression, as JS class contents. */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** The JS form of a Go RE2 pattern: its source and flags, or why RE2 refuses it. */
export type Re2Translation = { readonly source: string; readonly flags: string } | { readonly error: string };

/**
 * Translates a Go RE2 pattern (what ESO evaluates `dataFrom.find.name.regexp` with) into a JS
 * RegExp that matches at least every name it matches, or says why RE2 refuses it. RE2 syntax JS
 * lacks is rewritten: flag groups `(?i)`, `(?s:…)` (their flags apply to the whole pattern, a
 * superset; `U` changes only what a match captures, never whether it matches), named groups
 * `(?P<name>…)` / `(?<name>…)`, `\A` and `\z`, `\Q…\E`, POSIX classes `[[:alpha:]]`, Unicode classes
 * `\pL` / `\p{Greek}` and `\x{…}` (any character: a superset). RE2 refuses what JS would accept:
 * lookahead and lookbehind, backreferences, atomic groups, `\u`, `\c`, `\Z` and repeat counts over
 * 1000.
 */
export function translateRe2(re: string): Re2Translation {
  const flags = new Set<string>();
  let out = '';
  let inClass = false;
  const any = (): string => (inClass ? '\\s\\S' : '[\\s\\S]');
  for (let i = 0; i < re.length;) {
    const c = re[i] ?? '';
    if (c === '\\') {
      const n = re[i + 1];
      if (n === undefined) return { error: 'it ends in a lone "\\"' };
      if (/[1-9]/.test(n) || n === 'k')
        return { error: `"\\${n}" is a backreference, which RE2 does not have (ESO would refuse the pattern)` };
      if (n === 'u' || n === 'c' || n === 'Z' || n === 'G')
        return { error: `"\\${n}" is not an escape RE2 knows (ESO would refuse the pattern)` };
      if (n === 'z' || n === 'A') {
        if (inClass) return { error: `"\\${n}" inside a character class` };
        out += n === 'z' ? '(?![\\s\\S])' : '(?<![\\s\\S])';
        i += 2;
        continue;
      }
      if (n === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        const text = end < 0 ? re.slice(i + 2) : re.slice(i + 2, end);
        out += text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? re.length : end + 2;
        continue;
      }
      if (n === 'p' || n === 'P' || n === 'C' || (n === 'x' && re[i + 2] === '{')) {
        let j = i + 2;
        if (n !== 'C') {
          if (re[j] === '{') {
            const close = re.indexOf('}', j);
            if (close < 0) return { error: `"\\${n}{" is not closed` };
            j = close + 1;
          } else if (n !== 'x') j += 1;
        }
        out += any();
        i = j;
        continue;
      }
      out += `\\${n}`;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && re[i + 1] === ':') {
        const close = re.indexOf(':]', i + 2);
        if (close < 0) {
          out += '\\[';
          i += 1;
          continue;
        }
        const name = re.slice(i + 2, close);
        const negated = name.startsWith('^');
        const body = POSIX_CLASSES[negated ? name.slice(1) : name];
        if (body === undefined) return { error: `"[:${name}:]" is not a POSIX class RE2 knows` };
        out += negated ? any() : body;
        i = close + 2;
        continue;
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      i += 1;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += '[';
      i += 1;
      if (re[i] === '^') {
        out += '^';
        i += 1;
      }
      // RE2 (as POSIX) reads a "]" right after "[" or "[^" as a literal; JS as the end of an empty class.
      if (re[i] === ']') {
        out += '\\]';
        i += 1;
      }
      continue;
    }
    if (c === '(' && re[i + 1] === '?') {
      const rest = re.slice(i + 2);
      const named = /^P?<([A-Za-z0-9_]+)>/.exec(rest);
      if (named) {
        out += '(?:';
        i += 2 + named[0].length;
        continue;
      }
      if (/^(=|!|<=|<!)/.test(rest)) return { error: 'RE2 has no lookahead or lookbehind ("(?=", "(?!", "(?<=", "(?<!")' };
      if (rest.startsWith('>')) return { error: 'RE2 has no atomic groups ("(?>")' };
      if (rest.startsWith('P=') || rest.startsWith('P>')) return { error: 'RE2 has no named backreferences ("(?P=")' };
      const group = /^([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
      if (!group || (group[1] === '' && group[2] === undefined && group[3] === ')'))
        return { error: `"(?${rest.slice(0, 6)}" is not a group RE2 knows (flags are i, m, s and U)` };
      for (const f of group[1] ?? '') if (f !== 'U') flags.add(f);
      out += group[3] === ':' ? '(?:' : '';
      i += 2 + group[0].length;
      continue;
    }
    if (c === '{') {
      const rep = /^\{(\d+)(?:,(\d*))?\}/.exec(re.slice(i));
      if (rep && (Number(rep[1]) > RE2_MAX_REPEAT || (rep[2] !== undefined && rep[2] !== '' && Number(rep[2]) > RE2_MAX_REPEAT)))
        return { error: `the repeat count in "${rep[0]}" is over RE2's limit of ${RE2_MAX_REPEAT}` };
    }
    out += c;
    i += 1;
  }
  const jsFlags = [...flags].sort().join('');
  try {
    new RegExp(out, jsFlags);
  } catch (e) {
    return { error: e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : 'invalid' };
  }
  return { source: out, flags: jsFlags };
}

/** Why a Go RE2 pattern is refused, with the fix; undefined when RE2 accepts it. */
export function re2Problem(re: string): string | undefined {
  const t = translateRe2(re);
  return 'error' in t ? t.error : undefined;
}
