/**
 * The generated world of the oracle: a topology as plain data (a {@link WorldSpec}, what fast-check
 * generates and shrinks) and the facts of the world it describes that are not in the artifacts:
 * which environment each remote secret was created for, which host namespace each plane's ESO runs
 * in, each Space's cluster (EKS account, region, name and OIDC issuer; AKS issuer; GKE project) and
 * the account of each static AWS credential. Everything here is the generator's knowledge; nothing
 * is read from lib/.
 */
import { createHash } from 'node:crypto';

/** Environments a topology can have. */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvName = (typeof ENVIRONMENTS)[number];

/** AWS accounts and regions of the world. */
export const ACCOUNTS = ['111122223333', '444455556666'] as const;
export const AWS_REGIONS = ['eu-central-1', 'us-east-1'] as const;
export type Account = (typeof ACCOUNTS)[number];
export type AwsRegion = (typeof AWS_REGIONS)[number];

/** Azure: one tenant and subscription; Key Vaults with their permission model. */
export const AZURE_TENANT = '8f2c0c6e-1d7a-4a57-9a5e-2b1f4c3d5e6f';
export const AZURE_SUBSCRIPTION = '0b1c2d3e-4f50-4a6b-8c7d-8e9fa0b1c2d3';
export const VAULTS = [
  { name: 'kv-shared', authorization: 'rbac' },
  { name: 'kv-prod', authorization: 'rbac' },
  { name: 'kv-legacy', authorization: 'access-policy' },
] as const;
/** User-assigned managed identities Spaces can use (two Spaces with the same one share a principal). */
export const AZURE_IDENTITIES = [
  { name: 'eso-shared', clientId: '1a2b3c4d-0000-4000-8000-00000000000a', principalId: '9a8b7c6d-0000-4000-8000-00000000000a' },
  { name: 'eso-nonprod', clientId: '1a2b3c4d-0000-4000-8000-00000000000b', principalId: undefined },
] as const;
export const AZURE_IDENTITY_RESOURCE_GROUP = 'rg-identities';

/** GCP projects: each can hold secrets and run a GKE cluster (its workload pool is `<id>.svc.id.goog`). */
export const GCP_PROJECTS = [
  { id: 'acme-secrets-one', number: '100000000001' },
  { id: 'acme-secrets-two', number: '100000000002' },
] as const;
/** Google service accounts Spaces can impersonate. */
export const GSAS = ['eso-shared@acme-secrets-one.iam.gserviceaccount.com', 'eso-second@acme-secrets-two.iam.gserviceaccount.com'] as const;

/** Roles a store can chain to (`provider.aws.role`), besides roles named like generated ones. */
export const CHAIN_ROLE_NAMES = ['secrets-reader', 'secrets-reader-prod'] as const;

/** The HashiCorp Vault server of the world (a backend the analysis does not know). */
export const HV_SERVER = 'https://vault.example.com';
export const HV_MOUNT = 'secret';

/** The service account of every plane's shared-secrets controller (Spaces). */
export const CONTROLLER_SA = 'external-secrets-controller';

/** Where a remote secret lives. */
export type Backend =
  | { readonly kind: 'sm'; readonly account: Account; readonly region: AwsRegion }
  | { readonly kind: 'ps'; readonly account: Account; readonly region: AwsRegion }
  | { readonly kind: 'kv'; readonly vault: number }
  | { readonly kind: 'gsm'; readonly project: number }
  | { readonly kind: 'hv' };

/** A secret that exists in a backend, created for one environment. */
export interface RemoteSpec {
  readonly backend: Backend;
  /** Its name (Parameter Store: with the leading `/`). */
  readonly name: string;
  /** The environment it was created for: the ground truth of ownership. */
  readonly owner: EnvName;
  /** Its tags (AWS tags, Key Vault tags, GCP labels). */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Key Vault: a certificate. Key Vault creates a certificate `<name>` with a key and a secret of
   * its name (the secret holds the private key), so the three are one remote secret: whoever reads
   * the secret `<name>` reads the certificate's private key.
   */
  readonly certificate?: boolean;
}

/**
 * How a secret names a remote secret. Key Vault: `name`, `secret/name` (`prefixed`), either in
 * upper case; a certificate also as `cert/name` (any case) and `key/name` (its key).
 */
export type KeyForm = 'name' | 'arn' | 'noslash' | 'prefixed' | 'upper' | 'prefixed-upper' | 'cert' | 'cert-upper' | 'key';

