/**
 * Projection preview: for every control plane, the objects Spaces will create in it from the
 * Shared* objects of its group, computed from the same {@link Placement} the selectors come from.
 *
 * - a `ClusterSecretStore` per `SharedSecretStore` that reaches the plane: named like the store,
 *   with `provider.upboundspaces.storeRef.name` = the SharedSecretStore's name, usable only from
 *   the reached namespaces (the cloud credentials stay on the host);
 * - a `ClusterExternalSecret` per `SharedExternalSecret` that reaches the plane, and in each reached
 *   namespace the Kubernetes Secret (target name) ESO writes.
 */
import type { Construct } from 'constructs';
import { ControlPlane } from '../model/control-plane.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';
import { effectiveRefreshInterval } from '../resolve/refresh.js';
import type { Placement } from '../resolve/placement.js';
import { cmp } from '../private/order.js';

/** A `ClusterSecretStore` Spaces projects into a plane. */
export interface ProjectedStore {
  /** Name of the ClusterSecretStore (= the SharedSecretStore's name). */
  readonly name: string;
  /** Construct path of the store. */
  readonly store: string;
  /** The projected provider: `{ upboundspaces: { storeRef: { name } } }`. */
  readonly provider: { readonly upboundspaces: { readonly storeRef: { readonly name: string } } };
  /** The backend behind it, e.g. `AWS Secrets Manager (eu-central-1)`. */
  readonly backend: string;
  /** `static credentials <secret name>` or `workload identity (<mode>)`. */
  readonly auth: string;
  /** Namespaces of the plane that may use it, sorted (empty: projected but usable nowhere). */
  readonly namespaces: readonly string[];
}

/** A `ClusterExternalSecret` Spaces projects into a plane, and the Secrets it writes. */
export interface ProjectedSecret {
  /** Name of the ClusterExternalSecret (= the SharedExternalSecret's name). */
  readonly name: string;
  /** Construct path of the shared secret. */
  readonly secret: string;
  /** Name of the ClusterSecretStore it reads from. */
  readonly store: string;
  /** Name of the Kubernetes Secret written in each namespace. */
  readonly target: string;
  /** Namespaces that get the Secret, sorted. */
  readonly namespaces: readonly string[];
  /** Effective refresh interval. */
  readonly refreshInterval: string;
}

/** Everything Spaces creates in one plane. */
export interface PlaneProjection {
  /** `<space>/<group>/<plane>`. */
  readonly key: string;
  readonly space: string;
  readonly group: string;
  readonly plane: string;
  /** Construct path of the plane. */
  readonly path: string;
  /** Environment name, if any. */
  readonly environment?: string;
  /** Whether the plane's environment is a production environment. */
  readonly production: boolean;
  /** Host namespace of the plane's ESO, when known. */
  readonly hostNamespace?: string;
  /** Projected stores, sorted by name. */
  readonly clusterSecretStores: readonly ProjectedStore[];
  /** Projected secrets, sorted by name. */
  readonly clusterExternalSecrets: readonly ProjectedSecret[];
}

/** How a store authenticates, in a few words. */
export function describeAuth(store: SecretStore): string {
  const c = store.provider?.credentials;
  if (c) return `static credentials (Secret ${c.secretName})`;
  const id = store.group.space.identity;
  return id ? `workload identity (${id.mode})` : 'workload identity (none configured)';
}

/** The projection preview of every plane below `root`, sorted by space, group and plane. */
export function projectionPreview(root: Construct, placement: Placement): PlaneProjection[] {
  const stores = new Map<ControlPlane, ProjectedStore[]>();
  const secrets = new Map<ControlPlane, ProjectedSecret[]>();
  for (const store of SecretStore.all(root)) {
    for (const r of placement.ofStore(store)) {
      const list = stores.get(r.plane) ?? [];
      list.push({
        name: store.name,
        store: store.node.path,
        provider: { upboundspaces: { storeRef: { name: store.name } } },
        backend: store.provider?.describe() ?? 'unknown',
        auth: describeAuth(store),
        namespaces: [...r.namespaces],
      });
      stores.set(r.plane, list);
    }
  }
  for (const secret of SharedSecret.all(root)) {
    for (const r of placement.ofSecret(secret)) {
      const list = secrets.get(r.plane) ?? [];
      list.push({
        name: secret.name,
        secret: secret.node.path,
        store: secret.store?.name ?? '',
        target: secret.targetName,
        namespaces: [...r.namespaces],
        refreshInterval: effectiveRefreshInterval(secret, placement),
      });
      secrets.set(r.plane, list);
    }
  }
  return ControlPlane.all(root)
    .map((p): PlaneProjection => ({
      key: `${p.group.space.name}/${p.group.name}/${p.name}`,
      space: p.group.space.name,
      group: p.group.name,
      plane: p.name,
      path: p.node.path,
      environment: p.environment?.name,
      production: p.environment?.production ?? false,
      hostNamespace: p.hostNamespace,
      clusterSecretStores: [...(stores.get(p) ?? [])].sort((a, b) => cmp(a.name, b.name)),
      clusterExternalSecrets: [...(secrets.get(p) ?? [])].sort((a, b) => cmp(a.name, b.name)),
    }))
    .sort((a, b) => cmp(a.space, b.space) || cmp(a.group, b.group) || cmp(a.plane, b.plane));
}
