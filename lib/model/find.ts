import type { IConstruct } from 'constructs';

/** A class of constructs (abstract classes included). */
export type ConstructType<T extends IConstruct> = abstract new (...args: never[]) => T;

/** Each scope's constructs, while a synthesis runs (see {@link withTreeListed}). */
let listed: Map<IConstruct, IConstruct[]> | undefined;

/**
 * Runs `fn` (a synthesis) with each scope's constructs listed once: synthesis reads the tree many
 * times and does not change it, and walking it for every lookup was a large share of a big
 * topology's synthesis time. Nested calls share the outer listing.
 */
export function withTreeListed<T>(fn: () => T): T {
  if (listed) return fn();
  listed = new Map();
  try {
    return fn();
  } finally {
    listed = undefined;
  }
}

/** Every construct below `scope` (itself included), in construct-tree order. */
export function constructsOf(scope: IConstruct): IConstruct[] {
  if (!listed) return scope.node.findAll();
  let all = listed.get(scope);
  if (!all) {
    all = scope.node.findAll();
    listed.set(scope, all);
  }
  return all;
}

/** Every construct of `type` below `scope` (itself included), in construct-tree order. */
export function findAll<T extends IConstruct>(scope: IConstruct, type: ConstructType<T>): T[] {
  return constructsOf(scope).filter((c): c is T => c instanceof type);
}

/**
 * The constructs of `type` that belong to `owner`: below it, and not below a nested construct of
 * the owner's kind (`ownerOf(c)` returns the nearest such construct above `c`).
 */
export function membersOf<T extends IConstruct>(owner: IConstruct, type: ConstructType<T>, ownerOf: (c: IConstruct) => IConstruct): T[] {
  return findAll(owner, type).filter((c) => ownerOf(c) === owner);
}
