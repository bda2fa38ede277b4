import type { AccessModelContext, BackendAccessModel } from '../backends/backend.js';
import type { SharedSecretStoreSpecProvider } from '../../imports/spaces.upbound.io.js';
import type { SpaceIdentity } from '../model/space-identity.js';
import type { Cloud } from '../model/space.js';
import type { StaticCredentials } from './credentials.js';
import type { StoreIdentity } from './store-identity.js';

/** What a provider can do with `dataFrom.find`. */
export interface FindSupport {
  /** Whether `find.path` (a key prefix) is supported. */
  readonly path: boolean;
  /** Whether `find.name.regexp` is supported. */
  readonly name: boolean;
  /** Whether `find.tags` is supported. */
  readonly tags: boolean;
  /**
   * Whether a find may give only a `path`. ESO's AWS providers refuse that ("unexpected find
   * operator"): they need `name` or `tags` as well.
   */
  readonly pathAlone: boolean;
  /**
   * Whether the backend reads a `find.path` that starts with `!` as a negation: AWS Secrets
   * Manager's `ListSecrets` name filter (ESO passes the path to it as is) then lists every secret
   * whose name does NOT start with the rest. Such a path is refused.
   * @default false
   */
  readonly pathNegation?: boolean;
}

/**
 * A secret backend a store connects to. One subclass per provider; each renders the ESO
 * `SecretStoreProvider` (v1) for the Spaces `SharedSecretStore`.
 */
export abstract class SecretStoreProvider {
  /** Cloud of the backend. */
  public abstract readonly cloud: Cloud;
  /** Human name of the backend (e.g. "AWS Secrets Manager"). */
  public abstract readonly displayName: string;
  /** Static credentials; when absent the store uses the Space's workload identity. */
  public abstract readonly credentials?: StaticCredentials;
  /** What `dataFrom.find` may use with this backend. */
  public abstract readonly findSupport: FindSupport;

  /** The store's own workload identity (AWS `identity`), instead of its Space's. @default none */
  public get storeIdentity(): StoreIdentity | undefined {
    return undefined;
  }

  /** The provider block of the store, authenticating with `identity` when there are no static credentials. */
  public abstract toSpacesProvider(identity: SpaceIdentity | undefined): SharedSecretStoreSpecProvider;

  /** Problems with the provider's own settings. */
  public abstract check(): string[];

  /** Problem with a remote key (secret name / parameter path) for this backend, if any. */
  public abstract checkRemoteKey(key: string): string | undefined;

  /** One-line description for reports, e.g. `AWS Secrets Manager (eu-central-1)`. */
  public abstract describe(): string;

  /**
   * How the access analysis reads this backend: the resource a remote key or a find denotes, and
   * the names that stand for it when cloud grants are matched. A provider without one cannot be
   * analysed, and a store using it is a problem.
   */
  public abstract accessModel(ctx: AccessModelContext): BackendAccessModel;
}
