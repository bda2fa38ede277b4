/**
 * The plain External Secrets Operator target: Kubernetes clusters that run ESO themselves (no
 * Upbound Spaces), e.g. a Sveltos management cluster or application clusters.
 *
 * The model is deliberately small and reuses the Spaces model's parts: the backend
 * ({@link SecretStoreProvider} with its static credentials), the namespace selection
 * ({@link Namespaces}), the cluster's workload identity ({@link SpaceIdentity}) and the shape of a
 * secret ({@link SecretData}, {@link DataFromSource}, {@link SecretTarget}). A store or secret is
 * namespaced when it has a `namespace`, cluster-wide otherwise:
 *
 * | construct | `namespace` set | cluster-wide |
 * | --- | --- | --- |
 * | {@link EsoSecretStore} | `SecretStore` | `ClusterSecretStore` with `spec.conditions` from `namespaces` |
 * | {@link EsoExternalSecret} | `ExternalSecret` | `ClusterExternalSecret` with `namespaceSelectors` from `namespaces` |
 * | {@link EsoPushSecret} | `PushSecret` (always namespaced) | — |
 */
import type { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import type { Problem } from '../model/errors.js';
import { esoRoleArnProblems } from './aws-role.js';
import { AwsIdentity, type SpaceIdentity } from '../model/space-identity.js';
import { findAll, membersOf } from '../model/find.js';
import type { Namespaces } from '../model/selection.js';
import type { Cloud } from '../model/space.js';
import { checkDnsLabel, checkDnsSubdomain, checkGoDuration, checkSecretKey } from '../model/validation.js';
import { Environment } from '../model/environment.js';
import {
  checkRefresh,
  checkSecretSource,
  checkSecretTarget,
  type DataFromSource,
  type RefreshPolicy,
  type SecretData,
  type SecretSourceProps,
  type SecretTarget,
} from '../secrets/shared-secret.js';
import type { SecretStoreProvider } from '../stores/provider.js';
import { AwsParameterStore, AwsSecretsManager } from '../stores/aws.js';
import { checkPushMetadata, type AwsPushMetadata } from './push-metadata.js';
import { AWS_ROLE_ARN } from '../private/cloud-ids.js';
import { addJsonPatches, type ObjectSelector } from '../model/patch.js';
import { checkConstructArgs, constructArgs, containerOf, typedProps, typeProblemsOf } from '../model/typed.js';
import { quoteValue } from '../private/terminal.js';
import { EsoClusterPropsSchema, EsoExternalSecretPropsSchema, EsoPushSecretPropsSchema, EsoSecretStorePropsSchema } from './props.js';

/** Props of an {@link EsoCluster}. */
export interface EsoClusterProps {
  /**
   * Name of the cluster; the directory of its output, `clusters/<name>/`.
   * @default the construct id
   */
  readonly name?: string;
  /** Cloud the cluster runs on (EKS, AKS or GKE); stores without static credentials must use its backends. */
  readonly cloud: Cloud;
  /**
   * Workload identity of ESO's controller. Its service account is annotated through the ESO Helm
   * values (`clusters/<name>/helm/eso-values.yaml`); stores without static credentials use it.
   * The identity stage writes the cloud IAM it needs under `clusters/<name>/iam/<cloud>/` (role,
   * trust and permission policies / federated credential and role assignments / IAM bindings), with
   * the ESO controller's service account (`namespace`, `serviceAccountName`) as the only subject,
   * and read (external secrets) and write (push secrets) access to exactly what the cluster's
   * stores without static credentials serve.
   * @default none: every store must carry static credentials
   */
  readonly identity?: SpaceIdentity;
  /**
   * The IAM role of ESO's controller (AWS identities): the IRSA annotation
   * (`eks.amazonaws.com/role-arn`) and the pod identity association name it, and the identity stage
   * generates the documents of this role. It must be in the identity's account and partition,
   * without a path.
   * @default `arn:<partition>:iam::<account>:role/<roleNamePrefix><cluster name>-external-secrets`
   */
  readonly roleArn?: string;
  /**
   * Namespace ESO is installed in; the default namespace of static-credential Secrets of
   * ClusterSecretStores.
   * @default 'external-secrets'
   */
  readonly namespace?: string;
  /**
   * Service account of ESO's controller (the chart's `serviceAccount.name`).
   * @default 'external-secrets'
   */
  readonly serviceAccountName?: string;
  /**
   * Environment the cluster belongs to. Its references then say whose secrets they are (as a
   * store's `environment` does), and the access analysis checks what the cluster can read against
   * it: a secret of another environment it can read is `cross-environment`, a production secret
   * (the cluster not production) also `production-secret-outside-production`.
   * @default none: the cluster is the environment "(none)" (any secret owned by an environment that
   * it can read is cross-environment), and its references derive no owner
   */
  readonly environment?: Environment;
}

/**
 * A Kubernetes cluster running the External Secrets Operator directly. Holds
 * {@link EsoSecretStore}s, {@link EsoExternalSecret}s, {@link EsoPushSecret}s (and Sveltos
 * distributions); the ESO target writes them under `clusters/<name>/` with the ESO Helm values for
 * its identity. Creating it is enough: the target finds every cluster in the construct tree.
 */
export class EsoCluster extends Construct {
  /** Returns all ESO clusters below `scope`, in construct-tree order. */
  public static all(scope: Construct): EsoCluster[] {
    return findAll(scope, EsoCluster);
  }

  /** Returns the ESO cluster that contains `c`. Throws when `c` is not inside one. */
  public static of(c: Construct): EsoCluster {
    const found = EsoCluster.tryOf(c);
    if (found) return found;
    throw new Error(`${c.node.path} is not inside an EsoCluster: create it with an EsoCluster as scope.`);
  }

  /** Returns the ESO cluster that contains `c`, or undefined when it is not inside one. */
  public static tryOf(c: Construct | undefined): EsoCluster | undefined {
    for (let s: Construct | undefined = c; s; s = s.node.scope) {
      if (s instanceof EsoCluster) return s;
    }
    return undefined;
  }

  /**
   * The cluster of a member construct `c` (created with scope `scope`); records a type problem of
   * `c` when it is not inside a cluster (a JavaScript caller's wrong scope), and returns a
   * placeholder then: the check phase reports the problem before anything reads it.
   */
  public static memberOf(c: Construct, what: string): EsoCluster {
    return containerOf(c, what, 'EsoCluster', EsoCluster.tryOf(c.node.scope));
  }

  /** Cluster name. */
  public readonly name: string;
  /** Cloud of the cluster. */
  public readonly cloud: Cloud;
  /** Workload identity of ESO's controller, if any. */
  public readonly identity?: SpaceIdentity;
  /** Explicit IRSA role ARN, if any. */
  public readonly roleArn?: string;
  /** ESO's namespace. */
  public readonly namespace: string;
  /** ESO's controller service account. */
  public readonly serviceAccountName: string;
  /** Environment of the cluster, if declared. */
  public readonly environment?: Environment;

  public constructor(scope: Construct, id: string, props: EsoClusterProps) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'the TopologyApp');
    props = typedProps<EsoClusterProps>(this, EsoClusterPropsSchema, props, { cloud: 'aws' });
    this.name = props.name ?? id;
    this.cloud = props.cloud;
    this.identity = props.identity;
    this.roleArn = props.roleArn;
    this.namespace = props.namespace ?? 'external-secrets';
    this.serviceAccountName = props.serviceAccountName ?? 'external-secrets';
    this.environment = props.environment;
    this.node.addValidation({
      validate: () => {
        const out: string[] = [];
        for (const [v, what] of [
          [this.name, 'cluster name'],
          [this.namespace, 'ESO namespace'],
        ] as const) {
          const m = checkDnsLabel(v, what);
          if (m) out.push(m);
        }
        const sa = checkDnsSubdomain(this.serviceAccountName, 'service account name');
        if (sa) out.push(sa);
        if (this.identity && this.identity.cloud !== this.cloud) {
          out.push(
            `identity ${this.identity.describe()} is for ${this.identity.cloud}, but the cluster runs on ${this.cloud}: use an identity of the cluster's own cloud.`,
          );
        }
        if (this.roleArn !== undefined) {
          if (!AWS_ROLE_ARN.test(this.roleArn))
            out.push(`roleArn ${quoteValue(this.roleArn)} is not an IAM role ARN: use "arn:aws:iam::<12-digit account>:role/<name>".`);
          if (this.identity?.cloud !== 'aws')
            out.push(
              `roleArn is set, but the cluster's identity is ${this.identity ? this.identity.describe() : 'not set'}: roleArn is only used with an AWS identity (SpaceIdentity.awsIrsa(...) or awsPodIdentity(...)); remove it or set that identity.`,
            );
          else out.push(...esoRoleArnProblems(this));
        }
        return out;
      },
    });
  }

  /** Stores of this cluster. */
  public get stores(): EsoSecretStore[] {
    return this.members(EsoSecretStore);
  }

  /** External secrets of this cluster. */
  public get externalSecrets(): EsoExternalSecret[] {
    return this.members(EsoExternalSecret);
  }

  /** Push secrets of this cluster. */
  public get pushSecrets(): EsoPushSecret[] {
    return this.members(EsoPushSecret);
  }

  /** Members of this cluster of the given type (not those of nested clusters). */
  public members<T extends Construct>(type: abstract new (...args: never[]) => T): T[] {
    return membersOf(this, type, EsoCluster.of);
  }

  /** Cross-object problems (unique names). Per-object problems are construct validations. */
  public check(): Problem[] {
    const out: Problem[] = [];
    const seen = new Map<string, Construct>();
    const claim = (c: Construct, key: string, what: string): void => {
      const other = seen.get(key);
      if (other)
        out.push({
          path: c.node.path,
          message: `${what} is declared twice in cluster "${this.name}" (also at ${other.node.path}): give one of them another name.`,
        });
      else seen.set(key, c);
    };
    for (const s of this.stores)
      claim(s, `${s.kind}/${s.namespace ?? ''}/${s.name}`, `${s.kind} "${s.name}"${s.namespace ? ` in namespace "${s.namespace}"` : ''}`);
    for (const s of this.externalSecrets)
      claim(s, `${s.kind}/${s.namespace ?? ''}/${s.name}`, `${s.kind} "${s.name}"${s.namespace ? ` in namespace "${s.namespace}"` : ''}`);
    for (const s of this.pushSecrets)
      claim(s, `PushSecret/${s.namespace}/${s.name}`, `PushSecret "${s.name}" in namespace "${s.namespace}"`);
    return out;
  }
}

