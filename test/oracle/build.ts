/**
 * Builds a generated world through the PUBLIC API only (`lib/index.ts`). A world becomes a list of
 * statements (construct creations and calls, as data); {@link buildTopology} runs them and
 * {@link topologyCode} prints them as the TypeScript a user would write, so a counterexample is
 * reported as exactly the code that was compiled.
 */
import {
  AwsParameterStore,
  AwsSecretsManager,
  AzureKeyVault,
  ControlPlane,
  Environment,
  EsoCluster,
  EsoExternalSecret,
  EsoPushSecret,
  EsoSecretStore,
  GcpSecretManager,
  Group,
  Guardrails,
  Namespaces,
  Planes,
  SecretOwnership,
  SecretStore,
  SecretStoreProvider,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
  type FindSupport,
} from '../../lib/index.js';
import {
  AZURE_IDENTITIES,
  AZURE_IDENTITY_RESOURCE_GROUP,
  AZURE_SUBSCRIPTION,
  AZURE_TENANT,
  GCP_PROJECTS,
  GSAS,
  HV_MOUNT,
  HV_SERVER,
  VAULTS,
  CLUSTER_ESO_NAMESPACE,
  CLUSTER_ESO_SA,
  aksIssuer,
  clusterEks,
  gkeProject,
  keyText,
  spaceEks,
  vaultResourceId,
  vaultUrl,
  type OptOut,
  type OwnsSpec,
  type PlaneSel,
  type RefSpec,
  type SpaceSpec,
  type StoreSpec,
  type WorldSpec,
} from './world.js';

/**
 * A store provider the access analysis does not know: HashiCorp Vault (KV v2) with a token in a
 * Kubernetes Secret of the group. A user can write one, since `SecretStoreProvider` is public.
 */
class HashiCorpVault extends SecretStoreProvider {
  public readonly cloud = 'aws' as const;
  public readonly displayName = 'HashiCorp Vault';
  public readonly findSupport: FindSupport = { path: true, name: true, tags: false, pathAlone: true };
  public readonly credentials: StaticCredentials;
  private readonly server: string;
  private readonly mount: string;
  public constructor(props: { readonly server: string; readonly mount: string; readonly tokenSecretName: string }) {
    super();
    this.server = props.server;
    this.mount = props.mount;
    this.credentials = StaticCredentials.awsAccessKey({ secretName: props.tokenSecretName });
  }
  public toSpacesProvider(): ReturnType<SecretStoreProvider['toSpacesProvider']> {
    const auth = { tokenSecretRef: { name: this.credentials.secretName, key: 'token' } };
    return { vault: { server: this.server, path: this.mount, version: 'v2', auth } } as ReturnType<SecretStoreProvider['toSpacesProvider']>;
  }
  public check(): string[] {
    return [];
  }
  public checkRemoteKey(): string | undefined {
    return undefined;
  }
  public describe(): string {
    return `${this.displayName} (${this.server})`;
  }
  public accessModel(): never {
    throw new Error('removed below');
  }
}
// As a JavaScript caller could write it: no access model at all (the type system cannot stop them).
delete (HashiCorpVault.prototype as { accessModel?: unknown }).accessModel;

/** A value in a statement: plain data, a variable, a static call or a `new`. */
type Value =
  | string
  | number
  | boolean
  | undefined
  | readonly Value[]
  | { readonly [key: string]: Value }
  | { readonly $ref: string }
  | { readonly $call: keyof typeof CALLS; readonly args: readonly Value[] }
  | { readonly $new: keyof typeof CTORS; readonly args: readonly Value[] };

/** `const <name> = new <ctor>(...)` or a bare call. */
type Statement =
  | { readonly name: string; readonly $new: keyof typeof CTORS; readonly args: readonly Value[] }
  | { readonly $call: keyof typeof CALLS; readonly args: readonly Value[] };

type AnyCtor = new (...args: never[]) => unknown;
const CTORS = {
  TopologyApp,
  Environment,
  Space,
  Group,
  ControlPlane,
  SecretStore,
  SharedSecret,
  AwsSecretsManager,
  AwsParameterStore,
  AzureKeyVault,
  GcpSecretManager,
  HashiCorpVault,
  EsoCluster,
  EsoSecretStore,
  EsoExternalSecret,
  EsoPushSecret,
} satisfies Record<string, AnyCtor>;

