import type { Construct } from 'constructs';
import { sortKeys } from './render.js';

/** A Kubernetes object of the output: its file, the object as written, and the construct it comes from (named in errors). */
export interface Manifest {
  /** Path relative to the output directory. */
  readonly path: string;
  /** The object (plain data). */
  readonly object: Record<string, unknown>;
  /** The construct it comes from. */
  readonly owner: Construct;
}

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