/** Props of an {@link EsoSecretStore}. */
export interface EsoSecretStoreProps {
  /**
   * Name of the store.
   * @default the construct id
   */
  readonly name?: string;
  /** The backend and how to authenticate to it (static credentials or the cluster's identity). */
  readonly provider: SecretStoreProvider;
  /**
   * Namespace of a namespaced `SecretStore`, usable only by secrets of that namespace.
   * @default none: a `ClusterSecretStore`
   */
  readonly namespace?: string;
  /**
   * Namespaces that may use a `ClusterSecretStore` (its `spec.conditions`: names become
   * `namespaces`, each label selector a `namespaceSelector`). Required for a ClusterSecretStore:
   * an unrestricted store serves every namespace of the cluster.
   * @default none (an error for a ClusterSecretStore)
   */
  readonly namespaces?: Namespaces;
  /**
   * Namespace of the static-credentials Secret of a `ClusterSecretStore` (ESO requires one).
   * @default the cluster's ESO namespace
   */
  readonly credentialsNamespace?: string;
  /**
   * How often ESO re-validates the store, in whole seconds.
   * @default ESO's default
   */
  readonly refreshInterval?: number;
}

/** A connection to a backend on a plain ESO cluster: a `SecretStore` or `ClusterSecretStore`. */
export class EsoSecretStore extends Construct {
  /** Store name. */
  public readonly name: string;
  /** The cluster. */
  public readonly cluster: EsoCluster;
  /** The backend. */
  public readonly provider: SecretStoreProvider;
  /** Namespace of a namespaced store. */
  public readonly namespace?: string;
  /** Namespaces a cluster store serves. */
  public readonly namespaces?: Namespaces;
  /** Namespace of the credentials Secret of a cluster store. */
  public readonly credentialsNamespace: string;
  /** Validation interval in seconds. */
  public readonly refreshInterval?: number;

