/**
 * The type problems of constructs and value objects (providers, identities, credentials, ...): a
 * construct or factory checks its props with its schema ({@link typedProps}) before it reads them,
 * records what is wrong here and builds itself from a fallback instead, so that nothing throws on
 * a JavaScript or JSON caller's values. The check phase reports a construct's type problems
 * instead of running its other checks (which would read the wrong values). Also the arguments of
 * a construct's constructor (scope and id), which constructs would otherwise throw on.
 */
import { Construct, type IConstruct } from 'constructs';
import { parseProps, receivedText, type z } from '../private/props.js';
import { TopologyError } from './errors.js';
import { quoteValue } from '../private/terminal.js';

const recorded = new WeakMap<object, string[]>();

/** Props schemas of library classes whose subclasses have props of their own, by class (see {@link classPropsSchema}). */
const classSchemas = new WeakMap<object, z.ZodType>();

/** Records the props schema of a library class (called once, after the class is defined). */
export function registerPropsSchema(cls: object, schema: z.ZodType): void {
  classSchemas.set(cls, schema);
}

/**
 * The props schema of the class being constructed (`new.target`): its own, else that of the
 * nearest library class it extends. Looked up by class rather than read from a member, so that a
 * user's subclass cannot replace it by declaring a method of the same name, and the declarations
 * never name the validator.
 */
export function classPropsSchema(target: object): z.ZodType | undefined {
  for (let c: object | null = target; c !== null; c = Object.getPrototypeOf(c) as object | null) {
    const schema = classSchemas.get(c);
    if (schema) return schema;
  }
  return undefined;
}

/** The type problems recorded for `owner` (a construct or a value object); empty when its props had the declared types. */
export function typeProblemsOf(owner: unknown): readonly string[] {
  return owner !== null && typeof owner === 'object' ? (recorded.get(owner) ?? []) : [];
}

/**
 * The container `found` of `construct` (its Group, Space, EsoCluster…), or, when there is none, a
 * type problem saying where `what` (with its article: `a ControlPlane`) must be created; the value
 * returned then is never read (type problems stop the synthesis before any other check).
 */
export function containerOf<T>(construct: IConstruct, what: string, container: string, found: T | undefined): T {
  if (found === undefined) {
    const scope = quoteValue(construct.node.scope?.node.path || '(app)');
    recordTypeProblems(construct, [
      `${what} must be created inside ${article(container)} (its scope is ${scope}): create it with ${article(container)} as scope.`,
    ]);
  }
  return found ?? (undefined as unknown as T);
}

/** `a Group`, `an EsoCluster`. */
function article(noun: string): string {
  return `${/^[AEIOU]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** Records type problems of `owner`. */
export function recordTypeProblems(owner: object, problems: readonly string[]): void {
  if (problems.length === 0) return;
  const list = recorded.get(owner) ?? [];
  list.push(...problems);
  recorded.set(owner, list);
}

/**
 * Checks `props` of `owner` against `schema` and records the problems, those of the props' value
 * objects too (an identity, a provider, its credentials: `identity: accountId ...`). Returns the
 * props when they are all of the declared types, else `fallback`.
 */
export function typedProps<T>(owner: object, schema: z.ZodType, props: unknown, fallback: T): T {
  const parsed = parseProps(schema, props, fallback);
  const problems = [...parsed.problems, ...nestedProblems(props)];
  recordTypeProblems(owner, problems);
  return problems.length === 0 ? parsed.value : fallback;
}

/** The recorded problems of the value objects among `props`' values (one level, and lists). */
function nestedProblems(props: unknown): string[] {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) return [];
  const out: string[] = [];
  let entries: [string, unknown][];
  try {
    entries = Object.entries(props);
  } catch {
    return [];
  }
  for (const [key, value] of entries) {
    if (value instanceof Construct) continue; // a construct reports its own problems
    if (Array.isArray(value)) value.forEach((v, i) => out.push(...typeProblemsOf(v).map((m) => `${key}[${i}]: ${m}`)));
    else out.push(...typeProblemsOf(value).map((m) => `${key}: ${m}`));
  }
  return out;
}

/**
 * A value object (an identity, a provider, credentials, a declaration) built by `make` from props
 * checked against `schema`, or from `fallback` when they are not of the declared types; the
 * problems are recorded for it (its `check()` returns them first, its owner's props check picks them up).
 */
export function typedValue<P, T extends object>(schema: z.ZodType, props: unknown, fallback: P, make: (p: P) => T): T {
  const parsed = parseProps(schema, props, fallback);
  const problems = [...parsed.problems, ...nestedProblems(props)];
  const made = make(problems.length === 0 ? parsed.value : fallback);
  recordTypeProblems(made, problems);
  return made;
}

/** The app that constructs created without a valid scope are attached to (the last one created). */
let currentRoot: Construct | undefined;

/** Called by the app's constructor: constructs created with a scope that is not a construct are attached to it. */
export function registerRoot(root: Construct): void {
  currentRoot = root;
}

/**
 * Records the type problems of a static call's arguments (e.g. `Guardrails.allow(scope, ...)`) on
 * `scope` when it is a construct, else on the app (the last one created); throws a
 * {@link TopologyError} when there is neither, so that nothing is silently dropped.
 */
export function recordCallProblems(scope: unknown, problems: readonly string[]): void {
  if (problems.length === 0) return;
  const owner = scope instanceof Construct ? scope : currentRoot;
  if (!owner) throw new TopologyError(problems.map((message) => ({ path: '', message })));
  recordTypeProblems(owner, problems);
}

/** The `scope` and `id` a construct is created with, made safe for the constructs library (which throws on others). */
export function constructArgs(scope: unknown, id: unknown): [Construct, string] {
  const base = typeof id === 'string' && id !== '' ? id : 'unnamed';
  if (!(scope instanceof Construct)) {
    if (!currentRoot) {
      throw new TopologyError([
        {
          path: base,
          message: `scope is ${receivedText(scope)}, not a construct: create it inside the TopologyApp's tree (a mistyped lookup such as groups["x"] gives undefined).`,
        },
      ]);
    }
    return [currentRoot, freeId(currentRoot, `unattached-${base}`)];
  }
  return [scope, freeId(scope, base)];
}

function freeId(scope: IConstruct, id: string): string {
  const clean = id.replace(/\//g, '--');
  if (!scope.node.tryFindChild(clean)) return id;
  for (let n = 2; ; n++) if (!scope.node.tryFindChild(`${clean}~${n}`)) return `${clean}~${n}`;
}

/**
 * Records the problems of the arguments `c` was created with (see {@link constructArgs}): a scope
 * that is not a construct (`within` says where it belongs), an id that is not a non-empty string
 * or that another construct of the scope has.
 */
export function checkConstructArgs(c: Construct, scope: unknown, id: unknown, within: string): void {
  const problems: string[] = [];
  if (!(scope instanceof Construct)) {
    problems.push(
      `scope is ${receivedText(scope)}, not a construct: create it inside ${within} (a mistyped lookup such as groups["x"] gives undefined).`,
    );
  }
  if (typeof id !== 'string' || id === '') {
    problems.push(`id is ${receivedText(id)}: give the construct a non-empty string id.`);
  } else if (scope instanceof Construct && c.node.id !== id.replace(/\//g, '--')) {
    problems.push(
      `id ${quoteValue(id)} is already taken in "${scope.node.path || '(app)'}" (this second construct is listed as "${c.node.id}"): give each construct of a scope its own id.`,
    );
  }
  recordTypeProblems(c, problems);
}
