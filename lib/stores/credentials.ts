import type { Cloud } from '../model/space.js';
import { AWS_USER_ARN } from '../private/cloud-ids.js';
import { checkDnsSubdomain, checkSecretKey } from '../model/validation.js';
import { typedValue, typeProblemsOf } from '../model/typed.js';
import { AwsAccessKeyPropsSchema, AzureServicePrincipalPropsSchema, GcpServiceAccountKeyPropsSchema } from './props.js';
import { quoteValue } from '../private/terminal.js';

/** Keys of the AWS access-key Secret. */
export interface AwsAccessKeyProps {
  /** Name of the Kubernetes Secret in the group namespace on the host cluster. */
  readonly secretName: string;
  /** @default 'access-key' */
  readonly accessKeyIdKey?: string;
  /** @default 'secret-access-key' */
  readonly secretAccessKeyKey?: string;
  /** Key holding a session token, for temporary credentials. @default none */
  readonly sessionTokenKey?: string;
  /**
   * ARN of the IAM user the access keys belong to. With the store's `role`, the compiler generates
   * the role's trust policy (this user may assume it), its permission policy (the store's secrets)
   * and the user's policy (only `sts:AssumeRole` on that role).
   * @default none: the keys' IAM is managed outside the topology
   */
  readonly userArn?: string;
}

/** Keys of the Azure service-principal Secret. */
export interface AzureServicePrincipalProps {
  /** Name of the Kubernetes Secret in the group namespace on the host cluster. */
  readonly secretName: string;
  /** @default 'ClientID' */
  readonly clientIdKey?: string;
  /** @default 'ClientSecret' */
  readonly clientSecretKey?: string;
}

/** Key of the GCP service-account key Secret. */
export interface GcpServiceAccountKeyProps {
  /** Name of the Kubernetes Secret in the group namespace on the host cluster. */
  readonly secretName: string;
  /** @default 'secret-access-credentials' */
  readonly key?: string;
}

/** Default key of each role, for messages. */
const DEFAULT_KEYS: Readonly<Record<string, string>> = {
  accessKeyId: 'access-key',
  secretAccessKey: 'secret-access-key',
  sessionToken: 'session-token',
  clientId: 'ClientID',
  clientSecret: 'ClientSecret',
  serviceAccountKey: 'secret-access-credentials',
};

/** Shapes of credential values, each with what it is. Names never have these shapes. */
const CREDENTIAL_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(?:^|[^A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?:[^A-Z0-9]|$)/, 'an AWS access key ID'],
  [/^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])(?=.*[/+])[A-Za-z0-9/+]{40}$/, 'an AWS secret access key'],
  [/^[A-Za-z0-9_.~-]{3}[0-9]Q~[A-Za-z0-9_.~-]{31,34}$/, 'an Azure client secret'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/"private_key"|"type"\s*:\s*"service_account"/, 'a service-account JSON key'],
];

/**
 * What a text looks like, if it looks like a credential rather than a name: an AWS access key ID
 * (`AKIA…`/`ASIA…`), an AWS secret access key (40 characters of base64 with `/` or `+`), an Azure
 * client secret (`…Q~…`), a PEM private key or a GCP service-account JSON key. A heuristic: it
 * catches values pasted where a name goes, and no valid Kubernetes name or key has these shapes.
 */
export function looksLikeCredential(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  return CREDENTIAL_SHAPES.find(([re]) => re.test(text))?.[1];
}

/**
 * Static credentials of a store: a reference to a Kubernetes Secret (name and keys) in the group
 * namespace of the host cluster. Never a value: the Secret is created out of band.
 */
export class StaticCredentials {
  /** AWS access key ID and secret access key. */
  public static awsAccessKey(props: AwsAccessKeyProps): StaticCredentials {
    return typedValue(AwsAccessKeyPropsSchema, props, { secretName: '' }, (p: AwsAccessKeyProps) => StaticCredentials.aws(p));
  }

  private static aws(props: AwsAccessKeyProps): StaticCredentials {
    const keys: Record<string, string> = {
      accessKeyId: props.accessKeyIdKey ?? 'access-key',
      secretAccessKey: props.secretAccessKeyKey ?? 'secret-access-key',
    };
    if (props.sessionTokenKey !== undefined) keys.sessionToken = props.sessionTokenKey;
    return new StaticCredentials('aws', props.secretName, keys, props.userArn);
  }