  public constructor(scope: EsoCluster, id: string, props: EsoSecretStoreProps) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'an EsoCluster');
    props = typedProps<EsoSecretStoreProps>(this, EsoSecretStorePropsSchema, props, {} as unknown as EsoSecretStoreProps);
    this.cluster = EsoCluster.memberOf(this, 'an EsoSecretStore');
    this.name = props.name ?? id;
    this.provider = props.provider;
    this.namespace = props.namespace;
    this.namespaces = props.namespaces;
    this.credentialsNamespace = props.credentialsNamespace ?? this.cluster?.namespace ?? 'external-secrets';
    this.refreshInterval = props.refreshInterval;
    this.node.addValidation({ validate: () => this.validateProps() });
  }

  /** `SecretStore` or `ClusterSecretStore`. */
  public get kind(): 'SecretStore' | 'ClusterSecretStore' {
    return this.namespace === undefined ? 'ClusterSecretStore' : 'SecretStore';
  }

  /** Namespace of the store's own service account (`StoreIdentity`): the store's, or the credentials namespace of a ClusterSecretStore. */
  public get serviceAccountNamespace(): string {
    return this.namespace ?? this.credentialsNamespace;
  }

  /** True when the store authenticates with the cluster's workload identity. */
  public get usesWorkloadIdentity(): boolean {
    return this.provider?.credentials === undefined;
  }

  /**
   * Whether a namespace may use the store: `true`, `false`, or `undefined` when it depends on
   * namespace labels the model does not know.
   */
  public allows(namespace: string): boolean | undefined {
    if (this.namespace !== undefined) return this.namespace === namespace;
    const sel = this.namespaces?.toSelector();
    if (!sel) return true;
    if (sel.names?.includes(namespace)) return true;
    return sel.labelSelectors && sel.labelSelectors.length > 0 ? undefined : false;
  }

  private validateProps(): string[] {
    const out: string[] = [];
    const n = checkDnsLabel(this.name, 'store name');
    if (n) out.push(n);
    out.push(...this.provider.check());
    const own = this.provider.storeIdentity;
    const id = this.cluster.identity;
    if (own && this.usesWorkloadIdentity && !(id instanceof AwsIdentity && id.mode === 'aws-irsa'))
      out.push(
        `store "${this.name}" has its own identity (service account ${quoteValue(own.serviceAccount)}), which IRSA serves through the cluster's OIDC provider, but cluster "${this.cluster.name}" has ${id ? id.describe() : 'no identity'}: give the cluster identity: SpaceIdentity.awsIrsa({ accountId, oidcIssuer }), or remove the store's identity.`,
      );
    if (this.namespace !== undefined) {
      const m = checkDnsLabel(this.namespace, 'namespace');
      if (m) out.push(m);
      if (this.namespaces)
        out.push(
          `store "${this.name}" sets both namespace ("${this.namespace}", a namespaced SecretStore) and namespaces (for a ClusterSecretStore): remove one.`,
        );
    } else if (!this.namespaces) {
      out.push(
        `ClusterSecretStore "${this.name}" has no namespaces: restrict it with namespaces (e.g. Namespaces.named("team-a")), or set namespace for a namespaced SecretStore.`,
      );
    } else {
      out.push(...this.namespaces.check().map((m) => `namespaces: ${m}`));
    }
    const c = checkDnsLabel(this.credentialsNamespace, 'credentialsNamespace');
    if (c) out.push(c);
    if (this.refreshInterval !== undefined && this.refreshInterval < 0) {
      out.push(`refreshInterval ${quoteValue(this.refreshInterval)} must be a whole number of seconds (>= 0).`);
    }
    if (this.usesWorkloadIdentity) {
      const cl = this.cluster;
      // A cluster whose props have the wrong types says so itself (its identity is then not read).
      if (!cl.identity) {
        if (typeProblemsOf(cl).length === 0)
          out.push(
            `store "${this.name}" has no static credentials and cluster "${cl.name}" has no workload identity: give the provider "credentials" or set "identity" on the cluster.`,
          );
      } else if (cl.identity.cloud !== this.provider.cloud)
        out.push(
          `store "${this.name}" uses ${this.provider.displayName} with the ${cl.identity.cloud} workload identity of cluster "${cl.name}": give the provider static "credentials".`,
        );
    }
    return out;
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its SecretStore or ClusterSecretStore). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link EsoSecretStore.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}

