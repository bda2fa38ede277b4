import { checkUrl } from './url.js';
import type { Cloud } from './space.js';
import { checkUuid } from './validation.js';
import {
  AWS_ACCOUNT_ID,
  AWS_PARTITION,
  AWS_REGION,
  AWS_ROLE_NAME_PREFIX,
  AZURE_LOCATION,
  AZURE_MANAGED_IDENTITY_NAME,
  AZURE_RESOURCE_GROUP,
  EKS_CLUSTER_NAME,
  GCP_PROJECT_ID,
  GCP_PROJECT_NUMBER,
  GCP_ROLE,
  GCP_SERVICE_ACCOUNT_EMAIL,
  OIDC_ISSUER_URL,
} from '../private/cloud-ids.js';
import { isDnsLabel, isDnsSubdomain } from '../private/k8s-names.js';
import { quoteValue } from '../private/terminal.js';
import { shortHash } from '../private/hash.js';
import {
  AwsIrsaPropsSchema,
  AwsPodIdentityPropsSchema,
  AzureWorkloadIdentityPropsSchema,
  GcpImpersonationPropsSchema,
  GcpWorkloadIdentityPropsSchema,
} from './props.js';
import { typedValue as typed, typeProblemsOf } from './typed.js';

const NO_AWS = { accountId: '', oidcIssuer: '', clusterName: '' };
const NO_AZURE = { tenantId: '', clientId: '', oidcIssuer: '', identityName: '', resourceGroup: '', subscriptionId: '' };
const NO_GCP = { projectId: '', projectNumber: '', serviceAccountEmail: '' };

/** The workload-identity mechanisms a Space's shared-secrets controller can use. */
export const IDENTITY_MODES = ['aws-irsa', 'aws-pod-identity', 'azure-workload-identity', 'gcp-principal', 'gcp-impersonation'] as const;
/** A workload-identity mechanism. */
export type IdentityMode = (typeof IDENTITY_MODES)[number];

/** The ways the IAM permission policy of a role can be attached. */
export const AWS_POLICY_ATTACHMENTS = ['managed', 'inline'] as const;
/** How the IAM permission policy of a role is attached. */
export type AwsPolicyAttachment = (typeof AWS_POLICY_ATTACHMENTS)[number];

/** Settings common to IRSA and EKS Pod Identity: naming of the generated roles and IAM quotas. */
export interface AwsRoleOptions {
  /**
   * AWS partition.
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * Prefix of every generated role (and managed policy) name, e.g. `platform-`: at most 32
   * letters, digits and `+=,.@_-`.
   * @default '' (roles are named `<space>[-<environment>]-shared-secrets`)
   */
  readonly roleNamePrefix?: string;
  /**
   * Longest role trust policy, in characters without whitespace. IAM allows 2,048 by default; the
   * quota "Role trust policy length" can be raised to 4,096. Set it to your account's quota.
   * @default 2048
   */
  readonly trustPolicyMaxChars?: number;
  /**
   * How many managed policies may be attached to one role (IAM quota "Managed policies per role":
   * 10 by default, at most 20). A permission policy over 6,144 characters is split into several.
   * @default 10
   */
  readonly maxManagedPoliciesPerRole?: number;
  /**
   * Attach the permission policy as customer-managed policies (`create-policy`, split at 6,144
   * characters) or as one inline policy (`put-role-policy`, at most 10,240 characters per role).
   * @default 'managed'
   */
  readonly permissionPolicy?: AwsPolicyAttachment;
  /**
   * Also emit the roles and policies as Crossplane managed resources (provider-upjet-aws
   * `iam.aws.upbound.io/v1beta1` `Role`, `Policy`, `RolePolicyAttachment`) under
   * `<spaces/<space> | clusters/<cluster>>/iam/aws/crossplane/` (for the cluster that runs Crossplane;
   * not in kustomizations). `true` uses the `default` ProviderConfig; `{ providerConfigName }` names
   * another. With EKS Pod Identity, the pod identity associations too (`eks.aws.upbound.io/v1beta1`
   * `PodIdentityAssociation`, which needs the cluster's `region`).
   * @default false
   */
  readonly crossplane?: boolean | AwsCrossplaneOptions;
}

