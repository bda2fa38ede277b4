/**
 * Argo CD wiring: one `Application` (argoproj.io/v1alpha1) per delivered directory, and a
 * multi-source `Application` per Helm release whose values file is generated, all under
 * `argocd/` with a kustomization (point an "app of apps" at it).
 */
import type { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as argo from '../../imports/argoproj.io.js';
import type { Problem } from '../model/errors.js';
import { checkUrl } from '../model/url.js';
import type { SynthContext } from '../compile/context.js';
import { Stage, type OutputSink, type Synthesizer } from '../compile/synthesizer.js';
import { CloudSpaceObjects } from '../targets/cloud-spaces.js';
import { canonicalManifest } from '../output/manifest.js';
import { argoCdApplicationPath } from '../output/layout.js';
import type { ControlPlaneProtection } from '../targets/protection.js';
import { isOneOf } from '../private/lists.js';
import {
  checkChart,
  checkDestinationNames,
  checkRepoPath,
  DELIVERY_GRANULARITIES,
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

/** Where Argo CD deploys a Space's or cluster's objects: a cluster registered in Argo CD. */
export interface ArgoCdDestination {
  /** API server URL of the cluster (`https://kubernetes.default.svc` for Argo CD's own cluster). Set this or `name`. @default none */
  readonly server?: string;
  /** Name of the cluster as registered in Argo CD (`in-cluster` for its own). Set this or `server`. @default none */
  readonly name?: string;
}

/** The Spaces chart as an Argo CD Helm source. */
export interface ArgoCdSpacesChartProps extends HelmChartProps {
  /**
   * Further values files, as paths from the repository root (e.g. `platform/spaces-base.yaml` with
   * the account and other settings). They come before the generated file, which thus wins on the
   * keys it sets.
   * @default none
   */
  readonly valueFiles?: readonly string[];
}

/** Props of {@link ArgoCdDelivery}. */
export interface ArgoCdDeliveryProps {
  /** Git repository holding the output directory, as registered in Argo CD. */
  readonly repoUrl: string;
  /**
   * Revision to sync (branch, tag or commit).
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * The output directory's path from the repository root.
   * @default 'dist'
   */
  readonly path?: string;
  /**
   * Argo CD project of the Applications.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * Namespace Argo CD runs in (the namespace of the Applications).
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Where each Space or ESO cluster is deployed, by its name. Only these are delivered. A Cloud
   * Space's entry is the control plane that runs provider-kubernetes (its wrapped objects are
   * delivered there), since Argo CD cannot sync a Cloud Space.
   */
  readonly destinations: Readonly<Record<string, ArgoCdDestination>>;
  /**
   * One Application per group directory, or one per Space / cluster directory.
   * @default 'group'
   */
  readonly granularity?: DeliveryGranularity;
  /**
   * Sync automatically (`syncPolicy.automated`).
   * @default true
   */
  readonly automated?: boolean;
  /**
   * Delete objects that were removed from Git (automated sync only). Group Namespaces and
   * ControlPlanes are never pruned while `protectControlPlanes` is on.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Revert changes made in the cluster (automated sync only).
   * @default true
   */
  readonly selfHeal?: boolean;
  /**
   * Apply with server-side apply (`ServerSideApply=true`): no `last-applied-configuration`
   * annotation, field ownership shared with the Spaces controllers.
   * @default true
   */
  readonly serverSideApply?: boolean;
  /**
   * Annotate every group Namespace and ControlPlane with
   * `argocd.argoproj.io/sync-options: Prune=false,Delete=false`, so that neither removing it from
   * Git nor deleting the Application deletes a control plane.
   * @default true
   */
  readonly protectControlPlanes?: boolean;
  /**
   * Install the Spaces chart on every delivered self-hosted Space with its generated values file
   * (a multi-source Application: the chart plus `$values` from this repository).
   * @default none (the Spaces release is managed elsewhere)
   */
  readonly spacesChart?: ArgoCdSpacesChartProps;
  /**
   * Install the ESO chart on every delivered ESO cluster with its generated values file.
   * @default none
   */
  readonly esoChart?: HelmChartProps;
}

/** Argo CD sync options annotation. */
export const ARGOCD_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** Argo CD sync wave annotation. */
export const ARGOCD_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Opt-in Argo CD wiring (a synthesizer at stage DELIVERY found in the construct tree):
 * `argocd/application-<name>.yaml` for every delivered directory — each group of a self-hosted
 * Space (`spaces/<space>/groups/<group>`), each group of a Cloud Space's wrapped objects
 * (`spaces/<space>/cloud-objects/<group>`), each ESO cluster (`clusters/<cluster>`) — and, when
 * configured, the Spaces and ESO Helm releases with their generated values files.
 *
 * Creating it also ensures a {@link CloudSpaceObjects} exists, so Cloud Spaces have their
 * wrapped objects.
 */
export class ArgoCdDelivery extends Construct implements Synthesizer, ControlPlaneProtection {
  /** Synthesizer name. */
  public readonly name = 'argocd';
  /** Synthesis stage: GitOps objects. */
  public readonly stage = Stage.DELIVERY;
  /** The props, with defaults applied where they have one. */
  public readonly repoUrl: string;
  /** Revision synced. */
  public readonly targetRevision: string;
  /** Path of the output directory in the repository. */
  public readonly path: string;
  /** Argo CD project. */
  public readonly project: string;
  /** Argo CD namespace. */
  public readonly namespace: string;
  /** Destinations by Space / cluster name. */
  public readonly destinations: Readonly<Record<string, ArgoCdDestination>>;
  /** Granularity. */
  public readonly granularity: DeliveryGranularity;
  private readonly props: ArgoCdDeliveryProps;

  public constructor(scope: Construct, id: string, props: ArgoCdDeliveryProps) {
    super(scope, id);
    this.props = props;
    this.repoUrl = props.repoUrl;
    this.targetRevision = props.targetRevision ?? 'HEAD';
    this.path = props.path ?? 'dist';
    this.project = props.project ?? 'default';
    this.namespace = props.namespace ?? 'argocd';
    this.destinations = { ...(props.destinations ?? {}) };
    this.granularity = props.granularity ?? 'group';
    CloudSpaceObjects.ensure(this);
  }

  /** Annotations on group Namespaces and ControlPlanes (empty when `protectControlPlanes` is off). */
  public get protectionAnnotations(): Readonly<Record<string, string>> {
    return this.props.protectControlPlanes === false ? {} : { [ARGOCD_SYNC_OPTIONS]: 'Prune=false,Delete=false' };
  }

  /** Problems of the props. */
  public check(ctx: SynthContext): Problem[] {
    const out: Problem[] = [];
    const p = (message: string): void => {
      out.push({ path: this.node.path, message });
    };
    const repo = checkUrl(this.repoUrl, 'repoUrl', {
      schemes: ['https', 'http', 'ssh'],
      scpLike: true,
      example: 'https://github.com/acme/platform.git',
      credentialsHint: 'a repository Secret registered in Argo CD',
    });
    if (repo) p(repo);
    out.push(...checkRepoPath(this, this.path));
    const names = Object.keys(this.destinations);
    out.push(...checkDestinationNames(this, ctx.root, names, 'destinations'));
    for (const [name, d] of Object.entries(this.destinations)) {
      if ((d.server === undefined) === (d.name === undefined))
        p(
          `destinations["${name}"] must set exactly one of server (the API server URL) and name (the cluster's name in Argo CD), got ${JSON.stringify(d)}.`,
        );
      const server =
        d.server === undefined
          ? undefined
          : checkUrl(d.server, `destinations["${name}"].server`, {
              schemes: ['https', 'http'],
              example: 'https://kubernetes.default.svc',
              credentialsHint: 'a cluster Secret registered in Argo CD',
            });
      if (server) p(server);
    }
    if (!isOneOf(DELIVERY_GRANULARITIES, this.granularity))
      p(`granularity ${JSON.stringify(this.granularity)} is not one of "group", "space".`);
    out.push(...checkChart(this, this.props.spacesChart, 'spacesChart'), ...checkChart(this, this.props.esoChart, 'esoChart'));
    out.push(
      ...duplicateNames(
        this,
        plannedNames(ctx.root, names, this.granularity, { spaces: !!this.props.spacesChart, eso: !!this.props.esoChart }),
        'Application',
      ),
    );
    return out;
  }

  /** Emits `argocd/application-<name>.yaml` per directory and per Helm release. */
  public emit(ctx: SynthContext, out: OutputSink): void {
    const targets = Object.keys(this.destinations);
    for (const unit of deliveryUnits(ctx, targets, this.granularity)) {
      out.addManifest(argoCdApplicationPath(unit.name), this.directoryApplication(unit), this);
    }
    for (const unit of helmUnits(ctx, targets, this.props.spacesChart, this.props.esoChart)) {
      out.addManifest(argoCdApplicationPath(unit.name), this.helmApplication(unit), this);
    }
  }

  private destination(target: string, namespace: string | undefined): argo.ApplicationSpecDestination {
    const d = this.destinations[target] ?? {};
    return { server: d.server, name: d.name, namespace };
  }

  private syncPolicy(extraOptions: readonly string[]): argo.ApplicationSpecSyncPolicy {
    const options = [...extraOptions];
    if (this.props.serverSideApply !== false) options.push('ServerSideApply=true');
    return {
      automated: this.props.automated === false ? undefined : { prune: this.props.prune ?? true, selfHeal: this.props.selfHeal ?? true },
      syncOptions: options.length > 0 ? options : undefined,
      retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
    };
  }

  private metadata(
    name: string,
    target: string,
    wave: number,
  ): { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> } {
    return {
      name,
      namespace: this.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'secrets-topology', 'secrets-topology/target': target },
      annotations: { [ARGOCD_SYNC_WAVE]: String(wave) },
    };
  }

  /** The Application of one directory. */
  public directoryApplication(unit: DeliveryUnit): Record<string, unknown> {
    return canonicalManifest(
      argo.Application.manifest({
        metadata: this.metadata(unit.name, unit.target, 0),
        spec: {
          project: this.project,
          source: { repoUrl: this.repoUrl, targetRevision: this.targetRevision, path: repoPath(this.path, unit.dir) },
          destination: this.destination(unit.target, unit.namespace),
          syncPolicy: this.syncPolicy([]),
        },
      }) as Record<string, unknown>,
    );
  }

  /** The multi-source Application of a Helm release: the chart, and this repository as `$values`. */
  public helmApplication(unit: HelmUnit): Record<string, unknown> {
    const c = unit.chart;
    const oci = c.repository.startsWith('oci://');
    const extra = unit.chartKind === 'spaces' ? (this.props.spacesChart?.valueFiles ?? []) : [];
    return canonicalManifest(
      argo.Application.manifest({
        // Wave -1: in an app of apps, the releases (and the CRDs they install) come first.
        metadata: this.metadata(unit.name, unit.target, -1),
        spec: {
          project: this.project,
          sources: [
            {
              // Argo CD takes an OCI Helm registry without the scheme (the repository is
              // registered with `enableOCI: "true"`).
              repoUrl: oci ? c.repository.slice('oci://'.length) : c.repository,
              chart: c.chart,
              targetRevision: c.version,
              helm: {
                releaseName: c.releaseName,
                valueFiles: [...extra.map((f) => `$values/${f.replace(/^\/+/, '')}`), `$values/${repoPath(this.path, unit.valuesPath)}`],
              },
            },
            { repoUrl: this.repoUrl, targetRevision: this.targetRevision, ref: 'values' },
          ],
          destination: this.destination(unit.target, c.namespace),
          syncPolicy: this.syncPolicy(['CreateNamespace=true']),
        },
      }) as Record<string, unknown>,
    );
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its Argo CD Applications). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link ArgoCdDelivery.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}
