/**
 * The declarative runtime schemas of the model's props (one per props interface), checked by each
 * construct and factory before it reads its props (see `typed.ts`, and `private/props.ts` for the
 * messages). Types only: names, labels and durations are checked by their rules afterwards.
 * Classes are looked up when the props are checked, so the modules that define them can import
 * this one.
 */
import { expecting, instanceOf, z } from '../private/props.js';
import { CLOUDS, SPACE_HOSTINGS } from './space.js';
import { ControlPlane } from './control-plane.js';
import { Environment } from './environment.js';
import { SecretOwnership } from './ownership.js';
import {
  SpaceIdentity,
  AWS_POLICY_ATTACHMENTS,
  AWS_ROLE_SCOPES,
  AWS_STORE_AUTH_MODES,
  CROSSPLANE_PROVIDER_CONFIG_KINDS,
} from './space-identity.js';

const str = z.string();
/** A map of names to strings (labels, annotations, template data). */
export const stringMap = expecting(z.record(z.string(), z.string()), 'an object of names to strings, e.g. { team: "a" }');
/** A list of strings. */
export const stringList = expecting(z.array(expecting(z.string(), 'a string')), 'a list of strings, e.g. ["a", "b"]');
/** One of a closed list of strings. */
export function oneOf(values: readonly string[]): z.ZodType {
  return expecting(
    z.custom<string>((v) => typeof v === 'string' && values.includes(v)),
    `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
  );
}
/** A whole number (a JSON number without fraction). */
export const wholeNumber = expecting(z.number().int(), 'a whole number');

/** An {@link Environment} of the app. */
export const environment = instanceOf(() => Environment, 'an Environment (new Environment(app, "prod", {...}))');
/** A {@link ControlPlane}. */
export const controlPlane = instanceOf(() => ControlPlane, 'a ControlPlane (new ControlPlane(group, "prod-1", {...}))');
/** A workload identity made by a SpaceIdentity factory. */
export const spaceIdentity = instanceOf(() => SpaceIdentity, 'a SpaceIdentity (e.g. SpaceIdentity.awsPodIdentity({...}))');

/** A Kubernetes label selector requirement. */
export const labelSelectorRequirement = z.strictObject({
  key: str,
  operator: str,
  values: stringList.optional(),
});
/** A Kubernetes label selector. */
export const labelSelector = expecting(
  z.strictObject({ matchLabels: stringMap.optional(), matchExpressions: z.array(labelSelectorRequirement).optional() }),
  'a label selector { matchLabels, matchExpressions }',
);

export const EnvironmentPropsSchema = z.strictObject({
  name: str.optional(),
  labels: stringMap.optional(),
  refreshInterval: str.optional(),
  production: z.boolean().optional(),
  owns: expecting(
    z.array(instanceOf(() => SecretOwnership, 'a SecretOwnership (e.g. SecretOwnership.awsSecretsManager({ prefixes: ["prod/"] }))')),
    'a list of SecretOwnership declarations',
  ).optional(),
});

// Lazy where a closed list of a module that imports this one is read (evaluated at the first check).
export const SpacePropsSchema = z.lazy(() =>
  z.strictObject({
    name: str.optional(),
    cloud: oneOf(CLOUDS),
    hosting: oneOf(SPACE_HOSTINGS).optional(),
    identity: spaceIdentity.optional(),
  }),
);

export const GroupPropsSchema = z.strictObject({
  name: str.optional(),
  manageNamespace: z.boolean().optional(),
  manageControlPlanes: z.boolean().optional(),
  requireEnvironment: z.boolean().optional(),
  namespaceLabels: stringMap.optional(),
});

export const PlaneNamespaceSchema = expecting(
  z.union([z.string(), z.strictObject({ name: str, labels: stringMap.optional() })]),
  'a namespace name (a string) or { name, labels }',
);

export const ControlPlanePropsSchema = z.strictObject({
  name: str.optional(),
  environment: environment.optional(),
  labels: stringMap.optional(),
  controlPlaneId: str.optional(),
  hostNamespace: str.optional(),
  namespaces: expecting(z.array(PlaneNamespaceSchema), 'a list of namespace names or { name, labels }').optional(),
});

const awsRoleOptions = () => ({
  partition: str.optional(),
  roleNamePrefix: str.optional(),
  trustPolicyMaxChars: wholeNumber.optional(),
  maxManagedPoliciesPerRole: wholeNumber.optional(),
  permissionPolicy: oneOf(AWS_POLICY_ATTACHMENTS).optional(),
  crossplane: expecting(
    z.union([
      z.boolean(),
      z.strictObject({
        providerConfigName: str.optional(),
        namespace: str.optional(),
        providerConfigKind: oneOf(CROSSPLANE_PROVIDER_CONFIG_KINDS).optional(),
      }),
    ]),
    'true, false or { providerConfigName, namespace, providerConfigKind }',
  ).optional(),
});

export const AwsIrsaPropsSchema = z.lazy(() =>
  z.strictObject({ ...awsRoleOptions(), accountId: str, oidcIssuer: str, storeAuth: oneOf(AWS_STORE_AUTH_MODES).optional() }),
);
export const AwsPodIdentityPropsSchema = z.lazy(() =>
  z.strictObject({
    ...awsRoleOptions(),
    accountId: str,
    clusterName: str,
    region: str.optional(),
    roleScope: oneOf(AWS_ROLE_SCOPES).optional(),
  }),
);
export const AzureWorkloadIdentityPropsSchema = z.strictObject({
  tenantId: str,
  clientId: str,
  oidcIssuer: str,
  identityName: str,
  resourceGroup: str,
  subscriptionId: str,
  principalId: str.optional(),
  location: str.optional(),
  crossplane: z.boolean().optional(),
});
export const GcpWorkloadIdentityPropsSchema = z.strictObject({
  projectId: str,
  projectNumber: str,
  listRole: str.optional(),
  crossplane: z.boolean().optional(),
});
export const GcpImpersonationPropsSchema = GcpWorkloadIdentityPropsSchema.extend({ serviceAccountEmail: str });

const optionalList = stringList.optional();
export const SecretsManagerOwnershipPropsSchema = z.strictObject({
  prefixes: optionalList,
  names: optionalList,
  arns: optionalList,
  region: str.optional(),
  accountId: str.optional(),
  partition: str.optional(),
});
export const ParameterStoreOwnershipPropsSchema = z.strictObject({
  paths: stringList,
  region: str.optional(),
  accountId: str.optional(),
  partition: str.optional(),
});
export const KeyVaultOwnershipPropsSchema = z.strictObject({ vaults: optionalList, names: optionalList });
export const SecretManagerOwnershipPropsSchema = z.strictObject({ projects: optionalList, secretIds: optionalList });

/** The arguments of `Planes.inEnvironments(...)`. */
export const PlanesInEnvironmentsArgs = z.array(environment);
/** The arguments of `Planes.named(...)`. */
export const PlanesNamedArgs = z.array(controlPlane);
/** The arguments of `Planes.matching(...)` and `Namespaces.matching(...)`. */
export const SelectorArgs = z.array(labelSelector);
/** The arguments of `Namespaces.named(...)`. */
export const NamespacesNamedArgs = z.array(expecting(z.string(), 'a namespace name (a string)'));

/** The `select` argument of `addJsonPatchTo(select, ...ops)`: which emitted objects a patch applies to. */
export const ObjectSelectorSchema = expecting(
  z.strictObject({ kind: str.optional(), name: str.optional(), namespace: str.optional() }),
  'an object selector { kind, name, namespace } (each a string)',
);
/** The operations of `addJsonPatch(...ops)`: cdk8s `JsonPatch`es (their content is checked when they are applied). */
export const JsonPatchArgs = z.array(
  expecting(
    z.custom<object>((v) => v !== null && typeof v === 'object' && !Array.isArray(v)),
    'a JsonPatch (e.g. JsonPatch.add("/metadata/labels/team", "a"))',
  ),
);
