import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as spaces from '../../imports/spaces.upbound.io.js';
import type { Placement } from '../analysis/placement.js';
import { GROUP_LABEL } from '../model/constants.js';
import { ControlPlane } from '../model/control-plane.js';
import { Group } from '../model/group.js';
import type { SpacesSelector } from '../model/selectors.js';
import { parseGoDuration } from '../model/validation.js';
import { SharedSecret, type DataFromSource } from '../secrets/shared-secret.js';
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

/** Returns the member of a generated string enum whose value is `value`. */
function enumValue<E extends string>(e: Record<string, E>, value: string): E {
  const v = Object.values(e).find((x) => x === value);
  if (v === undefined) throw new Error(`unexpected enum value ${JSON.stringify(value)}`);
  return v;
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

function dataFrom(src: DataFromSource): spaces.SharedExternalSecretSpecExternalSecretSpecDataFrom {
  if ('extract' in src) return { extract: { key: src.extract.key, property: src.extract.property, version: src.extract.version } };
  const f = src.find;
  return {
    find: {
      path: f.path,
      name: f.nameRegexp !== undefined ? { regexp: f.nameRegexp } : undefined,
      tags: f.tags ? { ...f.tags } : undefined,
    },
  };
}

/** Emits the group's `Namespace`, labelled as a Spaces group. */
function emitNamespace(group: Group): ApiObject {
  const ns = new kplus.Namespace(group, 'Namespace', {
    metadata: { name: group.name, labels: { ...group.namespaceLabels, [GROUP_LABEL]: 'true' } },
  });
  return ApiObject.of(ns);
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
  const t = secret.target;
  const tpl = t.template;
  const E = spaces;
  return new spaces.SharedExternalSecret(secret, 'Resource', {
    metadata: { name: secret.name, namespace: secret.group.name },
    spec: {
      controlPlaneSelector: typedSelector(secret.planes.toSelector()),
      namespaceSelector: typedSelector(secret.namespaces.toSelector()),
      externalSecretSpec: {
        secretStoreRef: {
          name: secret.store.name,
          kind: E.SharedExternalSecretSpecExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
        },
        refreshInterval: effectiveRefreshInterval(secret, placement),
        refreshPolicy: secret.refreshPolicy && enumValue(E.SharedExternalSecretSpecExternalSecretSpecRefreshPolicy, secret.refreshPolicy),
        target: {
          name: secret.targetName,
          creationPolicy: enumValue(E.SharedExternalSecretSpecExternalSecretSpecTargetCreationPolicy, t.creationPolicy ?? 'Owner'),
          deletionPolicy: enumValue(E.SharedExternalSecretSpecExternalSecretSpecTargetDeletionPolicy, t.deletionPolicy ?? 'Retain'),
          immutable: t.immutable,
          template: tpl && {
            type: tpl.type,
            engineVersion: E.SharedExternalSecretSpecExternalSecretSpecTargetTemplateEngineVersion.V2,
            mergePolicy: tpl.mergePolicy && enumValue(E.SharedExternalSecretSpecExternalSecretSpecTargetTemplateMergePolicy, tpl.mergePolicy),
            data: tpl.data ? { ...tpl.data } : undefined,
            metadata: tpl.metadata && {
              labels: tpl.metadata.labels ? { ...tpl.metadata.labels } : undefined,
              annotations: tpl.metadata.annotations ? { ...tpl.metadata.annotations } : undefined,
            },
          },
        },
        data: secret.data.length
          ? secret.data.map((d) => ({
              secretKey: d.secretKey,
              remoteRef: {
                key: d.remoteKey,
                property: d.property,
                version: d.version,
                decodingStrategy: d.decodingStrategy && enumValue(E.SharedExternalSecretSpecExternalSecretSpecDataRemoteRefDecodingStrategy, d.decodingStrategy),
              },
            }))
          : undefined,
        dataFrom: secret.dataFrom.length ? secret.dataFrom.map(dataFrom) : undefined,
      },
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
