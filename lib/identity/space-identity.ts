import type { Cloud } from '../model/space.js';

/** The workload-identity mechanisms a Space's shared-secrets controller can use. */
export type IdentityMode = 'aws-irsa' | 'aws-pod-identity' | 'azure-workload-identity' | 'gcp-principal' | 'gcp-impersonation';

/** Props of AWS IAM Roles for Service Accounts. */
export interface AwsIrsaProps {
  /** AWS account (12 digits) that holds the IAM roles and the OIDC provider. */
  readonly accountId: string;
  /** The EKS cluster's OIDC issuer URL, e.g. `https://oidc.eks.eu-central-1.amazonaws.com/id/ABC...`. */
  readonly oidcIssuer: string;
  /**
   * AWS partition.
   * @default 'aws'
   */
  readonly partition?: string;
}

/** Props of EKS Pod Identity. */
export interface AwsPodIdentityProps {
  /** AWS account (12 digits) that holds the IAM roles. */
  readonly accountId: string;
  /** Name of the EKS cluster the Space runs on (pod identity associations are per cluster). */
  readonly clusterName: string;
  /**
   * AWS partition.
   * @default 'aws'
   */
  readonly partition?: string;
}

/** Props of Azure workload identity (a user-assigned managed identity with federated credentials). */
export interface AzureWorkloadIdentityProps {
  /** Microsoft Entra tenant ID (a UUID). */
  readonly tenantId: string;
  /** Client ID (a UUID) of the user-assigned managed identity. */
  readonly clientId: string;
  /** The AKS cluster's OIDC issuer URL. */
  readonly oidcIssuer: string;
  /** Name of the user-assigned managed identity. */
  readonly identityName: string;
  /** Resource group of the managed identity. */
  readonly resourceGroup: string;
  /** Subscription (a UUID) of the managed identity. */
  readonly subscriptionId: string;
}

/** Props of GCP workload identity federation for GKE. */
export interface GcpWorkloadIdentityProps {
  /** Project ID of the GKE cluster (its workload pool is `<projectId>.svc.id.goog`). */
  readonly projectId: string;
  /** Project number of that project (digits). */
  readonly projectNumber: string;
}

/** Props of GCP service-account impersonation. */
export interface GcpImpersonationProps extends GcpWorkloadIdentityProps {
  /** Email of the Google service account the controller impersonates. */
  readonly serviceAccountEmail: string;
}

/**
 * The cloud identity of a Space's shared-secrets controller (the ESO that runs in every plane's
 * host namespace as `external-secrets-controller`).
 */
export abstract class SpaceIdentity {
  /** AWS IRSA: the controller's service account is annotated with an IAM role. */
  public static awsIrsa(props: AwsIrsaProps): SpaceIdentity {
    return new AwsIdentity('aws-irsa', props.accountId, props.partition ?? 'aws', props.oidcIssuer, undefined);
  }

  /** EKS Pod Identity: one pod identity association per plane host namespace. */
  public static awsPodIdentity(props: AwsPodIdentityProps): SpaceIdentity {
    return new AwsIdentity('aws-pod-identity', props.accountId, props.partition ?? 'aws', undefined, props.clusterName);
  }

  /** Azure workload identity: a user-assigned managed identity with federated credentials. */
  public static azureWorkloadIdentity(props: AzureWorkloadIdentityProps): SpaceIdentity {
    return new AzureIdentity(props);
  }

  /** GCP workload identity with IAM principal identifiers (no annotation; access per plane). */
  public static gcpWorkloadIdentity(props: GcpWorkloadIdentityProps): SpaceIdentity {
    return new GcpIdentity('gcp-principal', props.projectId, props.projectNumber, undefined);
  }

  /** GCP workload identity through impersonation of a Google service account. */
  public static gcpImpersonation(props: GcpImpersonationProps): SpaceIdentity {
    return new GcpIdentity('gcp-impersonation', props.projectId, props.projectNumber, props.serviceAccountEmail);
  }

  /** The mechanism. */
  public abstract readonly mode: IdentityMode;
  /** The cloud it belongs to. */
  public abstract readonly cloud: Cloud;
  /** Short description for messages. */
  public describe(): string {
    return this.mode;
  }
}

/** AWS IRSA or EKS Pod Identity. */
export class AwsIdentity extends SpaceIdentity {
  public readonly cloud = 'aws' as const;
  public constructor(
    public readonly mode: 'aws-irsa' | 'aws-pod-identity',
    /** AWS account ID. */
    public readonly accountId: string,
    /** AWS partition. */
    public readonly partition: string,
    /** OIDC issuer URL (IRSA). */
    public readonly oidcIssuer: string | undefined,
    /** EKS cluster name (Pod Identity). */
    public readonly clusterName: string | undefined,
  ) {
    super();
  }
}

/** Azure workload identity. */
export class AzureIdentity extends SpaceIdentity {
  public readonly cloud = 'azure' as const;
  public readonly mode = 'azure-workload-identity' as const;
  public constructor(public readonly props: AzureWorkloadIdentityProps) {
    super();
  }
}

/** GCP workload identity (principal identifiers or impersonation). */
export class GcpIdentity extends SpaceIdentity {
  public readonly cloud = 'gcp' as const;
  public constructor(
    public readonly mode: 'gcp-principal' | 'gcp-impersonation',
    /** Project ID of the cluster. */
    public readonly projectId: string,
    /** Project number of the cluster's project. */
    public readonly projectNumber: string,
    /** Google service account (impersonation). */
    public readonly serviceAccountEmail: string | undefined,
  ) {
    super();
  }
}
