/**
 * Label-selector evaluation, validation, description and normalization, with Kubernetes
 * `LabelSelector` semantics and the Upbound Spaces selector (`spec.controlPlaneSelector`,
 * `spec.namespaceSelector`) built on it. Pure and dependency-free apart from ./validation.js.
 */
import { checkDnsLabel, checkLabelKey, checkLabelValue, quote } from './validation.js';
import { cmp, sortedUnique } from '../private/order.js';
import { isOneOf } from '../private/lists.js';

/** The operators of a {@link LabelSelectorRequirement}, as in Kubernetes. */
export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
/** Operator of a {@link LabelSelectorRequirement}, as in Kubernetes. */
export type SelectorOperator = (typeof SELECTOR_OPERATORS)[number];

/** One `matchExpressions` entry of a Kubernetes label selector. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Non-empty for `In`/`NotIn`; absent or empty for `Exists`/`DoesNotExist`. */
  readonly values?: readonly string[];
}

/** A Kubernetes label selector: all `matchLabels` and all `matchExpressions` must hold. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/**
 * The Upbound Spaces selector: an object is selected if its name is in `names` or any of
 * `labelSelectors` matches its labels. At least one of the two lists must be non-empty.
 */
export interface SpacesSelector {
  readonly names?: readonly string[];
  readonly labelSelectors?: readonly LabelSelector[];
}

const LABEL_SELECTOR_FIELDS: readonly string[] = ['matchLabels', 'matchExpressions'];
const SPACES_SELECTOR_FIELDS: readonly string[] = ['names', 'labelSelectors'];
const REQUIREMENT_FIELDS: readonly string[] = ['key', 'operator', 'values'];

// ---------------------------------------------------------------------------------------------
// Helpers

/** Type guard for unknown input: a non-null, non-array object. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return isObject(value);
}

/** The same test without narrowing, for values that are already typed. */
function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOperator(value: unknown): value is SelectorOperator {
  return isOneOf(SELECTOR_OPERATORS, value);
}

/** `a.b`, or `b` when `a` is empty. */
function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

/** `path: message`, or just `message` when there is no path. */
function at(path: string, message: string): string {
  return path === '' ? message : `${path}: ${message}`;
}

/** The own string-valued entries of a label map (safe for null-prototype and odd inputs). */
function entriesOf(map: unknown): [string, unknown][] {
  return isRecord(map) ? Object.entries(map) : [];
}

function listOf<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

// ---------------------------------------------------------------------------------------------
// Matching

/** Whether a requirement is structurally well-formed; Kubernetes refuses to evaluate others. */
function isWellFormed(req: LabelSelectorRequirement): boolean {
  const values = req.values;
  if (values !== undefined && !Array.isArray(values)) return false;
  const n = values?.length ?? 0;
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      return n > 0;
    case 'Exists':
    case 'DoesNotExist':
      return n === 0;
    default:
      return false;
  }
}

function matchesRequirement(req: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(req) || !isWellFormed(req)) return false;
  const present = Object.hasOwn(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return present && values.includes(labels[req.key]);
    case 'NotIn':
      return !present || !values.includes(labels[req.key]);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return false;
  }
}

/**
 * Evaluates a Kubernetes label selector against an object's labels: every `matchLabels` pair must
 * be present, and every `matchExpressions` requirement must hold (`In`: key present with one of the
 * values; `NotIn`: key absent or its value not among the values; `Exists`: key present;
 * `DoesNotExist`: key absent). The empty selector `{}` matches everything; a `null`/`undefined`
 * selector matches nothing.
 *
 * A malformed requirement (`In`/`NotIn` without values, `Exists`/`DoesNotExist` with values, or an
 * unknown operator) matches nothing, because Kubernetes refuses to evaluate such a selector. Key and
 * value syntax is not re-checked here; use {@link checkLabelSelector} for that.
 */
export function matchesLabelSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  const own: Readonly<Record<string, string>> = isObject(labels) ? labels : {};
  if (selector.matchLabels !== undefined && !isObject(selector.matchLabels)) return false;
  for (const [key, value] of entriesOf(selector.matchLabels)) {
    if (!Object.hasOwn(own, key) || own[key] !== value) return false;
  }
  if (selector.matchExpressions !== undefined && !Array.isArray(selector.matchExpressions)) return false;
  return listOf(selector.matchExpressions).every((req) => matchesRequirement(req, own));
}

/**
 * Evaluates an Upbound Spaces selector against an object (control plane or namespace): it matches
 * if `name` is in `names` OR any of `labelSelectors` matches `labels`. A selector with both lists
 * empty or absent matches nothing (the Spaces API rejects it; see {@link checkSpacesSelector}).
 */
