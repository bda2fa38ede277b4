import type { Construct } from 'constructs';
import type { ControlPlane } from './control-plane.js';
import type { Environment } from './environment.js';
import type { Group } from './group.js';
import { checkLabelSelector, describeSelector, normalizeSelector, type LabelSelector, type SpacesSelector } from './selectors.js';
import { checkDnsLabel } from './validation.js';
import { NamespacesNamedArgs, PlanesInEnvironmentsArgs, PlanesNamedArgs, SelectorArgs } from './props.js';
import { typedValue, typeProblemsOf } from './typed.js';
import type { z } from '../private/props.js';

/** A selection built from `args` checked against `schema` (an empty list when they are not of the declared types). */
function checked<A, T extends object>(schema: z.ZodType, args: readonly A[], make: (a: readonly A[]) => T): T {
  return typedValue(schema, args, [] as readonly A[], make);
}

/** How a {@link Planes} selects: by environment, by name or by label selectors. */
type PlaneSelection =
  | { readonly by: 'environments'; readonly environments: readonly Environment[] }
  | { readonly by: 'names'; readonly planes: readonly ControlPlane[] }
  | { readonly by: 'labels'; readonly selectors: readonly LabelSelector[] };

/**
 * Which control planes of a group a store or secret reaches. Compiles to the Spaces
 * `controlPlaneSelector`. Names and label selectors are never mixed in one selector, because the
 * Spaces API does not document how the two lists combine. A value: create it with one of the
 * static factories.
 */
export class Planes {
  /** Planes of the given environments: one label selector per environment, OR-ed. */
  public static inEnvironments(...environments: Environment[]): Planes {
    return checked(PlanesInEnvironmentsArgs, environments, (e) => new Planes({ by: 'environments', environments: e }));
  }

  /** Exactly these planes, by name. */
  public static named(...planes: ControlPlane[]): Planes {
    return checked(PlanesNamedArgs, planes, (p) => new Planes({ by: 'names', planes: p }));
  }

  /** Planes matching any of these label selectors (Kubernetes semantics inside one selector). */
  public static matching(...selectors: LabelSelector[]): Planes {
    return checked(SelectorArgs, selectors, (s) => new Planes({ by: 'labels', selectors: s }));
  }

  private constructor(private readonly selection: PlaneSelection) {}

  /** The Spaces selector this selection compiles to (normalized, deterministic). */
  public toSelector(): SpacesSelector {
    const s = this.selection;
    switch (s.by) {
      case 'environments':
        return normalizeSelector({ labelSelectors: s.environments.map((e) => ({ matchLabels: { ...e.labels } })) });
      case 'names':
        return normalizeSelector({ names: s.planes.map((p) => p.name) });
      case 'labels':
        return normalizeSelector({ labelSelectors: s.selectors });
    }
  }

  /** Problems with this selection as used in `group`. */
  public check(group: Group): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const s = this.selection;
    switch (s.by) {
      case 'environments':
        if (s.environments.length === 0) return ['Planes.inEnvironments() needs at least one environment.'];
        return s.environments.flatMap((e) => otherApp(e, group, `environment "${e.name}"`));
      case 'names':
        if (s.planes.length === 0) return ['Planes.named() needs at least one control plane.'];
        return s.planes
          .filter((p) => p.node.root === group.node.root && p.group !== group)
          .map(
            (p) =>
              `control plane "${p.name}" is in group "${p.group.name}" (Space "${p.group.space.name}"), not in "${group.name}": Shared* objects select only planes of their own group; move the store or secret to group "${p.group.name}".`,
          )
          .concat(s.planes.flatMap((p) => otherApp(p, group, `control plane "${p.name}"`)));
      case 'labels':
        if (s.selectors.length === 0) return ['Planes.matching() needs at least one label selector.'];
        return s.selectors.flatMap((l) => checkLabelSelector(l));
    }
  }

  /** Environments named by this selection, if it selects by environment. */
  public get environments(): readonly Environment[] {
    return this.selection.by === 'environments' ? this.selection.environments : [];
  }

  /** Short human description for messages and reports. */
  public describe(): string {
    const s = this.selection;
    if (s.by === 'environments')
      return `environment${s.environments.length === 1 ? '' : 's'} ${s.environments.map((e) => e.name).join(', ')}`;
    return describeSelector(this.toSelector());
  }
}

/** How a {@link Namespaces} selects: by name or by label selectors. */
type NamespaceSelection =
  { readonly by: 'names'; readonly names: readonly string[] } | { readonly by: 'labels'; readonly selectors: readonly LabelSelector[] };

/**
 * Which namespaces inside the reached planes a store serves or a secret is written to. Compiles to
 * the Spaces `namespaceSelector`. A value: create it with one of the static factories.
 */
export class Namespaces {
  /** Exactly these namespaces, by name. */
  public static named(...names: string[]): Namespaces {
    return checked(NamespacesNamedArgs, names, (n) => new Namespaces({ by: 'names', names: n }));
  }

  /** Namespaces matching any of these label selectors. */
  public static matching(...selectors: LabelSelector[]): Namespaces {
    return checked(SelectorArgs, selectors, (s) => new Namespaces({ by: 'labels', selectors: s }));
  }

  private constructor(private readonly selection: NamespaceSelection) {}

  /** The Spaces selector this selection compiles to (normalized, deterministic). */
  public toSelector(): SpacesSelector {
    const s = this.selection;
    return s.by === 'names' ? normalizeSelector({ names: s.names }) : normalizeSelector({ labelSelectors: s.selectors });
  }

  /** Problems with this selection. */
  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const s = this.selection;
    if (s.by === 'names') {
      if (s.names.length === 0) return ['Namespaces.named() needs at least one namespace.'];
      return s.names.map((n) => checkDnsLabel(n, 'namespace name')).filter((m): m is string => m !== undefined);
    }
    if (s.selectors.length === 0) return ['Namespaces.matching() needs at least one label selector.'];
    return s.selectors.flatMap((l) => checkLabelSelector(l));
  }

  /** Short human description for messages and reports. */
  public describe(): string {
    return describeSelector(this.toSelector());
  }
}

/** The problem of `other` (named `what`) belonging to another app than `c`, or none. */
export function otherApp(other: Construct, c: Construct, what: string): string[] {
  if (other.node.root === c.node.root) return [];
  return [
    `${what} (${other.node.path}) belongs to another TopologyApp: a synthesis sees only its own app's constructs; create it in this app (the same root as "${c.node.path}").`,
  ];
}
