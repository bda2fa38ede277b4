import type { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import type { Environment } from '../model/environment.js';
import { findAll } from '../model/find.js';
import { Group } from '../model/group.js';
import type { Namespaces, Planes } from '../model/selection.js';
import { checkDnsLabel, checkGoDuration, quote } from '../model/validation.js';
import { AwsIdentity } from '../model/space-identity.js';
import type { SecretStoreProvider } from './provider.js';
import { checkConstructArgs, constructArgs, typedProps, containerOf, typeProblemsOf } from '../model/typed.js';
import { otherApp } from '../model/selection.js';
import { SecretStorePropsSchema } from './props.js';

/** What a store is built from when its props are not of the declared types: never read (its type problems stop the synthesis before). */
const NO_PROPS = {} as unknown as SecretStoreProps;
import { addJsonPatches, type ObjectSelector } from '../model/patch.js';
import { quoteValue } from '../private/terminal.js';

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
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'a Group');
    props = typedProps<SecretStoreProps>(this, SecretStorePropsSchema, props, NO_PROPS);
    this.name = props.name ?? this.node.id;
    this.group = containerOf(this, 'a SecretStore', 'Group', Group.tryOf(this.node.scope));
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
    out.push(...this.provider.check());
    out.push(...this.planes.check(this.group).map((m) => `planes: ${m}`));
    out.push(...this.namespaces.check().map((m) => `namespaces: ${m}`));
    if (this.environment) out.push(...otherApp(this.environment, this, `environment "${this.environment.name}"`));
    if (this.refreshInterval !== undefined && this.refreshInterval < 0) {
      out.push(`refreshInterval ${quoteValue(this.refreshInterval)} must be a whole number of seconds (>= 0).`);
    }
    if (this.retry?.maxRetries !== undefined && !(this.retry.maxRetries >= 0 && this.retry.maxRetries < 2 ** 31)) {
      out.push(`retry.maxRetries ${quoteValue(this.retry.maxRetries)} must be a whole number >= 0.`);
    }
    if (this.retry?.retryInterval !== undefined) {
      const d = checkGoDuration(this.retry.retryInterval);
      if (d) out.push(`retry.retryInterval: ${d}`);
    }
    const space = this.group.space;
    const own = this.provider.storeIdentity;
    if (own && this.usesWorkloadIdentity && space.hosting !== 'cloud' && space.identity?.cloud === this.provider.cloud) {
      if (!(space.identity instanceof AwsIdentity) || space.identity.mode !== 'aws-irsa')
        out.push(
          `store "${this.name}" has its own identity (service account ${quote(own.serviceAccount)}), which IRSA serves through the cluster's OIDC provider, but Space "${space.name}" uses ${space.identity.describe()}: give the Space SpaceIdentity.awsIrsa({ accountId, oidcIssuer }), or remove the store's identity to use the Space's role.`,
        );
    }
    if (this.usesWorkloadIdentity) {
      if (space.hosting === 'cloud') {
        out.push(
          `store "${this.name}" has no static credentials, but Space "${space.name}" is a Cloud Space, which accepts only static credentials: give the provider "credentials".`,
        );
      } else if (!space.identity) {
        // A Space whose props have the wrong types says so itself (its identity is then not read).
        if (typeProblemsOf(space).length === 0)
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
