/**
 * Kubernetes and Go value rules used to validate a secrets topology before anything is written.
 *
 * Every `check*` function returns `undefined` when the value is valid, and otherwise one sentence
 * that quotes the received value (with `JSON.stringify`), says what was expected and how to fix
 * it, with a suggested replacement `(e.g. "…")` when a simple, itself valid, fix exists.
 * The functions are pure and never throw, also when handed a non-string at run time (for example
 * a number read from YAML).
 */

import { UUID as UUID_RE } from '../private/cloud-ids.js';
import { quoteValue } from '../private/terminal.js';
import { DNS_LABEL_MAX, DNS_SUBDOMAIN_MAX, LABEL_NAME_MAX, isDnsLabel, isDnsSubdomain, isLabelName } from '../private/k8s-names.js';

const SECRET_KEY_MAX = 253;
const SECRET_KEY_RE = /^[-._a-zA-Z0-9]+$/;

const DNS_LABEL_RULE = "lowercase letters, digits and '-', starting and ending with a letter or digit";
const DNS_SUBDOMAIN_RULE =
  "use at most 253 characters of lowercase letters, digits, '-' and '.', where each dot-separated part has 1 to 63 characters and starts and ends with a letter or digit";
const LABEL_NAME_RULE = "letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

// ---------------------------------------------------------------------------------------------
// Helpers

/** A value as messages quote it: the one quoting and shortening helper of the terminal sink ({@link quoteValue}). */
export function quote(value: unknown): string {
  return quoteValue(value);
}

/** ` (e.g. "fix")` when `fix` differs from `value` and passes `valid`, else empty. */
function eg(fix: string | undefined, value: string, valid: (s: string) => boolean): string {
  return fix !== undefined && fix !== value && valid(fix) ? ` (e.g. ${quote(fix)})` : '';
}

/** Remove leading and trailing characters that do not match `edge` (a one-character class). */
function trimEdges(s: string, edge: RegExp): string {
  let start = 0;
  let end = s.length;
  while (start < end && !edge.test(s[start])) start++;
  while (end > start && !edge.test(s[end - 1])) end--;
  return s.slice(start, end);
}

/** Truncate to `max` characters, then trim again so the result still ends with a valid edge. */
function truncate(s: string, max: number, edge: RegExp): string {
  return s.length > max ? trimEdges(s.slice(0, max), edge) : s;
}

const ALNUM_LOWER = /[a-z0-9]/;
const ALNUM = /[A-Za-z0-9]/;

function isLabelKey(s: string): boolean {
  return labelKeyProblem(s, '') === undefined;
}

function isLabelValue(s: string): boolean {
  return s === '' || isLabelName(s);
}

/** Lowercase, turn invalid characters into '-', trim invalid edges, truncate to 63. */
function suggestDnsLabel(value: string): string {
  const s = value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return truncate(trimEdges(s, ALNUM_LOWER), DNS_LABEL_MAX, ALNUM_LOWER);
}

/** Apply {@link suggestDnsLabel} to each dot-separated part, dropping empty parts. */
function suggestDnsSubdomain(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .split('.')
    .map(suggestDnsLabel)
    .filter((part) => part !== '')
    .join('.');
}

/** Turn characters outside the label-name alphabet into '-', trim invalid edges, truncate to 63. */
function suggestLabelName(value: string): string {
  const s = value.trim().replace(/[^-A-Za-z0-9_.]+/g, '-');
  return truncate(trimEdges(s, ALNUM), LABEL_NAME_MAX, ALNUM);
}

function notAString(value: unknown, what: string, expected: string): string {
  return `${quote(value)} is not a valid ${what}: expected a string of ${expected}.`;
}

// ---------------------------------------------------------------------------------------------
// DNS names

/**
 * Checks an RFC 1123 DNS label, as required for namespace and most Kubernetes object names:
 * 1 to 63 characters, `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`.
 *
 * @param value the name to check
 * @param what a noun for the message, e.g. `"namespace name"`
 * @returns `undefined` when valid, otherwise one sentence quoting the value and suggesting a fix
 */
