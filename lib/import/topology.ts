/**
 * The topology the importer reconstructs from YAML, as plain data: what the generated TypeScript
 * declares, before it is written as code. Objects refer to each other directly (a secret to its
 * store), so nothing is looked up by name twice.
 */
import type { Cloud, DataFromSource, LabelSelector, PushData, SecretData, SecretTarget, SpaceHosting } from '../index.js';

/** Labels as a plain map. */
export type Labels = Record<string, string>;

/** A JSON-like value as the generated code writes it (strings, numbers, booleans, lists, maps). */
export type PlainValue = string | number | boolean | readonly PlainValue[] | { readonly [key: string]: PlainValue };

/** An environment inferred from an environment label. */
export interface EnvironmentSpec {
  readonly name: string;
  readonly labels: Labels;
  /** Inferred from the name (`prod`, `production`, `prd`): stricter guardrails apply. */
  readonly production: boolean;
  /** The refresh interval most of its secrets use (they then leave theirs out). */
  refreshInterval?: string;
}

/**
 * How a store or secret selects planes or namespaces:
 * - `environments`: every label selector is exactly one environment's labels;
 * - `named`: names (of planes: planes of the group);
 * - `matching`: label selectors;
 * - `missing`: the input has no selector; a selector no real plane or namespace matches is declared
 *   in its place, so nothing is distributed until someone writes one.
 */
export type Selection =
  | { readonly kind: 'environments'; readonly environments: readonly EnvironmentSpec[] }
  | { readonly kind: 'named'; readonly names: readonly string[] }
  | { readonly kind: 'matching'; readonly selectors: readonly LabelSelector[] }
  | { readonly kind: 'missing' };

/** The label of the placeholder selection that stands in for a missing selector. */
export const MISSING_SELECTOR_LABEL: Readonly<Labels> = { 'import.secrets-topology.dev/missing-selector': 'true' };

/** A control plane. */
export interface PlaneSpec {
  readonly name: string;
  environment?: EnvironmentSpec;
  /** Labels; once the environment is inferred, its own labels only (the environment's excluded). */
  labels: Labels;
  readonly hostNamespace?: string;
  controlPlaneId?: string;
  /** True when `controlPlaneId` is a placeholder (the plane's identity trust needs one). */
  idPlaceholder?: boolean;
  /** Namespaces inside the plane (name → labels), inferred from the selectors that reach it. */
  readonly namespaces: Map<string, Labels>;
  /** True for a plane the input does not declare, made up so the selectors reach something. */
  readonly invented: boolean;
  /** Display name of the input object, when declared. */
  readonly object?: string;
}

/** Static credentials: which factory and its props. */
export interface CredentialsSpec {
  readonly factory: 'awsAccessKey' | 'azureServicePrincipal' | 'gcpServiceAccountKey';
  readonly props: Readonly<Record<string, string>>;
}

/** A store's backend. */
export interface ProviderSpec {
  readonly type: 'AwsSecretsManager' | 'AwsParameterStore' | 'AzureKeyVault' | 'GcpSecretManager';
  readonly cloud: Cloud;
  /** Props other than credentials, as the provider's constructor takes them. */
  readonly props: Record<string, PlainValue>;
  readonly credentials?: CredentialsSpec;
  /** Props whose values are placeholders (the YAML does not say them). */
  readonly placeholders: string[];
  /**
   * `service-account-ref`: a SharedSecretStore with the documented IRSA reference
   * (`auth.jwt.serviceAccountRef` naming `external-secrets-controller`): its Space's identity is IRSA.
   * @default none: no auth block (or static credentials)
   */
  readonly storeAuth?: 'service-account-ref';
  /**
   * The store's own identity: a SharedSecretStore whose `auth.jwt.serviceAccountRef` names another
   * service account (`StoreIdentity.awsIrsa({ serviceAccount })`); its Space's identity is IRSA.
   * @default none
   */
  readonly storeServiceAccount?: string;
}

