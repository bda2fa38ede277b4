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
import { planAwsStaticKeysOfCluster, planAwsStaticKeysOfSpace } from './aws-static-keys.js';
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
    const own = planner ? planner(space, placement) : emptyPlan();
    plans.set(space.name, mergePlans(own, planAwsStaticKeysOfSpace(space, own.principals)));
  }
  const clusterPlans = new Map<string, IdentityPlan>();
  for (const cluster of EsoCluster.all(root)) {
    const planner = cluster.identity ? CLUSTER_PLANNERS[cluster.identity.cloud] : undefined;
    const own = planner && cluster.identity?.cloud === cluster.cloud ? planner(cluster, placement) : undefined;
    const keys = planAwsStaticKeysOfCluster(cluster, own?.principals);
    if (own || keys.files.length > 0) clusterPlans.set(cluster.name, mergePlans(own ?? emptyPlan(), keys));
  }
  const principals: CloudPrincipal[] = [...plans.values(), ...clusterPlans.values()]
    .flatMap((p) => p.principals)
    .sort((a, b) => cmp(a.id, b.id) || cmp(ownerKey(a), ownerKey(b)));
  return { plans, clusterPlans, principals };
}

/** One owner's plans together: the workload identity's and the static keys' roles (their files are in different directories). */
function mergePlans(a: IdentityPlan, b: IdentityPlan): IdentityPlan {
  if (b.files.length === 0 && b.principals.length === 0 && b.problems.length === 0) return a;
  return {
    problems: [...a.problems, ...b.problems],
    principals: [...a.principals, ...b.principals],
    files: [...a.files, ...b.files].sort((x, y) => cmp(x.path, y.path)),
    serviceAccountAnnotations: a.serviceAccountAnnotations,
    podLabels: a.podLabels,
  };
}

/** `space:<name>` or `cluster:<name>`: orders principals that share an id (one identity used by several owners). */
function ownerKey(p: CloudPrincipal): string {
  return p.cluster ? `cluster:${p.cluster.cluster}` : `space:${p.space ?? ''}`;
}

/** Every problem of the plans (cloud limits, missing settings). */
export function identityProblems(identity: IdentityFacts): Problem[] {
  return [...identity.plans.values(), ...(identity.clusterPlans?.values() ?? [])].flatMap((p) => p.problems);
}
