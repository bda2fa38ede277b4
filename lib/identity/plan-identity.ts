/**
 * The identity stage's planning: the identity plan of every Space and plain ESO cluster (IAM
 * documents, Helm annotations, the cloud principals for the access analysis), computed once per
 * synthesis from where the stores and secrets land.
 */
import type { Construct } from 'constructs';
import type { Placement } from '../resolve/placement.js';
import type { Problem } from '../model/errors.js';
import { Space, type Cloud } from '../model/space.js';
import { cmp } from '../private/order.js';
import { EsoCluster } from '../eso/cluster.js';
import { planAws, planAwsCluster } from './aws.js';
import { planAzure, planAzureCluster } from './azure.js';
import { planGcp, planGcpCluster } from './gcp.js';
import { emptyPlan, type CloudPrincipal, type IdentityFacts, type IdentityPlan, type IdentityPlanner } from './plan.js';

const PLANNERS: Record<Cloud, IdentityPlanner> = { aws: planAws, azure: planAzure, gcp: planGcp };
const CLUSTER_PLANNERS: Record<Cloud, (cluster: EsoCluster, placement: Placement) => IdentityPlan> = {
  aws: planAwsCluster,
  azure: planAzureCluster,
  gcp: planGcpCluster,
};

/** The identity plans of every Space and plain ESO cluster below `root`, and every principal, sorted. */
export function planIdentity(root: Construct, placement: Placement): IdentityFacts {
  const plans = new Map<string, IdentityPlan>();
  for (const space of Space.all(root)) {
    const planner = space.identity ? PLANNERS[space.identity.cloud] : undefined;
    plans.set(space.name, planner ? planner(space, placement) : emptyPlan());
  }
  const clusterPlans = new Map<string, IdentityPlan>();
  for (const cluster of EsoCluster.all(root)) {
    const planner = cluster.identity ? CLUSTER_PLANNERS[cluster.identity.cloud] : undefined;
    if (planner && cluster.identity?.cloud === cluster.cloud) clusterPlans.set(cluster.name, planner(cluster, placement));
  }
  const principals: CloudPrincipal[] = [...plans.values(), ...clusterPlans.values()]
    .flatMap((p) => p.principals)
    .sort((a, b) => cmp(a.id, b.id) || cmp(ownerKey(a), ownerKey(b)));
  return { plans, clusterPlans, principals };
}

/** `space:<name>` or `cluster:<name>`: orders principals that share an id (one identity used by several owners). */
function ownerKey(p: CloudPrincipal): string {
  return p.cluster ? `cluster:${p.cluster.cluster}` : `space:${p.space ?? ''}`;
}

/** Every problem of the plans (cloud limits, missing settings). */
export function identityProblems(identity: IdentityFacts): Problem[] {
  return [...identity.plans.values(), ...(identity.clusterPlans?.values() ?? [])].flatMap((p) => p.problems);
}
