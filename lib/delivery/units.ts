/**
 * What GitOps tools deliver: the output directories of the targets (a Space's groups, a Cloud
 * Space's wrapped objects, an ESO cluster) and the Helm releases fed with generated values.
 * Shared by the Argo CD and Flux wiring so that both point at the same directories.
 */
import type { Construct } from 'constructs';
import type { Problem } from '../model/errors.js';
import { Group } from '../model/group.js';
import { checkUrl } from '../model/url.js';
import { Space } from '../model/space.js';
import type { SynthContext } from '../compile/context.js';
import { helmValuesText } from '../output/helm-values.js';
import { hasObjectsIn } from '../targets/objects.js';
import { EsoCluster } from '../eso/cluster.js';
import { quoteValue } from '../private/terminal.js';
import { cmp } from '../private/order.js';
import { cloudObjectsDir, cloudObjectsRoot, clusterDir, groupDir, spaceDir } from '../output/layout.js';

/** The granularities of a delivery: one GitOps object per group directory, or per Space (or cluster) directory. */
export const DELIVERY_GRANULARITIES = ['group', 'space'] as const;
/** One Application / Kustomization per group directory, or one per Space (or cluster) directory. */
export type DeliveryGranularity = (typeof DELIVERY_GRANULARITIES)[number];

/** What a delivery target is: a self-hosted Space, a Cloud Space (its wrapped objects) or an ESO cluster. */
export type DeliveryTargetKind = 'space' | 'cloud-space' | 'cluster';

/** A directory of manifests delivered to one cluster. */
export interface DeliveryUnit {
  /** Name of the Space or cluster (the key of the destinations). */
  readonly target: string;
  /** Kind of target. */
  readonly targetKind: DeliveryTargetKind;
  /** Name of the GitOps object (Application, Kustomization), unique per delivery. */
  readonly name: string;
  /** Directory relative to the output directory; it has a kustomization.yaml. */
  readonly dir: string;
  /** Namespace for objects without one (a group's namespace), if any. */
  readonly namespace?: string;
  /** The construct the unit comes from. */
  readonly owner: Construct;
}

/** Settings of a Helm chart a delivery installs. */
export interface HelmChartProps {
  /**
   * The chart repository: `oci://<registry>/<path>` for an OCI registry (the chart is
   * `<repository>/<chart>`), or an `https://` Helm repository URL.
   * @default the chart's public repository (Spaces: `oci://xpkg.upbound.io/spaces-artifacts`, ESO: `https://charts.external-secrets.io`)
   */
  readonly repository?: string;
  /**
   * Chart name.
   * @default 'spaces' or 'external-secrets'
   */
  readonly chart?: string;
  /** Chart version, e.g. `1.17.0` (pinned: no ranges). */
  readonly version: string;
  /**
   * Helm release name.
   * @default 'spaces' or 'external-secrets'
   */
  readonly releaseName?: string;
  /**
   * Namespace of the release.
   * @default 'upbound-system' for Spaces, the cluster's ESO namespace for ESO
   */
  readonly namespace?: string;
}

/** A Helm release whose values file is generated. */
export interface HelmUnit {
  /** Name of the Space or cluster. */
  readonly target: string;
  /** Which chart. */
  readonly chartKind: 'spaces' | 'eso';
  /** Name of the GitOps objects of the release, unique per delivery. */
  readonly name: string;
  /** Repository, chart, version, release name and namespace (defaults applied). */
  readonly chart: Required<HelmChartProps>;
  /** The generated values file, relative to the output directory. */
  readonly valuesPath: string;
  /** Its content. */
  readonly values: string;
  /** The generated values as data (the keys the topology owns). */
  readonly valuesTree: Readonly<Record<string, unknown>>;
  /** The construct the unit comes from. */
  readonly owner: Construct;
}

/** Defaults of the Spaces chart. */
export const SPACES_CHART = {
  repository: 'oci://xpkg.upbound.io/spaces-artifacts',
  chart: 'spaces',
  releaseName: 'spaces',
  namespace: 'upbound-system',
} as const;
/** Defaults of the ESO chart. */
export const ESO_CHART = {
  repository: 'https://charts.external-secrets.io',
  chart: 'external-secrets',
  releaseName: 'external-secrets',
} as const;