/** Props of an {@link EsoExternalSecret}. */
export interface EsoExternalSecretProps extends SecretSourceProps {
  /**
   * Name of the ExternalSecret / ClusterExternalSecret.
   * @default the construct id
   */
  readonly name?: string;
  /** The store to read from (same cluster). */
  readonly store: EsoSecretStore;
  /**
   * Namespace of a namespaced `ExternalSecret`.
   * @default the store's namespace for a namespaced store; none (a ClusterExternalSecret) otherwise
   */
  readonly namespace?: string;
  /**
   * Namespaces a `ClusterExternalSecret` writes the Secret into (`spec.namespaceSelectors`; names
   * become a `kubernetes.io/metadata.name In (...)` expression).
   * @default none
   */
  readonly namespaces?: Namespaces;
  /** The Secret written. @default a Secret named like this object */
  readonly target?: SecretTarget;
  /**
   * How often ESO re-reads the backend (Go duration; `0s` reads once).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/** A secret read from a store on a plain ESO cluster: an `ExternalSecret` or `ClusterExternalSecret`. */
export class EsoExternalSecret extends Construct {
  /** Object name. */
  public readonly name: string;
  /** The cluster. */
  public readonly cluster: EsoCluster;
  /** The store. */
  public readonly store: EsoSecretStore;
  /** Namespace of a namespaced ExternalSecret. */
  public readonly namespace?: string;
  /** Namespaces of a ClusterExternalSecret. */
  public readonly namespaces?: Namespaces;
  /** Keys read one by one. */
  public readonly data: readonly SecretData[];
  /** Bulk sources. */
  public readonly dataFrom: readonly DataFromSource[];
  /** Target Secret settings. */
  public readonly target: SecretTarget;
  /** Refresh interval (Go duration). */
  public readonly refreshInterval: string;
  /** Refresh policy, if set. */
  public readonly refreshPolicy?: RefreshPolicy;

