/**
 * Sorting the input's documents by apiVersion and kind: the kinds the import reads, the ones it
 * knows it does not (with the reason), and everything else (listed as unknown). Secrets are
 * skipped without reading their values. provider-kubernetes `Object`s that wrap a Shared* object
 * (a Cloud Space's delivery) are unwrapped.
 */
import { displayText } from './escape.js';
import type { ItemList } from './items.js';
import { locate, type FileLocation } from './layout.js';
import { isRecord } from './reader.js';
import { sourceName, type SourceDocument } from './source.js';

/** The kinds the import maps, and the API group of each. */
export const IMPORT_KINDS = {
  SharedSecretStore: 'spaces.upbound.io',
  SharedExternalSecret: 'spaces.upbound.io',
  ControlPlane: 'spaces.upbound.io',
  Namespace: '',
  ClusterSecretStore: 'external-secrets.io',
  SecretStore: 'external-secrets.io',
  ExternalSecret: 'external-secrets.io',
  ClusterExternalSecret: 'external-secrets.io',
  PushSecret: 'external-secrets.io',
} as const;

/** A kind the import maps. */
export type ImportKind = keyof typeof IMPORT_KINDS;

/** The versions read for each API group, with the one this project emits first. */
const VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'spaces.upbound.io': ['v1alpha1', 'v1beta1'],
  '': ['v1'],
  'external-secrets.io': ['v1', 'v1beta1', 'v1alpha1'],
};

/** Kinds known not to be imported, by API group, and why. */
const NOT_IMPORTED: ReadonlyArray<readonly [group: RegExp, kind: RegExp | undefined, reason: string]> = [
  [/^argoproj\.io$/, undefined, 'GitOps delivery is not imported: declare ArgoCdDelivery in the topology to get it back'],
  [
    /^(source|kustomize|helm)\.toolkit\.fluxcd\.io$/,
    undefined,
    'GitOps delivery is not imported: declare FluxDelivery in the topology to get it back',
  ],
  [
    /^config\.projectsveltos\.io$/,
    undefined,
    'Sveltos objects are not imported: declare SveltosSecretDistribution in the topology to get them back',
  ],
  [/^external-secrets\.io$/, /^ClusterPushSecret$/, 'ClusterPushSecret has no construct in the model'],
  [/^$/, /^ConfigMap$/, 'ConfigMaps are not part of a topology (synth writes them itself: Flux Helm values, Sveltos templates)'],
];

/** An input object of a kind the import maps. */
export interface InputObject {
  readonly kind: ImportKind;
  readonly apiVersion: string;
  /** The object as read (for the equivalence check). */
  readonly value: Record<string, unknown>;
  readonly name: string;
  readonly namespace?: string;
  readonly location: FileLocation;
  /** `file#document`. */
  readonly source: string;
  /** `Kind name` or `Kind namespace/name` (raw: escape when shown). */
  readonly display: string;
}

function metadataOf(value: Record<string, unknown>): { name?: string; namespace?: string } {
  const m = value.metadata;
  if (!isRecord(m)) return {};
  return {
    name: typeof m.name === 'string' ? m.name : undefined,
    namespace: typeof m.namespace === 'string' ? m.namespace : undefined,
  };
}

/** `Kind ns/name`. */
export function displayObject(kind: string, name: string, namespace?: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

function split(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/**
 * Classifies one value (a document, or the manifest wrapped in a provider-kubernetes Object).
 * Returns the object to import, or nothing (after listing why).
 */
function classifyValue(value: unknown, location: FileLocation, source: string, items: ItemList): InputObject | undefined {
  if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    items.note(
      source,
      undefined,
      'not a Kubernetes object (no apiVersion and kind; e.g. Helm values): skipped; synth derives such files from the topology',
    );
    return undefined;
  }
  const { apiVersion, kind } = value;
  const { group, version } = split(apiVersion);
  const { name, namespace } = metadataOf(value);
  const display = displayObject(kind, name ?? '(no name)', namespace);
  if (group === '' && kind === 'Secret') {
    items.note(display, undefined, 'a Secret: values are not imported; create it out of band (stores reference it by name)', source);
    return undefined;
  }
  if (group === 'kustomize.config.k8s.io' || (location.derived && kind === 'Kustomization')) {
    items.note(source, undefined, 'a kustomization: derived from the topology by synth', source);
    return undefined;
  }
  if (group === 'kubernetes.crossplane.io' && kind === 'Object') {
    const inner = (value.spec as { forProvider?: { manifest?: unknown } } | undefined)?.forProvider?.manifest;
    const wrapped = isRecord(inner) ? classifyValue(inner, { ...location, cloudObjects: true }, source, items) : undefined;
    if (wrapped && (wrapped.kind === 'SharedSecretStore' || wrapped.kind === 'SharedExternalSecret')) {
      items.note(
        display,
        undefined,
        `wraps ${wrapped.display} for a Cloud Space: the wrapped object is imported, its Space as a Cloud Space (declare a GitOps delivery to get the wrapper back)`,
        source,
      );
      return wrapped;
    }
    items.unmapped(
      display,
      undefined,
      'a provider-kubernetes Object that does not wrap a SharedSecretStore or SharedExternalSecret: not imported',
      source,
    );
    return undefined;
  }
  const known = (Object.keys(IMPORT_KINDS) as ImportKind[]).find((k) => k === kind && IMPORT_KINDS[k] === group);
  if (known) {
    if (!VERSIONS[group]?.includes(version)) {
      items.unmapped(
        display,
        'apiVersion',
        `${displayText(apiVersion)} is not a version the import reads (${(VERSIONS[group] ?? []).join(', ')}): not imported`,
        source,
      );
      return undefined;
    }
    if (name === undefined) {
      items.unmapped(display, 'metadata.name', 'the object has no name: not imported', source);
      return undefined;
    }
    return { kind: known, apiVersion, value, name, namespace, location, source, display };
  }
  if (location.derived) {
    items.note(display, undefined, 'derived from the topology by synth (a Helm, IAM or kustomize output): skipped', source);
    return undefined;
  }
  const why = NOT_IMPORTED.find(([g, k]) => g.test(group) && (k === undefined || k.test(kind)))?.[2];
  if (why) items.unmapped(display, undefined, why, source);
  else items.unmapped(display, undefined, `kind ${kind} of ${apiVersion} is not a kind the import reads: not imported`, source);
  return undefined;
}

/** The objects of the documents the import maps, in input order. */
export function classify(documents: readonly SourceDocument[], items: ItemList): InputObject[] {
  const out: InputObject[] = [];
  for (const d of documents) {
    const o = classifyValue(d.value, locate(d.file), sourceName(d), items);
    if (o) out.push(o);
  }
  return out;
}
