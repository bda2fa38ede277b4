import type { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import type { Environment } from '../model/environment.js';
import { findAll } from '../model/find.js';
import { Group } from '../model/group.js';
import type { Namespaces, Planes } from '../model/selection.js';
import { checkDnsLabel, checkGoDuration } from '../model/validation.js';
import { StaticCredentials } from './credentials.js';
import type { SecretStoreProvider } from './provider.js';
import { addJsonPatches, type ObjectSelector } from '../model/patch.js';

/** Props of a {@link SecretStore}. */
export interface SecretStoreProps {
  /**
   * Name of the SharedSecretStore and of the ClusterSecretStore projected into each plane.
   * @default the construct id
   */
  readonly name?: string;
  /** The backend and how to authenticate to it. */
  readonly provider: SecretStoreProvider;
  /** Control planes of the group that get the store. */
  readonly planes: Planes;
  /** Namespaces inside those planes that may use the store. */
  readonly namespaces: Namespaces;
  /**
   * How often ESO re-validates the store (`spec.refreshInterval`, whole seconds).
   * @default ESO's default (no periodic validation)
   */
  readonly refreshInterval?: number;
  /**
   * Retries of the provider's API calls.
   * @default ESO's defaults
   */
  readonly retry?: { readonly maxRetries?: number; readonly retryInterval?: string };
  /**
   * The environment that owns the remote secrets this store's secrets read, when it selects planes
   * of several environments (e.g. by a label selector) or none. Declarations of `Environment.owns`
   * take precedence.
   * @default the environments of the planes the store declares
   */
  readonly environment?: Environment;
}

/**
 * A connection to a secret backend, shared with selected control planes of its group. Compiles to
 * a Spaces `SharedSecretStore`, which Spaces projects as a `ClusterSecretStore` into each plane.
 */
export class SecretStore extends Construct {
  /** Returns all stores below `scope`, in construct-tree order. */
  public static all(scope: Construct): SecretStore[] {
    return findAll(scope, SecretStore);
  }

  /** Store name. */
  public readonly name: string;
  /** The group holding the store. */
  public readonly group: Group;
  /** The backend. */
  public readonly provider: SecretStoreProvider;
  /** Planes reached. */
  public readonly planes: Planes;
  /** Namespaces reached. */
  public readonly namespaces: Namespaces;
  /** Store validation interval in seconds. */
  public readonly refreshInterval?: number;
  /** Retry settings. */
  public readonly retry?: { readonly maxRetries?: number; readonly retryInterval?: string };
  /** The environment declared to own its secrets, if any. */
  public readonly environment?: Environment;

  public constructor(scope: Group, id: string, props: SecretStoreProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.group = Group.of(scope);
    this.provider = props.provider;
    this.planes = props.planes;
    this.namespaces = props.namespaces;
    this.refreshInterval = props.refreshInterval;
    this.retry = props.retry;
    this.environment = props.environment;
    this.node.addValidation({ validate: () => this.validateProps() });
  }

  /** True when the store authenticates with the Space's workload identity. */
  public get usesWorkloadIdentity(): boolean {
    return this.provider.credentials === undefined;
  }

  private validateProps(): string[] {
    const out: string[] = [];
    const name = checkDnsLabel(this.name, 'store name');
    if (name) out.push(name);
    if (!this.provider) return [...out, 'provider is required: e.g. new AwsSecretsManager({ region: "eu-central-1" }).'];
    const credentials: unknown = this.provider.credentials;
    if (credentials !== undefined && !(credentials instanceof StaticCredentials)) {
      // E.g. { accessKeyId, secretAccessKey } from a JavaScript or YAML caller: never repeat it.
      const got =
        credentials === null
          ? 'null'
          : Array.isArray(credentials)
            ? 'a list'
            : typeof credentials === 'object'
              ? 'a plain object'
              : `a ${typeof credentials}`;
      const example =
        { aws: 'awsAccessKey', azure: 'azureServicePrincipal', gcp: 'gcpServiceAccountKey' }[this.provider.cloud] ?? 'awsAccessKey';
      out.push(
        `provider credentials are not a StaticCredentials reference (got ${got}, not repeated here): credentials are never values; put them into a Kubernetes Secret in the group's namespace out of band and reference it, e.g. StaticCredentials.${example}({ secretName: "${this.provider.cloud}-credentials" }).`,
      );
    } else {
      out.push(...this.provider.check());
    }
    if (!this.planes) out.push('planes is required: e.g. Planes.inEnvironments(prod).');
    else out.push(...this.planes.check(this.group).map((m) => `planes: ${m}`));
    if (!this.namespaces) out.push('namespaces is required: e.g. Namespaces.named("crossplane-system").');
    else out.push(...this.namespaces.check().map((m) => `namespaces: ${m}`));
    if (this.refreshInterval !== undefined && !(Number.isInteger(this.refreshInterval) && this.refreshInterval >= 0)) {
      out.push(`refreshInterval ${JSON.stringify(this.refreshInterval)} must be a whole number of seconds (>= 0).`);
    }
    if (
      this.retry?.maxRetries !== undefined &&
      !(Number.isInteger(this.retry.maxRetries) && this.retry.maxRetries >= 0 && this.retry.maxRetries < 2 ** 31)
    ) {
      out.push(`retry.maxRetries ${JSON.stringify(this.retry.maxRetries)} must be a whole number >= 0.`);
    }
    if (this.retry?.retryInterval !== undefined) {
      const d = checkGoDuration(this.retry.retryInterval);
      if (d) out.push(`retry.retryInterval: ${d}`);
    }
    const space = this.group.space;
    if (this.usesWorkloadIdentity) {
      if (space.hosting === 'cloud') {
        out.push(
          `store "${this.name}" has no static credentials, but Space "${space.name}" is a Cloud Space, which accepts only static credentials: give the provider "credentials".`,
        );
      } else if (!space.identity) {
        out.push(
          `store "${this.name}" has no static credentials and Space "${space.name}" has no workload identity: give the provider "credentials" or set "identity" on the Space.`,
        );
      } else if (space.identity.cloud !== this.provider.cloud) {
        out.push(
          `store "${this.name}" uses ${this.provider.displayName} with the workload identity of Space "${space.name}", which is a ${space.identity.cloud} identity: give the provider static "credentials" or move the store to a Space on ${this.provider.cloud}.`,
        );
      }
    }
    return out;
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its SharedSecretStore). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link SecretStore.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}
