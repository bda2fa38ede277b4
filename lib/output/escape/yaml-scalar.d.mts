/** True when a reader of YAML 1.1 (go-yaml v2, PyYAML-style) or of the YAML 1.2 core schema would read the plain scalar `text` as anything but this string. */
export declare function readsAsNonString(text: string): boolean;
