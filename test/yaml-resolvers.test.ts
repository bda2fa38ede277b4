/**
 * Differential test of YAML scalar quoting: every string the renderer writes reads back as the same
 * string in a YAML 1.1 reader and in a YAML 1.2 reader. Readers: the `yaml` library's own YAML 1.1
 * schema and YAML 1.2 core schema (real parsers, without the renderer's extra tag), and go-yaml v2's
 * resolver (the reader of the Kubernetes toolchain, transcribed in test/fixtures/go-yaml-v2.ts).
 * Strings are generated biased to the forms those readers treat specially.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, stringify, isMap, isScalar } from 'yaml';
import { readsAsNonString } from '../lib/output/escape/yaml-scalar.js';
import { toYaml } from '../lib/output/render.js';
import { goYamlV2Resolve } from './fixtures/go-yaml-v2.js';

/** Pieces of numbers, booleans, nulls, dates and keys, in every spelling the readers know. */
const PIECES = [
  '0',
  '1',
  '7',
  '8',
  '9',
  '12',
  '2001',
  'a',
  'f',
  'F',
  'x',
  'X',
  'o',
  'O',
  'b',
  'B',
  '_',
  '.',
  'e',
  'E',
  '+',
  '-',
  ':',
  'T',
  't',
  ' ',
  'Z',
  '2001-12-14',
  '2001-1-2',
  '21:59:43',
  '.10',
  '-05:00',
  'y',
  'Y',
  'n',
  'N',
  'yes',
  'Yes',
  'yEs',
  'no',
  'NO',
  'on',
  'On',
  'oN',
  'off',
  'OFF',
  'true',
  'True',
  'tRUE',
  'false',
  'null',
  'NULL',
  'Null',
  '~',
  '=',
  '<<',
  'inf',
  'Inf',
  'nan',
  '.inf',
  '.NaN',
  '0x',
  '0X',
  '0o',
  '0O',
  '0b',
  '0B',
  '1_000',
  '190:20:30',
  '1e3',
  'v',
  '#',
  '"',
  "'",
  '\\',
  '@',
  '%',
  '!',
  '&',
  '*',
  '[',
  '{',
  ',',
  '?',
  '|',
  '>',
];

const biased = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 5 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0X1F',
      '0B101',
      '0O17',
      '0o_17',
      '-0o17',
      '1_000',
      '0b1',
      '-0b1',
      '08',
      '0999',
      '1.',
      '+.5',
      '1:20',
      '2001-1-2 3:4:5',
    ),
  },
);

/** The scalar written for `value` under key `k`, and how the library's plain readers read it back. */
function roundTrip(s: string): void {
  const asValue = toYaml({ k: s });
  const asKey = toYaml({ [s]: 'v' });
  for (const version of ['1.1', '1.2'] as const) {
    expect(parse(asValue, { version }), `${version} value ${JSON.stringify(asValue)}`).toEqual({ k: s });
    const doc = parseDocument(asKey, { version });
    const contents = doc.contents;
    expect(isMap(contents)).toBe(true);
    const key = isMap(contents) ? contents.items[0]?.key : undefined;
    expect(isScalar(key) && key.value, `${version} key ${JSON.stringify(asKey)}`).toBe(s);
  }
  for (const [text, node] of [
    [asValue, 'value'],
    [asKey, 'key'],
  ] as const) {
    const doc = parseDocument(text, { version: '1.1' });
    const pair = isMap(doc.contents) ? doc.contents.items[0] : undefined;
    const scalar = node === 'value' ? pair?.value : pair?.key;
    if (isScalar(scalar) && scalar.type === 'PLAIN') {
      const source = (scalar as { source?: string }).source ?? String(scalar.value);
      expect(goYamlV2Resolve(source), `go-yaml v2 reads the plain ${node} ${JSON.stringify(source)}`).toBe('!!str');
    }
  }
}

describe('YAML scalars read back as the same string in YAML 1.1 and 1.2 readers', () => {
  it('property: over strings biased to numbers, booleans, nulls, dates and merge keys', () => {
    fc.assert(
      fc.property(biased, (s) => roundTrip(s)),
      { numRuns: 3000 },
    );
  });

  it.each([
    '0X1F',
    '0B101',
    '0O17',
    '0o_17',
    '-0o17',
    '1_000',
    '0b1',
    '-0b1',
    'y',
    'Y',
    'n',
    'N',
    'on',
    'ON',
    'Off',
    'NULL',
    '~',
    '08',
    '1e3',
    '2001-1-2',
    '=',
    '<<',
    '+5',
    '.5',
    '1:20',
    // An exponent without a mantissa: the yaml library's 1.1 schema reads a float (found by the property).
    'E02001',
    'e123456',
    'E-12345',
  ])('quotes %j, which some reader takes for a non-string', (s) => {
    expect(toYaml({ k: s })).toMatch(/^k: "/);
    expect(toYaml({ [s]: 1 })).toMatch(/^"/);
    roundTrip(s);
  });

  it("agrees with the go-yaml v2 oracle on the issue's examples", () => {
    for (const s of ['0X1F', '0B101', '0O17', '0o_17', '-0o17']) expect(goYamlV2Resolve(s)).toBe('!!int');
    expect(goYamlV2Resolve('08')).toBe('!!float');
    expect(goYamlV2Resolve('2001-1-2')).toBe('!!timestamp');
    expect(goYamlV2Resolve('1.17.0')).toBe('!!str');
    expect(goYamlV2Resolve('yEs')).toBe('!!str');
  });

  it.each([
    '1.17.0',
    '10.0.0.1',
    'yEs',
    'v1.2',
    'hello',
    '0x',
    'eu-central-1',
    'arn:aws:iam::111122223333:role/x',
    'team-a',
    '2001-13-45x',
  ])('leaves %j plain, as before', (s) => {
    expect(toYaml({ k: s })).toBe(`k: ${s}\n`);
  });

  it('property: strings no reader takes for a non-string are written byte for byte as the library writes them', () => {
    fc.assert(
      fc.property(biased, (s) => {
        if (readsAsNonString(s) || s === '<<') return;
        expect(toYaml({ k: s })).toBe(stringify({ k: s }, { lineWidth: 0, version: '1.1' }));
      }),
      { numRuns: 2000 },
    );
  });
});
