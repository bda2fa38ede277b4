/**
 * Escaping for Helm's `--set` / `--set-string` arguments (`name1.name2=value,name3=value`), as
 * Helm's strvals parser reads them (helm/helm `pkg/strvals/parser.go`):
 * - a key ends at an unescaped `.` (nested map), `[` (list index), `=` (its value) or `,` (the
 *   next argument); `\` makes the next character literal;
 * - a value ends at an unescaped `,` (the next key follows, so a `,` in a value sets other keys),
 *   and a value starting with `{` is a list (`{a,b}`); `\` makes the next character literal.
 * Both functions escape every character with a special meaning, wherever it is, so the parser reads
 * back exactly the text given. `--set-string` keeps the value a string (`--set` would read `true`,
 * `null` or `12` as other types).
 */

/** Characters special in a key: `.`, `[`, `]`, `=`, `,` and the escape `\`. */
const KEY_SPECIAL = /[\\.,=[\]]/g;
/** Characters special in a value: `,`, the list braces `{` and `}`, and the escape `\`. */
const VALUE_SPECIAL = /[\\,{}]/g;

/** One key (one level of the value path) for `--set`: its special characters `\`-escaped. */
export function helmSetKey(key: string): string {
  return key.replace(KEY_SPECIAL, '\\$&');
}

/** A value for `--set` / `--set-string`: its special characters `\`-escaped. */
export function helmSetValue(value: string): string {
  return value.replace(VALUE_SPECIAL, '\\$&');
}

/** `path=value` for `--set-string`: each path segment escaped as a key, then the value. */
export function helmSetArgument(path: readonly string[], value: string): string {
  return `${path.map(helmSetKey).join('.')}=${helmSetValue(value)}`;
}
