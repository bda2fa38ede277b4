import { Space } from '../model/space.js';
import { spaceDir } from '../targets/spaces-target.js';
import { Stage, type OutputSink, type SynthContext, type Synthesizer } from '../synthesizer.js';
import { planAws } from './aws.js';
import { planAzure } from './azure.js';
import { planGcp } from './gcp.js';
import { helmSetFlags, spacesValuesFile } from './helm-values.js';
import { IDENTITY_FACTS, emptyPlan, type CloudPrincipal, type IdentityFacts, type IdentityPlan, type IdentityPlanner } from './plan.js';

const PLANNERS: Record<string, IdentityPlanner> = { aws: planAws, azure: planAzure, gcp: planGcp };

/** The identity plans of every Space, computed once per synthesis and published as facts. */
export function identityFacts(ctx: SynthContext): IdentityFacts {
  const cached = ctx.facts.get(IDENTITY_FACTS) as IdentityFacts | undefined;
  if (cached) return cached;
  const plans = new Map<string, IdentityPlan>();
  for (const space of Space.all(ctx.root)) {
    const planner = space.identity ? PLANNERS[space.identity.cloud] : undefined;
    plans.set(space.name, planner ? planner(space, ctx) : emptyPlan());
  }
  const principals: CloudPrincipal[] = [...plans.values()].flatMap((p) => p.principals).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const facts: IdentityFacts = { plans, principals };
  ctx.facts.set(IDENTITY_FACTS, facts);
  return facts;
}

/**
 * The identity stage: per self-hosted Space, the Spaces Helm values (and `--set` flags) that give
 * the shared-secrets controller its workload identity, and the cloud IAM documents that identity
 * needs, derived from the stores and secrets that use it.
 */
export class IdentitySynthesizer implements Synthesizer {
  public readonly name = 'identity';
  public readonly stage = Stage.IDENTITY;

  public check(ctx: SynthContext) {
    return [...identityFacts(ctx).plans.values()].flatMap((p) => p.problems);
  }

  public emit(ctx: SynthContext, out: OutputSink): void {
    const { plans } = identityFacts(ctx);
    for (const space of Space.all(ctx.root)) {
      const plan = plans.get(space.name) ?? emptyPlan();
      if (space.hosting === 'self-hosted') {
        out.addFile(`${spaceDir(space)}/helm/spaces-values.yaml`, spacesValuesFile(space, plan), space);
        out.addFile(`${spaceDir(space)}/helm/helm-set-flags.txt`, helmSetFlags(space, plan), space);
      }
      for (const f of plan.files) out.addFile(f.path, f.content, space);
    }
  }
}
