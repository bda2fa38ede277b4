/**
 * What the built-in targets produce, computed once per synthesis before anything is written: the
 * Spaces objects of every group, the provider-kubernetes Objects that wrap a Cloud Space's Shared*
 * objects, the objects of every plain ESO cluster and the Sveltos distributions. Later stages read
 * them from here (Cloud Spaces wraps the Spaces objects, delivery finds the directories to deliver),
 * never back from what was written.
 */
import type { Construct } from 'constructs';
import type { Placement } from '../resolve/placement.js';
import type { Problem } from '../model/errors.js';
import { findAll } from '../model/find.js';
import { Group } from '../model/group.js';
import type { Manifest } from '../output/manifest.js';
import { CloudSpaceObjects } from './cloud-spaces.js';
import { EsoCluster } from '../eso/cluster.js';
import { esoClusterObjects } from './eso.js';
import { protectionAnnotations } from './protection.js';
import { spacesManifests } from './spaces.js';
import { SveltosSecretDistribution } from '../eso/sveltos.js';
import { sveltosManifests } from './sveltos.js';

/** The Kubernetes objects of the built-in targets. */
export interface TargetObjects {
  /** The Spaces objects of every group (Namespace, ControlPlanes, SharedSecretStores, SharedExternalSecrets), as written. */
  readonly spaces: ReadonlyMap<Group, readonly Manifest[]>;
  /** Every object of the built-in targets: Spaces, Cloud Space wrappers, plain ESO clusters, Sveltos. */
  readonly manifests: readonly Manifest[];
  /** Every directory that holds one of them. */
  readonly directories: ReadonlySet<string>;
}

/** A step applied to the objects as they are built (the users' JSON patches, lib/compile/patch.ts). */
export type ManifestTransform = (manifests: readonly Manifest[]) => readonly Manifest[];

/**
 * The objects of every built-in target below `root`. `transform` (the JSON patches) is applied to
 * each target's objects as they are built, the Spaces objects before a Cloud Space wraps them, so
 * that the wrappers carry what was patched.
 */
export function targetObjects(root: Construct, placement: Placement, transform: ManifestTransform = (m) => m): TargetObjects {
  const protection = protectionAnnotations(root);
  const spaces = new Map<Group, readonly Manifest[]>();
  for (const group of Group.all(root)) spaces.set(group, transform(spacesManifests(group, placement, protection)));
  const wrapped = transform(
    CloudSpaceObjects.all(root).flatMap((wrapper) =>
      [...spaces].filter(([group]) => group.space.hosting === 'cloud').flatMap(([group, objects]) => wrapper.wrap(group, objects)),
    ),
  );
  const clusters = transform(EsoCluster.all(root).flatMap((cluster) => esoClusterObjects(cluster)));
  const sveltos = transform(findAll(root, SveltosSecretDistribution).flatMap(sveltosManifests));
  const manifests = [...[...spaces.values()].flat(), ...wrapped, ...clusters, ...sveltos];
  const directories = new Set(manifests.map((m) => m.path.slice(0, m.path.lastIndexOf('/'))));
  return { spaces, manifests, directories };
}

/** Whether some object of the targets lies in `dir` or below it. */
export function hasObjectsIn(targets: TargetObjects, dir: string): boolean {
  for (const d of targets.directories) if (d === dir || d.startsWith(`${dir}/`)) return true;
  return false;
}

/** Problems of the targets' constructs that need more than one construct: unique names in ESO clusters, Cloud Space wrapping. */
export function targetProblems(root: Construct): Problem[] {
  return [
    ...EsoCluster.all(root).flatMap((c) => c.check()),
    ...findAll(root, SveltosSecretDistribution).flatMap((d) => d.check()),
    ...CloudSpaceObjects.all(root).flatMap((w) => w.check(root)),
  ];
}
