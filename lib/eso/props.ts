/**
 * The declarative runtime schemas of the plain ESO and Sveltos props (see `model/props.ts`):
 * checked by each construct before it reads its props. Types only; names, namespaces, durations,
 * remote keys, regions and KMS keys are checked by their rules afterwards. Classes and closed lists
 * are looked up when the props are checked (the modules that define them import this one).
 */
import { expecting, instanceOf, z } from '../private/props.js';
import { environment, labelSelector, oneOf, spaceIdentity, stringList, wholeNumber } from '../model/props.js';
import { namespaces, provider } from '../stores/props.js';
import { secretSourceShape, secretTargetSchema } from '../secrets/props.js';
import { CLOUDS } from '../model/space.js';
import { PARAMETER_TYPES, POLICY_SOURCE_KINDS, SECRET_PUSH_FORMATS } from './push-metadata.js';
import { EsoExternalSecret, EsoSecretStore, PUSH_DELETION_POLICIES, PUSH_UPDATE_POLICIES } from './cluster.js';
import { SVELTOS_SYNC_MODES } from './sveltos.js';

const str = z.string();

/** An {@link EsoSecretStore} (of the same cluster: checked afterwards). */
const esoStore = instanceOf(() => EsoSecretStore, 'an EsoSecretStore of the cluster (new EsoSecretStore(cluster, "sm", {...}))');

export const EsoClusterPropsSchema = z.lazy(() =>
  z.strictObject({
    name: str.optional(),
    cloud: oneOf(CLOUDS),
    identity: spaceIdentity.optional(),
    roleArn: str.optional(),
    namespace: str.optional(),
    serviceAccountName: str.optional(),
    environment: environment.optional(),
  }),
);

export const EsoSecretStorePropsSchema = z.strictObject({
  name: str.optional(),
  provider,
  namespace: str.optional(),
  namespaces: namespaces.optional(),
  credentialsNamespace: str.optional(),
  refreshInterval: wholeNumber.optional(),
});

export const EsoExternalSecretPropsSchema = z.lazy(() =>
  z.strictObject({
    ...secretSourceShape(),
    name: str.optional(),
    store: esoStore,
    namespace: str.optional(),
    namespaces: namespaces.optional(),
    target: secretTargetSchema.optional(),
    refreshInterval: str.optional(),
  }),
);

/** The PushSecretMetadata spec of one pushed AWS secret. */
export const pushMetadataSchema = z.lazy(() =>
  expecting(
    z.strictObject({
      secretPushFormat: oneOf(SECRET_PUSH_FORMATS).optional(),
      kmsKeyId: str.optional(),
      description: str.optional(),
      tags: expecting(z.record(z.string(), z.string()), 'an object of tag keys to values, e.g. { team: "a" }').optional(),
      resourcePolicy: z
        .strictObject({
          policySourceRef: z.strictObject({ kind: oneOf(POLICY_SOURCE_KINDS), name: str, key: str }),
          blockPublicPolicy: z.boolean().optional(),
        })
        .optional(),
      replicationLocations: stringList.optional(),
      secretType: oneOf(PARAMETER_TYPES).optional(),
    }),
    'the PushSecretMetadata spec, an object { secretPushFormat, kmsKeyId, description, tags, resourcePolicy, replicationLocations, secretType }',
  ),
);

export const pushDataSchema = z.strictObject({
  secretKey: str,
  remoteKey: str,
  property: str.optional(),
  metadata: pushMetadataSchema.optional(),
});

export const EsoPushSecretPropsSchema = z.lazy(() =>
  z.strictObject({
    name: str.optional(),
    store: esoStore,
    namespace: str.optional(),
    secretName: str,
    data: expecting(z.array(pushDataSchema), 'a list of { secretKey, remoteKey } entries'),
    refreshInterval: str.optional(),
    deletionPolicy: oneOf(PUSH_DELETION_POLICIES).optional(),
    updatePolicy: oneOf(PUSH_UPDATE_POLICIES).optional(),
  }),
);

export const SveltosSecretDistributionPropsSchema = z.lazy(() =>
  z.strictObject({
    name: str.optional(),
    secret: instanceOf(() => EsoExternalSecret, 'a namespaced EsoExternalSecret of the cluster'),
    clusterSelector: labelSelector,
    targetNamespace: str.optional(),
    targetName: str.optional(),
    syncMode: oneOf(SVELTOS_SYNC_MODES).optional(),
  }),
);
