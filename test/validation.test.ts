import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteValue } from '../lib/private/terminal.js';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkGoDuration,
  checkLabelKey,
  checkLabels,
  checkLabelValue,
  checkSecretKey,
  checkUuid,
  parseGoDuration,
} from '../lib/model/validation.js';

/** The `(e.g. "…")` suggestion of a message, decoded, if any. */
function suggestion(message: string | undefined): string | undefined {
  const m = message?.match(/\(e\.g\. ("(?:[^"\\]|\\.)*")\)\.$/);
  return m ? (JSON.parse(m[1]) as string) : undefined;
}

/** Every message is one line, starts by quoting the value, ends with a period, has no stack. */
function expectWellFormed(message: string | undefined, value: unknown): void {
  expect(message).toBeTypeOf('string');
  const text = message as string;
  expect(text.startsWith(quoteValue(value))).toBe(true);
  expect(text.endsWith('.')).toBe(true);
  expect(text).not.toContain('\n');
  expect(text).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
}

const DNS_LABEL_ORACLE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME_ORACLE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Strings biased towards the characters the rules care about. */
const nameish = fc.string({
  unit: fc.constantFrom('a', 'z', 'A', 'Z', '0', '9', '-', '_', '.', '/', ' ', 'é'),
  maxLength: 80,
});

describe('checkDnsLabel', () => {
  it.each(['a', '0', 'team-a', 'a-b-c', '1a', 'a1', 'a--b', 'x'.repeat(63), '123'])('accepts %j', (v) => {
    expect(checkDnsLabel(v, 'namespace name')).toBeUndefined();
  });

  it.each(['', 'Team', 'team_a', '-a', 'a-', 'a.b', 'a b', 'x'.repeat(64), 'é', ' a', 'a\n'])('rejects %j', (v) => {
    const m = checkDnsLabel(v, 'namespace name');
    expectWellFormed(m, v);
    expect(m).toContain('is not a valid namespace name');
  });

  it('quotes the value, says what is expected and suggests a fix', () => {
    expect(checkDnsLabel('Team_A', 'namespace name')).toBe(
      `"Team_A" is not a valid namespace name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. "team-a").`,
    );
  });

  it('explains an empty value without a suggestion', () => {
    expect(checkDnsLabel('', 'environment name')).toBe(
      `"" is not a valid environment name: it is empty; use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit.`,
    );
  });

  it('says how long a too-long value is and suggests a truncated one', () => {
    const v = `${'a'.repeat(62)}-b${'c'.repeat(6)}`; // 70 chars, truncation would end with '-'
    const m = checkDnsLabel(v, 'control plane name');
    expect(m).toContain('it has 70 characters; use at most 63');
    expect(suggestion(m)).toBe('a'.repeat(62));
  });

  it.each([
    ['-abc-', 'abc'],
    ['My.Team', 'my-team'],
    ['  Team A  ', 'team-a'],
    ['team/a', 'team-a'],
  ])('suggests %j → %j', (v, fix) => {
    expect(suggestion(checkDnsLabel(v, 'name'))).toBe(fix);
  });

  it('omits the suggestion when no simple fix is valid', () => {
    expect(checkDnsLabel('---', 'name')).toBe(
      `"---" is not a valid name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit.`,
    );
    expect(suggestion(checkDnsLabel('é', 'name'))).toBeUndefined();
  });

  it('does not throw on a non-string read from YAML', () => {
    const m = checkDnsLabel(42 as unknown as string, 'namespace name');
    expectWellFormed(m, 42);
    expect(m).toContain('expected a string');
  });

  it('agrees with the RFC 1123 regex, and every suggestion is itself valid (property)', () => {
    fc.assert(
      fc.property(nameish, (v) => {
        const m = checkDnsLabel(v, 'name');
        expect(m === undefined).toBe(v.length >= 1 && v.length <= 63 && DNS_LABEL_ORACLE.test(v));
        const fix = suggestion(m);
        if (fix !== undefined) expect(checkDnsLabel(fix, 'name')).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkDnsSubdomain', () => {
  it.each([
    'a',
    'example.com',
    'db-credentials',
    'a.b.c',
    '1.2.3',
    `${'a'.repeat(63)}.b`,
    [63, 63, 63, 61].map((n) => 'a'.repeat(n)).join('.'),
  ])('accepts %j', (v) => {
    expect(checkDnsSubdomain(v, 'Secret name')).toBeUndefined();
  });

  it.each([
    '',
    'Example.com',
    'a..b',
    '.a',
    'a.',
    'a_b',
    '-a.b',
    'a.-b',
    `${'a'.repeat(64)}.b`,
    [63, 63, 63, 62].map((n) => 'a'.repeat(n)).join('.'), // 254 characters
  ])('rejects %j', (v) => {
    const m = checkDnsSubdomain(v, 'Secret name');
    expectWellFormed(m, v);
    expect(m).toContain('is not a valid Secret name');
  });

  it('suggests a lowercase form', () => {
    expect(checkDnsSubdomain('AWS_Credentials.Example.com', 'credentials Secret name')).toBe(
      `"AWS_Credentials.Example.com" is not a valid credentials Secret name: use at most 253 characters of lowercase letters, digits, '-' and '.', where each dot-separated part has 1 to 63 characters and starts and ends with a letter or digit (e.g. "aws-credentials.example.com").`,
    );
  });

  it('names the reason: empty part, long part, total length', () => {
    expect(checkDnsSubdomain('a..b', 'x')).toContain('it has an empty part (a leading, trailing or doubled dot)');
    expect(suggestion(checkDnsSubdomain('a..b', 'x'))).toBe('a.b');
    expect(checkDnsSubdomain(`${'a'.repeat(64)}.b`, 'x')).toContain(`its part "${'a'.repeat(64)}" has 64 characters`);
    expect(checkDnsSubdomain('a'.repeat(254), 'x')).toContain('it has 254 characters');
  });

  it('every suggestion is itself valid (property)', () => {
    fc.assert(
      fc.property(nameish, (v) => {
        const fix = suggestion(checkDnsSubdomain(v, 'name'));
        if (fix !== undefined) expect(checkDnsSubdomain(fix, 'name')).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkLabelKey', () => {
  it.each([
    'environment',
    'app.kubernetes.io/name',
    'example.com/team',
    'Team_Name.v1',
    'a',
    'A',
    '9',
    'x'.repeat(63),
    `${'p'.repeat(63)}.example.com/${'n'.repeat(63)}`,
  ])('accepts %j', (k) => {
    expect(checkLabelKey(k)).toBeUndefined();
  });

  it.each([
    '',
    '/',
    '/name',
    'example.com/',
    'a/b/c',
    'Example.com/x',
    'bad name',
    '-a',
    'a-',
    '_a',
    'x'.repeat(64),
    'ex_ample.com/a',
    `example.com/${'n'.repeat(64)}`,
  ])('rejects %j', (k) => {
    const m = checkLabelKey(k);
    expectWellFormed(m, k);
    expect(m).toContain('is not a valid label key');
  });

  it('explains an invalid prefix and suggests a fixed key', () => {
    expect(checkLabelKey('Example.com/team')).toBe(
      `"Example.com/team" is not a valid label key: its prefix "Example.com" is not a DNS subdomain; use at most 253 characters of lowercase letters, digits, '-' and '.', where each dot-separated part has 1 to 63 characters and starts and ends with a letter or digit (e.g. "example.com/team").`,
    );
  });

  it('explains an invalid name', () => {
    expect(checkLabelKey('example.com/bad name')).toBe(
      `"example.com/bad name" is not a valid label key: its name "bad name" is invalid; use a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit after the '/' (e.g. "example.com/bad-name").`,
    );
    expect(checkLabelKey('example.com/')).toContain("the name after '/' is empty");
  });

  it('explains an empty prefix and more than one slash', () => {
    expect(checkLabelKey('/name')).toBe(
      `"/name" is not a valid label key: the prefix before '/' is empty; remove the '/' or put a DNS subdomain before it (e.g. "name" or "example.com/name").`,
    );
    expect(checkLabelKey('a/b/c')).toContain("it has more than one '/'");
  });

  it('agrees with the Kubernetes rule, and every suggestion is valid (property)', () => {
    const keyish = fc.oneof(
      nameish,
      fc.tuple(nameish, nameish).map(([a, b]) => `${a}/${b}`),
    );
    fc.assert(
      fc.property(keyish, (k) => {
        const m = checkLabelKey(k);
        const parts = k.split('/');
        const nameOk = (n: string): boolean => n.length >= 1 && n.length <= 63 && LABEL_NAME_ORACLE.test(n);
        const expected =
          parts.length === 1 ? nameOk(k) : parts.length === 2 && checkDnsSubdomain(parts[0], 'p') === undefined && nameOk(parts[1]);
        expect(m === undefined).toBe(expected);
        const fix = suggestion(m);
        if (fix !== undefined && !fix.includes(' or ')) expect(checkLabelKey(fix)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkLabelValue', () => {
  it.each(['', 'prod', 'Prod_1.2-x', '0', 'x'.repeat(63)])('accepts %j', (v) => {
    expect(checkLabelValue(v)).toBeUndefined();
  });

  it.each(['a b', '-a', 'a.', 'x'.repeat(64), 'a/b', 'é', ' '])('rejects %j', (v) => {
    const m = checkLabelValue(v);
    expectWellFormed(m, v);
    expect(m).toContain('is not a valid label value');
  });

  it('quotes the value, states the rule and suggests a fix', () => {
    expect(checkLabelValue('eu west')).toBe(
      `"eu west" is not a valid label value: use an empty string or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. "eu-west").`,
    );
    expect(checkLabelValue('x'.repeat(64))).toContain('it has 64 characters;');
  });
});

describe('checkLabels', () => {
  it('returns nothing for valid labels (also a null-prototype map)', () => {
    expect(checkLabels({ environment: 'prod', 'example.com/team': 'a', empty: '' }, 'labels')).toEqual([]);
    const bare = Object.assign(Object.create(null) as Record<string, string>, { a: 'b' });
    expect(checkLabels(bare, 'labels')).toEqual([]);
    expect(checkLabels({}, 'labels')).toEqual([]);
  });

  it('reports every problem of every key and value, with where they are', () => {
    expect(checkLabels({ 'Bad Key': 'bad value', ok: 'fine', 'team/': 'x' }, 'environment labels')).toEqual([
      `"Bad Key" is not a valid label key in environment labels: use a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, optionally prefixed by a DNS subdomain and '/' (e.g. "Bad-Key").`,
      `"bad value" is not a valid label value for key "Bad Key" in environment labels: use an empty string or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. "bad-value").`,
      `"team/" is not a valid label key in environment labels: the name after '/' is empty; use a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit after the '/'.`,
    ]);
  });

  it('tells to quote a number or boolean read from YAML', () => {
    expect(checkLabels({ version: 2 as unknown as string }, 'labels')).toEqual([
      `2 is not a valid label value for key "version" in labels: label values must be strings; quote it (e.g. "2").`,
    ]);
    expect(checkLabels({ enabled: true as unknown as string }, 'labels')[0]).toContain('quote it (e.g. "true")');
  });

  it('rejects a non-map', () => {
    const m = checkLabels(['a'] as unknown as Record<string, string>, 'namespaceLabels');
    expect(m).toEqual([
      `["a"] is not a valid set of namespaceLabels: expected a map of label keys to string values (e.g. { "environment": "prod" }).`,
    ]);
  });
});

describe('checkGoDuration / parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['1h', 3_600_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['500ms', 500],
    ['1500us', 1.5],
    ['1500\u00b5s', 1.5],
    ['1500\u03bcs', 1.5],
    ['2000000ns', 2],
    ['1ns', 0.000001],
    ['.5s', 500],
    ['1.s', 1000],
    ['1h1h', 7_200_000],
    ['10s5m', 310_000],
    ['0.000000001s', 0.000001],
    ['0.0000000001s', 0], // below a nanosecond: truncated, like Go
    ['2562047h', 2562047 * 3_600_000],
    ['2562047h47m16.854775807s', 9_223_372_036_854.775],
  ])('accepts %j = %d ms', (v, ms) => {
    expect(checkGoDuration(v)).toBeUndefined();
    expect(parseGoDuration(v)).toBeCloseTo(ms, 6);
  });

  it.each([
    '',
    '-1h',
    '+1h',
    '-0',
    '1d',
    '7d',
    '2w',
    '1H',
    '30',
    '1h30',
    'h',
    '.s',
    '.',
    '1e3s',
    '1 h',
    ' 1h',
    '1h ',
    'abc',
    '1..5s',
    '1.5.5s',
    '3000000h',
    '-',
    '1y',
    'P1D',
  ])('rejects %j', (v) => {
    const m = checkGoDuration(v);
    expectWellFormed(m, v);
    expect(parseGoDuration(v)).toBeUndefined();
  });

  it('suggests the equivalent in hours for days and weeks', () => {
    expect(checkGoDuration('1d')).toBe(`"1d" is not a Go duration (units: ns, us, ms, s, m, h; no "d"): write "24h".`);
    expect(checkGoDuration('7d')).toBe(`"7d" is not a Go duration (units: ns, us, ms, s, m, h; no "d"): write "168h".`);
    expect(checkGoDuration('1w')).toBe(`"1w" is not a Go duration (units: ns, us, ms, s, m, h; no "w"): write "168h".`);
    expect(checkGoDuration('1.5d')).toContain('write "36h"');
    expect(checkGoDuration('1d12h30m')).toContain('write "36h30m"');
    expect(checkGoDuration('1w1d')).toBe(`"1w1d" is not a Go duration (units: ns, us, ms, s, m, h; no "w" or "d"): write "192h".`);
    expect(checkGoDuration('0d')).toContain('write "0s"');
  });

  it('suggests Go units for spelled-out units', () => {
    expect(checkGoDuration('5min')).toContain('no "min"): write "5m"');
    expect(checkGoDuration('90sec')).toContain('no "sec"): write "1m30s"');
    expect(checkGoDuration('2hours')).toContain('write "2h"');
  });

  it('rejects a sign and suggests the unsigned duration', () => {
    expect(checkGoDuration('-1h')).toBe(`"-1h" is not an allowed duration: a negative duration is not allowed; write "1h".`);
    expect(checkGoDuration('+30m')).toBe(`"+30m" is not an allowed duration: a '+' sign is not allowed; write "30m".`);
    expect(checkGoDuration('-1d')).toContain('write "24h"');
    expect(checkGoDuration('-0')).toContain('write "0"');
  });

  it('explains a missing unit, spaces, unknown units, range and empty input', () => {
    expect(checkGoDuration('30')).toBe(
      `"30" is not a Go duration: the number "30" has no unit; add one of ns, us, µs, ms, s, m, h (e.g. "30s").`,
    );
    expect(checkGoDuration('1h30')).toBe(`"1h30" is not a Go duration: the number "30" has no unit; add one of ns, us, µs, ms, s, m, h.`);
    expect(checkGoDuration('1h 30m')).toBe(`"1h 30m" is not a Go duration: it must not contain spaces; write "1h30m".`);
    expect(checkGoDuration('1H')).toBe(
      `"1H" is not a Go duration: "H" is not a unit; use decimal numbers each followed by a unit among ns, us, µs, ms, s, m, h (e.g. "1h30m").`,
    );
    expect(checkGoDuration('3000000h')).toBe(`"3000000h" is out of range for a Go duration: use at most "2562047h" (about 292 years).`);
    expect(checkGoDuration('')).toBe(`"" is not a Go duration: it is empty; write e.g. "1h", "30m" or "0".`);
  });

  it('does not throw on a number read from YAML', () => {
    expect(checkGoDuration(0 as unknown as string)).toBe(`0 is not a Go duration: expected a string; write "0".`);
    expectWellFormed(checkGoDuration(60 as unknown as string), 60);
    expect(parseGoDuration(60 as unknown as string)).toBeUndefined();
  });

  it('parses any composition of h, m, s, ms to the sum of its parts (property)', () => {
    const part = (unit: string, ms: number) => fc.nat({ max: 100_000 }).map((n) => ({ text: `${n}${unit}`, ms: n * ms }));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(part('h', 3_600_000), part('m', 60_000), part('s', 1000), part('ms', 1)), { minLength: 1, maxLength: 6 }),
        (parts) => {
          const text = parts.map((p) => p.text).join('');
          expect(checkGoDuration(text)).toBeUndefined();
          expect(parseGoDuration(text)).toBe(parts.reduce((sum, p) => sum + p.ms, 0));
        },
      ),
    );
  });

  it('every "d"/"w" suggestion is a valid Go duration of the same length (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.constantFrom('d', 'w'), fc.nat({ max: 23 }), (n, unit, h) => {
        const v = `${n}${unit}${h}h`;
        const m = checkGoDuration(v) as string;
        const fix = JSON.parse(m.match(/write ("[^"]*")\.$/)?.[1] as string) as string;
        expect(parseGoDuration(fix)).toBe((n * (unit === 'd' ? 24 : 168) + h) * 3_600_000);
      }),
    );
  });

  it('never throws and parse agrees with check on arbitrary text (property)', () => {
    const durationish = fc.string({
      unit: fc.constantFrom('0', '1', '5', '.', 'h', 'm', 's', 'n', 'u', 'µ', 'd', '-', '+', ' '),
      maxLength: 12,
    });
    fc.assert(
      fc.property(durationish, (v) => {
        const m = checkGoDuration(v);
        expect(parseGoDuration(v) === undefined).toBe(m !== undefined);
        if (m !== undefined) expectWellFormed(m, v);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('checkUuid', () => {
  it.each([
    '123e4567-e89b-12d3-a456-426614174000',
    '123E4567-E89B-12D3-A456-426614174000',
    '123e4567-E89B-12d3-a456-426614174000',
    '00000000-0000-0000-0000-000000000000',
  ])('accepts %j', (v) => {
    expect(checkUuid(v, 'controlPlaneId')).toBeUndefined();
  });

  it.each([
    '',
    'nope',
    '123e4567e89b12d3a456426614174000',
    '{123e4567-e89b-12d3-a456-426614174000}',
    'urn:uuid:123e4567-e89b-12d3-a456-426614174000',
    '123e4567-e89b-12d3-a456-42661417400',
    '123e4567-e89b-12d3-a456-4266141740000',
    '123g4567-e89b-12d3-a456-426614174000',
    ' 123e4567-e89b-12d3-a456-426614174000',
  ])('rejects %j', (v) => {
    expectWellFormed(checkUuid(v, 'controlPlaneId'), v);
  });

  it('suggests the canonical form when the digits are all there', () => {
    expect(checkUuid('123e4567e89b12d3a456426614174000', 'controlPlaneId')).toBe(
      `"123e4567e89b12d3a456426614174000" is not a valid controlPlaneId: use 32 hexadecimal digits in groups of 8-4-4-4-12 separated by '-' (e.g. "123e4567-e89b-12d3-a456-426614174000").`,
    );
    expect(suggestion(checkUuid('{ABCDEF01-2345-6789-abcd-ef0123456789}', 'id'))).toBe('ABCDEF01-2345-6789-abcd-ef0123456789');
    expect(suggestion(checkUuid('urn:uuid:abcdef01-2345-6789-abcd-ef0123456789', 'id'))).toBe('abcdef01-2345-6789-abcd-ef0123456789');
    expect(checkUuid('nope', 'controlPlaneId')).toBe(
      `"nope" is not a valid controlPlaneId: use 32 hexadecimal digits in groups of 8-4-4-4-12 separated by '-' (e.g. "123e4567-e89b-12d3-a456-426614174000").`,
    );
  });

  it('agrees with the 8-4-4-4-12 rule (property)', () => {
    const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: n, maxLength: n });
    fc.assert(
      fc.property(hex(8), hex(4), hex(4), hex(4), hex(12), (a, b, c, d, e) => {
        expect(checkUuid(`${a}-${b}-${c}-${d}-${e}`, 'id')).toBeUndefined();
        expect(checkUuid(`${a}${b}-${c}-${d}-${e}`, 'id')).toBeTypeOf('string');
      }),
    );
  });
});

describe('checkSecretKey', () => {
  it.each(['password', 'DB_PASSWORD', 'tls.crt', '.env', 'a-b_c.d', '0', 'x'.repeat(253)])('accepts %j', (v) => {
    expect(checkSecretKey(v)).toBeUndefined();
  });

  it.each(['', 'db/password', 'a b', 'x'.repeat(254), 'é', '.', '..', '..env', 'key:1'])('rejects %j', (v) => {
    const m = checkSecretKey(v);
    expectWellFormed(m, v);
    expect(m).toContain('is not a valid secret key');
  });

  it('quotes the value, states the rule and suggests a fix', () => {
    expect(checkSecretKey('db/password')).toBe(
      `"db/password" is not a valid secret key: use 1 to 253 letters, digits, '-', '_' and '.' (e.g. "db_password").`,
    );
    expect(checkSecretKey('x'.repeat(254))).toContain('it has 254 characters;');
    expect(checkSecretKey('..env')).toBe(
      `"..env" is not a valid secret key: Kubernetes does not allow "." or ".." or a leading ".." in Secret keys; rename it (e.g. "env").`,
    );
  });

  it('every suggestion is itself valid (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (v) => {
        const m = checkSecretKey(v);
        if (m !== undefined) expectWellFormed(m, v);
        const fix = suggestion(m);
        if (fix !== undefined) expect(checkSecretKey(fix)).toBeUndefined();
      }),
    );
  });
});
