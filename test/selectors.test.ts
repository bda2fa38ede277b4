import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLabelSelector,
  checkSpacesSelector,
  describeSelector,
  matchesLabelSelector,
  matchesSpacesSelector,
  normalizeSelector,
  type LabelSelector,
  type LabelSelectorRequirement,
  type SelectorOperator,
  type SpacesSelector,
} from '../lib/model/selectors.js';

const PROD = { environment: 'prod', tier: 'db' };
const DEV = { environment: 'dev' };
const NONE = {};
const EMPTY_VALUE = { environment: '' };

describe('matchesLabelSelector', () => {
  const cases: [string, LabelSelector, Record<string, string>, boolean][] = [
    // empty selector
    ['{} matches labels', {}, PROD, true],
    ['{} matches no labels', {}, NONE, true],
    ['empty lists match', { matchLabels: {}, matchExpressions: [] }, NONE, true],
    // matchLabels
    ['matchLabels equal', { matchLabels: { environment: 'prod' } }, PROD, true],
    ['matchLabels different value', { matchLabels: { environment: 'prod' } }, DEV, false],
    ['matchLabels missing key', { matchLabels: { environment: 'prod' } }, NONE, false],
    ['matchLabels all pairs', { matchLabels: { environment: 'prod', tier: 'db' } }, PROD, true],
    ['matchLabels one pair missing', { matchLabels: { environment: 'prod', tier: 'web' } }, PROD, false],
    ['matchLabels empty value matches empty value', { matchLabels: { environment: '' } }, EMPTY_VALUE, true],
    ['matchLabels empty value needs the key', { matchLabels: { environment: '' } }, NONE, false],
    // In
    ['In value listed', { matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev', 'prod'] }] }, PROD, true],
    ['In value not listed', { matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev', 'staging'] }] }, PROD, false],
    ['In missing key', { matchExpressions: [{ key: 'environment', operator: 'In', values: ['prod'] }] }, NONE, false],
    ['In empty value listed', { matchExpressions: [{ key: 'environment', operator: 'In', values: [''] }] }, EMPTY_VALUE, true],
    // NotIn
    ['NotIn value listed', { matchExpressions: [{ key: 'environment', operator: 'NotIn', values: ['prod'] }] }, PROD, false],
    ['NotIn value not listed', { matchExpressions: [{ key: 'environment', operator: 'NotIn', values: ['prod'] }] }, DEV, true],
    ['NotIn missing key matches', { matchExpressions: [{ key: 'environment', operator: 'NotIn', values: ['prod'] }] }, NONE, true],
    // Exists
    ['Exists present', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, PROD, true],
    ['Exists present with empty value', { matchExpressions: [{ key: 'environment', operator: 'Exists' }] }, EMPTY_VALUE, true],
    ['Exists missing key', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, DEV, false],
    ['Exists with empty values list', { matchExpressions: [{ key: 'tier', operator: 'Exists', values: [] }] }, PROD, true],
    // DoesNotExist
    ['DoesNotExist present', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, PROD, false],
    ['DoesNotExist missing key', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, DEV, true],
    ['DoesNotExist on no labels', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, NONE, true],
    // AND of everything
    [
      'matchLabels AND matchExpressions all hold',
      {
        matchLabels: { environment: 'prod' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['db'] },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      PROD,
      true,
    ],
    [
      'matchLabels holds but an expression fails',
      { matchLabels: { environment: 'prod' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
      PROD,
      false,
    ],
    [
      'expressions hold but matchLabels fails',
      { matchLabels: { environment: 'dev' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      PROD,
      false,
    ],
    // malformed requirements match nothing, as Kubernetes refuses to evaluate them
    ['In without values', { matchExpressions: [{ key: 'environment', operator: 'In' }] }, PROD, false],
    ['In with empty values', { matchExpressions: [{ key: 'environment', operator: 'In', values: [] }] }, PROD, false],
    ['NotIn without values', { matchExpressions: [{ key: 'environment', operator: 'NotIn' }] }, NONE, false],
    ['Exists with values', { matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['db'] }] }, PROD, false],
    ['DoesNotExist with values', { matchExpressions: [{ key: 'x', operator: 'DoesNotExist', values: ['a'] }] }, PROD, false],
    ['unknown operator', { matchExpressions: [{ key: 'tier', operator: 'in' as SelectorOperator, values: ['db'] }] }, PROD, false],
    // inherited properties are not labels
    ['matchLabels does not see Object.prototype', { matchLabels: { toString: 'x' } }, NONE, false],
    ['Exists does not see Object.prototype', { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, NONE, false],
    ['DoesNotExist does not see Object.prototype', { matchExpressions: [{ key: 'hasOwnProperty', operator: 'DoesNotExist' }] }, NONE, true],
  ];

  it.each(cases)('%s', (_name, selector, labels, expected) => {
    expect(matchesLabelSelector(selector, labels)).toBe(expected);
  });

  it('treats a null selector as matching nothing and null labels as no labels', () => {
    expect(matchesLabelSelector(null as unknown as LabelSelector, PROD)).toBe(false);
    expect(matchesLabelSelector({}, null as unknown as Record<string, string>)).toBe(true);
    expect(
      matchesLabelSelector({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, undefined as unknown as Record<string, string>),
    ).toBe(true);
  });

  it('works on null-prototype label maps', () => {
    const labels = Object.assign(Object.create(null) as Record<string, string>, { environment: 'prod' });
    expect(matchesLabelSelector({ matchLabels: { environment: 'prod' } }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'environment', operator: 'In', values: ['prod'] }] }, labels)).toBe(true);
  });
});

describe('matchesSpacesSelector', () => {
  const prodOrStaging: SpacesSelector = {
    labelSelectors: [
      { matchLabels: { environment: 'prod' } },
      { matchExpressions: [{ key: 'environment', operator: 'In', values: ['staging'] }] },
    ],
  };
  const cases: [string, SpacesSelector, string, Record<string, string>, boolean][] = [
    ['name listed', { names: ['a', 'b'] }, 'b', NONE, true],
    ['name not listed', { names: ['a', 'b'] }, 'c', PROD, false],
    ['names are exact (no case folding)', { names: ['a'] }, 'A', NONE, false],
    ['first label selector matches', prodOrStaging, 'x', PROD, true],
    ['second label selector matches', prodOrStaging, 'x', { environment: 'staging' }, true],
    ['no label selector matches', prodOrStaging, 'x', DEV, false],
    ['no labels', prodOrStaging, 'x', NONE, false],
    ['names OR labels: by name', { names: ['a'], labelSelectors: [{ matchLabels: { environment: 'prod' } }] }, 'a', DEV, true],
    ['names OR labels: by labels', { names: ['a'], labelSelectors: [{ matchLabels: { environment: 'prod' } }] }, 'z', PROD, true],
    ['names OR labels: neither', { names: ['a'], labelSelectors: [{ matchLabels: { environment: 'prod' } }] }, 'z', DEV, false],
    ['empty label selector matches everything', { labelSelectors: [{}] }, 'x', NONE, true],
    ['both lists absent matches nothing', {}, 'a', PROD, false],
    ['both lists empty matches nothing', { names: [], labelSelectors: [] }, 'a', PROD, false],
    [
      'a malformed label selector does not hide a good one',
      { labelSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, { matchLabels: { environment: 'dev' } }] },
      'x',
      DEV,
      true,
    ],
  ];

  it.each(cases)('%s', (_name, selector, name, labels, expected) => {
    expect(matchesSpacesSelector(selector, name, labels)).toBe(expected);
  });
});

describe('checkLabelSelector', () => {
  it.each<[string, LabelSelector]>([
    ['empty', {}],
    ['matchLabels', { matchLabels: { environment: 'prod', 'example.com/team': 'a', empty: '' } }],
    ['In', { matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev', 'prod'] }] }],
    ['NotIn', { matchExpressions: [{ key: 'environment', operator: 'NotIn', values: ['prod'] }] }],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }],
    ['Exists with []', { matchExpressions: [{ key: 'tier', operator: 'Exists', values: [] }] }],
    ['DoesNotExist', { matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] }],
  ])('accepts %s', (_name, selector) => {
    expect(checkLabelSelector(selector)).toEqual([]);
  });

  it('requires values for In and NotIn', () => {
    expect(checkLabelSelector({ matchExpressions: [{ key: 'environment', operator: 'In' }] })).toEqual([
      `matchExpressions[0]: "In" on key "environment" needs a non-empty values list (got no values); list the accepted values, or use "Exists" to accept any value.`,
    ]);
    expect(checkLabelSelector({ matchExpressions: [{ key: 'environment', operator: 'NotIn', values: [] }] })).toEqual([
      `matchExpressions[0]: "NotIn" on key "environment" needs a non-empty values list (got []); list the excluded values, or use "Exists" or drop the requirement to accept any value.`,
    ]);
  });

  it('forbids values for Exists and DoesNotExist', () => {
    expect(checkLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['db'] }] })).toEqual([
      `matchExpressions[0]: "Exists" on key "tier" must not have values (got ["db"]); remove the values, or use "In" to require specific values.`,
    ]);
    expect(checkLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist', values: ['db'] }] })[0]).toContain(
      'use "NotIn" to exclude specific values',
    );
  });

  it('rejects an unknown operator, suggesting the right spelling', () => {
    const op = (operator: string) =>
      checkLabelSelector({ matchExpressions: [{ key: 'a', operator: operator as SelectorOperator, values: ['b'] }] });
    expect(op('in')).toEqual([
      `matchExpressions[0].operator: "in" is not a label selector operator: use one of In, NotIn, Exists, DoesNotExist (e.g. "In").`,
    ]);
    expect(op('not in')[0]).toContain('(e.g. "NotIn")');
    expect(op('does_not_exist')[0]).toContain('(e.g. "DoesNotExist")');
    expect(op('Equals')).toEqual([
      `matchExpressions[0].operator: "Equals" is not a label selector operator: use one of In, NotIn, Exists, DoesNotExist.`,
    ]);
  });

  it('checks label keys and values everywhere', () => {
    expect(
      checkLabelSelector({
        matchLabels: { 'Bad Key': 'ok', env: 'bad value' },
        matchExpressions: [{ key: 'example.com/', operator: 'In', values: ['ok', '-bad'] }],
      }),
    ).toEqual([
      `matchLabels: "Bad Key" is not a valid label key: use a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, optionally prefixed by a DNS subdomain and '/' (e.g. "Bad-Key").`,
      `matchLabels.env: "bad value" is not a valid label value: use an empty string or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. "bad-value").`,
      `matchExpressions[0].key: "example.com/" is not a valid label key: the name after '/' is empty; use a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit after the '/'.`,
      `matchExpressions[0].values[1]: "-bad" is not a valid label value: use an empty string or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. "bad").`,
    ]);
  });

  it('reports malformed shapes from untyped input without throwing', () => {
    const untyped = (s: unknown) => checkLabelSelector(s as LabelSelector);
    expect(untyped(null)[0]).toContain('null is not a label selector');
    expect(untyped({ matchLabels: ['a'] })[0]).toContain('matchLabels: ["a"] is not a map of labels');
    expect(untyped({ matchExpressions: { key: 'a', operator: 'Exists' } })[0]).toContain(
      'is not a list of requirements: wrap it in a list',
    );
    expect(untyped({ matchExpressions: [null] })[0]).toContain('matchExpressions[0]: null is not a label selector requirement');
    expect(untyped({ matchExpressions: [{ key: 'a', operator: 'In', values: 'b' }] })).toEqual([
      `matchExpressions[0].values: "b" is not a list of label values: write values: ["b"].`,
    ]);
    expect(untyped({ matchLabel: { a: 'b' } })).toEqual([
      `"matchLabel" is not a field of a label selector (fields: matchLabels, matchExpressions); rename it to "matchLabels".`,
    ]);
    expect(untyped({ matchLabels: { version: 1 } })[0]).toContain('label values must be strings; quote it (e.g. "1")');
  });
});

