/**
 * The values ESO and Spaces assume for an absent field: the CRDs' `default:` values and the
 * defaults their field descriptions state ("Defaults to None when omitted"). A field set to its
 * default says nothing more than an absent one, so the importer maps it as absent and the
 * equivalence check drops it on both sides. `test/import-defaults.test.ts` holds the list to the
 * CRDs.
 */
import { parseGoDuration } from '../model/validation.js';

/** A field path below a spec (list items written `[]`) and its default. */
export type DefaultEntry = readonly [path: string, value: string];

/** Defaults of an ESO `ExternalSecretSpec` (also the `externalSecretSpec` of a SharedExternalSecret and ClusterExternalSecret). */
export const EXTERNAL_SECRET_SPEC_DEFAULTS: readonly DefaultEntry[] = [
  ['refreshInterval', '1h'],
  ['secretStoreRef.kind', 'SecretStore'],
  ['target.creationPolicy', 'Owner'],
  ['target.deletionPolicy', 'Retain'],
  ['target.template.engineVersion', 'v2'],
  ['target.template.mergePolicy', 'Replace'],
  ['data[].remoteRef.conversionStrategy', 'Default'],
  ['data[].remoteRef.decodingStrategy', 'None'],
  ['data[].remoteRef.metadataPolicy', 'None'],
  ['dataFrom[].extract.conversionStrategy', 'Default'],
  ['dataFrom[].extract.decodingStrategy', 'None'],
  ['dataFrom[].extract.metadataPolicy', 'None'],
  ['dataFrom[].find.conversionStrategy', 'Default'],
  ['dataFrom[].find.decodingStrategy', 'None'],
];

/** Defaults of an ESO `PushSecret` spec. */
export const PUSH_SECRET_SPEC_DEFAULTS: readonly DefaultEntry[] = [
  ['refreshInterval', '1h'],
  ['deletionPolicy', 'None'],
  ['updatePolicy', 'Replace'],
  ['secretStoreRefs[].kind', 'SecretStore'],
  ['data[].conversionStrategy', 'None'],
];

/** Defaults of the provider block of a store (SharedSecretStore, SecretStore, ClusterSecretStore). */
export const PROVIDER_DEFAULTS: readonly DefaultEntry[] = [
  ['azurekv.authType', 'ServicePrincipal'],
  ['azurekv.environmentType', 'PublicCloud'],
];

/** Fields holding Go durations: compared by the duration (`1h` = `1h0m0s` = `60m`). */
const DURATION_FIELDS = new Set(['refreshInterval']);

/** Whether `value` at `path` (list indices as `[]` or `[n]`) is the default of `defaults`. */
export function isDefault(defaults: readonly DefaultEntry[], path: string, value: unknown): boolean {
  const general = path.replace(/\[\d+\]/g, '[]');
  const entry = defaults.find(([p]) => p === general);
  if (!entry || typeof value !== 'string') return false;
  if (value === entry[1]) return true;
  const last = general.split('.').pop() ?? '';
  if (!DURATION_FIELDS.has(last)) return false;
  const a = parseGoDuration(value);
  return a !== undefined && a === parseGoDuration(entry[1]);
}