/** The kinds of ProviderConfig a namespaced (Crossplane v2) managed resource can use. */
export const CROSSPLANE_PROVIDER_CONFIG_KINDS = ['ClusterProviderConfig', 'ProviderConfig'] as const;
/** A ProviderConfig kind of a namespaced managed resource: cluster-wide, or one in the resource's namespace. */
export type CrossplaneProviderConfigKind = (typeof CROSSPLANE_PROVIDER_CONFIG_KINDS)[number];

/** Options of the AWS Crossplane output. */
export interface AwsCrossplaneOptions {
  /**
   * ProviderConfig of provider-upjet-aws the objects use (`spec.providerConfigRef.name`).
   * @default none: Crossplane's `default` ProviderConfig
   */
  readonly providerConfigName?: string;
  /**
   * Emit the namespaced managed resources of Crossplane v2 (`iam.aws.m.upbound.io/v1beta1`,
   * `eks.aws.m.upbound.io/v1beta1`) in this namespace, instead of the cluster-scoped ones.
   * @default none: cluster-scoped `iam.aws.upbound.io` / `eks.aws.upbound.io` objects
   */
  readonly namespace?: string;
  /**
   * Kind of the ProviderConfig of namespaced objects (`spec.providerConfigRef.kind`): a
   * `ClusterProviderConfig`, or a `ProviderConfig` in the objects' namespace. Only with `namespace`.
   * @default 'ClusterProviderConfig'
   */
  readonly providerConfigKind?: CrossplaneProviderConfigKind;
}

/**
 * How the SharedSecretStores of an IRSA Space authenticate (`spec.provider.aws.auth`):
 * - `service-account-ref`: `auth.jwt.serviceAccountRef: { name: external-secrets-controller }`, the
 *   form Upbound's self-hosted Spaces documentation gives for IRSA (the provider resolves the
 *   service account in the plane's host namespace, where the Helm values annotate it);
 * - `ambient`: no `auth` block; ESO uses the AWS SDK's default chain of the controller pod (the
 *   web identity token EKS injects for the annotated service account).
 */
export const AWS_STORE_AUTH_MODES = ['service-account-ref', 'ambient'] as const;
/** A {@link AWS_STORE_AUTH_MODES} member. */
export type AwsStoreAuth = (typeof AWS_STORE_AUTH_MODES)[number];

/** Props of AWS IAM Roles for Service Accounts. */
export interface AwsIrsaProps extends AwsRoleOptions {
  /** AWS account (12 digits) that holds the IAM roles and the OIDC provider. */
  readonly accountId: string;
  /** The EKS cluster's OIDC issuer URL, e.g. `https://oidc.eks.eu-central-1.amazonaws.com/id/ABC...`. */
  readonly oidcIssuer: string;
  /**
   * How the Space's SharedSecretStores without static credentials authenticate (see
   * {@link AWS_STORE_AUTH_MODES}): the documented `auth.jwt.serviceAccountRef` naming
   * `external-secrets-controller`, or `ambient` (no auth block, the SDK's default chain). Plain ESO
   * clusters always use the ambient form.
   * @default 'service-account-ref'
   */
  readonly storeAuth?: AwsStoreAuth;
}

/**
 * Which planes share an EKS Pod Identity role:
 * - `environment`: one role per environment of the Space, shared by the planes of every group in it;
 * - `group-environment`: one role per group and environment, so a plane of one group cannot read
 *   what another group's planes of the same environment read;
 * - `plane`: one role per plane, which reads exactly what is delivered to that plane.
 *
 * A plane without environment always has its own role. Roles are named
 * `<prefix><space>-<environment>`, `<prefix><space>-<group>-<environment>` or
 * `<prefix><space>-<group>-<plane>`, each followed by `-shared-secrets`.
 */
export type AwsRoleScope = (typeof AWS_ROLE_SCOPES)[number];
/** The {@link AwsRoleScope}s. */
export const AWS_ROLE_SCOPES = ['environment', 'group-environment', 'plane'] as const;