/** One remote reference of a shared secret or ESO external secret. */
export type RefSpec =
  | { readonly kind: 'key'; readonly remote: number; readonly form: KeyForm; readonly extract: boolean }
  | { readonly kind: 'absent'; readonly name: string }
  | { readonly kind: 'find'; readonly path?: string; readonly nameRegexp?: string; readonly tags?: Readonly<Record<string, string>> };

/** Which planes of its group a store reaches. */
export type PlaneSel =
  | { readonly kind: 'env'; readonly envs: readonly EnvName[] }
  | { readonly kind: 'named'; readonly planes: readonly string[] }
  | { readonly kind: 'labels'; readonly matchLabels: Readonly<Record<string, string>> };

/** How a store authenticates. */
export type AuthSpec = { readonly kind: 'identity' } | { readonly kind: 'static'; readonly secretName: string };

export interface SecretSpec {
  readonly name: string;
  readonly refs: readonly RefSpec[];
  /** Planes of its own, narrowing its store's (`SharedSecret` `planes`). @default the store's */
  readonly planes?: PlaneSel;
}

export interface StoreSpec {
  readonly name: string;
  /** The environment the store was created for (its secrets mostly name that environment's remote secrets). */
  readonly env: EnvName;
  readonly backend: Backend;
  readonly auth: AuthSpec;
  /** AWS: the role the store assumes after authenticating (an ARN). */
  readonly role?: string;
  /** AWS: `accountId` of the provider. */
  readonly accountId?: Account;
  readonly planes: PlaneSel;
  /** The environment declared to own its secrets (`SecretStore` `environment`). @default the environments of its planes */
  readonly environment?: EnvName;
  readonly namespaces: readonly string[];
  readonly secrets: readonly SecretSpec[];
}

/** Where a plane's ESO runs: `mxp-<uuid>-system` from a controlPlaneId, or an explicit host namespace. */
export type HostSpec = { readonly kind: 'id'; readonly uuid: string } | { readonly kind: 'ns'; readonly name: string };

export interface PlaneSpec {
  readonly name: string;
  readonly env: EnvName;
  /** An extra label `tier=<tier>` (label selectors of stores can catch planes of several environments with it). */
  readonly tier?: 'a' | 'b';
  readonly host: HostSpec;
  readonly namespaces: readonly string[];
}

export interface GroupSpec {
  readonly name: string;
  readonly planes: readonly PlaneSpec[];
  readonly stores: readonly StoreSpec[];
}

export type IdentitySpec =
  | { readonly kind: 'aws-irsa'; readonly account: Account }
  | {
      readonly kind: 'aws-pod-identity';
      readonly account: Account;
      readonly region: boolean;
      readonly roleScope: 'environment' | 'group-environment' | 'plane';
    }
  | { readonly kind: 'azure'; readonly identity: number }
  | { readonly kind: 'gcp-principal'; readonly project: number }
  | { readonly kind: 'gcp-impersonation'; readonly project: number; readonly gsa: number };

export type Cloud = 'aws' | 'azure' | 'gcp';

export interface SpaceSpec {
  readonly name: string;
  readonly cloud: Cloud;
  readonly identity?: IdentitySpec;
  /** GKE: the project of the cluster when the Space has no GCP identity. */
  readonly gkeProject?: number;
  readonly groups: readonly GroupSpec[];
}

/** Names of the world's plain ESO clusters. */
export const CLUSTER_NAMES = ['apps', 'jobs'] as const;
/** Where each plain ESO cluster's ESO runs: its namespace and controller service account (as the cluster is installed). */
export const CLUSTER_ESO_NAMESPACE = 'external-secrets';
export const CLUSTER_ESO_SA = 'eso-controller';

/** A plain ESO cluster on EKS with IRSA (its role may be named like a Space's generated role). */
export interface ClusterSpec {
  readonly name: string;
  /** The environment the cluster was created for (its references mostly name that environment's remote secrets). */
  readonly env: EnvName;
  /** The environment it declares (`EsoCluster` `environment`). @default none: the environment "(none)" */
  readonly environment?: EnvName;
  readonly account: Account;
  /** The role name `roleArn` gives (in the identity's account), or none (the default name). */
  readonly roleName?: string;
  readonly refs: readonly RefSpec[];
  /**
   * Remote secrets a `PushSecret` of the cluster writes (keys, by name). ESO reads a secret before
   * it writes it, so the cluster's role may read what it pushes; a push is a reference for ownership.
   */
  readonly pushes?: readonly Extract<RefSpec, { kind: 'key' }>[];
}

/**
 * An `Environment`'s `owns` declaration of one backend (`SecretOwnership.*`), as written. The
 * generator emits only declarations consistent with the world's owners.
 */
