/**
 * The escape hatch, applied: the JSON patches users add to a construct's emitted Kubernetes objects
 * (`addJsonPatch`, recorded by lib/model/patch.ts) are applied here, to the targets' objects while
 * the context is built and to a GitOps construct's objects as it emits them, before anything is
 * checked or written.
 *
 * The access analysis, the guardrails and the report read the model, not the objects. So that they
 * stay true of what is written, a patch may change only what none of them reads: the labels and
 * annotations of an object's metadata, keys the compiler did not write, outside the domains of the
 * controllers the output configures, and no label of a kind that selectors match (ControlPlane,
 * Namespace). Everything else (names, namespaces, selectors, providers, auth, store references,
 * remote keys, refresh intervals) is refused with a problem that says which prop to set instead.
 * Two checks enforce it: each operation's target must lie in `metadata.labels` or
 * `metadata.annotations` (its source too for `move`), and the patched object must equal the
 * original outside those maps, key by key within them.
 */
import type { IConstruct } from 'constructs';
import type { Problem } from '../model/errors.js';
import { constructsOf } from '../model/find.js';
import { hasJsonPatches, jsonPatchesOf, type ObjectSelector, type PatchEntry } from '../model/patch.js';
import { checkLabelKey, checkLabelValue } from '../model/validation.js';
import type { Manifest } from '../output/manifest.js';
import { isOneOf } from '../private/lists.js';
import { cmp } from '../private/order.js';
import { quoteValue } from '../private/terminal.js';
import { applyOperation, cloneJson, jsonEqual, parseOperation, pointerOf, type PatchOperation } from './patch-ops.js';

/** The metadata maps a patch may change. */
export const PATCHABLE_METADATA = ['labels', 'annotations'] as const;

/** Kinds whose labels selectors match (Spaces control-plane selectors, namespace selectors): their labels are the model's. */
export const LABEL_SELECTED_KINDS = ['ControlPlane', 'Namespace'] as const;

/**
 * Key prefixes (DNS domains, with their subdomains) that the controllers and tools of the output
 * read: Kubernetes itself, kustomize, Argo CD, Flux, Crossplane, Upbound, ESO, Sveltos, Helm, the
 * clouds' workload identity, and this compiler's own labels. A key under one of them can change
 * what a controller does with the object (prune or delete it, pause it, take it for another
 * resource or identity), so it is refused.
 */
export const RESERVED_KEY_DOMAINS = [
  'kubernetes.io',
  'k8s.io',
  'argoproj.io',
  'fluxcd.io',
  'crossplane.io',
  'upbound.io',
  'external-secrets.io',
  'projectsveltos.io',
  'helm.sh',
  'amazonaws.com',
  'gke.io',
  'azure.com',
  'azure.workload.identity',
  'secrets-topology',
] as const;

/** Keys under a reserved domain that only order a sync, and may be added. */
export const RESERVED_KEY_EXCEPTIONS = ['argocd.argoproj.io/sync-wave'] as const;

/** Kubernetes' limit on the total size of an object's annotations (keys and values), in bytes. */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const SHOWN_VALUE_MAX = 60;

/** Applies the JSON patches of the constructs that emit objects, and collects what it refuses. */
export class Patcher {
  /** What was refused, by construct. */
  public readonly problems: Problem[] = [];
  private readonly matched = new Set<PatchEntry>();
  private readonly emitted = new Map<IConstruct, string[]>();

  /** `manifests` with the patches of their owners applied (the same array entries when none apply). */
  public patchAll(manifests: readonly Manifest[]): Manifest[] {
    return manifests.map((m) => (hasJsonPatches(m.owner) ? { ...m, object: this.patch(m.owner, m.object) } : m));
  }

