import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  ControlPlane,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  TopologyApp,
  type AccessEntry,
  type CloudPrincipal,
  type IdentityFacts,
} from '../lib/index.js';
import {
  AccessMatrix,
  arnMatches,
  azureScopeCovers,
  evaluateGcpCondition,
  gcpResourceCovers,
  type AccessOptions,
} from '../lib/analysis/access.js';
import { projectionPreview } from '../lib/analysis/projection.js';
import { Placement } from '../lib/resolve/placement.js';
import {
  ACCOUNT,
  REGION,
  azureAndGcp,
  injectIdentity,
  irsaTwoEnv,
  smArn,
  staticTwoEnv,
  subject,
  vaultId,
} from './fixtures/analysis-topologies.js';
import { regexpLiteralPrefix } from '../lib/private/regexp.js';

function facts(principals: CloudPrincipal[]): IdentityFacts {
  return { plans: new Map(), principals: [...principals].sort((a, b) => (a.id < b.id ? -1 : 1)) };
}

function matrixOf(app: TopologyApp, principals: CloudPrincipal[] = [], options: AccessOptions = {}): AccessMatrix {
  return AccessMatrix.compute(app, Placement.compute(app), facts(principals), options);
}

/** The weaker assumptions: store selectors enforced, only declared namespaces. */
const LOCKED: AccessOptions = { storeSelectorsEnforced: true, declaredNamespacesOnly: true };

/** `<plane name> <- <secret name>:<ref>` for every readable entry. */
function readablePairs(m: AccessMatrix): string[] {
  return m.readable().map((e) => `${e.planeName} <- ${e.secretName}:${e.remote.ref}`);
}

describe('access matrix: static credentials', () => {
  it('under the weaker assumptions, delivers each secret to its environment and lets a plane read only what its credentials serve', () => {
    const t = staticTwoEnv(new TopologyApp());
    const m = matrixOf(t.app, [], LOCKED);
    expect(readablePairs(m)).toEqual(['dev-1 <- db-dev:dev/db', 'prod-1 <- db-prod:prod/db']);
    const [dev] = m.forPlane('aws/apps/dev-1');
    expect(dev?.delivered).toEqual(['apps']);
    expect(dev?.paths).toEqual([
      {
        kind: 'credentials',
        id: 'credentials:aws/apps/aws-dev-keys@aws/apps/sm-dev',
        description: 'store "sm-dev" with credentials Secret aws/apps/aws-dev-keys (credentials scope unknown)',
        namespaces: ['apps'],
        store: 'aws/apps/sm-dev',
        credentials: 'aws/apps/aws-dev-keys',
        grant: smArn('dev/db'),
      },
    ]);
    expect(dev?.remote.resource).toBe(smArn('dev/db'));
    expect(m.crossEnvironment()).toEqual([]);
  });

  it('assumes shared credentials read every secret any store with them serves (credentials scope unknown)', () => {
    const t = staticTwoEnv(new TopologyApp(), { sharedCredentials: true });
    const m = matrixOf(t.app, [], LOCKED);
    expect(readablePairs(m)).toEqual([
      'dev-1 <- db-dev:dev/db',
      'dev-1 <- db-prod:prod/db',
      'prod-1 <- db-dev:dev/db',
      'prod-1 <- db-prod:prod/db',
    ]);
    const cross = m.crossEnvironment();
    expect(cross.map((e) => `${e.planeName}:${e.environment} <- ${e.remote.ref}:${e.secretEnvironments.join(',')}`)).toEqual([
      'dev-1:dev <- prod/db:prod',
      'prod-1:prod <- dev/db:dev',
    ]);
    const [e] = cross;
    expect(e?.delivered).toEqual([]);
    expect(e?.paths[0]?.store).toBe('aws/apps/sm-dev');
    expect(e?.paths[0]?.namespaces).toEqual(['apps']);
  });

  it('by default (selectors bypassable, namespaces open), every static store of the group is reachable from any namespace of every plane', () => {
    const t = staticTwoEnv(new TopologyApp());
    const m = matrixOf(t.app);
    const e = m.forPlane('aws/apps/dev-1').find((x) => x.remote.ref === 'prod/db') as AccessEntry;
    expect(e.crossEnvironment).toBe(true);
    expect(e.paths.map((p) => [p.store, p.namespaces])).toEqual([['aws/apps/sm-prod', ['*']]]);
  });
});

