/**
 * The CEL evaluator of the conformance tests (test/support/cel.ts), on small schemas written here:
 * where `self` is bound, defaults, value types, property-name escaping, transition rules,
 * messages, field paths, reasons, runtime errors, and that every unsupported function, variable
 * or construct fails when the rules are compiled, whichever branch it sits in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CelCompileError, CelRules, CelTally, escapeCelName, type ValidationRule } from './support/cel.js';

type Json = Record<string, unknown>;

/** A CRD root schema whose `spec` is `spec`. */
function root(spec: Json, extra: Json = {}): Json {
  return {
    type: 'object',
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec },
    ...extra,
  };
}

/** An object schema with `properties` and rules. */
function obj(properties: Json, rules: ValidationRule[] = [], extra: Json = {}): Json {
  return { type: 'object', properties, ...(rules.length > 0 ? { 'x-kubernetes-validations': rules } : {}), ...extra };
}

const STR = { type: 'string' };
const resource = (spec: unknown, metadata: Json = { name: 'n', namespace: 'ns', labels: { a: 'b' } }) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata,
  spec,
});

/** The failure texts of `spec` against a `spec` schema. */
function failures(specSchema: Json, spec: unknown, tally?: CelTally): string[] {
  return CelRules.compile(root(specSchema), 'example.com/v1 Widget')
    .evaluate(resource(spec), tally)
    .map((v) => v.text);
}

/** The compile problems of one rule at `spec` (an object with the given properties). */
function compileProblems(rule: ValidationRule, properties: Json = { x: STR }): readonly string[] {
  try {
    CelRules.compile(root(obj(properties, [rule])), 'example.com/v1 Widget');
    return [];
  } catch (e) {
    if (!(e instanceof CelCompileError)) throw e;
    return e.problems;
  }
}

describe('where a rule runs', () => {
  it('binds self to the value at the rule node, for every element of a list and every value of a map', () => {
    const item = obj({ name: STR, kind: STR }, [{ rule: 'has(self.name) != has(self.kind)', message: 'name or kind, not both' }]);
    const schema = obj({
      list: { type: 'array', items: item },
      map: { type: 'object', additionalProperties: item },
    });
    const spec = {
      list: [{ name: 'a' }, { name: 'b', kind: 'K' }, {}],
      map: { good: { kind: 'K' }, 'bad.key': {} },
    };
    expect(failures(schema, spec)).toEqual([
      'spec.list[1]: Invalid value: "object": name or kind, not both',
      'spec.list[2]: Invalid value: "object": name or kind, not both',
      'spec.map[bad.key]: Invalid value: "object": name or kind, not both',
    ]);
  });

  it('runs rules of nested lists (each element of each element)', () => {
    const leaf = obj({ regexp: STR, transform: STR }, [
      { rule: 'has(self.regexp) != has(self.transform)', message: 'exactly one of regexp or transform must be set' },
    ]);
    const schema = obj({ dataTo: { type: 'array', items: obj({ rewrite: { type: 'array', items: leaf } }) } });
    expect(
      failures(schema, { dataTo: [{ rewrite: [{ regexp: 'a' }] }, { rewrite: [{ regexp: 'a' }, { regexp: 'a', transform: 'b' }] }] }),
    ).toEqual(['spec.dataTo[1].rewrite[1]: Invalid value: "object": exactly one of regexp or transform must be set']);
  });

  it('does not run a rule on an absent or null value (a rule on the parent must check presence)', () => {
    const schema = obj({ inner: obj({ x: STR }, [{ rule: 'self.x == "y"' }], { nullable: true }) });
    const tally = new CelTally();
    expect(failures(schema, {}, tally)).toEqual([]);
    expect(failures(schema, { inner: null }, tally)).toEqual([]);
    expect(tally.totals()).toEqual({ evaluated: 0, failed: 0, skipped: 0 });
    expect(failures(schema, { inner: { x: 'z' } }, tally)).toEqual(['spec.inner: Invalid value: "object": failed rule: self.x == "y"']);
    expect(tally.totals()).toEqual({ evaluated: 1, failed: 1, skipped: 0 });
  });

  it('runs the rules of allOf branches on the node they sit beside', () => {
    const schema = obj({ a: STR, b: STR }, [{ rule: 'has(self.a)', message: 'a is required' }], {
      allOf: [{ 'x-kubernetes-validations': [{ rule: 'has(self.b)', message: 'b is required' }] }],
    });
    expect(failures(schema, { a: '1', b: '2' })).toEqual([]);
    expect(failures(schema, {})).toEqual(['spec: Invalid value: "object": a is required', 'spec: Invalid value: "object": b is required']);
  });

  it('at the resource root, self has apiVersion, kind and metadata.name only (as the API server)', () => {
    const schema = root(obj({ x: STR }), {
      'x-kubernetes-validations': [
        { rule: "self.metadata.name.size() <= 3 && self.kind == 'Widget' && self.apiVersion.startsWith('example.com/')", message: 'root' },
      ],
    });
    const rules = CelRules.compile(schema, 'w');
    expect(rules.evaluate(resource({}, { name: 'abc' }))).toEqual([]);
    expect(rules.evaluate(resource({}, { name: 'abcd' })).map((v) => v.text)).toEqual(['<root>: Invalid value: "object": root']);
    const labels = CelRules.compile(
      root(obj({}), { 'x-kubernetes-validations': [{ rule: "has(self.metadata.labels) || self.metadata.name == 'n'" }] }),
      'w',
    );
    // labels are not visible to CEL: has() is false, so the second operand decides.
    expect(labels.evaluate(resource({}, { name: 'n', labels: { a: 'b' } }))).toEqual([]);
    expect(labels.evaluate(resource({}, { name: 'm', labels: { a: 'b' } }))).toHaveLength(1);
  });
});

