/**
 * EKS Pod Identity role scope: one role per environment (default), per group and environment, or
 * per plane. Narrower scopes keep one group's planes from reading another group's secrets of the
 * same environment: checked with iam-simulate on the generated policies and in the access analysis.
 */
import { describe, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  TopologyApp,
  type AwsRoleScope,
  type Compilation,
} from '../lib/index.js';
import { AccessMatrix } from '../lib/analysis/access.js';
import { canRoleDo, concreteSecretArn } from './fixtures/aws-iam-sim.js';
import { ACCOUNT, CLUSTER, REGION, SECRETS, hostNs, iamFiles, jsonFile, platform, uuid } from './fixtures/aws-topologies.js';

type Policy = Record<string, unknown>;

const GET = 'secretsmanager:GetSecretValue';
const SM = (name: string) => concreteSecretArn(name);
const arn = (role: string) => `arn:aws:iam::${ACCOUNT}:role/${role}`;

function compile(scope?: AwsRoleScope): Compilation {
  return platform('pod-identity', { region: REGION, ...(scope ? { roleScope: scope } : {}) }).app.compile();
}

function policiesOf(files: ReadonlyMap<string, string>, role: string): Policy[] {
  return [...files.keys()]
    .filter((p) => p.startsWith(`${role}/permission-policy`))
    .sort()
    .map((p) => jsonFile(files, p));
}

function roleOf(files: ReadonlyMap<string, string>, group: string, plane: string): string {
  return jsonFile<{ roleArn: string }>(files, `pod-identity-associations/${group}/${plane}.json`).roleArn.split('/').pop() as string;
}

describe('roleScope "environment" (the default) is unchanged', () => {
  it('gives the same files as no roleScope at all', () => {
    expect([...compile('environment').files]).toEqual([...compile().files]);
  });

  it('and shares the prod role across groups: a payments plane can read a platform secret', async () => {
    const files = iamFiles(compile(), 'aws-eu');
    const role = roleOf(files, 'payments', 'pay-prod-1');
    expect(role).toBe('aws-eu-prod-shared-secrets');
    expect(await canRoleDo(policiesOf(files, role), GET, SM(SECRETS.prodDb))).toBe('Allowed');
  });
});

describe('roleScope "group-environment": one role per group and environment', () => {
  const c = compile('group-environment');
  const files = iamFiles(c, 'aws-eu');
  const roles = [
    'aws-eu-payments-dev-shared-secrets',
    'aws-eu-payments-prod-shared-secrets',
    'aws-eu-platform-dev-shared-secrets',
    'aws-eu-platform-prod-shared-secrets',
    'aws-eu-platform-staging-shared-secrets',
  ];

  it("writes one role per group and environment, and associates each plane with its own group's role", () => {
    expect([...files.keys()].filter((p) => p.endsWith('/trust-policy.json')).map((p) => p.split('/')[0])).toEqual(roles);
    expect(roleOf(files, 'payments', 'pay-prod-1')).toBe('aws-eu-payments-prod-shared-secrets');
    expect(roleOf(files, 'platform', 'eu-prod-1')).toBe('aws-eu-platform-prod-shared-secrets');
    expect(roleOf(files, 'platform', 'eu-prod-2')).toBe('aws-eu-platform-prod-shared-secrets');
    const ps = c.context.identity.principals;
    expect(ps.map((p) => [p.id, p.environment, p.planes.map((s) => `${s.group}/${s.plane}`)])).toEqual([
      [arn(roles[0]), 'dev', ['payments/pay-dev-1']],
      [arn(roles[1]), 'prod', ['payments/pay-prod-1']],
      [arn(roles[2]), 'dev', ['platform/eu-dev-1']],
      [arn(roles[3]), 'prod', ['platform/eu-prod-1', 'platform/eu-prod-2']],
      [arn(roles[4]), 'staging', ['platform/eu-staging-1']],
    ]);
    expect(files.get('README.md')).toContain('Mode: EKS Pod Identity, roleScope "group-environment". One role per group and environment');
  });

  it("a plane of group payments cannot read group platform's secrets of the same environment, and the reverse", async () => {
    const payments = policiesOf(files, roleOf(files, 'payments', 'pay-prod-1'));
    const platformProd = policiesOf(files, roleOf(files, 'platform', 'eu-prod-1'));
    expect(await canRoleDo(payments, GET, SM(SECRETS.paymentsProd))).toBe('Allowed');
    for (const name of [SECRETS.prodDb, SECRETS.prodProvider, SECRETS.prodTls])
      expect(await canRoleDo(payments, GET, SM(name)), name).toBe('ImplicitlyDenied');
    expect(await canRoleDo(platformProd, GET, SM(SECRETS.prodDb))).toBe('Allowed');
    expect(await canRoleDo(platformProd, GET, SM(SECRETS.paymentsProd))).toBe('ImplicitlyDenied');
    const paymentsDev = policiesOf(files, roleOf(files, 'payments', 'pay-dev-1'));
    expect(await canRoleDo(paymentsDev, GET, SM(SECRETS.paymentsDev))).toBe('Allowed');
    expect(await canRoleDo(paymentsDev, GET, SM(SECRETS.devProvider))).toBe('ImplicitlyDenied');
  });

  it('the access analysis no longer shows payments planes reading platform secrets (it does with the default)', () => {
    const readableAcrossGroups = (comp: Compilation, app: TopologyApp): string[] =>
      AccessMatrix.compute(app, comp.placement, comp.context.identity)
        .readable()
        .filter((e) => e.plane.split('/')[1] !== e.secret.split('/')[1])
        .map((e) => `${e.plane} ${e.remote.ref}`);
    const wide = platform('pod-identity', { region: REGION });
    expect(readableAcrossGroups(wide.app.compile(), wide.app)).toContain(`aws-eu/payments/pay-prod-1 ${SECRETS.prodDb}`);
    const narrow = platform('pod-identity', { region: REGION, roleScope: 'group-environment' });
    expect(readableAcrossGroups(narrow.app.compile(), narrow.app)).toEqual([]);
  });
});

