/**
 * How the access analysis names the resources of secret backends, as plain types: where a
 * backend's names live, and the patterns of names an ownership declaration claims. Shared by the
 * model (ownership declarations) and the backends' access models.
 */

/**
 * Where a backend's names live: the service and the segments that tell two namespaces of names
 * apart (AWS: partition, region, account; Key Vault: the vault; GCP: the project and location).
 * A segment `*` is not known and may be any value.
 */
export interface NameSpace {
  readonly service: 'aws-secretsmanager' | 'aws-ssm' | 'azure-keyvault' | 'gcp-secretmanager';
  readonly parts: readonly string[];
}

/** A pattern of names an ownership declaration claims. */
export interface NamePattern {
  readonly space: NameSpace;
  /** Exact names. @default none */
  readonly names?: readonly string[];
  /** Name prefixes (`''` = every name of the space). @default none */
  readonly prefixes?: readonly string[];
}
