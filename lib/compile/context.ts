/**
 * The typed synthesis context: everything later stages need, computed once per synthesis, before
 * any check or emit, in a fixed order (placement -> identity plans -> access matrix -> guardrail
 * report -> what the targets produce). It is never changed afterwards; stages read their inputs
 * from it and never from what another stage wrote.
 */
import type { Construct } from 'constructs';
import { AccessMatrix } from '../analysis/access.js';
import { checkTopology } from '../analysis/checks.js';
import { accessOptionsOf, evaluateGuardrails, guardrailProblems, type GuardrailReport } from '../analysis/guardrails.js';
import { Placement } from '../resolve/placement.js';
import type { Problem } from '../model/errors.js';
import { spacesHelmValues } from '../identity/helm-values.js';
import { identityProblems, planIdentity } from '../identity/plan-identity.js';
import { emptyPlan, type IdentityFacts } from '../identity/plan.js';
import { Space } from '../model/space.js';
import type { HelmValuesFile } from '../output/helm-values.js';
import { cloudObjectsRoot } from '../output/layout.js';
import { EsoCluster } from '../eso/cluster.js';
import { esoHelmValues } from '../targets/eso.js';
import { targetObjects, targetProblems, type TargetObjects } from '../targets/objects.js';
import { Patcher } from './patch.js';

/** The Helm values files of the output. */
export interface HelmValues {
  /** The Spaces chart values of each self-hosted Space. */
  readonly spaces: ReadonlyMap<Space, HelmValuesFile>;
  /** The ESO chart values of each plain ESO cluster. */
  readonly eso: ReadonlyMap<EsoCluster, HelmValuesFile>;
}

/** What every stage sees: the whole model and everything computed from it. Immutable. */
export interface SynthContext {
  /** The root of the model (the TopologyApp). */
  readonly root: Construct;
  /** Where every store and secret lands. */
  readonly placement: Placement;
  /** The identity plans of every Space and plain ESO cluster, and every cloud principal. */
  readonly identity: IdentityFacts;
  /** Who can read which remote secret, through what. */
  readonly access: AccessMatrix;
  /** Guardrail errors, warnings and opt-outs. */
  readonly guardrails: GuardrailReport;
  /** The Kubernetes objects of the built-in targets. */
  readonly targets: TargetObjects;
  /** The Helm values files. */
  readonly helm: HelmValues;
  /**
   * Directories whose kustomization lists the manifest directories below them, besides the
   * second-level directories (a Space, a cluster): each Cloud Space's wrapped objects.
   */
  readonly kustomizeRoots: ReadonlySet<string>;
}

/** Replacements of the identity stage's result, by model root (see {@link overrideIdentity}). */
const identityOverrides = new WeakMap<Construct, () => IdentityFacts>();

/**
 * Makes the identity stage of `root`'s syntheses return `facts()` instead of the planners' plans.
 * For tests of the access analysis and guardrails with given principals. Internal.
 */
export function overrideIdentity(root: Construct, facts: () => IdentityFacts): void {
  identityOverrides.set(root, facts);
}

/**
 * Builds the context of a synthesis of `root` and adds the problems its steps find to `problems`
 * (the topology checks, the identity plans' limits, the guardrails, the targets' cross-object
 * checks, the JSON patches `patcher` refuses: the targets' objects are patched as they are built,
 * so every later stage sees them patched). A step that fails (throws) on a model with problems already found ends the build: those
 * problems are the report (`undefined` is returned); without problems, the failure is a bug and is
 * thrown.
 */
export function buildContext(root: Construct, problems: Problem[], patcher: Patcher = new Patcher()): SynthContext | undefined {
  try {
    const placement = Placement.compute(root);
    problems.push(...checkTopology(root, placement));
    const identity = identityOverrides.get(root)?.() ?? planIdentity(root, placement);
    problems.push(...identityProblems(identity));
    const access = AccessMatrix.compute(root, placement, identity, accessOptionsOf(root));
    const guardrails = evaluateGuardrails(root, placement, identity, access);
    const targets = targetObjects(root, placement, (manifests) => patcher.patchAll(manifests));
    problems.push(...targetProblems(root), ...patcher.problems.splice(0));
    // The analysis judges a valid model only: on a model with other problems its findings would be
    // consequences of the mistakes (e.g. a malformed issuer read as a shared identity).
    if (problems.length === 0) problems.push(...guardrailProblems(guardrails));
    const helm = helmValues(root, identity);
    const kustomizeRoots = new Set(
      Space.all(root)
        .filter((s) => s.hosting === 'cloud')
        .map(cloudObjectsRoot),
    );
    return Object.freeze({ root, placement, identity, access, guardrails, targets, helm, kustomizeRoots });
  } catch (e) {
    if (problems.length === 0) throw e;
    return undefined;
  }
}

/** The Spaces chart values of every self-hosted Space and the ESO chart values of every cluster. */
function helmValues(root: Construct, identity: IdentityFacts): HelmValues {
  const spaces = new Map<Space, HelmValuesFile>();
  for (const space of Space.all(root).filter((s) => s.hosting === 'self-hosted')) {
    spaces.set(space, spacesHelmValues(space, identity.plans.get(space.name) ?? emptyPlan()));
  }
  return { spaces, eso: new Map(EsoCluster.all(root).map((c) => [c, esoHelmValues(c)])) };
}