const CALLS = {
  'Planes.inEnvironments': Planes.inEnvironments,
  'Planes.named': Planes.named,
  'Planes.matching': Planes.matching,
  'Namespaces.named': Namespaces.named,
  'StaticCredentials.awsAccessKey': StaticCredentials.awsAccessKey,
  'StaticCredentials.azureServicePrincipal': StaticCredentials.azureServicePrincipal,
  'StaticCredentials.gcpServiceAccountKey': StaticCredentials.gcpServiceAccountKey,
  'SpaceIdentity.awsIrsa': SpaceIdentity.awsIrsa,
  'SpaceIdentity.awsPodIdentity': SpaceIdentity.awsPodIdentity,
  'SpaceIdentity.azureWorkloadIdentity': SpaceIdentity.azureWorkloadIdentity,
  'SpaceIdentity.gcpWorkloadIdentity': SpaceIdentity.gcpWorkloadIdentity,
  'SpaceIdentity.gcpImpersonation': SpaceIdentity.gcpImpersonation,
  'Guardrails.allow': Guardrails.allow,
  'SecretOwnership.awsSecretsManager': SecretOwnership.awsSecretsManager,
  'SecretOwnership.awsParameterStore': SecretOwnership.awsParameterStore,
  'SecretOwnership.azureKeyVault': SecretOwnership.azureKeyVault,
  'SecretOwnership.gcpSecretManager': SecretOwnership.gcpSecretManager,
} as const;

/** Guardrails other than cross-environment: opted out, so that only cross-environment can stop a topology. */
const OTHER_GUARDRAILS = ['credential-reuse', 'production-wildcard-namespaces', 'refresh-interval', 'wide-iam-grant'];

const ref = (name: string): Value => ({ $ref: name });
const call = (fn: keyof typeof CALLS, ...args: Value[]): Value => ({ $call: fn, args });
const make = (ctor: keyof typeof CTORS, ...args: Value[]): Value => ({ $new: ctor, args });

