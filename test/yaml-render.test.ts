import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockYaml, libraryYaml, toYaml } from '../lib/output/yaml-render.js';

/** Strings that are plain, keywords of YAML 1.1 or 1.2, numbers, dates, indicators, quotes, spaces, line breaks. */
const tricky = fc.oneof(
  fc.constantFrom(
    'yes',
    'No',
    'ON',
    'off',
    'y',
    'n',
    'true',
    'False',
    'null',
    'Null',
    '~',
    '',
    ' ',
    '-',
    '- a',
    '? x',
    ': x',
    'a: b',
    'a #b',
    '#c',
    'x:',
    '---',
    '--- x',
    '...',
    '... x',
    '%x',
    '@a',
    '`a',
    '!x',
    '&a',
    '*a',
    '|',
    '>',
    "'",
    '"',
    '[a]',
    '{a}',
    ',',
    '0755',
    '0o17',
    '0x1F',
    '1e3',
    '1_000',
    '2024-01-01',
    '12:30',
    '.inf',
    '-.5',
    '+1',
    '007',
    'arn:aws:iam::111122223333:role/x',
    'https://example.com/a?b=c#d',
    'eu-central-1',
    'secretsmanager',
    'a\nb',
    'a\n',
    '\n',
    'tab\there',
    'é-ünïcode',
    '😀',
    '\u0000',
    '\u2028',
    'a  b',
    ' lead',
    'trail ',
  ),
  fc.string({
    unit: fc.constantFrom(
      'a',
      'Z',
      '0',
      '9',
      '-',
      '_',
      '.',
      '/',
      ':',
      ' ',
      '#',
      '"',
      "'",
      '\n',
      '\\',
      'é',
      '{',
      '[',
      ',',
      '*',
      '&',
      '!',
      '%',
      '@',
      '|',
      '>',
      '?',
    ),
    maxLength: 12,
  }),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_./-]{0,20}$/),
);
const scalar = fc.oneof(tricky, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-0));
const { value } = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('object'), fc.array(tie('value'), { maxLength: 4 })),
  object: fc.dictionary(tricky, tie('value'), { maxKeys: 5 }),
}));
const documents = fc.dictionary(tricky, value, { maxKeys: 6 });

describe('YAML rendering: the block layout', () => {
  it('writes the same bytes as the yaml library wherever it renders a document (differential property)', () => {
    let rendered = 0;
    fc.assert(
      fc.property(documents, (doc) => {
        const fast = blockYaml(doc);
        if (fast !== undefined) rendered += 1;
        expect(fast ?? libraryYaml(doc)).toBe(libraryYaml(doc));
      }),
      { numRuns: 3000 },
    );
    // Most random documents hold only one-line scalars: the layout must take them, not leave all to the library.
    expect(rendered).toBeGreaterThan(1000);
  });

  it('renders Kubernetes-shaped objects itself, and leaves multi-line strings and other values to the library', () => {
    const object = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'yes' } },
      data: { a: '0755', b: 'arn:aws:iam::1:role/r' },
      list: [[1, []], {}, { c: [{ d: null }] }],
    };
    expect(blockYaml(object)).toBe(libraryYaml(object));
    expect(blockYaml({ pem: '-----BEGIN-----\nabc\n' })).toBeUndefined();
    expect(blockYaml({ when: new Date(0) })).toBeUndefined();
    expect(blockYaml({ missing: undefined })).toBeUndefined();
    expect(blockYaml(['top-level sequence'])).toBeUndefined();
    expect(toYaml({ pem: 'a\nb\n' })).toBe(libraryYaml({ pem: 'a\nb\n' }));
    expect(toYaml({})).toBe('{}\n');
  });
});
