/**
 * Test support: evaluate the CEL validation rules (`x-kubernetes-validations`) of a CRD version's
 * schema on an object, the way the Kubernetes API server does when the object is created.
 *
 * The engine is `@bufbuild/cel` (the CEL standard library; `matches` is RE2). What is Kubernetes here:
 * - A rule sits at a schema node and runs with `self` bound to the value at that node, for every
 *   instance of the node in the object (each element of a list, each value of a map), and only for
 *   values that are present and not null. Rules in an `allOf` branch apply to the node beside it.
 * - The schema's defaults are applied first (to a copy), as the API server does before validating:
 *   e.g. Crossplane's `managementPolicies: ['*']`, which the providers' rules read.
 * - Values are typed by the schema: `integer` is int, `number` double, `format: byte` bytes,
 *   `format: date-time` timestamp. An object with `properties` has its declared fields only, under
 *   escaped names (`namespace` is `__namespace__`, `a-b` is `a__dash__b`, ...); a map keeps its keys.
 *   At a resource root (and an embedded resource) `metadata` holds only `name` and `generateName`.
 * - Transition rules (those that read `oldSelf`) are not evaluated on create: they are counted as
 *   skipped. With `optionalOldSelf: true` Kubernetes evaluates them on create with
 *   `oldSelf = optional.none()`; the engine has no CEL optional types, so such a rule does not compile.
 * - A failure reads as the API server's field error: `message` (default `failed rule: <rule>`),
 *   `messageExpression` (the message instead when it errors, is not a string, is blank, has a line
 *   break or is over 5 KiB), `fieldPath` (checked against the schema), `reason` (Invalid, Required,
 *   Forbidden, Duplicate). A runtime error reads `<error> evaluating rule: <message or rule>`.
 * - Every function, macro and variable a rule uses must exist: an unknown function, an unknown
 *   variable or a parse error fails when the rules are compiled, before any object is looked at, so
 *   a rule can never pass because an unsupported call sat in a branch that was not evaluated.
 * Not modelled: the cost budget, and what only happens on update (list-type=map correlation, ratcheting).
 */
import { celEnv, isCelError, parse, plan, type CelInput, type CelResult } from '@bufbuild/cel';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';

type Json = Record<string, unknown>;
type ParsedExpr = ReturnType<typeof parse>;
type Expr = ParsedExpr['expr'];
type Bindings = Record<string, CelInput>;
type Program = (bindings: Bindings) => CelResult;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asSchema = (v: unknown): Json | undefined => (isObject(v) ? v : undefined);

/** `reason` of a rule: the kind of field error a failure is reported as. */
export type FieldErrorReason = 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
const REASONS: readonly FieldErrorReason[] = ['FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate'];

/** One entry of `x-kubernetes-validations`, as a CRD writes it. */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: FieldErrorReason;
  readonly optionalOldSelf?: boolean;
}

/** A compiled rule and what it uses (for the inventory and the coverage tally). */
export interface RuleInfo {
  /** The rule as written. */
  readonly source: ValidationRule;
  /** Where it sits in the schema: `.spec.dataTo[*]` (list items), `.spec.tags.*` (map values), `` for the root. */
  readonly at: string;
  /** Reads `oldSelf`: not evaluated on create. */
  readonly transition: boolean;
  /** Functions and operators the rule calls, as written (`size`, `has` is a macro, `==`, `in`, ...), sorted. */
  readonly functions: readonly string[];
  /** Macros the rule uses (`has`, `all`, `exists`, `exists_one`, `map`, `filter`), sorted. */
  readonly macros: readonly string[];
}

/** A rule that did not hold, as the API server would report it. */
export interface CelViolation {
  /** Kubernetes field path (`spec.dataTo[0]`), `` for the root. */
  readonly path: string;
  /** The rule's schema location (see {@link RuleInfo.at}). */
  readonly at: string;
  /** The rule. */
  readonly rule: string;
  /** The field error: `spec.dataTo[0]: Invalid value: "object": storeRef must specify either name or labelSelector`. */
  readonly text: string;
}