/** Common to everything declared from one input object. */
export interface ObjectSpec {
  readonly name: string;
  /** Display name of the input object, e.g. `SharedSecretStore platform/aws-sm`. */
  readonly object: string;
  /** `file#document`. */
  readonly source: string;
}

/** A SharedSecretStore. */
export interface StoreSpec extends ObjectSpec {
  readonly provider: ProviderSpec;
  planes: Selection;
  namespaces: Selection;
  readonly refreshInterval?: number;
  readonly retry?: { readonly maxRetries?: number; readonly retryInterval?: string };
}

/** What a secret reads and writes, common to Spaces and plain ESO. */
export interface SecretBody {
  refreshInterval?: string;
  readonly refreshPolicy?: 'Periodic' | 'OnChange' | 'CreatedOnce';
  readonly target?: SecretTarget;
  readonly data: readonly SecretData[];
  readonly dataFrom: readonly DataFromSource[];
}

/** A SharedExternalSecret. */
export interface SecretSpec extends ObjectSpec, SecretBody {
  readonly store: StoreSpec;
  planes?: Selection;
  namespaces?: Selection;
}

/** A group (a namespace of the Space's host cluster). */
export interface GroupSpec {
  readonly name: string;
  /** Whether the input has the group's Namespace. */
  manageNamespace: boolean;
  namespaceLabels: Labels;
  /** Whether the input has ControlPlane objects of the group. */
  manageControlPlanes: boolean;
  readonly planes: PlaneSpec[];
  readonly stores: StoreSpec[];
  readonly secrets: SecretSpec[];
}

/** A placeholder workload identity: its cloud, a number unique in the topology, and the Azure tenant its stores name. */
export interface IdentityPlaceholder {
  readonly cloud: Cloud;
  readonly index: number;
  readonly tenantId?: string;
  /** AWS IRSA (its stores carry the documented service-account reference) rather than Pod Identity. */
  readonly irsa?: boolean;
}

/** A Space. */
export interface SpaceSpec {
  readonly name: string;
  cloud: Cloud;
  hosting: SpaceHosting;
  /** The placeholder workload identity, when a store needs one. */
  identity?: IdentityPlaceholder;
  readonly groups: GroupSpec[];
}

/** A SecretStore or ClusterSecretStore of a plain ESO cluster. */
export interface EsoStoreSpec extends ObjectSpec {
  readonly provider: ProviderSpec;
  /** Namespace of a SecretStore. */
  readonly namespace?: string;
  /** Namespaces of a ClusterSecretStore. */
  readonly namespaces?: Selection;
  readonly credentialsNamespace?: string;
  readonly refreshInterval?: number;
}

/** An ExternalSecret or ClusterExternalSecret. */
export interface EsoSecretSpec extends ObjectSpec, SecretBody {
  readonly store: EsoStoreSpec;
  readonly namespace?: string;
  readonly namespaces?: Selection;
}

/** A PushSecret. */
export interface EsoPushSpec extends ObjectSpec {
  readonly store: EsoStoreSpec;
  readonly namespace: string;
  readonly secretName: string;
  readonly data: readonly PushData[];
  readonly refreshInterval?: string;
  readonly deletionPolicy?: 'Delete' | 'None';
  readonly updatePolicy?: 'Replace' | 'IfNotExists';
}

/** A plain ESO cluster. */
export interface ClusterSpec {
  readonly name: string;
  cloud: Cloud;
  identity?: IdentityPlaceholder;
  readonly stores: EsoStoreSpec[];
  readonly externalSecrets: EsoSecretSpec[];
  readonly pushSecrets: EsoPushSpec[];
}

/** The whole reconstructed topology. */
export interface TopologySpec {
  readonly environments: EnvironmentSpec[];
  readonly spaces: SpaceSpec[];
  readonly clusters: ClusterSpec[];
}
