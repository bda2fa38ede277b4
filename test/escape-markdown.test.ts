/**
 * Markdown sinks (REPORT.md): a user string in a table cell, a code span, a list item or a Mermaid
 * label cannot end the row or the item, add cells, open HTML or close the Mermaid fence. Checked
 * with a real GFM parser (marked) over generated strings biased to the characters that matter.
 */
import fc from 'fast-check';
import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { Guardrails, type TopologyApp } from '../lib/index.js';
import { codeBlock, inlineCode, markdownText, mermaidLabel, tableCell, tableCode } from '../lib/output/escape/markdown.js';
import { minimal } from './fixtures/topologies.js';
import { compile } from './support/compile.js';
import { fcParams } from './fuzz-support.js';

/** Strings made of the characters an attacker tries in Markdown, and arbitrary ones. */
const nasty = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        '|',
        '\\',
        '`',
        '``',
        '<',
        '>',
        '&',
        '&amp;',
        '&#124;',
        '\r',
        '\n',
        '\r\n',
        '\u2028',
        '\u0085',
        '\u001b[31m',
        '\u202e',
        '*',
        '_',
        '[x](y)',
        '#',
        ' ',
        'a',
        'é',
        '<img src=x>',
        '<!--',
        '```',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);

/** Every token below `tokens`, depth first. */
function allTokens(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((t) => [t, ...allTokens('tokens' in t && Array.isArray(t.tokens) ? t.tokens : [])]);
}

/** What a line-oriented reader sees of `s`: line breaks as spaces, control characters as \uXXXX. */
function shown(s: string): string {
  return s
    .replace(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g, ' ')
    .replace(
      /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
    );
}

/** The one table of `md`. */
function onlyTable(md: string): Tokens.Table {
  const tables = marked.lexer(md).filter((t): t is Tokens.Table => t.type === 'table');
  expect(tables).toHaveLength(1);
  return tables[0];
}

