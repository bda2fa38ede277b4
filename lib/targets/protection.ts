import type { Construct } from 'constructs';
import { constructsOf } from '../model/find.js';
import { byKey } from '../private/order.js';

/**
 * A construct (typically GitOps wiring) that marks the objects whose deletion destroys control
 * planes — each group's `Namespace` and its `ControlPlane`s — with annotations, e.g. Argo CD's
 * `Prune=false,Delete=false` or Flux's `prune: disabled`. The Spaces target asks every such
 * construct in the tree.
 */
export interface ControlPlaneProtection {
  /** Annotations to put on every group Namespace and ControlPlane. */
  readonly protectionAnnotations: Readonly<Record<string, string>>;
}

/** True when `x` asks for protection annotations. */
export function isControlPlaneProtection(x: unknown): x is ControlPlaneProtection {
  const p = (x as Partial<ControlPlaneProtection> | null)?.protectionAnnotations;
  return typeof x === 'object' && x !== null && typeof p === 'object' && p !== null;
}

/** Kinds that get the protection annotations. */
export const PROTECTED_KINDS = ['Namespace', 'ControlPlane'] as const;

/** The protection annotations of every construct below `root`, merged (tree order; keys sorted). */
export function protectionAnnotations(root: Construct): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const c of constructsOf(root)) {
    if (isControlPlaneProtection(c)) Object.assign(merged, c.protectionAnnotations);
  }
  return Object.fromEntries(Object.entries(merged).sort(byKey));
}
