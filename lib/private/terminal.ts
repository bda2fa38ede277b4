/**
 * Text for a terminal (problem messages on stderr, CLI output): nothing a user wrote can move the
 * cursor, recolour or clear the screen, reorder what is shown or start a new line that looks like
 * another problem. One module for every terminal sink; the props checks quote values with
 * {@link quoteValue} and the problem list is passed through {@link terminalText} as it is printed.
 */
import { showControls } from './controls.js';

/** `text` with every control character (see `controls.ts`: C0 including CR and LF, DEL, C1, bidi, separators) as a visible `\uXXXX`. */
export function terminalText(text: string): string {
  return showControls(text);
}

/** Longest value, in characters (code points), that {@link quoteValue} shows whole. */
export const QUOTED_VALUE_MAX = 80;

/**
 * A value as a problem message quotes it: a string in double quotes with JSON escapes (`\n`,
 * `\"`), every other control character as `\uXXXX`, and, past `max` characters, its first ones
 * then `…` and the length; other values as JSON (or their `String` form when JSON has none).
 * Never throws.
 */
export function quoteValue(value: unknown, max: number = QUOTED_VALUE_MAX): string {
  if (typeof value !== 'string') return terminalText(jsonOrString(value));
  const chars = [...value];
  if (chars.length <= max) return terminalText(JSON.stringify(value));
  const head = JSON.stringify(chars.slice(0, max).join(''));
  return terminalText(`${head.slice(0, -1)}…" (${chars.length} characters)`);
}

function jsonOrString(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    if (s !== undefined) return s;
  } catch {
    // bigint, cycles: fall through
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