/** Variable names: `<kind>_<path with non-identifier characters as _>`. */
function v(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

function identityValue(space: SpaceSpec): Value {
  const id = space.identity;
  if (!id) return undefined;
  switch (id.kind) {
    case 'aws-irsa':
      return call('SpaceIdentity.awsIrsa', { accountId: id.account, oidcIssuer: spaceEks(space).issuer });
    case 'aws-pod-identity': {
      const eks = spaceEks(space);
      return call('SpaceIdentity.awsPodIdentity', {
        accountId: id.account,
        clusterName: eks.name,
        ...(id.region ? { region: eks.region } : {}),
        roleScope: id.roleScope,
      });
    }
    case 'azure': {
      const mi = AZURE_IDENTITIES[id.identity];
      return call('SpaceIdentity.azureWorkloadIdentity', {
        tenantId: AZURE_TENANT,
        clientId: mi.clientId,
        oidcIssuer: aksIssuer(space),
        identityName: mi.name,
        resourceGroup: AZURE_IDENTITY_RESOURCE_GROUP,
        subscriptionId: AZURE_SUBSCRIPTION,
        ...(mi.principalId ? { principalId: mi.principalId } : {}),
      });
    }
    case 'gcp-principal':
    case 'gcp-impersonation': {
      const p = gkeProject(space);
      const props = { projectId: p.id, projectNumber: p.number };
      return id.kind === 'gcp-principal'
        ? call('SpaceIdentity.gcpWorkloadIdentity', props)
        : call('SpaceIdentity.gcpImpersonation', { ...props, serviceAccountEmail: GSAS[id.gsa] as string });
    }
  }
}

function providerValue(store: StoreSpec): Value {
  const b = store.backend;
  const secretName = store.auth.kind === 'static' ? store.auth.secretName : undefined;
  switch (b.kind) {
    case 'sm':
    case 'ps':
      return make(b.kind === 'sm' ? 'AwsSecretsManager' : 'AwsParameterStore', {
        region: b.region,
        ...(store.accountId ? { accountId: store.accountId } : {}),
        ...(store.role ? { role: store.role } : {}),
        ...(secretName ? { credentials: call('StaticCredentials.awsAccessKey', { secretName }) } : {}),
      });
    case 'kv': {
      const vault = VAULTS[b.vault];
      return make('AzureKeyVault', {
        vaultUrl: vaultUrl(b.vault),
        resourceId: vaultResourceId(b.vault),
        authorization: vault.authorization,
        ...(secretName ? { tenantId: AZURE_TENANT, credentials: call('StaticCredentials.azureServicePrincipal', { secretName }) } : {}),
      });
    }
    case 'gsm': {
      const p = GCP_PROJECTS[b.project];
      return make('GcpSecretManager', {
        projectId: p.id,
        projectNumber: p.number,
        ...(secretName ? { credentials: call('StaticCredentials.gcpServiceAccountKey', { secretName }) } : {}),
      });
    }
    case 'hv':
      return make('HashiCorpVault', { server: HV_SERVER, mount: HV_MOUNT, tokenSecretName: secretName ?? 'vault-token' });
  }
}

/** An `owns` declaration as a `SecretOwnership` call. */
function ownershipValue(o: OwnsSpec): Value {
  const list = (x: readonly string[] | undefined): Value => (x && x.length > 0 ? [...x] : undefined);
  switch (o.kind) {
    case 'sm':
      return call('SecretOwnership.awsSecretsManager', {
        prefixes: list(o.prefixes),
        names: list(o.names),
        arns: list(o.arns),
        accountId: o.account,
        region: o.region,
      });
    case 'ps':
      return call('SecretOwnership.awsParameterStore', { paths: [...o.paths], accountId: o.account, region: o.region });
    case 'kv':
      return call('SecretOwnership.azureKeyVault', { vaults: list(o.vaults), names: list(o.names) });
    case 'gsm':
      return call('SecretOwnership.gcpSecretManager', { projects: list(o.projects), secretIds: list(o.secretIds) });
  }
}

/** Props of an environment: production for `prod`, and its ownership declarations. */
function environmentProps(spec: WorldSpec, env: string): Value {
  const owns = spec.owns.filter((o) => o.env === env).map(ownershipValue);
  const props = { ...(env === 'prod' ? { production: true } : {}), ...(owns.length > 0 ? { owns } : {}) };
  return Object.keys(props).length > 0 ? props : undefined;
}

/** `data` and `dataFrom` of a secret's references. */
function sourceValue(spec: WorldSpec, refs: readonly RefSpec[]): { data?: Value; dataFrom?: Value } {
  const data: Value[] = [];
  const dataFrom: Value[] = [];
  refs.forEach((r, i) => {
    if (r.kind === 'find') {
      dataFrom.push({
        find: {
          ...(r.path !== undefined ? { path: r.path } : {}),
          ...(r.nameRegexp !== undefined ? { nameRegexp: r.nameRegexp } : {}),
          ...(r.tags ? { tags: { ...r.tags } } : {}),
        },
      });
      return;
    }
    const key = r.kind === 'key' ? keyText(spec.remotes[r.remote], r.form) : r.name;
    if (r.kind === 'key' && r.extract) dataFrom.push({ extract: { key } });
    else data.push({ secretKey: `k${i + 1}`, remoteKey: key });
  });
  return { ...(data.length > 0 ? { data } : {}), ...(dataFrom.length > 0 ? { dataFrom } : {}) };
}

/** The statements that build a world. */
function statements(spec: WorldSpec, optOut: OptOut): Statement[] {
  const out: Statement[] = [{ name: 'app', $new: 'TopologyApp', args: [] }];
  for (const e of spec.envs) out.push({ name: e, $new: 'Environment', args: [ref('app'), e, environmentProps(spec, e)] });
  for (const space of spec.spaces) {
    const sv = v('space', space.name);
    out.push({ name: sv, $new: 'Space', args: [ref('app'), space.name, { cloud: space.cloud, identity: identityValue(space) }] });
    for (const g of space.groups) {
      const gv = v('g', space.name, g.name);
      out.push({ name: gv, $new: 'Group', args: [ref(sv), g.name] });
      for (const p of g.planes) {
        out.push({
          name: v(gv, p.name),
          $new: 'ControlPlane',
          args: [
            ref(gv),
            p.name,
            {
              environment: ref(p.env),
              ...(p.tier ? { labels: { tier: p.tier } } : {}),
              ...(p.host.kind === 'id' ? { controlPlaneId: p.host.uuid } : { hostNamespace: p.host.name }),
              namespaces: [...p.namespaces],
            },
          ],
        });
      }
      const planes = (sel: PlaneSel): Value =>
        sel.kind === 'env'
          ? call('Planes.inEnvironments', ...sel.envs.map(ref))
          : sel.kind === 'named'
            ? call('Planes.named', ...sel.planes.map((n) => ref(v(gv, n))))
            : call('Planes.matching', { matchLabels: { ...sel.matchLabels } });
      for (const s of g.stores) {
        const stv = v(gv, s.name);
        out.push({
          name: stv,
          $new: 'SecretStore',
          args: [
            ref(gv),
            s.name,
            {
              provider: providerValue(s),
              planes: planes(s.planes),
              ...(s.environment !== undefined ? { environment: ref(s.environment) } : {}),
              namespaces: call('Namespaces.named', ...s.namespaces),
            },
          ],
        });
        for (const x of s.secrets)
          out.push({
            name: v(gv, x.name),
            $new: 'SharedSecret',
            args: [ref(gv), x.name, { store: ref(stv), ...(x.planes ? { planes: planes(x.planes) } : {}), ...sourceValue(spec, x.refs) }],
          });
      }
    }
  }
  for (const c of spec.clusters) {
    const eks = clusterEks(c);
    const cv = v('cluster', c.name);
    out.push({
      name: cv,
      $new: 'EsoCluster',
      args: [
        ref('app'),
        c.name,
        {
          cloud: 'aws',
          ...(c.environment !== undefined ? { environment: ref(c.environment) } : {}),
          namespace: CLUSTER_ESO_NAMESPACE,
          serviceAccountName: CLUSTER_ESO_SA,
          identity: call('SpaceIdentity.awsIrsa', { accountId: c.account, oidcIssuer: eks.issuer }),
          ...(c.roleName ? { roleArn: `arn:aws:iam::${c.account}:role/${c.roleName}` } : {}),
        },
      ],
    });
    out.push({
      name: v(cv, 'sm'),
      $new: 'EsoSecretStore',
      args: [ref(cv), 'sm', { provider: make('AwsSecretsManager', { region: eks.region }), namespace: 'apps' }],
    });
    out.push({
      name: v(cv, 'e1'),
      $new: 'EsoExternalSecret',
      args: [ref(cv), 'e1', { store: ref(v(cv, 'sm')), namespace: 'apps', ...sourceValue(spec, c.refs) }],
    });
    if (c.pushes && c.pushes.length > 0)
      out.push({
        name: v(cv, 'push1'),
        $new: 'EsoPushSecret',
        args: [
          ref(cv),
          'push1',
          {
            store: ref(v(cv, 'sm')),
            namespace: 'apps',
            secretName: 'pushed',
            data: c.pushes.map((p, i) => ({ secretKey: `k${i + 1}`, remoteKey: keyText(spec.remotes[p.remote], p.form) })),
          },
        ],
      });
  }
  out.push({ $call: 'Guardrails.allow', args: [ref('app'), [...OTHER_GUARDRAILS], 'oracle: only cross-environment may stop a topology'] });
  if (optOut !== 'none')
    out.push({
      $call: 'Guardrails.allow',
      args: [
        ref('app'),
        optOut === 'both' ? ['cross-environment', 'production-secret-outside-production'] : ['cross-environment'],
        'oracle: the report must flag it',
      ],
    });
  return out;
}

function evaluate(value: Value, vars: ReadonlyMap<string, unknown>): unknown {
  if (value === undefined || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((x: Value) => evaluate(x, vars));
  if ('$ref' in value) return vars.get(value.$ref as string);
  if ('$call' in value) {
    const fn = CALLS[value.$call as keyof typeof CALLS] as (...a: unknown[]) => unknown;
    return fn(...(value.args as Value[]).map((a) => evaluate(a, vars)));
  }
  if ('$new' in value) {
    const C = CTORS[value.$new as keyof typeof CTORS] as unknown as new (...a: unknown[]) => unknown;
    return new C(...(value.args as Value[]).map((a) => evaluate(a, vars)));
  }
  return Object.fromEntries(Object.entries(value).flatMap(([k, x]) => (x === undefined ? [] : [[k, evaluate(x as Value, vars)]])));
}

/** Builds the world's topology, with the cross-environment rules it opts out of (its own, unless given). */
export function buildTopology(spec: WorldSpec, optOut: OptOut = spec.optOut): TopologyApp {
  const vars = new Map<string, unknown>();
  for (const s of statements(spec, optOut)) {
    if ('name' in s) vars.set(s.name, evaluate({ $new: s.$new, args: s.args }, vars));
    else evaluate({ $call: s.$call, args: s.args }, vars);
  }
  return vars.get('app') as TopologyApp;
}

function code(value: Value): string {
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((x: Value) => code(x)).join(', ')}]`;
  if ('$ref' in value) return value.$ref as string;
  if ('$call' in value) return `${value.$call as string}(${(value.args as Value[]).map(code).join(', ')})`;
  if ('$new' in value) return `new ${value.$new as string}(${(value.args as Value[]).map(code).join(', ')})`;
  const entries = Object.entries(value).filter(([, x]) => x !== undefined);
  return `{ ${entries.map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${code(x)}`).join(', ')} }`;
}

/** The world as TypeScript over the public API (what a user would write). */
export function topologyCode(spec: WorldSpec): string {
  return statements(spec, spec.optOut)
    .map((s) => {
      const args = s.args.length > 0 && s.args[s.args.length - 1] === undefined ? s.args.slice(0, -1) : s.args;
      return 'name' in s ? `const ${s.name} = new ${s.$new}(${args.map(code).join(', ')});` : `${s.$call}(${args.map(code).join(', ')});`;
    })
    .join('\n');
}
