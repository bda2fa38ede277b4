import type { Space } from '../model/space.js';
import type { SynthContext } from '../synthesizer.js';
import { emptyPlan, type IdentityPlan } from './plan.js';
import { AwsIdentity } from './space-identity.js';

/** The AWS identity plan of a Space (IRSA or EKS Pod Identity). Placeholder: Helm annotations only. */
export function planAws(space: Space, _ctx: SynthContext): IdentityPlan {
  const id = space.identity;
  if (!(id instanceof AwsIdentity) || id.mode !== 'aws-irsa') return emptyPlan();
  return { ...emptyPlan(), serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': `arn:${id.partition}:iam::${id.accountId}:role/${space.name}-shared-secrets` } };
}
