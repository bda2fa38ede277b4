/**
 * The access analysis against an attacker: each class of issue 12, with the variants an attacker
 * would try next, through the public API only. Under the conservative defaults (store selectors
 * bypassable, namespaces open, principals shared by everything that can become them, ownership by
 * intent) every class either stops synthesis with a `cross-environment` (or a more specific)
 * problem or is reported, and the fixed topology next to it passes.
 */
import { describe, expect, it } from 'vitest';
import {
  AwsParameterStore,
  AwsSecretsManager,
  AzureKeyVault,
  ControlPlane,
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  Environment,
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
  reportFromFiles,
} from '../lib/index.js';
import { compile, problems } from './support/compile.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-central-1';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SUBSCRIPTION = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const APPS = Namespaces.named('apps');
const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

type Envs = { dev: Environment; prod: Environment };
function envs(app: TopologyApp, prodOwns?: readonly SecretOwnership[]): Envs {
  return {
    dev: new Environment(app, 'dev', {}),
    prod: new Environment(app, 'prod', { production: true, ...(prodOwns ? { owns: prodOwns } : {}) }),
  };
}

function podIdentity(extra: Record<string, unknown> = {}): SpaceIdentity {
  return SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: 'spaces', region: REGION, ...extra });
}

/** A dev plane and a prod plane in one group. */
function twoPlanes(group: Group, e: Envs, n = 1, opts: { dev?: object; prod?: object } = {}): { dev: ControlPlane; prod: ControlPlane } {
  return {
    dev: new ControlPlane(group, `dev-${n}`, { environment: e.dev, controlPlaneId: uuid(n * 2), namespaces: ['apps'], ...opts.dev }),
    prod: new ControlPlane(group, `prod-${n}`, {
      environment: e.prod,
      controlPlaneId: uuid(n * 2 + 1),
      namespaces: ['apps'],
      ...opts.prod,
    }),
  };
}

function sm(extra: Record<string, unknown> = {}): AwsSecretsManager {
  return new AwsSecretsManager({ region: REGION, ...extra });
}

/** Problems of a rule, as `path: message` lines. */
function ruleProblems(build: (app: TopologyApp) => unknown, rule: string): string[] {
  return problems(build).filter((p) => p.includes(`guardrail "${rule}"`));
}

function expectCrossEnvironment(build: (app: TopologyApp) => unknown, ...needles: RegExp[]): void {
  const found = ruleProblems(build, 'cross-environment');
  expect(found.length, `expected a cross-environment problem; got:\n${problems(build).join('\n')}`).toBeGreaterThan(0);
  for (const n of needles) expect(found.join('\n')).toMatch(n);
}

function expectClean(build: (app: TopologyApp) => unknown): void {
  expect(problems(build)).toEqual([]);
}

describe('1. a chained store role is one principal for every store that names it', () => {
  const shared = `arn:aws:iam::${ACCOUNT}:role/shared-reader`;
  const build =
    (devRole: string, prodRole: string, identity = podIdentity()) =>
    (app: TopologyApp): void => {
      const e = envs(app);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity }), 'g');
      twoPlanes(g, e);
      const devStore = new SecretStore(g, 'sm-dev', {
        namespaces: APPS,
        provider: sm({ role: devRole }),
        planes: Planes.inEnvironments(e.dev),
      });
      const prodStore = new SecretStore(g, 'sm-prod', {
        namespaces: APPS,
        provider: sm({ role: prodRole }),
        planes: Planes.inEnvironments(e.prod),
      });
      new SharedSecret(g, 'a', { store: devStore, data: [{ secretKey: 'k', remoteKey: 'dev/a' }] });
      new SharedSecret(g, 'b', { store: prodStore, data: [{ secretKey: 'k', remoteKey: 'prod/b' }] });
    };

  it('two environments chaining into one role: the dev plane can read the prod secret through it', () => {
    expectCrossEnvironment(build(shared, shared), /dev-1/, /prod\/b/, /shared-reader/);
  });
  it('the same role spelled with another case (IAM role names are case-insensitive)', () => {
    expectCrossEnvironment(build(shared, `arn:aws:iam::${ACCOUNT}:role/Shared-Reader`), /prod\/b/);
  });
  it('with IRSA, group-environment and plane role scopes alike', () => {
    const irsa = SpaceIdentity.awsIrsa({
      accountId: ACCOUNT,
      oidcIssuer: 'https://oidc.eks.eu-central-1.amazonaws.com/id/ABCDEF0123456789',
    });
    expectCrossEnvironment(build(shared, shared, irsa), /prod\/b/);
    expectCrossEnvironment(build(shared, shared, podIdentity({ roleScope: 'plane' })), /prod\/b/);
    expectCrossEnvironment(build(shared, shared, podIdentity({ roleScope: 'group-environment' })), /prod\/b/);
  });
  it('the role named by stores of two Spaces', () => {
    expectCrossEnvironment((app) => {
      const e = envs(app);
      for (const [name, env, key] of [
        ['aws-dev', e.dev, 'dev/a'],
        ['aws-prod', e.prod, 'prod/b'],
      ] as const) {
        const g = new Group(new Space(app, name, { cloud: 'aws', identity: podIdentity({ clusterName: name }) }), 'g');
        new ControlPlane(g, `${name}-1`, { environment: env, controlPlaneId: uuid(name.length), namespaces: ['apps'] });
        const s = new SecretStore(g, 'sm', { namespaces: APPS, provider: sm({ role: shared }), planes: Planes.inEnvironments(env) });
        new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: key }] });
      }
    }, /aws-dev-1/);
  });
  it('the IAM README tells the operator what the chained role needs, for every store that names it', () => {
    const c = compile((app) => {
      build(shared, shared)(app);
      Guardrails.allow(app, ['cross-environment', 'production-secret-outside-production'], 'test: one shared reader role on purpose');
    });
    const readme = c.files.get('spaces/aws/iam/aws/README.md') ?? '';
    expect(readme).toMatch(/shared-reader/);
    expect(readme).toMatch(/dev\/a/);
    expect(readme).toMatch(/prod\/b/);
  });
  it('different roles per environment: clean', () => {
    expectClean(build(`arn:aws:iam::${ACCOUNT}:role/dev-reader`, `arn:aws:iam::${ACCOUNT}:role/prod-reader`));
  });
});