export function matchesSpacesSelector(selector: SpacesSelector, name: string, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  if (listOf(selector.names).includes(name)) return true;
  return listOf(selector.labelSelectors).some((s) => matchesLabelSelector(s, labels));
}

// ---------------------------------------------------------------------------------------------
// Validation

function unknownFields(value: Record<string, unknown>, known: readonly string[], path: string, what: string): string[] {
  return Object.keys(value)
    .filter((k) => !known.includes(k) && value[k] !== undefined)
    .map((k) => {
      const near = known.find((f) => f.toLowerCase() === k.toLowerCase() || f.toLowerCase() === `${k.toLowerCase()}s`);
      const hint = near !== undefined ? `rename it to ${quote(near)}` : `remove it`;
      return at(path, `${quote(k)} is not a field of ${what} (fields: ${known.join(', ')}); ${hint}.`);
    });
}

function operatorSuggestion(op: string): SelectorOperator | undefined {
  const squashed = op.replace(/[\s_-]+/g, '').toLowerCase();
  const aliases: Record<string, SelectorOperator> = { notexists: 'DoesNotExist', doesnotexists: 'DoesNotExist', exist: 'Exists' };
  return SELECTOR_OPERATORS.find((o) => o.toLowerCase() === squashed) ?? aliases[squashed];
}

function requirementProblems(req: unknown, path: string): string[] {
  if (!isRecord(req)) {
    return [
      at(
        path,
        `${quote(req)} is not a label selector requirement: expected an object with key, operator and, for In and NotIn, values (e.g. {"key": "environment", "operator": "In", "values": ["prod"]}).`,
      ),
    ];
  }
  const out = unknownFields(req, REQUIREMENT_FIELDS, path, 'a label selector requirement');
  const keyProblem = checkLabelKey(req.key as string);
  if (keyProblem !== undefined) out.push(at(join(path, 'key'), keyProblem));
  const keyText = quote(req.key);
  const op = req.operator;
  const values = req.values;
  if (values !== undefined && !Array.isArray(values)) {
    const fix = typeof values === 'string' ? `write values: [${quote(values)}]` : 'list the values as strings';
    out.push(at(join(path, 'values'), `${quote(values)} is not a list of label values: ${fix}.`));
  }
  const list: readonly unknown[] = Array.isArray(values) ? values : [];
  if (!isOperator(op)) {
    const near = typeof op === 'string' ? operatorSuggestion(op) : undefined;
    out.push(
      at(
        join(path, 'operator'),
        `${quote(op)} is not a label selector operator: use one of In, NotIn, Exists, DoesNotExist${near !== undefined ? ` (e.g. ${quote(near)})` : ''}.`,
      ),
    );
  } else if ((op === 'In' || op === 'NotIn') && (values === undefined || Array.isArray(values)) && list.length === 0) {
    const got = values === undefined ? 'no values' : quote(values);
    const fix =
      op === 'In'
        ? 'list the accepted values, or use "Exists" to accept any value'
        : 'list the excluded values, or use "Exists" or drop the requirement to accept any value';
    out.push(at(path, `"${op}" on key ${keyText} needs a non-empty values list (got ${got}); ${fix}.`));
  } else if ((op === 'Exists' || op === 'DoesNotExist') && list.length > 0) {
    const fix = op === 'Exists' ? 'use "In" to require specific values' : 'use "NotIn" to exclude specific values';
    out.push(at(path, `"${op}" on key ${keyText} must not have values (got ${quote(values)}); remove the values, or ${fix}.`));
  }
  list.forEach((v, i) => {
    const p = checkLabelValue(v as string);
    if (p !== undefined) out.push(at(join(path, `values[${i}]`), p));
  });
  return out;
}

function labelSelectorProblems(selector: unknown, path: string): string[] {
  if (!isRecord(selector)) {
    return [
      at(
        path,
        `${quote(selector)} is not a label selector: expected an object with matchLabels and/or matchExpressions (e.g. {"matchLabels": {"environment": "prod"}}).`,
      ),
    ];
  }
  const out = unknownFields(selector, LABEL_SELECTOR_FIELDS, path, 'a label selector');
  const ml = selector.matchLabels;
  const mlPath = join(path, 'matchLabels');
  if (ml !== undefined && !isRecord(ml)) {
    out.push(at(mlPath, `${quote(ml)} is not a map of labels: expected an object of label keys to values (e.g. {"environment": "prod"}).`));
  }
  for (const [key, value] of entriesOf(ml)) {
    const k = checkLabelKey(key);
    if (k !== undefined) out.push(at(mlPath, k));
    const v = checkLabelValue(value as string);
    if (v !== undefined) out.push(at(join(mlPath, key), v));
  }
  const me = selector.matchExpressions;
  if (me !== undefined && !Array.isArray(me)) {
    out.push(
      at(
        join(path, 'matchExpressions'),
        `${quote(me)} is not a list of requirements: wrap it in a list (e.g. [{"key": "environment", "operator": "Exists"}]).`,
      ),
    );
  }
  listOf(me as readonly unknown[] | undefined).forEach((req, i) => {
    out.push(...requirementProblems(req, join(path, `matchExpressions[${i}]`)));
  });
  return out;
}

