/**
 * The kustomizations of the output: every directory that holds manifests gets a
 * `kustomization.yaml` listing its files, and every aggregation root one listing the manifest
 * directories below it, so that `kubectl kustomize <dir>` builds exactly the objects of that
 * directory (and, for a root, of the directories it lists). A GitOps tool can so point at a whole
 * Space or at one group. The top level gets none: its subtrees are different clusters.
 */
import { aggregationRoot, kustomizationPath } from './layout.js';
import { toYaml } from './render.js';
import { byKey } from '../private/order.js';

/** A kustomize `Kustomization` listing `resources` in sorted order. */
export function kustomization(resources: readonly string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources].sort() });
}

/**
 * The kustomization files (path, text) for manifests at `manifestPaths`: one per manifest
 * directory, and one per aggregation root (see {@link aggregationRoot}; `extraRoots` are roots
 * besides the second-level directories) listing the manifest directories whose nearest root it is.
 */
export function kustomizations(manifestPaths: Iterable<string>, extraRoots: ReadonlySet<string>): [path: string, text: string][] {
  const entries = new Map<string, Set<string>>();
  const add = (dir: string, entry: string): void => {
    if (!entries.has(dir)) entries.set(dir, new Set());
    entries.get(dir)?.add(entry);
  };
  for (const path of manifestPaths) {
    const slash = path.lastIndexOf('/');
    if (slash < 0) continue;
    const dir = path.slice(0, slash);
    add(dir, path.slice(slash + 1));
    const root = aggregationRoot(dir, extraRoots);
    if (root !== undefined) add(root, dir.slice(root.length + 1));
  }
  return [...entries].sort(byKey).map(([dir, items]) => [kustomizationPath(dir), kustomization([...items])]);
}
