/**
 * The declarative runtime schemas of the secret props (see `model/props.ts`): checked by each
 * secret before it reads its props. Types only; names, durations, remote keys and ESO's webhook
 * rules are checked afterwards. The source schema is shared by every kind of secret (Spaces shared
 * secrets, plain ESO external secrets).
 */
import { expecting, instanceOf, z } from '../private/props.js';
import { oneOf, stringMap } from '../model/props.js';
import { namespaces, planes } from '../stores/props.js';
import { SecretStore } from '../stores/secret-store.js';
import {
  CREATION_POLICIES,
  DECODING_STRATEGIES,
  DELETION_POLICIES,
  MERGE_POLICIES,
  METADATA_POLICIES,
  REFRESH_POLICIES,
} from './shared-secret.js';

const str = z.string();

export const secretDataSchema = z.lazy(() =>
  z.strictObject({
    secretKey: str,
    remoteKey: str,
    property: str.optional(),
    version: str.optional(),
    decodingStrategy: oneOf(DECODING_STRATEGIES).optional(),
    metadataPolicy: oneOf(METADATA_POLICIES).optional(),
  }),
);

const extract = z.strictObject({ key: str, property: str.optional(), version: str.optional() });
const find = z.strictObject({
  path: str.optional(),
  nameRegexp: str.optional(),
  tags: expecting(z.record(z.string(), z.string()), 'an object of tag names to values, e.g. { env: "prod" } (not a list)').optional(),
});
/**
 * One rewrite of a `dataFrom` entry. Both kinds are optional here: that exactly one is set is the
 * rule of `checkSecretSource`, whose message says how to split two into two rewrites.
 */
const rewrite = expecting(
  z.strictObject({
    regexp: z.strictObject({ source: str, target: str }).optional(),
    transform: z.strictObject({ template: str }).optional(),
  }),
  'a rewrite { regexp: { source, target } } or { transform: { template } }',
);
/**
 * A `dataFrom` entry. `extract` and `find` are both optional here: that exactly one is set is ESO's
 * webhook rule (`eso-webhook.ts`), whose message says how to split the entry.
 */
export const dataFromSchema = expecting(
  z.strictObject({
    extract: extract.optional(),
    find: find.optional(),
    rewrite: expecting(z.array(rewrite), 'a list of rewrites ({ regexp: { source, target } } or { transform: { template } })').optional(),
  }),
  'a dataFrom source { extract: { key } } or { find: { path, nameRegexp, tags } }',
);

/** What every kind of secret reads (`data`, `dataFrom`, `refreshPolicy`). */
export const secretSourceShape = () => ({
  data: expecting(z.array(secretDataSchema), 'a list of { secretKey, remoteKey } entries').optional(),
  dataFrom: expecting(z.array(dataFromSchema), 'a list of dataFrom sources').optional(),
  refreshPolicy: oneOf(REFRESH_POLICIES).optional(),
});

export const secretTargetSchema = z.lazy(() =>
  z.strictObject({
    name: str.optional(),
    creationPolicy: oneOf(CREATION_POLICIES).optional(),
    deletionPolicy: oneOf(DELETION_POLICIES).optional(),
    immutable: z.boolean().optional(),
    template: z
      .strictObject({
        type: str.optional(),
        mergePolicy: oneOf(MERGE_POLICIES).optional(),
        data: stringMap.optional(),
        metadata: z.strictObject({ labels: stringMap.optional(), annotations: stringMap.optional() }).optional(),
      })
      .optional(),
  }),
);

export const SharedSecretPropsSchema = z.lazy(() =>
  z.strictObject({
    ...secretSourceShape(),
    name: str.optional(),
    store: instanceOf(() => SecretStore, 'a SecretStore of the group (new SecretStore(group, "sm", {...}))'),
    target: secretTargetSchema.optional(),
    refreshInterval: str.optional(),
    planes: planes.optional(),
    namespaces: namespaces.optional(),
  }),
);
