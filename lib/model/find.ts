import type { IConstruct } from 'constructs';

/** A class of constructs (abstract classes included). */
export type ConstructType<T extends IConstruct> = abstract new (...args: never[]) => T;

/** Every construct of `type` below `scope` (itself included), in construct-tree order. */
export function findAll<T extends IConstruct>(scope: IConstruct, type: ConstructType<T>): T[] {
  return scope.node.findAll().filter((c): c is T => c instanceof type);
}

/**
 * The constructs of `type` that belong to `owner`: below it, and not below a nested construct of
 * the owner's kind (`ownerOf(c)` returns the nearest such construct above `c`).
 */
export function membersOf<T extends IConstruct>(owner: IConstruct, type: ConstructType<T>, ownerOf: (c: IConstruct) => IConstruct): T[] {
  return findAll(owner, type).filter((c) => ownerOf(c) === owner);
}
