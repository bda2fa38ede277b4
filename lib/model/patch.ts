/**
 * The escape hatch's registry: the JSON patches (RFC 6902, cdk8s's `JsonPatch`) that users add to
 * the Kubernetes objects a construct emits (`store.addJsonPatch(JsonPatch.add(...))`). The
 * constructs only record them here; the compile stage applies them to the emitted objects before
 * anything is checked or written (lib/compile/patch.ts), and refuses a patch the access analysis
 * could not see.
 */
import type { JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { parseProps } from '../private/props.js';
import { JsonPatchArgs, ObjectSelectorSchema } from './props.js';
import { recordTypeProblems } from './typed.js';

/**
 * Which of a construct's emitted Kubernetes objects a JSON patch applies to (a construct may emit
 * several: a Sveltos distribution a ClusterProfile and a ConfigMap, a delivery construct one
 * Application per directory). Every field given must match.
 */
export interface ObjectSelector {
  /**
   * The object's `kind`, e.g. `"SharedSecretStore"`, `"Application"`.
   * @default any kind
   */
  readonly kind?: string;
  /**
   * The object's `metadata.name`.
   * @default any name
   */
  readonly name?: string;
  /**
   * The object's `metadata.namespace` (objects without a namespace never match a namespace).
   * @default any namespace
   */
  readonly namespace?: string;
}

/** One `addJsonPatch` call: the operations, as given, and the objects they apply to. */
export interface PatchEntry {
  /** The objects of the construct the operations apply to; `undefined`: every object. */
  readonly select: ObjectSelector | undefined;
  /** The operations, as the caller gave them (checked when they are applied: JS callers may pass anything). */
  readonly ops: readonly unknown[];
  /** The position of the call among the construct's calls, from 1 (named in problems). */
  readonly call: number;
}

const registry = new WeakMap<IConstruct, PatchEntry[]>();

/**
 * Records JSON patch operations for the Kubernetes objects `owner` emits (those `select` matches,
 * else all of them). They are applied in the order added. The types of the arguments (a selector
 * of strings, operations that are objects) are checked here against their schemas, as a JavaScript
 * caller passes them, and recorded as type problems of `owner`; what an operation does is checked
 * when it is applied, a problem of the synthesis reported with every other one.
 */
export function addJsonPatches(owner: IConstruct, select: ObjectSelector | undefined, ops: readonly JsonPatch[]): void {
  const entries = registry.get(owner) ?? [];
  const call = `${select === undefined ? 'addJsonPatch' : 'addJsonPatchTo'} call ${entries.length + 1}`;
  const problems = [
    ...(select === undefined
      ? []
      : parseProps(ObjectSelectorSchema, select, {}).problems.map(
          (m) => `${call}: select${m.startsWith('props ') ? m.slice(5) : `.${m}`}`,
        )),
    ...parseProps(JsonPatchArgs, ops, []).problems.map(
      (m) => `${call}: operation ${m.replace(/^\[(\d+)\]/, (_, i: string) => String(Number(i) + 1))}`,
    ),
  ];
  recordTypeProblems(owner, problems);
  entries.push({ select, ops: [...(ops as readonly unknown[])], call: entries.length + 1 });
  registry.set(owner, entries);
}

/** The patch calls recorded for `owner`, in order (empty when none). */
export function jsonPatchesOf(owner: IConstruct): readonly PatchEntry[] {
  return registry.get(owner) ?? [];
}

/** Whether `owner` has JSON patches. */
export function hasJsonPatches(owner: IConstruct): boolean {
  return registry.has(owner);
}

/**
 * What a root of the model answers for `Group.toJson()` (implemented by `TopologyApp`, which
 * model/ cannot import): the objects a scope emits, as written.
 */
export interface EmittedObjects {
  objectsOf(scope: IConstruct): Record<string, unknown>[];
}

/** The objects `scope` and the constructs below it emit, asked of the root of its tree. Throws when the root is not a TopologyApp. */
export function emittedObjectsOf(scope: IConstruct): Record<string, unknown>[] {
  const root = scope.node.root as Partial<EmittedObjects>;
  if (typeof root.objectsOf !== 'function')
    throw new Error(`${scope.node.path || '(root)'} is not in a TopologyApp's tree: create the topology with a TopologyApp as its root.`);
  return root.objectsOf(scope);
}
