import type { Cloud } from '../model/space.js';
import { checkDnsSubdomain, checkSecretKey } from '../model/validation.js';

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

/**
 * Static credentials of a store: a reference to a Kubernetes Secret (name and keys) in the group
 * namespace of the host cluster. Never a value: the Secret is created out of band.
 */
export class StaticCredentials {
  /** AWS access key ID and secret access key. */
  public static awsAccessKey(props: AwsAccessKeyProps): StaticCredentials {
    const keys: Record<string, string> = {
      accessKeyId: props.accessKeyIdKey ?? 'access-key',
      secretAccessKey: props.secretAccessKeyKey ?? 'secret-access-key',
    };
    if (props.sessionTokenKey !== undefined) keys.sessionToken = props.sessionTokenKey;
    return new StaticCredentials('aws', props.secretName, keys);
  }

  /** Azure service principal (client ID and client secret). */
  public static azureServicePrincipal(props: AzureServicePrincipalProps): StaticCredentials {
    return new StaticCredentials('azure', props.secretName, {
      clientId: props.clientIdKey ?? 'ClientID',
      clientSecret: props.clientSecretKey ?? 'ClientSecret',
    });
  }

  /** GCP service-account JSON key. */
  public static gcpServiceAccountKey(props: GcpServiceAccountKeyProps): StaticCredentials {
    return new StaticCredentials('gcp', props.secretName, { serviceAccountKey: props.key ?? 'secret-access-credentials' });
  }

  private constructor(
    /** Cloud these credentials are for. */
    public readonly cloud: Cloud,
    /** Kubernetes Secret holding them. */
    public readonly secretName: string,
    /** Role of each key (accessKeyId, clientSecret, ...) to the key name in the Secret. */
    public readonly keys: Readonly<Record<string, string>>,
  ) {}

  /** `{ name, key }` reference to one key of the Secret. */
  public ref(role: string): { name: string; key: string } {
    const key = this.keys[role];
    if (key === undefined) throw new Error(`credentials ${this.secretName} have no key for ${role}`);
    return { name: this.secretName, key };
  }

  /** Problems with the reference (never mentions values: there are none). */
  public check(): string[] {
    const out: string[] = [];
    const n = checkDnsSubdomain(this.secretName, 'credentials Secret name');
    if (n) out.push(n);
    for (const [role, key] of Object.entries(this.keys)) {
      const k = checkSecretKey(key);
      if (k) out.push(`credentials key for ${role}: ${k}`);
    }
    return out;
  }

  /** `secret/<name>` with its keys, for reports. */
  public describe(): string {
    return `Secret ${this.secretName} (keys ${Object.values(this.keys).join(', ')})`;
  }
}