export type OwnsSpec =
  | {
      readonly kind: 'sm';
      readonly env: EnvName;
      readonly prefixes?: readonly string[];
      readonly names?: readonly string[];
      readonly arns?: readonly string[];
      readonly account?: Account;
      readonly region?: AwsRegion;
    }
  | {
      readonly kind: 'ps';
      readonly env: EnvName;
      readonly paths: readonly string[];
      readonly account?: Account;
      readonly region?: AwsRegion;
    }
  /** Key Vault: whole vaults (by name, URL or resource id) and object name prefixes in any vault. */
  | { readonly kind: 'kv'; readonly env: EnvName; readonly vaults?: readonly string[]; readonly names?: readonly string[] }
  /** Secret Manager: whole projects (by id or number) and secret id prefixes in any project. */
  | { readonly kind: 'gsm'; readonly env: EnvName; readonly projects?: readonly string[]; readonly secretIds?: readonly string[] };

/**
 * Opt-outs of the cross-environment rules: none; `cross-environment` alone (production secrets
 * outside production must still stop synthesis); both rules.
 */
export type OptOut = 'none' | 'cross-environment' | 'both';

/** A generated topology. */
export interface WorldSpec {
  readonly envs: readonly EnvName[];
  readonly remotes: readonly RemoteSpec[];
  /** Ownership declarations (`Environment` `owns`), consistent with {@link RemoteSpec.owner}. */
  readonly owns: readonly OwnsSpec[];
  readonly spaces: readonly SpaceSpec[];
  readonly clusters: readonly ClusterSpec[];
  /** Which cross-environment rules the topology opts out of (the report must still flag what they cover). */
  readonly optOut: OptOut;
}

// ---------------------------------------------------------------------------------------------
// Facts of the world derived from the spec

function hex(text: string, n: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, n);
}

/** The 6 random characters AWS appends to a Secrets Manager secret's name in its ARN. */
export function smSuffix(b: Backend, name: string): string {
  const h = hex(`${backendKey(b)}|${name}`, 12);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...h.slice(0, 6)].map((c, i) => alphabet[(parseInt(c, 16) * 7 + i * 11) % alphabet.length]).join('');
}

/** A stable text for a backend. */
export function backendKey(b: Backend): string {
  switch (b.kind) {
    case 'sm':
    case 'ps':
      return `${b.kind}:${b.account}:${b.region}`;
    case 'kv':
      return `kv:${VAULTS[b.vault]?.name}`;
    case 'gsm':
      return `gsm:${GCP_PROJECTS[b.project]?.id}`;
    case 'hv':
      return 'hv';
  }
}

export function sameBackend(a: Backend, b: Backend): boolean {
  return backendKey(a) === backendKey(b);
}

export function vaultResourceId(vault: number): string {
  return `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/rg-secrets/providers/Microsoft.KeyVault/vaults/${VAULTS[vault]?.name}`;
}

export function vaultUrl(vault: number): string {
  return `https://${VAULTS[vault]?.name}.vault.azure.net`;
}

export function azureIdentityResourceId(identity: number): string {
  return `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/${AZURE_IDENTITY_RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${AZURE_IDENTITIES[identity]?.name}`;
}

/** A remote secret's identity: the same secret whatever text names it (ARN or name, `/` or not, case in Key Vault). */
export function remoteIdentity(r: Pick<RemoteSpec, 'backend' | 'name'>): string {
  const b = r.backend;
  switch (b.kind) {
    case 'ps':
      return `${backendKey(b)}:${r.name.replace(/^\/+/, '')}`;
    case 'kv':
      return `${backendKey(b)}:${r.name.toLowerCase()}`;
    default:
      return `${backendKey(b)}:${r.name}`;
  }
}

/** The host namespace of a plane's ESO. */
export function hostNamespace(p: PlaneSpec): string {
  return p.host.kind === 'ns' ? p.host.name : `mxp-${p.host.uuid}-system`;
}

/** The EKS cluster of an AWS Space (or of a plain ESO cluster): account, region, name, OIDC issuer. */
export interface EksCluster {
  readonly account: Account;
  readonly region: AwsRegion;
  readonly name: string;
  /** The issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<ID>`). */
  readonly issuer: string;
}

export function eksCluster(owner: string, account: Account): EksCluster {
  const region: AwsRegion = 'eu-central-1';
  return {
    account,
    region,
    name: `${owner}-eks`,
    issuer: `https://oidc.eks.${region}.amazonaws.com/id/${hex(owner, 32).toUpperCase()}`,
  };
}

