import type { Construct } from 'constructs';
import type { Problem } from '../model/errors.js';
import { ControlPlane } from '../model/control-plane.js';
import { Environment } from '../model/environment.js';
import { Group } from '../model/group.js';
import { Space } from '../model/space.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';
import type { Placement, PlaneReach } from '../resolve/placement.js';

/**
 * Checks that need the whole topology: unique names, reach of every store and secret, secrets
 * reaching only where their store is usable, and target Secrets that would collide.
 */
export function checkTopology(scope: Construct, placement: Placement): Problem[] {
  const out: Problem[] = [];
  const problem = (c: Construct, message: string): void => {
    out.push({ path: c.node.path, message });
  };

  unique(Space.all(scope), (s) => s.name, 'Space', '', problem);
  unique(Environment.all(scope), (e) => e.name, 'environment', '', problem);
  const envByLabels = new Map<string, Environment>();
  for (const e of Environment.all(scope)) {
    const key = JSON.stringify(Object.entries(e.labels).sort());
    const other = envByLabels.get(key);
    if (other && other !== e)
      problem(
        e,
        `environment "${e.name}" has the same labels as "${other.name}" (${describeLabels(e.labels)}): give each environment distinct labels, or its planes cannot be told apart.`,
      );
    envByLabels.set(key, e);
  }
  for (const space of Space.all(scope)) {
    const groups = Group.all(space);
    unique(groups, (g) => g.name, 'group', ` in Space "${space.name}"`, problem);
    const planes = ControlPlane.all(space);
    unique(
      planes.filter((p) => p.hostNamespace),
      (p) => p.hostNamespace ?? '',
      'host namespace',
      ` in Space "${space.name}"`,
      problem,
      'every control plane has its own host namespace; correct the controlPlaneId or hostNamespace of one of them.',
    );
  }
  for (const group of Group.all(scope)) {
    unique(group.members(ControlPlane), (p) => p.name, 'control plane', ` in group "${group.name}"`, problem);
    unique(group.members(SecretStore), (s) => s.name, 'store', ` in group "${group.name}"`, problem);
    unique(group.members(SharedSecret), (s) => s.name, 'secret', ` in group "${group.name}"`, problem);
  }

  for (const store of SecretStore.all(scope)) {
    if (!store.planes || !store.namespaces) continue;
    reachProblems('store', store, placement.ofStore(store), problem);
    environmentProblems('store', store, placement.ofStore(store), problem);
  }

  const targets = new Map<string, SharedSecret>();
  const storeReaches = new Map<SecretStore, Map<ControlPlane, Set<string>>>();
  for (const secret of SharedSecret.all(scope)) {
    if (!secret.store?.planes || !secret.store.namespaces || secret.store.group !== secret.group) continue;
    const reach = placement.ofSecret(secret);
    reachProblems('secret', secret, reach, problem);
    if (secret.planes !== secret.store.planes) environmentProblems('secret', secret, reach, problem);
    let storeReach = storeReaches.get(secret.store);
    if (!storeReach) {
      storeReach = new Map(placement.ofStore(secret.store).map((r) => [r.plane, new Set(r.namespaces)]));
      storeReaches.set(secret.store, storeReach);
    }
    for (const r of reach) {
      const served = storeReach.get(r.plane);
      if (!served) {
        problem(
          secret,
          `secret "${secret.name}" reaches plane "${r.plane.name}", where its store "${secret.store.name}" is not projected (store planes: ${secret.store.planes.describe()}): ESO would fail there. Narrow the secret's planes or widen the store's.`,
        );
        continue;
      }
      const missing = r.namespaces.filter((n) => !served.has(n));
      if (missing.length > 0) {
        problem(
          secret,
          `secret "${secret.name}" reaches namespace${missing.length === 1 ? '' : 's'} ${missing.map((n) => `"${n}"`).join(', ')} of plane "${r.plane.name}", where store "${secret.store.name}" may not be used (store namespaces: ${secret.store.namespaces.describe()}): ESO would refuse it. Narrow the secret's namespaces or widen the store's.`,
        );
      }
      for (const ns of r.namespaces) {
        const key = `${r.plane.node.path}\u0000${ns}\u0000${secret.targetName}`;
        const other = targets.get(key);
        if (other) {
          problem(
            secret,
            `secret "${secret.name}" writes Secret "${secret.targetName}" in namespace "${ns}" of plane "${r.plane.name}", which secret "${other.name}" writes too: give one of them another target name.`,
          );
        } else {
          targets.set(key, secret);
        }
      }
    }
  }
  return out;
}

function reachProblems(
  what: 'store' | 'secret',
  o: SecretStore | SharedSecret,
  reach: readonly PlaneReach[],
  problem: (c: Construct, m: string) => void,
): void {
  if (reach.length === 0) {
    const planes = o.group
      .members(ControlPlane)
      .map((p) => p.name)
      .sort();
    problem(
      o,
      `${what} "${o.name}" reaches no control plane: its planes (${o.planes.describe()}) match none of group "${o.group.name}"'s planes (${planes.length ? planes.join(', ') : 'none declared'}). Select existing planes, or add planes with the right environment or labels.`,
    );
    return;
  }
  if (reach.every((r) => r.namespaces.length === 0)) {
    problem(
      o,
      `${what} "${o.name}" reaches no namespace: its namespaces (${o.namespaces.describe()}) match no namespace declared in planes ${reach.map((r) => r.plane.name).join(', ')}. Declare the namespaces on the planes (namespaces: [...]) or change the selection.`,
    );
  }
}

/**
 * A selection by environment matches planes by the environments' labels, so a plane of another
 * environment (or of none) whose labels include them is selected too: its planes would read the
 * environment's secrets.
 */
function environmentProblems(
  what: 'store' | 'secret',
  o: SecretStore | SharedSecret,
  reach: readonly PlaneReach[],
  problem: (c: Construct, m: string) => void,
): void {
  const envs = o.planes.environments;
  if (envs.length === 0) return;
  for (const { plane } of reach) {
    if (plane.environment && envs.includes(plane.environment)) continue;
    const of = plane.environment ? `of environment "${plane.environment.name}"` : 'without environment';
    problem(
      o,
      `${what} "${o.name}" is for ${o.planes.describe()}, but also reaches plane "${plane.name}" ${of}, whose labels (${describeLabels(plane.labels)}) include those of ${o.planes.describe()}: give the environments labels that no plane of another environment carries, or remove those labels from the plane.`,
    );
  }
}

/** Reports every item whose key was seen before: `duplicate <what> "<key>"<where> (also declared at <path>): <fix>`. */
function unique<T extends Construct>(
  items: readonly T[],
  key: (t: T) => string,
  what: string,
  where: string,
  problem: (c: Construct, m: string) => void,
  fix = 'names must be unique; rename one.',
): void {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const first = seen.get(k);
    if (first) problem(item, `duplicate ${what} "${k}"${where} (also declared at ${first.node.path}): ${fix}`);
    else seen.set(k, item);
  }
}

function describeLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}
