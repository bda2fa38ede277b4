/**
 * The layout of the output directory: every path a synthesis writes is built here, and only here.
 * Paths are relative to the output directory and `/`-separated. The functions take the names of
 * Spaces, groups and clusters (any object with a `name`), so this module depends on nothing else.
 *
 * ```
 * REPORT.md, report.json                          review report (index)
 * spaces/<space>/                                 a Space: kustomization root of its groups
 *   report.json                                   the Space's part of the review report
 *   groups/<group>/<kind>-<name>.yaml             Shared* objects, ControlPlanes; namespace.yaml
 *   helm/spaces-values.yaml, helm/helm-set-flags.txt
 *   iam/<cloud>/                                  IAM documents of the Space's identity
 *   cloud-objects/<group>/object-<kind>-<name>.yaml  Cloud Spaces: the wrapped Shared* objects
 * clusters/<cluster>/                             a plain ESO cluster
 *   <kind>-<name>.yaml, namespaces/<ns>/<kind>-<name>.yaml
 *   helm/eso-values.yaml, iam/<cloud>/
 * argocd/application-<name>.yaml                  Argo CD wiring
 * flux/<kind>-<name>.yaml                         Flux wiring
 * <dir>/kustomization.yaml                        in every manifest directory and aggregation root
 * ```
 */

/**
 * How the Kubernetes objects of the output are laid out in files. Either way every manifest
 * directory (a group, a cluster, a cluster namespace, `argocd/`, ...) has its kustomization.
 */
export const OutputLayout = {
  /** One file per object, `<dir>/<kind>-<name>.yaml` (reviewable one object at a time). */
  FILE_PER_OBJECT: 'file-per-object',
  /**
   * One multi-document YAML file per manifest directory, `<dir>/<dir name>.k8s.yaml`, as cdk8s
   * writes one file per chart; the objects in the order of their file-per-object paths.
   */
  FILE_PER_GROUP: 'file-per-group',
} as const;
/** One of {@link OutputLayout}. */
export type OutputLayout = (typeof OutputLayout)[keyof typeof OutputLayout];
/** Every {@link OutputLayout}. */
export const OUTPUT_LAYOUTS = [OutputLayout.FILE_PER_OBJECT, OutputLayout.FILE_PER_GROUP] as const;

/** Something with a name: a Space, an ESO cluster. */
export interface Named {
  readonly name: string;
}

/** A group of a Space. */
export interface GroupRef extends Named {
  readonly space: Named;
}

/** The first lines of a Kubernetes object, enough to name its file. */
export interface ObjectRef {
  readonly kind: string;
  readonly metadata: { readonly name: string };
}

/** File name kustomize looks for. */
export const KUSTOMIZATION = 'kustomization.yaml';
/** The Markdown review report. */
export const REPORT_MD = 'REPORT.md';
/** The JSON review report (the index; each Space has its own part). */
export const REPORT_JSON = 'report.json';
/** Directory of the Argo CD objects. */
export const ARGOCD_DIR = 'argocd';
/** Directory of the Flux objects. */
export const FLUX_DIR = 'flux';

/** `<kind>-<name>.yaml`: the file of an object inside its directory. */
function objectFile(kind: string, name: string): string {
  return `${kind.toLowerCase()}-${name}.yaml`;
}

// Spaces

/** Directory of a Space's output (groups, Helm values, IAM, report part). */
export function spaceDir(space: Named): string {
  return `spaces/${space.name}`;
}

/** Directory of a group's manifests. */
export function groupDir(group: GroupRef): string {
  return `${spaceDir(group.space)}/groups/${group.name}`;
}

/** File of a Spaces object of a group: `namespace.yaml` for the group Namespace, else `<kind>-<name>.yaml` (unique in a group). */
export function groupObjectPath(group: GroupRef, object: ObjectRef): string {
  return `${groupDir(group)}/${object.kind === 'Namespace' ? 'namespace.yaml' : objectFile(object.kind, object.metadata.name)}`;
}

/** The Spaces chart values of a self-hosted Space. */
export function spacesValuesPath(space: Named): string {
  return `${spaceDir(space)}/helm/spaces-values.yaml`;
}

