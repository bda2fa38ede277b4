/**
 * Escaping for Markdown (GitHub-flavoured, as REPORT.md and review comments are read): one function
 * per place a user string lands. Line breaks (a lone CR too) become spaces, so a value cannot end a
 * table row or a list item and start another; `<` and entity-like `&` are written as entities, so
 * a value cannot open HTML; control characters are shown as `\uXXXX`.
 */
import { LINE_BREAKS, showControls } from '../../private/controls.js';

/** Text inside a paragraph, list item or heading: one line, no HTML. */
export function markdownText(text: string): string {
  return showControls(text.replace(LINE_BREAKS, ' '))
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/</g, '&lt;');
}

/** Text in a table cell: {@link markdownText}, with `\` and `|` escaped (a `|` would end the cell). */
export function tableCell(text: string): string {
  return markdownText(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/**
 * An inline code span that shows `text` as it is: fenced by one backtick more than the longest run
 * of backticks inside it, padded with a space each side where the text starts or ends with a
 * backtick, or starts and ends with a space (CommonMark strips one such space each side unless the
 * text is only spaces). On one line; an empty text shows as one space.
 */
export function inlineCode(text: string): string {
  const t = showControls(text.replace(LINE_BREAKS, ' '));
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  if (/^ *$/.test(t)) return `${fence}${t === '' ? ' ' : t}${fence}`;
  const pad = /^`|`$|^ .* $/s.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * A code span in a table cell. GFM splits cells before it reads code spans, at every `|` not
 * preceded by an odd number of backslashes, and then removes one backslash before each `|`: a
 * code span cannot show a `\` right before a `|`. So a text with a `|` is written as plain text
 * with every ASCII punctuation character backslash-escaped (shown exactly, without code style);
 * any other text as {@link inlineCode}.
 */
export function tableCode(text: string): string {
  if (!text.includes('|')) return inlineCode(text);
  return showControls(text.replace(LINE_BREAKS, ' ')).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * Text in a Mermaid label (node text in `"..."`, edge text in `|...|`), inside a fenced block:
 * Mermaid's entity codes for `#`, `"`, `<`, `>`, `|` and the backtick (three of which would close the
 * fence), one line.
 */
export function mermaidLabel(text: string): string {
  return showControls(text.replace(LINE_BREAKS, ' ')).replace(/[#"<>|`]/g, (c) => MERMAID_ENTITIES[c] ?? c);
}

const MERMAID_ENTITIES: Readonly<Record<string, string>> = {
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '|': '#124;',
  '`': '#96;',
};

/**
 * A fenced code block that shows `text` line by line as it is: fenced by more backticks than the
 * longest run inside it (at least three), so no line of the text can close it; a lone CR or a
 * Unicode line separator ends a line as `\n` does; other control characters are shown as `\uXXXX`.
 */
export function codeBlock(text: string, info = 'text'): string {
  const lines = text.split(LINE_BREAKS).map(showControls);
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...lines, fence].join('\n');
}