/**
 * Problems of a destination map: unknown names (typos), nothing to deliver, a Space and an ESO
 * cluster sharing a name.
 */
export function checkDestinationNames(owner: Construct, root: Construct, names: readonly string[], what: string): Problem[] {
  const out: Problem[] = [];
  const spaces = Space.all(root).map((s) => s.name);
  const clusters = EsoCluster.all(root).map((c) => c.name);
  const known = [...spaces, ...clusters];
  if (names.length === 0)
    out.push({
      path: owner.node.path,
      message: `${what} is empty: add an entry per Space or ESO cluster to deliver (known: ${known.map((k) => `"${k}"`).join(', ') || 'none'}).`,
    });
  for (const n of names) {
    if (!known.includes(n))
      out.push({
        path: owner.node.path,
        message: `${what} names "${n}", which is neither a Space nor an ESO cluster: use one of ${known.map((k) => `"${k}"`).join(', ') || '(none declared)'}.`,
      });
    if (spaces.includes(n) && clusters.includes(n))
      out.push({
        path: owner.node.path,
        message: `"${n}" is both a Space and an ESO cluster, so ${what}["${n}"] is ambiguous: rename one of them.`,
      });
  }
  return out;
}

/**
 * The directories to deliver for the named targets, in target order (Spaces, then clusters),
 * skipping directories without objects of the targets.
 */
export function deliveryUnits(ctx: SynthContext, targets: readonly string[], granularity: DeliveryGranularity): DeliveryUnit[] {
  const root = ctx.root;
  const wanted = new Set(targets);
  const units: DeliveryUnit[] = [];
  const push = (u: DeliveryUnit): void => {
    if (hasObjectsIn(ctx.targets, u.dir)) units.push(u);
  };
  for (const space of Space.all(root).filter((s) => wanted.has(s.name))) {
    const cloud = space.hosting === 'cloud';
    const targetKind: DeliveryTargetKind = cloud ? 'cloud-space' : 'space';
    if (granularity === 'space') {
      push({ target: space.name, targetKind, name: space.name, dir: cloud ? cloudObjectsRoot(space) : spaceDir(space), owner: space });
      continue;
    }
    for (const group of Group.all(space)) {
      push({
        target: space.name,
        targetKind,
        name: `${space.name}-${group.name}`,
        dir: cloud ? cloudObjectsDir(group) : groupDir(group),
        namespace: cloud ? undefined : group.name,
        owner: group,
      });
    }
  }
  for (const cluster of EsoCluster.all(root).filter((c) => wanted.has(c.name))) {
    push({ target: cluster.name, targetKind: 'cluster', name: cluster.name, dir: clusterDir(cluster), owner: cluster });
  }
  return units;
}

/**
 * The Helm releases to deliver for the named targets: the Spaces chart of each self-hosted Space
 * (when `spaces` is set) and the ESO chart of each ESO cluster (when `eso` is set), each with the
 * text of its values file from the context.
 */
export function helmUnits(ctx: SynthContext, targets: readonly string[], spaces?: HelmChartProps, esoChart?: HelmChartProps): HelmUnit[] {
  const wanted = new Set(targets);
  const units: HelmUnit[] = [];
  if (spaces) {
    for (const [space, file] of ctx.helm.spaces) {
      if (!wanted.has(space.name)) continue;
      units.push({
        target: space.name,
        chartKind: 'spaces',
        name: `${space.name}-spaces`,
        chart: { ...SPACES_CHART, ...defined(spaces), version: spaces.version },
        valuesPath: file.path,
        values: helmValuesText(file),
        valuesTree: file.values,
        owner: space,
      });
    }
  }
  if (esoChart) {
    for (const [cluster, file] of ctx.helm.eso) {
      if (!wanted.has(cluster.name)) continue;
      units.push({
        target: cluster.name,
        chartKind: 'eso',
        name: `${cluster.name}-external-secrets`,
        chart: { ...ESO_CHART, namespace: cluster.namespace, ...defined(esoChart), version: esoChart.version },
        valuesPath: file.path,
        values: helmValuesText(file),
        valuesTree: file.values,
        owner: cluster,
      });
    }
  }
  return units;
}