describe('roleScope "plane": one role per plane', () => {
  const files = iamFiles(compile('plane'), 'aws-eu');

  it('names each role after its plane, and each plane reads only what is delivered to it', async () => {
    expect(roleOf(files, 'platform', 'eu-prod-1')).toBe('aws-eu-platform-eu-prod-1-shared-secrets');
    expect(roleOf(files, 'platform', 'eu-prod-2')).toBe('aws-eu-platform-eu-prod-2-shared-secrets');
    const prod1 = policiesOf(files, 'aws-eu-platform-eu-prod-1-shared-secrets');
    const prod2 = policiesOf(files, 'aws-eu-platform-eu-prod-2-shared-secrets');
    expect(await canRoleDo(prod1, GET, SM(SECRETS.prodTls))).toBe('Allowed');
    expect(await canRoleDo(prod2, GET, SM(SECRETS.prodTls))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(prod2, GET, SM(SECRETS.prodDb))).toBe('Allowed');
    expect(await canRoleDo(prod2, GET, SM(SECRETS.paymentsProd))).toBe('ImplicitlyDenied');
    expect(files.get('README.md')).toContain('Mode: EKS Pod Identity, roleScope "plane". One role per plane');
  });

  it("each association points at the plane's own role", () => {
    expect(jsonFile(files, 'pod-identity-associations/platform/eu-dev-1.json')).toEqual({
      clusterName: CLUSTER,
      namespace: hostNs(1),
      serviceAccount: 'external-secrets-controller',
      roleArn: arn('aws-eu-platform-eu-dev-1-shared-secrets'),
    });
  });
});

describe('roleScope problems', () => {
  it('refuses an unknown scope', () => {
    const t = platform('pod-identity', { roleScope: 'group' as AwsRoleScope });
    expect(t.app.problems().map((p) => p.message)).toContain(
      'identity: roleScope "group" is not supported: expected one of "environment", "group-environment", "plane"; use one of those.',
    );
  });

  it('names both roles when two join to the same name', () => {
    const app = new TopologyApp();
    const env = new Environment(app, 'b-c');
    const other = new Environment(app, 'c');
    const space = new Space(app, 's', {
      cloud: 'aws',
      identity: SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: CLUSTER, roleScope: 'group-environment' }),
    });
    for (const [g, e, n] of [
      ['a', env, 1],
      ['a-b', other, 2],
    ] as const) {
      const group = new Group(space, g);
      new ControlPlane(group, 'p', { environment: e, controlPlaneId: uuid(n), namespaces: ['x'] });
      const store = new SecretStore(group, 'sm', {
        provider: new AwsSecretsManager({ region: REGION }),
        planes: Planes.inEnvironments(e),
        namespaces: Namespaces.named('x'),
      });
      new SharedSecret(group, 'v', { store, data: [{ secretKey: 'v', remoteKey: `${g}/v` }] });
    }
    expect(app.problems().map((p) => `${p.path}: ${p.message}`)).toContain(
      's: two IAM roles of Space "s" would be named "s-a-b-c-shared-secrets" (the role of group "a-b" and environment "c", and the role of group "a" and environment "b-c", join their names with \'-\' to the same text): rename one of the groups, environments or planes.',
    );
  });
});
