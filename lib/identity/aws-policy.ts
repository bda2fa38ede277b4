/**
 * Small value classes for IAM policy documents (in the spirit of aws-cdk's aws-iam), rendered
 * deterministically in the key order IAM reviewers expect: `Version`, `Statement`; per statement
 * `Sid`, `Effect`, `Principal`, `Action`, `Resource`, `Condition`. Actions, resources, condition
 * operators, keys and values are sorted; statements keep the order they were added in.
 */
import { quoteValue } from '../private/terminal.js';

/** `StringEquals`, `ArnEquals`, ... → condition key → value(s). */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** The principal of a trust-policy statement. */
export type PolicyPrincipal = Readonly<{ Federated?: string; Service?: string; AWS?: string | readonly string[] }>;

/** Props of a {@link PolicyStatement}. */
export interface PolicyStatementProps {
  /** Statement id: letters and digits. @default none */
  readonly sid?: string;
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** Trust policies only. @default none */
  readonly principal?: PolicyPrincipal;
  /** @default none */
  readonly actions?: readonly string[];
  /** Permission policies only. @default none */
  readonly resources?: readonly string[];
  /** @default none */
  readonly conditions?: PolicyConditions;
}

const SID_RE = /^[A-Za-z0-9]*$/;

/** One IAM policy statement. */
export class PolicyStatement {
  public readonly sid?: string;
  public readonly effect: 'Allow' | 'Deny';
  public readonly principal?: PolicyPrincipal;
  private readonly _actions = new Set<string>();
  private readonly _resources = new Set<string>();
  private readonly _conditions = new Map<string, Map<string, Set<string>>>();
  private readonly scalar = new Set<string>();

  public constructor(props: PolicyStatementProps = {}) {
    if (props.sid !== undefined && !SID_RE.test(props.sid)) throw new Error(`Sid ${quoteValue(props.sid)} must be letters and digits`);
    this.sid = props.sid;
    this.effect = props.effect ?? 'Allow';
    this.principal = props.principal;
    this.addActions(...(props.actions ?? []));
    this.addResources(...(props.resources ?? []));
    for (const [op, entries] of Object.entries(props.conditions ?? {})) {
      for (const [key, value] of Object.entries(entries)) this.addCondition(op, key, value);
    }
  }

  /** Adds actions (duplicates are ignored). */
  public addActions(...actions: string[]): this {
    for (const a of actions) this._actions.add(a);
    return this;
  }

  /** Adds resources (duplicates are ignored). */
  public addResources(...resources: string[]): this {
    for (const r of resources) this._resources.add(r);
    return this;
  }

  /** Adds a condition; a string value stays a string when it is the key's only value. */
  public addCondition(operator: string, key: string, value: string | readonly string[]): this {
    const byKey = this._conditions.get(operator) ?? new Map<string, Set<string>>();
    this._conditions.set(operator, byKey);
    const values = byKey.get(key) ?? new Set<string>();
    byKey.set(key, values);
    for (const v of typeof value === 'string' ? [value] : value) values.add(v);
    const id = `${operator}\u0000${key}`;
    if (typeof value === 'string' && values.size === 1) this.scalar.add(id);
    else this.scalar.delete(id);
    return this;
  }

  /** Sorted actions. */
  public get actions(): string[] {
    return [...this._actions].sort();
  }

  /** Sorted resources. */
  public get resources(): string[] {
    return [...this._resources].sort();
  }

  /** Conditions with sorted operators, keys and values. */
  public get conditions(): Record<string, Record<string, string | string[]>> {
    const out: Record<string, Record<string, string | string[]>> = {};
    for (const op of [...this._conditions.keys()].sort()) {
      const byKey = this._conditions.get(op) as Map<string, Set<string>>;
      const entries: Record<string, string | string[]> = {};
      for (const key of [...byKey.keys()].sort()) {
        const values = [...(byKey.get(key) as Set<string>)].sort();
        entries[key] = this.scalar.has(`${op}\u0000${key}`) ? values[0] : values;
      }
      out[op] = entries;
    }
    return out;
  }

