import type { Construct } from 'constructs';
import * as spaces from '../../imports/spaces.upbound.io.js';
import type { Placement } from '../resolve/placement.js';
import { effectiveRefreshInterval } from '../resolve/refresh.js';
import { GROUP_LABEL } from '../model/constants.js';
import { ControlPlane } from '../model/control-plane.js';
import { Group } from '../model/group.js';
import type { SpacesSelector } from '../model/selectors.js';
import { externalSecretSpec } from '../secrets/external-secret-spec.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';
import { isOneOf } from '../private/lists.js';
import { namespaceManifest } from '../output/core-objects.js';
import { groupObjectPath } from '../output/layout.js';
import type { Manifest } from '../output/manifest.js';
import { sortKeys } from '../output/render.js';
import { PROTECTED_KINDS } from './protection.js';

/** The mutable selector shape of the generated bindings (both Shared* kinds share it structurally). */
type TypedSelector = spaces.SharedSecretStoreSpecControlPlaneSelector;

/** Converts a normalized selector into the typed binding's shape. */
export function typedSelector(s: SpacesSelector): TypedSelector {
  return {
    names: s.names ? [...s.names] : undefined,
    labelSelectors: s.labelSelectors?.map((l) => ({
      matchLabels: l.matchLabels ? { ...l.matchLabels } : undefined,
      matchExpressions: l.matchExpressions?.map((e) => ({
        key: e.key,
        operator: e.operator,
        values: e.values ? [...e.values] : undefined,
      })),
    })),
  };
}

/**
 * A Kubernetes object of the Spaces target: its JSON (plain data, as the typed bindings' `manifest`
 * renders it) and the construct it comes from.
 */
export interface SpacesObject {
  /** The construct the object comes from (named in errors). */
  readonly owner: Construct;
  /** The object. */
  readonly manifest: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; annotations?: Record<string, string> } & Record<string, unknown>;
  } & Record<string, unknown>;
}

/** The group's `Namespace` (cdk8s-plus's, with an empty `spec`), labelled as a Spaces group. */
function namespaceObject(group: Group): SpacesObject {
  return {
    owner: group,
    manifest: namespaceManifest({
      name: group.name,
      labels: { ...group.namespaceLabels, [GROUP_LABEL]: 'true' },
    }) as SpacesObject['manifest'],
  };
}

/** A `ControlPlane` carrying the labels the selectors are evaluated against. */
function controlPlaneObject(plane: ControlPlane): SpacesObject {
  return {
    owner: plane,
    manifest: spaces.ControlPlane.manifest({
      metadata: {
        name: plane.name,
        namespace: plane.group.name,
        labels: Object.keys(plane.labels).length > 0 ? { ...plane.labels } : undefined,
      },
      // `crossplane: {}` (its fields are defaulted by the API server): the CRD's rule reads
      // `self.crossplane.autoUpgrade`, which fails with "no such key: crossplane" on `spec: {}`.
      spec: { crossplane: {}, ...(plane.explicitHostNamespace ? { hostNamespace: { name: plane.explicitHostNamespace } } : {}) },
    }),
  };
}

/** The `SharedSecretStore` of a store. */
function storeObject(store: SecretStore): SpacesObject {
  return {
    owner: store,
    manifest: spaces.SharedSecretStore.manifest({
      metadata: { name: store.name, namespace: store.group.name },
      spec: {
        controlPlaneSelector: typedSelector(store.planes.toSelector()),
        namespaceSelector: typedSelector(store.namespaces.toSelector()),
        provider: store.provider.toSpacesProvider(store.group.space.identity),
        refreshInterval: store.refreshInterval,
        retrySettings: store.retry ? { maxRetries: store.retry.maxRetries, retryInterval: store.retry.retryInterval } : undefined,
      },
    }),
  };
}

/** The `SharedExternalSecret` of a secret, pointing at its store's projected `ClusterSecretStore`. */
function secretObject(secret: SharedSecret, placement: Placement): SpacesObject {
  return {
    owner: secret,
    manifest: spaces.SharedExternalSecret.manifest({
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
    }),
  };
}

/**
 * The Spaces target's objects of a group: its Namespace and ControlPlanes (when managed), a
 * `SharedSecretStore` per store and a `SharedExternalSecret` per secret. They are rendered with
 * the typed bindings' `manifest` functions, not as `ApiObject`s in the tree: they are built from the
 * whole model at synthesis, nothing needs them in the tree, and at thousands of objects cdk8s's
 * per-object resolve and sanitize passes were a large share of the synthesis's time and memory.
 */
export function spacesObjects(group: Group, placement: Placement): SpacesObject[] {
  const out: SpacesObject[] = [];
  if (group.manageNamespace) out.push(namespaceObject(group));
  if (group.manageControlPlanes) out.push(...group.members(ControlPlane).map(controlPlaneObject));
  out.push(...group.members(SecretStore).map(storeObject));
  out.push(...group.members(SharedSecret).map((s) => secretObject(s, placement)));
  return out;
}

/**
 * The Spaces target's objects of a group as written: keys sorted (as cdk8s renders objects), and
 * the group Namespace and ControlPlanes carrying `protection` (see {@link protectionAnnotations}).
 */
export function spacesManifests(group: Group, placement: Placement, protection: Readonly<Record<string, string>>): Manifest[] {
  const protecting = Object.keys(protection).length > 0;
  return spacesObjects(group, placement).map(({ owner, manifest }) => {
    if (protecting && isOneOf(PROTECTED_KINDS, manifest.kind))
      manifest.metadata.annotations = { ...manifest.metadata.annotations, ...protection };
    return { path: groupObjectPath(group, manifest), object: sortKeys(manifest), owner };
  });
}