/** Props of EKS Pod Identity. */
export interface AwsPodIdentityProps extends AwsRoleOptions {
  /** AWS account (12 digits) that holds the IAM roles. */
  readonly accountId: string;
  /** Name of the EKS cluster the Space runs on (pod identity associations are per cluster). */
  readonly clusterName: string;
  /**
   * Region of the EKS cluster. With it, the trust policy also requires `aws:SourceArn` = the
   * cluster's ARN, so only this cluster's pod identity associations can use the roles.
   * @default none: the trust policy checks `aws:SourceAccount` only
   */
  readonly region?: string;
  /**
   * Which planes share a role (see {@link AwsRoleScope}). Narrower scopes give more roles, each
   * with a smaller permission policy; the trust policy does not grow (associations name the planes).
   * @default 'environment'
   */
  readonly roleScope?: AwsRoleScope;
}

/** Props of Azure workload identity (a user-assigned managed identity with federated credentials). */
export interface AzureWorkloadIdentityProps {
  /** Microsoft Entra tenant ID (a UUID). */
  readonly tenantId: string;
  /** Client ID (a UUID) of the user-assigned managed identity. */
  readonly clientId: string;
  /**
   * The AKS cluster's OIDC issuer URL, exactly as `az aks show --query oidcIssuerProfile.issuerUrl`
   * prints it (with its trailing slash): federated credentials match it character for character.
   */
  readonly oidcIssuer: string;
  /** Name of the user-assigned managed identity. */
  readonly identityName: string;
  /** Resource group of the managed identity. */
  readonly resourceGroup: string;
  /** Subscription (a UUID) of the managed identity. */
  readonly subscriptionId: string;
  /**
   * Principal (object) ID of the managed identity (a UUID), the assignee of role assignments and
   * access policies (`az identity show --query principalId`).
   * @default looked up: the IAM files carry the `az` command and ARM expression that read it
   */
  readonly principalId?: string;
  /**
   * Azure region of the managed identity, e.g. `westeurope`. Only the Crossplane output needs it.
   * @default none
   */
  readonly location?: string;
  /**
   * Also emit the identity and its federated credentials as Crossplane managed resources
   * (provider-upjet-azure `managedidentity.azure.upbound.io/v1beta1`), under
   * `spaces/<space>/iam/azure/crossplane/` (for the cluster that runs Crossplane; not in kustomizations).
   * @default false
   */
  readonly crossplane?: boolean;
}

/** Props of GCP workload identity federation for GKE. */
export interface GcpWorkloadIdentityProps {
  /** Project ID of the GKE cluster (its workload pool is `<projectId>.svc.id.goog`). */
  readonly projectId: string;
  /** Project number of that project (digits). */
  readonly projectNumber: string;
  /**
   * Role granted on a secrets project when a secret uses `dataFrom.find` (ESO lists the project's
   * secrets). A custom role holding only `secretmanager.secrets.list` is narrower.
   * @default 'roles/secretmanager.viewer'
   */
  readonly listRole?: string;
  /**
   * Also emit the IAM members as Crossplane managed resources (provider-upjet-gcp
   * `cloudplatform.gcp.upbound.io/v1beta2` ProjectIAMMember / ServiceAccountIAMMember), under
   * `spaces/<space>/iam/gcp/crossplane/` (for the cluster that runs Crossplane; not in kustomizations).
   * @default false
   */
  readonly crossplane?: boolean;
}

/** Props of GCP service-account impersonation. */
export interface GcpImpersonationProps extends GcpWorkloadIdentityProps {
  /** Email of the Google service account the controller impersonates (`<name>@<project>.iam.gserviceaccount.com`). */
  readonly serviceAccountEmail: string;
}

/**
 * The cloud identity of a Space's shared-secrets controller (the ESO that runs in every plane's
 * host namespace as `external-secrets-controller`).
 */
