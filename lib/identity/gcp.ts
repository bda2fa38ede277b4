import type { Space } from '../model/space.js';
import type { SynthContext } from '../synthesizer.js';
import { emptyPlan, type IdentityPlan } from './plan.js';
import { GcpIdentity } from './space-identity.js';

/** The GCP workload-identity plan of a Space. Placeholder: Helm values only. */
export function planGcp(space: Space, _ctx: SynthContext): IdentityPlan {
  const id = space.identity;
  if (!(id instanceof GcpIdentity) || id.mode !== 'gcp-impersonation' || !id.serviceAccountEmail) return emptyPlan();
  return { ...emptyPlan(), serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': id.serviceAccountEmail } };
}