/**
 * Structural problems of a Kubernetes label selector (empty when valid): `In`/`NotIn` need a
 * non-empty values list, `Exists`/`DoesNotExist` must not have values, operators must be known,
 * and label keys and values must be valid. Messages are prefixed with the field path when the
 * problem is inside the selector, e.g. `matchExpressions[0].operator: …`.
 */
export function checkLabelSelector(selector: LabelSelector): string[] {
  return labelSelectorProblems(selector, '');
}

/**
 * Problems of an Upbound Spaces selector (empty when valid): at least one of `names` and
 * `labelSelectors` must be non-empty (the Spaces CRD rule), names must be valid DNS-1123 labels and
 * listed once, and every label selector must pass {@link checkLabelSelector}.
 */
export function checkSpacesSelector(selector: SpacesSelector): string[] {
  if (!isRecord(selector)) {
    return [
      `${quote(selector)} is not a Spaces selector: a Spaces selector needs a non-empty names or labelSelectors list (e.g. {"names": ["team-a"]}).`,
    ];
  }
  const out = unknownFields(selector, SPACES_SELECTOR_FIELDS, '', 'a Spaces selector');
  const { names, labelSelectors } = selector;
  if (names !== undefined && !Array.isArray(names)) {
    const fix = typeof names === 'string' ? `write names: [${quote(names)}]` : 'list the names as strings';
    out.push(at('names', `${quote(names)} is not a list of names: ${fix}.`));
  }
  if (labelSelectors !== undefined && !Array.isArray(labelSelectors)) {
    out.push(
      at(
        'labelSelectors',
        `${quote(labelSelectors)} is not a list of label selectors: wrap it in a list (e.g. [{"matchLabels": {"environment": "prod"}}]).`,
      ),
    );
  }
  const nameList: readonly unknown[] = Array.isArray(names) ? names : [];
  const selectorList: readonly unknown[] = Array.isArray(labelSelectors) ? labelSelectors : [];
  if (nameList.length === 0 && selectorList.length === 0) {
    out.push(
      `${quote(selector)} selects nothing: a Spaces selector needs a non-empty names or labelSelectors list; add names (e.g. {"names": ["team-a"]}) or a label selector (e.g. {"labelSelectors": [{"matchLabels": {"environment": "prod"}}]}).`,
    );
  }
  const firstIndex = new Map<unknown, number>();
  nameList.forEach((name, i) => {
    const p = checkDnsLabel(name as string, 'name');
    if (p !== undefined) out.push(at(`names[${i}]`, p));
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, i);
    else out.push(at(`names[${i}]`, `${quote(name)} is listed more than once (first at names[${first}]); remove the duplicate.`));
  });
  selectorList.forEach((s, i) => out.push(...labelSelectorProblems(s, `labelSelectors[${i}]`)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Description

function describeRequirement(req: LabelSelectorRequirement): string {
  const values = `(${listOf(req.values).join(', ')})`;
  switch (req.operator) {
    case 'In':
      return `${req.key} in ${values}`;
    case 'NotIn':
      return `${req.key} notin ${values}`;
    case 'Exists':
      return req.key;
    case 'DoesNotExist':
      return `!${req.key}`;
    default:
      return `${req.key} ${String(req.operator)} ${values}`;
  }
}

function describeLabelSelector(selector: LabelSelector): string {
  if (!isObject(selector)) return quote(selector);
  const parts = [
    ...entriesOf(selector.matchLabels).map(([k, v]) => `${k}=${String(v)}`),
    ...listOf(selector.matchExpressions).map((r) => (isObject(r) ? describeRequirement(r) : quote(r))),
  ];
  return parts.length === 0 ? '(any)' : parts.join(', ');
}

/**
 * A short human description of a Spaces selector for messages and reports, in kubectl selector
 * syntax: `names [a, b]`, `labels environment=prod | environment in (dev, staging)` (`,` is AND
 * inside one label selector, `|` is OR between them; `k` is Exists, `!k` DoesNotExist, `(any)` the
 * empty selector), both joined with ` or `, or `nothing (no names or labelSelectors)`.
 */
export function describeSelector(selector: SpacesSelector): string {
  if (!isObject(selector)) return `invalid selector ${quote(selector)}`;
  const names = listOf(selector.names);
  const selectors = listOf(selector.labelSelectors);
  const parts: string[] = [];
  if (names.length > 0) parts.push(`names [${names.join(', ')}]`);
  if (selectors.length > 0) parts.push(`labels ${selectors.map(describeLabelSelector).join(' | ')}`);
  return parts.length === 0 ? 'nothing (no names or labelSelectors)' : parts.join(' or ');
}

// ---------------------------------------------------------------------------------------------
// Normalization

/** Sort by JSON text (stable) and drop exact duplicates. */
function sortedUniqueByJson<T>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  const keyed = items.map((item) => ({ item, json: JSON.stringify(item) }));
  keyed.sort((a, b) => cmp(a.json, b.json));
  const out: T[] = [];
  for (const { item, json } of keyed) {
    if (seen.has(json)) continue;
    seen.add(json);
    out.push(item);
  }
  return out;
}

/**
 * Malformed parts (a values field that is not a list, a requirement that is not an object, …) are
 * passed through unchanged, so that normalization never changes what a selector matches.
 */
function normalizeRequirement(req: LabelSelectorRequirement): LabelSelectorRequirement {
  if (!isObject(req)) return req;
  if (req.values !== undefined && !Array.isArray(req.values)) return { key: req.key, operator: req.operator, values: req.values };
  const values = sortedUnique(listOf(req.values));
  return values.length > 0 ? { key: req.key, operator: req.operator, values } : { key: req.key, operator: req.operator };
}

/** Sort key of a (normalized) requirement: key, then operator, then values. */
function requirementOrder(a: LabelSelectorRequirement, b: LabelSelectorRequirement): number {
  const field = (r: LabelSelectorRequirement, f: 'key' | 'operator'): string => (isObject(r) ? String(r[f]) : '');
  return (
    cmp(field(a, 'key'), field(b, 'key')) ||
    cmp(field(a, 'operator'), field(b, 'operator')) ||
    cmp(JSON.stringify(isObject(a) ? (a.values ?? []) : a) ?? '', JSON.stringify(isObject(b) ? (b.values ?? []) : b) ?? '')
  );
}

function normalizeLabelSelector(selector: LabelSelector): LabelSelector {
  const out: { matchLabels?: Readonly<Record<string, string>>; matchExpressions?: readonly LabelSelectorRequirement[] } = {};
  const ml = selector.matchLabels;
  if (ml !== undefined && !isObject(ml)) {
    out.matchLabels = ml;
  } else {
    const labels = entriesOf(ml).sort(([a], [b]) => cmp(a, b)) as [string, string][];
    // Object.fromEntries defines own properties, so even a "__proto__" key stays a label.
    if (labels.length > 0) out.matchLabels = Object.fromEntries(labels);
  }
  const me = selector.matchExpressions;
  if (me !== undefined && !Array.isArray(me)) {
    out.matchExpressions = me;
  } else {
    const exprs = sortedUniqueByJson(listOf(me).map(normalizeRequirement)).sort(requirementOrder);
    if (exprs.length > 0) out.matchExpressions = exprs;
  }
  return out;
}

/**
 * The deterministic form of a Spaces selector, for output: names sorted (by UTF-16 code unit) and
 * deduplicated; in each label selector, `matchLabels` rebuilt with keys inserted in sorted order,
 * `matchExpressions` sorted by key, then operator, then values, each `values` list sorted and
 * deduplicated; empty lists and maps omitted (an empty label selector `{}` is kept, as it matches
 * everything). The label selectors are ordered by their JSON text (stable) and exact duplicates are
 * dropped. Matching is unchanged and the function is idempotent; the input is not modified.
 *
 * Note that JavaScript enumerates integer-like keys (e.g. `"10"`) first, in numeric order, whatever
 * the insertion order; the output is still deterministic.
 */
export function normalizeSelector(selector: SpacesSelector): SpacesSelector {
  if (!isObject(selector)) return {};
  const names = sortedUnique(listOf(selector.names));
  const labelSelectors = sortedUniqueByJson(
    listOf(selector.labelSelectors)
      .filter(isObject)
      .map((s) => normalizeLabelSelector(s)),
  );
  const out: { names?: string[]; labelSelectors?: LabelSelector[] } = {};
  if (names.length > 0) out.names = names;
  if (labelSelectors.length > 0) out.labelSelectors = labelSelectors;
  return out;
}
