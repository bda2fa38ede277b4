import { Space } from '../model/space.js';
import { EsoCluster } from '../targets/eso.js';
import { helmSetFlagsPath, spacesValuesPath } from '../output/layout.js';
import { Stage, type OutputSink, type SynthContext, type Synthesizer } from '../synthesizer.js';
import { planAws, planAwsCluster } from './aws.js';
import { planAzure, planAzureCluster } from './azure.js';
import { planGcp, planGcpCluster } from './gcp.js';
import { helmSetFlags, spacesValuesFile } from './helm-values.js';
import { IDENTITY_FACTS, emptyPlan, type CloudPrincipal, type IdentityFacts, type IdentityPlan, type IdentityPlanner } from './plan.js';
import { cmp } from '../private/order.js';

const PLANNERS: Record<string, IdentityPlanner> = { aws: planAws, azure: planAzure, gcp: planGcp };
const CLUSTER_PLANNERS: Record<string, (cluster: EsoCluster, ctx: SynthContext) => IdentityPlan> = {
  aws: planAwsCluster,
  azure: planAzureCluster,
  gcp: planGcpCluster,
};

/** The identity plans of every Space and plain ESO cluster, computed once per synthesis and published as facts. */
export function identityFacts(ctx: SynthContext): IdentityFacts {
  const cached = ctx.facts.get(IDENTITY_FACTS) as IdentityFacts | undefined;
  if (cached) return cached;
  const plans = new Map<string, IdentityPlan>();
  for (const space of Space.all(ctx.root)) {
    const planner = space.identity ? PLANNERS[space.identity.cloud] : undefined;
    plans.set(space.name, planner ? planner(space, ctx) : emptyPlan());
  }
  const clusterPlans = new Map<string, IdentityPlan>();
  for (const cluster of EsoCluster.all(ctx.root)) {
    const planner = cluster.identity ? CLUSTER_PLANNERS[cluster.identity.cloud] : undefined;
    if (planner && cluster.identity?.cloud === cluster.cloud) clusterPlans.set(cluster.name, planner(cluster, ctx));
  }
  const principals: CloudPrincipal[] = [...plans.values(), ...clusterPlans.values()]
    .flatMap((p) => p.principals)
    .sort((a, b) => cmp(a.id, b.id) || cmp(ownerKey(a), ownerKey(b)));
  const facts: IdentityFacts = { plans, clusterPlans, principals };
  ctx.facts.set(IDENTITY_FACTS, facts);
  return facts;
}

/** `space:<name>` or `cluster:<name>`: orders principals that share an id (one identity used by several owners). */
function ownerKey(p: CloudPrincipal): string {
  return p.cluster ? `cluster:${p.cluster.cluster}` : `space:${p.space ?? ''}`;
}

/**
 * The identity stage: per self-hosted Space, the Spaces Helm values (and `--set` flags) that give
 * the shared-secrets controller its workload identity, and the cloud IAM documents that identity
 * needs, derived from the stores and secrets that use it; per plain ESO cluster with a workload
 * identity, the IAM its ESO controller needs (under `clusters/<cluster>/iam/<cloud>/`).
 */
export class IdentitySynthesizer implements Synthesizer {
  public readonly name = 'identity';
  public readonly stage = Stage.IDENTITY;

  public check(ctx: SynthContext) {
    const facts = identityFacts(ctx);
    return [...facts.plans.values(), ...(facts.clusterPlans?.values() ?? [])].flatMap((p) => p.problems);
  }

  public emit(ctx: SynthContext, out: OutputSink): void {
    const facts = identityFacts(ctx);
    const { plans } = facts;
    for (const space of Space.all(ctx.root)) {
      const plan = plans.get(space.name) ?? emptyPlan();
      if (space.hosting === 'self-hosted') {
        out.addFile(spacesValuesPath(space), spacesValuesFile(space, plan), space);
        out.addFile(helmSetFlagsPath(space), helmSetFlags(space, plan), space);
      }
      for (const f of plan.files) out.addFile(f.path, f.content, space);
    }
    // Plain ESO clusters: their Helm values are written by the ESO target; the IAM files here.
    for (const cluster of EsoCluster.all(ctx.root)) {
      for (const f of facts.clusterPlans?.get(cluster.name)?.files ?? []) out.addFile(f.path, f.content, cluster);
    }
  }
}