export function checkDnsLabel(value: string, what: string): string | undefined {
  if (typeof value !== 'string') return notAString(value, what, `at most ${DNS_LABEL_MAX} ${DNS_LABEL_RULE}`);
  if (isDnsLabel(value)) return undefined;
  const q = quote(value);
  if (value === '') return `"" is not a valid ${what}: it is empty; use 1 to ${DNS_LABEL_MAX} ${DNS_LABEL_RULE}.`;
  const reason = value.length > DNS_LABEL_MAX ? `it has ${value.length} characters; ` : '';
  return `${q} is not a valid ${what}: ${reason}use at most ${DNS_LABEL_MAX} ${DNS_LABEL_RULE}${eg(suggestDnsLabel(value), value, isDnsLabel)}.`;
}

/**
 * Checks an RFC 1123 DNS subdomain, as required for Secret and ConfigMap names and label-key
 * prefixes: at most 253 characters, dot-separated parts that are each a valid DNS label
 * (1 to 63 characters). The per-part length limit is RFC 1123's; it is stricter than the Kubernetes
 * API server, which only limits the total length.
 *
 * @param value the name to check
 * @param what a noun for the message, e.g. `"Secret name"`
 */
export function checkDnsSubdomain(value: string, what: string): string | undefined {
  if (typeof value !== 'string') return notAString(value, what, `at most ${DNS_SUBDOMAIN_MAX} lowercase letters, digits, '-' and '.'`);
  if (isDnsSubdomain(value)) return undefined;
  const q = quote(value);
  if (value === '') return `"" is not a valid ${what}: it is empty; ${DNS_SUBDOMAIN_RULE}.`;
  return `${q} is not a valid ${what}: ${subdomainReason(value)}${DNS_SUBDOMAIN_RULE}${eg(suggestDnsSubdomain(value), value, isDnsSubdomain)}.`;
}

/** The most specific reason a non-empty value is not a DNS subdomain, with a trailing "; ". */
function subdomainReason(value: string): string {
  if (value.length > DNS_SUBDOMAIN_MAX) return `it has ${value.length} characters; `;
  const parts = value.split('.');
  if (parts.some((p) => p === '')) return 'it has an empty part (a leading, trailing or doubled dot); ';
  const long = parts.find((p) => p.length > DNS_LABEL_MAX);
  if (long !== undefined) return `its part ${quote(long)} has ${long.length} characters; `;
  return '';
}

// ---------------------------------------------------------------------------------------------
// Labels

/**
 * Checks a Kubernetes label key: an optional prefix (a DNS subdomain of at most 253 characters)
 * and `/`, then a name of 1 to 63 characters matching `^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`.
 */
export function checkLabelKey(key: string): string | undefined {
  return labelKeyProblem(key, '');
}

/**
 * Checks a Kubernetes label value: empty, or 1 to 63 characters matching
 * `^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`.
 */
export function checkLabelValue(value: string): string | undefined {
  return labelValueProblem(value, '');
}

/**
 * Checks every key and value of a label map and returns all problems (empty when valid).
 *
 * @param labels the labels to check
 * @param what where the labels are, for the messages, e.g. `"environment labels"`
 */
export function checkLabels(labels: Record<string, string>, what: string): string[] {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    return [
      `${quote(labels)} is not a valid set of ${what}: expected a map of label keys to string values (e.g. { "environment": "prod" }).`,
    ];
  }
  const out: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const k = labelKeyProblem(key, ` in ${what}`);
    if (k !== undefined) out.push(k);
    const v = labelValueProblem(value, ` for key ${quote(key)} in ${what}`);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** `where` is appended to the noun, e.g. `" in environment labels"`. */