  /**
   * `object` (emitted by `owner`) with `owner`'s patches applied; the object unchanged when a patch
   * is refused (the refusal is in {@link problems}).
   */
  public patch(owner: IConstruct, object: Record<string, unknown>): Record<string, unknown> {
    const entries = jsonPatchesOf(owner);
    if (entries.length === 0) return object;
    const id = objectId(object);
    const list = this.emitted.get(owner) ?? [];
    list.push(id.text);
    this.emitted.set(owner, list);
    const refuse = (message: string): void => {
      this.problems.push({ path: owner.node.path, message });
    };
    let doc = cloneJson(object);
    let refused = false;
    for (const entry of entries) {
      if (!selects(entry.select, object)) continue;
      this.matched.add(entry);
      const next = cloneJson(doc);
      let ok = true;
      entry.ops.forEach((raw, i) => {
        if (!ok) return;
        const where = `JSON patch ${entry.call}, operation ${i + 1}`;
        const op = parseOperation(operationJson(raw));
        if (typeof op === 'string') {
          refuse(
            `${where} ${op} (got ${quoteValue(operationJson(raw) ?? raw, SHOWN_VALUE_MAX)}): create operations with cdk8s's JsonPatch.add, replace, remove, copy, move or test.`,
          );
          ok = false;
          return;
        }
        const label = `${where} (${describe(op)}) on ${id.text}`;
        const outside = outsidePatchable(op);
        if (outside) {
          refuse(`${label} ${outside}`);
          ok = false;
          return;
        }
        ensureMetadataMap(next, op);
        const failed = applyOperation(next as never, op);
        if (failed) {
          refuse(
            `${label} does not apply: ${failed}. Look at the object with TopologyTesting.synth(construct), then fix the path or add the missing parent first.`,
          );
          ok = false;
        }
      });
      if (ok) doc = next;
      else refused = true;
    }
    const changes = refused ? [] : metadataChangeProblems(object, doc);
    for (const c of changes) refuse(`JSON patches on ${id.text}: ${c}`);
    if (refused || changes.length > 0) return object;
    return withMetadataOrder(object, doc);
  }

  /**
   * Problems of patch calls that applied to nothing below `root`: a construct that emitted no object
   * (or whose objects were not built), or a selector no object of the construct matches.
   */
  public unmatchedProblems(root: IConstruct): Problem[] {
    const out: Problem[] = [];
    for (const c of constructsOf(root)) {
      for (const entry of jsonPatchesOf(c)) {
        if (this.matched.has(entry)) continue;
        const objects = this.emitted.get(c) ?? [];
        const message =
          objects.length === 0
            ? `JSON patch ${entry.call} applies to nothing: this construct emits no Kubernetes object in this topology. Patch the construct that emits the object (TopologyTesting.synth(construct) lists a construct's objects), or remove the patch.`
            : `JSON patch ${entry.call} selects ${quoteValue(entry.select, SHOWN_VALUE_MAX)}, which matches none of this construct's objects (${objects.sort(cmp).join(', ')}): fix the selector's kind, name or namespace.`;
        out.push({ path: c.node.path, message });
      }
    }
    return out;
  }
}

/** The JSON form of an operation: cdk8s's `JsonPatch` keeps it behind `_toJson()`; plain `{ op, path, ... }` objects are taken as they are. */
function operationJson(raw: unknown): unknown {
  if (typeof raw === 'object' && raw !== null && typeof (raw as { _toJson?: unknown })._toJson === 'function') {
    try {
      return (raw as { _toJson(): unknown })._toJson();
    } catch {
      return undefined;
    }
  }
  return raw;
}

function describe(op: PatchOperation): string {
  const path = quoteValue(op.path, SHOWN_VALUE_MAX);
  return op.from === undefined ? `${op.op} ${path}` : `${op.op} from ${quoteValue(op.from, SHOWN_VALUE_MAX)} to ${path}`;
}

/** `Kind "name"` (with the namespace when there is one), for messages. */
function objectId(object: Record<string, unknown>): { text: string } {
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const ns = typeof meta.namespace === 'string' ? ` in namespace ${quoteValue(meta.namespace)}` : '';
  return { text: `${String(object.kind)} ${quoteValue(meta.name)}${ns}` };
}

function selects(select: ObjectSelector | undefined, object: Record<string, unknown>): boolean {
  if (!select) return true;
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  return (
    (select.kind === undefined || select.kind === object.kind) &&
    (select.name === undefined || select.name === meta.name) &&
    (select.namespace === undefined || select.namespace === meta.namespace)
  );
}

/**
 * Creates the empty labels or annotations map an `add` (or `copy`, `move`) of one key writes into,
 * when the object has none: the one liberty taken with RFC 6902, whose `add` needs the parent to
 * exist, so that adding an annotation does not depend on whether the compiler wrote another one.
 */
