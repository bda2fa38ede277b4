/** Helm values files: typed values with a comment header, rendered to YAML when they are written. */
import { toYaml } from './render.js';

/** A Helm values file of the output (the Spaces chart of a Space, the ESO chart of a cluster). */
export interface HelmValuesFile {
  /** Path relative to the output directory. */
  readonly path: string;
  /** The values, as written (plain data). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Comment lines at the top of the file, each without its `# `. */
  readonly header: readonly string[];
}

/** The text of a values file: its header as `#` comments, then the values as YAML. */
export function helmValuesText(file: HelmValuesFile): string {
  return `${file.header.map((line) => `# ${line}`).join('\n')}\n${toYaml(file.values)}`;
}