describe('values as the API server gives them to CEL', () => {
  it('applies the schema defaults first, also inside defaulted objects, and replaces non-nullable nulls', () => {
    const schema = obj({
      managementPolicies: { type: 'array', items: STR, default: ['*'] },
      readiness: obj({ policy: { type: 'string', default: 'SuccessfulCreate' }, celQuery: STR }, [
        { rule: "self.policy != 'DeriveFromCelQuery' || size(self.celQuery) > 0", message: 'celQuery must be set' },
      ]),
      nested: { ...obj({ inner: obj({ level: { type: 'integer', default: 3 } }, [], { default: {} }) }), default: {} },
    });
    const withDefaults = obj(schema.properties as Json, [
      { rule: "'*' in self.managementPolicies && self.nested.inner.level == 3", message: 'defaults applied' },
    ]);
    expect(failures(withDefaults, { readiness: {} })).toEqual([]);
    expect(failures(withDefaults, { readiness: null, managementPolicies: null })).toEqual([]);
    expect(failures(withDefaults, { managementPolicies: ['Observe'] })).toEqual(['spec: Invalid value: "object": defaults applied']);
    expect(failures(withDefaults, { readiness: { policy: 'DeriveFromCelQuery' } })).toEqual([
      'spec.readiness: Invalid value: "object": no such key: celQuery evaluating rule: celQuery must be set',
    ]);
  });

  it('does not change the object it validates', () => {
    const spec = { readiness: {} };
    failures(obj({ readiness: obj({ policy: { type: 'string', default: 'X' } }, [{ rule: "self.policy == 'X'" }]) }), spec);
    expect(spec).toEqual({ readiness: {} });
  });

  it('types values by the schema: integer is int, number is double, byte is bytes, date-time is a timestamp', () => {
    const schema = obj(
      {
        count: { type: 'integer' },
        ratio: { type: 'number' },
        either: { 'x-kubernetes-int-or-string': true },
        blob: { type: 'string', format: 'byte' },
        at: { type: 'string', format: 'date-time' },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
      [
        {
          rule:
            'type(self.count) == int && self.count + 1 == 3 && type(self.ratio) == double && self.either + 1 == 6 && ' +
            'type(self.blob) == bytes && size(self.blob) == 3 && ' +
            "self.at < timestamp('2030-01-01T00:00:00Z') && self.free.n == 7 && self.free.s == 'x'",
          message: 'typed',
        },
      ],
    );
    const good = { count: 2, ratio: 2, either: 5, blob: 'YWJj', at: '2026-01-01T00:00:00Z', free: { n: 7, s: 'x' } };
    expect(failures(schema, good)).toEqual([]);
    expect(failures(schema, { ...good, count: 3 })).toEqual(['spec: Invalid value: "object": typed']);
    expect(failures(schema, { ...good, at: '2031-01-01T00:00:00Z' })).toEqual(['spec: Invalid value: "object": typed']);
    // int-or-string holding a string: comparing it with an int is no overload at runtime (dyn typed).
    expect(failures(schema, { ...good, either: 'five' })).toEqual([
      expect.stringMatching(/^spec: Invalid value: "object": '.*overload.*': call arguments did not match .* for rule: typed$/),
    ]);
  });

  it('shows declared properties only, under their escaped names; a map keeps its keys', () => {
    const schema = obj(
      {
        namespace: STR,
        'a-b': STR,
        'a.b': STR,
        'a/b': STR,
        __x: STR,
        'has space': STR,
        labels: { type: 'object', additionalProperties: STR },
      },
      [
        {
          rule:
            "self.__namespace__ == 'ns' && self.a__dash__b == '1' && self.a__dot__b == '2' && self.a__slash__b == '3' && " +
            "self.__underscores__x == '4' && size(self) == 6 && self.labels['a-b.c/d'] == 'v' && 'namespace' in self.labels",
          message: 'escaped',
        },
      ],
    );
    const spec = {
      namespace: 'ns',
      'a-b': '1',
      'a.b': '2',
      'a/b': '3',
      __x: '4',
      'has space': 'hidden',
      labels: { 'a-b.c/d': 'v', namespace: 'n' },
    };
    expect(failures(schema, spec)).toEqual([]);
    expect(failures(schema, { ...spec, namespace: 'other' })).toEqual(['spec: Invalid value: "object": escaped']);
  });

  it('escapes property names as Kubernetes does', () => {
    const cases: [string, string | undefined][] = [
      ['namespace', '__namespace__'],
      ['in', '__in__'],
      ['true', '__true__'],
      ['while', '__while__'],
      ['self', 'self'],
      ['a-b', 'a__dash__b'],
      ['a.b', 'a__dot__b'],
      ['a/b', 'a__slash__b'],
      ['__a', '__underscores__a'],
      ['a___b', 'a__underscores___b'],
      ['_a', '_a'],
      ['', undefined],
      ['1abc', undefined],
      ['a b', undefined],
      ['a:b', undefined],
      ['ünicode', undefined],
    ];
    for (const [name, escaped] of cases) expect(escapeCelName(name), name).toBe(escaped);
  });

  it('property: every escaped name is a CEL identifier, and distinct names stay distinct', () => {
    const name = fc.stringMatching(/^[a-zA-Z_./-][a-zA-Z0-9_./-]{0,12}$/);
    fc.assert(
      fc.property(name, name, (a, b) => {
        const ea = escapeCelName(a);
        const eb = escapeCelName(b);
        expect(ea).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
        if (a !== b) expect(ea).not.toBe(eb);
      }),
    );
  });
});

describe('transition rules', () => {
  it('are not evaluated on create, and the tally counts them as skipped', () => {
    const schema = obj({ name: { ...STR, 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'value is immutable' }] } }, [
      { rule: 'has(self.name) == has(oldSelf.name)', message: 'name is immutable' },
      { rule: 'has(self.name)', message: 'name is required' },
    ]);
    const tally = new CelTally();
    const rules = CelRules.compile(root(schema), 'example.com/v1 Widget');
    expect(rules.evaluate(resource({ name: 'a' }), tally)).toEqual([]);
    expect(rules.evaluate(resource({}), tally).map((v) => v.text)).toEqual(['spec: Invalid value: "object": name is required']);
    expect(tally.totals()).toEqual({ evaluated: 2, failed: 1, skipped: 3 });
    expect(tally.rules().map((r) => [r.at, r.source.message, r.transition, r.evaluated, r.skipped])).toEqual([
      ['.spec', 'name is required', false, 2, 0],
      ['.spec', 'name is immutable', true, 0, 2],
      ['.spec.name', 'value is immutable', true, 0, 1],
    ]);
  });

  it('optionalOldSelf rules, which Kubernetes runs on create with oldSelf = optional.none(), fail to compile (no optional types)', () => {
    expect(compileProblems({ rule: '!oldSelf.hasValue() || self.x == oldSelf.value().x', optionalOldSelf: true })).toEqual([
      expect.stringContaining('unknown function'),
      expect.stringContaining('unknown function'),
    ]);
    expect(compileProblems({ rule: 'self == oldSelf', optionalOldSelf: true })).toEqual([
      expect.stringContaining('optionalOldSelf rules run on create with oldSelf = optional.none(); CEL optional types are not implemented'),
    ]);
    // Without oldSelf, optionalOldSelf changes nothing.
    expect(compileProblems({ rule: 'has(self.x)', optionalOldSelf: true })).toEqual([]);
  });

  it('a messageExpression may not read oldSelf', () => {
    expect(compileProblems({ rule: 'self.x == oldSelf.x', messageExpression: "'was ' + oldSelf.x" })).toEqual([
      expect.stringContaining('messageExpression reads oldSelf'),
    ]);
  });
});