  public constructor(scope: EsoCluster, id: string, props: EsoExternalSecretProps) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'an EsoCluster');
    props = typedProps<EsoExternalSecretProps>(this, EsoExternalSecretPropsSchema, props, {} as unknown as EsoExternalSecretProps);
    this.cluster = EsoCluster.memberOf(this, 'an EsoExternalSecret');
    this.name = props.name ?? id;
    this.store = props.store;
    this.namespaces = props.namespaces;
    this.namespace = props.namespace ?? (props.namespaces ? undefined : props.store?.namespace);
    this.data = [...(props.data ?? [])];
    this.dataFrom = [...(props.dataFrom ?? [])];
    this.target = props.target ?? {};
    this.refreshInterval = props.refreshInterval ?? '1h';
    this.refreshPolicy = props.refreshPolicy;
    this.node.addValidation({ validate: () => this.validateProps() });
  }

  /** `ExternalSecret` or `ClusterExternalSecret`. */
  public get kind(): 'ExternalSecret' | 'ClusterExternalSecret' {
    return this.namespace === undefined ? 'ClusterExternalSecret' : 'ExternalSecret';
  }

  /** Name of the Kubernetes Secret written. */
  public get targetName(): string {
    return this.target.name ?? this.name;
  }

  private validateProps(): string[] {
    const out: string[] = [];
    const n = checkDnsLabel(this.name, 'secret name');
    if (n) out.push(n);
    if (this.store.cluster !== this.cluster)
      out.push(
        `store "${this.store.name}" is in cluster "${this.store.cluster.name}", not in "${this.cluster.name}": use a store of the same cluster.`,
      );
    if (this.namespace !== undefined && this.namespaces)
      out.push(
        `secret "${this.name}" sets both namespace and namespaces: set namespace for an ExternalSecret or namespaces for a ClusterExternalSecret.`,
      );
    if (this.namespace === undefined && !this.namespaces)
      out.push(
        `secret "${this.name}" has neither namespace nor namespaces: set namespace (an ExternalSecret) or namespaces (a ClusterExternalSecret).`,
      );
    if (this.namespace !== undefined) {
      const m = checkDnsLabel(this.namespace, 'namespace');
      if (m) out.push(m);
      else if (this.store.allows(this.namespace) === false)
        out.push(
          `namespace "${this.namespace}" may not use ${this.store.kind} "${this.store.name}" (${describeStoreReach(this.store)}): ESO would refuse it; widen the store's namespaces or move the secret.`,
        );
    }
    if (this.namespaces) {
      out.push(...this.namespaces.check().map((m) => `namespaces: ${m}`));
      if (this.store.kind === 'SecretStore')
        out.push(
          `ClusterExternalSecret "${this.name}" uses the namespaced SecretStore "${this.store.name}" (namespace "${this.store.namespace}"): use a ClusterSecretStore, or set namespace: "${this.store.namespace}".`,
        );
      else {
        const names = this.namespaces.toSelector().names ?? [];
        const refused = names.filter((ns) => this.store.allows(ns) === false);
        if (refused.length > 0)
          out.push(
            `namespaces ${refused.map((r) => `"${r}"`).join(', ')} may not use ClusterSecretStore "${this.store.name}" (${describeStoreReach(this.store)}): widen the store's namespaces or narrow the secret's.`,
          );
      }
    }
    out.push(...checkSecretSource(this.name, this.store.provider, this.data, this.dataFrom));
    out.push(...checkSecretTarget(this.target));
    out.push(...checkRefresh(this.refreshInterval));
    return out;
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its ExternalSecret or ClusterExternalSecret). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link EsoExternalSecret.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}