  /** Azure service principal (client ID and client secret). */
  public static azureServicePrincipal(props: AzureServicePrincipalProps): StaticCredentials {
    return typedValue(AzureServicePrincipalPropsSchema, props, { secretName: '' }, (p: AzureServicePrincipalProps) =>
      StaticCredentials.azure(p),
    );
  }

  private static azure(props: AzureServicePrincipalProps): StaticCredentials {
    return new StaticCredentials('azure', props.secretName, {
      clientId: props.clientIdKey ?? 'ClientID',
      clientSecret: props.clientSecretKey ?? 'ClientSecret',
    });
  }

  /** GCP service-account JSON key. */
  public static gcpServiceAccountKey(props: GcpServiceAccountKeyProps): StaticCredentials {
    return typedValue(GcpServiceAccountKeyPropsSchema, props, { secretName: '' }, (p: GcpServiceAccountKeyProps) =>
      StaticCredentials.gcp(p),
    );
  }

  private static gcp(props: GcpServiceAccountKeyProps): StaticCredentials {
    return new StaticCredentials('gcp', props.secretName, { serviceAccountKey: props.key ?? 'secret-access-credentials' });
  }

  private constructor(
    /** Cloud these credentials are for. */
    public readonly cloud: Cloud,
    /** Kubernetes Secret holding them. */
    public readonly secretName: string,
    /** Role of each key (accessKeyId, clientSecret, ...) to the key name in the Secret. */
    public readonly keys: Readonly<Record<string, string>>,
    /** ARN of the IAM user the AWS access keys belong to, when given. */
    public readonly userArn?: string,
  ) {}

  /** `{ name, key }` reference to one key of the Secret. */
  public ref(role: string): { name: string; key: string } {
    const key = this.keys[role];
    if (key === undefined) throw new Error(`credentials ${this.secretName} have no key for ${role}`);
    return { name: this.secretName, key };
  }

  /**
   * Problems with the reference. A name that looks like a credential itself (see
   * {@link looksLikeCredential}) is refused without being repeated, so that a value pasted where a
   * name goes reaches neither the output nor the logs.
   */
  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const out: string[] = [];
    const pasted = (what: string, kind: string, fix: string): string =>
      `${what} looks like a credential itself (${kind}), not a name; it is not repeated here. Credentials are never values: put the value into the Kubernetes Secret out of band and ${fix}.`;
    const nameKind = looksLikeCredential(this.secretName);
    const secretRef = nameKind ? 'the Secret' : `Secret ${quoteValue(this.secretName)}`;
    if (nameKind) out.push(pasted('credentials Secret name', nameKind, 'give the Secret\'s name (e.g. "aws-credentials")'));
    else {
      const n = checkDnsSubdomain(this.secretName, 'credentials Secret name');
      if (n) out.push(n);
    }
    for (const [role, key] of Object.entries(this.keys)) {
      const keyKind = looksLikeCredential(key);
      if (keyKind) {
        out.push(
          pasted(
            `credentials key for ${role}`,
            keyKind,
            `name the key of ${secretRef} that holds it (e.g. ${quoteValue(DEFAULT_KEYS[role] ?? 'key')})`,
          ),
        );
        continue;
      }
      const k = checkSecretKey(key);
      if (k) out.push(`credentials key for ${role}: ${k}`);
    }
    if (this.userArn !== undefined && !AWS_USER_ARN.test(this.userArn)) {
      const kind = looksLikeCredential(this.userArn);
      out.push(
        kind
          ? pasted(
              'credentials userArn',
              kind,
              'give the ARN of the IAM user the keys belong to (e.g. "arn:aws:iam::123456789012:user/eso-reader")',
            )
          : `credentials userArn ${quoteValue(this.userArn)} is not an IAM user ARN: use "arn:aws:iam::<12-digit account>:user/<name>".`,
      );
    }
    return out;
  }

  /** `secret/<name>` with its keys, for reports. */
  public describe(): string {
    return `Secret ${this.secretName} (keys ${Object.values(this.keys).join(', ')})`;
  }
}