/** Problems of a chart setting. */
export function checkChart(owner: Construct, chart: HelmChartProps | undefined, what: string): Problem[] {
  if (!chart) return [];
  const out: string[] = [];
  if (typeof chart.version !== 'string' || !/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(chart.version))
    out.push(`${what}.version ${quoteValue(chart.version)} is not a pinned chart version: use an exact version such as "1.17.0".`);
  const repository =
    chart.repository === undefined
      ? undefined
      : checkUrl(chart.repository, `${what}.repository`, {
          schemes: ['oci', 'https', 'http'],
          example: 'oci://xpkg.upbound.io/spaces-artifacts',
          credentialsHint: "the GitOps tool's registry or repository credentials",
        });
  if (repository) out.push(repository);
  else if (chart.repository?.endsWith('/')) out.push(`${what}.repository ${quoteValue(chart.repository)} ends with "/": remove it.`);
  return out.map((message) => ({ path: owner.node.path, message }));
}

/** Names used twice among units (the GitOps objects would collide). */
export function duplicateNames(owner: Construct, names: readonly { name: string; what: string }[], kind: string): Problem[] {
  const seen = new Map<string, string>();
  const out: Problem[] = [];
  for (const { name, what } of names) {
    const other = seen.get(name);
    if (other !== undefined)
      out.push({
        path: owner.node.path,
        message: `${kind} "${name}" would be generated for both ${other} and ${what}: rename one of them (names are "<space>-<group>", "<cluster>", "<space>-spaces", "<cluster>-external-secrets").`,
      });
    else seen.set(name, what);
  }
  return out;
}

/** The unit names a delivery would produce, before emission (for duplicate checks). */
export function plannedNames(
  root: Construct,
  targets: readonly string[],
  granularity: DeliveryGranularity,
  helm: { spaces: boolean; eso: boolean },
): { name: string; what: string }[] {
  const wanted = new Set(targets);
  const out: { name: string; what: string }[] = [];
  for (const space of Space.all(root).filter((s) => wanted.has(s.name))) {
    if (granularity === 'space') out.push({ name: space.name, what: `Space "${space.name}"` });
    else
      for (const g of Group.all(space)) out.push({ name: `${space.name}-${g.name}`, what: `group "${g.name}" of Space "${space.name}"` });
    if (helm.spaces && space.hosting === 'self-hosted')
      out.push({ name: `${space.name}-spaces`, what: `the Spaces release of "${space.name}"` });
  }
  for (const c of EsoCluster.all(root).filter((x) => wanted.has(x.name))) {
    out.push({ name: c.name, what: `ESO cluster "${c.name}"` });
    if (helm.eso) out.push({ name: `${c.name}-external-secrets`, what: `the ESO release of "${c.name}"` });
  }
  return out;
}

/** `obj` without undefined values. */
function defined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Joins the repository path of the output with a path inside it: `dist` + `spaces/a` → `dist/spaces/a`. */
export function repoPath(basePath: string, rel: string): string {
  const base = basePath.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  return base === '' || base === '.' ? rel : `${base}/${rel}`;
}

/** Problems of the repository path of the output directory. */
export function checkRepoPath(owner: Construct, path: string): Problem[] {
  if (typeof path !== 'string' || path.startsWith('/') || path.split('/').includes('..')) {
    return [
      {
        path: owner.node.path,
        message: `path ${quoteValue(path)} must be the output directory relative to the repository root, e.g. "dist" (no leading "/", no "..").`,
      },
    ];
  }
  return [];
}

/** Deepest nesting of user Helm values. */
const VALUES_MAX_DEPTH = 64;

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** A key path as messages show it: `a.b["c.d"][0]`. */
function keyPath(path: readonly (string | number)[]): string {
  return path
    .map((k, i) =>
      typeof k === 'number' ? `[${k}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${quoteValue(k)}]`,
    )
    .join('');
}

