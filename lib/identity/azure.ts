import type { Space } from '../model/space.js';
import type { SynthContext } from '../synthesizer.js';
import { emptyPlan, type IdentityPlan } from './plan.js';
import { AzureIdentity } from './space-identity.js';

/** The Azure workload-identity plan of a Space. Placeholder: Helm values only. */
export function planAzure(space: Space, _ctx: SynthContext): IdentityPlan {
  const id = space.identity;
  if (!(id instanceof AzureIdentity)) return emptyPlan();
  return {
    ...emptyPlan(),
    serviceAccountAnnotations: { 'azure.workload.identity/client-id': id.props.clientId },
    podLabels: { 'azure.workload.identity/use': 'true' },
  };
}
