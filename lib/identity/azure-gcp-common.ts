/** Helpers shared by the Azure and GCP identity planners (what a Space's identity serves: `workload.ts`). */
import type { AccessGrant, PlaneSubject } from './plan.js';
import { cmp, sortedUnique } from '../private/order.js';

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function andList(items: readonly string[]): string {
  const q = items.map((i) => JSON.stringify(i));
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** The environment every subject belongs to, when they all belong to the same one. */
export function soleEnvironment(subjects: readonly PlaneSubject[]): string | undefined {
  const envs = new Set(subjects.map((s) => s.environment));
  const [only] = [...envs];
  return envs.size === 1 ? only : undefined;
}

/** Merges grants with the same access, resource and condition; sorted. */
export function mergeGrants(grants: readonly AccessGrant[]): AccessGrant[] {
  const byKey = new Map<string, { grant: AccessGrant; neededBy: Set<string> }>();
  for (const g of grants) {
    const key = `${g.access}\u0000${g.resource}\u0000${g.condition ?? ''}`;
    const seen = byKey.get(key);
    if (seen) for (const n of g.neededBy) seen.neededBy.add(n);
    else byKey.set(key, { grant: g, neededBy: new Set(g.neededBy) });
  }
  return [...byKey.values()]
    .map(({ grant, neededBy }) => ({ ...grant, neededBy: sortedUnique(neededBy) }))
    .sort((a, b) => cmp(a.resource, b.resource) || cmp(a.access, b.access) || cmp(a.condition ?? '', b.condition ?? ''));
}
