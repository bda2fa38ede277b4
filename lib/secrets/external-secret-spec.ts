import * as spaces from '../../imports/spaces.upbound.io.js';
import type { DataFromSource, SecretData, SecretTarget } from './shared-secret.js';
import { quoteValue } from '../private/terminal.js';

/** Returns the member of a generated string enum whose value is `value` (values are validated before). */
export function enumValue<E extends string>(e: Record<string, E>, value: string): E {
  const v = Object.values(e).find((x) => x === value);
  if (v === undefined) throw new Error(`unexpected enum value ${quoteValue(value)}`);
  return v;
}

/** What an ESO `ExternalSecretSpec` is made of, whatever the target. */
export interface ExternalSecretSource {
  /** Name of the store the secret reads from. */
  readonly storeName: string;
  /** Kind of that store as seen where the ExternalSecret lives. */
  readonly storeKind: 'SecretStore' | 'ClusterSecretStore';
  /** Go duration, already resolved. */
  readonly refreshInterval?: string;
  readonly refreshPolicy?: 'Periodic' | 'OnChange' | 'CreatedOnce';
  readonly target: SecretTarget;
  /** Name of the Secret written. */
  readonly targetName: string;
  readonly data: readonly SecretData[];
  readonly dataFrom: readonly DataFromSource[];
}

type Spec = spaces.SharedExternalSecretSpecExternalSecretSpec;
const E = spaces;

function rewrite(src: DataFromSource): spaces.SharedExternalSecretSpecExternalSecretSpecDataFromRewrite[] | undefined {
  if (!src.rewrite || src.rewrite.length === 0) return undefined;
  return src.rewrite.map((r) =>
    'regexp' in r ? { regexp: { source: r.regexp.source, target: r.regexp.target } } : { transform: { template: r.transform.template } },
  );
}

function dataFrom(src: DataFromSource): spaces.SharedExternalSecretSpecExternalSecretSpecDataFrom {
  if ('extract' in src)
    return { extract: { key: src.extract.key, property: src.extract.property, version: src.extract.version }, rewrite: rewrite(src) };
  const f = src.find;
  return {
    find: {
      path: f.path,
      name: f.nameRegexp !== undefined ? { regexp: f.nameRegexp } : undefined,
      tags: f.tags ? { ...f.tags } : undefined,
    },
    rewrite: rewrite(src),
  };
}

/**
 * The ESO `ExternalSecretSpec` (v1) of a secret, typed with the Spaces binding (its
 * `externalSecretSpec` is the ESO v1 spec). The Spaces target embeds it in a SharedExternalSecret;
 * the plain ESO target renders it to JSON with {@link externalSecretSpecJson}. One mapping for both.
 */
export function externalSecretSpec(src: ExternalSecretSource): Spec {
  const t = src.target;
  const tpl = t.template;
  return {
    secretStoreRef: { name: src.storeName, kind: enumValue(E.SharedExternalSecretSpecExternalSecretSpecSecretStoreRefKind, src.storeKind) },
    refreshInterval: src.refreshInterval,
    refreshPolicy: src.refreshPolicy && enumValue(E.SharedExternalSecretSpecExternalSecretSpecRefreshPolicy, src.refreshPolicy),
    target: {
      name: src.targetName,
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
    data: src.data.length
      ? src.data.map((d) => ({
          secretKey: d.secretKey,
          remoteRef: {
            key: d.remoteKey,
            property: d.property,
            version: d.version,
            decodingStrategy:
              d.decodingStrategy &&
              enumValue(E.SharedExternalSecretSpecExternalSecretSpecDataRemoteRefDecodingStrategy, d.decodingStrategy),
            metadataPolicy:
              d.metadataPolicy && enumValue(E.SharedExternalSecretSpecExternalSecretSpecDataRemoteRefMetadataPolicy, d.metadataPolicy),
          },
        }))
      : undefined,
    dataFrom: src.dataFrom.length ? src.dataFrom.map(dataFrom) : undefined,
  };
}

/** The same spec as plain ESO JSON (field names as in the CRD). */
export function externalSecretSpecJson(src: ExternalSecretSource): Record<string, unknown> {
  return spaces.toJson_SharedExternalSecretSpecExternalSecretSpec(externalSecretSpec(src)) ?? {};
}