/** Rules that cannot be compiled (unknown function, parse error, bad fieldPath, ...), all of them at once. */
export class CelCompileError extends Error {
  public constructor(
    source: string,
    public readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length} CEL rule(s) cannot be evaluated:\n  - ${problems.join('\n  - ')}`);
    this.name = 'CelCompileError';
  }
}

// ---------------------------------------------------------------------------------------------
// Property-name escaping (k8s.io/apiserver/pkg/cel Escape)
// ---------------------------------------------------------------------------------------------

const CEL_RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);
const ESCAPES: Readonly<Record<string, string>> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/**
 * The CEL field name of a schema property, or undefined when Kubernetes leaves the property out
 * of CEL (empty, starting with a digit, or a character outside `[a-zA-Z0-9_.\-/]`).
 */
export function escapeCelName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (/[^a-zA-Z0-9_./-]/.test(name)) return undefined;
  return name.replace(/__|[./-]/g, (m) => ESCAPES[m] ?? m);
}

// ---------------------------------------------------------------------------------------------
// Compiling: parse, check every reference, plan
// ---------------------------------------------------------------------------------------------

const ENV = celEnv();
/** Operators the engine's planner implements itself (not in its function table). */
const PLANNED_OPERATORS = new Set(['_[_]', '_?_:_', '_&&_', '_||_', '@not_strictly_false', 'not_strictly_false']);
/** Type names a rule may use as values (`type(x) == string`). */
const TYPE_NAMES = new Set(['bool', 'bytes', 'double', 'dyn', 'int', 'list', 'map', 'null_type', 'string', 'type', 'uint']);
/** Variables of a validation rule. */
const SELF = 'self';
const OLD_SELF = 'oldSelf';

interface References {
  readonly functions: Set<string>;
  readonly macros: Set<string>;
  readonly variables: Set<string>;
  readonly problems: string[];
}

/** `a.b.c` for a chain of selects on an identifier (a qualified function name's prefix). */
function qualifiedName(expr: Expr | undefined): string | undefined {
  const k = expr?.exprKind;
  if (k?.case === 'identExpr') return k.value.name;
  if (k?.case === 'selectExpr' && !k.value.testOnly) {
    const operand = qualifiedName(k.value.operand);
    return operand === undefined ? undefined : `${operand}.${k.value.field}`;
  }
  return undefined;
}

/** `_==_` → `==`, `@in` → `in`, `!_` → `!`, `_[_]` → `[]`; function names unchanged. */
function displayName(fn: string): string {
  return /^[a-zA-Z][\w.]*$/.test(fn) ? fn : fn.replace(/^@/, '').replace(/_/g, '');
}

/**
 * Walks an expression. `macroCalls` given: the walk follows the macros as written (for the
 * inventory); without: the expanded expression the engine runs (to check every reference exists).
 */
function walk(expr: Expr | undefined, scope: ReadonlySet<string>, refs: References, macroCalls?: ReadonlyMap<bigint, Expr>): void {
  if (expr === undefined) return;
  const macro = macroCalls?.get(expr.id);
  if (macro !== undefined && macro.exprKind.case === 'callExpr') {
    const { function: name, target, args } = macro.exprKind.value;
    refs.macros.add(name);
    if (name === 'has') return walk(args[0], scope, refs, macroCalls);
    walk(target, scope, refs, macroCalls);
    const [variable, ...rest] = args;
    const inner = variable?.exprKind.case === 'identExpr' ? new Set([...scope, variable.exprKind.value.name]) : scope;
    for (const a of rest) walk(a, inner, refs, macroCalls);
    return;
  }
  const k = expr.exprKind;
  switch (k.case) {
    case 'constExpr':
      return;
    case 'identExpr': {
      const name = k.value.name;
      if (scope.has(name)) return;
      if (name === SELF || name === OLD_SELF) refs.variables.add(name);
      else if (!TYPE_NAMES.has(name)) refs.problems.push(`undeclared reference to '${name}' (a rule has only self and oldSelf)`);
      return;
    }
    case 'selectExpr':
      return walk(k.value.operand, scope, refs, macroCalls);
    case 'callExpr': {
      const { function: fn, target, args } = k.value;
      const qualified = qualifiedName(target);
      if (qualified !== undefined && !scope.has(qualified) && ENV.funcs.find(`${qualified}.${fn}`) !== undefined) {
        refs.functions.add(`${qualified}.${fn}`);
      } else {
        if (!PLANNED_OPERATORS.has(fn) && ENV.funcs.find(fn) === undefined) {
          refs.problems.push(`unknown function '${displayName(fn)}': not in the CEL standard library of the test evaluator`);
        }
        if (!fn.includes('not_strictly_false')) refs.functions.add(displayName(fn));
        walk(target, scope, refs, macroCalls);
      }
      for (const a of args) walk(a, scope, refs, macroCalls);
      return;
    }
    case 'listExpr':
      for (const e of k.value.elements) walk(e, scope, refs, macroCalls);
      return;
    case 'structExpr':
      if (k.value.messageName !== '')
        refs.problems.push(`message construction '${k.value.messageName}{...}' is not available in Kubernetes`);
      for (const e of k.value.entries) {
        if (e.keyKind.case === 'mapKey') walk(e.keyKind.value, scope, refs, macroCalls);
        walk(e.value, scope, refs, macroCalls);
      }
      return;
    case 'comprehensionExpr': {
      const c = k.value;
      walk(c.iterRange, scope, refs, macroCalls);
      walk(c.accuInit, scope, refs, macroCalls);
      const inner = new Set([...scope, c.iterVar, c.iterVar2, c.accuVar].filter((v) => v !== ''));
      walk(c.loopCondition, inner, refs, macroCalls);
      walk(c.loopStep, inner, refs, macroCalls);
      walk(c.result, new Set([...scope, c.accuVar]), refs, macroCalls);
      return;
    }
    default:
      refs.problems.push(`unsupported expression (${String(k.case)})`);
  }
}

interface CompiledExpr {
  readonly run: Program;
  readonly refs: References;
}

/** Parses, checks (every function and variable known) and plans one expression. */
function compileExpr(text: string, label: string, problems: string[]): CompiledExpr | undefined {
  let parsed: ParsedExpr;
  try {
    parsed = parse(text);
  } catch (e) {
    problems.push(`${label}: does not parse: ${(e as Error).message}`);
    return undefined;
  }
  const checked: References = { functions: new Set(), macros: new Set(), variables: new Set(), problems: [] };
  walk(parsed.expr, new Set(), checked);
  problems.push(...checked.problems.map((p) => `${label}: ${p}`));
  if (checked.problems.length > 0) return undefined;
  const macroCalls = new Map(Object.entries(parsed.sourceInfo?.macroCalls ?? {}).map(([id, call]) => [BigInt(id), call]));
  const asWritten: References = { functions: new Set(), macros: new Set(), variables: checked.variables, problems: [] };
  walk(parsed.expr, new Set(), asWritten, macroCalls);
  return { run: plan(ENV, parsed), refs: asWritten };
}

type PathStep = { readonly child: string } | { readonly key: string } | { readonly index: number };

/** Kubernetes field path text: `spec.dataTo[0].storeRef`, map keys as `[key]`. */
function renderPath(steps: readonly PathStep[]): string {
  let out = '';
  for (const s of steps) {
    if ('child' in s) out += out === '' ? s.child : `.${s.child}`;
    else out += `[${'key' in s ? s.key : s.index}]`;
  }
  return out;
}

/** Properties of an object schema, if it declares any. */
function propertiesOf(schema: Json | undefined): Json | undefined {
  return isObject(schema?.properties) ? schema.properties : undefined;
}

/**
 * A rule's `fieldPath` (`.a.b`, `['a.b']`; no list indices), checked against the schema of the
 * node it sits at, as steps below that node.
 */
function parseFieldPath(fieldPath: string, schema: Json): PathStep[] {
  const steps: PathStep[] = [];
  const token = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/y;
  let node: Json | undefined = schema;
  let pos = 0;
  while (pos < fieldPath.length) {
    token.lastIndex = pos;
    const m = token.exec(fieldPath);
    if (m === null) throw new Error(`fieldPath ${JSON.stringify(fieldPath)}: expected .name or ['name'] at offset ${pos}`);
    pos = token.lastIndex;
    const name = m[1] ?? (m[2] ?? '').replace(/\\(.)/g, '$1');
    const props = propertiesOf(node);
    if (props !== undefined) {
      if (!isObject(props[name])) throw new Error(`fieldPath ${JSON.stringify(fieldPath)}: "${name}" does not refer to a valid field`);
      steps.push({ child: name });
      node = props[name];
    } else if (isObject(node?.additionalProperties)) {
      steps.push({ key: name });
      node = node.additionalProperties;
    } else {
      throw new Error(`fieldPath ${JSON.stringify(fieldPath)}: "${name}" does not refer to a valid field`);
    }
  }
  return steps;
}

interface CompiledRule extends RuleInfo {
  readonly run: Program;
  readonly messageExpression?: Program;
  readonly fieldPath: readonly PathStep[];
}

function compileRule(raw: unknown, node: Json, at: string, problems: string[]): CompiledRule | undefined {
  const label = `rule at ${at || '<root>'} ${JSON.stringify(isObject(raw) ? raw.rule : raw)}`;
  if (!isObject(raw) || typeof raw.rule !== 'string' || raw.rule.trim() === '') {
    problems.push(`${label}: needs a non-empty "rule"`);
    return undefined;
  }
  const source = raw as unknown as ValidationRule;
  if (source.reason !== undefined && !REASONS.includes(source.reason))
    problems.push(`${label}: unknown reason ${JSON.stringify(source.reason)}`);
  const compiled = compileExpr(source.rule, label, problems);
  const message =
    source.messageExpression === undefined ? undefined : compileExpr(source.messageExpression, `${label} messageExpression`, problems);
  if (message?.refs.variables.has(OLD_SELF)) problems.push(`${label}: messageExpression reads oldSelf, which is not bound on create`);
  let fieldPath: PathStep[] = [];
  try {
    fieldPath = source.fieldPath === undefined ? [] : parseFieldPath(source.fieldPath, node);
  } catch (e) {
    problems.push(`${label}: ${(e as Error).message}`);
  }
  if (compiled === undefined) return undefined;
  const transition = compiled.refs.variables.has(OLD_SELF);
  if (transition && source.optionalOldSelf === true) {
    problems.push(`${label}: optionalOldSelf rules run on create with oldSelf = optional.none(); CEL optional types are not implemented`);
  }
  return {
    source,
    at,
    transition,
    functions: [...compiled.refs.functions].sort(),
    macros: [...compiled.refs.macros].sort(),
    run: compiled.run,
    ...(message === undefined ? {} : { messageExpression: message.run }),
    fieldPath,
  };
}

/** The rules of a schema node and of the nodes below it that have rules. */
interface RuleNode {
  readonly schema: Json;
  readonly resourceRoot: boolean;
  readonly rules: readonly CompiledRule[];
  readonly properties: ReadonlyMap<string, RuleNode>;
  readonly items?: RuleNode;
  readonly additionalProperties?: RuleNode;
  readonly allOf: readonly RuleNode[];
}

const isEmbedded = (schema: Json): boolean => schema['x-kubernetes-embedded-resource'] === true;

/**
 * Compiles the rules of `validation` (a schema node, or an `allOf` branch of `node`) against the
 * structural schema `node`. Undefined when there are no rules at or below it.
 */
function compileNode(validation: Json, node: Json, at: string, resourceRoot: boolean, problems: string[]): RuleNode | undefined {
  const raw = validation['x-kubernetes-validations'];
  const rules = (Array.isArray(raw) ? raw : []).flatMap((r) => compileRule(r, node, at, problems) ?? []);
  const properties = new Map<string, RuleNode>();
  const nodeProps = propertiesOf(node) ?? {};
  for (const [name, sub] of Object.entries(propertiesOf(validation) ?? {})) {
    const structural = nodeProps[name];
    if (!isObject(sub) || !isObject(structural)) continue;
    const compiled = compileNode(sub, structural, `${at}.${name}`, isEmbedded(structural), problems);
    if (compiled) properties.set(name, compiled);
  }
  const child = (key: 'items' | 'additionalProperties', suffix: string): RuleNode | undefined => {
    const v = asSchema(validation[key]);
    const n = asSchema(node[key]);
    return v && n ? compileNode(v, n, `${at}${suffix}`, isEmbedded(n), problems) : undefined;
  };
  const items = child('items', '[*]');
  const additionalProperties = child('additionalProperties', '.*');
  const allOf = (Array.isArray(validation.allOf) ? validation.allOf : []).flatMap((b) =>
    isObject(b) ? (compileNode(b, node, at, resourceRoot, problems) ?? []) : [],
  );
  if (rules.length === 0 && properties.size === 0 && !items && !additionalProperties && allOf.length === 0) return undefined;
  return { schema: node, resourceRoot, rules, properties, items, additionalProperties, allOf };
}

// ---------------------------------------------------------------------------------------------
// Defaults and values
// ---------------------------------------------------------------------------------------------

const isNonNullableNull = (v: unknown, schema: Json | undefined): boolean => v === null && schema?.nullable !== true;

/**
 * Applies the schema's defaults in place, as the API server does before validation: a missing
 * property (or a null one that is not nullable) gets a copy of its default, then defaults inside
 * are applied too; a non-nullable null without a default is dropped.
 */
function applyDefaults(value: unknown, schema: Json | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    const items = asSchema(schema.items);
    value.forEach((v, i) => {
      if (isNonNullableNull(v, items) && items?.default !== undefined) value[i] = structuredClone(items.default);
      applyDefaults(value[i], items);
    });
    return;
  }
  if (!isObject(value)) return;
  const props = propertiesOf(schema) ?? {};
  const extra = asSchema(schema.additionalProperties);
  for (const [name, sub] of Object.entries(props)) {
    if (!isObject(sub)) continue;
    const v = value[name];
    if (v !== undefined && !isNonNullableNull(v, sub)) continue;
    if (sub.default !== undefined) value[name] = structuredClone(sub.default);
    else if (v === null) Reflect.deleteProperty(value, name);
  }
  for (const [name, v] of Object.entries(value)) {
    const sub = asSchema(props[name]) ?? extra;
    if (sub === undefined) continue;
    if (isNonNullableNull(v, sub) && sub === extra) {
      if (sub.default === undefined) Reflect.deleteProperty(value, name);
      else value[name] = structuredClone(sub.default);
    }
    applyDefaults(value[name], sub);
  }
}

/** `metadata` of a resource root as CEL sees it (apiserver `WithTypeAndObjectMeta`). */
const RESOURCE_ROOT_PROPERTIES: Json = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } },
};

function stringToCel(value: string, format: unknown): CelInput {
  switch (format) {
    case 'byte':
      return new Uint8Array(Buffer.from(value, 'base64'));
    case 'date-time': {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : timestampFromDate(date);
    }
    case 'date':
    case 'duration':
      throw new Error(
        `format: ${format} is a CEL ${format === 'date' ? 'timestamp' : 'duration'} in Kubernetes; add it to test/support/cel.ts`,
      );
    default:
      return value;
  }
}

/** The CEL value of a JSON value, typed by its schema (see the module doc). */
function toCel(value: unknown, schema: Json | undefined, resourceRoot: boolean): CelInput {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const items = asSchema(schema?.items);
    return value.map((v) => toCel(v, items, items !== undefined && isEmbedded(items)));
  }
  if (isObject(value)) {
    const declared = resourceRoot ? { ...propertiesOf(schema), ...RESOURCE_ROOT_PROPERTIES } : propertiesOf(schema);
    const out = new Map<string, CelInput>();
    for (const [name, v] of Object.entries(value)) {
      if (declared === undefined) {
        const extra = asSchema(schema?.additionalProperties);
        out.set(name, toCel(v, extra, extra !== undefined && isEmbedded(extra)));
        continue;
      }
      const sub = asSchema(declared[name]);
      const celName = escapeCelName(name);
      if (sub !== undefined && celName !== undefined) out.set(celName, toCel(v, sub, isEmbedded(sub)));
    }
    return out;
  }
  if (typeof value === 'number') return schema?.type === 'number' || !Number.isInteger(value) ? value : BigInt(value);
  if (typeof value === 'string') return stringToCel(value, schema?.format);
  if (typeof value === 'boolean') return value;
  throw new Error(`cannot give a ${typeof value} to CEL`);
}

// ---------------------------------------------------------------------------------------------
// Evaluating
// ---------------------------------------------------------------------------------------------

/** Kubernetes' limit on an evaluated messageExpression (celconfig.MaxEvaluatedMessageExpressionSizeBytes). */
const MAX_MESSAGE_BYTES = 5 * 1024;

function ruleErrorString(rule: ValidationRule): string {
  return rule.message?.trim() || rule.rule.trim();
}

function ruleMessageOrDefault(rule: ValidationRule): string {
  return rule.message?.trim() || `failed rule: ${ruleErrorString(rule)}`;
}

/** The failure message: the messageExpression's value when it is a usable string, else the message. */
function failureMessage(rule: CompiledRule, bindings: Bindings): string {
  const value = rule.messageExpression?.(bindings);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed !== '' && !trimmed.includes('\n') && Buffer.byteLength(trimmed) <= MAX_MESSAGE_BYTES) return trimmed;
  }
  return ruleMessageOrDefault(rule.source);
}

/** A field error's text (k8s.io/apimachinery field.Error). */
function fieldError(path: string, reason: FieldErrorReason | undefined, type: string, detail: string): string {
  const where = path === '' ? '<root>' : path;
  switch (reason) {
    case 'FieldValueForbidden':
      return `${where}: Forbidden: ${detail}`;
    case 'FieldValueRequired':
      return `${where}: Required value: ${detail}`;
    case 'FieldValueDuplicate':
      return `${where}: Duplicate value: ${JSON.stringify(type)}`;
    default:
      return `${where}: Invalid value: ${JSON.stringify(type)}: ${detail}`;
  }
}

/** How often each rule ran, failed or was skipped: what a test run covered. */
export interface RuleCount extends RuleInfo {
  /** `<apiVersion> <kind>` of the CRD version the rule belongs to. */
  readonly crd: string;
  evaluated: number;
  failed: number;
  /** Transition rules: instances not evaluated because there is no old object on create. */
  skipped: number;
}

/** Counts rule evaluations across validations (see {@link CelRules.evaluate}). */
export class CelTally {
  private readonly counts = new Map<CompiledRule, RuleCount>();

  /** @internal */
  public count(crd: string, rule: CompiledRule): RuleCount {
    let c = this.counts.get(rule);
    if (c === undefined) {
      const { source, at, transition, functions, macros } = rule;
      c = { crd, source, at, transition, functions, macros, evaluated: 0, failed: 0, skipped: 0 };
      this.counts.set(rule, c);
    }
    return c;
  }

  /** Every rule that was reached, sorted by CRD, location and rule. */
  public rules(): RuleCount[] {
    const key = (c: RuleCount): string => `${c.crd}\u0000${c.at}\u0000${c.source.rule}`;
    return [...this.counts.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** Totals over all rules. */
  public totals(): { evaluated: number; failed: number; skipped: number } {
    const t = { evaluated: 0, failed: 0, skipped: 0 };
    for (const c of this.counts.values()) {
      t.evaluated += c.evaluated;
      t.failed += c.failed;
      t.skipped += c.skipped;
    }
    return t;
  }
}

/** The compiled CEL rules of one CRD version's schema. Create with {@link CelRules.compile}. */
export class CelRules {
  private constructor(
    /** `<apiVersion> <kind>` (for messages and the tally). */
    public readonly crd: string,
    private readonly root: RuleNode | undefined,
    /** Every rule of the schema. */
    public readonly rules: readonly RuleInfo[],
  ) {}

  /**
   * Compiles every rule of an `openAPIV3Schema` (the root is a resource root). Throws a
   * {@link CelCompileError} listing every rule that cannot be evaluated.
   */
  public static compile(openAPIV3Schema: Json, crd: string): CelRules {
    const problems: string[] = [];
    const root = compileNode(openAPIV3Schema, openAPIV3Schema, '', true, problems);
    if (problems.length > 0) throw new CelCompileError(crd, problems);
    const rules: RuleInfo[] = [];
    const collect = (n: RuleNode | undefined): void => {
      if (n === undefined) return;
      rules.push(...n.rules);
      [...n.properties.values(), n.items, n.additionalProperties, ...n.allOf].forEach(collect);
    };
    collect(root);
    return new CelRules(crd, root, rules);
  }

  /**
   * Evaluates every rule on `obj` as on create (defaults applied to a copy, transition rules
   * skipped) and returns the rules that do not hold. `tally` counts each rule's outcomes.
   */
  public evaluate(obj: unknown, tally: CelTally = new CelTally()): CelViolation[] {
    if (this.root === undefined) return [];
    const copy = structuredClone(obj);
    applyDefaults(copy, this.root.schema);
    const out: CelViolation[] = [];
    this.evaluateNode(this.root, copy, [], out, tally);
    return out;
  }

  private evaluateNode(node: RuleNode, value: unknown, path: readonly PathStep[], out: CelViolation[], tally: CelTally): void {
    if (value === null || value === undefined) return;
    let self: CelInput | undefined;
    for (const rule of node.rules) {
      const count = tally.count(this.crd, rule);
      if (rule.transition) {
        count.skipped++;
        continue;
      }
      self ??= toCel(value, node.schema, node.resourceRoot);
      count.evaluated++;
      const text = this.failure(rule, { self }, path, String(node.schema.type ?? 'object'));
      if (text === undefined) continue;
      count.failed++;
      out.push({ path: renderPath([...path, ...rule.fieldPath]), at: rule.at, rule: rule.source.rule, text });
    }
    for (const branch of node.allOf) this.evaluateNode(branch, value, path, out, tally);
    if (Array.isArray(value)) {
      const items = node.items;
      if (items) value.forEach((v, index) => this.evaluateNode(items, v, [...path, { index }], out, tally));
    } else if (isObject(value)) {
      for (const [name, v] of Object.entries(value)) {
        const sub = node.properties.get(name);
        if (sub) this.evaluateNode(sub, v, [...path, { child: name }], out, tally);
        else if (node.additionalProperties) this.evaluateNode(node.additionalProperties, v, [...path, { key: name }], out, tally);
      }
    }
  }

  /** Undefined when the rule holds; else the field error, as the API server words it. */
  private failure(rule: CompiledRule, bindings: Bindings, path: readonly PathStep[], type: string): string | undefined {
    const result = rule.run(bindings);
    if (result === true) return undefined;
    const at = renderPath(path);
    if (isCelError(result)) {
      // cel-go (the API server) says "no such key" where this engine says "field not found".
      const error = result.message.replace(/^field not found: /, 'no such key: ');
      const detail = /no (such|matching) overload/.test(error)
        ? `'${error}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule.source)}`
        : `${error} evaluating rule: ${ruleErrorString(rule.source)}`;
      return fieldError(at, undefined, type, detail);
    }
    if (typeof result !== 'boolean') {
      return fieldError(at, undefined, type, `rule evaluated to a non-bool value: ${ruleErrorString(rule.source)}`);
    }
    return fieldError(renderPath([...path, ...rule.fieldPath]), rule.source.reason, type, failureMessage(rule, bindings));
  }
}