function ensureMetadataMap(doc: Record<string, unknown>, op: PatchOperation): void {
  if (op.op === 'remove' || op.op === 'replace' || op.op === 'test' || op.tokens.length !== 3 || !inPatchable(op.tokens)) return;
  const meta = doc.metadata;
  if (typeof meta === 'object' && meta !== null && !Array.isArray(meta) && !Object.hasOwn(meta, op.tokens[1]))
    setOwn(meta as Record<string, unknown>, op.tokens[1], {});
}

/** Whether a pointer lies in `metadata.labels` or `metadata.annotations` (the map itself or one of its keys). */
function inPatchable(tokens: readonly string[]): boolean {
  return tokens.length >= 2 && tokens.length <= 3 && tokens[0] === 'metadata' && isOneOf(PATCHABLE_METADATA, tokens[1]);
}

/**
 * Why an operation's target (or a `move`'s source, which it removes) is outside what a patch may
 * change; `undefined` when it is inside. `test` reads only, and `copy` reads its source: both may
 * read anywhere.
 */
function outsidePatchable(op: PatchOperation): string | undefined {
  if (op.op === 'test') return undefined;
  const written = [op.tokens, ...(op.op === 'move' && op.fromTokens ? [op.fromTokens] : [])];
  const bad = written.find((t) => !inPatchable(t));
  return bad === undefined ? undefined : refusal(bad);
}

function refusal(tokens: readonly string[]): string {
  const at = pointerOf(tokens) || '"" (the whole object)';
  const only = 'A patch may change only metadata.labels and metadata.annotations (keys the compiler does not write).';
  if (tokens.length === 0) return `would change ${at}. ${only}`;
  if (tokens[0] === 'metadata' && (tokens[1] === 'name' || tokens[1] === 'namespace'))
    return `would change ${at}: an object's name and namespace are where it lands and what store references and selectors match, and the access analysis reads them from the model. Set the construct's name (or its Group) instead. ${only}`;
  if (tokens[0] === 'metadata' && isOneOf(PATCHABLE_METADATA, tokens[1]))
    return `would change ${at}, inside a label or annotation value (a string). Patch the key itself, e.g. /metadata/${tokens[1]}/<key>. ${only}`;
  if (tokens[0] === 'metadata') return `would change ${at}. ${only}`;
  return `would change ${at}: patching it changes who can read what (selectors, providers and their auth, store references, remote keys, refresh) or where it lands, which the access analysis, the guardrails and the report read from the model, not from the objects. Model it with the construct's props instead, or write the object with a Synthesizer of your own. ${only}`;
}

