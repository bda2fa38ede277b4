/**
 * What a workload identity serves, independent of the target. The cloud planners (AWS, Azure,
 * GCP) take the same input for both targets:
 *
 * - an {@link IdentityOwner}: a Space (whose shared-secrets controllers run in every plane's host
 *   namespace) or a plain ESO cluster (whose ESO controller runs as one service account);
 * - a list of {@link IdentityUse}s: each secret object read from (or pushed to) a store that
 *   authenticates with the owner's identity, as a target-neutral {@link SecretNeed}, with the
 *   planes that read it (Spaces only).
 *
 * Spaces: every `SharedSecret` is a need. Plain ESO clusters: every `EsoExternalSecret` (its
 * `data` and `dataFrom`) and every `EsoPushSecret` (its pushed remote keys) is a need.
 */
import type { Construct } from 'constructs';
import type { Problem } from '../model/errors.js';
import { SHARED_SECRETS_SERVICE_ACCOUNT } from '../model/constants.js';
import type { ControlPlane } from '../model/control-plane.js';
import type { Space } from '../model/space.js';
import { SharedSecret, type DataFromSource } from '../secrets/shared-secret.js';
import type { SecretStoreProvider } from '../stores/provider.js';
import { SecretStore } from '../stores/secret-store.js';
import type { Placement } from '../resolve/placement.js';
import { cmp } from '../private/order.js';
import { clusterDir, esoValuesPath, iamDir, relativePath, spaceDir, spacesValuesPath } from '../output/layout.js';
import type { EsoCluster } from '../eso/cluster.js';
import type { AwsPushMetadata } from '../eso/push-metadata.js';
import type { ClusterSubject, PlaneSubject } from './plan.js';

/** One remote key a PushSecret writes. */
export interface PushedKey {
  /** Name (or path) of the secret in the backend. */
  readonly remoteKey: string;
  /** Whether ESO deletes it when the PushSecret is deleted (`deletionPolicy: Delete`). */
  readonly delete: boolean;
  /** How it is created and kept (AWS push metadata). @default none */
  readonly metadata?: AwsPushMetadata;
}

/**
 * What one secret object needs from its store: a Spaces `SharedSecret`, an ESO `ExternalSecret` /
 * `ClusterExternalSecret` (reads) or an ESO `PushSecret` (writes).
 */
export interface SecretNeed {
  /** Construct path of the object (the `neededBy` of the grants it causes). */
  readonly path: string;
  /** Remote keys read one by one (`data[].remoteKey`); with `metadataPolicy: Fetch`, their tags only. */
  readonly data: readonly { readonly remoteKey: string; readonly metadataPolicy?: string }[];
  /** Bulk sources (`dataFrom`: extract or find). */
  readonly dataFrom: readonly DataFromSource[];
  /** Remote keys written (PushSecret). */
  readonly pushes: readonly PushedKey[];
}

/** A store as the planners see it: its construct (path), name and provider. */
export type IdentityStore = Construct & { readonly name: string; readonly provider: SecretStoreProvider };

/** One secret object read or written through a workload-identity store, and the planes that read it. */
export interface IdentityUse<P extends SecretStoreProvider> {
  /** What the object needs. */
  readonly need: SecretNeed;
  /** Its store (authenticating with the owner's workload identity). */
  readonly store: IdentityStore;
  /** The store's provider. */
  readonly provider: P;
  /** Planes where the secret is written into at least one namespace, sorted (Spaces); empty for a cluster. */
  readonly planes: readonly ControlPlane[];
}

/** Who a workload identity belongs to, for paths, file locations and wording. */
export interface IdentityOwner {
  /** A Space (shared-secrets controllers per plane) or a plain ESO cluster (one ESO controller). */
  readonly kind: 'space' | 'cluster';
  /** Space or cluster name. */
  readonly name: string;
  /** The construct that problems point at and that owns the files. */
  readonly scope: Construct;
  /** Output directory of the owner: `spaces/<space>` or `clusters/<cluster>`. */
  readonly dir: string;
  /** The Helm values file that carries the identity, relative to `<dir>/iam/<cloud>/`. */
  readonly helmValues: string;
  /** `Space "x"` or `cluster "x"`, for messages. */
  readonly label: string;
  /** The ESO controller's service account (clusters only). */
  readonly serviceAccount?: ClusterSubject;
}

