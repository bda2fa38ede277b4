import { PROTECTED_KINDS, protectionAnnotations } from '../delivery/protection.js';
import { Group } from '../model/group.js';
import { Space } from '../model/space.js';
import { Stage, type OutputSink, type SynthContext, type Synthesizer } from '../synthesizer.js';
import { sortKeys } from '../output/render.js';
import { spacesObjects } from './spaces.js';
import { groupObjectPath } from '../output/layout.js';

/** The self-hosted Spaces target: Shared* objects (and Namespace/ControlPlanes) per group directory. */
export class SpacesTarget implements Synthesizer {
  public readonly name = 'spaces';
  public readonly stage = Stage.OBJECTS;

  public emit(ctx: SynthContext, out: OutputSink): void {
    const protect = protectionAnnotations(ctx.root);
    const protecting = Object.keys(protect).length > 0;
    for (const space of Space.all(ctx.root)) {
      for (const group of Group.all(space)) {
        for (const { owner, manifest } of spacesObjects(group, ctx.placement)) {
          if (protecting && PROTECTED_KINDS.includes(manifest.kind))
            manifest.metadata.annotations = { ...manifest.metadata.annotations, ...protect };
          // Keys sorted (as cdk8s renders ApiObjects), so the files keep their layout.
          out.addManifest(groupObjectPath(group, manifest), sortKeys(manifest), owner);
        }
      }
    }
  }
}
