/**
 * YAML of one document, keys in the order given, no line folding, trailing newline. Strings that a
 * YAML 1.1 parser (go-yaml v2 behind kubectl and sigs.k8s.io/yaml) or a YAML 1.2 parser (go-yaml v3)
 * would read as something else are quoted: `"yes"`, `"on"`, `"n"`, `"0755"`, `"0o17"`, `"true"`.
 */
export declare function toYaml(doc: unknown): string;
/** The `yaml` library's rendering of the whole document, with the options of {@link toYaml}. */
export declare function libraryYaml(doc: unknown): string;
/**
 * The same text as {@link libraryYaml} for plain data (objects, arrays, strings, finite numbers,
 * booleans, null), laid out without the library's node tree; undefined for anything else.
 */
export declare function blockYaml(doc: unknown): string | undefined;
/** Reads back what {@link toYaml} wrote (same schema, so the value is the one that was rendered). */
export declare function fromYaml(text: string): unknown;
