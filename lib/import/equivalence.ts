/**
 * Equivalence of objects before and after an import: the import's definition of "the same objects"
 * (docs/import.md, "Equivalence"). Two objects are equivalent when their normal forms are equal;
 * two sets are when every object has exactly one equivalent object with the same identity (Space
 * or ESO cluster, API group, kind, namespace, name) in the other set.
 *
 * The normal form drops what does not change what the API server stores or how ESO and Spaces act:
 * the version in apiVersion, status and server-set metadata, the annotations kubectl and GitOps
 * delivery add, the label synth puts on ESO objects, null values, an empty spec, fields equal to
 * their default (`defaults.ts`, and a target or projected name equal to the object's own); Go
 * durations are compared by length; selectors are compared as sets (Spaces selectors in
 * {@link normalizeSelector}'s form, ClusterSecretStore conditions as one set of names and one of
 * label selectors, absent conditions as `{namespaceSelector: {}}`, which ESO reads alike).
 */
import { normalizeSelector } from '../model/selectors.js';
import { parseGoDuration } from '../model/validation.js';
import { IMPORT_KINDS, type ImportKind } from './classify.js';
import { EXTERNAL_SECRET_SPEC_DEFAULTS, PROVIDER_DEFAULTS, PUSH_SECRET_SPEC_DEFAULTS, isDefault, type DefaultEntry } from './defaults.js';
import { locate } from './layout.js';
import { isIgnoredAnnotation } from './read-common.js';
import { isRecord, shapeOf } from './reader.js';
import { keyString, type ImportedObject, type ObjectKey } from './reconstruct.js';

type Json = Record<string, unknown>;

const SERVER_METADATA = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
]);
const MANAGED_BY = 'app.kubernetes.io/managed-by';

/** A deep copy without null and undefined values. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(clean);
  if (isRecord(v)) {
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === null || x === undefined) continue;
      Object.defineProperty(out, k, { value: clean(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

function record(v: unknown): Json {
  return isRecord(v) ? v : {};
}

/** Deletes the fields of `obj` at `path` (`a.b[].c`) that hold their default. */
function stripDefault(obj: unknown, segments: readonly string[], defaults: readonly DefaultEntry[], full: string): void {
  const [head, ...rest] = segments;
  if (head === undefined || !isRecord(obj)) return;
  const list = head.endsWith('[]');
  const key = list ? head.slice(0, -2) : head;
  if (!Object.hasOwn(obj, key)) return;
  if (rest.length === 0) {
    if (isDefault(defaults, full, obj[key])) Reflect.deleteProperty(obj, key);
    return;
  }
  const next = obj[key];
  if (list && Array.isArray(next)) for (const item of next) stripDefault(item, rest, defaults, full);
  else if (!list) stripDefault(next, rest, defaults, full);
}

function stripDefaults(obj: unknown, defaults: readonly DefaultEntry[]): void {
  for (const [path] of defaults) stripDefault(obj, path.split('.'), defaults, path);
}

/** A Go duration as its length (`1h` and `60m` alike); other values unchanged. */
function duration(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const ms = parseGoDuration(v);
  return ms === undefined ? v : `${ms}ms`;
}

function spacesSelector(v: unknown): unknown {
  return isRecord(v) ? normalizeSelector(v) : v;
}

/** Label selectors as a sorted set in normal form. */
function labelSelectorSet(list: readonly unknown[]): unknown[] {
  return [...(normalizeSelector({ labelSelectors: list.filter(isRecord) }).labelSelectors ?? [])];
}

/** An ESO ExternalSecret spec in normal form; `name` is the name its ExternalSecrets get. */
function externalSecretSpec(v: unknown, name: string): unknown {
  if (!isRecord(v)) return v;
  stripDefaults(v, EXTERNAL_SECRET_SPEC_DEFAULTS);
  if (v.refreshInterval !== undefined) v.refreshInterval = duration(v.refreshInterval);
  const target = v.target;
  if (isRecord(target)) {
    if (target.name === name) delete target.name;
    if (Object.keys(target).length === 0) delete v.target;
  }
  return v;
}

