import { quoteValue } from '../private/terminal.js';
import {
  SharedSecretStoreSpecProviderAwsService,
  type SharedSecretStoreSpecProvider,
  type SharedSecretStoreSpecProviderAwsAuth,
  type SharedSecretStoreSpecProviderAwsSecretsManager,
} from '../../imports/spaces.upbound.io.js';
import { parameterStoreModel, secretsManagerModel } from '../backends/aws.js';
import type { AccessModelContext, BackendAccessModel } from '../backends/backend.js';
import { AwsIdentity, type SpaceIdentity } from '../model/space-identity.js';
import { SHARED_SECRETS_SERVICE_ACCOUNT } from '../model/constants.js';
import type { StaticCredentials } from './credentials.js';
import type { StoreIdentity } from './store-identity.js';
import { SecretStoreProvider, type FindSupport } from './provider.js';
import { quote } from '../model/validation.js';
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
import { classPropsSchema, registerPropsSchema, typedProps, typeProblemsOf } from '../model/typed.js';
import { AwsParameterStorePropsSchema, AwsProviderPropsSchema, AwsSecretsManagerPropsSchema, SECRETS_MANAGER_ONLY } from './props.js';

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
  /**
   * The store's own workload identity (`auth.jwt.serviceAccountRef` naming its service account),
   * with an IAM role of its own trusted only by that service account where the store is projected,
   * and the permissions of this store's secrets only. Excludes `credentials`.
   * @default the Space's workload identity (its shared role)
   */
  readonly identity?: StoreIdentity;
}

abstract class AwsProvider extends SecretStoreProvider {
  public readonly cloud = 'aws' as const;
  public readonly region: string;
  public readonly accountId?: string;
  public readonly role?: string;
  public readonly credentials?: StaticCredentials;
  public readonly kmsKeyArns: readonly string[];
  public readonly identity?: StoreIdentity;
  protected abstract readonly service: SharedSecretStoreSpecProviderAwsService;

  protected constructor(props: AwsProviderProps) {
    super();
    props = typedProps<AwsProviderProps>(this, classPropsSchema(new.target) ?? AwsProviderPropsSchema, props, { region: '' });
    this.region = props.region;
    this.accountId = props.accountId;
    this.role = props.role;
    this.credentials = props.credentials;
    this.kmsKeyArns = [...(props.kmsKeyArns ?? [])].sort();
    this.identity = props.identity;
  }

  public override get storeIdentity(): StoreIdentity | undefined {
    return this.identity;
  }

  public toSpacesProvider(identity: SpaceIdentity | undefined): SharedSecretStoreSpecProvider {
    return {
      aws: {
        service: this.service,
        region: this.region,
        role: this.role,
        auth: this.auth(identity),
        secretsManager: this.secretsManagerBlock(),
      },
    };
  }

  /** The provider's `secretsManager` block (Secrets Manager only). */
  protected secretsManagerBlock(): SharedSecretStoreSpecProviderAwsSecretsManager | undefined {
    return undefined;
  }

  private auth(identity: SpaceIdentity | undefined): SharedSecretStoreSpecProviderAwsAuth | undefined {
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
    // The store's own identity: its service account, on every target (ESO reads the role from the
    // account's eks.amazonaws.com/role-arn annotation and exchanges a token requested for it).
    if (this.identity) return { jwt: { serviceAccountRef: { name: this.identity.serviceAccount } } };
    // IRSA on a Space: the form Upbound's self-hosted documentation gives, a reference to the
    // shared-secrets controller's service account (no namespace: the Spaces provider resolves it
    // in the plane's host namespace, where the Helm values annotate it with the role). The caller
    // passes no identity for a plain ESO cluster, whose controller uses its own credentials.
    if (identity instanceof AwsIdentity && identity.mode === 'aws-irsa' && identity.storeAuth === 'service-account-ref')
      return { jwt: { serviceAccountRef: { name: SHARED_SECRETS_SERVICE_ACCOUNT } } };
    // The ambient form (Pod Identity, or IRSA with storeAuth "ambient"): no auth block, so ESO uses
    // the AWS SDK's default chain, i.e. the credentials EKS injects into the controller pod in the
    // plane's host namespace (IRSA: the web identity token of the annotated service account; Pod
    // Identity: that service account's association).
    return undefined;
  }

  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const out: string[] = [];
    if (this.region === undefined) out.push('region is required: set the AWS region of the secrets, e.g. "eu-central-1".');
    else if (!AWS_REGION.test(this.region))
      out.push(`region ${quoteValue(this.region)} is not an AWS region: use a region code such as "eu-central-1".`);
    if (this.accountId !== undefined && !AWS_ACCOUNT_ID.test(this.accountId))
      out.push(`accountId ${quoteValue(this.accountId)} is not an AWS account ID: use the 12 digits, e.g. "123456789012".`);
    if (this.role !== undefined && !AWS_ROLE_ARN.test(this.role))
      out.push(`role ${quoteValue(this.role)} is not an IAM role ARN: use "arn:aws:iam::<12-digit account>:role/<name>".`);
    for (const k of this.kmsKeyArns) {
      if (!AWS_KMS_KEY_ARN.test(k))
        out.push(
          `kmsKeyArns: ${quoteValue(k)} is not a KMS key ARN: use "arn:aws:kms:<region>:<account>:key/<key id>" (aliases cannot be used in IAM resources).`,
        );
    }
    if (this.credentials && this.credentials.cloud !== 'aws')
      out.push(`credentials are ${this.credentials.cloud} credentials: use StaticCredentials.awsAccessKey(...) for ${this.displayName}.`);
    if (this.credentials) out.push(...this.credentials.check());
    if (this.identity) {
      out.push(...this.identity.check());
      if (this.credentials)
        out.push(
          `identity (service account ${quote(this.identity.serviceAccount)}) and static credentials exclude each other: a store authenticates with one of them; remove one.`,
        );
    }
    const userArn = this.credentials?.userArn;
    if (userArn !== undefined && this.role === undefined)
      out.push(
        `credentials name the IAM user ${quote(userArn)} (userArn), which is used for the trust of the store's role, but the store has no role: set role (the role the keys assume), or remove userArn.`,
      );
    return out;
  }

  public describe(): string {
    return `${this.displayName} (${this.region}${this.accountId ? `, account ${this.accountId}` : ''})`;
  }
}