describe('messages, field paths and reasons', () => {
  const props = { x: STR, inner: obj({ 'a.b': STR, c: STR }), tags: { type: 'object', additionalProperties: STR } };
  const fail = (rule: Partial<ValidationRule>, spec: Json = { x: 'bad' }) =>
    failures(obj(props, [{ rule: "self.x == 'good'", ...rule }]), spec);

  it('uses the message (trimmed), or "failed rule: <rule>"', () => {
    expect(fail({ message: '  x must be good  ' })).toEqual(['spec: Invalid value: "object": x must be good']);
    expect(fail({})).toEqual([`spec: Invalid value: "object": failed rule: self.x == 'good'`]);
    expect(fail({}, { x: 'good' })).toEqual([]);
  });

  it('uses the messageExpression value, and the message when it errors, is not a string, is blank, has a line break or is too long', () => {
    expect(fail({ message: 'static', messageExpression: "'x is ' + self.x" })).toEqual(['spec: Invalid value: "object": x is bad']);
    expect(fail({ messageExpression: "'x is ' + self.x" })).toEqual(['spec: Invalid value: "object": x is bad']);
    for (const messageExpression of ["'x is ' + self.missing", '42', "'   '", "'a\\nb'"]) {
      expect(fail({ message: 'static', messageExpression }), messageExpression).toEqual(['spec: Invalid value: "object": static']);
    }
    expect(fail({ messageExpression: `'${'m'.repeat(5 * 1024 + 1)}'` })).toEqual([
      `spec: Invalid value: "object": failed rule: self.x == 'good'`,
    ]);
  });

  it("reports at fieldPath below the rule node (.name and ['name'] steps, map keys)", () => {
    expect(fail({ message: 'm', fieldPath: '.x' })).toEqual(['spec.x: Invalid value: "object": m']);
    expect(fail({ message: 'm', fieldPath: ".inner['a.b']" })).toEqual(['spec.inner.a.b: Invalid value: "object": m']);
    expect(fail({ message: 'm', fieldPath: ".tags['env']" })).toEqual(['spec.tags[env]: Invalid value: "object": m']);
  });

  it('rejects a fieldPath that does not name a field of the schema, or uses an index', () => {
    for (const fieldPath of ['.nope', '.inner.zz', 'x', '.tags[0]', ".x['y']", '.inner.']) {
      expect(compileProblems({ rule: 'true', fieldPath }, props), fieldPath).toEqual([expect.stringContaining('fieldPath')]);
    }
  });

  it('words the error by reason: Invalid (default), Required, Forbidden, Duplicate', () => {
    expect(fail({ message: 'm', reason: 'FieldValueInvalid' })).toEqual(['spec: Invalid value: "object": m']);
    expect(fail({ message: 'm', reason: 'FieldValueRequired', fieldPath: '.x' })).toEqual(['spec.x: Required value: m']);
    expect(fail({ message: 'm', reason: 'FieldValueForbidden' })).toEqual(['spec: Forbidden: m']);
    expect(fail({ message: 'm', reason: 'FieldValueDuplicate' })).toEqual(['spec: Duplicate value: "object"']);
    expect(compileProblems({ rule: 'true', reason: 'FieldValueWrong' as ValidationRule['reason'] })).toEqual([
      expect.stringContaining('unknown reason "FieldValueWrong"'),
    ]);
  });

  it('reports runtime errors as the API server does: "<error> evaluating rule: <message>"', () => {
    expect(fail({ rule: "self.missing == 'x'", message: 'needs missing' })).toEqual([
      'spec: Invalid value: "object": no such key: missing evaluating rule: needs missing',
    ]);
    expect(fail({ rule: 'self.tags.env == "x"' }, { tags: {} })).toEqual([
      expect.stringMatching(/^spec: Invalid value: "object": .*env.* evaluating rule: self.tags.env == "x"$/),
    ]);
    expect(fail({ rule: 'self.x' })).toEqual(['spec: Invalid value: "object": rule evaluated to a non-bool value: self.x']);
  });
});

