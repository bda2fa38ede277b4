import { quoteValue } from '../private/terminal.js';
import {
  SharedSecretStoreSpecProviderAwsService,
  type SharedSecretStoreSpecProvider,
  type SharedSecretStoreSpecProviderAwsAuth,
} from '../../imports/spaces.upbound.io.js';
import { parameterStoreModel, secretsManagerModel } from '../backends/aws.js';
import type { AccessModelContext, BackendAccessModel } from '../backends/backend.js';
import type { SpaceIdentity } from '../model/space-identity.js';
import type { StaticCredentials } from './credentials.js';
import { SecretStoreProvider, type FindSupport } from './provider.js';
import {
  AWS_ACCOUNT_ID,
  AWS_KMS_KEY_ARN,
  AWS_PARAMETER_ARN,
  AWS_PARAMETER_NAME,
  AWS_REGION,
  AWS_ROLE_ARN,
  AWS_SECRET_ARN,
  AWS_SECRET_NAME,
} from '../private/cloud-ids.js';
import { typedProps, typeProblemsOf } from '../model/typed.js';
import { AwsProviderPropsSchema } from './props.js';

/** Props common to the AWS providers. */
export interface AwsProviderProps {
  /** AWS region of the secrets, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * AWS account (12 digits) that owns the secrets; used for exact ARNs in IAM policies.
   * @default the account of the Space's AWS identity
   */
  readonly accountId?: string;
  /**
   * IAM role ARN the store assumes after authenticating (ESO `provider.aws.role`).
   * @default none
   */
  readonly role?: string;
  /**
   * Static access keys. Without them the store authenticates with the Space's IRSA or Pod Identity.
   * @default the Space's workload identity
   */
  readonly credentials?: StaticCredentials;
  /**
   * ARNs of customer-managed KMS keys that encrypt the referenced secrets (for `kms:Decrypt`).
   * @default none: secrets use the AWS-managed key
   */
  readonly kmsKeyArns?: readonly string[];
}

abstract class AwsProvider extends SecretStoreProvider {
  public readonly cloud = 'aws' as const;
  public readonly region: string;
  public readonly accountId?: string;
  public readonly role?: string;
  public readonly credentials?: StaticCredentials;
  public readonly kmsKeyArns: readonly string[];
  protected abstract readonly service: SharedSecretStoreSpecProviderAwsService;

  protected constructor(props: AwsProviderProps) {
    super();
    props = typedProps<AwsProviderProps>(this, AwsProviderPropsSchema, props, { region: '' });
    this.region = props.region;
    this.accountId = props.accountId;
    this.role = props.role;
    this.credentials = props.credentials;
    this.kmsKeyArns = [...(props.kmsKeyArns ?? [])].sort();
  }

  public toSpacesProvider(_identity: SpaceIdentity | undefined): SharedSecretStoreSpecProvider {
    return { aws: { service: this.service, region: this.region, role: this.role, auth: this.auth() } };
  }

  private auth(): SharedSecretStoreSpecProviderAwsAuth | undefined {
    if (this.credentials) {
      const c = this.credentials;
      return {
        secretRef: {
          accessKeyIdSecretRef: c.ref('accessKeyId'),
          secretAccessKeySecretRef: c.ref('secretAccessKey'),
          sessionTokenSecretRef: c.keys.sessionToken ? c.ref('sessionToken') : undefined,
        },
      };
    }
    // Workload identity (IRSA and Pod Identity alike): no auth block, so ESO uses the AWS SDK's
    // default chain, i.e. the credentials EKS injects into the controller pod in the plane's host
    // namespace (IRSA: the web identity token of the service account the Spaces Helm values
    // annotate; Pod Identity: that service account's association). `jwt.serviceAccountRef` would
    // not work: ESO resolves it through its client of the control plane (in a ClusterSecretStore
    // without namespace, in the ExternalSecret's namespace), where that service account does not
    // exist, and a token the control plane issued is not signed by the EKS OIDC issuer anyway.
    return undefined;
  }

  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const out: string[] = [];
    if (this.region === undefined) out.push('region is required: set the AWS region of the secrets, e.g. "eu-central-1".');
    else if (!AWS_REGION.test(this.region))
      out.push(`region ${JSON.stringify(this.region)} is not an AWS region: use a region code such as "eu-central-1".`);
    if (this.accountId !== undefined && !AWS_ACCOUNT_ID.test(this.accountId))
      out.push(`accountId ${JSON.stringify(this.accountId)} is not an AWS account ID: use the 12 digits, e.g. "123456789012".`);
    if (this.role !== undefined && !AWS_ROLE_ARN.test(this.role))
      out.push(`role ${JSON.stringify(this.role)} is not an IAM role ARN: use "arn:aws:iam::<12-digit account>:role/<name>".`);
    for (const k of this.kmsKeyArns) {
      if (!AWS_KMS_KEY_ARN.test(k))
        out.push(
          `kmsKeyArns: ${JSON.stringify(k)} is not a KMS key ARN: use "arn:aws:kms:<region>:<account>:key/<key id>" (aliases cannot be used in IAM resources).`,
        );
    }
    if (this.credentials && this.credentials.cloud !== 'aws')
      out.push(`credentials are ${this.credentials.cloud} credentials: use StaticCredentials.awsAccessKey(...) for ${this.displayName}.`);
    if (this.credentials) out.push(...this.credentials.check());
    return out;
  }

  public describe(): string {
    return `${this.displayName} (${this.region}${this.accountId ? `, account ${this.accountId}` : ''})`;
  }
}

/** AWS Secrets Manager. */
export class AwsSecretsManager extends AwsProvider {
  public readonly displayName = 'AWS Secrets Manager';
  public readonly findSupport: FindSupport = { path: true, name: true, tags: true, pathAlone: false };
  protected readonly service = SharedSecretStoreSpecProviderAwsService.SECRETS_MANAGER;

  public constructor(props: AwsProviderProps) {
    super(props);
  }

  public accessModel(ctx: AccessModelContext): BackendAccessModel {
    return secretsManagerModel({ region: this.region, accountId: this.accountId, description: this.describe() }, ctx);
  }

  public checkRemoteKey(key: string): string | undefined {
    if (AWS_SECRET_ARN.test(key)) return undefined;
    if (AWS_SECRET_NAME.test(key)) return undefined;
    return `${quoteValue(key)} is not a Secrets Manager secret name: use 1-512 characters among letters, digits and /_+=.@- (or the secret's ARN).`;
  }
}

/** AWS Systems Manager Parameter Store. */
export class AwsParameterStore extends AwsProvider {
  public readonly displayName = 'AWS Parameter Store';
  public readonly findSupport: FindSupport = { path: true, name: true, tags: true, pathAlone: false };
  protected readonly service = SharedSecretStoreSpecProviderAwsService.PARAMETER_STORE;

  public constructor(props: AwsProviderProps) {
    super(props);
  }

  public accessModel(ctx: AccessModelContext): BackendAccessModel {
    return parameterStoreModel({ region: this.region, accountId: this.accountId, description: this.describe() }, ctx);
  }

  public checkRemoteKey(key: string): string | undefined {
    if (AWS_PARAMETER_ARN.test(key)) return undefined;
    if (AWS_PARAMETER_NAME.test(key) && !/^\/?(aws|ssm)/i.test(key) && key.split('/').filter(Boolean).length <= 15) return undefined;
    return `${quoteValue(key)} is not a Parameter Store name: use letters, digits and _.-/ (at most 15 levels, not starting with "aws" or "ssm"), e.g. "/prod/db/password".`;
  }
}
