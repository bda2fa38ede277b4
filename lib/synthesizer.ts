import type { Construct } from 'constructs';
import type { Placement } from './analysis/placement.js';
import type { Problem } from './errors.js';

/** What a synthesizer sees: the whole model and its placement. */
export interface SynthContext {
  /** The root of the model (the TopologyApp). */
  readonly root: Construct;
  /** Where every store and secret lands. */
  readonly placement: Placement;
  /** Results published by earlier synthesizers, by key (e.g. `identity` for the IAM plans). */
  readonly facts: Map<string, unknown>;
}

/** Where synthesizers put their output. Paths are relative to the output directory, `/`-separated. */
export interface OutputSink {
  /** Adds a Kubernetes object (plain JSON, as written) in its own YAML file. */
  addManifest(path: string, object: Record<string, unknown>, owner: Construct): void;
  /** Adds a file that is not a Kubernetes object (Helm values, IAM JSON, reports). */
  addFile(path: string, content: string, owner: Construct): void;
  /**
   * Adds a JSON file in the layout of the report files (`formatJson`: sorted keys, two-space
   * indent, every value that fits in 320 columns on one line). Large values are best given this
   * way: they are formatted beside the rest of the synthesis, not in its thread.
   */
  addJsonFile(path: string, value: object, owner: Construct): void;
  /** Files added so far (read-only view), e.g. for kustomizations and reports. */
  readonly files: ReadonlyMap<string, string>;
  /** Manifests added so far, by path. */
  readonly manifests: ReadonlyMap<string, Record<string, unknown>>;
}

/** Conventional stages of synthesis. */
export const Stage = {
  /** Kubernetes objects of a target (Spaces Shared*, plain ESO, Sveltos). */
  OBJECTS: 100,
  /** Helm values and cloud IAM. */
  IDENTITY: 200,
  /** GitOps objects (Argo CD, Flux) that point at the directories of earlier stages. */
  DELIVERY: 300,
  /** kustomization.yaml files over every manifest directory. */
  KUSTOMIZE: 400,
  /** Reports over everything above. */
  REPORT: 500,
} as const;

/** True when a construct also acts as a synthesizer (opt-in features are constructs). */
export function isSynthesizer<T>(x: T): x is T & Synthesizer {
  const s = x as unknown as Partial<Synthesizer> | null;
  return typeof s === 'object' && s !== null && typeof s.emit === 'function' && typeof s.stage === 'number';
}

/**
 * One stage of synthesis (a target, the identity compiler, GitOps wiring, the report). All
 * `check`s run before any `emit`, so a model that fails any check writes nothing. Synthesizers run
 * in the order they are registered; each may read `facts` published by earlier ones.
 */
export interface Synthesizer {
  /** Short name, for messages. */
  readonly name: string;
  /** When it runs: lower first (see {@link Stage}); ties keep registration order. */
  readonly stage: number;
  /** Problems that must stop synthesis (every problem, not just the first). */
  check?(ctx: SynthContext): Problem[];
  /** Adds output. Runs only when no synthesizer reported a problem. */
  emit(ctx: SynthContext, out: OutputSink): void;
}
