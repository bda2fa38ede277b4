/**
 * A minimal, hand-written binding of provider-kubernetes' `Object`
 * (`kubernetes.crossplane.io/v1alpha2`, cluster-scoped): a managed resource whose
 * `spec.forProvider.manifest` is applied to the cluster of its `ProviderConfig`.
 *
 * There is no CRD of provider-kubernetes in the pinned CRD set, so this binding covers only the
 * fields emitted here and objects of this kind are not schema-validated by the tests.
 */
import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';

/** The ways an Object's readiness can be derived. */
export const OBJECT_READINESS_POLICIES = ['SuccessfulCreate', 'DeriveFromObject', 'AllTrue'] as const;
/** How the Object's readiness is derived. */
export type ObjectReadinessPolicy = (typeof OBJECT_READINESS_POLICIES)[number];

/** Crossplane management policies: what the provider may do with the wrapped object. */
export const MANAGEMENT_POLICIES = ['*', 'Observe', 'Create', 'Update', 'Delete', 'LateInitialize'] as const;
/** What the provider may do with the wrapped object (Crossplane management policies). */
export type ManagementPolicy = (typeof MANAGEMENT_POLICIES)[number];

/** `spec` of a provider-kubernetes `Object`. */
export interface KubernetesObjectSpec {
  /** The wrapped manifest. */
  readonly forProvider: { readonly manifest: Record<string, unknown> };
  /** The ProviderConfig holding the target cluster's credentials. */
  readonly providerConfigRef: { readonly name: string };
  /**
   * What the provider may do with the wrapped object.
   * @default ['*']
   */
  readonly managementPolicies?: readonly ManagementPolicy[];
  /**
   * How readiness is derived.
   * @default { policy: 'SuccessfulCreate' }
   */
  readonly readiness?: { readonly policy: ObjectReadinessPolicy };
}

/** Props of a {@link KubernetesObject}. */
export interface KubernetesObjectProps {
  /** Metadata (the Object is cluster-scoped: no namespace). */
  readonly metadata: ApiObjectMetadata;
  /** The spec. */
  readonly spec: KubernetesObjectSpec;
}

/** provider-kubernetes `Object` (kubernetes.crossplane.io/v1alpha2). */
export class KubernetesObject extends ApiObject {
  /** apiVersion and kind of the Object. */
  public static readonly GVK: GroupVersionKind = { apiVersion: 'kubernetes.crossplane.io/v1alpha2', kind: 'Object' };

  /** The object as plain JSON, without creating a construct. */
  public static manifest(props: KubernetesObjectProps): Record<string, unknown> {
    return {
      ...KubernetesObject.GVK,
      metadata: { ...props.metadata },
      spec: toJsonSpec(props.spec),
    };
  }

  public constructor(scope: Construct, id: string, props: KubernetesObjectProps) {
    super(scope, id, { ...KubernetesObject.GVK, metadata: props.metadata, spec: toJsonSpec(props.spec) });
  }
}

function toJsonSpec(spec: KubernetesObjectSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    forProvider: { manifest: spec.forProvider.manifest },
    providerConfigRef: { name: spec.providerConfigRef.name },
  };
  if (spec.managementPolicies) out.managementPolicies = [...spec.managementPolicies];
  if (spec.readiness) out.readiness = { policy: spec.readiness.policy };
  return out;
}
