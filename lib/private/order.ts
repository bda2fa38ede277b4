/**
 * The one ordering of the output: code-unit string order (deterministic, locale-independent), and
 * the small sort helpers built on it. Every sort of names, paths and keys in the output uses these,
 * so that the same model gives the same bytes on every machine.
 */

/** Code-unit order of two strings: negative, zero or positive. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders `[key, value]` entries by key ({@link cmp}). */
export function byKey<T>([a]: readonly [string, T], [b]: readonly [string, T]): number {
  return cmp(a, b);
}

/** Sorted copy ({@link cmp}) without duplicates. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(cmp);
}
