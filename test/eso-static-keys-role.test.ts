/**
 * Issue 16 item 5: static access keys plus a `role`. With the keys' IAM user named
 * (`StaticCredentials.awsAccessKey({ userArn })`), the compiler generates the role's trust policy
 * (that user only), its permission policy (the stores' secrets only) and the user's policy (only
 * `sts:AssumeRole` on that role), on Cloud Spaces (no identity), self-hosted Spaces and plain ESO
 * clusters; each document is evaluated by iam-simulate. In the principal graph the user is a
 * principal between the keys' Secret and the role.
 */
import { describe, expect, it } from 'vitest';
import {
  AwsParameterStore,
  AwsSecretsManager,
  ControlPlane,
  EsoCluster,
  EsoExternalSecret,
  EsoPushSecret,
  EsoSecretStore,
  Environment,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
  type Compilation,
} from '../lib/index.js';
import { AccessMatrix } from '../lib/analysis/access.js';
import { ACCOUNT, ISSUER, OTHER_ACCOUNT, REGION, uuid } from './fixtures/aws-topologies.js';
import { canAssume, canRoleDo, concreteParameterArn, concreteSecretArn } from './fixtures/aws-iam-sim.js';
import { compile, problems } from './support/compile.js';

type Json = Record<string, any>;

const ROLE = `arn:aws:iam::${ACCOUNT}:role/eso-dev`;
const USER = `arn:aws:iam::${ACCOUNT}:user/eso-dev`;
const OTHER_USER = `arn:aws:iam::${ACCOUNT}:user/someone`;
const GET = 'secretsmanager:GetSecretValue';
const keys = (userArn?: string, secretName = 'aws-keys') =>
  StaticCredentials.awsAccessKey({ secretName, ...(userArn !== undefined ? { userArn } : {}) });

interface Options {
  readonly hosting?: 'cloud' | 'self-hosted';
  readonly role?: string;
  readonly userArn?: string;
  /** A prod store on the same role and user. */
  readonly prodOnSameRole?: boolean;
  readonly prodUser?: string;
  /** The second group's plane and secret are dev too. */
  readonly sameEnvironment?: boolean;
}

function cloudSpace(app: TopologyApp, o: Options = {}) {
  const dev = new Environment(app, 'dev', {});
  const prod = new Environment(app, 'prod', { production: true });
  const selfHosted = o.hosting === 'self-hosted';
  const space = new Space(app, 'acme', {
    cloud: 'aws',
    ...(selfHosted ? { identity: SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: ISSUER }) } : { hosting: 'cloud' as const }),
  });
  const g = new Group(space, 'platform');
  new ControlPlane(g, 'dev-1', { environment: dev, controlPlaneId: uuid(1), namespaces: ['default'] });
  // Prod in a group of its own: a plane can name every store of its group.
  const pg = new Group(space, 'prod');
  new ControlPlane(pg, 'prod-1', { environment: o.sameEnvironment ? dev : prod, controlPlaneId: uuid(2), namespaces: ['default'] });
  const store = new SecretStore(g, 'keys', {
    provider: new AwsSecretsManager({ region: REGION, role: o.role ?? ROLE, credentials: keys(o.userArn ?? USER) }),
    planes: Planes.inEnvironments(dev),
    namespaces: Namespaces.named('default'),
  });
  new SharedSecret(g, 'db', { store, data: [{ secretKey: 'password', remoteKey: 'dev/db' }] });
  if (o.prodOnSameRole) {
    const ps = new SecretStore(pg, 'prod-keys', {
      provider: new AwsParameterStore({ region: REGION, role: o.role ?? ROLE, credentials: keys(o.prodUser ?? USER, 'prod-keys') }),
      planes: Planes.inEnvironments(o.sameEnvironment ? dev : prod),
      namespaces: Namespaces.named('default'),
    });
    new SharedSecret(pg, 'prod-db', {
      store: ps,
      data: [{ secretKey: 'password', remoteKey: o.sameEnvironment ? '/dev/db2' : '/prod/db' }],
    });
  }
}