describe('checkSpacesSelector', () => {
  it.each<[string, SpacesSelector]>([
    ['names', { names: ['team-a', 'team-b'] }],
    ['labelSelectors', { labelSelectors: [{ matchLabels: { environment: 'prod' } }] }],
    ['an empty label selector (selects everything)', { labelSelectors: [{}] }],
    ['both', { names: ['a'], labelSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }] }],
  ])('accepts %s', (_name, selector) => {
    expect(checkSpacesSelector(selector)).toEqual([]);
  });

  it.each<[string, SpacesSelector]>([
    ['{}', {}],
    ['empty lists', { names: [], labelSelectors: [] }],
    ['empty names only', { names: [] }],
  ])('needs a non-empty names or labelSelectors list: %s', (_name, selector) => {
    const problems = checkSpacesSelector(selector);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('a Spaces selector needs a non-empty names or labelSelectors list');
    expect(problems[0]?.startsWith(JSON.stringify(selector))).toBe(true);
  });

  it('gives the exact message for an empty selector', () => {
    expect(checkSpacesSelector({})).toEqual([
      `{} selects nothing: a Spaces selector needs a non-empty names or labelSelectors list; add names (e.g. {"names": ["team-a"]}) or a label selector (e.g. {"labelSelectors": [{"matchLabels": {"environment": "prod"}}]}).`,
    ]);
  });

  it('checks names as DNS-1123 labels and flags duplicates', () => {
    expect(checkSpacesSelector({ names: ['team-a', 'Team_B', 'team-a', 'team-a'] })).toEqual([
      `names[1]: "Team_B" is not a valid name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. "team-b").`,
      `names[2]: "team-a" is listed more than once (first at names[0]); remove the duplicate.`,
      `names[3]: "team-a" is listed more than once (first at names[0]); remove the duplicate.`,
    ]);
  });

  it('checks every label selector, prefixing its position', () => {
    expect(
      checkSpacesSelector({
        labelSelectors: [{ matchLabels: { environment: 'prod' } }, { matchExpressions: [{ key: 'tier', operator: 'In' }] }],
      }),
    ).toEqual([
      `labelSelectors[1].matchExpressions[0]: "In" on key "tier" needs a non-empty values list (got no values); list the accepted values, or use "Exists" to accept any value.`,
    ]);
  });

  it('catches the singular "labelSelector" typo and non-list fields', () => {
    const untyped = (s: unknown) => checkSpacesSelector(s as SpacesSelector);
    expect(untyped({ labelSelector: { matchLabels: { a: 'b' } } })).toEqual([
      `"labelSelector" is not a field of a Spaces selector (fields: names, labelSelectors); rename it to "labelSelectors".`,
      `{"labelSelector":{"matchLabels":{"a":"b"}}} selects nothing: a Spaces selector needs a non-empty names or labelSelectors list; add names (e.g. {"names": ["team-a"]}) or a label selector (e.g. {"labelSelectors": [{"matchLabels": {"environment": "prod"}}]}).`,
    ]);
    expect(untyped({ names: 'team-a' })[0]).toBe(`names: "team-a" is not a list of names: write names: ["team-a"].`);
    expect(untyped({ labelSelectors: { matchLabels: { a: 'b' } } })[0]).toContain(
      'labelSelectors: {"matchLabels":{"a":"b"}} is not a list of label selectors: wrap it in a list',
    );
    expect(untyped(undefined)[0]).toContain('a Spaces selector needs a non-empty names or labelSelectors list');
  });
});

