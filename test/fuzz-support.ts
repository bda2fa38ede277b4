/**
 * Shared by the property-based tests (test/fuzz-*.test.ts): run counts, an independent reference
 * evaluator of Spaces selectors (written from the Kubernetes / Spaces semantics, not from lib/),
 * and CRD validation of a compilation.
 */
import { expect } from 'vitest';
import type { Compilation } from '../lib/index.js';
import type { CrdValidator } from './support/crd-schemas.js';

/** Runs per property: `FC_RUNS` (e.g. `npm run bench:props`), else 30 for CI. */
export const FC_RUNS = Math.max(1, Number(process.env.FC_RUNS ?? 30) || 30);

/** Seed of the properties: `FC_SEED` to replay a failure, else fast-check's random seed. */
export const FC_SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

/** fast-check parameters for every property. */
export const fcParams = { numRuns: FC_RUNS, ...(FC_SEED !== undefined ? { seed: FC_SEED } : {}) };

export interface RefRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}
export interface RefLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly RefRequirement[];
}
export interface RefSelector {
  readonly names?: readonly string[];
  readonly labelSelectors?: readonly RefLabelSelector[];
}

const has = (labels: Readonly<Record<string, string>>, key: string): boolean => Object.prototype.hasOwnProperty.call(labels, key);

/**
 * Kubernetes label selector: every matchLabels pair present with that value, and every
 * requirement true (In: present with a listed value; NotIn: absent or not listed; Exists: present;
 * DoesNotExist: absent). `{}` matches everything.
 */
export function refMatchesLabelSelector(sel: RefLabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const key of Object.keys(sel.matchLabels ?? {})) {
    if (!has(labels, key) || labels[key] !== sel.matchLabels?.[key]) return false;
  }
  for (const r of sel.matchExpressions ?? []) {
    const present = has(labels, r.key);
    const listed = present && (r.values ?? []).includes(labels[r.key]);
    const ok =
      r.operator === 'In'
        ? listed
        : r.operator === 'NotIn'
          ? !listed
          : r.operator === 'Exists'
            ? present
            : r.operator === 'DoesNotExist'
              ? !present
              : false;
    if (!ok) return false;
  }
  return true;
}

/** Spaces selector: the name is listed, or any label selector matches (OR). */
export function refMatches(sel: RefSelector, name: string, labels: Readonly<Record<string, string>>): boolean {
  if ((sel.names ?? []).includes(name)) return true;
  return (sel.labelSelectors ?? []).some((s) => refMatchesLabelSelector(s, labels));
}

/** A plane as the reference sees it. */
export interface RefPlane {
  readonly name: string;
  readonly environment?: string;
  /** Environment labels and own labels merged. */
  readonly labels: Readonly<Record<string, string>>;
  /** Namespace name → its declared labels (kubernetes.io/metadata.name is added here). */
  readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export interface RefReach {
  readonly plane: string;
  readonly environment?: string;
  readonly namespaces: readonly string[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Where a (planes, namespaces) selector pair lands among the planes of one group. */
export function refReach(planes: readonly RefPlane[], planeSel: RefSelector, nsSel: RefSelector): RefReach[] {
  return [...planes]
    .sort((a, b) => cmp(a.name, b.name))
    .filter((p) => refMatches(planeSel, p.name, p.labels))
    .map((p) => ({
      plane: p.name,
      environment: p.environment,
      namespaces: [...p.namespaces.entries()]
        .filter(([n, l]) => refMatches(nsSel, n, { ...l, 'kubernetes.io/metadata.name': n }))
        .map(([n]) => n)
        .sort(cmp),
    }));
}

/** Validates every manifest whose kind the validator knows; Spaces kinds and Namespaces must be known. */
export function expectValidManifests(c: Compilation, v: CrdValidator): void {
  for (const m of c.manifests) {
    const o = m.object as { apiVersion?: string; kind?: string };
    const apiVersion = String(o.apiVersion);
    const kind = String(o.kind);
    if (!v.knows(apiVersion, kind)) {
      expect(apiVersion.startsWith('spaces.upbound.io/') || kind === 'Namespace', `${m.path}: unknown ${apiVersion} ${kind}`).toBe(false);
      continue;
    }
    expect(v.validate(m.object), m.path).toEqual([]);
  }
}

/** Both compilations have exactly the same files, byte for byte. */
export function expectSameFiles(a: Compilation, b: Compilation): void {
  expect([...b.files.keys()]).toEqual([...a.files.keys()]);
  for (const [path, text] of a.files) expect(b.files.get(path), path).toBe(text);
}
