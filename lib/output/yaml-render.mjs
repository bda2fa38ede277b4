// YAML rendering of the output, in plain JavaScript so that the writer thread (write-worker.mjs),
// which runs without a TypeScript loader, renders with the same code as the main thread.
// Typed by yaml-render.d.mts; used through render.ts.
import { parse, stringify } from 'yaml';

/** The YAML 1.2 octal form (`0o17`), which the YAML 1.1 schema reads as a string. */
const OCTAL_1_2 = { tag: 'tag:yaml.org,2002:int', default: true, test: /^0o[0-7]+$/, resolve: (s) => parseInt(s.slice(2), 8) };
const customTags = (tags) => [...tags, OCTAL_1_2];

/**
 * YAML of one document, keys in the order given, no line folding, trailing newline. Strings that a
 * YAML 1.1 parser (go-yaml v2 behind kubectl and sigs.k8s.io/yaml) or a YAML 1.2 parser (go-yaml v3)
 * would read as something else are quoted: `"yes"`, `"on"`, `"n"`, `"0755"`, `"0o17"`, `"true"`.
 */
export function toYaml(doc) {
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1', customTags });
}

/** Reads back what {@link toYaml} wrote (same schema, so the value is the one that was rendered). */
export function fromYaml(text) {
  return parse(text, { version: '1.1', customTags });
}
