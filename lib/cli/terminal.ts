/**
 * Text from a topology or a report on a terminal: names and keys come from users, so control
 * characters (which could move the cursor or rewrite what is shown) and bidirectional overrides are
 * shown escaped (`\u001b`), never sent as they are.
 */

/** `text` with control characters and bidirectional controls escaped as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