/** The EKS cluster a Space runs on (its identity's account, else the first account). */
export function spaceEks(space: SpaceSpec): EksCluster {
  const id = space.identity;
  return eksCluster(`space-${space.name}`, id && (id.kind === 'aws-irsa' || id.kind === 'aws-pod-identity') ? id.account : ACCOUNTS[0]);
}

/** The AKS OIDC issuer of a Space's cluster (with its trailing slash, as `az aks show` prints it). */
export function aksIssuer(space: SpaceSpec): string {
  const h = hex(`aks-${space.name}`, 32);
  return `https://westeurope.oic.prod-aks.azure.com/${AZURE_TENANT}/${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}/`;
}

/** The GCP project of a Space's GKE cluster. */
export function gkeProject(space: SpaceSpec): (typeof GCP_PROJECTS)[number] {
  const id = space.identity;
  const i = id && (id.kind === 'gcp-principal' || id.kind === 'gcp-impersonation') ? id.project : (space.gkeProject ?? 0);
  return GCP_PROJECTS[i];
}

/** The account a static AWS credentials Secret (Space, group, Secret name) belongs to. */
export function credentialAccount(space: string, group: string, secretName: string): Account {
  return ACCOUNTS[parseInt(hex(`${space}/${group}/${secretName}`, 2), 16) % ACCOUNTS.length];
}

/** The backend a plain ESO cluster's store reads: Secrets Manager in the cluster's account and region. */
export function clusterBackend(c: Pick<ClusterSpec, 'account'>): Backend {
  return { kind: 'sm', account: c.account, region: AWS_REGIONS[0] };
}

/** The ARN of a role of the world. */
export function roleArn(account: string, name: string): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

/** Whether a store's plane selection selects a plane (labels: `environment` and `tier`). */
export function selects(sel: PlaneSel, p: PlaneSpec): boolean {
  const labels: Record<string, string> = { environment: p.env, ...(p.tier ? { tier: p.tier } : {}) };
  if (sel.kind === 'env') return sel.envs.includes(p.env);
  if (sel.kind === 'named') return sel.planes.includes(p.name);
  return Object.entries(sel.matchLabels).every(([k, v]) => labels[k] === v);
}

/** The report's key of a plain ESO cluster's row. */
export function clusterKey(c: Pick<ClusterSpec, 'name'>): string {
  return `clusters/${c.name}`;
}

/** The EKS cluster of a plain ESO cluster. */
export function clusterEks(c: Pick<ClusterSpec, 'name' | 'account'>): EksCluster {
  return eksCluster(`cluster-${c.name}`, c.account);
}

/** A plane of the world, with everything the oracle needs about it. */
export interface WorldPlane {
  /** `<space>/<group>/<plane>`, as the report keys planes. */
  readonly key: string;
  readonly space: SpaceSpec;
  readonly group: string;
  readonly name: string;
  readonly env: EnvName;
  readonly hostNamespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespaces: readonly string[];
}

export function worldPlanes(spec: WorldSpec): WorldPlane[] {
  return spec.spaces.flatMap((space) =>
    space.groups.flatMap((g) =>
      g.planes.map((p) => ({
        key: `${space.name}/${g.name}/${p.name}`,
        space,
        group: g.name,
        name: p.name,
        env: p.env,
        hostNamespace: hostNamespace(p),
        labels: { environment: p.env, ...(p.tier ? { tier: p.tier } : {}) },
        namespaces: p.namespaces,
      })),
    ),
  );
}

/** The text a reference uses for a remote secret in the given form. */
export function keyText(r: RemoteSpec, form: KeyForm): string {
  const b = r.backend;
  if (b.kind === 'sm' && form === 'arn') return `arn:aws:secretsmanager:${b.region}:${b.account}:secret:${r.name}-${smSuffix(b, r.name)}`;
  if (b.kind === 'ps') {
    const bare = r.name.replace(/^\/+/, '');
    if (form === 'arn') return `arn:aws:ssm:${b.region}:${b.account}:parameter/${bare}`;
    if (form === 'noslash') return bare;
  }
  if (b.kind === 'kv') {
    if (form === 'prefixed') return `secret/${r.name}`;
    if (form === 'upper') return r.name.toUpperCase();
    if (form === 'prefixed-upper') return `secret/${r.name.toUpperCase()}`;
    if (form === 'cert') return `cert/${r.name}`;
    if (form === 'cert-upper') return `cert/${r.name.toUpperCase()}`;
    if (form === 'key') return `key/${r.name}`;
  }
  return r.name;
}
