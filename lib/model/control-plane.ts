import type { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import type { Environment } from './environment.js';
import { findAll } from './find.js';
import { Group } from './group.js';
import { checkDnsLabel, checkLabels, checkUuid } from './validation.js';
import { ControlPlanePropsSchema } from './props.js';
import { otherApp } from './selection.js';
import { checkConstructArgs, constructArgs, typedProps, containerOf } from './typed.js';
import { byKey } from '../private/order.js';
import { addJsonPatches, type ObjectSelector } from './patch.js';
import { quoteValue } from '../private/terminal.js';

/** A namespace inside a control plane, with its labels. */
export interface PlaneNamespace {
  /** Namespace name. */
  readonly name: string;
  /**
   * Labels of the namespace. `kubernetes.io/metadata.name` is implied, as on every cluster.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Props of a {@link ControlPlane}. */
export interface ControlPlaneProps {
  /**
   * Name of the control plane (at most 63 characters).
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Environment the plane belongs to; the plane carries the environment's labels.
   * @default none (an error in groups that require an environment)
   */
  readonly environment?: Environment;
  /**
   * Labels of the plane, in addition to its environment's labels.
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * The plane's `status.controlPlaneID` (a UUID, read with
   * `kubectl get controlplane <name> -o jsonpath='{.status.controlPlaneID}'`). Its host namespace
   * is `mxp-<controlPlaneId>-system`; workload-identity trust needs it.
   * @default unknown
   */
  readonly controlPlaneId?: string;
  /**
   * Host namespace to provision the plane into (Spaces >= 1.17, alpha `spec.hostNamespace`,
   * Helm value `features.alpha.hostNamespace.enabled=true`). Makes the host namespace known
   * before the plane exists.
   * @default `mxp-<controlPlaneId>-system`
   */
  readonly hostNamespace?: string;
  /**
   * Namespaces inside the plane that secrets may be delivered to.
   * @default none
   */
  readonly namespaces?: ReadonlyArray<string | PlaneNamespace>;
}

/** Namespace of a plane's host workloads for a given control plane ID. */
export function hostNamespaceFor(controlPlaneId: string): string {
  return `mxp-${controlPlaneId}-system`;
}

/**
 * A managed control plane in a group: its labels (own and its environment's) and the namespaces
 * inside it are what the derived selectors are evaluated against.
 */
export class ControlPlane extends Construct {
  /** Returns all control planes below `scope`, in construct-tree order. */
  public static all(scope: Construct): ControlPlane[] {
    return findAll(scope, ControlPlane);
  }

  /** Plane name. */
  public readonly name: string;
  /** The group holding the plane. */
  public readonly group: Group;
  /** Environment of the plane, if any. */
  public readonly environment?: Environment;
  /** The plane's `status.controlPlaneID`, if known. */
  public readonly controlPlaneId?: string;
  /** Host namespace set explicitly through `spec.hostNamespace`, if any. */
  public readonly explicitHostNamespace?: string;
  private readonly ownLabels: Record<string, string>;
  private readonly _namespaces = new Map<string, Readonly<Record<string, string>>>();
  private readonly duplicateNamespaces: string[] = [];

  public constructor(scope: Group, id: string, props: ControlPlaneProps = {}) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'a Group');
    props = typedProps<ControlPlaneProps>(this, ControlPlanePropsSchema, props, {});
    this.name = props.name ?? this.node.id;
    this.group = containerOf(this, 'a ControlPlane', 'Group', Group.tryOf(this.node.scope));
    this.environment = props.environment;
    this.controlPlaneId = props.controlPlaneId;
    this.explicitHostNamespace = props.hostNamespace;
    this.ownLabels = { ...(props.labels ?? {}) };
    for (const ns of props.namespaces ?? []) {
      if (typeof ns === 'string') this.addNamespace(ns);
      else this.addNamespace(ns.name, ns.labels);
    }
    this.node.addValidation({ validate: () => this.validateProps() });
  }

  /** Declares a namespace inside the plane. */
  public addNamespace(name: string, labels: Readonly<Record<string, string>> = {}): this {
    if (this._namespaces.has(name)) this.duplicateNamespaces.push(name);
    this._namespaces.set(name, { ...labels });
    return this;
  }

  /** The plane's labels: its environment's labels merged with its own. */
  public get labels(): Readonly<Record<string, string>> {
    return { ...(this.environment?.labels ?? {}), ...this.ownLabels };
  }

  /** Namespaces inside the plane, sorted by name, with `kubernetes.io/metadata.name` added. */
  public get namespaces(): PlaneNamespace[] {
    return [...this._namespaces.entries()]
      .sort(byKey)
      .map(([name, labels]) => ({ name, labels: { ...labels, 'kubernetes.io/metadata.name': name } }));
  }

  /**
   * The host namespace the plane's ESO runs in (service account `external-secrets-controller`),
   * or undefined while neither `controlPlaneId` nor `hostNamespace` is known.
   */
  public get hostNamespace(): string | undefined {
    if (this.explicitHostNamespace) return this.explicitHostNamespace;
    return this.controlPlaneId ? hostNamespaceFor(this.controlPlaneId.toLowerCase()) : undefined;
  }

  private validateProps(): string[] {
    const out: string[] = [];
    const name = checkDnsLabel(this.name, 'control plane name');
    if (name) out.push(name);
    out.push(...checkLabels(this.ownLabels, 'labels'));
    if (this.environment) {
      out.push(...otherApp(this.environment, this, `environment "${this.environment.name}"`));
      for (const [k, v] of Object.entries(this.environment.labels)) {
        if (k in this.ownLabels && this.ownLabels[k] !== v) {
          out.push(
            `label ${k}=${quoteValue(this.ownLabels[k])} contradicts environment "${this.environment.name}" (${k}=${quoteValue(v)}): remove the label, the environment sets it.`,
          );
        }
      }
    } else if (this.group.requireEnvironment) {
      out.push(
        `control plane "${this.name}" has no environment, and group "${this.group.name}" requires one: set "environment" (or create the group with requireEnvironment: false).`,
      );
    }
    if (this.controlPlaneId !== undefined) {
      const id = checkUuid(this.controlPlaneId, 'controlPlaneId');
      if (id) out.push(id);
    }
    if (this.explicitHostNamespace !== undefined) {
      const ns = checkDnsLabel(this.explicitHostNamespace, 'hostNamespace');
      if (ns) out.push(ns);
    }
    for (const dup of [...new Set(this.duplicateNamespaces)]) {
      out.push(`namespace "${dup}" is declared twice: declare each namespace once.`);
    }
    for (const ns of this.namespaces) {
      const n = checkDnsLabel(ns.name, 'namespace name');
      if (n) out.push(n);
      out.push(...checkLabels({ ...(ns.labels ?? {}) }, `labels of namespace "${ns.name}"`));
    }
    return out;
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its ControlPlane object). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link ControlPlane.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}