  /** A copy with the same sid, effect, principal, actions and conditions, and these resources. */
  public withResources(resources: readonly string[]): PolicyStatement {
    return new PolicyStatement({
      sid: this.sid,
      effect: this.effect,
      principal: this.principal,
      actions: this.actions,
      resources,
      conditions: this.conditions,
    });
  }

  /** The statement as IAM JSON, keys in review order. */
  public toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.sid) out.Sid = this.sid;
    out.Effect = this.effect;
    if (this.principal) out.Principal = sortedObject(this.principal);
    out.Action = this.actions;
    if (this._resources.size > 0) out.Resource = this.resources;
    if (this._conditions.size > 0) out.Condition = this.conditions;
    return out;
  }
}

/** An IAM policy document (version 2012-10-17). */
export class PolicyDocument {
  private readonly _statements: PolicyStatement[] = [];

  public constructor(statements: readonly PolicyStatement[] = []) {
    this.addStatements(...statements);
  }

  /** Appends statements. */
  public addStatements(...statements: PolicyStatement[]): this {
    this._statements.push(...statements);
    return this;
  }

  /** The statements, in order. */
  public get statements(): readonly PolicyStatement[] {
    return this._statements;
  }

  /** True when there is no statement. */
  public get isEmpty(): boolean {
    return this._statements.length === 0;
  }

  /** The document as IAM JSON. */
  public toJSON(): Record<string, unknown> {
    return { Version: '2012-10-17', Statement: this._statements.map((s) => s.toJSON()) };
  }

  /** Size as IAM counts it: characters without whitespace (string contents are counted in full). */
  public get size(): number {
    return policySize(this.toJSON());
  }

  /** Pretty JSON (two-space indent) with a trailing newline. */
  public render(): string {
    return `${JSON.stringify(this.toJSON(), null, 2)}\n`;
  }
}

/**
 * Size of a policy as IAM quotas count it: the JSON without whitespace. Spaces inside strings are
 * counted, so the figure is never below IAM's.
 */
export function policySize(doc: unknown): number {
  return JSON.stringify(doc).length;
}

/** Result of {@link splitPolicy}. */
export type SplitResult =
  | { readonly ok: true; readonly documents: readonly PolicyDocument[] }
  | { readonly ok: false; readonly statement: PolicyStatement; readonly resource: string; readonly size: number };

/**
 * Splits a document into documents of at most `maxChars` each (see {@link policySize}), keeping the
 * statement order and cutting a statement's resource list where a document is full; the parts of
 * a statement keep its Sid (each part lands in a different document). Fails when one resource
 * alone does not fit.
 */
export function splitPolicy(doc: PolicyDocument, maxChars: number): SplitResult {
  const documents: PolicyDocument[] = [];
  let current = new PolicyDocument();
  const fits = (d: PolicyDocument, s: PolicyStatement): boolean =>
    policySize({ ...d.toJSON(), Statement: [...d.statements.map((x) => x.toJSON()), s.toJSON()] }) <= maxChars;
  for (const statement of doc.statements) {
    const resources = statement.resources;
    if (resources.length === 0) {
      if (!fits(current, statement)) {
        if (!current.isEmpty) documents.push(current);
        current = new PolicyDocument();
        if (!fits(current, statement)) return { ok: false, statement, resource: '', size: new PolicyDocument([statement]).size };
      }
      current.addStatements(statement);
      continue;
    }
    let part: string[] = [];
    for (const resource of resources) {
      if (fits(current, statement.withResources([...part, resource]))) {
        part.push(resource);
        continue;
      }
      if (part.length > 0) current.addStatements(statement.withResources(part));
      if (!current.isEmpty) documents.push(current);
      current = new PolicyDocument();
      part = [resource];
      const alone = statement.withResources(part);
      if (!fits(current, alone)) return { ok: false, statement, resource, size: new PolicyDocument([alone]).size };
    }
    if (part.length > 0) current.addStatements(statement.withResources(part));
  }
  if (!current.isEmpty) documents.push(current);
  return { ok: true, documents };
}

function sortedObject<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}