describe('2. ownership comes from intent, never from where a secret is delivered', () => {
  it('a dev store naming a prod key that a prod store also reads', () => {
    expectCrossEnvironment(
      (app) => {
        const e = envs(app);
        const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
        twoPlanes(g, e);
        const dev = new SecretStore(g, 'sm-dev', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.dev) });
        const prod = new SecretStore(g, 'sm-prod', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.prod) });
        new SharedSecret(g, 'db-dev', { store: dev, data: [{ secretKey: 'k', remoteKey: 'prod/team-a/db' }] });
        new SharedSecret(g, 'db', { store: prod, data: [{ secretKey: 'k', remoteKey: 'prod/team-a/db' }] });
      },
      /dev-1/,
      /prod\/team-a\/db/,
    );
  });
  it('a dev store naming a key that prod declares (no prod store reads it)', () => {
    expectCrossEnvironment((app) => {
      const e = envs(app, [SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })]);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      twoPlanes(g, e);
      const dev = new SecretStore(g, 'sm-dev', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.dev) });
      new SharedSecret(g, 'db-dev', { store: dev, data: [{ secretKey: 'k', remoteKey: 'prod/team-a/db' }] });
    }, /prod\/team-a\/db/);
  });
  it('a prod-owned secret on a dev plane is also a production-secret-outside-production error', () => {
    const found = ruleProblems((app) => {
      const e = envs(app, [SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })]);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      twoPlanes(g, e);
      const dev = new SecretStore(g, 'sm-dev', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.dev) });
      new SharedSecret(g, 'db-dev', { store: dev, data: [{ secretKey: 'k', remoteKey: 'prod/team-a/db' }] });
      Guardrails.allow(app, 'cross-environment', 'test: a broad opt-out does not cover production secrets');
    }, 'production-secret-outside-production');
    expect(found.join('\n')).toMatch(/prod\/team-a\/db/);
  });
  it('a prod store whose label selector also matches a dev plane delivers the prod password there', () => {
    expectCrossEnvironment((app) => {
      const e = envs(app, [SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })]);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      twoPlanes(g, e, 1, { dev: { labels: { tier: 'db' } }, prod: { labels: { tier: 'db' } } });
      const s = new SecretStore(g, 'sm-db', { namespaces: APPS, provider: sm(), planes: Planes.matching({ matchLabels: { tier: 'db' } }) });
      new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/team-a/db' }] });
    }, /dev-1/);
  });
  it('a selector spanning environments without a declaration: the secret has two owners, both planes are told', () => {
    const found = ruleProblems((app) => {
      const e = envs(app);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      twoPlanes(g, e, 1, { dev: { labels: { tier: 'db' } }, prod: { labels: { tier: 'db' } } });
      const s = new SecretStore(g, 'sm-db', { namespaces: APPS, provider: sm(), planes: Planes.matching({ matchLabels: { tier: 'db' } }) });
      new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'team-a/db' }] });
    }, 'cross-environment');
    expect(found.some((p) => p.includes('dev-1'))).toBe(true);
  });
  it('declared ownership covers Parameter Store paths with or without the leading slash, Key Vaults and GCP projects', () => {
    expectCrossEnvironment((app) => {
      const e = envs(app, [SecretOwnership.awsParameterStore({ paths: ['/prod/'] })]);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      twoPlanes(g, e);
      const s = new SecretStore(g, 'ps-dev', {
        namespaces: APPS,
        provider: new AwsParameterStore({ region: REGION }),
        planes: Planes.inEnvironments(e.dev),
      });
      new SharedSecret(g, 'p', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db/password' }] });
    }, /prod\/db\/password/);
    expectCrossEnvironment((app) => {
      const e = envs(app, [SecretOwnership.azureKeyVault({ vaults: ['https://kv-prod.vault.azure.net/'] })]);
      const g = new Group(new Space(app, 'az', { cloud: 'azure' }), 'g');
      twoPlanes(g, e);
      const s = new SecretStore(g, 'kv', {
        namespaces: APPS,
        provider: new AzureKeyVault({
          vaultUrl: 'https://KV-PROD.vault.azure.net',
          tenantId: TENANT,
          credentials: StaticCredentials.azureServicePrincipal({ secretName: 'kv-dev' }),
        }),
        planes: Planes.inEnvironments(e.dev),
      });
      new SharedSecret(g, 'k', { store: s, data: [{ secretKey: 'k', remoteKey: 'db' }] });
    }, /kv-prod/i);
    expectCrossEnvironment((app) => {
      const e = envs(app, [SecretOwnership.gcpSecretManager({ projects: ['acme-prod'] })]);
      const g = new Group(new Space(app, 'gcp', { cloud: 'gcp' }), 'g');
      twoPlanes(g, e);
      const s = new SecretStore(g, 'gsm', {
        namespaces: APPS,
        provider: new GcpSecretManager({
          projectId: 'acme-prod',
          credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'sa-dev' }),
        }),
        planes: Planes.inEnvironments(e.dev),
      });
      new SharedSecret(g, 'k', { store: s, data: [{ secretKey: 'k', remoteKey: 'db' }] });
    }, /acme-prod/);
  });
  it('a declared scope no secret names: a dev find whose grant reaches into it', () => {
    for (const [provider, owns, find] of [
      [sm(), SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] }), { nameRegexp: '.*', tags: { team: 'a' } }],
      [new AwsParameterStore({ region: REGION }), SecretOwnership.awsParameterStore({ paths: ['/prod/'] }), { nameRegexp: '^/dev/' }],
    ] as const) {
      expectCrossEnvironment(
        (app) => {
          const e = envs(app, [owns]);
          const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
          twoPlanes(g, e);
          const s = new SecretStore(g, 'dev', { namespaces: APPS, provider, planes: Planes.inEnvironments(e.dev) });
          new SharedSecret(g, 'f', { store: s, dataFrom: [{ find }] });
          Guardrails.allow(app, 'wide-iam-grant', 'test: the find needs the wide grant');
        },
        /dev-1/,
        /owned by prod/,
      );
    }
  });

  it('two environments declaring the same secret is a problem', () => {
    const found = problems((app) => {
      new Environment(app, 'dev', { owns: [SecretOwnership.awsSecretsManager({ prefixes: ['shared/'] })] });
      new Environment(app, 'prod', { owns: [SecretOwnership.awsSecretsManager({ prefixes: ['shared/db'] })] });
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      new ControlPlane(g, 'p', {
        controlPlaneId: uuid(1),
        labels: { a: 'b' },
        environment: Environment.all(app)[1],
        namespaces: ['apps'],
      });
      const s = new SecretStore(g, 'sm', { namespaces: APPS, provider: sm(), planes: Planes.matching({ matchLabels: { a: 'b' } }) });
      new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'shared/db' }] });
    });
    expect(found.join('\n')).toMatch(/shared\/db.*(dev.*prod|prod.*dev)|declared by/);
  });
});

