import { toYaml } from '../output/render.js';
import { Stage, type OutputSink, type SynthContext, type Synthesizer } from '../synthesizer.js';

/** File name kustomize looks for. */
export const KUSTOMIZATION = 'kustomization.yaml';

/** A kustomize `Kustomization` listing `resources` in sorted order. */
export function kustomization(resources: readonly string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources].sort() });
}

/**
 * Writes a `kustomization.yaml` into every directory that holds manifests (listing its files) and
 * into each second-level directory above deeper manifests (listing those directories), e.g.
 * `spaces/<space>/kustomization.yaml` lists `groups/<group>`. A GitOps tool can so point at a whole
 * Space or at one group. The top levels get none: their Spaces are different clusters.
 */
export class Kustomize implements Synthesizer {
  public readonly name = 'kustomize';
  public readonly stage = Stage.KUSTOMIZE;

  public emit(ctx: SynthContext, out: OutputSink): void {
    const entries = new Map<string, Set<string>>();
    const add = (dir: string, entry: string): void => {
      if (!entries.has(dir)) entries.set(dir, new Set());
      entries.get(dir)?.add(entry);
    };
    for (const path of out.manifests.keys()) {
      const parts = path.split('/');
      if (parts.length < 2) continue;
      add(parts.slice(0, -1).join('/'), parts[parts.length - 1] ?? '');
      if (parts.length > 3) add(parts.slice(0, 2).join('/'), parts.slice(2, -1).join('/'));
    }
    for (const [dir, items] of [...entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.addFile(`${dir}/${KUSTOMIZATION}`, kustomization([...items]), ctx.root);
    }
  }
}