function json(c: Compilation, path: string): Json {
  const text = c.files.get(path);
  if (text === undefined) throw new Error(`no ${path} among ${[...c.files.keys()].filter((p) => p.includes('iam')).join(', ')}`);
  return JSON.parse(text) as Json;
}

const DIR = 'spaces/acme/iam/aws/static-keys';
const ROLE_DIR = `${DIR}/roles/${ACCOUNT}/eso-dev`;
const USER_POLICY = `${DIR}/users/${ACCOUNT}/eso-dev/assume-role-policy.json`;

describe('static keys that assume a role: the generated IAM (iam-simulate)', () => {
  const c = compile((app) => cloudSpace(app));
  const trust = json(c, `${ROLE_DIR}/trust-policy.json`);
  const permission = json(c, `${ROLE_DIR}/permission-policy.json`);
  const userPolicy = json(c, USER_POLICY);

  it("the role's trust lets exactly the keys' user assume it", async () => {
    expect(await canAssume(trust, ROLE, USER, 'sts:AssumeRole')).toBe('Allowed');
    for (const p of [
      OTHER_USER,
      `arn:aws:iam::${ACCOUNT}:role/eso-dev`,
      `arn:aws:iam::${OTHER_ACCOUNT}:user/eso-dev`,
      `arn:aws:iam::${ACCOUNT}:user/eso-dev2`,
    ])
      expect(await canAssume(trust, ROLE, p, 'sts:AssumeRole'), p).toBe('ImplicitlyDenied');
    // Only AssumeRole: no web identity, no session tags.
    expect(await canAssume(trust, ROLE, USER, 'sts:TagSession')).toBe('ImplicitlyDenied');
  });

  it("the role's permission policy grants the store's secrets only", async () => {
    expect(await canRoleDo([permission], GET, concreteSecretArn('dev/db'))).toBe('Allowed');
    for (const name of ['dev/db2', 'prod/db', 'dev/dbx'])
      expect(await canRoleDo([permission], GET, concreteSecretArn(name)), name).toBe('ImplicitlyDenied');
    expect(await canRoleDo([permission], 'sts:AssumeRole', ROLE)).toBe('ImplicitlyDenied');
  });

  it("the user's policy allows only sts:AssumeRole on that role", async () => {
    expect(await canRoleDo([userPolicy], 'sts:AssumeRole', ROLE)).toBe('Allowed');
    expect(await canRoleDo([userPolicy], 'sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/eso-prod`)).toBe('ImplicitlyDenied');
    expect(await canRoleDo([userPolicy], GET, concreteSecretArn('dev/db'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo([userPolicy], 'iam:PassRole', ROLE)).toBe('ImplicitlyDenied');
  });

  it('runs on a Cloud Space (no identity) and beside the identity of a self-hosted Space', () => {
    const hosted = compile((app) => cloudSpace(app, { hosting: 'self-hosted' }));
    expect(hosted.files.has(`${ROLE_DIR}/trust-policy.json`)).toBe(true);
    expect(hosted.files.has(USER_POLICY)).toBe(true);
    // The Space's own role does not read the keys' store.
    const readme = hosted.files.get(`${DIR}/README.md`) ?? '';
    expect(readme).toContain('aws iam put-user-policy --user-name eso-dev');
    expect([...hosted.files.keys()].filter((p) => p.startsWith('spaces/acme/iam/aws/') && !p.includes('static-keys'))).toEqual([]);
  });

  it("a role also chained from the Space's workload identity trusts that role too (applying the trust does not cut it off)", async () => {
    const c2 = compile((app) => {
      cloudSpace(app, { hosting: 'self-hosted' });
      const g = app.node.findAll().find((x) => x.node.path === 'acme/platform') as Group;
      const s = new SecretStore(g, 'chained', {
        provider: new AwsSecretsManager({ region: REGION, role: ROLE }),
        planes: Planes.named(g.node.findChild('dev-1') as ControlPlane),
        namespaces: Namespaces.named('default'),
      });
      new SharedSecret(g, 'cache', { store: s, data: [{ secretKey: 'k', remoteKey: 'dev/cache' }] });
    });
    const t = json(c2, `${ROLE_DIR}/trust-policy.json`);
    const spaceRole = `arn:aws:iam::${ACCOUNT}:role/acme-shared-secrets`;
    expect(await canAssume(t, ROLE, USER, 'sts:AssumeRole')).toBe('Allowed');
    expect(await canAssume(t, ROLE, spaceRole, 'sts:AssumeRole')).toBe('Allowed');
    expect(await canAssume(t, ROLE, `arn:aws:iam::${ACCOUNT}:role/other`, 'sts:AssumeRole')).toBe('ImplicitlyDenied');
    // And the role's policy covers what both stores read through it.
    const p = json(c2, `${ROLE_DIR}/permission-policy.json`);
    expect(await canRoleDo([p], GET, concreteSecretArn('dev/db'))).toBe('Allowed');
    expect(await canRoleDo([p], GET, concreteSecretArn('dev/cache'))).toBe('Allowed');
    expect(await canRoleDo([p], GET, concreteSecretArn('dev/other'))).toBe('ImplicitlyDenied');
  });

  it('two stores on one role: one trust with both users, one policy with both stores, a policy per user', async () => {
    const two = compile((app) => cloudSpace(app, { prodOnSameRole: true, prodUser: OTHER_USER, sameEnvironment: true }));
    const t = json(two, `${ROLE_DIR}/trust-policy.json`);
    const p = json(two, `${ROLE_DIR}/permission-policy.json`);
    expect(await canAssume(t, ROLE, USER, 'sts:AssumeRole')).toBe('Allowed');
    expect(await canAssume(t, ROLE, OTHER_USER, 'sts:AssumeRole')).toBe('Allowed');
    expect(await canRoleDo([p], GET, concreteSecretArn('dev/db'))).toBe('Allowed');
    expect(await canRoleDo([p], 'ssm:GetParameter', concreteParameterArn('/dev/db2'))).toBe('Allowed');
    expect(two.files.has(`${DIR}/users/${ACCOUNT}/someone/assume-role-policy.json`)).toBe(true);
  }, 20_000);

  it('nothing without userArn (the keys are managed outside), and nothing for a role no secret reads through', () => {
    const none = compile((app) => {
      const space = new Space(app, 'acme', { cloud: 'aws', hosting: 'cloud' });
      const g = new Group(space, 'platform', { requireEnvironment: false });
      const p = new ControlPlane(g, 'p1', { namespaces: ['default'] });
      const s = new SecretStore(g, 'keys', {
        provider: new AwsSecretsManager({ region: REGION, role: ROLE, credentials: keys() }),
        planes: Planes.named(p),
        namespaces: Namespaces.named('default'),
      });
      new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'password', remoteKey: 'dev/db' }] });
      new SecretStore(g, 'unused', {
        provider: new AwsSecretsManager({ region: REGION, role: `arn:aws:iam::${ACCOUNT}:role/unused`, credentials: keys(USER, 'k2') }),
        planes: Planes.named(p),
        namespaces: Namespaces.named('default'),
      });
    });
    expect([...none.files.keys()].filter((p) => p.includes('static-keys'))).toEqual([]);
  });
});

