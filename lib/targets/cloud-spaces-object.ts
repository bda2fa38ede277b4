/**
 * The provider-kubernetes `Object` (`kubernetes.crossplane.io/v1alpha2`, cluster-scoped) that wraps
 * a Cloud Space's Shared* objects, rendered with the binding generated from the pinned CRD
 * (`imports/kubernetes.crossplane.io.ts`, `npm run import`), and the Crossplane management
 * policies the provider accepts.
 */
import { KubernetesObject, ObjectSpecManagementPolicies } from '../../imports/kubernetes.crossplane.io.js';
import { quoteValue } from '../private/terminal.js';

/** What the provider may do with the wrapped object: one Crossplane management action. */
export type ManagementPolicy = `${ObjectSpecManagementPolicies}`;

/**
 * The management policy sets a Crossplane managed resource reconciler accepts (crossplane-runtime
 * v2.3 `defaultSupportedManagementPolicies`, which provider-kubernetes uses); any other set makes the
 * Object fail to reconcile. The empty set pauses it. Compared as sets: order and repeats do not matter.
 */
export const SUPPORTED_MANAGEMENT_POLICIES: readonly (readonly ManagementPolicy[])[] = [
  ['*'],
  ['Observe', 'Create', 'Update', 'LateInitialize', 'Delete'],
  ['Observe'],
  [],
  ['Observe', 'Create', 'Update', 'Delete'],
  ['Observe', 'Create', 'Update', 'LateInitialize'],
  ['Observe', 'Create', 'Update'],
  ['Observe', 'Create', 'Delete', 'LateInitialize'],
  ['Observe', 'Create', 'LateInitialize'],
  ['Observe', 'Create', 'Delete'],
  ['Observe', 'Create'],
  ['Observe', 'Delete'],
  ['Observe', 'Update'],
  ['Observe', 'LateInitialize'],
  ['Observe', 'Update', 'LateInitialize'],
];

const setKey = (policies: readonly string[]): string => [...new Set(policies)].sort().join(',');
const SUPPORTED_KEYS = new Set(SUPPORTED_MANAGEMENT_POLICIES.map(setKey));

/**
 * Why `policies` cannot be the management policies of the Objects (a sentence with the fix), or
 * undefined when they can: an unsupported combination, or none at all (which pauses the Objects:
 * nothing would ever be applied to the Cloud Space).
 */
export function managementPoliciesProblem(policies: readonly string[]): string | undefined {
  const shown = JSON.stringify(policies);
  if (policies.length === 0) {
    return `managementPolicies ${shown} pauses the Objects, so nothing is ever applied to the Cloud Space: use ["*"] (the default), or leave the Cloud Space out of the topology.`;
  }
  if (SUPPORTED_KEYS.has(setKey(policies))) return undefined;
  const known = new Set<string>(Object.values(ObjectSpecManagementPolicies));
  const unknown = policies.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    return `managementPolicies ${shown} has unknown actions ${quoteValue(unknown)}: use "*" or Observe, Create, Update, Delete, LateInitialize.`;
  }
  const options = SUPPORTED_MANAGEMENT_POLICIES.filter((s) => s.length > 0)
    .map((s) => JSON.stringify(s))
    .join(', ');
  return `managementPolicies ${shown} is not a combination Crossplane supports (the Objects would not reconcile): use one of ${options}.`;
}

/** Props of {@link wrapInObject}. */
export interface WrappedObjectProps {
  /** Name of the (cluster-scoped) Object. */
  readonly name: string;
  /** Labels of the Object. */
  readonly labels: Readonly<Record<string, string>>;
  /** The wrapped manifest (applied unchanged). */
  readonly manifest: Record<string, unknown>;
  /** The ProviderConfig holding the target cluster's kubeconfig. */
  readonly providerConfig: string;
  /**
   * Management policies of the Object.
   * @default the CRD's default, ["*"]
   */
  readonly managementPolicies?: readonly ManagementPolicy[];
}

/** The provider-kubernetes `Object` wrapping `manifest`, as plain JSON. */
export function wrapInObject(props: WrappedObjectProps): Record<string, unknown> {
  // ManagementPolicy is the enum's values as strings: the same values, typed as the enum.
  const managementPolicies = props.managementPolicies?.map((p) => p as ObjectSpecManagementPolicies);
  const object: Record<string, unknown> = KubernetesObject.manifest({
    metadata: { name: props.name, labels: { ...props.labels } },
    spec: {
      forProvider: { manifest: props.manifest },
      providerConfigRef: { name: props.providerConfig },
      managementPolicies,
    },
  });
  return object;
}
