/**
 * The Sveltos model: ESO in a management cluster materializes a Secret, and a Sveltos
 * `ClusterProfile` copies it to every managed cluster whose labels match (rendered by
 * targets/sveltos.ts).
 */
import type { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import type { Problem } from '../model/errors.js';
import { checkLabelSelector, type LabelSelector } from '../model/selectors.js';
import { checkDnsLabel, checkDnsSubdomain } from '../model/validation.js';
import { EsoCluster, type EsoExternalSecret } from './cluster.js';
import { addJsonPatches, type ObjectSelector } from '../model/patch.js';
import { checkConstructArgs, constructArgs, typedProps } from '../model/typed.js';
import { quoteValue } from '../private/terminal.js';
import { SveltosSecretDistributionPropsSchema } from './props.js';

/** The sync modes of a Sveltos ClusterProfile. */
export const SVELTOS_SYNC_MODES = ['OneTime', 'Continuous', 'ContinuousWithDriftDetection', 'DryRun'] as const;
/** A {@link SVELTOS_SYNC_MODES} member. */
export type SveltosSyncMode = (typeof SVELTOS_SYNC_MODES)[number];

/** Props of a {@link SveltosSecretDistribution}. */
export interface SveltosSecretDistributionProps {
  /**
   * Name of the ClusterProfile (cluster-scoped on the management cluster).
   * @default the construct id
   */
  readonly name?: string;
  /** The namespaced ExternalSecret of the management cluster whose Secret is distributed. */
  readonly secret: EsoExternalSecret;
  /**
   * Managed clusters that get the Secret (`spec.clusterSelector`, a Kubernetes label selector on
   * the cluster objects). Must not be empty: an empty selector matches every cluster.
   */
  readonly clusterSelector: LabelSelector;
  /**
   * Namespace of the Secret in the managed clusters (created by Sveltos when missing).
   * @default the source Secret's namespace
   */
  readonly targetNamespace?: string;
  /**
   * Name of the Secret in the managed clusters.
   * @default the source Secret's name
   */
  readonly targetName?: string;
  /**
   * Sveltos sync mode.
   * @default 'Continuous'
   */
  readonly syncMode?: SveltosSyncMode;
}

/**
 * Distributes the Secret of an {@link EsoExternalSecret} of a management cluster to the managed
 * clusters selected by label. Emits, into the management cluster's directory, a `ClusterProfile`
 * and its template `ConfigMap` (in the source Secret's namespace).
 *
 * Sveltos must be allowed to read the Secret: grant `get` on Secrets in that namespace to the
 * `addon-controller-role-extra` ClusterRole.
 */
export class SveltosSecretDistribution extends Construct {
  /** ClusterProfile name. */
  public readonly name: string;
  /** The management cluster. */
  public readonly cluster: EsoCluster;
  /** The source ExternalSecret. */
  public readonly secret: EsoExternalSecret;
  /** Cluster selector. */
  public readonly clusterSelector: LabelSelector;
  /** Sync mode. */
  public readonly syncMode: SveltosSyncMode;
  private readonly props: SveltosSecretDistributionProps;

  public constructor(scope: EsoCluster, id: string, props: SveltosSecretDistributionProps) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'an EsoCluster');
    props = typedProps<SveltosSecretDistributionProps>(
      this,
      SveltosSecretDistributionPropsSchema,
      props,
      {} as unknown as SveltosSecretDistributionProps,
    );
    this.cluster = EsoCluster.memberOf(this, 'a SveltosSecretDistribution');
    this.name = props.name ?? id;
    this.secret = props.secret;
    this.clusterSelector = props.clusterSelector;
    this.syncMode = props.syncMode ?? 'Continuous';
    this.props = props;
    this.node.addValidation({ validate: () => this.validateProps() });
  }

  /** Namespace of the source Secret (and of the template ConfigMap) on the management cluster. */
  public get sourceNamespace(): string {
    return this.secret?.namespace ?? '';
  }

  /** Namespace of the copy in the managed clusters. */
  public get targetNamespace(): string {
    return this.props.targetNamespace ?? this.sourceNamespace;
  }

  /** Name of the copy in the managed clusters. */
  public get targetName(): string {
    return this.props.targetName ?? this.secret?.targetName ?? '';
  }

  /** Name of the template ConfigMap. */
  public get configMapName(): string {
    return `sveltos-${this.name}`;
  }

  /** Problems that need the whole cluster: unique ClusterProfile names. */
  public check(): Problem[] {
    const twins = this.cluster.members(SveltosSecretDistribution).filter((d) => d !== this && d.name === this.name);
    return twins.length > 0 && twins[0] && this.node.path > twins[0].node.path
      ? [
          {
            path: this.node.path,
            message: `ClusterProfile "${this.name}" is declared twice in cluster "${this.cluster.name}" (also at ${twins[0].node.path}): give one of them another name.`,
          },
        ]
      : [];
  }

  private validateProps(): string[] {
    const out: string[] = [];
    const n = checkDnsLabel(this.name, 'ClusterProfile name');
    if (n) out.push(n);
    if (this.secret.cluster !== this.cluster)
      out.push(
        `secret "${this.secret.name}" is in cluster "${this.secret.cluster.name}", not in management cluster "${this.cluster.name}": create the distribution in the secret's cluster.`,
      );
    if (this.secret.kind !== 'ExternalSecret')
      out.push(
        `secret "${this.secret.name}" is a ClusterExternalSecret: distribute a namespaced ExternalSecret (set its namespace), whose single Secret Sveltos reads.`,
      );
    if (this.secret.target.creationPolicy === 'None')
      out.push(
        `secret "${this.secret.name}" has target.creationPolicy "None", so ESO writes no Secret for Sveltos to copy: use "Owner", "Orphan" or "Merge".`,
      );
    const sel = this.clusterSelector;
    if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
      out.push(
        `clusterSelector ${quoteValue(sel)} is empty and would match every managed cluster: select clusters by label, e.g. { matchLabels: { env: "prod" } }.`,
      );
    } else out.push(...checkLabelSelector(sel).map((m) => `clusterSelector: ${m}`));
    if (this.props.targetNamespace !== undefined) {
      const t = checkDnsLabel(this.props.targetNamespace, 'targetNamespace');
      if (t) out.push(t);
    }
    if (this.props.targetName !== undefined) {
      const t = checkDnsSubdomain(this.props.targetName, 'targetName');
      if (t) out.push(t);
    }
    return out;
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its ClusterProfile and ConfigMap). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link SveltosSecretDistribution.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}