/** The owner of a Space's identity. */
export function spaceOwner(space: Space): IdentityOwner {
  return {
    kind: 'space',
    name: space.name,
    scope: space,
    dir: spaceDir(space),
    helmValues: relativePath(iamDir(spaceDir(space), space.cloud), spacesValuesPath(space)),
    label: `Space "${space.name}"`,
  };
}

/** The owner of a plain ESO cluster's identity. */
export function clusterOwner(cluster: EsoCluster): IdentityOwner {
  return {
    kind: 'cluster',
    name: cluster.name,
    scope: cluster,
    dir: clusterDir(cluster),
    helmValues: relativePath(iamDir(clusterDir(cluster), cluster.cloud), esoValuesPath(cluster)),
    label: `cluster "${cluster.name}"`,
    serviceAccount: clusterSubject(cluster),
  };
}

/** The ESO controller of a cluster as a trust subject. */
export function clusterSubject(cluster: EsoCluster): ClusterSubject {
  return { cluster: cluster.name, namespace: cluster.namespace, serviceAccount: cluster.serviceAccountName };
}

/** `system:serviceaccount:<namespace>:<name>`, the subject of a projected service-account token. */
export function serviceAccountTokenSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** What a shared secret reads. */
export function sharedSecretNeed(secret: SharedSecret): SecretNeed {
  return { path: secret.node.path, data: secret.data, dataFrom: secret.dataFrom, pushes: [] };
}

/** True when a need searches the backend (`dataFrom.find`). */
export function usesFind(need: SecretNeed): boolean {
  return need.dataFrom.some((d) => 'find' in d && d.find !== undefined);
}

/** Remote keys a need reads by name: `data[].remoteKey` and `dataFrom[].extract.key` (not empty). */
export function namedKeys(need: SecretNeed): string[] {
  const keys = [
    ...need.data.map((d) => d.remoteKey),
    ...need.dataFrom.flatMap((d) => ('extract' in d && d.extract ? [d.extract.key] : [])),
  ];
  return keys.filter((k): k is string => typeof k === 'string' && k !== '');
}

/** Which providers a planner handles. */
export type ProviderFilter<P extends SecretStoreProvider> = (p: SecretStoreProvider | undefined) => p is P;

/** The filter of the providers that are a `type`. */
export function providerOf<P extends SecretStoreProvider>(type: abstract new (...args: never[]) => P): ProviderFilter<P> {
  return (p): p is P => p instanceof type;
}

/**
 * Stores of a cluster that authenticate with its workload identity and whose provider passes
 * `filter`, in construct-tree order.
 */
export function clusterIdentityStores<P extends SecretStoreProvider>(
  cluster: EsoCluster,
  filter: ProviderFilter<P>,
): { store: IdentityStore; provider: P }[] {
  const out: { store: IdentityStore; provider: P }[] = [];
  for (const store of cluster.stores) {
    const provider = store.provider;
    if (filter(provider) && store.usesWorkloadIdentity) out.push({ store, provider });
  }
  return out;
}

/**
 * Every external secret and push secret of a cluster whose store authenticates with the cluster's
 * workload identity through a provider that passes `filter`, in construct-tree order (external
 * secrets first).
 */
export function clusterIdentityUses<P extends SecretStoreProvider>(cluster: EsoCluster, filter: ProviderFilter<P>): IdentityUse<P>[] {
  return clusterUses(cluster, new Map<Construct, P>(clusterIdentityStores(cluster, filter).map((s) => [s.store, s.provider])));
}