describe('static keys that assume a role: a plain ESO cluster', () => {
  it('grants the external and push secrets of the store, in clusters/<cluster>/iam/aws/static-keys/', async () => {
    const c = compile((app) => {
      const cluster = new EsoCluster(app, 'apps', { cloud: 'aws' });
      const sm = new EsoSecretStore(cluster, 'sm', {
        namespace: 'team-a',
        provider: new AwsSecretsManager({ region: REGION, role: ROLE, credentials: keys(USER) }),
      });
      new EsoExternalSecret(cluster, 'db', { store: sm, namespace: 'team-a', data: [{ secretKey: 'u', remoteKey: 'dev/db' }] });
      new EsoPushSecret(cluster, 'backup', {
        store: sm,
        namespace: 'team-a',
        secretName: 'tls',
        data: [{ secretKey: 'tls.crt', remoteKey: 'backup/tls' }],
      });
    });
    const dir = `clusters/apps/iam/aws/static-keys/roles/${ACCOUNT}/eso-dev`;
    const p = json(c, `${dir}/permission-policy.json`);
    expect(await canRoleDo([p], GET, concreteSecretArn('dev/db'))).toBe('Allowed');
    expect(
      await canRoleDo([p], 'secretsmanager:PutSecretValue', concreteSecretArn('backup/tls'), {
        context: { 'aws:ResourceTag/managed-by': 'external-secrets' },
      }),
    ).toBe('Allowed');
    expect(await canRoleDo([p], 'secretsmanager:PutSecretValue', concreteSecretArn('dev/db'))).toBe('ImplicitlyDenied');
    expect(await canAssume(json(c, `${dir}/trust-policy.json`), ROLE, USER, 'sts:AssumeRole')).toBe('Allowed');
  }, 20_000);
});

