// What a file of the output holds before it is written, and how it is rendered: plain JavaScript,
// shared by the main thread and the writer thread (write-worker.mjs). Typed by file-content.d.mts.
import { formatJson } from './json-render.mjs';
import { toYaml } from './yaml-render.mjs';

/** The text of a file: given as is, or rendered from `{ yaml }` (toYaml) or `{ json }` (formatJson). */
export function renderFile(content) {
  if (typeof content === 'string') return content;
  if ('yaml' in content) return toYaml(content.yaml);
  return formatJson(content.json);
}
