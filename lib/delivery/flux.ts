/**
 * Flux wiring: per delivered Space / ESO cluster a `GitRepository` (source.toolkit.fluxcd.io/v1)
 * reduced to that target's directory, per delivered directory a `Kustomization`
 * (kustomize.toolkit.fluxcd.io/v1), and per Helm release with generated values an
 * `OCIRepository` / `HelmRepository`, a `HelmRelease` (helm.toolkit.fluxcd.io/v2) and the
 * `ConfigMap` holding the values — all in one namespace of the cluster Flux runs on, under `flux/`.
 *
 * Values as an inline ConfigMap (not a kustomize `configMapGenerator`): kustomize only reads
 * files inside the kustomization's own directory, and the values file lives in
 * `spaces/<space>/helm/`, outside `flux/`; moving the HelmRelease into `spaces/<space>/helm/`
 * would mix objects of the Flux cluster into a Space's directory. Both files are rendered from
 * the same string, and the ConfigMap carries `reconcile.fluxcd.io/watch: Enabled` so that
 * helm-controller upgrades the release when it changes.
 */
import type { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as helm from '../../imports/helm.toolkit.fluxcd.io.js';
import * as kustomize from '../../imports/kustomize.toolkit.fluxcd.io.js';
import * as source from '../../imports/source.toolkit.fluxcd.io.js';
import type { Problem } from '../model/errors.js';
import { Space } from '../model/space.js';
import { checkUrl } from '../model/url.js';
import { checkDnsLabel, checkDnsSubdomain, checkGoDuration } from '../model/validation.js';
import type { SynthContext } from '../compile/context.js';
import { Stage, type OutputSink, type Synthesizer } from '../compile/synthesizer.js';
import { CloudSpaceObjects } from '../targets/cloud-spaces.js';
import { EsoCluster } from '../eso/cluster.js';
import { configMapManifest } from '../output/core-objects.js';
import { clusterDir, fluxObjectPath, spaceDir } from '../output/layout.js';
import { canonicalManifest } from '../output/manifest.js';
import type { ControlPlaneProtection } from '../targets/protection.js';
import { isDnsSubdomain } from '../private/k8s-names.js';
import { quoteValue } from '../private/terminal.js';
import {
  checkChart,
  checkDestinationNames,
  checkRepoPath,
  deliveryUnits,
  duplicateNames,
  helmUnits,
  plannedNames,
  repoPath,
  type DeliveryGranularity,
  type DeliveryUnit,
  type HelmChartProps,
  type HelmUnit,
} from './units.js';
import { addJsonPatches, type ObjectSelector } from '../model/patch.js';
import { checkConstructArgs, constructArgs, typedProps } from '../model/typed.js';
import { FluxDeliveryPropsSchema } from './props.js';

/** Flux's per-object opt-out of garbage collection. */
export const FLUX_PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
/** Label that makes helm-controller watch a values ConfigMap. */
export const FLUX_WATCH_LABEL = 'reconcile.fluxcd.io/watch';
/** Key of the values in the generated ConfigMaps. */
export const VALUES_KEY = 'values.yaml';

/** Where Flux applies a Space's or cluster's objects. */
export interface FluxTarget {
  /**
   * Secret (in the Flux namespace) with a kubeconfig of the remote cluster
   * (`spec.kubeConfig.secretRef`).
   * @default none: the cluster Flux runs on
   */
  readonly kubeConfigSecret?: string;
  /**
   * Key of the kubeconfig in that Secret.
   * @default Flux's default (`value` or `value.yaml`)
   */
  readonly kubeConfigKey?: string;
}

/** Git reference Flux follows. */
export interface FluxGitRef {
  /** @default 'main' unless tag or commit is set */
  readonly branch?: string;
  /** @default none */
  readonly tag?: string;
  /** @default none */
  readonly commit?: string;
}

/** A further values source of a release (before the generated one, which wins on its keys). */
export interface FluxValuesReference {
  /** ConfigMap or Secret in the Flux namespace. */
  readonly kind: 'ConfigMap' | 'Secret';
  /** Its name. */
  readonly name: string;
  /** @default 'values.yaml' */
  readonly valuesKey?: string;
}

/** What helm-controller does with the CRDs in a chart's `crds/` directory (`install.crds`, `upgrade.crds`). */
export const FLUX_CRD_POLICIES = ['Skip', 'Create', 'CreateReplace'] as const;
/** A CRD policy of a Helm install or upgrade: skip the chart's CRDs, create missing ones, or also replace existing ones. */
export type FluxCrdPolicy = (typeof FLUX_CRD_POLICIES)[number];
/** How helm-controller remediates a failed upgrade (`upgrade.remediation.strategy`). */
export const FLUX_UPGRADE_REMEDIATIONS = ['rollback', 'uninstall'] as const;
/** Roll back to the last successful release, or uninstall the release. */
export type FluxUpgradeRemediation = (typeof FLUX_UPGRADE_REMEDIATIONS)[number];

/** Install settings of a Flux Helm release (`spec.install`). */
export interface FluxHelmInstallOptions {
  /**
   * Retries of a failed install (`remediation.retries`); the release is uninstalled between two
   * attempts. `-1` retries forever.
   * @default 3
   */
  readonly retries?: number;
  /**
   * Uninstall the release when the last retry failed too (`remediation.remediateLastFailure`).
   * Off by default: a failed first install is left in place to be inspected (nothing ran before it).
   * @default false
   */
  readonly remediateLastFailure?: boolean;
  /**
   * What to do with the CRDs of the chart's `crds/` directory on install. `CreateReplace` also
   * replaces CRDs that exist already (e.g. left by an earlier release), so they match the chart version.
   * @default 'CreateReplace'
   */
  readonly crds?: FluxCrdPolicy;
}

/** Upgrade settings of a Flux Helm release (`spec.upgrade`). */
export interface FluxHelmUpgradeOptions {
  /**
   * Retries of a failed upgrade (`remediation.retries`), remediated with `strategy` between two
   * attempts. `-1` retries forever.
   * @default 3
   */
  readonly retries?: number;
  /**
   * Remediate when the last retry failed too (`remediation.remediateLastFailure`): with `rollback`,
   * the previous release (and the shared-secrets controllers' identity) keeps running.
   * @default true
   */
  readonly remediateLastFailure?: boolean;
  /**
   * How a failed upgrade is remediated (`remediation.strategy`).
   * @default 'rollback'
   */
  readonly strategy?: FluxUpgradeRemediation;
  /**
   * Delete the objects a failed upgrade created (`cleanupOnFail`).
   * @default true
   */
  readonly cleanupOnFail?: boolean;
  /**
   * What to do with the CRDs of the chart's `crds/` directory on upgrade. Flux's own default is
   * `Skip`, which leaves the CRDs of the first installed version behind when the chart moves on;
   * `CreateReplace` upgrades them with the chart.
   * @default 'CreateReplace'
   */
  readonly crds?: FluxCrdPolicy;
}

/** A chart installed by Flux. */
export interface FluxChartProps extends HelmChartProps {
  /**
   * Further values sources (e.g. the Spaces account settings), before the generated values.
   * @default none
   */
  readonly valuesFrom?: readonly FluxValuesReference[];
  /**
   * Name of a Secret in the Flux namespace with the chart registry's credentials (`spec.secretRef`
   * of the OCIRepository or HelmRepository): for an OCI registry such as the Spaces chart's
   * `xpkg.upbound.io`, a `kubernetes.io/dockerconfigjson` Secret; for an HTTPS Helm repository, one
   * with `username` and `password`. The name only: the model never holds the credentials.
   * @default none (a public registry)
   */
  readonly secretRef?: string;
  /**
   * Install settings: retries, remediation, CRD policy.
   * @default { retries: 3, remediateLastFailure: false, crds: 'CreateReplace' }
   */
  readonly install?: FluxHelmInstallOptions;
  /**
   * Upgrade settings: retries, remediation, CRD policy.
   * @default { retries: 3, remediateLastFailure: true, strategy: 'rollback', cleanupOnFail: true, crds: 'CreateReplace' }
   */
  readonly upgrade?: FluxHelmUpgradeOptions;
}

/** Props of {@link FluxDelivery}. */
export interface FluxDeliveryProps {
  /** Git URL of the repository holding the output directory. */
  readonly url: string;
  /** @default { branch: 'main' } */
  readonly ref?: FluxGitRef;
  /**
   * Secret with the Git credentials, in the Flux namespace.
   * @default none (a public repository)
   */
  readonly secretRef?: string;
  /**
   * The output directory's path from the repository root.
   * @default 'dist'
   */
  readonly path?: string;
  /**
   * Namespace of the Flux objects.
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * Where each Space or ESO cluster is applied, by its name. Only these are delivered; at most one
   * may be the cluster Flux runs on (no kubeconfig). A Cloud Space's entry is the control plane
   * that runs provider-kubernetes (its wrapped objects are applied there).
   */
  readonly targets: Readonly<Record<string, FluxTarget>>;
  /**
   * One Kustomization per group directory, or one per Space / cluster directory.
   * @default 'group'
   */
  readonly granularity?: DeliveryGranularity;
  /**
   * Garbage-collect objects removed from Git (`spec.prune`). Group Namespaces and ControlPlanes
   * carry `kustomize.toolkit.fluxcd.io/prune: disabled` while `protectControlPlanes` is on.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Annotate every group Namespace and ControlPlane with `kustomize.toolkit.fluxcd.io/prune: disabled`.
   * @default true
   */
  readonly protectControlPlanes?: boolean;
  /**
   * Reconcile interval of the Kustomizations and HelmReleases.
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * Poll interval of the sources.
   * @default '1m'
   */
  readonly sourceInterval?: string;
  /**
   * Install the Spaces chart on every delivered self-hosted Space with its generated values.
   * @default none
   */
  readonly spacesChart?: FluxChartProps;
  /**
   * Install the ESO chart on every delivered ESO cluster with its generated values.
   * @default none
   */
  readonly esoChart?: FluxChartProps;
}

/**
 * Opt-in Flux wiring (a synthesizer at stage DELIVERY found in the construct tree). Apply `flux/`
 * (it has a kustomization) to the cluster Flux runs on, e.g. with a Kustomization of its own
 * pointing at `./dist/flux`.
 */
export class FluxDelivery extends Construct implements Synthesizer, ControlPlaneProtection {
  /** Synthesizer name. */
  public readonly name = 'flux';
  /** Synthesis stage: GitOps objects. */
  public readonly stage = Stage.DELIVERY;
  /** Git URL. */
  public readonly url: string;
  /** Path of the output directory in the repository. */
  public readonly path: string;
  /** Flux namespace. */
  public readonly namespace: string;
  /** Targets by Space / cluster name. */
  public readonly targets: Readonly<Record<string, FluxTarget>>;
  /** Granularity. */
  public readonly granularity: DeliveryGranularity;
  /** Reconcile interval. */
  public readonly interval: string;
  /** Source poll interval. */
  public readonly sourceInterval: string;
  private readonly props: FluxDeliveryProps;

  public constructor(scope: Construct, id: string, props: FluxDeliveryProps) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'the TopologyApp');
    props = typedProps<FluxDeliveryProps>(this, FluxDeliveryPropsSchema, props, { url: '', targets: {} });
    this.props = props;
    this.url = props.url;
    this.path = props.path ?? 'dist';
    this.namespace = props.namespace ?? 'flux-system';
    this.targets = { ...(props.targets ?? {}) };
    this.granularity = props.granularity ?? 'group';
    this.interval = props.interval ?? '10m';
    this.sourceInterval = props.sourceInterval ?? '1m';
    CloudSpaceObjects.ensure(this);
  }

  /** Annotations on group Namespaces and ControlPlanes (empty when `protectControlPlanes` is off). */
  public get protectionAnnotations(): Readonly<Record<string, string>> {
    return this.props.protectControlPlanes === false ? {} : { [FLUX_PRUNE_ANNOTATION]: 'disabled' };
  }

  /** Problems of the props. */
  public check(ctx: SynthContext): Problem[] {
    const out: Problem[] = [];
    const p = (message: string): void => {
      out.push({ path: this.node.path, message });
    };
    const url = checkUrl(this.url, 'url', {
      schemes: ['https', 'http', 'ssh'],
      example: 'ssh://git@github.com/acme/platform.git',
      credentialsHint: 'secretRef (a Secret in the Flux namespace)',
    });
    if (url) p(url);
    out.push(...checkRepoPath(this, this.path));
    const ns = checkDnsLabel(this.namespace, 'namespace');
    if (ns) p(ns);
    const ref = this.props.ref;
    if (ref && [ref.branch, ref.tag, ref.commit].filter((x) => x !== undefined).length !== 1)
      p(`ref ${quoteValue(ref)} must set exactly one of branch, tag and commit.`);
    for (const [what, d] of [
      ['interval', this.interval],
      ['sourceInterval', this.sourceInterval],
    ] as const) {
      const m = checkGoDuration(d);
      if (m) p(`${what}: ${m}`);
    }
    const names = Object.keys(this.targets);
    out.push(...checkDestinationNames(this, ctx.root, names, 'targets'));
    const local = names.filter((n) => this.targets[n]?.kubeConfigSecret === undefined);
    if (local.length > 1)
      p(
        `targets ${local.map((n) => `"${n}"`).join(', ')} all have no kubeConfigSecret, so they would all be applied to the cluster Flux runs on: give all but one a kubeConfigSecret.`,
      );
    for (const [name, t] of Object.entries(this.targets)) {
      if (t.kubeConfigSecret !== undefined) {
        const m = checkDnsSubdomain(t.kubeConfigSecret, `targets["${name}"].kubeConfigSecret`);
        if (m) p(m);
      }
      if (t.kubeConfigKey !== undefined && t.kubeConfigSecret === undefined)
        p(`targets["${name}"].kubeConfigKey is set without kubeConfigSecret: set the Secret too, or remove the key.`);
    }
    out.push(...checkChart(this, this.props.spacesChart, 'spacesChart'), ...checkChart(this, this.props.esoChart, 'esoChart'));
    for (const [what, chart] of [
      ['spacesChart', this.props.spacesChart],
      ['esoChart', this.props.esoChart],
    ] as const) {
      if (chart !== undefined) for (const m of fluxChartProblems(chart, what)) p(m);
    }
    out.push(
      ...duplicateNames(
        this,
        plannedNames(ctx.root, names, this.granularity, { spaces: !!this.props.spacesChart, eso: !!this.props.esoChart }),
        'Flux object',
      ),
    );
    return out;
  }

  /** Emits the sources, Kustomizations and Helm releases under `flux/`. */
  public emit(ctx: SynthContext, out: OutputSink): void {
    const targets = Object.keys(this.targets);
    const units = deliveryUnits(ctx, targets, this.granularity);
    const sources = [...new Set(units.map((u) => u.target))];
    const dirOf = new Map<string, string>();
    for (const s of Space.all(ctx.root)) dirOf.set(s.name, spaceDir(s));
    for (const c of EsoCluster.all(ctx.root)) if (!dirOf.has(c.name)) dirOf.set(c.name, clusterDir(c));
    for (const target of sources) {
      out.addManifest(fluxObjectPath('GitRepository', target), this.gitRepository(target, dirOf.get(target) ?? ''), this);
    }
    for (const unit of units) out.addManifest(fluxObjectPath('Kustomization', unit.name), this.kustomization(unit), this);
    for (const unit of helmUnits(ctx, targets, this.props.spacesChart, this.props.esoChart)) {
      const oci = unit.chart.repository.startsWith('oci://');
      out.addManifest(
        fluxObjectPath(oci ? 'OCIRepository' : 'HelmRepository', unit.name),
        oci ? this.ociRepository(unit) : this.helmRepository(unit),
        this,
      );
      out.addManifest(fluxObjectPath('ConfigMap', valuesConfigMapName(unit)), this.valuesConfigMap(unit), this);
      out.addManifest(fluxObjectPath('HelmRelease', unit.name), this.helmRelease(unit), this);
    }
  }

  private metadata(name: string, target: string): { name: string; namespace: string; labels: Record<string, string> } {
    return {
      name,
      namespace: this.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'secrets-topology', 'secrets-topology/target': target },
    };
  }

  private kubeConfig(target: string): { secretRef: { name: string; key?: string } } | undefined {
    const t = this.targets[target];
    if (!t?.kubeConfigSecret) return undefined;
    return { secretRef: t.kubeConfigKey === undefined ? { name: t.kubeConfigSecret } : { name: t.kubeConfigSecret, key: t.kubeConfigKey } };
  }

  /** The GitRepository of a target, checking out only its directory. */
  public gitRepository(target: string, dir: string): Record<string, unknown> {
    const ref = this.props.ref ?? { branch: 'main' };
    return canonicalManifest(
      source.GitRepository.manifest({
        metadata: this.metadata(target, target),
        spec: {
          url: this.url,
          ref: { branch: ref.branch, tag: ref.tag, commit: ref.commit },
          interval: this.sourceInterval,
          secretRef: this.props.secretRef ? { name: this.props.secretRef } : undefined,
          // Only this target's directory: smaller artifacts, and no other target's files.
          sparseCheckout: [repoPath(this.path, dir)],
        },
      }) as Record<string, unknown>,
    );
  }

  /** The Kustomization of one directory. */
  public kustomization(unit: DeliveryUnit): Record<string, unknown> {
    return canonicalManifest(
      kustomize.Kustomization.manifest({
        metadata: this.metadata(unit.name, unit.target),
        spec: {
          sourceRef: { kind: kustomize.KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: unit.target },
          path: `./${repoPath(this.path, unit.dir)}`,
          interval: this.interval,
          retryInterval: '1m',
          prune: this.props.prune ?? true,
          kubeConfig: this.kubeConfig(unit.target),
        },
      }) as Record<string, unknown>,
    );
  }

  /** The OCIRepository of a chart in an OCI registry. */
  public ociRepository(unit: HelmUnit): Record<string, unknown> {
    return canonicalManifest(
      source.OciRepository.manifest({
        metadata: this.metadata(unit.name, unit.target),
        spec: {
          url: `${unit.chart.repository}/${unit.chart.chart}`,
          ref: { tag: unit.chart.version },
          interval: this.sourceInterval,
          layerSelector: {
            mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
            operation: source.OciRepositorySpecLayerSelectorOperation.COPY,
          },
          secretRef: this.chartSecretRef(unit),
        },
      }) as Record<string, unknown>,
    );
  }

  /** The HelmRepository of a chart in an HTTPS Helm repository. */
  public helmRepository(unit: HelmUnit): Record<string, unknown> {
    return canonicalManifest(
      source.HelmRepository.manifest({
        metadata: this.metadata(unit.name, unit.target),
        spec: { url: unit.chart.repository, interval: '1h', secretRef: this.chartSecretRef(unit) },
      }) as Record<string, unknown>,
    );
  }

  /** The chart settings of a release as given (Spaces or ESO). */
  private chartProps(unit: HelmUnit): FluxChartProps | undefined {
    return unit.chartKind === 'spaces' ? this.props.spacesChart : this.props.esoChart;
  }

  /** `spec.secretRef` of a release's chart source, when the chart names registry credentials. */
  private chartSecretRef(unit: HelmUnit): { name: string } | undefined {
    const name = this.chartProps(unit)?.secretRef;
    return name === undefined ? undefined : { name };
  }

  /** The ConfigMap holding a release's generated values file, byte for byte. */
  public valuesConfigMap(unit: HelmUnit): Record<string, unknown> {
    const meta = this.metadata(valuesConfigMapName(unit), unit.target);
    return configMapManifest({
      name: meta.name,
      namespace: meta.namespace,
      labels: { ...meta.labels, [FLUX_WATCH_LABEL]: 'Enabled' },
      annotations: { 'secrets-topology/source': repoPath(this.path, unit.valuesPath) },
      data: { [VALUES_KEY]: unit.values },
    });
  }

  /** The HelmRelease of a chart, fed with the generated values (last, so they win). */
  public helmRelease(unit: HelmUnit): Record<string, unknown> {
    const c = unit.chart;
    const oci = c.repository.startsWith('oci://');
    const props = this.chartProps(unit);
    const extra = props?.valuesFrom ?? [];
    const install = { ...FLUX_INSTALL_DEFAULTS, ...definedOnly(props?.install ?? {}) };
    const upgrade = { ...FLUX_UPGRADE_DEFAULTS, ...definedOnly(props?.upgrade ?? {}) };
    const H = helm;
    return canonicalManifest(
      helm.HelmRelease.manifest({
        metadata: this.metadata(unit.name, unit.target),
        spec: {
          interval: this.interval,
          releaseName: c.releaseName,
          targetNamespace: c.namespace,
          storageNamespace: c.namespace,
          install: {
            createNamespace: true,
            crds: install.crds as helm.HelmReleaseSpecInstallCrds,
            remediation: { retries: install.retries, remediateLastFailure: install.remediateLastFailure },
          },
          upgrade: {
            crds: upgrade.crds as helm.HelmReleaseSpecUpgradeCrds,
            cleanupOnFail: upgrade.cleanupOnFail,
            remediation: {
              retries: upgrade.retries,
              remediateLastFailure: upgrade.remediateLastFailure,
              strategy: upgrade.strategy as helm.HelmReleaseSpecUpgradeRemediationStrategy,
            },
          },
          chartRef: oci ? { kind: H.HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: unit.name } : undefined,
          chart: oci
            ? undefined
            : {
                spec: {
                  chart: c.chart,
                  version: c.version,
                  sourceRef: { kind: H.HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: unit.name },
                },
              },
          valuesFrom: [
            ...extra.map((v) => ({
              kind: v.kind === 'Secret' ? H.HelmReleaseSpecValuesFromKind.SECRET : H.HelmReleaseSpecValuesFromKind.CONFIG_MAP,
              name: v.name,
              valuesKey: v.valuesKey ?? VALUES_KEY,
            })),
            { kind: H.HelmReleaseSpecValuesFromKind.CONFIG_MAP, name: valuesConfigMapName(unit), valuesKey: VALUES_KEY },
          ],
          kubeConfig: this.kubeConfig(unit.target),
        },
      }) as Record<string, unknown>,
    );
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its Flux sources, Kustomizations, HelmReleases and values ConfigMaps). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link FluxDelivery.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}