export abstract class SpaceIdentity {
  /** AWS IRSA: the controller's service account is annotated with an IAM role. */
  public static awsIrsa(props: AwsIrsaProps): SpaceIdentity {
    return typed(AwsIrsaPropsSchema, props, NO_AWS, (p: AwsIrsaProps) => AwsIdentity.create('aws-irsa', p));
  }

  /** EKS Pod Identity: one pod identity association per plane host namespace. */
  public static awsPodIdentity(props: AwsPodIdentityProps): SpaceIdentity {
    return typed(AwsPodIdentityPropsSchema, props, NO_AWS, (p: AwsPodIdentityProps) => AwsIdentity.create('aws-pod-identity', p));
  }

  /** Azure workload identity: a user-assigned managed identity with federated credentials. */
  public static azureWorkloadIdentity(props: AzureWorkloadIdentityProps): SpaceIdentity {
    return typed(AzureWorkloadIdentityPropsSchema, props, NO_AZURE, (p: AzureWorkloadIdentityProps) => AzureIdentity.create(p));
  }

  /** GCP workload identity with IAM principal identifiers (no annotation; access per plane). */
  public static gcpWorkloadIdentity(props: GcpWorkloadIdentityProps): SpaceIdentity {
    return typed(GcpWorkloadIdentityPropsSchema, props, NO_GCP, (p: GcpWorkloadIdentityProps) =>
      GcpIdentity.create('gcp-principal', p.projectId, p.projectNumber, undefined, p),
    );
  }

  /** GCP workload identity through impersonation of a Google service account. */
  public static gcpImpersonation(props: GcpImpersonationProps): SpaceIdentity {
    return typed(GcpImpersonationPropsSchema, props, NO_GCP, (p: GcpImpersonationProps) =>
      GcpIdentity.create('gcp-impersonation', p.projectId, p.projectNumber, p.serviceAccountEmail, p),
    );
  }

  /** The mechanism. */
  public abstract readonly mode: IdentityMode;
  /** The cloud it belongs to. */
  public abstract readonly cloud: Cloud;
  /** Short description for messages. */
  /**
   * Where the tokens of the cluster's service accounts come from, for the access analysis: two
   * workloads with the same domain, namespace and service account are one principal to the cloud.
   * `oidc:<issuer host and path>` (IRSA, Azure), `eks:<partition>:<region>:<account>:<cluster>`
   * (Pod Identity; `*` for an unknown region), `gke:<workload pool>` (GCP).
   */
  public abstract tokenDomain(): string;

  public describe(): string {
    return this.mode;
  }
}

/** IAM quotas the generated AWS documents are checked against (characters exclude whitespace). */
export const AWS_IAM_LIMITS = {
  /** Default role trust policy length. */
  trustPolicyDefault: 2048,
  /** Highest role trust policy length the quota can be raised to. */
  trustPolicyMax: 4096,
  /** Size of one customer-managed policy. */
  managedPolicy: 6144,
  /** Default number of managed policies per role. */
  managedPoliciesPerRoleDefault: 10,
  /** Highest number of managed policies per role the quota can be raised to. */
  managedPoliciesPerRoleMax: 20,
  /** Total size of the inline policies of one role. */
  inlinePoliciesPerRole: 10240,
  /** Length of a role name. */
  roleName: 64,
} as const;

/** Last word of the role of a Space's shared-secrets controllers. */
export const SPACES_ROLE_SUFFIX = 'shared-secrets';

/**
 * `<prefix><parts joined by '-'>-<suffix>`; names over 64 characters are cut and end in 8 hex
 * digits of their SHA-256, so they stay unique and stable.
 */
export function roleName(prefix: string, parts: readonly string[], suffix: string = SPACES_ROLE_SUFFIX): string {
  const full = `${prefix}${parts.join('-')}-${suffix}`;
  if (full.length <= AWS_IAM_LIMITS.roleName) return full;
  return `${full.slice(0, AWS_IAM_LIMITS.roleName - 9)}-${shortHash(full)}`;
}