function labelKeyProblem(key: unknown, where: string): string | undefined {
  const noun = `label key${where}`;
  const rule = `use a name of at most ${LABEL_NAME_MAX} ${LABEL_NAME_RULE}, optionally prefixed by a DNS subdomain and '/'`;
  if (typeof key !== 'string') return `${quote(key)} is not a valid ${noun}: expected a string; ${rule} (e.g. "app.kubernetes.io/name").`;
  const q = quote(key);
  if (key === '') return `"" is not a valid ${noun}: it is empty; ${rule} (e.g. "app.kubernetes.io/name").`;
  const parts = key.split('/');
  if (parts.length > 2) {
    return `${q} is not a valid ${noun}: it has more than one '/'; ${rule} (e.g. "example.com/team").`;
  }
  if (parts.length === 1) {
    if (isLabelName(key)) return undefined;
    const reason = key.length > LABEL_NAME_MAX ? `it has ${key.length} characters; ` : '';
    return `${q} is not a valid ${noun}: ${reason}${rule}${eg(suggestLabelName(key), key, isLabelName)}.`;
  }
  const [prefix, name] = parts as [string, string];
  if (prefix === '') {
    const fix = isLabelName(name) ? ` (e.g. ${quote(name)} or ${quote(`example.com/${name}`)})` : '';
    return `${q} is not a valid ${noun}: the prefix before '/' is empty; remove the '/' or put a DNS subdomain before it${fix}.`;
  }
  if (!isDnsSubdomain(prefix)) {
    const fixed = `${suggestDnsSubdomain(prefix)}/${isLabelName(name) ? name : suggestLabelName(name)}`;
    return `${q} is not a valid ${noun}: its prefix ${quote(prefix)} is not a DNS subdomain; ${subdomainReason(prefix)}${DNS_SUBDOMAIN_RULE}${eg(fixed, key, isLabelKey)}.`;
  }
  if (!isLabelName(name)) {
    const reason =
      name === ''
        ? "the name after '/' is empty; "
        : name.length > LABEL_NAME_MAX
          ? `its name has ${name.length} characters; `
          : `its name ${quote(name)} is invalid; `;
    const fixed = `${prefix}/${suggestLabelName(name)}`;
    return `${q} is not a valid ${noun}: ${reason}use a name of at most ${LABEL_NAME_MAX} ${LABEL_NAME_RULE} after the '/'${eg(fixed, key, isLabelKey)}.`;
  }
  return undefined;
}

/** `where` is appended to the noun, e.g. `" for key "team" in labels"`. */
function labelValueProblem(value: unknown, where: string): string | undefined {
  const noun = `label value${where}`;
  const rule = `use an empty string or at most ${LABEL_NAME_MAX} ${LABEL_NAME_RULE}`;
  if (typeof value !== 'string') {
    const asText = typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    const fix = asText !== undefined && isLabelValue(asText) ? `quote it (e.g. ${quote(asText)})` : rule;
    return `${quote(value)} is not a valid ${noun}: label values must be strings; ${fix}.`;
  }
  if (isLabelValue(value)) return undefined;
  const reason = value.length > LABEL_NAME_MAX ? `it has ${value.length} characters; ` : '';
  return `${quote(value)} is not a valid ${noun}: ${reason}${rule}${eg(suggestLabelName(value), value, isLabelValue)}.`;
}

// ---------------------------------------------------------------------------------------------
// Go durations

const NS_PER_MS = 1_000_000n;
/** Largest Go `time.Duration` (int64 nanoseconds). */
const MAX_DURATION_NS = 9_223_372_036_854_775_807n;

/** Units of Go's `time.ParseDuration`, in nanoseconds. */
const GO_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // µs, MICRO SIGN
  ['\u03bcs', 1_000n], // μs, GREEK SMALL LETTER MU
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const HOUR_NS = 3_600_000_000_000n;

