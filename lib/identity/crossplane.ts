/** What the Crossplane output of the three clouds' identity planners share. */
import { sortKeys, toYaml } from '../output/render.js';

/** A multi-document YAML file of Crossplane managed resources (rendered with {@link multiDocYaml} when written). */
export interface CrossplaneFile {
  /** File name inside the `crossplane/` directory. */
  readonly file: string;
  /** The objects, as written. */
  readonly objects: readonly Record<string, unknown>[];
}

/** Renders objects as one multi-document YAML text with sorted keys. */
export function multiDocYaml(objects: readonly Record<string, unknown>[]): string {
  return objects.map((o) => toYaml(sortKeys(o))).join('---\n');
}
