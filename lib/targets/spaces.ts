import { ApiObject } from 'cdk8s';
import * as spaces from '../../imports/spaces.upbound.io.js';
import type { Placement } from '../analysis/placement.js';
import { GROUP_LABEL } from '../model/constants.js';
import { ControlPlane } from '../model/control-plane.js';
import { Group } from '../model/group.js';
import type { SpacesSelector } from '../model/selectors.js';
import { parseGoDuration } from '../model/validation.js';
import { externalSecretSpec } from '../secrets/external-secret-spec.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';

/** The mutable selector shape of the generated bindings (both Shared* kinds share it structurally). */
type TypedSelector = spaces.SharedSecretStoreSpecControlPlaneSelector;

/** Converts a normalized selector into the typed binding's shape. */
export function typedSelector(s: SpacesSelector): TypedSelector {
  return {
    names: s.names ? [...s.names] : undefined,
    labelSelectors: s.labelSelectors?.map((l) => ({
      matchLabels: l.matchLabels ? { ...l.matchLabels } : undefined,
      matchExpressions: l.matchExpressions?.map((e) => ({ key: e.key, operator: e.operator, values: e.values ? [...e.values] : undefined })),
    })),
  };
}

/**
 * The refresh interval of a secret: its own, else the shortest default of the environments of the
 * planes it reaches, else `1h`.
 */
export function effectiveRefreshInterval(secret: SharedSecret, placement: Placement): string {
  if (secret.refreshInterval !== undefined) return secret.refreshInterval;
  const candidates = placement
    .ofSecret(secret)
    .map((r) => r.plane.environment?.refreshInterval)
    .filter((d): d is string => d !== undefined)
    .map((d) => ({ d, ms: parseGoDuration(d) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.ms - b.ms || (a.d < b.d ? -1 : 1));
  return candidates[0]?.d ?? '1h';
}

/** Emits the group's `Namespace` (with an empty `spec`), labelled as a Spaces group. */
function emitNamespace(group: Group): ApiObject {
  return new ApiObject(group, 'Namespace', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: group.name, labels: { ...group.namespaceLabels, [GROUP_LABEL]: 'true' } },
    spec: {},
  });
}

/** Emits a `ControlPlane` carrying the labels the selectors are evaluated against. */
function emitControlPlane(plane: ControlPlane): ApiObject {
  return new spaces.ControlPlane(plane, 'Resource', {
    metadata: { name: plane.name, namespace: plane.group.name, labels: { ...plane.labels } },
    spec: plane.explicitHostNamespace ? { hostNamespace: { name: plane.explicitHostNamespace } } : {},
  });
}

/** Emits the `SharedSecretStore` of a store. */
function emitStore(store: SecretStore): ApiObject {
  return new spaces.SharedSecretStore(store, 'Resource', {
    metadata: { name: store.name, namespace: store.group.name },
    spec: {
      controlPlaneSelector: typedSelector(store.planes.toSelector()),
      namespaceSelector: typedSelector(store.namespaces.toSelector()),
      provider: store.provider.toSpacesProvider(store.group.space.identity),
      refreshInterval: store.refreshInterval,
      retrySettings: store.retry ? { maxRetries: store.retry.maxRetries, retryInterval: store.retry.retryInterval } : undefined,
    },
  });
}

/** Emits the `SharedExternalSecret` of a secret, pointing at its store's projected `ClusterSecretStore`. */
function emitSecret(secret: SharedSecret, placement: Placement): ApiObject {
  return new spaces.SharedExternalSecret(secret, 'Resource', {
    metadata: { name: secret.name, namespace: secret.group.name },
    spec: {
      controlPlaneSelector: typedSelector(secret.planes.toSelector()),
      namespaceSelector: typedSelector(secret.namespaces.toSelector()),
      externalSecretSpec: externalSecretSpec({
        storeName: secret.store.name,
        storeKind: 'ClusterSecretStore',
        refreshInterval: effectiveRefreshInterval(secret, placement),
        refreshPolicy: secret.refreshPolicy,
        target: secret.target,
        targetName: secret.targetName,
        data: secret.data,
        dataFrom: secret.dataFrom,
      }),
    },
  });
}

/**
 * The Spaces target: per group, its Namespace and ControlPlanes (when managed), a
 * `SharedSecretStore` per store and a `SharedExternalSecret` per secret.
 */
export function emitSpacesObjects(group: Group, placement: Placement): ApiObject[] {
  const out: ApiObject[] = [];
  if (group.manageNamespace) out.push(emitNamespace(group));
  if (group.manageControlPlanes) out.push(...group.members(ControlPlane).map(emitControlPlane));
  out.push(...group.members(SecretStore).map(emitStore));
  out.push(...group.members(SharedSecret).map((s) => emitSecret(s, placement)));
  return out;
}