describe('static keys that assume a role: the principal graph', () => {
  it('the user is a principal, between the keys Secret and the role', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    cloudSpace(app);
    const c = app.compile();
    const user = c.context.identity.principals.find((p) => p.id === USER);
    expect(user?.kind).toBe('aws-iam-user');
    expect(user?.grants).toEqual([{ access: 'assume', resource: ROLE, neededBy: ['acme/platform/db'] }]);
    const role = c.context.identity.principals.find((p) => p.id === ROLE);
    expect(role?.kind).toBe('aws-iam-role');
    const m = AccessMatrix.compute(app, c.placement, c.context.identity);
    const entry = m.readable().find((e) => e.plane === 'acme/platform/dev-1' && e.remote.ref === 'dev/db');
    const viaRole = entry?.paths.find((p) => p.kind === 'identity' && p.principal === ROLE);
    expect(viaRole?.via).toEqual(['acme/platform/aws-keys', USER]);
  });

  it('one role assumed by the keys of a dev and a prod store is flagged (issue 12 class 1), also with two users', () => {
    for (const prodUser of [USER, OTHER_USER]) {
      const p = problems((app) => cloudSpace(app, { prodOnSameRole: true, prodUser })).join('\n');
      expect(p, prodUser).toContain('/prod/db');
      expect(p, prodUser).toMatch(/cross-environment|production-secret-outside-production/);
    }
  });
});

describe('static keys that assume a role: refusals', () => {
  const text = (o: Options) => problems((app) => cloudSpace(app, o)).join('\n');

  it('refuses a userArn that is not an IAM user ARN, without repeating a pasted key', () => {
    for (const bad of [
      ROLE,
      'eso-dev',
      `arn:aws:iam::${ACCOUNT}:user/`,
      `arn:aws:iam::12345:user/x`,
      `arn:aws:sts::${ACCOUNT}:assumed-role/x/y`,
    ])
      expect(text({ userArn: bad }), bad).toContain('is not an IAM user ARN');
    const pasted = text({ userArn: 'AKIAIOSFODNN7EXAMPLE' });
    expect(pasted).toContain('looks like a credential itself');
    expect(pasted).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('refuses userArn without a role, and a userArn of the wrong type', () => {
    const p = problems((app) => {
      const space = new Space(app, 'acme', { cloud: 'aws', hosting: 'cloud' });
      const g = new Group(space, 'platform', { requireEnvironment: false });
      const plane = new ControlPlane(g, 'p1', { namespaces: ['default'] });
      new SecretStore(g, 'keys', {
        provider: new AwsSecretsManager({ region: REGION, credentials: keys(USER) }),
        planes: Planes.named(plane),
        namespaces: Namespaces.named('default'),
      });
    }).join('\n');
    expect(p).toContain('but the store has no role: set role');
    expect(text({ userArn: 42 as unknown as string })).toContain('userArn');
  });
});
