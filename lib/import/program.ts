/**
 * The generated topology as a small program: a list of statements (`const x = new Construct(...)`,
 * `Guardrails.allow(...)`) over a closed set of the public API's constructors and factories. One
 * program is both printed as TypeScript (`print.ts`) and run in process (`evaluate.ts`) to check
 * that it synthesizes and what it synthesizes to, so the file and the check cannot disagree.
 */

/** Constructs and values the generated code may create with `new`. */
export const CLASS_NAMES = [
  'Environment',
  'Space',
  'Group',
  'ControlPlane',
  'SecretStore',
  'SharedSecret',
  'EsoCluster',
  'EsoSecretStore',
  'EsoExternalSecret',
  'EsoPushSecret',
  'AwsSecretsManager',
  'AwsParameterStore',
  'AzureKeyVault',
  'GcpSecretManager',
] as const;

/** A class the generated code may instantiate. */
export type ClassName = (typeof CLASS_NAMES)[number];

/** Static factories the generated code may call, by class. */
export const FACTORIES = {
  Planes: ['inEnvironments', 'named', 'matching'],
  Namespaces: ['named', 'matching'],
  StaticCredentials: ['awsAccessKey', 'azureServicePrincipal', 'gcpServiceAccountKey'],
  SpaceIdentity: ['awsIrsa', 'awsPodIdentity', 'azureWorkloadIdentity', 'gcpWorkloadIdentity'],
  StoreIdentity: ['awsIrsa'],
  Guardrails: ['allow'],
} as const;

/** A class with static factories. */
export type FactoryOwner = keyof typeof FACTORIES;

/** An expression of the generated code. */
export type Expr =
  | { readonly k: 'lit'; readonly v: string | number | boolean }
  | { readonly k: 'arr'; readonly items: readonly Expr[] }
  | { readonly k: 'obj'; readonly entries: ReadonlyArray<readonly [string, Expr]> }
  | { readonly k: 'ref'; readonly to: Statement }
  | { readonly k: 'new'; readonly cls: ClassName; readonly args: readonly Expr[] }
  | { readonly k: 'call'; readonly on: FactoryOwner; readonly fn: string; readonly args: readonly Expr[] };

/** One statement: a declaration (named when something refers to it) or a call. */
export interface Statement {
  readonly expr: Expr;
  /** Name the variable is derived from (the object's name). */
  readonly name: string;
  /** A word for the kind (`env`, `space`, `group`, ...), used when names collide. */
  readonly kindWord: string;
  /** Whether another statement refers to it (then it is declared as a `const`). */
  referenced: boolean;
  /** Comments printed above it (raw text: escaped when printed). */
  readonly comments: string[];
  /** Construct path of what it creates, for guardrail opt-outs. */
  readonly path?: string;
  /** Display name of the input object it declares (its items are printed above it). */
  readonly object?: string;
  /** Printed after an empty line. */
  readonly section?: boolean;
}

/** The whole generated program. */
export interface Program {
  /** The app parameter of the generated function (never printed as a statement). */
  readonly app: Statement;
  readonly statements: Statement[];
  /** Comment lines of the file's header (raw text). */
  readonly header: string[];
}

/** A new program with its app parameter. */
export function newProgram(): Program {
  return {
    app: { expr: { k: 'lit', v: 'app' }, name: 'app', kindWord: 'app', referenced: true, comments: [] },
    statements: [],
    header: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Expression helpers

/** A literal. */
export function lit(v: string | number | boolean): Expr {
  return { k: 'lit', v };
}

/** A reference to a statement's value (marks it referenced). */
export function ref(to: Statement): Expr {
  to.referenced = true;
  return { k: 'ref', to };
}

/** `new cls(...args)`. */
export function construct(cls: ClassName, ...args: Expr[]): Expr {
  return { k: 'new', cls, args };
}

/** `on.fn(...args)`. */
export function call<O extends FactoryOwner>(on: O, fn: (typeof FACTORIES)[O][number], ...args: Expr[]): Expr {
  return { k: 'call', on, fn, args };
}

/** A plain value (strings, numbers, booleans, lists, maps) as an expression; undefined entries are left out. */
export function value(v: unknown): Expr {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return lit(v);
  if (Array.isArray(v)) return { k: 'arr', items: v.filter((x) => x !== undefined).map(value) };
  if (typeof v === 'object' && v !== null) return obj(Object.entries(v).map(([k, x]) => [k, opt(x)] as const));
  throw new Error(`import: cannot write a ${typeof v} as a value`);
}

/** {@link value}, or undefined for undefined. */
export function opt(v: unknown): Expr | undefined {
  return v === undefined ? undefined : value(v);
}

/** An object literal (undefined entries left out). */
export function obj(entries: ReadonlyArray<readonly [string, Expr | undefined]>): Expr {
  return { k: 'obj', entries: entries.filter((e): e is readonly [string, Expr] => e[1] !== undefined) };
}

/** A list literal. */
export function arr(items: readonly Expr[]): Expr {
  return { k: 'arr', items };
}