/** One key pushed from a Kubernetes Secret to the backend. */
export interface PushData {
  /** Key in the source Kubernetes Secret. */
  readonly secretKey: string;
  /** Name (or path) of the secret in the backend. */
  readonly remoteKey: string;
  /**
   * Property of a JSON remote secret to write the value into.
   * @default the whole value
   */
  readonly property?: string;
  /**
   * How the pushed secret is created and kept on AWS (ESO's `PushSecretMetadata`: KMS key, format,
   * description, tags, resource policy, replication); the identity stage grants what it needs.
   * AWS stores only.
   * @default none: ESO's defaults
   */
  readonly metadata?: AwsPushMetadata;
}

/** What ESO does with pushed remote secrets when the PushSecret is deleted. */
export const PUSH_DELETION_POLICIES = ['Delete', 'None'] as const;
/** A {@link PUSH_DELETION_POLICIES} member. */
export type PushDeletionPolicy = (typeof PUSH_DELETION_POLICIES)[number];
/** Whether ESO overwrites an existing remote secret. */
export const PUSH_UPDATE_POLICIES = ['Replace', 'IfNotExists'] as const;
/** A {@link PUSH_UPDATE_POLICIES} member. */
export type PushUpdatePolicy = (typeof PUSH_UPDATE_POLICIES)[number];

/** Props of an {@link EsoPushSecret}. */
export interface EsoPushSecretProps {
  /**
   * Name of the PushSecret.
   * @default the construct id
   */
  readonly name?: string;
  /** The store to push to (same cluster). */
  readonly store: EsoSecretStore;
  /**
   * Namespace of the PushSecret and of its source Secret.
   * @default the store's namespace (required with a ClusterSecretStore)
   */
  readonly namespace?: string;
  /** Name of the Kubernetes Secret whose keys are pushed. */
  readonly secretName: string;
  /** Keys to push and where to. */
  readonly data: readonly PushData[];
  /**
   * How often ESO pushes again (Go duration).
   * @default '1h'
   */
  readonly refreshInterval?: string;
  /**
   * `Delete` removes the remote secret when the PushSecret is deleted (needs delete permission).
   * @default 'None'
   */
  readonly deletionPolicy?: PushDeletionPolicy;
  /**
   * `IfNotExists` never overwrites an existing remote secret.
   * @default 'Replace'
   */
  readonly updatePolicy?: PushUpdatePolicy;
}

/** Pushes keys of a Kubernetes Secret to a backend: an ESO `PushSecret` (`external-secrets.io/v1alpha1`). */
export class EsoPushSecret extends Construct {
  /** Object name. */
  public readonly name: string;
  /** The cluster. */
  public readonly cluster: EsoCluster;
  /** The store pushed to. */
  public readonly store: EsoSecretStore;
  /** Namespace of the PushSecret and its source Secret. */
  public readonly namespace: string;
  /** Source Secret. */
  public readonly secretName: string;
  /** Pushed keys. */
  public readonly data: readonly PushData[];
  /** Push interval. */
  public readonly refreshInterval: string;
  /** Deletion policy. */
  public readonly deletionPolicy: PushDeletionPolicy;
  /** Update policy. */
  public readonly updatePolicy: PushUpdatePolicy;
  private readonly namespaceMissing: boolean;

