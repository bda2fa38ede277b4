/**
 * The characters that are never written as they are to a sink a person reads (a terminal, a
 * Markdown report): one closed list, shared by the escaping modules of this folder.
 * - C0 controls (U+0000–U+001F: ESC starts terminal escape sequences, CR returns to the line
 *   start), DEL and the C1 controls (U+0080–U+009F: U+009B is a one-byte CSI);
 * - the bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E,
 *   U+2066–U+2069), which reorder what is shown ("Trojan Source");
 * - the Unicode line and paragraph separators (U+2028, U+2029);
 * - unpaired UTF-16 surrogates, which no UTF-8 output can carry.
 */
export const CONTROL_CHARACTERS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The line breaks of Markdown and of terminals: CRLF, LF, CR (a lone one too), VT, FF, NEL and U+2028 / U+2029. */
export const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;

/** How a control character is shown: its JSON-style `\uXXXX` escape (`\u001b` for ESC). */
export function visibleControl(ch: string): string {
  return `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/** `text` with every {@link CONTROL_CHARACTERS} member written as its `\uXXXX` escape. */
export function showControls(text: string): string {
  return text.replace(CONTROL_CHARACTERS, visibleControl);
}
