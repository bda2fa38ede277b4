import type { Problem } from '../model/errors.js';
import type { Cloud, Space } from '../model/space.js';
import type { Placement } from '../resolve/placement.js';
import { toJson } from '../output/render.js';

/** A plane whose `external-secrets-controller` (in its host namespace) can act as a principal. */
export interface PlaneSubject {
  readonly space: string;
  readonly group: string;
  readonly plane: string;
  readonly environment?: string;
  /** `mxp-<controlPlaneId>-system` or the explicit host namespace. */
  readonly hostNamespace: string;
}

/** The ESO controller of a plain ESO cluster (an `EsoCluster`), as a principal's subject. */
export interface ClusterSubject {
  /** Cluster name. */
  readonly cluster: string;
  /** Namespace ESO runs in. */
  readonly namespace: string;
  /** ESO controller's service account. */
  readonly serviceAccount: string;
}

/** What a principal may do with a backend. */
export const ACCESS_KINDS = ['read', 'list', 'decrypt', 'write', 'assume'] as const;
/** What a principal may do with the backend. */
export type Access = (typeof ACCESS_KINDS)[number];

/** The kinds of cloud principals: an IAM role, a managed identity, a GCP member or service account. */
export const PRINCIPAL_KINDS = ['aws-iam-role', 'azure-managed-identity', 'gcp-principal', 'gcp-service-account'] as const;
/** A {@link PRINCIPAL_KINDS} member. */
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** One permission of a principal, as the cloud states it. */
export interface AccessGrant {
  readonly access: Access;
  /**
   * The resource as the cloud's policy names it: an AWS ARN (with `*`/`?` wildcards), a Key Vault
   * scope (`<vault resource id>[/secrets/<name>]` or the vault URL), or a GCP resource-name
   * prefix (`projects/<number>/secrets/<id>/`). `*` means every resource of the service.
   */
  readonly resource: string;
  /** Condition text, when the grant is conditional (e.g. a tag or a CEL expression). */
  readonly condition?: string;
  /** Construct paths of the shared secrets that need this grant (empty for list/decrypt helpers). */
  readonly neededBy: readonly string[];
  /**
   * Why the grant reaches beyond the secrets that are named (a list on a whole project or vault, a
   * name prefix of `dataFrom.find`, a vault-wide access policy), for the access analysis.
   * @default none: the grant names exactly the secrets it is for
   */
  readonly wider?: string;
  /**
   * The principal the grant belongs to, when it is not the publishing principal itself: a store's
   * chained role (AWS `provider.aws.role`), which the publishing role reaches by `sts:AssumeRole`
   * (its `assume` grant). The access analysis gives the grant to that role.
   * @default the publishing principal
   */
  readonly via?: string;
}

/** A cloud principal used by shared-secrets controllers: an IAM role, a managed identity, a GCP member. */
export interface CloudPrincipal {
  /** Unique id: role ARN, identity resource id, GCP member or service-account email. */
  readonly id: string;
  readonly cloud: Cloud;
  readonly kind: PrincipalKind;
  /**
   * Space whose shared-secrets controllers use it.
   * @default none: the principal of a plain ESO cluster (see {@link cluster})
   */
  readonly space?: string;
  /**
   * The plain ESO cluster whose controller uses it.
   * @default none: the principal of a Space
   */
  readonly cluster?: ClusterSubject;
  /** Environment the principal is dedicated to, when it is dedicated to one. */
  readonly environment?: string;
  /** Planes that can act as this principal (trust subjects, associations, bindings); empty for a cluster's principal. */
  readonly planes: readonly PlaneSubject[];
  /** What it may read, list, decrypt or write. */
  readonly grants: readonly AccessGrant[];
  /** Construct paths of the stores (Spaces `SecretStore`s or `EsoSecretStore`s) that authenticate with it. */
  readonly stores: readonly string[];
}

/**
 * A file of an identity plan (path relative to the output directory): an IAM document as a value,
 * or text that is built only when the file is written (READMEs, YAML). See {@link renderPlannedFile}.
 */
export type PlannedFile =
  | {
      readonly path: string;
      /** A JSON document. */
      readonly json: unknown;
      /**
       * `sorted`: keys sorted at every level; `as-given`: in the order the value has (IAM policies,
       * CLI input documents).
       */
      readonly keys: 'sorted' | 'as-given';
    }
  | {
      readonly path: string;
      /** Builds the text. */
      readonly text: () => string;
      /**
       * The Crossplane managed resources the text renders (a `crossplane/` file), for the check that
       * their object names are unique across every owner whose output lands on one Crossplane cluster.
       * @default none
       */
      readonly objects?: readonly Record<string, unknown>[];
    };

/** The text of a planned file: JSON with two-space indent (keys sorted, or as given), or the built text. */
export function renderPlannedFile(file: PlannedFile): string {
  if ('text' in file) return file.text();
  return file.keys === 'sorted' ? toJson(file.json) : `${JSON.stringify(file.json, null, 2)}\n`;
}

/** The identity side of one Space (or plain ESO cluster), derived from the model. */
export interface IdentityPlan {
  /** Problems (cloud limits, missing settings) that must stop synthesis. */
  readonly problems: readonly Problem[];
  /** Principals and their grants (for the access analysis). */
  readonly principals: readonly CloudPrincipal[];
  /** IAM documents and helper files. */
  readonly files: readonly PlannedFile[];
  /** Annotations for `controlPlanes.sharedSecrets.serviceAccount.customAnnotations` (Spaces) or ESO's `serviceAccount.annotations`. */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Labels for `controlPlanes.sharedSecrets.pod.customLabels` (Spaces) or ESO's `podLabels`. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** Computes the identity plan of a Space whose identity is of one cloud, from where its stores and secrets land. */
export type IdentityPlanner = (space: Space, placement: Placement) => IdentityPlan;

/**
 * The identity plans of every Space and plain ESO cluster, and every principal: the context's
 * `identity`, read by the access analysis and the report.
 */
export interface IdentityFacts {
  /** Plans by Space name. */
  readonly plans: ReadonlyMap<string, IdentityPlan>;
  /**
   * Plans of the plain ESO clusters with a workload identity, by cluster name.
   * @default none
   */
  readonly clusterPlans?: ReadonlyMap<string, IdentityPlan>;
  /** Every principal of every Space and ESO cluster, sorted by id. */
  readonly principals: readonly CloudPrincipal[];
}

/** An empty plan (a Space without workload identity). */
export function emptyPlan(): IdentityPlan {
  return { problems: [], principals: [], files: [], serviceAccountAnnotations: {}, podLabels: {} };
}