describe('what the evaluator cannot run fails when the rules are compiled', () => {
  const unsupported = [
    'self.x.isSorted()', // Kubernetes list library
    "self.x.indexOf('a') >= 0", // Kubernetes strings library
    "self.x.lowerAscii() == 'a'",
    "url(self.x).getHost() == 'h'",
    "quantity(self.x).isGreaterThan(quantity('1'))",
    "self.x.find('[0-9]+') == '1'",
    'ip(self.x).family() == 4',
    'optional.none() == optional.none()',
  ];
  for (const rule of unsupported) {
    it(`unknown function: ${rule}`, () => {
      expect(compileProblems({ rule }).join('\n')).toContain('unknown function');
    });
  }

  it('also when the call sits in a branch that would never be evaluated', () => {
    for (const rule of [
      'true || self.x.isSorted()',
      "false && self.x.indexOf('a') > 0",
      'has(self.y) ? self.y.isSorted() : true',
      '[1].all(i, i > 0 || self.x.reverse() == "")',
    ]) {
      expect(compileProblems({ rule }, { x: STR, y: STR }), rule).toEqual([expect.stringContaining('unknown function')]);
    }
  });

  it('unknown variables, parse errors, message construction, and an empty rule', () => {
    expect(compileProblems({ rule: "object.x == 'a'" })).toEqual([expect.stringContaining("undeclared reference to 'object'")]);
    expect(compileProblems({ rule: 'request.user == "a" || true' })).toEqual([
      expect.stringContaining("undeclared reference to 'request'"),
    ]);
    expect(compileProblems({ rule: 'self.x ==' })).toEqual([expect.stringContaining('does not parse')]);
    expect(compileProblems({ rule: 'google.protobuf.Int64Value{value: 1} == 1' })).toEqual([
      expect.stringContaining('message construction'),
    ]);
    expect(compileProblems({ rule: '  ' })).toEqual([expect.stringContaining('needs a non-empty "rule"')]);
    expect(compileProblems({ rule: 'true', messageExpression: 'self.x.upperAscii()' })).toEqual([
      expect.stringContaining('unknown function'),
    ]);
  });

  it('lists every rule that cannot be evaluated in one error, with where it sits', () => {
    const schema = root(
      obj({
        a: { ...STR, 'x-kubernetes-validations': [{ rule: 'self.isSorted()' }] },
        b: { type: 'array', items: obj({}, [{ rule: 'x > 1' }]) },
      }),
    );
    expect(() => CelRules.compile(schema, 'example.com/v1 Widget')).toThrow(
      /example.com\/v1 Widget: 2 CEL rule\(s\) cannot be evaluated:\n {2}- rule at .spec.a "self.isSorted\(\)": unknown function 'isSorted'.*\n {2}- rule at .spec.b\[\*\] "x > 1": undeclared reference to 'x'/,
    );
  });

  it('accepts the standard library, macros and comprehension variables', () => {
    for (const rule of [
      "self.x.matches('^[a-z]+$') && self.x.startsWith('a') && self.x.endsWith('z') && self.x.contains('m')",
      '[1, 2].exists(i, i == 2) && [1].all(i, i > 0) && [1, 2].exists_one(i, i == 1) && [1, 2].map(i, i * 2) == [2, 4]',
      '[1, 2].filter(i, i > 1).size() == 1 && size({"a": 1}) == 1 && int("1") == 1 && string(1) == "1" && type(1) == int',
      '[1, 2].map(i, i > 1, i) == [2]',
    ]) {
      expect(compileProblems({ rule }), rule).toEqual([]);
    }
  });

  it('records the functions and macros a rule uses as written', () => {
    const rules = CelRules.compile(
      root(obj({ auth: STR, authRef: STR }, [{ rule: '[has(self.auth),has(self.authRef)].filter(x,x==true).size() <= 1' }])),
      'w',
    );
    expect(rules.rules.map((r) => [r.at, r.functions, r.macros, r.transition])).toEqual([
      ['.spec', ['<=', '==', 'size'], ['filter', 'has'], false],
    ]);
  });
});