/** AWS IRSA or EKS Pod Identity. */
export class AwsIdentity extends SpaceIdentity {
  public readonly cloud = 'aws' as const;
  /** AWS account ID that holds the roles. */
  public readonly accountId: string;
  /** AWS partition. */
  public readonly partition: string;
  /** OIDC issuer URL (IRSA). */
  public readonly oidcIssuer: string | undefined;
  /** EKS cluster name (Pod Identity). */
  public readonly clusterName: string | undefined;
  /** EKS cluster region (Pod Identity), for `aws:SourceArn`. */
  public readonly region: string | undefined;
  /** Prefix of role and policy names. */
  public readonly roleNamePrefix: string;
  /** Longest trust policy allowed. */
  public readonly trustPolicyMaxChars: number;
  /** Most managed policies per role. */
  public readonly maxManagedPoliciesPerRole: number;
  /** Managed or inline permission policies. */
  public readonly permissionPolicy: AwsPolicyAttachment;
  /** Which planes share a Pod Identity role (always `environment` for IRSA, which has one role per Space). */
  public readonly roleScope: AwsRoleScope;
  /** Whether Crossplane managed resources are emitted too. */
  public readonly crossplane: boolean;
  /** ProviderConfig of the Crossplane objects, when not the default one. */
  public readonly crossplaneProviderConfig: string | undefined;
  /** Namespace of namespaced (Crossplane v2) objects; undefined for cluster-scoped ones. */
  public readonly crossplaneNamespace: string | undefined;
  /** Kind of the ProviderConfig of namespaced objects, when given. */
  public readonly crossplaneProviderConfigKind: CrossplaneProviderConfigKind | undefined;
  /** How the Space's stores authenticate (IRSA; always `ambient` for Pod Identity). */
  public readonly storeAuth: AwsStoreAuth;

  /** Creates the identity of {@link SpaceIdentity.awsIrsa} or {@link SpaceIdentity.awsPodIdentity} (use those). */
  public static create(mode: 'aws-irsa' | 'aws-pod-identity', props: AwsIrsaProps | AwsPodIdentityProps): AwsIdentity {
    return new AwsIdentity(mode, props);
  }

  private constructor(
    /** IRSA or Pod Identity. */
    public readonly mode: 'aws-irsa' | 'aws-pod-identity',
    props: AwsIrsaProps | AwsPodIdentityProps,
  ) {
    super();
    this.accountId = props.accountId;
    this.partition = props.partition ?? 'aws';
    this.oidcIssuer = 'oidcIssuer' in props ? props.oidcIssuer : undefined;
    this.clusterName = 'clusterName' in props ? props.clusterName : undefined;
    this.region = 'region' in props ? props.region : undefined;
    this.roleNamePrefix = props.roleNamePrefix ?? '';
    this.trustPolicyMaxChars = props.trustPolicyMaxChars ?? AWS_IAM_LIMITS.trustPolicyDefault;
    this.maxManagedPoliciesPerRole = props.maxManagedPoliciesPerRole ?? AWS_IAM_LIMITS.managedPoliciesPerRoleDefault;
    this.permissionPolicy = props.permissionPolicy ?? 'managed';
    this.roleScope = (mode === 'aws-pod-identity' && 'roleScope' in props ? props.roleScope : undefined) ?? 'environment';
    this.crossplane = props.crossplane !== undefined && props.crossplane !== false;
    const xp = typeof props.crossplane === 'object' && props.crossplane !== null ? props.crossplane : undefined;
    this.crossplaneProviderConfig = xp?.providerConfigName;
    this.crossplaneNamespace = xp?.namespace;
    this.crossplaneProviderConfigKind = xp?.providerConfigKind;
    this.storeAuth = mode === 'aws-irsa' ? (('storeAuth' in props ? props.storeAuth : undefined) ?? 'service-account-ref') : 'ambient';
  }

  /** The OIDC provider as IAM names it: the issuer URL without `https://` and trailing `/`. */
  public tokenDomain(): string {
    if (this.mode === 'aws-irsa') return oidcDomain(this.oidcIssuer);
    return `eks:${this.partition}:${this.region ?? '*'}:${this.accountId}:${this.clusterName ?? ''}`;
  }