describe('Markdown table cells and code spans', () => {
  it('property: a row of user cells stays one row of three cells, with no HTML, and a code cell shows the text', () => {
    fc.assert(
      fc.property(nasty, nasty, (a, b) => {
        const md = `| x | y | z |\n| --- | --- | --- |\n| ${tableCell(a)} | ${tableCode(b)} | end |\n`;
        expect(md.split('\n')).toHaveLength(4);
        const table = onlyTable(md);
        expect(table.rows).toHaveLength(1);
        const row = table.rows[0];
        expect(row.map((c) => c.text)[2]).toBe('end');
        expect(row).toHaveLength(3);
        const tokens = allTokens(row.flatMap((c) => c.tokens));
        expect(tokens.filter((t) => t.type === 'html')).toEqual([]);
        const code = row[1]?.tokens ?? [];
        if (b.includes('|')) {
          // A pipe cannot sit in a code span of a table cell: the text is written with its punctuation escaped.
          expect(code.every((t) => t.type === 'text' || t.type === 'escape')).toBe(true);
          expect(
            code
              .map((t) => (t as Tokens.Text).text)
              .join('')
              .trim(),
          ).toBe(shown(b).trim());
        } else {
          expect(code.map((t) => t.type)).toEqual(['codespan']);
          // The parser has stripped the padding spaces, as CommonMark says.
          expect((code[0] as Tokens.Codespan).text).toBe(b === '' ? ' ' : shown(b));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('writes a lone CR, LF and CRLF as spaces and nothing else', () => {
    for (const s of ['a\rb', 'a\nb', 'a\r\nb', 'a\u2028b', 'a\u0085b']) {
      expect(tableCell(s)).toBe('a b');
      expect(markdownText(s)).toBe('a b');
      expect(inlineCode(s)).toBe('`a b`');
    }
  });

  it('escapes pipes and backslashes in cells, HTML and entities everywhere text goes', () => {
    expect(tableCell('a|b\\c')).toBe('a\\|b\\\\c');
    expect(markdownText('<script>alert(1)</script> &amp; & x')).toBe('&lt;script>alert(1)&lt;/script> &amp;amp; & x');
    expect(tableCode('a|b')).toBe('a\\|b');
    expect(tableCode('x\\|y*z')).toBe('x\\\\\\|y\\*z');
    expect(tableCode('C:\\dir')).toBe('`C:\\dir`');
  });

  it('fences code spans longer than any backtick run inside, padding where needed', () => {
    expect(inlineCode('plain')).toBe('`plain`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('a``b')).toBe('```a``b```');
    expect(inlineCode('`x`')).toBe('`` `x` ``');
    expect(inlineCode('')).toBe('` `');
    const parsed = marked.lexer(`x ${inlineCode('a``b`')} y`)[0] as Tokens.Paragraph;
    expect(parsed.tokens.find((t) => t.type === 'codespan')).toMatchObject({ text: 'a``b`' });
  });

  it('shows terminal escapes and bidi overrides as \\uXXXX', () => {
    expect(markdownText('\u001b[2Jx\u202ey')).toBe('\\u001b[2Jx\\u202ey');
    expect(inlineCode('\u009b31m')).toBe('`\\u009b31m`');
  });
});

describe('fenced code blocks', () => {
  it('property: a block is one code token whose text is the lines shown, whatever backticks or fences the text holds', () => {
    fc.assert(
      fc.property(fc.array(nasty, { maxLength: 6 }), (parts) => {
        const text = parts.join('\n');
        const tokens = marked.lexer(`before\n\n${codeBlock(text)}\n\nafter`);
        const code = tokens.filter((t): t is Tokens.Code => t.type === 'code');
        expect(code).toHaveLength(1);
        // (Parsers differ on a block's trailing empty lines: compared without them.)
        const lines = text.split(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/).map((l) => shown(l));
        expect(code[0].text.replace(/\n+$/, '')).toBe(lines.join('\n').replace(/\n+$/, ''));
        expect(tokens.filter((t) => t.type === 'paragraph').map((t) => (t as Tokens.Paragraph).text)).toEqual(['before', 'after']);
      }),
      fcParams,
    );
  });

  it('fences with one backtick more than the longest run, at least three', () => {
    expect(codeBlock('a')).toBe('```text\na\n```');
    expect(codeBlock('x ```` y')).toBe('`````text\nx ```` y\n`````');
    expect(codeBlock('\u001b[2J', 'sh')).toBe('```sh\n\\u001b[2J\n```');
  });
});

describe('Mermaid labels', () => {
  it('property: a label never contains a quote, pipe, angle bracket, backtick or line break', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        expect(mermaidLabel(s)).not.toMatch(/["|<>`\r\n\u2028\u2029]/);
        expect(mermaidLabel(s)).not.toMatch(/#(?!35;|quot;|lt;|gt;|124;|96;)/);
      }),
      { numRuns: 400 },
    );
  });

  it('writes entity codes that close nothing', () => {
    expect(mermaidLabel('a"b|c<d>e`f#g')).toBe('a#quot;b#124;c#lt;d#gt;e#96;f#35;g');
    expect(mermaidLabel('```\nflowchart')).toBe('#96;#96;#96; flowchart');
  });
});

describe('REPORT.md with hostile user strings', () => {
  const reason = 'accepted\rbecause | it is\n| fake | row |\r\n<img src=x onerror=alert(1)> ``` `code`';
  function withReason(app: TopologyApp): void {
    const t = minimal(app);
    Guardrails.allow(t.store, 'production-wildcard-namespaces', reason);
  }

  it('keeps an opt-out reason with CR, LF, pipes, HTML and backticks inside its one table row', () => {
    const md = compile(withReason).files.get('REPORT.md') ?? '';
    expect(md).not.toMatch(/\r/);
    expect(md).not.toContain('<img');
    const section = md.slice(md.indexOf('## Opt-outs'));
    const table = onlyTable(section.slice(0, section.indexOf('\n\n', section.indexOf('| rule'))));
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]).toHaveLength(4);
    expect(allTokens((table.rows[0] ?? []).flatMap((c) => c.tokens)).filter((t) => t.type === 'html')).toEqual([]);
    expect(table.rows[0]?.[2]?.text).toContain('accepted because | it is | fake | row | &lt;img');
  });
});
