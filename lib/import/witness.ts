/**
 * Labels that satisfy label selectors, and names made from them: what the importer uses to make up
 * the planes and namespaces the YAML does not declare (namespaces inside control planes never
 * appear in Shared* YAML), so that every selector reaches something.
 */
import { type LabelSelector, type SpacesSelector } from '../index.js';
import { matchesLabelSelector } from '../model/selectors.js';
import type { Labels } from './topology.js';

/** The label every namespace carries with its own name. */
export const NAME_LABEL = 'kubernetes.io/metadata.name';

/** Sets an own property (a `__proto__` key stays a label). */
export function setLabel(labels: Labels, key: string, value: string): void {
  Object.defineProperty(labels, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `labels` (own properties only). */
export function copyLabels(labels: Readonly<Labels>): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) setLabel(out, k, v);
  return out;
}

/**
 * `base` extended so that `selector` matches it, or undefined when that is impossible (a label
 * with another value, `In` without values, `DoesNotExist` on a present key...). `Exists` adds the
 * value `true`.
 */
export function satisfy(selector: LabelSelector, base: Readonly<Labels>): Labels | undefined {
  const out = copyLabels(base);
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (Object.hasOwn(out, k) && out[k] !== v) return undefined;
    setLabel(out, k, v);
  }
  for (const e of selector.matchExpressions ?? []) {
    if (Object.hasOwn(out, e.key)) continue;
    if (e.operator === 'In' && e.values?.[0] !== undefined) setLabel(out, e.key, e.values[0]);
    else if (e.operator === 'Exists') setLabel(out, e.key, 'true');
  }
  return matchesLabelSelector(selector, out) ? out : undefined;
}

/**
 * `base` extended so that every Spaces selector of `selectors` matches through one of its label
 * selectors (the first that fits, in order), or undefined. Selectors by name are not looked at.
 */
export function satisfyAll(selectors: readonly SpacesSelector[], base: Readonly<Labels>): Labels | undefined {
  let labels: Labels | undefined = copyLabels(base);
  for (const s of selectors) {
    if (!s.labelSelectors || s.labelSelectors.length === 0) continue;
    let next: Labels | undefined;
    for (const l of s.labelSelectors) {
      next = satisfy(l, labels);
      if (next) break;
    }
    labels = next;
    if (!labels) return undefined;
  }
  return labels;
}

/** Label values that say nothing by themselves: the key names the thing then. */
const FLAG_VALUES = new Set(['true', 'false', 'yes', 'no', 'enabled', 'disabled', '']);

/**
 * A DNS label made of the labels (`{environment: prod, tier: gold}` → `prod-gold`; a flag such as
 * `{example.com/consumer: "true"}` by its key, `consumer`), else `fallback`, numbered until it is
 * not in `taken`; the result is added to `taken`.
 */
export function nameFromLabels(labels: Readonly<Labels>, fallback: string, taken: Set<string>): string {
  const words = Object.keys(labels)
    .filter((k) => k !== NAME_LABEL)
    .sort()
    .map((k) => {
      const v = labels[k] ?? '';
      return FLAG_VALUES.has(v.toLowerCase()) ? k.slice(k.lastIndexOf('/') + 1) : v;
    });
  let base = words
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 50)
    .replace(/-+$/, '');
  if (base === '' || !/^[a-z0-9]/.test(base)) base = fallback;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}