/** Units people write that Go does not know, with their meaning; used only to suggest a fix. */
const ALIAS_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['d', 24n * HOUR_NS],
  ['day', 24n * HOUR_NS],
  ['days', 24n * HOUR_NS],
  ['w', 168n * HOUR_NS],
  ['wk', 168n * HOUR_NS],
  ['week', 168n * HOUR_NS],
  ['weeks', 168n * HOUR_NS],
  ['hr', HOUR_NS],
  ['hrs', HOUR_NS],
  ['hour', HOUR_NS],
  ['hours', HOUR_NS],
  ['min', 60_000_000_000n],
  ['mins', 60_000_000_000n],
  ['minute', 60_000_000_000n],
  ['minutes', 60_000_000_000n],
  ['sec', 1_000_000_000n],
  ['secs', 1_000_000_000n],
  ['second', 1_000_000_000n],
  ['seconds', 1_000_000_000n],
  ['msec', 1_000_000n],
  ['msecs', 1_000_000n],
]);

type DurationParse =
  | { readonly ok: true; readonly ns: bigint; readonly unknownUnits: readonly string[] }
  | { readonly ok: false; readonly error: 'empty' | 'syntax' | 'missing-unit' | 'unknown-unit'; readonly detail: string };

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Parses an unsigned duration with Go's `time.ParseDuration` grammar, `([0-9]*(\.[0-9]*)?unit)+`
 * or the bare `0`. With `aliases`, also accepts the {@link ALIAS_UNITS} and reports which were used.
 * Fractions are truncated to whole nanoseconds, like Go.
 */
function parseUnsigned(s: string, aliases: boolean): DurationParse {
  if (s === '0') return { ok: true, ns: 0n, unknownUnits: [] };
  if (s === '') return { ok: false, error: 'empty', detail: '' };
  let total = 0n;
  const unknownUnits: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (!(c === '.' || isDigit(c))) return { ok: false, error: 'syntax', detail: '' };
    const numStart = i;
    while (isDigit(s[i])) i++;
    const intDigits = s.slice(numStart, i);
    let fracDigits = '';
    if (s[i] === '.') {
      i++;
      const fracStart = i;
      while (isDigit(s[i])) i++;
      fracDigits = s.slice(fracStart, i);
    }
    if (intDigits === '' && fracDigits === '') return { ok: false, error: 'syntax', detail: '' };
    const unitStart = i;
    while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++;
    const unit = s.slice(unitStart, i);
    const number = s.slice(numStart, unitStart);
    if (unit === '') return { ok: false, error: 'missing-unit', detail: number };
    let unitNs = GO_UNITS.get(unit);
    if (unitNs === undefined && aliases) {
      unitNs = ALIAS_UNITS.get(unit);
      if (unitNs !== undefined && !unknownUnits.includes(unit)) unknownUnits.push(unit);
    }
    if (unitNs === undefined) return { ok: false, error: 'unknown-unit', detail: unit };
    total += BigInt(intDigits || '0') * unitNs;
    if (fracDigits !== '') total += (BigInt(fracDigits) * unitNs) / 10n ** BigInt(fracDigits.length);
  }
  return { ok: true, ns: total, unknownUnits };
}

/** Formats nanoseconds as a compact Go duration, e.g. `36h`, `1h30m`, `1s500ms`, `0s`. */
function formatDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const parts: string[] = [];
  let rest = ns;
  for (const [unit, size] of [
    ['h', HOUR_NS],
    ['m', 60_000_000_000n],
    ['s', 1_000_000_000n],
  ] as const) {
    const n = rest / size;
    if (n > 0n) parts.push(`${n}${unit}`);
    rest %= size;
  }
  if (rest > 0n) {
    if (rest % 1_000_000n === 0n) parts.push(`${rest / 1_000_000n}ms`);
    else if (rest % 1_000n === 0n) parts.push(`${rest / 1_000n}us`);
    else parts.push(`${rest}ns`);
  }
  return parts.join('');
}

