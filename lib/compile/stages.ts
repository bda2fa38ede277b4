/**
 * The built-in stages that write what the context holds: the targets' objects and the identity
 * stage's files (Helm values, `--set` flags, IAM documents rendered here, at emit).
 */
import { helmSetFlags } from '../identity/helm-values.js';
import { emptyPlan, renderPlannedFile, type IdentityPlan } from '../identity/plan.js';
import { Space } from '../model/space.js';
import { helmValuesText } from '../output/helm-values.js';
import { helmSetFlagsPath } from '../output/layout.js';
import { EsoCluster } from '../eso/cluster.js';
import type { Construct } from 'constructs';
import { Stage, type OutputSink, type Synthesizer } from './synthesizer.js';

/** Writes the Kubernetes objects of the built-in targets (`ctx.targets`). */
export const targetsStage: Synthesizer = {
  name: 'targets',
  stage: Stage.OBJECTS,
  emit(ctx, out) {
    for (const m of ctx.targets.manifests) out.addManifest(m.path, m.object, m.owner);
  },
};

/**
 * Writes, per self-hosted Space, the Spaces Helm values and `--set` flags that give the
 * shared-secrets controller its workload identity, and per Space and plain ESO cluster the IAM
 * documents of its identity plan and the ESO Helm values.
 */
export const identityStage: Synthesizer = {
  name: 'identity',
  stage: Stage.IDENTITY,
  emit(ctx, out) {
    for (const space of Space.all(ctx.root)) {
      const plan = ctx.identity.plans.get(space.name) ?? emptyPlan();
      const values = ctx.helm.spaces.get(space);
      if (values) {
        out.addFile(values.path, helmValuesText(values), space);
        out.addFile(helmSetFlagsPath(space), helmSetFlags(space, plan), space);
      }
      writePlanFiles(out, plan, space);
    }
    for (const cluster of EsoCluster.all(ctx.root)) {
      const values = ctx.helm.eso.get(cluster);
      if (values) out.addFile(values.path, helmValuesText(values), cluster);
      const plan = ctx.identity.clusterPlans?.get(cluster.name);
      if (plan) writePlanFiles(out, plan, cluster);
    }
  },
};

function writePlanFiles(out: OutputSink, plan: IdentityPlan, owner: Construct): void {
  for (const f of plan.files) out.addFile(f.path, renderPlannedFile(f), owner);
}