describe('3. namespaces are open: a store usable in a plane is usable from any namespace', () => {
  const build =
    (assume?: boolean) =>
    (app: TopologyApp): void => {
      const e = envs(app);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws' }), 'g');
      twoPlanes(g, e, 1, {
        dev: { labels: { tier: 'db' } },
        prod: { labels: { tier: 'db' }, namespaces: ['apps', { name: 'secure', labels: { 'prod-only': 'true' } }] },
      });
      const s = new SecretStore(g, 'sm-prod', {
        provider: sm({ credentials: StaticCredentials.awsAccessKey({ secretName: 'prod-keys' }) }),
        planes: Planes.matching({ matchLabels: { tier: 'db' } }),
        // Only prod's namespace carries the label; a dev user creates a namespace with it.
        namespaces: Namespaces.matching({ matchLabels: { 'prod-only': 'true' } }),
      });
      new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
      Guardrails.assume(app, 'store-selectors-enforced', 'test: isolate the namespace assumption');
      if (assume) Guardrails.assume(app, 'declared-namespaces-only', 'test: namespaces are locked down by policy');
    };
  it('a static-credential store projected into a plane none of whose declared namespaces match', () => {
    expectCrossEnvironment(build(false), /dev-1/, /prod\/db/, /any namespace/);
  });
});