/** `"d"`, `"d" or "w"`, `"d", "sec" or "w"`. */
function orList(items: readonly string[]): string {
  const q = items.map(quote);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

const DURATION_RULE = 'use decimal numbers each followed by a unit among ns, us, µs, ms, s, m, h';

/** The problem with an unsigned, whitespace-free duration text, or a fix for it, or undefined. */
function durationProblem(value: string, q: string): string | undefined {
  const parsed = parseUnsigned(value, false);
  if (parsed.ok) {
    if (parsed.ns > MAX_DURATION_NS) {
      return `${q} is out of range for a Go duration: use at most "2562047h" (about 292 years).`;
    }
    return undefined;
  }
  const withAliases = parseUnsigned(value, true);
  if (withAliases.ok && withAliases.unknownUnits.length > 0 && withAliases.ns <= MAX_DURATION_NS) {
    return `${q} is not a Go duration (units: ns, us, ms, s, m, h; no ${orList(withAliases.unknownUnits)}): write ${quote(formatDuration(withAliases.ns))}.`;
  }
  switch (parsed.error) {
    case 'empty':
      return `"" is not a Go duration: it is empty; write e.g. "1h", "30m" or "0".`;
    case 'missing-unit': {
      const bare = /^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$/.test(value);
      return `${q} is not a Go duration: the number ${quote(parsed.detail)} has no unit; add one of ns, us, µs, ms, s, m, h${bare ? ` (e.g. ${quote(`${value}s`)})` : ''}.`;
    }
    case 'unknown-unit':
      return `${q} is not a Go duration: ${quote(parsed.detail)} is not a unit; ${DURATION_RULE} (e.g. "1h30m").`;
    default:
      return `${q} is not a Go duration: ${DURATION_RULE} (e.g. "1h30m").`;
  }
}

/**
 * Checks a duration in Go `time.ParseDuration` syntax, as used by the External Secrets Operator's
 * `refreshInterval`: a sequence of decimal numbers, each with an optional fraction and a unit among
 * `ns`, `us` (or `µs`), `ms`, `s`, `m`, `h` — e.g. `1h`, `30m`, `1h30m`, `1.5h`, `0s` — or the bare
 * `0`. Unlike Go, a sign (`-1h`, `+1h`) is rejected. Days and weeks (`1d`, `2w`) and spelled-out
 * units (`5min`) are rejected with the equivalent Go duration as the fix (`"1d"` → `"24h"`).
 */
export function checkGoDuration(value: string): string | undefined {
  if (typeof value !== 'string') {
    if (value === 0) return `0 is not a Go duration: expected a string; write "0".`;
    return `${quote(value)} is not a Go duration: expected a string; ${DURATION_RULE} (e.g. "1h30m").`;
  }
  const q = quote(value);
  const sign = value[0] === '-' || value[0] === '+' ? value[0] : undefined;
  const body = sign === undefined ? value : value.slice(1);
  const compact = body.replace(/\s+/g, '');
  const fix = durationFix(compact);
  if (sign !== undefined) {
    const what = sign === '-' ? 'a negative duration is not allowed' : "a '+' sign is not allowed";
    return `${q} is not an allowed duration: ${what}; ${fix !== undefined ? `write ${quote(fix)}` : `${DURATION_RULE} (e.g. "1h30m")`}.`;
  }
  if (compact !== body && fix !== undefined) {
    return `${q} is not a Go duration: it must not contain spaces; write ${quote(fix)}.`;
  }
  return durationProblem(body, q);
}

/** A valid Go duration equivalent to `text` (itself, or with days/aliases converted), if any. */
function durationFix(text: string): string | undefined {
  const parsed = parseUnsigned(text, true);
  if (!parsed.ok || parsed.ns > MAX_DURATION_NS) return undefined;
  return parsed.unknownUnits.length === 0 ? text : formatDuration(parsed.ns);
}

/**
 * Parses a duration accepted by {@link checkGoDuration} into milliseconds (fractional for
 * sub-millisecond durations, e.g. `"1500us"` → `1.5`). Returns `undefined` for anything
 * {@link checkGoDuration} rejects.
 */
export function parseGoDuration(value: string): number | undefined {
  if (typeof value === 'string' && PARSED_DURATIONS.has(value)) return PARSED_DURATIONS.get(value);
  let ms: number | undefined;
  const parsed = checkGoDuration(value) === undefined ? parseUnsigned(value, false) : undefined;
  if (parsed?.ok) ms = Number(parsed.ns / NS_PER_MS) + Number(parsed.ns % NS_PER_MS) / 1e6;
  if (typeof value === 'string' && PARSED_DURATIONS.size < 1024) PARSED_DURATIONS.set(value, ms);
  return ms;
}

/** Durations parsed so far (a topology uses a handful, each parsed for thousands of secrets). */
const PARSED_DURATIONS = new Map<string, number | undefined>();

// ---------------------------------------------------------------------------------------------
// Other identifiers

/**
 * Checks an RFC 4122 textual UUID: 32 hexadecimal digits (either case) in groups 8-4-4-4-12
 * separated by `-`. Version and variant bits are not checked (the nil UUID is accepted).
 *
 * @param value the UUID to check
 * @param what a noun for the message, e.g. `"controlPlaneId"`
 */
export function checkUuid(value: string, what: string): string | undefined {
  const rule = "use 32 hexadecimal digits in groups of 8-4-4-4-12 separated by '-'";
  if (typeof value !== 'string') return `${quote(value)} is not a valid ${what}: expected a UUID string; ${rule}.`;
  if (UUID_RE.test(value)) return undefined;
  let fix = value.trim().replace(/^urn:uuid:/i, '');
  if (fix.startsWith('{') && fix.endsWith('}')) fix = fix.slice(1, -1);
  if (/^[0-9a-fA-F]{32}$/.test(fix)) {
    fix = `${fix.slice(0, 8)}-${fix.slice(8, 12)}-${fix.slice(12, 16)}-${fix.slice(16, 20)}-${fix.slice(20)}`;
  }
  const example = eg(fix, value, (s) => UUID_RE.test(s)) || ' (e.g. "123e4567-e89b-12d3-a456-426614174000")';
  return `${quote(value)} is not a valid ${what}: ${rule}${example}.`;
}

/**
 * Checks an External Secrets `secretKey` (a key of the target Kubernetes Secret): 1 to 253
 * characters matching `^[-._a-zA-Z0-9]+$`. As the Kubernetes API also requires of Secret keys,
 * `.` and `..` and keys starting with `..` are rejected too.
 */
export function checkSecretKey(value: string): string | undefined {
  const rule = `use 1 to ${SECRET_KEY_MAX} letters, digits, '-', '_' and '.'`;
  if (typeof value !== 'string') return `${quote(value)} is not a valid secret key: expected a string; ${rule}.`;
  const q = quote(value);
  if (value === '') return `"" is not a valid secret key: it is empty; ${rule} (e.g. "password").`;
  const isValid = (s: string): boolean => s.length <= SECRET_KEY_MAX && SECRET_KEY_RE.test(s) && s !== '.' && !s.startsWith('..');
  if (isValid(value)) return undefined;
  if (SECRET_KEY_RE.test(value) && value.length <= SECRET_KEY_MAX) {
    const fix = value.replace(/^\.+/, '');
    return `${q} is not a valid secret key: Kubernetes does not allow "." or ".." or a leading ".." in Secret keys; rename it${eg(fix, value, isValid)}.`;
  }
  const reason = value.length > SECRET_KEY_MAX ? `it has ${value.length} characters; ` : '';
  const fix = value
    .trim()
    .replace(/[^-._a-zA-Z0-9]+/g, '_')
    .slice(0, SECRET_KEY_MAX);
  return `${q} is not a valid secret key: ${reason}${rule}${eg(fix, value, isValid)}.`;
}
