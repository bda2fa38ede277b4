import type { ControlPlane } from './control-plane.js';
import type { Environment } from './environment.js';
import type { Group } from './group.js';
import { checkLabelSelector, describeSelector, normalizeSelector, type LabelSelector, type SpacesSelector } from './selectors.js';
import { checkDnsLabel } from './validation.js';

/**
 * Which control planes of a group a store or secret reaches. Compiles to the Spaces
 * `controlPlaneSelector`. Names and label selectors are never mixed in one selector, because the
 * Spaces API does not document how the two lists combine.
 */
export abstract class Planes {
  /** Planes of the given environments: one label selector per environment, OR-ed. */
  public static inEnvironments(...environments: Environment[]): Planes {
    return new EnvironmentPlanes(environments);
  }

  /** Exactly these planes, by name. */
  public static named(...planes: ControlPlane[]): Planes {
    return new NamedPlanes(planes);
  }

  /** Planes matching any of these label selectors (Kubernetes semantics inside one selector). */
  public static matching(...selectors: LabelSelector[]): Planes {
    return new MatchingPlanes(selectors);
  }

  /** The Spaces selector this selection compiles to (normalized, deterministic). */
  public abstract toSelector(): SpacesSelector;
  /** Problems with this selection as used in `group`. */
  public abstract check(group: Group): string[];
  /** Environments named by this selection, if it selects by environment. */
  public get environments(): readonly Environment[] {
    return [];
  }
  /** Short human description for messages and reports. */
  public describe(): string {
    return describeSelector(this.toSelector());
  }
}

class EnvironmentPlanes extends Planes {
  public constructor(private readonly envs: readonly Environment[]) {
    super();
  }
  public override get environments(): readonly Environment[] {
    return this.envs;
  }
  public toSelector(): SpacesSelector {
    return normalizeSelector({ labelSelectors: this.envs.map((e) => ({ matchLabels: { ...e.labels } })) });
  }
  public check(): string[] {
    return this.envs.length === 0 ? ['Planes.inEnvironments() needs at least one environment.'] : [];
  }
  public override describe(): string {
    return `environment${this.envs.length === 1 ? '' : 's'} ${this.envs.map((e) => e.name).join(', ')}`;
  }
}

class NamedPlanes extends Planes {
  public constructor(private readonly planes: readonly ControlPlane[]) {
    super();
  }
  public toSelector(): SpacesSelector {
    return normalizeSelector({ names: this.planes.map((p) => p.name) });
  }
  public check(group: Group): string[] {
    if (this.planes.length === 0) return ['Planes.named() needs at least one control plane.'];
    return this.planes
      .filter((p) => p.group !== group)
      .map(
        (p) =>
          `control plane "${p.name}" is in group "${p.group.name}" (Space "${p.group.space.name}"), not in "${group.name}": Shared* objects select only planes of their own group; move the store or secret to group "${p.group.name}".`,
      );
  }
}

class MatchingPlanes extends Planes {
  public constructor(private readonly selectors: readonly LabelSelector[]) {
    super();
  }
  public toSelector(): SpacesSelector {
    return normalizeSelector({ labelSelectors: this.selectors });
  }
  public check(): string[] {
    if (this.selectors.length === 0) return ['Planes.matching() needs at least one label selector.'];
    return this.selectors.flatMap((s) => checkLabelSelector(s));
  }
}

/**
 * Which namespaces inside the reached planes a store serves or a secret is written to. Compiles to
 * the Spaces `namespaceSelector`.
 */
export abstract class Namespaces {
  /** Exactly these namespaces, by name. */
  public static named(...names: string[]): Namespaces {
    return new NamedNamespaces(names);
  }

  /** Namespaces matching any of these label selectors. */
  public static matching(...selectors: LabelSelector[]): Namespaces {
    return new MatchingNamespaces(selectors);
  }

  /** The Spaces selector this selection compiles to (normalized, deterministic). */
  public abstract toSelector(): SpacesSelector;
  /** Problems with this selection. */
  public abstract check(): string[];
  /** Short human description for messages and reports. */
  public describe(): string {
    return describeSelector(this.toSelector());
  }
}

class NamedNamespaces extends Namespaces {
  public constructor(private readonly names: readonly string[]) {
    super();
  }
  public toSelector(): SpacesSelector {
    return normalizeSelector({ names: this.names });
  }
  public check(): string[] {
    if (this.names.length === 0) return ['Namespaces.named() needs at least one namespace.'];
    return this.names.map((n) => checkDnsLabel(n, 'namespace name')).filter((m): m is string => m !== undefined);
  }
}

class MatchingNamespaces extends Namespaces {
  public constructor(private readonly selectors: readonly LabelSelector[]) {
    super();
  }
  public toSelector(): SpacesSelector {
    return normalizeSelector({ labelSelectors: this.selectors });
  }
  public check(): string[] {
    if (this.selectors.length === 0) return ['Namespaces.matching() needs at least one label selector.'];
    return this.selectors.flatMap((s) => checkLabelSelector(s));
  }
}
