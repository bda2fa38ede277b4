import type { ApiObject } from 'cdk8s';
import { parse, stringify, type ScalarTag } from 'yaml';

/** Returns a deep copy of `value` with object keys sorted (arrays keep their order). */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out as T;
  }
  return value;
}

/** The YAML 1.2 octal form (`0o17`), which the YAML 1.1 schema reads as a string. */
const OCTAL_1_2: ScalarTag = { tag: 'tag:yaml.org,2002:int', default: true, test: /^0o[0-7]+$/, resolve: (s) => parseInt(s.slice(2), 8) };

/**
 * YAML of one document, keys in the order given, no line folding, trailing newline. Strings that a
 * YAML 1.1 parser (go-yaml v2 behind kubectl and sigs.k8s.io/yaml) or a YAML 1.2 parser (go-yaml v3)
 * would read as something else are quoted: `"yes"`, `"on"`, `"n"`, `"0755"`, `"0o17"`, `"true"`.
 */
export function toYaml(doc: unknown): string {
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1', customTags: (tags) => [...tags, OCTAL_1_2] });
}

/** Reads back what {@link toYaml} wrote (same schema, so the value is the one that was rendered). */
export function fromYaml(text: string): unknown {
  return parse(text, { version: '1.1', customTags: (tags) => [...tags, OCTAL_1_2] });
}

/** JSON with sorted keys, two-space indent, trailing newline. */
export function toJson(doc: unknown): string {
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}

/**
 * The JSON of an object built during synthesis, which is then removed from the construct tree:
 * targets build their objects from the whole model when they emit, so nothing needs them
 * afterwards, memory is not held for them, and synthesis can run again on the same tree.
 */
export function renderAndDetach(obj: ApiObject): Record<string, unknown> {
  const json = obj.toJson() as Record<string, unknown>;
  obj.node.scope?.node.tryRemoveChild(obj.node.id);
  return json;
}
