/**
 * The extension point of synthesis: a {@link Synthesizer} (a stage) checks the typed
 * {@link SynthContext} and writes files through an {@link OutputSink}. The built-in stages, the
 * GitOps constructs (`ArgoCdDelivery`, `FluxDelivery`) and user stages are all synthesizers;
 * constructs that implement it take part by being in the construct tree.
 */
import type { Construct } from 'constructs';
import type { Problem } from '../model/errors.js';
import type { SynthContext } from './context.js';

/** Where synthesizers put their output. Paths are relative to the output directory, `/`-separated. */
export interface OutputSink {
  /** Adds a Kubernetes object (plain JSON, as written) in its own YAML file; its directory gets a kustomization. */
  addManifest(path: string, object: Record<string, unknown>, owner: Construct): void;
  /** Adds a file that is not a Kubernetes object (Helm values, IAM JSON, reports). */
  addFile(path: string, content: string, owner: Construct): void;
  /**
   * Adds a JSON file in the layout of the report files (`formatJson`: sorted keys, two-space
   * indent, every value that fits in 320 columns on one line). Large values are best given this
   * way: they are formatted beside the rest of the synthesis, not in its thread.
   */
  addJsonFile(path: string, value: object, owner: Construct): void;
}

/** Conventional stages of synthesis: when a synthesizer's `emit` runs. */
export const Stage = {
  /** Kubernetes objects of the targets (Spaces Shared*, Cloud Space wrappers, plain ESO, Sveltos). */
  OBJECTS: 100,
  /** Helm values and cloud IAM. */
  IDENTITY: 200,
  /** GitOps objects (Argo CD, Flux) that point at the directories of the targets. */
  DELIVERY: 300,
  /** Reports over everything above. */
  REPORT: 500,
} as const;

/** True when a construct also acts as a synthesizer (opt-in features are constructs). */
export function isSynthesizer<T>(x: T): x is T & Synthesizer {
  const s = x as unknown as Partial<Synthesizer> | null;
  return typeof s === 'object' && s !== null && typeof s.emit === 'function' && typeof s.stage === 'number';
}

/**
 * One stage of synthesis: a target, the identity files, GitOps wiring, the report, or a stage of
 * your own. The context is complete before any stage runs: every `check` runs over it before any
 * `emit`, so a model that fails any check writes nothing. After the checks, stages emit in `stage`
 * order (ties keep registration order). A stage reads what earlier stages computed from the
 * context, never from what they wrote.
 */
export interface Synthesizer {
  /** Short name, for messages. */
  readonly name: string;
  /** When it emits: lower first (see {@link Stage}). */
  readonly stage: number;
  /** Problems that must stop synthesis (every problem, not just the first). */
  check?(ctx: SynthContext): Problem[];
  /** Adds output. Runs only when no check reported a problem. */
  emit(ctx: SynthContext, out: OutputSink): void;
}
