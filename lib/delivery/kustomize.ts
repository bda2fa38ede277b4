import { toYaml } from '../output/render.js';
import { byKey } from '../private/order.js';
import { kustomizationPath } from '../output/layout.js';
import { Stage, type OutputSink, type SynthContext, type Synthesizer } from '../synthesizer.js';

/** Key of the extra aggregation roots in {@link SynthContext.facts} (a `Set<string>` of directories). */
export const KUSTOMIZE_ROOTS = 'kustomize.roots';

/** A kustomize `Kustomization` listing `resources` in sorted order. */
export function kustomization(resources: readonly string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources].sort() });
}

/**
 * Declares `dir` an aggregation root: its kustomization lists the manifest directories below it,
 * and those are then not listed by a root above it. Use it for a subtree that is applied somewhere
 * else than its parent (e.g. `spaces/<space>/cloud-objects`, applied to a control plane rather than
 * to the Space). Call it from `emit` of a stage before {@link Stage.KUSTOMIZE}.
 */
export function addKustomizeRoot(ctx: SynthContext, dir: string): void {
  const roots = (ctx.facts.get(KUSTOMIZE_ROOTS) as Set<string> | undefined) ?? new Set<string>();
  roots.add(dir);
  ctx.facts.set(KUSTOMIZE_ROOTS, roots);
}

/**
 * Writes a `kustomization.yaml` into every directory that holds manifests (listing its files) and
 * into every aggregation root (listing the manifest directories below it), so that
 * `kubectl kustomize <dir>` builds exactly the objects of that directory (and, for a root, of the
 * directories it lists). Aggregation roots are every second-level directory (e.g.
 * `spaces/<space>/kustomization.yaml` lists `groups/<group>`) and the directories registered with
 * {@link addKustomizeRoot}; a manifest directory is listed by its nearest root only. A GitOps tool
 * can so point at a whole Space or at one group. The top level gets none: its subtrees are
 * different clusters.
 */
export class Kustomize implements Synthesizer {
  public readonly name = 'kustomize';
  public readonly stage = Stage.KUSTOMIZE;

  public emit(ctx: SynthContext, out: OutputSink): void {
    const extraRoots = (ctx.facts.get(KUSTOMIZE_ROOTS) as Set<string> | undefined) ?? new Set<string>();
    const entries = new Map<string, Set<string>>();
    const add = (dir: string, entry: string): void => {
      if (!entries.has(dir)) entries.set(dir, new Set());
      entries.get(dir)?.add(entry);
    };
    for (const path of out.manifests.keys()) {
      const parts = path.split('/');
      if (parts.length < 2) continue;
      const dirParts = parts.slice(0, -1);
      const dir = dirParts.join('/');
      add(dir, parts[parts.length - 1] ?? '');
      // The nearest proper ancestor that is a root: a registered one, else the second level.
      let root: string | undefined;
      for (let n = dirParts.length - 1; n >= 2 && root === undefined; n--) {
        const candidate = dirParts.slice(0, n).join('/');
        if (extraRoots.has(candidate)) root = candidate;
      }
      if (root === undefined && dirParts.length > 2) root = dirParts.slice(0, 2).join('/');
      if (root !== undefined) add(root, dir.slice(root.length + 1));
    }
    for (const [dir, items] of [...entries].sort(byKey)) {
      out.addFile(kustomizationPath(dir), kustomization([...items]), ctx.root);
    }
  }
}