describe('4. identities shared across Spaces are one principal', () => {
  const azure = (name: string): SpaceIdentity =>
    SpaceIdentity.azureWorkloadIdentity({
      tenantId: TENANT,
      clientId: '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b',
      principalId: '9c8b7a6f-5e4d-4c3b-8a29-1f0e9d8c7b6a',
      subscriptionId: SUBSCRIPTION,
      resourceGroup: 'rg',
      identityName: 'shared-secrets',
      oidcIssuer: `https://westeurope.oic.prod-aks.azure.com/${TENANT}/${name}/`,
    });
  it('one Azure managed identity used by a dev Space and a prod Space', () => {
    expectCrossEnvironment(
      (app) => {
        const e = envs(app);
        for (const [name, env, vault] of [
          ['az-dev', e.dev, 'kv-dev'],
          ['az-prod', e.prod, 'kv-prod'],
        ] as const) {
          const g = new Group(new Space(app, name, { cloud: 'azure', identity: azure(name) }), 'g');
          new ControlPlane(g, `${name}-1`, { environment: env, controlPlaneId: uuid(name.length), namespaces: ['apps'] });
          const s = new SecretStore(g, 'kv', {
            namespaces: APPS,
            provider: new AzureKeyVault({
              vaultUrl: `https://${vault}.vault.azure.net`,
              resourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${vault}`,
            }),
            planes: Planes.inEnvironments(env),
          });
          new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'db' }] });
        }
      },
      /az-dev-1/,
      /kv-prod/,
    );
  });
  it('one impersonated GCP service account used by a dev Space and a prod Space', () => {
    expectCrossEnvironment((app) => {
      const e = envs(app);
      for (const [name, env, project, number] of [
        ['gcp-dev', e.dev, 'acme-dev', '100000000001'],
        ['gcp-prod', e.prod, 'acme-prod', '100000000002'],
      ] as const) {
        const identity = SpaceIdentity.gcpImpersonation({
          projectId: project,
          projectNumber: number,
          serviceAccountEmail: 'eso-secrets@acme-shared.iam.gserviceaccount.com',
        });
        const g = new Group(new Space(app, name, { cloud: 'gcp', identity }), 'g');
        new ControlPlane(g, `${name}-1`, { environment: env, controlPlaneId: uuid(name.length), namespaces: ['apps'] });
        const s = new SecretStore(g, 'gsm', {
          namespaces: APPS,
          provider: new GcpSecretManager({ projectId: `${project}-secrets`, projectNumber: `2${number.slice(1)}` }),
          planes: Planes.inEnvironments(env),
        });
        new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'db' }] });
      }
    }, /gcp-dev-1/);
  });
});

describe('5. a GKE workload pool is per project: same project, same host namespace, one principal', () => {
  it('two Spaces in one project whose planes share a host namespace', () => {
    expectCrossEnvironment((app) => {
      const e = envs(app);
      for (const [name, env] of [
        ['gke-dev', e.dev],
        ['gke-prod', e.prod],
      ] as const) {
        const identity = SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' });
        const g = new Group(new Space(app, name, { cloud: 'gcp', identity }), 'g');
        new ControlPlane(g, `${name}-1`, { environment: env, hostNamespace: 'mxp-shared-system', namespaces: ['apps'] });
        const s = new SecretStore(g, 'gsm', {
          namespaces: APPS,
          provider: new GcpSecretManager({
            projectId: `acme-${name}`,
            projectNumber: name === 'gke-dev' ? '200000000001' : '200000000002',
          }),
          planes: Planes.inEnvironments(env),
        });
        new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'db' }] });
      }
    }, /gke-dev-1/);
  });
});

describe('5b. a GKE Space without a GCP identity may run in any project: its planes may be any pool principal of their host namespace', () => {
  const build =
    (prodIdentity: SpaceIdentity, devHost: string) =>
    (app: TopologyApp): void => {
      const e = envs(app);
      // The dev Space reads with static credentials; the model does not say which project its GKE cluster is in.
      const dev = new Group(new Space(app, 'gke-dev', { cloud: 'gcp' }), 'g');
      new ControlPlane(dev, 'gke-dev-1', { environment: e.dev, hostNamespace: devHost, namespaces: ['apps'] });
      const ds = new SecretStore(dev, 'gsm', {
        namespaces: APPS,
        provider: new GcpSecretManager({
          projectId: 'acme-dev',
          credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'sa-dev' }),
        }),
        planes: Planes.inEnvironments(e.dev),
      });
      new SharedSecret(dev, 's', { store: ds, data: [{ secretKey: 'k', remoteKey: 'db' }] });
      const prod = new Group(new Space(app, 'gke-prod', { cloud: 'gcp', identity: prodIdentity }), 'g');
      new ControlPlane(prod, 'gke-prod-1', { environment: e.prod, hostNamespace: 'mxp-shared-system', namespaces: ['apps'] });
      const ps = new SecretStore(prod, 'gsm', {
        namespaces: APPS,
        provider: new GcpSecretManager({ projectId: 'acme-prod', projectNumber: '200000000002' }),
        planes: Planes.inEnvironments(e.prod),
      });
      new SharedSecret(prod, 's', { store: ps, data: [{ secretKey: 'k', remoteKey: 'db' }] });
    };
  const pool = SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' });
  const impersonation = SpaceIdentity.gcpImpersonation({
    projectId: 'acme-spaces',
    projectNumber: '123456789012',
    serviceAccountEmail: 'eso-prod@acme-spaces.iam.gserviceaccount.com',
  });
  it('the prod Space grants its workload-pool principal; the dev plane has the same host namespace', () => {
    expectCrossEnvironment(build(pool, 'mxp-shared-system'), /gke-dev-1/, /200000000002/);
  });
  it('the prod Space impersonates a service account that trusts its pool principal', () => {
    expectCrossEnvironment(build(impersonation, 'mxp-shared-system'), /gke-dev-1/, /eso-prod@acme-spaces/);
  });
  it('another host namespace is another principal: clean', () => {
    expect(ruleProblems(build(pool, 'mxp-dev-system'), 'cross-environment').filter((p) => p.includes('gke-dev-1'))).toEqual([]);
  });
});

describe('6. one IAM name is written by one owner', () => {
  it('Space "shop" with environment "prod" and Space "shop-prod" generate one role name', () => {
    const found = problems((app) => {
      const prod = new Environment(app, 'prod', {});
      for (const [name, identity] of [
        ['shop', podIdentity({ clusterName: 'shop' })],
        [
          'shop-prod',
          SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: 'https://oidc.eks.eu-central-1.amazonaws.com/id/ABCDEF0123456789' }),
        ],
      ] as const) {
        const g = new Group(new Space(app, name, { cloud: 'aws', identity }), 'g');
        new ControlPlane(g, `${name}-1`, { environment: prod, controlPlaneId: uuid(name.length), namespaces: ['apps'] });
        const s = new SecretStore(g, 'sm', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(prod) });
        new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: `prod/${name}` }] });
      }
    });
    expect(found.join('\n')).toMatch(/shop-prod-shared-secrets/);
    expect(found.join('\n')).toMatch(/generated by Space "shop" and Space "shop-prod"/);
  });
  it('an EsoCluster whose roleArn names a role a Space generates', () => {
    const found = problems((app) => {
      const prod = new Environment(app, 'prod', {});
      const g = new Group(new Space(app, 'shop', { cloud: 'aws', identity: podIdentity() }), 'g');
      new ControlPlane(g, 'p', { environment: prod, controlPlaneId: uuid(1), namespaces: ['apps'] });
      const s = new SecretStore(g, 'sm', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(prod) });
      new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/x' }] });
      const c = new EsoCluster(app, 'apps', {
        cloud: 'aws',
        identity: SpaceIdentity.awsIrsa({
          accountId: ACCOUNT,
          oidcIssuer: 'https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF',
        }),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/shop-prod-shared-secrets`,
      });
      const es = new EsoSecretStore(c, 'sm', { provider: sm(), namespaces: Namespaces.named('a') });
      new EsoExternalSecret(c, 'x', { store: es, namespace: 'a', data: [{ secretKey: 'k', remoteKey: 'other/y' }] });
    });
    expect(found.join('\n')).toMatch(/shop-prod-shared-secrets/);
  });
});

describe('7. remote secrets are resources, not text', () => {
  const base = (devKey: string, prodRef: 'key' | 'find') => (app: TopologyApp) => {
    const e = envs(app);
    const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
    twoPlanes(g, e);
    const dev = new SecretStore(g, 'sm-dev', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.dev) });
    const prod = new SecretStore(g, 'sm-prod', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.prod) });
    new SharedSecret(g, 'dev', { store: dev, data: [{ secretKey: 'k', remoteKey: devKey }] });
    if (prodRef === 'key') new SharedSecret(g, 'prod', { store: prod, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
    else new SharedSecret(g, 'prod', { store: prod, dataFrom: [{ find: { path: 'prod/', nameRegexp: '.*' } }] });
  };
  it('an ARN key and a name key of the same Secrets Manager secret', () => {
    expectCrossEnvironment(base(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db`, 'key'), /dev-1/);
    expectCrossEnvironment(base(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db-AbCdEf`, 'key'), /dev-1/);
  });
  it("a key inside another environment's find scope", () => {
    expectCrossEnvironment(base('prod/other', 'find'), /dev-1/);
    expectCrossEnvironment(base(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/other`, 'find'), /dev-1/);
  });
});

describe('8. store selectors are not a boundary by default (the upboundspaces provider looks stores up by name)', () => {
  const build =
    (assume: boolean) =>
    (app: TopologyApp): void => {
      const e = envs(app);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws' }), 'g');
      twoPlanes(g, e);
      const s = new SecretStore(g, 'sm-prod', {
        namespaces: APPS,
        provider: sm({ credentials: StaticCredentials.awsAccessKey({ secretName: 'prod-keys' }) }),
        planes: Planes.inEnvironments(e.prod),
      });
      new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
      const d = new SecretStore(g, 'sm-dev', {
        namespaces: APPS,
        provider: sm({ credentials: StaticCredentials.awsAccessKey({ secretName: 'dev-keys' }) }),
        planes: Planes.inEnvironments(e.dev),
      });
      new SharedSecret(g, 'db-dev', { store: d, data: [{ secretKey: 'k', remoteKey: 'dev/db' }] });
      if (assume) Guardrails.assume(app, 'store-selectors-enforced', 'test: our Spaces build checks selectors');
    };
  it('a dev plane references the prod SharedSecretStore by name', () => {
    expectCrossEnvironment(build(false), /dev-1/, /sm-prod/);
  });
  it('the weaker assumption is a named, reasoned setting recorded in the report', () => {
    const c = compile(build(true));
    const report = reportFromFiles((p) => c.files.get(p));
    expect(report.assumed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'store-selectors-enforced', reason: 'test: our Spaces build checks selectors' }),
      ]),
    );
    expect(c.files.get('REPORT.md')).toMatch(/store-selectors-enforced/);
  });
  it('an assumption without a reason, or an unknown one, is a problem', () => {
    expect(problems((app) => Guardrails.assume(app, 'store-selectors-enforced', ' ')).join('\n')).toMatch(/reason/);
    expect(problems((app) => Guardrails.assume(app, 'no-such' as 'store-selectors-enforced', 'x')).join('\n')).toMatch(/no-such/);
  });
});

describe('9. a backend without an access model is a problem, never skipped', () => {
  it('a provider subclass that gives no access model', () => {
    // A provider as plain JavaScript could pass it: every member but the access model.
    const Vault = function Vault() {} as unknown as { prototype: object };
    Object.setPrototypeOf(Vault.prototype, SecretStoreProvider.prototype);
    const found = problems((app) => {
      const e = envs(app);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws' }), 'g');
      twoPlanes(g, e);
      const provider = Object.assign(Object.create(Vault.prototype) as SecretStoreProvider, {
        cloud: 'aws',
        displayName: 'Vault',
        credentials: StaticCredentials.awsAccessKey({ secretName: 'k' }),
        findSupport: { path: true, name: true, tags: true, pathAlone: true },
        toSpacesProvider: () => ({}),
        check: () => [],
        checkRemoteKey: () => undefined,
        describe: () => 'Vault',
      });
      const s = new SecretStore(g, 'vault', { namespaces: APPS, provider, planes: Planes.inEnvironments(e.prod) });
      new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'x' }] });
    });
    expect(found.join('\n')).toMatch(/access model/);
  });
});

describe('10. no false positives', () => {
  it('a Secrets Manager find by a path without a slash is not a wide grant', () => {
    expectClean((app) => {
      const e = envs(app);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      twoPlanes(g, e);
      const s = new SecretStore(g, 'sm-dev', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.dev) });
      new SharedSecret(g, 'f', { store: s, dataFrom: [{ find: { path: 'dev-', nameRegexp: '.*' } }] });
    });
  });
  it('a top-level alternation in nameRegexp has no literal prefix', () => {
    expectCrossEnvironment((app) => {
      const e = envs(app, [SecretOwnership.gcpSecretManager({ secretIds: ['prod-'] })]);
      const g = new Group(
        new Space(app, 'gcp', {
          cloud: 'gcp',
          identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' }),
        }),
        'g',
      );
      twoPlanes(g, e);
      const s = new SecretStore(g, 'gsm', {
        namespaces: APPS,
        provider: new GcpSecretManager({ projectId: 'acme-secrets', projectNumber: '210987654321' }),
        planes: Planes.inEnvironments(e.dev),
      });
      // "^dev-a|prod-b" also matches "prod-b...": the find reaches prod's secrets.
      new SharedSecret(g, 'f', { store: s, dataFrom: [{ find: { nameRegexp: '^dev-a|prod-b' } }] });
    }, /dev-1/);
  });
  describe("a secret another environment's store names is still its declaring environment's alone", () => {
    /** dev declares its secrets; a dev store and a prod store share a credentials Secret; the prod secret names dev's. */
    const build =
      (owns: SecretOwnership, provider: (secretName: string) => SecretStoreProvider, ref: { key: string } | { find: object }) =>
      (app: TopologyApp): void => {
        const e = { dev: new Environment(app, 'dev', { owns: [owns] }), prod: new Environment(app, 'prod', { production: true }) };
        const g = new Group(new Space(app, 'cloud', { cloud: provider('x').cloud }), 'g');
        twoPlanes(g, e);
        new SecretStore(g, 'dev', { namespaces: APPS, provider: provider('shared-keys'), planes: Planes.inEnvironments(e.dev) });
        const prod = new SecretStore(g, 'prod', {
          namespaces: APPS,
          provider: provider('shared-keys'),
          planes: Planes.inEnvironments(e.prod),
        });
        new SharedSecret(g, 'x', {
          store: prod,
          ...('key' in ref ? { data: [{ secretKey: 'k', remoteKey: ref.key }] } : { dataFrom: [ref] }),
        });
        Guardrails.allow(app, ['credential-reuse', 'wide-iam-grant'], 'test: one Secret for both on purpose');
      };
    const aws = (secretName: string): SecretStoreProvider => sm({ credentials: StaticCredentials.awsAccessKey({ secretName }) });
    const ssm = (secretName: string): SecretStoreProvider =>
      new AwsParameterStore({ region: REGION, credentials: StaticCredentials.awsAccessKey({ secretName }) });
    const kv = (secretName: string): SecretStoreProvider =>
      new AzureKeyVault({
        vaultUrl: 'https://kv-dev.vault.azure.net',
        tenantId: TENANT,
        credentials: StaticCredentials.azureServicePrincipal({ secretName }),
      });
    const onlyProdPlane = (build: (app: TopologyApp) => void, ...needles: RegExp[]): void => {
      const found = [...ruleProblems(build, 'cross-environment'), ...ruleProblems(build, 'production-secret-outside-production')];
      expect(found.length, problems(build).join('\n')).toBeGreaterThan(0);
      expect(found.filter((p) => p.includes('plane "dev-1"'))).toEqual([]);
      for (const n of needles) expect(found.join('\n')).toMatch(n);
    };
    it('Secrets Manager: a prod key inside the prefix dev declares', () => {
      onlyProdPlane(build(SecretOwnership.awsSecretsManager({ prefixes: ['dev/'] }), aws, { key: 'dev/db' }), /prod-1/, /dev\/db/);
    });
    it('Parameter Store: a prod key, written without the leading slash, inside the path dev declares', () => {
      onlyProdPlane(build(SecretOwnership.awsParameterStore({ paths: ['/dev/'] }), ssm, { key: 'dev/db' }), /prod-1/);
    });
    it('Key Vault: a prod key in the vault dev declares', () => {
      onlyProdPlane(build(SecretOwnership.azureKeyVault({ vaults: ['kv-dev'] }), kv, { key: 'db' }), /prod-1/);
    });
    it.each([
      ['credentials', (): SecretStoreProvider => aws('dev-keys')],
      ['a chained role', (): SecretStoreProvider => sm({ role: `arn:aws:iam::${ACCOUNT}:role/dev-reader` })],
    ])("a dev key read with %s, inside a prod find: the dev plane reads the key, not prod's find", (_, provider) => {
      const found = ruleProblems((app) => {
        const e = {
          dev: new Environment(app, 'dev', { owns: [SecretOwnership.awsSecretsManager({ names: ['dev/db'] })] }),
          prod: new Environment(app, 'prod', { production: true }),
        };
        const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
        twoPlanes(g, e);
        const dev = new SecretStore(g, 'dev', { namespaces: APPS, provider: provider(), planes: Planes.inEnvironments(e.dev) });
        new SharedSecret(g, 'x', { store: dev, data: [{ secretKey: 'k', remoteKey: 'dev/db' }] });
        const prod = new SecretStore(g, 'prod', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.prod) });
        new SharedSecret(g, 'f', { store: prod, dataFrom: [{ find: { path: 'dev/', nameRegexp: '.*' } }] });
        Guardrails.allow(app, ['wide-iam-grant'], 'test: the find');
      }, 'cross-environment');
      expect(found.filter((p) => p.includes('plane "dev-1"'))).toEqual([]);
      expect(found.some((p) => p.includes('plane "prod-1"'))).toBe(true);
    });
    it.each([
      ['Secrets Manager', SecretOwnership.awsSecretsManager({ prefixes: ['dev/'] }), sm(), { path: 'dev/team-a/', nameRegexp: '.*' }],
      [
        'Parameter Store',
        SecretOwnership.awsParameterStore({ paths: ['/dev/'] }),
        new AwsParameterStore({ region: REGION }),
        { path: '/dev/team-a/', nameRegexp: '.*' },
      ],
      [
        'GCP Secret Manager',
        SecretOwnership.gcpSecretManager({ secretIds: ['dev-'] }),
        new GcpSecretManager({ projectId: 'acme-secrets', projectNumber: '210987654321' }),
        { nameRegexp: '^dev-team-a' },
      ],
    ] as const)(
      "%s: a find inside the scope dev declares, of a store of dev's and prod's planes, is dev's alone",
      (_, owns, provider, find) => {
        const build = (app: TopologyApp): void => {
          const e = { dev: new Environment(app, 'dev', { owns: [owns] }), prod: new Environment(app, 'prod', { production: true }) };
          const identity =
            provider.cloud === 'gcp'
              ? SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' })
              : podIdentity({ roleScope: 'plane' });
          const g = new Group(new Space(app, 'cloud', { cloud: provider.cloud, identity }), 'g');
          twoPlanes(g, e);
          const s = new SecretStore(g, 'both', { namespaces: APPS, provider, planes: Planes.inEnvironments(e.dev, e.prod) });
          new SharedSecret(g, 'f', { store: s, dataFrom: [{ find }] });
          Guardrails.allow(app, ['wide-iam-grant'], 'test: the find');
        };
        const found = ruleProblems(build, 'cross-environment');
        expect(found.filter((p) => p.includes('plane "dev-1"'))).toEqual([]);
        expect(
          found.some((p) => p.includes('plane "prod-1"')),
          problems(build).join('\n'),
        ).toBe(true);
      },
    );
    it("a prod find inside dev's prefix: the find is dev's alone, and so is dev's own declared scope", () => {
      const found = ruleProblems(
        build(SecretOwnership.awsSecretsManager({ prefixes: ['dev/'] }), aws, { find: { path: 'dev/', nameRegexp: '.*' } }),
        'cross-environment',
      );
      expect(found.filter((p) => p.includes('plane "dev-1"') && p.includes('"owned by dev:'))).toEqual([]);
      expect(found.some((p) => p.includes('plane "prod-1"'))).toBe(true);
    });
  });

  it('a malformed OIDC issuer is reported once, without a spurious cross-environment error', () => {
    const found = problems((app) => {
      const e = envs(app);
      const irsa = SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: 'not a url' });
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: irsa }), 'g');
      twoPlanes(g, e);
      const s = new SecretStore(g, 'sm-prod', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.prod) });
      new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/x' }] });
    });
    expect(found.join('\n')).toMatch(/oidcIssuer/);
    expect(found.filter((p) => p.includes('cross-environment'))).toEqual([]);
  });
});

describe('11. a store no secret object uses is still a way in (a plane user writes their own ExternalSecret)', () => {
  /** A prod store of Space "aws" reading prod/db, and a dev store without secret objects. */
  const build =
    (devProvider: (app: TopologyApp) => AwsSecretsManager, opts: { prodProvider?: AwsSecretsManager; selectorsEnforced?: boolean } = {}) =>
    (app: TopologyApp): void => {
      const e = envs(app);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      twoPlanes(g, e);
      const prod = new SecretStore(g, 'sm-prod', {
        namespaces: APPS,
        provider: opts.prodProvider ?? sm(),
        planes: Planes.inEnvironments(e.prod),
      });
      new SharedSecret(g, 'db', { store: prod, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
      new SecretStore(g, 'sm-dev', { namespaces: APPS, provider: devProvider(app), planes: Planes.inEnvironments(e.dev) });
      if (opts.selectorsEnforced) Guardrails.assume(app, 'store-selectors-enforced', 'test: only the stores projected into a plane');
    };
  const keys =
    (secretName: string, more: Record<string, unknown> = {}) =>
    () =>
      sm({ credentials: StaticCredentials.awsAccessKey({ secretName }), ...more });

  it("its static credentials are the prod store's: the dev plane reads prod's secret through its own store", () => {
    const prodKeys = sm({ credentials: StaticCredentials.awsAccessKey({ secretName: 'prod-keys' }) });
    expectCrossEnvironment(build(keys('prod-keys'), { prodProvider: prodKeys, selectorsEnforced: true }), /dev-1/, /prod\/db/, /sm-dev/);
  });
  it('its chained role is the role a prod store chains to', () => {
    const reader = `arn:aws:iam::${ACCOUNT}:role/secrets-reader`;
    expectCrossEnvironment(build(keys('dev-keys', { role: reader }), { prodProvider: sm({ role: reader }) }), /dev-1/, /prod\/db/);
  });
  it("its chained role is another Space's generated role, and that role's own grants are prod's", () => {
    expectCrossEnvironment(
      (app) => {
        build(keys('dev-keys', { role: `arn:aws:iam::${ACCOUNT}:role/shop-prod-shared-secrets` }))(app);
        const prod = Environment.all(app).find((x) => x.name === 'prod') as Environment;
        const g = new Group(new Space(app, 'shop', { cloud: 'aws', identity: podIdentity({ clusterName: 'shop' }) }), 'g');
        new ControlPlane(g, 'shop-prod-1', { environment: prod, controlPlaneId: uuid(9), namespaces: ['apps'] });
        const s = new SecretStore(g, 'sm', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(prod) });
        new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/shop' }] });
      },
      /dev-1/,
      /prod\/shop/,
    );
  });
  it('and the same stores with their own credentials and roles are clean', () => {
    expectClean(build(keys('dev-keys', { role: `arn:aws:iam::${ACCOUNT}:role/dev-reader` })));
  });
});

describe('12. the report names a declared secret as the cloud does', () => {
  const glob = (pattern: string): RegExp =>
    new RegExp(`^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('')}$`);
  /** A dev find granted on every secret of the account; prod declares; the report's declared scopes as resource patterns. */
  const declaredResources = (owns: SecretOwnership, provider: SecretStoreProvider, find: object): string[] => {
    const c = compile((app) => {
      const e = envs(app, [owns]);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      twoPlanes(g, e);
      const s = new SecretStore(g, 'dev', { namespaces: APPS, provider, planes: Planes.inEnvironments(e.dev) });
      new SharedSecret(g, 'f', { store: s, dataFrom: [{ find }] });
      Guardrails.allow(app, ['cross-environment', 'production-secret-outside-production', 'wide-iam-grant'], 'test: read the report');
    });
    return reportFromFiles((p) => c.files.get(p))
      .access.remotes.filter((r) => r.ownershipDeclared && r.secret === 'prod')
      .map((r) => r.resource);
  };
  const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db-AbCdEf`;
  const PARAMETER = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/db`;
  const anySecret = { nameRegexp: '^dev/' };

  it.each([
    ['a name', SecretOwnership.awsSecretsManager({ names: ['prod/db'], accountId: ACCOUNT, region: REGION })],
    ['a partial ARN', SecretOwnership.awsSecretsManager({ arns: [`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db`] })],
    ['a full ARN', SecretOwnership.awsSecretsManager({ arns: [SECRET] })],
    ['a prefix', SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })],
  ])('Secrets Manager, by %s: a pattern of the full ARN (with its suffix)', (_, owns) => {
    const found = declaredResources(owns, sm(), anySecret);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((r) => glob(r).test(SECRET))).toBe(true);
  });
  it('Parameter Store, by a path', () => {
    const found = declaredResources(SecretOwnership.awsParameterStore({ paths: ['/prod/'] }), new AwsParameterStore({ region: REGION }), {
      nameRegexp: '^/dev/',
    });
    expect(found.some((r) => glob(r).test(PARAMETER))).toBe(true);
  });
});

describe('13. credentials and chained roles read what their stores reference, not the scopes around it', () => {
  /** The report's readable remote refs of the dev plane. */
  const devReads = (build: (app: TopologyApp) => void): string[] => {
    const c = compile((app) => {
      build(app);
      Guardrails.allow(app, ['cross-environment', 'production-secret-outside-production', 'wide-iam-grant'], 'test: read the report');
    });
    const report = reportFromFiles((p) => c.files.get(p));
    const refs = new Map(report.access.remotes.map((r) => [r.id, r.ref]));
    const row = report.access.planes.find((p) => p.plane.endsWith('/dev-1'));
    return (row?.byAccess ?? []).filter((s) => s.readable).flatMap((s) => s.remotes.map((id) => refs.get(id) ?? id));
  };
  const withStore =
    (owns: SecretOwnership, provider: SecretStoreProvider, key: string) =>
    (app: TopologyApp): void => {
      const e = { dev: new Environment(app, 'dev', { owns: [owns] }), prod: new Environment(app, 'prod', { production: true }) };
      const g = new Group(
        new Space(app, 'cloud', { cloud: provider.cloud, ...(provider.cloud === 'aws' ? { identity: podIdentity() } : {}) }),
        'g',
      );
      twoPlanes(g, e);
      const s = new SecretStore(g, 'dev', { namespaces: APPS, provider, planes: Planes.inEnvironments(e.dev) });
      new SharedSecret(g, 'x', { store: s, data: [{ secretKey: 'k', remoteKey: key }] });
    };
  it.each([
    [
      'a credentials Secret, a key in a declared prefix',
      withStore(
        SecretOwnership.awsSecretsManager({ prefixes: ['dev/'] }),
        sm({ credentials: StaticCredentials.awsAccessKey({ secretName: 'dev-keys' }) }),
        'dev/db',
      ),
    ],
    [
      'a credentials Secret, a key in a declared vault',
      withStore(
        SecretOwnership.azureKeyVault({ vaults: ['kv-dev'] }),
        new AzureKeyVault({
          vaultUrl: 'https://kv-dev.vault.azure.net',
          tenantId: TENANT,
          credentials: StaticCredentials.azureServicePrincipal({ secretName: 'kv-dev' }),
        }),
        'db',
      ),
    ],
    [
      'a chained role, a key in a declared prefix',
      withStore(
        SecretOwnership.awsSecretsManager({ prefixes: ['dev/'] }),
        sm({ role: `arn:aws:iam::${ACCOUNT}:role/dev-reader` }),
        'dev/db',
      ),
    ],
  ])('%s: the key, not the declared scope', (_, build) => {
    const reads = devReads(build);
    expect(reads.some((r) => !r.startsWith('owned by'))).toBe(true);
    expect(reads.filter((r) => r.startsWith('owned by'))).toEqual([]);
  });
  it('a wide grant of a workload identity still reads into the declared scope', () => {
    const reads = devReads((app) => {
      const e = envs(app, [SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })]);
      const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
      twoPlanes(g, e);
      const s = new SecretStore(g, 'dev', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.dev) });
      new SharedSecret(g, 'f', { store: s, dataFrom: [{ find: { nameRegexp: '^dev/' } }] });
    });
    expect(reads.some((r) => r.startsWith('owned by prod'))).toBe(true);
  });
});
