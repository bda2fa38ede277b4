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
import { argoCdApplicationPath, argoCdApplicationSetPath } from '../output/layout.js';
import { quoteValue } from '../private/terminal.js';
import type { ControlPlaneProtection } from '../targets/protection.js';
import {
  checkChart,
  checkDestinationNames,
  checkHelmValues,
  checkValueFiles,
  ownedKeyConflicts,
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
import { ArgoCdDeliveryPropsSchema } from './props.js';

/** Where Argo CD deploys a Space's or cluster's objects: a cluster registered in Argo CD. */
export interface ArgoCdDestination {
  /** API server URL of the cluster (`https://kubernetes.default.svc` for Argo CD's own cluster). Set this or `name`. @default none */
  readonly server?: string;
  /** Name of the cluster as registered in Argo CD (`in-cluster` for its own). Set this or `server`. @default none */
  readonly name?: string;
}

/**
 * A chart (the Spaces chart, the ESO chart) as an Argo CD Helm source: the user's base values and
 * the generated values file. Helm merges value files in order, and Argo CD gives inline values
 * precedence over every values file; so the user's files come first and the generated file last
 * (it wins on the keys it sets), and the inline `values` may not set any key of the generated file
 * (they would win over it: each such key is a problem).
 */
export interface ArgoCdChartProps extends HelmChartProps {
  /**
   * Further values files, as paths from the repository root (e.g. `platform/spaces-base.yaml` with
   * the account and other settings). They come before the generated file, which thus wins on the
   * keys it sets.
   * @default none
   */
  readonly valueFiles?: readonly string[];
  /**
   * The user's base values inline (`helm.valuesObject`), e.g. `{ account: 'acme' }`: plain data
   * (objects, lists, strings, finite numbers, booleans, null). Argo CD applies them over every values
   * file, so they must leave alone the keys the generated values set (the shared-secrets feature, the
   * controller's workload identity): a conflict is a problem naming the key. Written into the
   * Application in Git: never put credentials here.
   * @default none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** The Spaces chart as an Argo CD Helm source (the same settings as {@link ArgoCdChartProps}). */
export type ArgoCdSpacesChartProps = ArgoCdChartProps;

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
  readonly spacesChart?: ArgoCdChartProps;
  /**
   * Install the ESO chart on every delivered ESO cluster with its generated values file.
   * @default none
   */
  readonly esoChart?: ArgoCdChartProps;
  /**
   * Deliver the directories of each Space or ESO cluster with one `ApplicationSet` whose list
   * generator has an element per directory (group), instead of one `Application` per directory.
   * The generated Applications are the same (names, paths, destinations, sync policy); the Helm
   * releases stay Applications. With `protectControlPlanes`, deleting the ApplicationSet keeps the
   * delivered objects (`preserveResourcesOnDeletion`).
   * @default false
   */
  readonly applicationSet?: boolean;
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
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'the TopologyApp');
    props = typedProps<ArgoCdDeliveryProps>(this, ArgoCdDeliveryPropsSchema, props, { repoUrl: '', destinations: {} });
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
          `destinations[${quoteValue(name)}] must set exactly one of server (the API server URL) and name (the cluster's name in Argo CD), got ${quoteValue(d)}.`,
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
    out.push(...checkChart(this, this.props.spacesChart, 'spacesChart'), ...checkChart(this, this.props.esoChart, 'esoChart'));
    for (const [what, chart] of [
      ['spacesChart', this.props.spacesChart],
      ['esoChart', this.props.esoChart],
    ] as const) {
      if (chart === undefined) continue;
      for (const m of checkValueFiles(chart.valueFiles, what)) p(m);
      if (chart.values === undefined) continue;
      const shape = checkHelmValues(chart.values, `${what}.values`);
      for (const m of shape) p(m);
      if (shape.length > 0) continue;
      // Conflicts with the generated values of every delivered release of this chart.
      const conflicts = new Map<string, string[]>();
      for (const unit of helmUnits(ctx, names, this.props.spacesChart, this.props.esoChart)) {
        if (unit.chartKind !== (what === 'spacesChart' ? 'spaces' : 'eso')) continue;
        for (const key of ownedKeyConflicts(chart.values, unit.valuesTree))
          conflicts.set(key, [...(conflicts.get(key) ?? []), unit.valuesPath]);
      }
      for (const [key, files] of conflicts)
        p(
          `${what}.values sets ${key}, which the generated values set (${files.join(', ')}): Argo CD applies inline values over every values file, so this one would override the topology. Remove it from values; change the topology instead (or, for a setting of your own below it, use a values file in valueFiles, which the generated file overrides).`,
        );
    }
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
    const units = deliveryUnits(ctx, targets, this.granularity);
    if (this.props.applicationSet === true) {
      for (const target of [...new Set(units.map((u) => u.target))]) {
        const own = units.filter((u) => u.target === target);
        out.addManifest(argoCdApplicationSetPath(target), this.applicationSet(target, own), this);
      }
    } else {
      for (const unit of units) out.addManifest(argoCdApplicationPath(unit.name), this.directoryApplication(unit), this);
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

  /**
   * The ApplicationSet of one Space or cluster: a list generator with an element per directory
   * (`name`, `path` and, for a Space's groups, `namespace`) and the Application of
   * {@link directoryApplication} as its template (Go templates, a missing key is an error).
   */
  public applicationSet(target: string, units: readonly DeliveryUnit[]): Record<string, unknown> {
    const namespaced = units.every((u) => u.namespace !== undefined);
    if (!namespaced && units.some((u) => u.namespace !== undefined))
      throw new Error(`ApplicationSet "${target}": some directories have a namespace and some have none`);
    const template = argo.Application.manifest({
      metadata: this.metadata('{{.name}}', target, 0),
      spec: {
        project: this.project,
        source: { repoUrl: this.repoUrl, targetRevision: this.targetRevision, path: '{{.path}}' },
        destination: this.destination(target, namespaced ? '{{.namespace}}' : undefined),
        syncPolicy: this.syncPolicy([]),
      },
    }) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    // The Applications are created in the ApplicationSet's namespace.
    const { namespace: _ns, ...templateMeta } = template.metadata;
    const elements = units.map((u) => ({
      name: u.name,
      path: repoPath(this.path, u.dir),
      ...(namespaced ? { namespace: u.namespace } : {}),
    }));
    const meta = this.metadata(target, target, 0);
    return canonicalManifest({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: meta,
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ list: { elements } }],
        template: { metadata: templateMeta, spec: template.spec },
        syncPolicy: this.props.protectControlPlanes === false ? undefined : { preserveResourcesOnDeletion: true },
      },
    });
  }

  /** The multi-source Application of a Helm release: the chart, and this repository as `$values`. */
  public helmApplication(unit: HelmUnit): Record<string, unknown> {
    const c = unit.chart;
    const oci = c.repository.startsWith('oci://');
    const chart = unit.chartKind === 'spaces' ? this.props.spacesChart : this.props.esoChart;
    const extra = chart?.valueFiles ?? [];
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
                // Applied over every values file: checked to set no key of the generated one.
                valuesObject: chart?.values,
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
