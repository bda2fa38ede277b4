/**
 * Helpers shared by the Azure and GCP identity planners: which secrets a Space's workload identity
 * serves, to which planes (plain ESO clusters: see `workload.ts`), and small deterministic text
 * utilities.
 */
import { createHash } from 'node:crypto';
import type { Problem } from '../errors.js';
import { SHARED_SECRETS_SERVICE_ACCOUNT } from '../model/constants.js';
import type { ControlPlane } from '../model/control-plane.js';
import type { Space } from '../model/space.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import type { SecretStoreProvider } from '../stores/provider.js';
import { SecretStore } from '../stores/secret-store.js';
import type { SynthContext } from '../synthesizer.js';
import type { AccessGrant, PlaneSubject } from './plan.js';
import { sharedSecretNeed, type IdentityUse } from './workload.js';

export type { IdentityUse } from './workload.js';

/**
 * Stores of `space` that authenticate with the Space's workload identity and whose provider is a
 * `type`, in construct-tree order.
 */
export function workloadIdentityStores<P extends SecretStoreProvider>(
  space: Space,
  type: abstract new (...args: never[]) => P,
): { store: SecretStore; provider: P }[] {
  const out: { store: SecretStore; provider: P }[] = [];
  for (const store of SecretStore.all(space)) {
    const provider = store.provider;
    if (provider instanceof type && store.usesWorkloadIdentity) out.push({ store, provider });
  }
  return out;
}

/**
 * Every shared secret of `space` read from a workload-identity store of the given provider type,
 * with the planes that read it (planes the secret reaches with no namespace never read it).
 */
export function workloadIdentityUses<P extends SecretStoreProvider>(
  space: Space,
  ctx: SynthContext,
  type: abstract new (...args: never[]) => P,
): IdentityUse<P>[] {
  const stores = new Map(workloadIdentityStores(space, type).map((s) => [s.store, s.provider]));
  const out: IdentityUse<P>[] = [];
  for (const secret of SharedSecret.all(space)) {
    const provider = secret.store ? stores.get(secret.store) : undefined;
    if (!provider) continue;
    const planes = ctx.placement
      .ofSecret(secret)
      .filter((r) => r.namespaces.length > 0)
      .map((r) => r.plane)
      .sort(comparePlanes);
    out.push({ need: sharedSecretNeed(secret), store: secret.store, provider, planes });
  }
  return out;
}

/** Orders planes by group name, then plane name. */
export function comparePlanes(a: ControlPlane, b: ControlPlane): number {
  return cmp(a.group.name, b.group.name) || cmp(a.name, b.name);
}

/** The plane as a trust subject, or undefined while its host namespace is unknown. */
export function planeSubject(plane: ControlPlane): PlaneSubject | undefined {
  const hostNamespace = plane.hostNamespace;
  if (!hostNamespace) return undefined;
  return {
    space: plane.group.space.name,
    group: plane.group.name,
    plane: plane.name,
    environment: plane.environment?.name,
    hostNamespace,
  };
}

/** Kubernetes service-account subject of a plane's ESO: `system:serviceaccount:<ns>:external-secrets-controller`. */
export function serviceAccountSubject(hostNamespace: string): string {
  return `system:serviceaccount:${hostNamespace}:${SHARED_SECRETS_SERVICE_ACCOUNT}`;
}

/** The problem of a plane whose host namespace is needed (as a trust subject) but unknown. */
export function unknownHostNamespace(plane: ControlPlane, identity: string, needs: string): Problem {
  return {
    path: plane.node.path,
    message:
      `control plane "${plane.name}" reads shared secrets through ${identity}, but its host namespace is unknown, and ${needs}: ` +
      `set "controlPlaneId" (kubectl get controlplane ${plane.name} -n ${plane.group.name} -o jsonpath='{.status.controlPlaneID}') ` +
      `or "hostNamespace" on the plane.`,
  };
}

/** Sorted copy without duplicates. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(cmp);
}

/** Code-unit string order (deterministic, locale-independent). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Short lowercase hex digest of `text` (SHA-256). */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * A name-based UUID (RFC 4122 layout, version 5 bits, SHA-256 digest) of `text`: stable across
 * runs, as Azure role-assignment names must be GUIDs.
 */
export function stableUuid(text: string): string {
  const h = createHash('sha256').update(text).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `text` cut to `max` characters, the tail replaced by `-<hash>` of the whole text when cut. */
export function truncateWithHash(text: string, max: number, sep = '-'): string {
  if (text.length <= max) return text;
  const hash = shortHash(text);
  return `${text.slice(0, max - hash.length - sep.length)}${sep}${hash}`;
}

/** Quotes a word for a POSIX shell (single quotes unless it is plainly safe). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@,+%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A shell command, one argument per line after the first, joined with ` \`. Pairs are a flag and
 * its value (quoted); plain strings are written as they are (e.g. `--object-id "$PRINCIPAL_ID"`).
 */
export function shellCommand(head: string, args: readonly (readonly [string, string] | string)[]): string {
  const parts = [head, ...args.map((a) => (typeof a === 'string' ? a : `${a[0]} ${shellQuote(a[1])}`))];
  return parts.join(' \\\n  ');
}

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