describe('describeSelector', () => {
  it.each<[SpacesSelector, string]>([
    [{ names: ['a', 'b'] }, 'names [a, b]'],
    [
      {
        labelSelectors: [
          { matchLabels: { environment: 'prod' } },
          { matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev', 'staging'] }] },
        ],
      },
      'labels environment=prod | environment in (dev, staging)',
    ],
    [
      {
        labelSelectors: [
          {
            matchLabels: { environment: 'prod', tier: 'db' },
            matchExpressions: [
              { key: 'region', operator: 'NotIn', values: ['us'] },
              { key: 'team', operator: 'Exists' },
              { key: 'legacy', operator: 'DoesNotExist' },
            ],
          },
        ],
      },
      'labels environment=prod, tier=db, region notin (us), team, !legacy',
    ],
    [{ labelSelectors: [{}] }, 'labels (any)'],
    [{ names: ['a'], labelSelectors: [{ matchLabels: { x: 'y' } }] }, 'names [a] or labels x=y'],
    [{}, 'nothing (no names or labelSelectors)'],
    [{ names: [], labelSelectors: [] }, 'nothing (no names or labelSelectors)'],
  ])('%j → %s', (selector, text) => {
    expect(describeSelector(selector)).toBe(text);
  });
});

describe('normalizeSelector', () => {
  it('sorts and deduplicates names, omits empty lists', () => {
    expect(normalizeSelector({ names: ['c', 'a', 'b', 'a'], labelSelectors: [] })).toEqual({ names: ['a', 'b', 'c'] });
    expect(normalizeSelector({ names: [], labelSelectors: [] })).toEqual({});
    expect(Object.keys(normalizeSelector({ labelSelectors: [{}], names: ['a'] }))).toEqual(['names', 'labelSelectors']);
  });

  it('sorts matchLabels keys, expressions and values; omits empty parts', () => {
    const out = normalizeSelector({
      labelSelectors: [
        {
          matchLabels: { tier: 'db', environment: 'prod', app: 'x' },
          matchExpressions: [
            { key: 'zone', operator: 'In', values: ['b', 'a', 'b'] },
            { key: 'app', operator: 'NotIn', values: ['y'] },
            { key: 'app', operator: 'Exists', values: [] },
            { key: 'app', operator: 'DoesNotExist' },
          ],
        },
        { matchLabels: {}, matchExpressions: [] },
      ],
    });
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({
        labelSelectors: [
          {
            matchLabels: { app: 'x', environment: 'prod', tier: 'db' },
            matchExpressions: [
              { key: 'app', operator: 'DoesNotExist' },
              { key: 'app', operator: 'Exists' },
              { key: 'app', operator: 'NotIn', values: ['y'] },
              { key: 'zone', operator: 'In', values: ['a', 'b'] },
            ],
          },
          {},
        ],
      }),
    );
    expect(Object.keys(out.labelSelectors?.[0]?.matchLabels ?? {})).toEqual(['app', 'environment', 'tier']);
  });

  it('orders label selectors by JSON text and drops exact duplicates, keeping {}', () => {
    const out = normalizeSelector({
      labelSelectors: [
        { matchLabels: { environment: 'prod' } },
        { matchLabels: { environment: 'dev' } },
        { matchLabels: { environment: 'prod' } },
        {},
      ],
    });
    expect(out).toEqual({
      labelSelectors: [{ matchLabels: { environment: 'dev' } }, { matchLabels: { environment: 'prod' } }, {}],
    });
  });

  it('does not modify its input', () => {
    const input = {
      names: ['b', 'a'],
      labelSelectors: [{ matchLabels: { b: '1', a: '2' }, matchExpressions: [{ key: 'z', operator: 'In' as const, values: ['2', '1'] }] }],
    };
    const copy = JSON.parse(JSON.stringify(input)) as unknown;
    normalizeSelector(input);
    expect(input).toEqual(copy);
    expect(Object.keys(input.labelSelectors[0]?.matchLabels ?? {})).toEqual(['b', 'a']);
  });

  it('keeps a "__proto__" label as a label', () => {
    const matchLabels = Object.fromEntries([['__proto__', 'x']]) as Record<string, string>;
    const out = normalizeSelector({ labelSelectors: [{ matchLabels }] });
    const ml = out.labelSelectors?.[0]?.matchLabels ?? {};
    expect(Object.keys(ml)).toEqual(['__proto__']);
    expect(matchesSpacesSelector(out, 'n', Object.fromEntries([['__proto__', 'x']]) as Record<string, string>)).toBe(true);
    expect(matchesSpacesSelector(out, 'n', {})).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const KEYS = ['app', 'environment', 'tier', 'example.com/team', '9', '10', 'constructor', '__proto__'];
const VALUES = ['', 'a', 'b', 'prod', 'dev'];
const NAMES = ['a', 'b', 'team-a', 'team-b'];

const keyArb = fc.constantFrom(...KEYS);
const valueArb = fc.constantFrom(...VALUES);
const labelsArb = fc.dictionary(keyArb, valueArb, { maxKeys: 5 });
const operatorArb = fc.constantFrom<SelectorOperator>('In', 'NotIn', 'Exists', 'DoesNotExist');
const requirementArb: fc.Arbitrary<LabelSelectorRequirement> = fc
  .record({ key: keyArb, operator: operatorArb, values: fc.array(valueArb, { maxLength: 4 }) }, { requiredKeys: ['key', 'operator'] })
  .map((r) => r as LabelSelectorRequirement);
const labelSelectorArb: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: fc.dictionary(keyArb, valueArb, { maxKeys: 3 }), matchExpressions: fc.array(requirementArb, { maxLength: 4 }) },
  { requiredKeys: [] },
);
const spacesSelectorArb: fc.Arbitrary<SpacesSelector> = fc.record(
  { names: fc.array(fc.constantFrom(...NAMES), { maxLength: 4 }), labelSelectors: fc.array(labelSelectorArb, { maxLength: 4 }) },
  { requiredKeys: [] },
);

describe('properties', () => {
  it('a matchLabels-only selector matches iff every pair is in the labels', () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, valueArb, { maxKeys: 4 }), labelsArb, (matchLabels, labels) => {
        const present = new Map(Object.entries(labels));
        const expected = Object.entries(matchLabels).every(([k, v]) => present.has(k) && present.get(k) === v);
        expect(matchesLabelSelector({ matchLabels }, labels)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('labels that contain matchLabels always match it', () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, valueArb, { maxKeys: 4 }), labelsArb, (matchLabels, other) => {
        const labels = Object.fromEntries([...Object.entries(other), ...Object.entries(matchLabels)]) as Record<string, string>;
        expect(matchesLabelSelector({ matchLabels }, labels)).toBe(true);
      }),
    );
  });

  it('matchLabels k=v is equivalent to the expression k In [v]', () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, valueArb, { maxKeys: 4 }), labelsArb, (matchLabels, labels) => {
        const matchExpressions = Object.entries(matchLabels).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] }));
        expect(matchesLabelSelector({ matchExpressions }, labels)).toBe(matchesLabelSelector({ matchLabels }, labels));
      }),
    );
  });

  it('NotIn is the negation of In, DoesNotExist the negation of Exists', () => {
    fc.assert(
      fc.property(keyArb, fc.array(valueArb, { minLength: 1, maxLength: 3 }), labelsArb, (key, values, labels) => {
        const m = (operator: SelectorOperator, vs?: string[]) =>
          matchesLabelSelector({ matchExpressions: [vs ? { key, operator, values: vs } : { key, operator }] }, labels);
        expect(m('NotIn', values)).toBe(!m('In', values));
        expect(m('DoesNotExist')).toBe(!m('Exists'));
      }),
    );
  });

  it('a Spaces selector is the OR of its names and label selectors', () => {
    fc.assert(
      fc.property(spacesSelectorArb, fc.constantFrom(...NAMES, 'other'), labelsArb, (selector, name, labels) => {
        const expected =
          (selector.names ?? []).includes(name) || (selector.labelSelectors ?? []).some((s) => matchesLabelSelector(s, labels));
        expect(matchesSpacesSelector(selector, name, labels)).toBe(expected);
      }),
    );
  });

  it('normalizeSelector is idempotent', () => {
    fc.assert(
      fc.property(spacesSelectorArb, (selector) => {
        const once = normalizeSelector(selector);
        const twice = normalizeSelector(once);
        expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
        expect(twice).toEqual(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('normalizeSelector preserves matching on random names and label maps', () => {
    fc.assert(
      fc.property(
        spacesSelectorArb,
        fc.array(fc.tuple(fc.constantFrom(...NAMES, 'other'), labelsArb), { minLength: 1, maxLength: 8 }),
        (selector, objects) => {
          const normalized = normalizeSelector(selector);
          for (const [name, labels] of objects) {
            expect(matchesSpacesSelector(normalized, name, labels)).toBe(matchesSpacesSelector(selector, name, labels));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('normalizeSelector does not depend on input order', () => {
    fc.assert(
      fc.property(spacesSelectorArb, (selector) => {
        const reversed: SpacesSelector = {
          ...(selector.names ? { names: [...selector.names].reverse() } : {}),
          ...(selector.labelSelectors
            ? {
                labelSelectors: [...selector.labelSelectors].reverse().map((s) => ({
                  ...(s.matchLabels ? { matchLabels: Object.fromEntries(Object.entries(s.matchLabels).reverse()) } : {}),
                  ...(s.matchExpressions
                    ? {
                        matchExpressions: [...s.matchExpressions]
                          .reverse()
                          .map((r) => (r.values ? { ...r, values: [...r.values].reverse() } : r)),
                      }
                    : {}),
                })),
              }
            : {}),
        };
        expect(JSON.stringify(normalizeSelector(reversed))).toBe(JSON.stringify(normalizeSelector(selector)));
      }),
      { numRuns: 500 },
    );
  });

  it('normalizeSelector keeps valid selectors valid', () => {
    fc.assert(
      fc.property(spacesSelectorArb, (selector) => {
        if (checkSpacesSelector(selector).length === 0) expect(checkSpacesSelector(normalizeSelector(selector))).toEqual([]);
      }),
    );
  });
});
