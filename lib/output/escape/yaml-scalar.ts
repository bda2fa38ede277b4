// Which plain YAML scalars a reader would take for something other than a string: the YAML 1.1
// resolvers of the Kubernetes toolchain (go-yaml v2 behind sigs.k8s.io/yaml and kubectl; PyYAML-style
// 1.1 resolvers) and the YAML 1.2 core schema (go-yaml v3). The renderer (yaml-render.ts) quotes
// every such string, on the main thread and on the writer thread alike.

/** Words read as booleans, nulls, special floats, the merge key or the 1.1 value key, in any of these spellings. */
const WORDS = new Set([
  ...['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null'].flatMap((w) => [
    w,
    w.charAt(0).toUpperCase() + w.slice(1),
    w.toUpperCase(),
  ]),
  '~',
  '',
  '<<',
  '=',
  ...['.nan', '.NaN', '.NAN'],
  ...['.inf', '.Inf', '.INF'].flatMap((w) => [w, `+${w}`, `-${w}`]),
]);

/**
 * Numbers as any of the readers writes them, tried on the text without `_` (go-yaml v2 removes
 * every underscore before it parses; YAML 1.1 allows them inside digits):
 * - integers with Go's base prefixes in either case (`0x1F`, `0X1F`, `0o17`, `0O17`, `0b101`,
 *   `0B101`), signed or not, and decimal digits (also with a leading 0: `017` is octal in 1.1, `08`
 *   a float for go-yaml v2, and 1.2 core reads both as integers);
 * - floats (`1.5`, `.5`, `1.`, `1e3`, `-1.5E+3`) and YAML 1.1 sexagesimal numbers (`190:20:30`,
 *   `1:20.5`).
 */
const NUMBER =
  /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9]*)?)$/;

/** Dates and date-times: YAML 1.1 timestamps, and go-yaml v2's (`2006-1-2`, with one-digit month and day). */
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt ])/;

/** True when a reader of YAML 1.1 or 1.2 would read the plain scalar `text` as anything but this string. */
export function readsAsNonString(text: string): boolean {
  if (WORDS.has(text)) return true;
  const first = text.charCodeAt(0);
  // Only a digit, a sign or a dot can start a number or a timestamp.
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return false;
  return NUMBER.test(text.replace(/_/g, '')) || TIMESTAMP.test(text);
}