  public get oidcProvider(): string | undefined {
    return this.oidcIssuer?.replace(/^https:\/\//, '').replace(/\/+$/, '');
  }

  /** Problems with the settings (every one, each with its fix). */
  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const out: string[] = [];
    const q = (v: unknown): string => quoteValue(v);
    const L = AWS_IAM_LIMITS;
    if (!AWS_ACCOUNT_ID.test(this.accountId ?? ''))
      out.push(`accountId ${q(this.accountId)} is not an AWS account ID: use the 12 digits, e.g. "123456789012".`);
    if (!AWS_PARTITION.test(this.partition))
      out.push(`partition ${q(this.partition)} is not an AWS partition: use "aws", "aws-cn" or "aws-us-gov".`);
    const awsIssuer =
      this.mode === 'aws-irsa'
        ? checkUrl(this.oidcIssuer, 'oidcIssuer', {
            schemes: ['https'],
            example: 'https://oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
          })
        : undefined;
    if (awsIssuer)
      out.push(`${awsIssuer} The cluster's issuer is "aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer".`);
    else if (this.mode === 'aws-irsa' && !OIDC_ISSUER_URL.test(this.oidcIssuer ?? '')) {
      out.push(
        `oidcIssuer ${q(this.oidcIssuer)} is not an OIDC issuer URL: use the cluster's issuer (aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer), e.g. "https://oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE".`,
      );
    }
    if (this.mode === 'aws-pod-identity' && !EKS_CLUSTER_NAME.test(this.clusterName ?? '')) {
      out.push(
        `clusterName ${q(this.clusterName)} is not an EKS cluster name: use 1-100 letters, digits, '-' and '_', starting with a letter or digit.`,
      );
    }
    if (this.region !== undefined && !AWS_REGION.test(this.region))
      out.push(`region ${q(this.region)} is not an AWS region: use a region code such as "eu-central-1".`);
    if (!AWS_ROLE_NAME_PREFIX.test(this.roleNamePrefix))
      out.push(
        `roleNamePrefix ${q(this.roleNamePrefix)} cannot start IAM role names: use at most 32 letters, digits and +=,.@_- (e.g. "platform-").`,
      );
    if (!Number.isInteger(this.trustPolicyMaxChars) || this.trustPolicyMaxChars < 1 || this.trustPolicyMaxChars > L.trustPolicyMax) {
      out.push(
        `trustPolicyMaxChars ${q(this.trustPolicyMaxChars)} is out of range: a role trust policy can have at most ${L.trustPolicyMax} characters (${L.trustPolicyDefault} unless the quota was raised); use a whole number from 1 to ${L.trustPolicyMax}.`,
      );
    }
    if (
      !Number.isInteger(this.maxManagedPoliciesPerRole) ||
      this.maxManagedPoliciesPerRole < 1 ||
      this.maxManagedPoliciesPerRole > L.managedPoliciesPerRoleMax
    ) {
      out.push(
        `maxManagedPoliciesPerRole ${q(this.maxManagedPoliciesPerRole)} is out of range: a role can have at most ${L.managedPoliciesPerRoleMax} managed policies (${L.managedPoliciesPerRoleDefault} unless the quota was raised); use a whole number from 1 to ${L.managedPoliciesPerRoleMax}.`,
      );
    }
    // permissionPolicy, roleScope, storeAuth and crossplane.providerConfigKind are closed lists of the props schema.
    const pc = this.crossplaneProviderConfig;
    if (pc !== undefined && !isDnsSubdomain(pc)) {
      out.push(
        `crossplane.providerConfigName ${q(pc)} is not a Kubernetes object name: use the name of a provider-upjet-aws ProviderConfig (lowercase letters, digits, '-' and '.'), e.g. "aws-iam".`,
      );
    }
    const ns = this.crossplaneNamespace;
    if (ns !== undefined && !isDnsLabel(ns)) {
      out.push(
        `crossplane.namespace ${quoteValue(ns)} is not a namespace name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. "crossplane-iam"), or leave it out for cluster-scoped objects.`,
      );
    }
    const kind = this.crossplaneProviderConfigKind;
    if (kind !== undefined && ns === undefined)
      out.push(
        `crossplane.providerConfigKind ${q(kind)} is set without crossplane.namespace: cluster-scoped objects name only their ProviderConfig; set namespace for the namespaced (Crossplane v2) objects, or remove providerConfigKind.`,
      );
    if (this.crossplane && this.mode === 'aws-pod-identity' && this.region === undefined)
      out.push(
        `crossplane is on, and its PodIdentityAssociation objects need the EKS cluster's region (spec.forProvider.region): set region, e.g. "eu-central-1" (aws eks describe-cluster --name ${this.clusterName ?? '<cluster>'} --query cluster.arn shows it).`,
      );
    return out;
  }
}

