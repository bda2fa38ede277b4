import { sortKeys } from '../output/render.js';

/** Order of the metadata fields in emitted manifests. */
const METADATA_ORDER = ['name', 'namespace', 'labels', 'annotations'];

/**
 * A manifest in the canonical form of this project's output: `apiVersion`, `kind`, `metadata`
 * (name, namespace, labels, annotations — maps sorted), then every other field with keys sorted
 * at every level (arrays keep their order). Undefined values are dropped.
 */
export function canonicalManifest(manifest: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion, kind, metadata, ...rest } = manifest;
  const meta = (metadata ?? {}) as Record<string, unknown>;
  const orderedMeta: Record<string, unknown> = {};
  for (const k of [
    ...METADATA_ORDER,
    ...Object.keys(meta)
      .filter((k) => !METADATA_ORDER.includes(k))
      .sort(),
  ]) {
    if (meta[k] !== undefined) orderedMeta[k] = sortKeys(meta[k]);
  }
  return { apiVersion, kind, metadata: orderedMeta, ...sortKeys(rest) };
}
