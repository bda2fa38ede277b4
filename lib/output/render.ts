/**
 * Returns a deep copy of `value` with object keys sorted and null or undefined members dropped
 * (arrays keep their order), as cdk8s renders objects.
 */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined && v !== null) out[k] = sortKeys(v);
    }
    return out as T;
  }
  return value;
}

export { fromYaml, fromYamlDocuments, toYaml } from './yaml-render.js';

/** JSON with sorted keys, two-space indent, trailing newline. */
export function toJson(doc: unknown): string {
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}