/** The same values as `helm --set` flags. */
export function helmSetFlagsPath(space: Named): string {
  return `${spaceDir(space)}/helm/helm-set-flags.txt`;
}

/** Directory of a Cloud Space's wrapped objects (all groups): an aggregation root of its own. */
export function cloudObjectsRoot(space: Named): string {
  return `${spaceDir(space)}/cloud-objects`;
}

/** Directory of one group's wrapped objects. */
export function cloudObjectsDir(group: GroupRef): string {
  return `${cloudObjectsRoot(group.space)}/${group.name}`;
}

/** File of the provider-kubernetes Object wrapping `kind/name` of a group. */
export function cloudObjectPath(group: GroupRef, kind: string, name: string): string {
  return `${cloudObjectsDir(group)}/object-${objectFile(kind, name)}`;
}

/** The JSON review report of one Space. */
export function spaceReportPath(space: string): string {
  return `${spaceDir({ name: space })}/${REPORT_JSON}`;
}

// Plain ESO clusters

/** Directory of a cluster's output. */
export function clusterDir(cluster: Named): string {
  return `clusters/${cluster.name}`;
}

/**
 * File of an object of a cluster: `clusters/<c>/<kind>-<name>.yaml` for cluster-scoped objects,
 * `clusters/<c>/namespaces/<ns>/<kind>-<name>.yaml` for namespaced ones (unique per cluster).
 */
export function clusterObjectPath(cluster: Named, kind: string, name: string, namespace?: string): string {
  const dir = namespace === undefined ? clusterDir(cluster) : `${clusterDir(cluster)}/namespaces/${namespace}`;
  return `${dir}/${objectFile(kind, name)}`;
}

/** The ESO chart values of a cluster. */
export function esoValuesPath(cluster: Named): string {
  return `${clusterDir(cluster)}/helm/eso-values.yaml`;
}

// Identity

/** Directory of the IAM documents of a Space's or cluster's identity on one cloud. */
export function iamDir(ownerDir: string, cloud: string): string {
  return `${ownerDir}/iam/${cloud}`;
}

/** Where `to` is seen from directory `from` (both relative to the output directory), e.g. `../../helm/x.yaml`. */
export function relativePath(from: string, to: string): string {
  const a = from.split('/');
  const b = to.split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}

// Delivery

/** An Argo CD Application. */
export function argoCdApplicationPath(name: string): string {
  return `${ARGOCD_DIR}/${objectFile('Application', name)}`;
}

/** An Argo CD ApplicationSet. */
export function argoCdApplicationSetPath(name: string): string {
  return `${ARGOCD_DIR}/${objectFile('ApplicationSet', name)}`;
}

/** A Flux object (`gitrepository-<name>.yaml`, `helmrelease-<name>.yaml`, ...). */
export function fluxObjectPath(kind: string, name: string): string {
  return `${FLUX_DIR}/${objectFile(kind, name)}`;
}

/**
 * The one file of the objects of manifest directory `dir` in the {@link OutputLayout.FILE_PER_GROUP}
 * layout: `<dir>/<last segment of dir>.k8s.yaml` (`app.k8s.yaml` at the top level).
 */
export function groupManifestPath(dir: string): string {
  return dir === '' ? 'app.k8s.yaml' : `${dir}/${dir.slice(dir.lastIndexOf('/') + 1)}.k8s.yaml`;
}

/** The directory of an output path (`''` at the top level). */
export function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** The kustomization of a directory. */
export function kustomizationPath(dir: string): string {
  return `${dir}/${KUSTOMIZATION}`;
}

/**
 * The aggregation root whose kustomization lists manifest directory `dir`: its nearest proper
 * ancestor among `extraRoots`, else its second-level directory (`spaces/<space>`,
 * `clusters/<cluster>`); undefined for a directory at the first or second level.
 */
export function aggregationRoot(dir: string, extraRoots: ReadonlySet<string>): string | undefined {
  const parts = dir.split('/');
  for (let n = parts.length - 1; n >= 2; n--) {
    const candidate = parts.slice(0, n).join('/');
    if (extraRoots.has(candidate)) return candidate;
  }
  return parts.length > 2 ? parts.slice(0, 2).join('/') : undefined;
}