/** Props of {@link AwsSecretsManager}. */
export interface AwsSecretsManagerProps extends AwsProviderProps {
  /**
   * When ESO deletes a secret it pushed (PushSecret `deletionPolicy: Delete`), delete it at once,
   * without a recovery window (`provider.aws.secretsManager.forceDeleteWithoutRecovery`). Excludes
   * `recoveryWindowInDays`.
   * @default false: Secrets Manager's recovery window applies
   */
  readonly forceDeleteWithoutRecovery?: boolean;
  /**
   * Days (7 to 30) Secrets Manager keeps a secret ESO deleted before it is gone
   * (`provider.aws.secretsManager.recoveryWindowInDays`). Excludes `forceDeleteWithoutRecovery`.
   * @default Secrets Manager's 30 days
   */
  readonly recoveryWindowInDays?: number;
}

/** The recovery window Secrets Manager accepts, in days (`DeleteSecret`'s `RecoveryWindowInDays`). */
export const SECRETS_MANAGER_RECOVERY_WINDOW = { min: 7, max: 30 } as const;

/** AWS Secrets Manager. */
export class AwsSecretsManager extends AwsProvider {
  public readonly displayName = 'AWS Secrets Manager';
  public readonly findSupport: FindSupport = { path: true, name: true, tags: true, pathAlone: false, pathNegation: true };
  protected readonly service = SharedSecretStoreSpecProviderAwsService.SECRETS_MANAGER;
  /** Delete pushed secrets without recovery window. */
  public readonly forceDeleteWithoutRecovery?: boolean;
  /** Recovery window of deleted pushed secrets, in days. */
  public readonly recoveryWindowInDays?: number;

  public constructor(props: AwsSecretsManagerProps) {
    super(props);
    // The base class records the type problems (of a props object that is not one too: null, a list…).
    const given: Partial<AwsSecretsManagerProps> = typeProblemsOf(this).length === 0 ? props : {};
    this.forceDeleteWithoutRecovery = given.forceDeleteWithoutRecovery;
    this.recoveryWindowInDays = given.recoveryWindowInDays;
  }

  protected override secretsManagerBlock(): SharedSecretStoreSpecProviderAwsSecretsManager | undefined {
    if (this.forceDeleteWithoutRecovery === undefined && this.recoveryWindowInDays === undefined) return undefined;
    return { forceDeleteWithoutRecovery: this.forceDeleteWithoutRecovery, recoveryWindowInDays: this.recoveryWindowInDays };
  }

  public override check(): string[] {
    const out = super.check();
    if (typeProblemsOf(this).length > 0) return out;
    const force = this.forceDeleteWithoutRecovery;
    const days = this.recoveryWindowInDays;
    const W = SECRETS_MANAGER_RECOVERY_WINDOW;
    if (days !== undefined && !(days >= W.min && days <= W.max))
      out.push(
        `recoveryWindowInDays ${quote(days)} is not a recovery window Secrets Manager accepts: use a whole number of days from ${W.min} to ${W.max}, or forceDeleteWithoutRecovery: true to delete at once.`,
      );
    else if (days !== undefined && force === true)
      out.push(
        `recoveryWindowInDays (${String(days)}) and forceDeleteWithoutRecovery: true exclude each other (ESO refuses the DeleteSecret call: "ForceDeleteWithoutRecovery conflicts with RecoveryWindowInDays"): keep one of them.`,
      );
    return out;
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
  /** Secrets Manager options given to this provider by a JavaScript or JSON caller. */
  private readonly misplaced: readonly string[];

  public constructor(props: AwsProviderProps) {
    super(props);
    const given = (typeProblemsOf(this).length === 0 ? props : {}) as Record<string, unknown>;
    this.misplaced = SECRETS_MANAGER_ONLY.filter((k) => given[k] !== undefined);
  }

  public override check(): string[] {
    return [
      ...super.check(),
      ...this.misplaced.map(
        (k) =>
          `${k} is an option of AWS Secrets Manager stores (provider.aws.secretsManager); Parameter Store has no recovery window: remove it.`,
      ),
    ];
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

registerPropsSchema(AwsSecretsManager, AwsSecretsManagerPropsSchema);
registerPropsSchema(AwsParameterStore, AwsParameterStorePropsSchema);