/**
 * Problems of user Helm values given inline: a plain object whose values are objects, lists,
 * strings, finite numbers, booleans and null (what YAML and JSON can carry), without cycles, at
 * most 64 levels deep, and without a `__proto__` key (which JavaScript objects do not keep as data).
 */
export function checkHelmValues(values: unknown, what: string): string[] {
  if (!isPlainObject(values))
    return [`${what} must be a plain object of Helm values, e.g. { account: "acme" }, got ${quoteValue(values)}.`];
  const out: string[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: (string | number)[]): void => {
    const kp = keyPath(path);
    const at = kp.startsWith('[') ? `${what}${kp}` : `${what}.${kp}`;
    if (path.length > VALUES_MAX_DEPTH) {
      out.push(`${what} is nested more than ${VALUES_MAX_DEPTH} levels deep at ${at}: flatten it.`);
      return;
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) out.push(`${at} is ${String(v)}, which YAML and JSON cannot carry: use a finite number or a string.`);
      return;
    }
    if (v === undefined) {
      out.push(`${at} is undefined: remove the key, or use null to unset a chart default.`);
      return;
    }
    if (typeof v === 'object' && seen.has(v)) {
      out.push(`${at} refers back to a value that contains it (a cycle): Helm values are a tree; copy the value instead.`);
      return;
    }
    if (Array.isArray(v)) {
      seen.add(v);
      v.forEach((x, i) => walk(x, [...path, i]));
      seen.delete(v);
      return;
    }
    if (isPlainObject(v)) {
      seen.add(v);
      for (const k of Object.keys(v)) {
        if (k === '__proto__') out.push(`${at} has a key "__proto__", which JavaScript objects do not keep as data: rename it.`);
        else walk(v[k], [...path, k]);
      }
      seen.delete(v);
      return;
    }
    const kind =
      typeof v === 'object'
        ? ((Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object')
        : typeof v;
    out.push(`${at} is a ${kind}, not plain data: use objects, lists, strings, numbers, booleans or null.`);
  };
  for (const k of Object.keys(values)) {
    if (k === '__proto__') out.push(`${what} has a key "__proto__", which JavaScript objects do not keep as data: rename it.`);
    else walk(values[k], [k]);
  }
  return out;
}

/**
 * The keys of the user's `values` that would override the generated values `owned`, as key paths:
 * every key the generated values set to a value that is not a non-empty map (a scalar, a list, an
 * empty map: the topology decides all of it), and every map of the generated values the user
 * replaces with something that is not a map (or null, which Helm reads as "delete").
 */
export function ownedKeyConflicts(values: Readonly<Record<string, unknown>>, owned: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const walk = (user: Record<string, unknown>, gen: Record<string, unknown>, path: string[]): void => {
    for (const k of Object.keys(user).sort(cmp)) {
      if (!Object.prototype.hasOwnProperty.call(gen, k)) continue;
      const u = user[k];
      const g = gen[k];
      const here = [...path, k];
      const gMap = isPlainObject(g) && Object.keys(g).length > 0;
      if (gMap && isPlainObject(u)) walk(u, g, here);
      else out.push(keyPath(here));
    }
  };
  walk(values, owned, []);
  return out;
}

/** Problems of the user's values files of an Argo CD Helm source: paths from the repository root. */
export function checkValueFiles(files: unknown, what: string): string[] {
  if (files === undefined) return [];
  if (!Array.isArray(files)) return [`${what}.valueFiles must be a list of paths from the repository root, got ${quoteValue(files)}.`];
  const out: string[] = [];
  files.forEach((f: unknown, i) => {
    const at = `${what}.valueFiles[${i}]`;
    if (typeof f !== 'string' || f.trim() === '')
      out.push(`${at} ${quoteValue(f)} must be a path from the repository root, e.g. "platform/spaces-base-values.yaml".`);
    else if (f.startsWith('$') || f.includes('\\') || /[\u0000-\u001f\u007f]/.test(f) || f.split('/').includes('..'))
      out.push(
        `${at} ${quoteValue(f)} must be a plain path from the repository root (no "$" reference, "..", "\\" or control characters): it is read as "$values/<path>" from this repository, e.g. "platform/spaces-base-values.yaml".`,
      );
  });
  return out;
}