/** Every external secret and push secret of a cluster whose store is one of `stores`, in construct-tree order (external secrets first). */
export function clusterUses<P extends SecretStoreProvider>(cluster: EsoCluster, stores: ReadonlyMap<Construct, P>): IdentityUse<P>[] {
  const out: IdentityUse<P>[] = [];
  for (const s of cluster.externalSecrets) {
    const provider = s.store ? stores.get(s.store) : undefined;
    if (provider)
      out.push({ need: { path: s.node.path, data: s.data, dataFrom: s.dataFrom, pushes: [] }, store: s.store, provider, planes: [] });
  }
  for (const p of cluster.pushSecrets) {
    const provider = p.store ? stores.get(p.store) : undefined;
    if (!provider) continue;
    // One push per entry (entries of one remote key may carry different metadata; equal needs merge later).
    const entries = p.data.filter((d) => typeof d.remoteKey === 'string' && d.remoteKey !== '');
    out.push({
      need: {
        path: p.node.path,
        data: [],
        dataFrom: [],
        pushes: entries.map((d) => ({
          remoteKey: d.remoteKey,
          delete: p.deletionPolicy === 'Delete',
          ...(d.metadata ? { metadata: d.metadata } : {}),
        })),
      },
      store: p.store,
      provider,
      planes: [],
    });
  }
  return out;
}

/**
 * Stores of `space` that authenticate with the Space's workload identity and whose provider is a
 * passes `filter`, in construct-tree order.
 */
export function workloadIdentityStores<P extends SecretStoreProvider>(
  space: Space,
  filter: ProviderFilter<P>,
): { store: SecretStore; provider: P }[] {
  const out: { store: SecretStore; provider: P }[] = [];
  for (const store of SecretStore.all(space)) {
    const provider = store.provider;
    if (filter(provider) && store.usesWorkloadIdentity) out.push({ store, provider });
  }
  return out;
}

/**
 * Every shared secret of `space` read from a workload-identity store whose provider passes `filter`,
 * with the planes that read it (planes the secret reaches with no namespace never read it).
 */
export function workloadIdentityUses<P extends SecretStoreProvider>(
  space: Space,
  placement: Placement,
  filter: ProviderFilter<P>,
): IdentityUse<P>[] {
  const stores = new Map(workloadIdentityStores(space, filter).map((s) => [s.store, s.provider]));
  const out: IdentityUse<P>[] = [];
  for (const secret of SharedSecret.all(space)) {
    const provider = secret.store ? stores.get(secret.store) : undefined;
    if (!provider) continue;
    const planes = placement
      .ofSecret(secret)
      .filter((r) => r.namespaces.length > 0)
      .map((r) => r.plane)
      .sort(comparePlanes);
    out.push({ need: sharedSecretNeed(secret), store: secret.store, provider, planes });
  }
  return out;
}

/** Orders planes by group name, then plane name. */
export function comparePlanes(a: ControlPlane, b: ControlPlane): number {
  return cmp(a.group.name, b.group.name) || cmp(a.name, b.name);
}

/**
 * The plane as a trust subject, or undefined while its host namespace is unknown: its
 * shared-secrets controller's service account, or `serviceAccount` (a store's own identity).
 */
export function planeSubject(plane: ControlPlane, serviceAccount: string = SHARED_SECRETS_SERVICE_ACCOUNT): PlaneSubject | undefined {
  const hostNamespace = plane.hostNamespace;
  if (!hostNamespace) return undefined;
  return {
    space: plane.group.space.name,
    group: plane.group.name,
    plane: plane.name,
    environment: plane.environment?.name,
    hostNamespace,
    ...(serviceAccount !== SHARED_SECRETS_SERVICE_ACCOUNT ? { serviceAccount } : {}),
  };
}

/** Kubernetes service-account subject of a plane's ESO: `system:serviceaccount:<ns>:external-secrets-controller`. */
export function serviceAccountSubject(hostNamespace: string): string {
  return serviceAccountTokenSubject(hostNamespace, SHARED_SECRETS_SERVICE_ACCOUNT);
}

/** The problem of a plane whose host namespace is needed (as a trust subject) but unknown. */
export function unknownHostNamespace(plane: ControlPlane, identity: string, needs: string): Problem {
  return {
    path: plane.node.path,
    message:
      `control plane "${plane.name}" reads shared secrets through ${identity}, but its host namespace is unknown, and ${needs}: ` +
      `set "controlPlaneId" (kubectl get controlplane ${plane.name} -n ${plane.group.name} -o jsonpath='{.status.controlPlaneID}') ` +
      `or "hostNamespace" on the plane.`,
  };
}
