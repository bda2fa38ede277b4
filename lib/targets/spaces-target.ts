import type { ApiObject } from 'cdk8s';
import { PROTECTED_KINDS, protectionAnnotations } from '../delivery/protection.js';
import { Group } from '../model/group.js';
import { Space } from '../model/space.js';
import { Stage, type OutputSink, type SynthContext, type Synthesizer } from '../synthesizer.js';
import { emitSpacesObjects } from './spaces.js';
import { renderAndDetach } from '../output/render.js';

/** Directory of a Space's output (manifests, Helm values, IAM), relative to the output directory. */
export function spaceDir(space: Space): string {
  return `spaces/${space.name}`;
}

/** Directory of a group's manifests, relative to the output directory. */
export function groupDir(group: Group): string {
  return `${spaceDir(group.space)}/groups/${group.name}`;
}

/** `namespace.yaml` for the group Namespace, else `<kind>-<name>.yaml`: unique inside a group directory. */
export function manifestFileName(obj: ApiObject): string {
  if (obj.kind === 'Namespace') return 'namespace.yaml';
  return `${obj.kind.toLowerCase()}-${obj.name}.yaml`;
}

/** The self-hosted Spaces target: Shared* objects (and Namespace/ControlPlanes) per group directory. */
export class SpacesTarget implements Synthesizer {
  public readonly name = 'spaces';
  public readonly stage = Stage.OBJECTS;

  public emit(ctx: SynthContext, out: OutputSink): void {
    const protect = Object.entries(protectionAnnotations(ctx.root));
    for (const space of Space.all(ctx.root)) {
      for (const group of Group.all(space)) {
        for (const obj of emitSpacesObjects(group, ctx.placement)) {
          if (PROTECTED_KINDS.includes(obj.kind)) for (const [k, v] of protect) obj.metadata.addAnnotation(k, v);
          out.addManifest(`${groupDir(group)}/${manifestFileName(obj)}`, renderAndDetach(obj), obj);
        }
      }
    }
  }
}