/** The install settings when none are given. */
export const FLUX_INSTALL_DEFAULTS: Required<FluxHelmInstallOptions> = { retries: 3, remediateLastFailure: false, crds: 'CreateReplace' };
/** The upgrade settings when none are given. */
export const FLUX_UPGRADE_DEFAULTS: Required<FluxHelmUpgradeOptions> = {
  retries: 3,
  remediateLastFailure: true,
  strategy: 'rollback',
  cleanupOnFail: true,
  crds: 'CreateReplace',
};

/** `obj` without its undefined members, so that defaults fill them. */
function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Problems of the Flux-only settings of a chart (`secretRef`, `install`, `upgrade`), each one
 * sentence with the fix. The registry Secret's name is never repeated when it is not a name: a
 * credential pasted there must not reach the CI log.
 */
export function fluxChartProblems(chart: FluxChartProps, what: string): string[] {
  // Types, closed lists and unknown settings are the props schema's (delivery/props.ts).
  const out: string[] = [];
  if (chart.secretRef !== undefined && !isDnsSubdomain(chart.secretRef))
    out.push(
      `${what}.secretRef (${chart.secretRef.length} characters, not shown: it may be a credential) is not a Secret name: give the name of a Secret in the Flux namespace that holds the registry credentials (lowercase letters, digits, '-' and '.', e.g. "spaces-registry"), never the credentials themselves.`,
    );
  for (const [section, o] of [
    ['install', chart.install],
    ['upgrade', chart.upgrade],
  ] as const) {
    if (o === undefined) continue;
    if (o.retries !== undefined && o.retries < -1)
      out.push(
        `${what}.${section}.retries ${quoteValue(o.retries)} is not a number of retries: use a whole number from 0 (no retry), or -1 to retry forever.`,
      );
    if (o.retries === -1 && o.remediateLastFailure === true)
      out.push(
        `${what}.${section} sets remediateLastFailure with retries -1: with unlimited retries there is no last failure to remediate; set a number of retries, or remove remediateLastFailure.`,
      );
  }
  return out;
}

/** Name of the values ConfigMap of a release. */
export function valuesConfigMapName(unit: HelmUnit): string {
  return `${unit.name}-values`;
}
