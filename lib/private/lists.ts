/** Closed lists: each is one `as const` array, its union type derived from it, and this guard. */

/** Whether `value` is a member of `list` (a type guard for the `as const` lists of the model). */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
