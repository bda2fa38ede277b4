/**
 * Terminal sink: problem lists on stderr (and every CLI line built with lib/private/terminal.ts)
 * never carry a control character a user wrote: no escape sequence, no carriage return that
 * overwrites the line, no line break that forges another problem, no bidi reordering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TopologyApp, TopologyError } from '../lib/index.js';
import { formatProblems } from '../lib/model/errors.js';
import { QUOTED_VALUE_MAX, quoteValue, terminalText } from '../lib/private/terminal.js';
import { minimal } from './fixtures/topologies.js';

/** C0, DEL, C1, bidi controls, line / paragraph separators, unpaired surrogates. */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const hostile = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        '\u001b[2J',
        '\u001b]8;;http://x\u0007',
        '\r',
        '\n',
        '\u009b31m',
        '\u202e',
        '\u2066',
        '\u2028',
        '\t',
        '\u0000',
        '\ud800',
        'a',
        'é',
        '😀',
        ' - x: y',
      ),
      {
        maxLength: 10,
      },
    )
    .map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

describe('terminalText', () => {
  it('property: leaves no control character and changes nothing else', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const t = terminalText(s);
        expect(t).not.toMatch(UNSAFE);
        if (!UNSAFE.test(s)) expect(t).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('writes each control as its \\uXXXX escape', () => {
    expect(terminalText('a\u001b[31mb\rc\nd\u202ee')).toBe('a\\u001b[31mb\\u000dc\\u000ad\\u202ee');
    expect(terminalText('x\ud800y')).toBe('x\\ud800y');
    expect(terminalText('👨‍👩‍👧 ok')).toBe('👨‍👩‍👧 ok');
  });
});

describe('quoteValue', () => {
  it('quotes strings as JSON, escaped for the terminal', () => {
    expect(quoteValue('prod/db')).toBe('"prod/db"');
    expect(quoteValue('a"b\nc\u202e')).toBe('"a\\"b\\nc\\u202e"');
    expect(quoteValue(12)).toBe('12');
    expect(quoteValue(undefined)).toBe('undefined');
    expect(quoteValue(10n)).toBe('10');
  });

  it(`shortens strings over ${QUOTED_VALUE_MAX} characters (code points) and gives the length`, () => {
    const long = 'x'.repeat(200);
    expect(quoteValue(long)).toBe(`"${'x'.repeat(QUOTED_VALUE_MAX)}…" (200 characters)`);
    const emoji = '😀'.repeat(QUOTED_VALUE_MAX + 1);
    expect(quoteValue(emoji)).toBe(`"${'😀'.repeat(QUOTED_VALUE_MAX)}…" (${QUOTED_VALUE_MAX + 1} characters)`);
    expect(quoteValue('y'.repeat(10), 4)).toBe('"yyyy…" (10 characters)');
  });

  it('never throws, whatever it is handed', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const evil = {
      toJSON() {
        throw new Error('no');
      },
      toString() {
        throw new Error('no');
      },
    };
    for (const v of [cyclic, evil, Symbol('s'), () => 1, null, NaN, Object.create(null)]) expect(() => quoteValue(v)).not.toThrow();
  });

  it('property: one line without controls, at most max characters of the value', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 30 }), (s, max) => {
        const q = quoteValue(s, max);
        expect(q).not.toMatch(UNSAFE);
        expect(q.startsWith('"')).toBe(true);
      }),
    );
  });
});

describe('problems on the terminal', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('formatProblems prints one line per problem even when a path or message holds CR, LF or ESC', () => {
    const text = formatProblems([
      { path: 'a/b\r', message: 'bad\n  - forged/path: everything is fine' },
      { path: 'c', message: '\u001b[2J\u001b[Hcleared' },
    ]);
    expect(text.split('\n')).toHaveLength(3);
    expect(text.split('\n').join('')).not.toMatch(UNSAFE);
    expect(text).toContain('a/b\\u000d: bad\\u000a  - forged/path');
    expect(text).toContain('\\u001b[2J');
  });

  it('synth() writes the escaped list to stderr: a secretKey with ESC and CR cannot rewrite the screen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-term-'));
    try {
      const app = new TopologyApp({ outdir: join(dir, 'dist') });
      const t = minimal(app);
      t.secret.addData({ secretKey: 'k\u001b[2J\r  - ok', remoteKey: '' });
      const writes: string[] = [];
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        writes.push(String(chunk));
        return true;
      });
      app.synth();
      const err = writes.join('');
      expect(err).toContain('problem');
      expect(err.slice(0, -1)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(err).toContain('\\u001b[2J\\u000d');
      expect(process.exitCode).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the raw problems for programs (TopologyError.problems), only the text is escaped', () => {
    const e = new TopologyError([{ path: 'x', message: 'a\u001bb' }]);
    expect(e.problems[0]?.message).toBe('a\u001bb');
    expect(e.message).toContain('a\\u001bb');
  });
});