/** The domain of a label or annotation key (`a.example.com` of `a.example.com/x`), or `''`. */
function keyDomain(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

/** The reserved domain a key is under, if any. */
export function reservedDomainOf(key: string): string | undefined {
  if (isOneOf(RESERVED_KEY_EXCEPTIONS, key)) return undefined;
  const domain = keyDomain(key).toLowerCase();
  return RESERVED_KEY_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`));
}

function stringMap(value: unknown): Record<string, string> | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `is ${quoteValue(value, SHOWN_VALUE_MAX)}, not a map`;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') return `has ${quoteValue(k)} set to ${quoteValue(v, SHOWN_VALUE_MAX)}, not a string: quote it`;
  }
  return value as Record<string, string>;
}

/** The object without `metadata.labels` and `metadata.annotations`. */
function withoutPatchable(object: Record<string, unknown>): Record<string, unknown> {
  const { metadata, ...rest } = object;
  if (typeof metadata !== 'object' || metadata === null) return object;
  const { labels: _l, annotations: _a, ...meta } = metadata as Record<string, unknown>;
  return { ...rest, metadata: meta };
}

/**
 * What is wrong with the difference between an object and its patched form: anything outside the
 * metadata maps, a key the compiler wrote changed or removed, a key under a reserved domain, a
 * label of a selected kind, a malformed key or label value, annotations over Kubernetes' limit.
 */
function metadataChangeProblems(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  if (!jsonEqual(withoutPatchable(before), withoutPatchable(after)))
    return ['they change more than metadata.labels and metadata.annotations, which is all a patch may change.'];
  const out: string[] = [];
  const kind = String(before.kind);
  const metaOf = (o: Record<string, unknown>): Record<string, unknown> => (o.metadata ?? {}) as Record<string, unknown>;
  for (const map of PATCHABLE_METADATA) {
    const what = map === 'labels' ? 'label' : 'annotation';
    const was = stringMap(metaOf(before)[map]);
    const now = stringMap(metaOf(after)[map]);
    if (typeof now === 'string') {
      out.push(`metadata.${map} ${now}.`);
      continue;
    }
    if (typeof was === 'string') continue;
    const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort(cmp);
    for (const key of keys) {
      const before1 = Object.hasOwn(was, key) ? was[key] : undefined;
      const after1 = Object.hasOwn(now, key) ? now[key] : undefined;
      if (before1 === after1) continue;
      const k = quoteValue(key, SHOWN_VALUE_MAX);
      if (before1 !== undefined) {
        out.push(
          `${what} ${k} is written by the compiler (${quoteValue(before1, SHOWN_VALUE_MAX)}) and cannot be ${after1 === undefined ? 'removed' : 'changed'} by a patch: it comes from the model (a construct's props, or the GitOps construct that protects control planes); change it there.`,
        );
        continue;
      }
      if (map === 'labels' && isOneOf(LABEL_SELECTED_KINDS, kind)) {
        const prop = kind === 'ControlPlane' ? "the ControlPlane's labels prop" : "the Group's namespaceLabels prop";
        out.push(
          `label ${k} on a ${kind}: a ${kind}'s labels are what selectors match, so they decide who can read what, and the access analysis reads them from the model. Set it with ${prop} instead.`,
        );
        continue;
      }
      const syntax = checkLabelKey(key);
      if (syntax) {
        out.push(`${what} key: ${syntax}`);
        continue;
      }
      const reserved = reservedDomainOf(key);
      if (reserved) {
        out.push(
          `${what} ${k} is under ${reserved}, a domain read by a controller or tool of the output (it can prune, delete, pause or re-identify the object): such keys cannot be added by a patch. Use a key under a domain of your own, e.g. "example.com/${key.slice(key.indexOf('/') + 1)}".`,
        );
        continue;
      }
      if (map === 'labels') {
        const value = checkLabelValue(after1 ?? '');
        if (value) out.push(`label ${k}: ${value}`);
      }
    }
    if (map === 'annotations') {
      const size = Object.entries(now).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
      if (size > ANNOTATIONS_MAX_BYTES)
        out.push(`the annotations total ${size} bytes, over Kubernetes' limit of ${ANNOTATIONS_MAX_BYTES}: shorten or drop some.`);
    }
  }
  return out;
}

/** The canonical metadata order (the rest sorted): that of `canonicalManifest`. */
const METADATA_ORDER = ['name', 'namespace', 'labels', 'annotations'];

/**
 * `patched` in the key order of the output: its labels and annotations sorted, and its metadata
 * keys in the order the original's were written in (sorted, for the Spaces objects; name,
 * namespace, labels, annotations for the others).
 */
function withMetadataOrder(original: Record<string, unknown>, patched: Record<string, unknown>): Record<string, unknown> {
  const was = Object.keys(original.metadata ?? {});
  const meta = (patched.metadata ?? {}) as Record<string, unknown>;
  const sorted = was.every((k, i) => i === 0 || cmp(was[i - 1], k) <= 0);
  const keys = Object.keys(meta);
  const order = sorted
    ? [...keys].sort(cmp)
    : [...METADATA_ORDER.filter((k) => keys.includes(k)), ...keys.filter((k) => !METADATA_ORDER.includes(k)).sort(cmp)];
  const out: Record<string, unknown> = {};
  for (const k of order) {
    const v = meta[k];
    // A map the patches created and emptied again is not written (the object is as it was).
    if (isOneOf(PATCHABLE_METADATA, k) && !was.includes(k) && typeof v === 'object' && v !== null && Object.keys(v).length === 0) continue;
    setOwn(out, k, isOneOf(PATCHABLE_METADATA, k) && typeof v === 'object' && v !== null ? sortedMap(v as Record<string, unknown>) : v);
  }
  return { ...patched, metadata: out };
}

function sortedMap(map: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(map).sort(cmp)) setOwn(out, k, map[k]);
  return out;
}

/** Sets an own property (also `__proto__`, which plain assignment would take for the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
