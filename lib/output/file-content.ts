// What a file of the output holds before it is written, and how it is rendered: shared by the main
// thread and the writer thread (write-worker.ts).
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { formatJson, formatJsonChunks } from './json-render.js';
import { toYaml } from './yaml-render.js';

/** A file of the output before it is written: its text, or a value to render. */
export type FileContent =
  | string
  /** A Kubernetes object, rendered with `toYaml`. */
  | { readonly yaml: Record<string, unknown> }
  /** A value rendered with `formatJson` (the layout of the report files). */
  | { readonly json: object }
  /** Kubernetes objects, one YAML document each (`toYaml`), separated by `---`. */
  | { readonly yamlDocuments: readonly Record<string, unknown>[] };

/** The text of a file: given as is, or rendered from `{ yaml }` (toYaml), `{ yamlDocuments }` or `{ json }` (formatJson). */
export function renderFile(content: FileContent): string {
  if (typeof content === 'string') return content;
  if ('yaml' in content) return toYaml(content.yaml);
  if ('yamlDocuments' in content) return content.yamlDocuments.map(toYaml).join('---\n');
  return formatJson(content.json);
}

/**
 * Creates `file` with the content rendered; report JSON is written as it is formatted (no whole text
 * in memory). The file must not exist yet (`wx`: O_CREAT | O_EXCL), so a write never follows a
 * symbolic link planted at its path nor replaces a file written before (two paths one filesystem
 * takes for one): it fails instead.
 */
export function writeRendered(file: string, content: FileContent): void {
  if (typeof content === 'string' || !('json' in content)) {
    writeFileSync(file, renderFile(content), { flag: 'wx' });
    return;
  }
  const fd = openSync(file, 'wx');
  try {
    formatJsonChunks(content.json, (chunk) => {
      const bytes = Buffer.from(chunk);
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    });
  } finally {
    closeSync(fd);
  }
}
