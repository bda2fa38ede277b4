/** A file of the output before it is written: its text, or a value to render. */
export type FileContent =
  | string
  /** A Kubernetes object, rendered with `toYaml`. */
  | { readonly yaml: Record<string, unknown> }
  /** A value rendered with `formatJson` (the layout of the report files). */
  | { readonly json: object };

/** The text of a file: given as is, or rendered from `{ yaml }` (toYaml) or `{ json }` (formatJson). */
export declare function renderFile(content: FileContent): string;

/** Creates `file` with the content rendered; report JSON is written as it is formatted (no whole text in memory). */
export declare function writeRendered(file: string, content: FileContent): void;