describe('access matrix: cloud principals', () => {
  it('a role shared by the planes of two environments lets each read the other environment', () => {
    const t = irsaTwoEnv(new TopologyApp());
    const m = matrixOf(t.app, [t.sharedRole()]);
    expect(readablePairs(m)).toEqual([
      'dev-1 <- api-prod:prod/api',
      'dev-1 <- config-prod:find path=/prod/config/ name=.*',
      'dev-1 <- db-dev:dev/db',
      'dev-1 <- db-prod:prod/db',
      'prod-1 <- api-prod:prod/api',
      'prod-1 <- config-prod:find path=/prod/config/ name=.*',
      'prod-1 <- db-dev:dev/db',
      'prod-1 <- db-prod:prod/db',
    ]);
    expect(m.crossEnvironment().map((e) => `${e.planeName} <- ${e.remote.ref}`)).toEqual([
      'dev-1 <- prod/api',
      'dev-1 <- find path=/prod/config/ name=.*',
      'dev-1 <- prod/db',
      'prod-1 <- dev/db',
    ]);
    const e = m.forPlane('eks/apps/dev-1').find((x) => x.remote.ref === 'prod/db') as AccessEntry;
    expect(e.paths).toEqual([
      {
        kind: 'identity',
        id: `identity:${t.role('eks-shared-secrets')}`,
        description: `IAM role ${t.role('eks-shared-secrets')}`,
        namespaces: ['*'],
        principal: t.role('eks-shared-secrets'),
        grant: smArn('prod/db'),
      },
    ]);
    const [p] = m.principals;
    expect(p?.planes).toEqual(['eks/apps/dev-1', 'eks/apps/prod-1']);
    expect(p?.planeEnvironments).toEqual(['dev', 'prod']);
    expect(p?.reads.map((r) => r.resource)).toEqual([
      smArn('dev/db'),
      smArn('prod/api'),
      smArn('prod/db'),
      `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/config/*`,
    ]);
  });

  it('one role per environment keeps environments apart', () => {
    const t = irsaTwoEnv(new TopologyApp());
    const m = matrixOf(t.app, t.perEnvironment());
    expect(m.crossEnvironment()).toEqual([]);
    expect(readablePairs(m)).toEqual([
      'dev-1 <- db-dev:dev/db',
      'prod-1 <- api-prod:prod/api',
      'prod-1 <- config-prod:find path=/prod/config/ name=.*',
      'prod-1 <- db-prod:prod/db',
    ]);
  });

  it('a delivered secret whose principal lacks the grant is delivered but not readable', () => {
    const t = irsaTwoEnv(new TopologyApp());
    const [devRole, prodRole] = t.perEnvironment() as [CloudPrincipal, CloudPrincipal];
    const m = matrixOf(t.app, [devRole, { ...prodRole, grants: prodRole.grants.filter((g) => !g.resource.includes('prod/api')) }]);
    const e = m.forSecret(t.apiSecret.node.path)[0];
    expect(e.delivered).toEqual(['apps']);
    expect(e.readable).toBe(false);
    expect(e.paths).toEqual([]);
  });

  it('a principal a plane can become is the same principal wherever it is published (trust by token)', () => {
    const t = irsaTwoEnv(new TopologyApp());
    const [devRole, prodRole] = t.perEnvironment() as [CloudPrincipal, CloudPrincipal];
    // The prod role's trust names the dev plane's host namespace too (e.g. copied by hand).
    const m = matrixOf(t.app, [devRole, { ...prodRole, planes: [...prodRole.planes, ...devRole.planes] }]);
    const e = m.forPlane('eks/apps/dev-1').find((x) => x.remote.ref === 'prod/db') as AccessEntry;
    expect(e.crossEnvironment).toBe(true);
    expect(e.paths.map((p) => p.principal)).toEqual([prodRole.id]);
  });

  it('without published principals, identity stores give no readable path: what is delivered is listed as unreadable', () => {
    const t = azureAndGcp(new TopologyApp());
    const m = matrixOf(t.app, []);
    const gcp = m.entries.filter((e) => e.plane.startsWith('gke/'));
    expect(gcp.map((e) => `${e.planeName} <- ${e.secretName}:${e.readable}`)).toEqual([
      'g-dev <- exporter-dev:false',
      'g-prod <- exporter:false',
      'g-prod <- looker:false',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The matrix against an independent evaluation: a deliberately simple matcher written here.

/** Whole-string glob (`*` any run, `?` one character), no segment rules. */
function glob(pattern: string, value: string): boolean {
  let re = '^';
  for (const c of pattern) re += c === '*' ? '[\\s\\S]*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  return new RegExp(`${re}$`).test(value);
}

interface Oracle {
  cloud: 'aws' | 'azure' | 'gcp';
  /** Concrete resource of a key of a store. */
  resource: (store: string, key: string) => string;
}

const ORACLE_RESOURCES: Record<string, Oracle> = {
  'eks/apps/sm-dev': { cloud: 'aws', resource: (_s, k) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${k}-Zz9Yy8` },
  'eks/apps/sm-prod': { cloud: 'aws', resource: (_s, k) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${k}-Zz9Yy8` },
  'aks/data/kv-prod': {
    cloud: 'azure',
    resource: (_s, k) =>
      k.startsWith('cert/') ? `${vaultId('kv-prod')}/certificates/${k.slice(5)}` : `${vaultId('kv-prod')}/secrets/${k}`,
  },
  'aks/data/kv-dev': { cloud: 'azure', resource: (_s, k) => `${vaultId('kv-dev')}/secrets/${k}` },
  'gke/analytics/gsm-prod': { cloud: 'gcp', resource: (_s, k) => `projects/210987654321/secrets/${k}` },
  'gke/analytics/gsm-dev': { cloud: 'gcp', resource: (_s, k) => `projects/310987654321/secrets/${k}` },
};

function oracleAllows(p: CloudPrincipal, resource: string): boolean {
  return p.grants.some((g) => {
    if (g.access !== 'read') return false;
    if (p.cloud === 'aws') return glob(g.resource, resource);
    if (p.cloud === 'azure')
      return resource.toLowerCase() === g.resource.toLowerCase() || resource.toLowerCase().startsWith(`${g.resource.toLowerCase()}/`);
    // GCP: a project or secret binding covers what is below it; a condition is a startsWith test.
    const bound = resource === g.resource.replace(/\/$/, '') || resource.startsWith(`${g.resource.replace(/\/$/, '')}/`);
    if (!bound) return false;
    if (!g.condition) return true;
    const prefix = /startsWith\("([^"]*)"\)/.exec(g.condition)?.[1] ?? '';
    return `${resource}/versions/latest`.startsWith(prefix);
  });
}

describe('access matrix against an independent evaluation', () => {
  const app = new TopologyApp();
  const aws = irsaTwoEnv(app);
  const t = azureAndGcp(app, aws);

  const principals: CloudPrincipal[] = [
    {
      id: aws.role('dev-reader'),
      cloud: 'aws',
      kind: 'aws-iam-role',
      space: 'eks',
      planes: [subject(aws.devPlane)],
      stores: [],
      grants: [
        { access: 'read', resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dev/*`, neededBy: [aws.devSecret.node.path] },
      ],
    },
    {
      id: aws.role('prod-reader'),
      cloud: 'aws',
      kind: 'aws-iam-role',
      space: 'eks',
      planes: [subject(aws.prodPlane)],
      stores: [],
      grants: [
        { access: 'read', resource: smArn('prod/db'), neededBy: [aws.prodSecret.node.path] },
        {
          access: 'read',
          resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/a?i-??????`,
          neededBy: [aws.apiSecret.node.path],
        },
        { access: 'list', resource: '*', neededBy: [] },
      ],
    },
    {
      id: `/subscriptions/${'0'.repeat(8)}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi`,
      cloud: 'azure',
      kind: 'azure-managed-identity',
      space: 'aks',
      planes: [subject(t.azDev), subject(t.azProd)],
      stores: [],
      grants: [
        { access: 'read', resource: `${vaultId('kv-prod')}/secrets/warehouse-dsn`, neededBy: [t.dsnProd.node.path] },
        { access: 'read', resource: vaultId('kv-dev'), neededBy: [t.dsnDev.node.path] },
      ],
    },
    {
      id: 'principal://g-prod',
      cloud: 'gcp',
      kind: 'gcp-principal',
      space: 'gke',
      planes: [subject(t.gProd)],
      stores: [],
      grants: [{ access: 'read', resource: 'projects/210987654321', neededBy: [t.exporter.node.path, t.looker.node.path] }],
    },
    {
      id: 'principal://g-dev',
      cloud: 'gcp',
      kind: 'gcp-principal',
      space: 'gke',
      planes: [subject(t.gDev)],
      stores: [],
      grants: [
        {
          access: 'read',
          resource: 'projects/310987654321/secrets/exporter-key/',
          condition: 'resource.name.startsWith("projects/310987654321/secrets/exporter-key/")',
          neededBy: [t.exporterDev.node.path],
        },
      ],
    },
  ];

  it('agrees on every (plane, secret, remote key) readable through a principal', () => {
    const m = matrixOf(app, principals);
    const actual = m
      .readable()
      .filter((e) => e.remote.kind === 'key' && e.paths.some((p) => p.kind === 'identity'))
      .map((e) => `${e.plane} <- ${e.secret}:${e.remote.ref}`)
      .sort();

    const expected: string[] = [];
    const secrets = [aws.devSecret, aws.prodSecret, aws.apiSecret, t.dsnProd, t.dsnDev, t.exporter, t.exporterDev];
    for (const p of principals) {
      for (const s of p.planes) {
        for (const secret of secrets) {
          const oracle = ORACLE_RESOURCES[secret.store.node.path];
          if (oracle.cloud !== p.cloud) continue;
          for (const d of secret.data) {
            if (oracleAllows(p, oracle.resource(secret.store.node.path, d.remoteKey)))
              expected.push(`${s.space}/${s.group}/${s.plane} <- ${secret.node.path}:${d.remoteKey}`);
          }
        }
      }
    }
    expect(actual).toEqual([...new Set(expected)].sort());
    // Sanity: the oracle is not trivially empty or total.
    expect(actual.length).toBeGreaterThan(4);
    expect(actual).not.toContain(`aks/data/az-dev <- ${t.dsnProd.node.path}:cert/warehouse-tls`);
  });

  it('matches finds by the literal prefix of their name pattern', () => {
    const m = matrixOf(app, principals);
    const looker = m.forSecret(t.looker.node.path).find((e) => e.planeName === 'g-prod') as AccessEntry;
    expect(looker.remote).toEqual({ kind: 'find', ref: 'find name=^looker-api-', resource: 'projects/210987654321/secrets/looker-api-*' });
    expect(looker.readable).toBe(true);
  });

  it('is sorted by plane, secret and remote ref, and deterministic', () => {
    const a = matrixOf(app, principals).entries;
    const b = matrixOf(app, [...principals].reverse()).entries;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const keys = a.map((e) => [e.plane, e.secret, e.remote.kind, e.remote.ref].join('\u0000'));
    expect(keys).toEqual([...keys].sort());
  });
});

describe('access matrix: many secrets in one account and region', () => {
  it('matches each grant against exactly the secrets its ARN pattern covers (exact, prefix wildcard, wildcard region)', () => {
    const app = new TopologyApp();
    const space = new Space(app, 'eks', {
      cloud: 'aws',
      identity: SpaceIdentity.awsIrsa({
        accountId: ACCOUNT,
        oidcIssuer: 'https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
      }),
    });
    const group = new Group(space, 'apps');
    const plane = new ControlPlane(group, 'p-1', { controlPlaneId: '00000000-0000-4000-8000-000000000001', namespaces: ['apps'] });
    const store = new SecretStore(group, 'sm', {
      provider: new AwsSecretsManager({ region: REGION }),
      planes: Planes.named(plane),
      namespaces: Namespaces.named('apps'),
    });
    const secrets = Array.from(
      { length: 40 },
      (_, i) => new SharedSecret(group, `s${i}`, { store, data: [{ secretKey: 'v', remoteKey: `app/s${i}` }] }),
    );
    const grants = [
      smArn('app/s3'),
      `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:app/s1*`,
      `arn:aws:secretsmanager:*:${ACCOUNT}:secret:app/s2-??????`,
    ];
    const role: CloudPrincipal = {
      cloud: 'aws',
      kind: 'aws-iam-role',
      space: 'eks',
      id: `arn:aws:iam::${ACCOUNT}:role/eks`,
      planes: [subject(plane)],
      stores: [store.node.path],
      grants: grants.map((resource) => ({ access: 'read', resource, neededBy: secrets.map((x) => x.node.path) })),
    };
    const read = matrixOf(app, [role])
      .readable()
      .map((e) => e.secretName);
    const expected = ['s1', ...Array.from({ length: 10 }, (_, i) => `s1${i}`), 's2', 's3'];
    expect([...read].sort()).toEqual(expected.sort());
  });
});

describe('grant matching helpers', () => {
  it('matches ARNs segment by segment with * and ?', () => {
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db-AbCdEf`;
    expect(arnMatches('*', arn)).toBe(true);
    expect(arnMatches(smArn('prod/db'), arn)).toBe(true);
    expect(arnMatches(smArn('prod/d'), arn)).toBe(false);
    expect(arnMatches(`arn:aws:secretsmanager:*:*:secret:prod/*`, arn)).toBe(true);
    expect(arnMatches(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:*`, arn)).toBe(false);
    expect(arnMatches(`arn:aws:ssm:${REGION}:${ACCOUNT}:*`, arn)).toBe(false);
  });

  it('matches ARNs as the IAM definition says: first five segments one by one, the rest as a whole (property against a plain reading)', () => {
    // The reference: split both at `:`, each segment a glob turned into an anchored regular expression.
    const glob = (p: string, v: string): boolean =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
        's',
      ).test(v);
    const reference = (pattern: string, value: string): boolean => {
      if (pattern === '*') return true;
      const p = pattern.split(':');
      const a = value.split(':');
      if (p.length < 6 || a.length < 6) return glob(pattern, value);
      return p.slice(0, 5).every((x, i) => glob(x, a[i])) && glob(p.slice(5).join(':'), a.slice(5).join(':'));
    };
    const part = fc.string({ unit: fc.constantFrom('a', 'b', ':', '*', '?', '/', '-', '.'), maxLength: 10 });
    const arnLike = fc
      .array(fc.constantFrom('arn', 'aws', 'ssm', 'eu-west-1', '111122223333', 'secret', 'a/b', '*', '?', 'a*', 'parameter/x'), {
        minLength: 1,
        maxLength: 8,
      })
      .map((xs) => xs.join(':'));
    fc.assert(
      fc.property(fc.oneof(part, arnLike), fc.oneof(part, arnLike), (pattern, value) => {
        expect(arnMatches(pattern, value)).toBe(reference(pattern, value));
      }),
      { numRuns: 5000 },
    );
  });

  it('covers Key Vault objects by scope, comparing vault ids and URLs by vault name', () => {
    const obj = `${vaultId('kv-prod')}/secrets/db`;
    expect(azureScopeCovers(vaultId('kv-prod'), obj)).toBe(true);
    expect(azureScopeCovers(vaultId('KV-PROD'), obj)).toBe(true);
    expect(azureScopeCovers(`/subscriptions/${'0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'}/resourceGroups/rg-secrets`, obj)).toBe(true);
    expect(azureScopeCovers('https://kv-prod.vault.azure.net/', obj)).toBe(true);
    expect(azureScopeCovers(vaultId('kv-prod'), 'https://kv-prod.vault.azure.net/secrets/db')).toBe(true);
    expect(azureScopeCovers(`${vaultId('kv-prod')}/secrets/d`, obj)).toBe(false);
    expect(azureScopeCovers(vaultId('kv-prod2'), obj)).toBe(false);
  });

  it('covers GCP resource names by binding or prefix', () => {
    const s = 'projects/1/secrets/looker-api-x';
    expect(gcpResourceCovers('projects/1', s)).toBe(true);
    expect(gcpResourceCovers('projects/1/secrets/looker-api-x', s)).toBe(true);
    expect(gcpResourceCovers('projects/1/secrets/looker-api-', s)).toBe(false);
    expect(gcpResourceCovers('projects/1/secrets/looker-api-', s, true)).toBe(true);
    expect(gcpResourceCovers('projects/1/secrets/looker-api-x/', s)).toBe(true);
    expect(gcpResourceCovers('projects/2', s)).toBe(false);
  });

  it('evaluates resource.name conditions and says when it cannot', () => {
    const names = ['projects/1/secrets/a', 'projects/1/secrets/a/versions/latest'];
    expect(evaluateGcpCondition('resource.name.startsWith("projects/1/secrets/a/")', names)).toBe(true);
    expect(evaluateGcpCondition('resource.name.startsWith("projects/1/secrets/b")', names)).toBe(false);
    expect(evaluateGcpCondition('resource.name.startsWith("projects/1/secrets/b") || resource.name == "projects/1/secrets/a"', names)).toBe(
      true,
    );
    expect(
      evaluateGcpCondition('resource.type == "secretmanager.googleapis.com/Secret" && resource.name.startsWith("projects/1/")', names),
    ).toBe(true);
    expect(evaluateGcpCondition('request.time < timestamp("2030-01-01T00:00:00Z")', names)).toBeUndefined();
  });

  it('takes the literal prefix of an anchored regular expression', () => {
    const literalPrefix = (re: string): string => regexpLiteralPrefix(re, /^[A-Za-z0-9/_+=.@-]$/);
    expect(literalPrefix('^looker-api-')).toBe('looker-api-');
    expect(literalPrefix('^prod\\.db.*')).toBe('prod.db');
    expect(literalPrefix('^prod-x?')).toBe('prod-');
    expect(literalPrefix('^ab+c')).toBe('ab');
    expect(literalPrefix('looker')).toBe('');
    // A top-level alternation has no common prefix; one inside a group or a class does not matter.
    expect(literalPrefix('^dev-a|prod-b')).toBe('');
    expect(literalPrefix('^db-(a|b)')).toBe('db-');
    expect(literalPrefix('^[a|b]x')).toBe('');
    expect(literalPrefix('^a\\|b')).toBe('a');
  });
});

describe('projection preview', () => {
  it('lists the ClusterSecretStores and ClusterExternalSecrets Spaces creates in each plane', () => {
    const t = staticTwoEnv(new TopologyApp());
    const p = projectionPreview(t.app, Placement.compute(t.app));
    expect(p.map((x) => x.key)).toEqual(['aws/apps/dev-1', 'aws/apps/prod-1']);
    expect(p[1]).toEqual({
      key: 'aws/apps/prod-1',
      space: 'aws',
      group: 'apps',
      plane: 'prod-1',
      path: 'aws/apps/prod-1',
      environment: 'prod',
      production: true,
      hostNamespace: 'mxp-00000000-0000-4000-8000-000000000002-system',
      clusterSecretStores: [
        {
          name: 'sm-prod',
          store: 'aws/apps/sm-prod',
          provider: { upboundspaces: { storeRef: { name: 'sm-prod' } } },
          backend: `AWS Secrets Manager (${REGION}, account ${ACCOUNT})`,
          auth: 'static credentials (Secret aws-prod-keys)',
          namespaces: ['apps'],
        },
      ],
      clusterExternalSecrets: [
        { name: 'db-prod', secret: 'aws/apps/db-prod', store: 'sm-prod', target: 'db', namespaces: ['apps'], refreshInterval: '15m' },
      ],
    });
  });

  it('is published with the compilation facts', () => {
    const t = irsaTwoEnv(new TopologyApp());
    injectIdentity(t.app, t.perEnvironment);
    const c = t.app.compile();
    const m = c.context.access;
    expect(m.crossEnvironment()).toEqual([]);
    expect(m.principals.map((p) => p.id)).toEqual([t.role('eks-dev'), t.role('eks-prod')]);
  });
});