  public constructor(scope: EsoCluster, id: string, props: EsoPushSecretProps) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'an EsoCluster');
    props = typedProps<EsoPushSecretProps>(this, EsoPushSecretPropsSchema, props, {} as unknown as EsoPushSecretProps);
    this.cluster = EsoCluster.memberOf(this, 'an EsoPushSecret');
    this.name = props.name ?? id;
    this.store = props.store;
    const ns = props.namespace ?? props.store?.namespace;
    this.namespaceMissing = ns === undefined;
    this.namespace = ns ?? '';
    this.secretName = props.secretName;
    this.data = [...(props.data ?? [])];
    this.refreshInterval = props.refreshInterval ?? '1h';
    this.deletionPolicy = props.deletionPolicy ?? 'None';
    this.updatePolicy = props.updatePolicy ?? 'Replace';
    this.node.addValidation({ validate: () => this.validateProps() });
  }

  private validateProps(): string[] {
    const out: string[] = [];
    const n = checkDnsLabel(this.name, 'push secret name');
    if (n) out.push(n);
    if (this.store.cluster !== this.cluster)
      out.push(
        `store "${this.store.name}" is in cluster "${this.store.cluster.name}", not in "${this.cluster.name}": use a store of the same cluster.`,
      );
    if (this.namespaceMissing)
      out.push(
        `push secret "${this.name}" has no namespace and its store "${this.store.name}" is a ClusterSecretStore: set namespace (the namespace of the source Secret).`,
      );
    else {
      const m = checkDnsLabel(this.namespace, 'namespace');
      if (m) out.push(m);
      else if (this.store.allows(this.namespace) === false)
        out.push(
          `namespace "${this.namespace}" may not use ${this.store.kind} "${this.store.name}" (${describeStoreReach(this.store)}): widen the store's namespaces or move the push secret.`,
        );
    }
    const s = checkDnsSubdomain(this.secretName, 'secretName (the source Secret)');
    if (s) out.push(s);
    if (this.data.length === 0) out.push(`push secret "${this.name}" pushes nothing: add data entries ({ secretKey, remoteKey }).`);
    const targets = new Set<string>();
    for (const d of this.data) {
      const k = checkSecretKey(d.secretKey);
      if (k) out.push(`data: ${k}`);
      const r = d.remoteKey.length > 0 ? this.store.provider.checkRemoteKey(d.remoteKey) : 'it is empty: name the secret in the backend.';
      if (r) out.push(`data["${d.secretKey}"].remoteKey: ${r}`);
      if (d.metadata !== undefined) {
        const provider = this.store.provider;
        if (provider instanceof AwsSecretsManager || provider instanceof AwsParameterStore)
          out.push(
            ...checkPushMetadata(
              d.metadata,
              provider instanceof AwsSecretsManager ? 'secretsmanager' : 'ssm',
              provider.region,
              `data["${d.secretKey}"].metadata`,
            ),
          );
        else
          out.push(
            `data["${d.secretKey}"].metadata is set, but store "${this.store.name}" uses ${provider?.displayName ?? 'no provider'}: push metadata is modeled for AWS stores only; remove it.`,
          );
      }
      const key = `${d.remoteKey}\u0000${d.property ?? ''}`;
      if (targets.has(key))
        out.push(
          `data["${d.secretKey}"]: remote key "${d.remoteKey}"${d.property ? ` property "${d.property}"` : ''} is written by two entries: each remote value must come from one key.`,
        );
      targets.add(key);
    }
    const d = checkGoDuration(this.refreshInterval);
    if (d) out.push(`refreshInterval: ${d}`);
    return out;
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its PushSecret). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link EsoPushSecret.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}

/** Where a store may be used, for messages. */
function describeStoreReach(store: EsoSecretStore): string {
  if (store.namespace !== undefined) return `namespaced, in "${store.namespace}"`;
  return store.namespaces ? `namespaces ${store.namespaces.describe()}` : 'every namespace';
}