function provider(v: unknown): unknown {
  stripDefaults(v, PROVIDER_DEFAULTS);
  return v;
}

/** ClusterSecretStore conditions as one set: ESO ORs every name and label selector of every condition. */
function conditions(v: unknown): unknown {
  if (isRecord(v)) return v;
  const list = Array.isArray(v) && v.length > 0 ? v : [{ namespaceSelector: {} }];
  const names = new Set<string>();
  const selectors: unknown[] = [];
  const other: unknown[] = [];
  for (const c of list) {
    if (!isRecord(c)) continue;
    const { namespaces, namespaceSelector, ...rest } = c;
    if (Array.isArray(namespaces)) for (const n of namespaces) if (typeof n === 'string') names.add(n);
    if (namespaceSelector !== undefined) selectors.push(namespaceSelector);
    if (Object.keys(rest).length > 0) other.push(rest);
  }
  return { names: [...names].sort(), selectors: labelSelectorSet(selectors), other };
}

function metadata(v: unknown, kind: ImportKind): Json {
  const m = record(v);
  const out: Json = {};
  for (const [k, x] of Object.entries(m)) {
    if (SERVER_METADATA.has(k)) continue;
    if (k === 'annotations' && isRecord(x)) {
      const kept = Object.fromEntries(Object.entries(x).filter(([a]) => !isIgnoredAnnotation(a)));
      if (Object.keys(kept).length > 0) out.annotations = kept;
    } else if (k === 'labels' && isRecord(x)) {
      const kept = Object.fromEntries(
        Object.entries(x).filter(
          ([l, val]) => !(IMPORT_KINDS[kind] === 'external-secrets.io' && l === MANAGED_BY && val === 'secrets-topology'),
        ),
      );
      if (Object.keys(kept).length > 0) out.labels = kept;
    } else Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The API group of an apiVersion (`spaces.upbound.io/v1alpha1` → `spaces.upbound.io`, `v1` → ``); a group stays itself. */
function apiGroup(apiVersion: string): string {
  if (apiVersion.includes('/')) return apiVersion.slice(0, apiVersion.lastIndexOf('/'));
  return /^v\d/.test(apiVersion) ? '' : apiVersion;
}

/** The normal form of an object of an imported kind (see the module comment). */
export function normalizeObject(kind: ImportKind, value: Record<string, unknown>): Json {
  const o = clean(value) as Json;
  const name = typeof record(o.metadata).name === 'string' ? (record(o.metadata).name as string) : '';
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const out: Json = {
    apiVersion: apiGroup(apiVersion),
    kind: o.kind,
    metadata: metadata(o.metadata, kind),
  };
  const spec = isRecord(o.spec) ? o.spec : undefined;
  if (spec) {
    switch (kind) {
      case 'SharedSecretStore':
        spec.controlPlaneSelector = spacesSelector(spec.controlPlaneSelector);
        spec.namespaceSelector = spacesSelector(spec.namespaceSelector);
        spec.provider = provider(spec.provider);
        if (spec.secretStoreName === name) delete spec.secretStoreName;
        break;
      case 'SharedExternalSecret':
        spec.controlPlaneSelector = spacesSelector(spec.controlPlaneSelector);
        spec.namespaceSelector = spacesSelector(spec.namespaceSelector);
        if (spec.externalSecretName === name) delete spec.externalSecretName;
        spec.externalSecretSpec = externalSecretSpec(spec.externalSecretSpec, name);
        break;
      case 'Namespace':
        if (Array.isArray(spec.finalizers) && spec.finalizers.length === 1 && spec.finalizers[0] === 'kubernetes') delete spec.finalizers;
        break;
      case 'SecretStore':
      case 'ClusterSecretStore':
        spec.provider = provider(spec.provider);
        if (kind === 'ClusterSecretStore') spec.conditions = conditions(spec.conditions);
        break;
      case 'ExternalSecret':
        externalSecretSpec(spec, name);
        break;
      case 'ClusterExternalSecret':
        if (spec.externalSecretName === name) delete spec.externalSecretName;
        spec.externalSecretSpec = externalSecretSpec(spec.externalSecretSpec, name);
        if (Array.isArray(spec.namespaceSelectors)) spec.namespaceSelectors = labelSelectorSet(spec.namespaceSelectors);
        break;
      case 'PushSecret':
        stripDefaults(spec, PUSH_SECRET_SPEC_DEFAULTS);
        if (spec.refreshInterval !== undefined) spec.refreshInterval = duration(spec.refreshInterval);
        break;
      default:
        break;
    }
    if (Object.keys(spec).length > 0) out.spec = spec;
  } else if (kind === 'ClusterSecretStore') {
    out.spec = { conditions: conditions(undefined) };
  }
  return out;
}

/** A field that differs, with the shapes (never the values) on each side. */
export interface FieldDifference {
  readonly path: string;
  readonly input: string;
  readonly output: string;
}

/** How an object of the input compares with the synthesized output. */
export interface ObjectDifference {
  /** Display name of the object. */
  readonly object: string;
  readonly source?: string;
  /** `missing`: declared but not synthesized; `extra`: synthesized but not in the input; `differs`: both, not equivalent. */
  readonly kind: 'missing' | 'extra' | 'differs';
  readonly fields: readonly FieldDifference[];
}

const SHAPE_ABSENT = 'absent';

function differences(a: unknown, b: unknown, path: string, out: FieldDifference[], limit: number): void {
  if (out.length >= limit) return;
  if (isRecord(a) && isRecord(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const p = path === '' ? k : `${path}.${k}`;
      differences(Object.hasOwn(a, k) ? a[k] : undefined, Object.hasOwn(b, k) ? b[k] : undefined, p, out, limit);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => differences(x, b[i], `${path}[${i}]`, out, limit));
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  out.push({ path, input: a === undefined ? SHAPE_ABSENT : shapeOf(a), output: b === undefined ? SHAPE_ABSENT : shapeOf(b) });
}

/** An object of the synthesized output. */
export interface OutputObject {
  readonly key: ObjectKey;
  readonly value: Record<string, unknown>;
}

/** The objects of imported kinds among the manifests of a compilation, with their identity. */
export function outputObjects(
  manifests: ReadonlyArray<{ readonly path: string; readonly object: Record<string, unknown> }>,
): OutputObject[] {
  const out: OutputObject[] = [];
  for (const m of manifests) {
    const o = m.object;
    const kind = o.kind as ImportKind;
    const group = apiGroup(typeof o.apiVersion === 'string' ? o.apiVersion : '');
    if (!Object.hasOwn(IMPORT_KINDS, kind) || IMPORT_KINDS[kind] !== group) continue;
    const loc = locate(m.path);
    if (loc.cloudObjects) continue;
    const container = loc.cluster !== undefined ? `cluster:${loc.cluster}` : `space:${loc.space ?? ''}`;
    const meta = record(o.metadata);
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
    out.push({ key: { container, apiGroup: group, kind, namespace, name: String(meta.name) }, value: o });
  }
  return out;
}

/** Where the imported objects and the synthesized ones differ (at most `limit` fields per object). */
export function compareObjects(input: readonly ImportedObject[], output: readonly OutputObject[], limit = 8): ObjectDifference[] {
  const diffs: ObjectDifference[] = [];
  const byKey = new Map(output.map((o) => [keyString(o.key), o]));
  const seen = new Set<string>();
  for (const i of input) {
    const k = keyString(i.key);
    seen.add(k);
    const o = byKey.get(k);
    if (!o) {
      diffs.push({ object: i.object, source: i.source, kind: 'missing', fields: [] });
      continue;
    }
    const fields: FieldDifference[] = [];
    const kind = i.key.kind as ImportKind;
    differences(normalizeObject(kind, i.value), normalizeObject(kind, o.value), '', fields, limit);
    if (fields.length > 0) diffs.push({ object: i.object, source: i.source, kind: 'differs', fields });
  }
  for (const o of output) {
    if (seen.has(keyString(o.key))) continue;
    const { kind, namespace, name } = o.key;
    diffs.push({ object: `${kind} ${namespace ? `${namespace}/` : ''}${name}`, kind: 'extra', fields: [] });
  }
  return diffs;
}