/** Azure workload identity: one user-assigned managed identity shared by every plane of the Space. */
export class AzureIdentity extends SpaceIdentity {
  public readonly cloud = 'azure' as const;
  public readonly mode = 'azure-workload-identity' as const;
  /** Creates the identity of {@link SpaceIdentity.azureWorkloadIdentity} (use that). */
  public static create(props: AzureWorkloadIdentityProps): AzureIdentity {
    return new AzureIdentity(props);
  }

  private constructor(public readonly props: AzureWorkloadIdentityProps) {
    super();
  }

  public tokenDomain(): string {
    return oidcDomain(this.props.oidcIssuer);
  }

  /** ARM resource ID of the managed identity. */
  public get resourceId(): string {
    const p = this.props;
    return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${p.identityName}`;
  }

  public override describe(): string {
    return `${this.mode} (managed identity "${this.props.identityName}")`;
  }

  /** Problems with the props (empty when valid); each names the prop, quotes the value and says the fix. */
  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const p = this.props;
    const out: string[] = [];
    for (const [what, value] of [
      ['tenantId', p.tenantId],
      ['clientId', p.clientId],
      ['subscriptionId', p.subscriptionId],
    ] as const) {
      const m = checkUuid(value, what);
      if (m) out.push(m);
    }
    if (p.principalId !== undefined) {
      const m = checkUuid(p.principalId, 'principalId');
      if (m) out.push(`${m} (az identity show --name ${p.identityName} --resource-group ${p.resourceGroup} --query principalId -o tsv)`);
    }
    const issuer = checkUrl(p.oidcIssuer, 'oidcIssuer', {
      schemes: ['https'],
      example: 'https://westeurope.oic.prod-aks.azure.com/<tenant>/<uuid>/',
    });
    if (issuer)
      out.push(
        `${issuer} The AKS issuer is "az aks show --name <cluster> --resource-group <rg> --query oidcIssuerProfile.issuerUrl -o tsv".`,
      );
    if (typeof p.identityName !== 'string' || !AZURE_MANAGED_IDENTITY_NAME.test(p.identityName)) {
      out.push(
        `identityName ${quoteValue(p.identityName)} is not a managed identity name: use 3-128 letters, digits, '-' and '_', starting with a letter or digit (e.g. "spaces-shared-secrets").`,
      );
    }
    if (typeof p.resourceGroup !== 'string' || !AZURE_RESOURCE_GROUP.test(p.resourceGroup) || p.resourceGroup.endsWith('.')) {
      out.push(
        `resourceGroup ${quoteValue(p.resourceGroup)} is not a resource group name: use 1-90 letters, digits, '-', '_', '.', '(' and ')', not ending with '.' (e.g. "rg-spaces").`,
      );
    }
    if (p.location !== undefined && !AZURE_LOCATION.test(p.location)) {
      out.push(
        `location ${quoteValue(p.location)} is not an Azure region name: use the lowercase name without spaces (e.g. "westeurope").`,
      );
    }
    return out;
  }
}

/** GCP workload identity (principal identifiers or impersonation). */
export class GcpIdentity extends SpaceIdentity {
  public readonly cloud = 'gcp' as const;
  /** Role granted on a secrets project for `dataFrom.find` (listing secrets). */
  public readonly listRole: string;
  /** Whether Crossplane managed resources are emitted too. */
  public readonly crossplane: boolean;
  /** Creates the identity of {@link SpaceIdentity.gcpWorkloadIdentity} or {@link SpaceIdentity.gcpImpersonation} (use those). */
  public static create(
    mode: 'gcp-principal' | 'gcp-impersonation',
    projectId: string,
    projectNumber: string,
    serviceAccountEmail: string | undefined,
    options: { readonly listRole?: string; readonly crossplane?: boolean } = {},
  ): GcpIdentity {
    return new GcpIdentity(mode, projectId, projectNumber, serviceAccountEmail, options);
  }

  private constructor(
    public readonly mode: 'gcp-principal' | 'gcp-impersonation',
    /** Project ID of the cluster. */
    public readonly projectId: string,
    /** Project number of the cluster's project. */
    public readonly projectNumber: string,
    /** Google service account (impersonation). */
    public readonly serviceAccountEmail: string | undefined,
    /** Further options. */
    options: { readonly listRole?: string; readonly crossplane?: boolean } = {},
  ) {
    super();
    this.listRole = options.listRole ?? 'roles/secretmanager.viewer';
    this.crossplane = options.crossplane ?? false;
  }

  public tokenDomain(): string {
    return `gke:${this.workloadPool}`;
  }

  /** The GKE workload identity pool, `<projectId>.svc.id.goog`. */
  public get workloadPool(): string {
    return `${this.projectId}.svc.id.goog`;
  }

  public override describe(): string {
    return this.mode === 'gcp-impersonation' ? `${this.mode} (${this.serviceAccountEmail})` : `${this.mode} (${this.workloadPool})`;
  }

  /** Problems with the props (empty when valid); each names the prop, quotes the value and says the fix. */
  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const out: string[] = [];
    if (typeof this.projectId !== 'string' || !GCP_PROJECT_ID.test(this.projectId)) {
      out.push(
        `projectId ${quoteValue(this.projectId)} is not a GCP project ID: use the cluster project's ID (6-30 lowercase letters, digits and '-', starting with a letter), not its name or number.`,
      );
    }
    if (typeof this.projectNumber !== 'string' || !GCP_PROJECT_NUMBER.test(this.projectNumber)) {
      out.push(
        `projectNumber ${quoteValue(this.projectNumber)} is not a GCP project number: use the digits printed by "gcloud projects describe ${GCP_PROJECT_ID.test(this.projectId ?? '') ? this.projectId : '<project-id>'} --format='value(projectNumber)'" (a string, e.g. "123456789012").`,
      );
    }
    if (this.mode === 'gcp-impersonation') {
      if (typeof this.serviceAccountEmail !== 'string' || !GCP_SERVICE_ACCOUNT_EMAIL.test(this.serviceAccountEmail)) {
        out.push(
          `serviceAccountEmail ${quoteValue(this.serviceAccountEmail)} is not a Google service account email: use "<name>@<project-id>.iam.gserviceaccount.com" (name of 6-30 lowercase letters, digits and '-'), e.g. "eso-secrets@${GCP_PROJECT_ID.test(this.projectId ?? '') ? this.projectId : 'my-project'}.iam.gserviceaccount.com".`,
        );
      }
    }
    if (!GCP_ROLE.test(this.listRole)) {
      out.push(
        `listRole ${quoteValue(this.listRole)} is not an IAM role name: use "roles/<id>" or a custom role "projects/<project-id>/roles/<id>" / "organizations/<number>/roles/<id>".`,
      );
    }
    return out;
  }
}

/** `oidc:<host/path>` of an issuer URL: scheme and trailing slashes dropped, host lower case. */
function oidcDomain(issuer: string | undefined): string {
  const s =
    typeof issuer === 'string'
      ? issuer
          .trim()
          .replace(/^https?:\/\//i, '')
          .replace(/\/+$/, '')
      : '';
  const slash = s.indexOf('/');
  return `oidc:${slash < 0 ? s.toLowerCase() : `${s.slice(0, slash).toLowerCase()}${s.slice(slash)}`}`;
}
