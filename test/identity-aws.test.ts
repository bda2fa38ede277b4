/**
 * AWS identity plans (IRSA and EKS Pod Identity), checked with a real IAM policy engine: every
 * generated document is evaluated by @cloud-copilot/iam-simulate, so "least privilege" here means
 * what IAM would decide, not what the JSON looks like.
 */
import { describe, expect, it } from 'vitest';
import {
  AwsParameterStore,
  AwsSecretsManager,
  ControlPlane,
  Environment,
  Group,
  Guardrails,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
  TopologyError,
  type AwsRoleOptions,
  type CloudPrincipal,
  type Compilation,
  type SharedSecretProps,
} from '../lib/index.js';
import {
  aliasIssuer,
  allowSimulatedRole,
  canAssume,
  canRoleDo,
  concreteParameterArn,
  concreteSecretArn,
  defaultKeyPolicy,
  serviceAccountSub,
  webIdentityRequest,
} from './fixtures/aws-iam-sim.js';
import {
  ACCOUNT,
  CHAINED_ROLE,
  CLUSTER,
  DEV_KEY,
  ISSUER,
  ISSUER_HOST,
  OTHER_ACCOUNT,
  PROD_KEY,
  REGION,
  SECRETS,
  awsIdentity,
  hostNs,
  iamFiles,
  jsonFile,
  platform,
  scaled,
  uuid,
} from './fixtures/aws-topologies.js';

type Policy = Record<string, unknown>;

function principals(c: Compilation): readonly CloudPrincipal[] {
  return c.context.identity.principals;
}

/** The permission policies of a role (all parts when split). */
function rolePolicies(files: ReadonlyMap<string, string>, role: string): Policy[] {
  return [...files.keys()]
    .filter((p) => p.startsWith(`${role}/permission-policy`))
    .sort()
    .map((p) => jsonFile(files, p));
}

const GET = 'secretsmanager:GetSecretValue';
const SM = (name: string) => concreteSecretArn(name);
const PROD_ROLE = 'aws-eu-prod-shared-secrets';
const DEV_ROLE = 'aws-eu-dev-shared-secrets';
const STAGING_ROLE = 'aws-eu-staging-shared-secrets';
const IRSA_ROLE = 'aws-eu-shared-secrets';
const UNREFERENCED = 'prod/unreferenced/secret';

describe('IRSA: one role per Space', () => {
  const t = platform('irsa');
  const c = t.app.compile();
  const files = iamFiles(c, 'aws-eu');
  const trust = jsonFile(files, `${IRSA_ROLE}/trust-policy.json`);
  const simTrust = aliasIssuer(trust, ISSUER_HOST);
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${IRSA_ROLE}`;
  const served = [hostNs(1), hostNs(2), hostNs(3), 'mxp-eu-prod-2-system', hostNs(4), hostNs(5)];

  it('writes one role with its trust and permission policy, and a README', () => {
    expect([...files.keys()]).toEqual(['README.md', `${IRSA_ROLE}/permission-policy.json`, `${IRSA_ROLE}/trust-policy.json`]);
    expect(principals(c).map((p) => p.id)).toEqual([roleArn]);
  });

  it("annotates the Space's controller service account with the role (Helm values and --set flags)", () => {
    expect(c.files.get('spaces/aws-eu/helm/spaces-values.yaml')).toContain(`eks.amazonaws.com/role-arn: ${roleArn}`);
    expect(c.files.get('spaces/aws-eu/helm/helm-set-flags.txt')).toContain(`customAnnotations.eks\\.amazonaws\\.com/role-arn=${roleArn}`);
  });

  it('the trust policy federates the issuer with aud sts.amazonaws.com and the exact sub of every served plane, no wildcard', () => {
    const statements = trust.Statement as Policy[];
    expect(statements).toHaveLength(1);
    const s = statements[0];
    expect(s.Principal).toEqual({ Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_HOST}` });
    expect(s.Action).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(s.Condition).toEqual({
      StringEquals: {
        [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com',
        [`${ISSUER_HOST}:sub`]: served.map((ns) => serviceAccountSub(ns)).sort(),
      },
    });
    expect(JSON.stringify(trust)).not.toMatch(/\*/);
  });

  it.each(served)('the controller of the plane in %s may assume the role', async (ns) => {
    const r = webIdentityRequest(serviceAccountSub(ns));
    expect(await canAssume(simTrust, roleArn, r.principal, r.action, r.context)).toBe('Allowed');
  });

  it('a plane that is not listed, another service account or a wrong audience cannot assume it', async () => {
    for (const sub of [serviceAccountSub(hostNs(99)), serviceAccountSub(hostNs(1), 'default'), serviceAccountSub('kube-system')]) {
      const r = webIdentityRequest(sub);
      expect(await canAssume(simTrust, roleArn, r.principal, r.action, r.context), sub).toBe('ImplicitlyDenied');
    }
    const wrongAud = webIdentityRequest(serviceAccountSub(hostNs(1)), 'https://kubernetes.default.svc');
    expect(await canAssume(simTrust, roleArn, wrongAud.principal, wrongAud.action, wrongAud.context)).toBe('ImplicitlyDenied');
    const otherProvider = webIdentityRequest(serviceAccountSub(hostNs(1)), 'sts.amazonaws.com', OTHER_ACCOUNT);
    expect(await canAssume(simTrust, roleArn, otherProvider.principal, otherProvider.action, otherProvider.context)).toBe(
      'ImplicitlyDenied',
    );
  });

  it('the role reads every referenced secret (concrete ARN, 6-character suffix) and nothing else', async () => {
    const policies = rolePolicies(files, IRSA_ROLE);
    for (const name of Object.values(SECRETS)) {
      expect(await canRoleDo(policies, GET, SM(name)), name).toBe('Allowed');
    }
    expect(await canRoleDo(policies, GET, SM(UNREFERENCED))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, GET, `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${SECRETS.prodDb}-Ab12Cd7`)).toBe(
      'ImplicitlyDenied',
    );
    expect(await canRoleDo(policies, GET, `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${SECRETS.prodDb}/child-Ab12Cd`)).toBe(
      'ImplicitlyDenied',
    );
    expect(await canRoleDo(policies, GET, SM(SECRETS.prodDb).replace(REGION, 'us-east-1'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, 'secretsmanager:PutSecretValue', SM(SECRETS.prodDb))).toBe('ImplicitlyDenied');
  });

  it('is not created for a Space whose AWS stores all use static credentials', () => {
    const app = new TopologyApp();
    const env = new Environment(app, 'dev');
    const space = new Space(app, 'static', { cloud: 'aws', identity: awsIdentity('irsa') });
    const g = new Group(space, 'g');
    new ControlPlane(g, 'p', { environment: env, controlPlaneId: uuid(1), namespaces: ['app'] });
    const store = new SecretStore(g, 'sm', {
      provider: new AwsSecretsManager({ region: REGION, credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-creds' }) }),
      planes: Planes.inEnvironments(env),
      namespaces: Namespaces.named('app'),
    });
    new SharedSecret(g, 's', { store, data: [{ secretKey: 'v', remoteKey: 'app/v' }] });
    const compiled = app.compile();
    expect(iamFiles(compiled, 'static').size).toBe(0);
    expect(compiled.files.get('spaces/static/helm/spaces-values.yaml')).not.toContain('role-arn');
  });
});

describe('EKS Pod Identity: one role per environment', () => {
  const t = platform('pod-identity', { region: REGION });
  const c = t.app.compile();
  const files = iamFiles(c, 'aws-eu');
  const arn = (role: string) => `arn:aws:iam::${ACCOUNT}:role/${role}`;
  const clusterArn = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;

  it('writes a role per environment, an association per plane host namespace, and no Helm annotation', () => {
    expect([...files.keys()]).toEqual([
      'README.md',
      `${DEV_ROLE}/permission-policy.json`,
      `${DEV_ROLE}/trust-policy.json`,
      `${PROD_ROLE}/permission-policy.json`,
      `${PROD_ROLE}/trust-policy.json`,
      `${STAGING_ROLE}/permission-policy.json`,
      `${STAGING_ROLE}/trust-policy.json`,
      'pod-identity-associations/payments/pay-dev-1.json',
      'pod-identity-associations/payments/pay-prod-1.json',
      'pod-identity-associations/platform/eu-dev-1.json',
      'pod-identity-associations/platform/eu-prod-1.json',
      'pod-identity-associations/platform/eu-prod-2.json',
      'pod-identity-associations/platform/eu-staging-1.json',
    ]);
    expect(c.files.get('spaces/aws-eu/helm/spaces-values.yaml')).not.toContain('role-arn');
    const ps = principals(c);
    expect(ps.map((p) => [p.id, p.environment, p.planes.map((s) => s.plane)])).toEqual([
      [arn(DEV_ROLE), 'dev', ['pay-dev-1', 'eu-dev-1']],
      [arn(PROD_ROLE), 'prod', ['pay-prod-1', 'eu-prod-1', 'eu-prod-2']],
      [arn(STAGING_ROLE), 'staging', ['eu-staging-1']],
    ]);
  });

  it("each association is the create-pod-identity-association input for the plane's controller", () => {
    expect(files.get('pod-identity-associations/platform/eu-prod-2.json')).toBe(
      `${JSON.stringify({ clusterName: CLUSTER, namespace: 'mxp-eu-prod-2-system', serviceAccount: 'external-secrets-controller', roleArn: arn(PROD_ROLE) }, null, 2)}\n`,
    );
    expect(jsonFile(files, 'pod-identity-associations/platform/eu-dev-1.json')).toEqual({
      clusterName: CLUSTER,
      namespace: hostNs(1),
      serviceAccount: 'external-secrets-controller',
      roleArn: arn(DEV_ROLE),
    });
    expect(files.get('README.md')).toContain(
      'aws eks create-pod-identity-association --cli-input-json file://pod-identity-associations/platform/eu-dev-1.json',
    );
  });

  it('the trust policy lets EKS Pod Identity of this cluster assume and tag the session, nobody else', async () => {
    const trust = jsonFile(files, `${PROD_ROLE}/trust-policy.json`);
    const ok = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': clusterArn };
    expect(await canAssume(trust, arn(PROD_ROLE), 'pods.eks.amazonaws.com', 'sts:AssumeRole', ok)).toBe('Allowed');
    expect(await canAssume(trust, arn(PROD_ROLE), 'pods.eks.amazonaws.com', 'sts:TagSession', ok)).toBe('Allowed');
    expect(
      await canAssume(trust, arn(PROD_ROLE), 'pods.eks.amazonaws.com', 'sts:AssumeRole', { ...ok, 'aws:SourceAccount': OTHER_ACCOUNT }),
    ).toBe('ImplicitlyDenied');
    expect(
      await canAssume(trust, arn(PROD_ROLE), 'pods.eks.amazonaws.com', 'sts:AssumeRole', { ...ok, 'aws:SourceArn': `${clusterArn}-2` }),
    ).toBe('ImplicitlyDenied');
    expect(await canAssume(trust, arn(PROD_ROLE), 'ec2.amazonaws.com', 'sts:AssumeRole', ok)).toBe('ImplicitlyDenied');
    expect(await canAssume(trust, arn(PROD_ROLE), `arn:aws:iam::${ACCOUNT}:user/admin`, 'sts:AssumeRole')).toBe('ImplicitlyDenied');
  });

  it('without a cluster region the trust policy checks the source account only', () => {
    const trust = jsonFile(iamFiles(platform('pod-identity').app.compile(), 'aws-eu'), `${PROD_ROLE}/trust-policy.json`);
    expect((trust.Statement as Policy[])[0]?.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
  });

  const expected: Record<string, string[]> = {
    [DEV_ROLE]: [SECRETS.devProvider, SECRETS.paymentsDev],
    [STAGING_ROLE]: [SECRETS.stagingApi],
    [PROD_ROLE]: [SECRETS.prodProvider, SECRETS.prodDb, SECRETS.prodTls, SECRETS.paymentsProd],
  };
  it.each(Object.keys(expected))('%s reads the secrets of its planes, and no secret of another environment', async (role) => {
    const policies = rolePolicies(files, role);
    for (const name of Object.values(SECRETS)) {
      expect(await canRoleDo(policies, GET, SM(name)), `${role} ${name}`).toBe(
        expected[role]?.includes(name) ? 'Allowed' : 'ImplicitlyDenied',
      );
    }
    expect(await canRoleDo(policies, GET, SM(UNREFERENCED))).toBe('ImplicitlyDenied');
  });

  it("following each plane's association to its role: the plane reads exactly the secrets synced to it (or to its environment)", async () => {
    const smSecrets = Object.values(t.secrets).filter((s) => s.store.provider instanceof AwsSecretsManager);
    for (const plane of Object.values(t.planes)) {
      const association = jsonFile<{ namespace: string; roleArn: string }>(
        files,
        `pod-identity-associations/${plane.group.name}/${plane.name}.json`,
      );
      expect(association.namespace).toBe(plane.hostNamespace);
      const role = association.roleArn.split('/')[1];
      const policies = rolePolicies(files, role);
      const sameEnv = Object.values(t.planes).filter((p) => p.environment === plane.environment);
      for (const secret of smSecrets) {
        const reached = c.placement.ofSecret(secret).map((r) => r.plane);
        const remote = secret.data[0]?.remoteKey ?? (secret.dataFrom[0] as { extract: { key: string } }).extract.key;
        const decision = await canRoleDo(policies, GET, SM(remote));
        if (reached.includes(plane)) expect(decision, `${plane.name} must read ${secret.name}`).toBe('Allowed');
        if (!reached.some((p) => sameEnv.includes(p)))
          expect(decision, `${plane.name} must not read ${secret.name}`).toBe('ImplicitlyDenied');
      }
    }
  });

  it('the prod role reads the Parameter Store hierarchy its find names, and no sibling', async () => {
    const prod = rolePolicies(files, PROD_ROLE);
    const dev = rolePolicies(files, DEV_ROLE);
    const byPath = 'ssm:GetParametersByPath';
    expect(await canRoleDo(prod, byPath, concreteParameterArn('/prod/shared-config'))).toBe('Allowed');
    expect(await canRoleDo(prod, byPath, concreteParameterArn('/prod/shared-config/'))).toBe('Allowed');
    expect(await canRoleDo(prod, byPath, concreteParameterArn('/prod/shared-config/team-a'))).toBe('Allowed');
    expect(await canRoleDo(prod, byPath, concreteParameterArn('/prod/shared-configuration'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(prod, byPath, concreteParameterArn('/prod'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(dev, byPath, concreteParameterArn('/prod/shared-config'))).toBe('ImplicitlyDenied');
  });

  it("kms:Decrypt only on the declared key, only through the store's service, only for the role that needs it", async () => {
    const prod = rolePolicies(files, PROD_ROLE);
    const keyPolicy = defaultKeyPolicy();
    const via = (svc: string) => ({ context: { 'kms:ViaService': `${svc}.${REGION}.amazonaws.com` }, resourcePolicy: keyPolicy });
    expect(await canRoleDo(prod, 'kms:Decrypt', PROD_KEY, via('secretsmanager'))).toBe('Allowed');
    expect(await canRoleDo(prod, 'kms:Decrypt', PROD_KEY, via('ssm'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(prod, 'kms:Decrypt', PROD_KEY, { resourcePolicy: keyPolicy })).toBe('ImplicitlyDenied');
    expect(await canRoleDo(prod, 'kms:Decrypt', DEV_KEY, via('secretsmanager'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(rolePolicies(files, DEV_ROLE), 'kms:Decrypt', PROD_KEY, via('secretsmanager'))).toBe('ImplicitlyDenied');
    for (const role of [DEV_ROLE, STAGING_ROLE]) expect(files.get(`${role}/permission-policy.json`)).not.toContain('kms:');
  });

  it('no role may list secrets: no dataFrom.find on Secrets Manager', async () => {
    for (const role of Object.keys(expected)) {
      expect(await canRoleDo(rolePolicies(files, role), 'secretsmanager:ListSecrets', '*'), role).toBe('ImplicitlyDenied');
      expect(files.get(`${role}/permission-policy.json`)).not.toMatch(/ListSecrets|BatchGetSecretValue|DescribeParameters/);
    }
  });

  it('a plane without environment gets a role of its own', () => {
    const s = scaled('pod-identity', { planes: 2, secretNames: ['app/a'] });
    const ids = principals(s.app.compile()).map((p) => [p.id, p.environment, p.planes.map((x) => x.plane)]);
    expect(ids).toEqual([
      [`arn:aws:iam::${ACCOUNT}:role/scale-g-p1-shared-secrets`, undefined, ['p1']],
      [`arn:aws:iam::${ACCOUNT}:role/scale-g-p2-shared-secrets`, undefined, ['p2']],
    ]);
  });
});

describe('permissions derived from what secrets reference', () => {
  /** One Space, one plane, one store per call; returns the role's policies and principal. */
  function single(provider: AwsSecretsManager | AwsParameterStore, secrets: readonly Omit<SharedSecretProps, 'store'>[], wide = false) {
    const app = new TopologyApp();
    const env = new Environment(app, 'prod');
    const space = new Space(app, 'one', { cloud: 'aws', identity: awsIdentity('irsa') });
    // find grants are wider than single secrets by nature; the access analysis flags them.
    if (wide) Guardrails.allow(space, 'wide-iam-grant', 'test: dataFrom.find');
    const g = new Group(space, 'g');
    new ControlPlane(g, 'p', { environment: env, controlPlaneId: uuid(1), namespaces: ['app'] });
    const store = new SecretStore(g, 'st', { provider, planes: Planes.inEnvironments(env), namespaces: Namespaces.named('app') });
    secrets.forEach((props, i) => new SharedSecret(g, `s${i}`, { ...props, store }));
    const c = app.compile();
    const files = iamFiles(c, 'one');
    return { c, files, policies: rolePolicies(files, 'one-shared-secrets'), principal: principals(c)[0] };
  }
  const sm = (props: Partial<ConstructorParameters<typeof AwsSecretsManager>[0]> = {}) =>
    new AwsSecretsManager({ region: REGION, ...props });
  const ps = (props: Partial<ConstructorParameters<typeof AwsParameterStore>[0]> = {}) =>
    new AwsParameterStore({ region: REGION, ...props });

  it('find by path: ListSecrets and BatchGetSecretValue on "*", reads under the prefix only', async () => {
    const { policies, principal } = single(sm(), [{ dataFrom: [{ find: { path: 'prod/app/', nameRegexp: '.*' } }] }], true);
    expect(await canRoleDo(policies, 'secretsmanager:ListSecrets', '*')).toBe('Allowed');
    expect(await canRoleDo(policies, 'secretsmanager:BatchGetSecretValue', '*')).toBe('Allowed');
    expect(await canRoleDo(policies, GET, SM('prod/app/db'))).toBe('Allowed');
    expect(await canRoleDo(policies, GET, SM('prod/other/db'))).toBe('ImplicitlyDenied');
    expect(principal.grants.find((g) => g.resource.endsWith('secret:prod/app/*'))?.wider).toContain('".*" cannot be expressed in IAM');
    expect(principal.grants.filter((g) => g.access === 'list').map((g) => [g.resource, g.neededBy])).toEqual([['*', ['one/g/s0']]]);
  });

  it('find by name pattern only: ListSecrets without BatchGetSecretValue, every secret of the region, marked wider', async () => {
    const { policies, principal } = single(sm(), [{ dataFrom: [{ find: { nameRegexp: '^looker-' } }] }], true);
    expect(await canRoleDo(policies, 'secretsmanager:ListSecrets', '*')).toBe('Allowed');
    expect(await canRoleDo(policies, 'secretsmanager:BatchGetSecretValue', '*')).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, GET, SM('anything'))).toBe('Allowed');
    expect(await canRoleDo(policies, GET, SM('anything').replace(REGION, 'us-east-1'))).toBe('ImplicitlyDenied');
    const grant = principal.grants.find((g) => g.access === 'read');
    expect(grant).toMatchObject({ resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:*`, neededBy: ['one/g/s0'] });
    expect(grant?.wider).toBe(
      `dataFrom.find.nameRegexp "^looker-" cannot be expressed in IAM: the grant covers every secret in ${REGION} of account ${ACCOUNT}`,
    );
  });

  it('a key written as a partial ARN (no suffix) grants the secret it names, suffix and all; a full ARN grants that secret only', async () => {
    const partial = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db`;
    const full = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/full-XyZ123`;
    const { policies } = single(sm(), [
      { data: [{ secretKey: 'a', remoteKey: partial }] },
      { data: [{ secretKey: 'b', remoteKey: full }] },
    ]);
    // IAM matches the secret's full ARN: the partial ARN as written would match nothing, and ESO would fail.
    expect(await canRoleDo(policies, GET, SM('prod/db'))).toBe('Allowed');
    expect(await canRoleDo(policies, GET, concreteSecretArn('prod/db', REGION, ACCOUNT, 'Zz99Yy'))).toBe('Allowed');
    expect(await canRoleDo(policies, GET, SM('prod/db-other'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, GET, SM('prod/dbx'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, GET, full)).toBe('Allowed');
    expect(await canRoleDo(policies, GET, SM('prod/full'))).toBe('ImplicitlyDenied');
  });

  it('find by tags: reads only secrets carrying every tag', async () => {
    const { policies, principal } = single(sm(), [{ dataFrom: [{ find: { tags: { team: 'a', tier: 'db' } } }] }]);
    const tag = (team: string, tier: string) => ({ context: { 'aws:ResourceTag/team': team, 'aws:ResourceTag/tier': tier } });
    expect(await canRoleDo(policies, GET, SM('x'), tag('a', 'db'))).toBe('Allowed');
    expect(await canRoleDo(policies, GET, SM('x'), tag('b', 'db'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, GET, SM('x'), tag('a', 'web'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, GET, SM('x'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, 'secretsmanager:BatchGetSecretValue', '*')).toBe('Allowed');
    expect(principal.grants.find((g) => g.access === 'read')?.condition).toBe(
      'StringEquals aws:ResourceTag/team="a" AND StringEquals aws:ResourceTag/tier="db"',
    );
  });

  it('Parameter Store: GetParameter(s) on the exact parameter, by-path and by-tags finds', async () => {
    const { policies } = single(ps(), [
      {
        data: [
          { secretKey: 'v', remoteKey: '/prod/db/password' },
          { secretKey: 'w', remoteKey: 'plain-name' },
        ],
      },
      { dataFrom: [{ find: { tags: { team: 'a' } } }] },
    ]);
    expect(await canRoleDo(policies, 'ssm:GetParameter', concreteParameterArn('/prod/db/password'))).toBe('Allowed');
    expect(await canRoleDo(policies, 'ssm:GetParameters', concreteParameterArn('/prod/db/password'))).toBe('Allowed');
    expect(await canRoleDo(policies, 'ssm:GetParameter', concreteParameterArn('plain-name'))).toBe('Allowed');
    expect(await canRoleDo(policies, 'ssm:GetParameter', concreteParameterArn('/prod/db/user'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, 'ssm:DescribeParameters', '*')).toBe('Allowed');
    expect(await canRoleDo(policies, 'ssm:GetParameter', concreteParameterArn('/x/y'), { context: { 'aws:ResourceTag/team': 'a' } })).toBe(
      'Allowed',
    );
    expect(await canRoleDo(policies, 'ssm:GetParameter', concreteParameterArn('/x/y'), { context: { 'aws:ResourceTag/team': 'b' } })).toBe(
      'ImplicitlyDenied',
    );
    expect(await canRoleDo(policies, 'ssm:GetParametersByPath', concreteParameterArn('/prod'))).toBe('ImplicitlyDenied');
  });

  it("uses the store's account, and an ARN remote key as it is (cross-account: the secret's policy must agree)", async () => {
    const arn = `arn:aws:secretsmanager:us-west-2:${OTHER_ACCOUNT}:secret:shared/token-Zx9Yw8`;
    const { policies, files } = single(sm({ accountId: OTHER_ACCOUNT }), [
      {
        data: [
          { secretKey: 'a', remoteKey: 'app/a' },
          { secretKey: 'b', remoteKey: arn },
        ],
      },
    ]);
    const secretPolicy = { resourcePolicy: allowSimulatedRole(GET) };
    expect(await canRoleDo(policies, GET, concreteSecretArn('app/a', REGION, OTHER_ACCOUNT), secretPolicy)).toBe('Allowed');
    expect(await canRoleDo(policies, GET, concreteSecretArn('app/a', REGION, OTHER_ACCOUNT))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, GET, concreteSecretArn('app/a', REGION, ACCOUNT))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, GET, arn, secretPolicy)).toBe('Allowed');
    expect(files.get('README.md')).toContain(`Resources in another account (${OTHER_ACCOUNT})`);
  });

  it("a store with its own role: only sts:AssumeRole on that role, the secrets are that role's", async () => {
    const { policies, files, principal } = single(sm({ role: CHAINED_ROLE, kmsKeyArns: [PROD_KEY] }), [
      { data: [{ secretKey: 'a', remoteKey: 'app/a' }] },
    ]);
    expect(await canRoleDo(policies, 'sts:AssumeRole', CHAINED_ROLE, { resourcePolicy: allowSimulatedRole('sts:AssumeRole') })).toBe(
      'Allowed',
    );
    expect(
      await canRoleDo(policies, 'sts:AssumeRole', CHAINED_ROLE.replace('eso-reader', 'admin'), {
        resourcePolicy: allowSimulatedRole('sts:AssumeRole'),
      }),
    ).toBe('ImplicitlyDenied');
    expect(await canRoleDo(policies, GET, SM('app/a'))).toBe('ImplicitlyDenied');
    expect(files.get('one-shared-secrets/permission-policy.json')).not.toMatch(/secretsmanager|kms/);
    expect(files.get('README.md')).toContain(`\`${CHAINED_ROLE}\``);
    // The access analysis learns that the role assumes the chained role, and what that role must grant.
    expect(principal.grants).toEqual([
      { access: 'assume', resource: CHAINED_ROLE, neededBy: ['one/g/s0'] },
      {
        access: 'decrypt',
        resource: PROD_KEY,
        neededBy: ['one/g/s0'],
        condition: `StringEquals kms:ViaService="secretsmanager.${REGION}.amazonaws.com"`,
        via: CHAINED_ROLE,
      },
      {
        access: 'read',
        resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:app/a-??????`,
        neededBy: ['one/g/s0'],
        via: CHAINED_ROLE,
      },
    ]);
  });

  it('grants say who needs them, for the access analysis', () => {
    const t = platform('pod-identity');
    const prod = principals(t.app.compile()).find((p) => p.environment === 'prod') as CloudPrincipal;
    expect(prod.stores).toEqual(['aws-eu/payments/payments-sm-prod', 'aws-eu/platform/aws-ps-prod', 'aws-eu/platform/aws-sm-prod']);
    expect(prod.planes).toContainEqual({
      space: 'aws-eu',
      group: 'platform',
      plane: 'eu-prod-2',
      environment: 'prod',
      hostNamespace: 'mxp-eu-prod-2-system',
    });
    expect(prod.grants.map((g) => [g.access, g.resource.split(':').slice(2).join(':'), g.neededBy])).toEqual([
      ['decrypt', `kms:${REGION}:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`, ['aws-eu/payments/stripe-api-key']],
      ['read', `secretsmanager:${REGION}:${ACCOUNT}:secret:prod/eu-prod-1/tls-??????`, ['aws-eu/platform/eu-prod-1-tls']],
      ['read', `secretsmanager:${REGION}:${ACCOUNT}:secret:prod/payments/stripe-??????`, ['aws-eu/payments/stripe-api-key']],
      ['read', `secretsmanager:${REGION}:${ACCOUNT}:secret:prod/platform/provider-aws-??????`, ['aws-eu/platform/provider-aws-prod']],
      ['read', `secretsmanager:${REGION}:${ACCOUNT}:secret:prod/team-a/db-??????`, ['aws-eu/platform/db-credentials']],
      ['read', `ssm:${REGION}:${ACCOUNT}:parameter/prod/shared-config`, ['aws-eu/platform/team-config']],
      ['read', `ssm:${REGION}:${ACCOUNT}:parameter/prod/shared-config/*`, ['aws-eu/platform/team-config']],
    ]);
  });
});

describe("stores authenticate with the Space's controller", () => {
  const storeOf = (c: Compilation) =>
    (
      c.manifests.find((m) => m.path.endsWith('/sharedsecretstore-aws-sm-prod.yaml'))?.object as {
        spec: { provider: { aws: Record<string, unknown> } };
      }
    ).spec.provider.aws;
  it('irsa: the documented auth.jwt.serviceAccountRef naming external-secrets-controller (the annotated service account)', () => {
    expect(storeOf(platform('irsa').app.compile())).toEqual({
      service: 'SecretsManager',
      region: REGION,
      auth: { jwt: { serviceAccountRef: { name: 'external-secrets-controller' } } },
    });
  });
  it('irsa with storeAuth "ambient", and pod-identity: no auth block (the SDK default chain)', () => {
    for (const c of [platform('irsa', { storeAuth: 'ambient' } as AwsRoleOptions).app.compile(), platform('pod-identity').app.compile()])
      expect(storeOf(c)).toEqual({ service: 'SecretsManager', region: REGION });
  });
});

describe('problems', () => {
  it('a served plane without a known host namespace: set controlPlaneId or hostNamespace', () => {
    for (const mode of ['irsa', 'pod-identity'] as const) {
      const app = new TopologyApp();
      const env = new Environment(app, 'dev');
      const space = new Space(app, 'eks', { cloud: 'aws', identity: awsIdentity(mode) });
      const g = new Group(space, 'g');
      new ControlPlane(g, 'fresh', { environment: env, namespaces: ['app'] });
      const st = new SecretStore(g, 'sm', {
        provider: new AwsSecretsManager({ region: REGION }),
        planes: Planes.inEnvironments(env),
        namespaces: Namespaces.named('app'),
      });
      new SharedSecret(g, 's', { store: st, data: [{ secretKey: 'v', remoteKey: 'app/v' }] });
      const problems = app.problems().filter((p) => p.message.includes('served by AWS store'));
      expect(problems).toHaveLength(1);
      expect(problems[0]?.path).toBe('eks/g/fresh');
      expect(problems[0]?.message).toContain(
        `control plane "fresh" is served by AWS store "sm" through the workload identity of Space "eks"`,
      );
      expect(problems[0]?.message).toContain(
        `set controlPlaneId (kubectl get controlplane fresh -n g -o jsonpath='{.status.controlPlaneID}') or hostNamespace.`,
      );
      expect(() => app.compile()).toThrow(TopologyError);
    }
  });

  it('invalid identity settings are reported on the Space, each with its fix', () => {
    const app = new TopologyApp();
    new Space(app, 'a', {
      cloud: 'aws',
      identity: SpaceIdentity.awsIrsa({
        accountId: '1234',
        oidcIssuer: 'oidc.eks.example.com/id/X',
        roleNamePrefix: 'bad prefix/',
        trustPolicyMaxChars: 5000,
        maxManagedPoliciesPerRole: 21,
      }),
    });
    new Space(app, 'b', {
      cloud: 'aws',
      identity: SpaceIdentity.awsPodIdentity({
        accountId: ACCOUNT,
        clusterName: '-bad',
        region: 'europe',
      }),
    });
    const messages = app.problems().map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual([
      'a: identity: accountId "1234" is not an AWS account ID: use the 12 digits, e.g. "123456789012".',
      expect.stringMatching(
        /^a: identity: oidcIssuer "oidc\.eks\.example\.com\/id\/X" is not a URL: use a URL starting with "https:\/\/".* The cluster's issuer is/,
      ),
      'a: identity: roleNamePrefix "bad prefix/" cannot start IAM role names: use at most 32 letters, digits and +=,.@_- (e.g. "platform-").',
      'a: identity: trustPolicyMaxChars 5000 is out of range: a role trust policy can have at most 4096 characters (2048 unless the quota was raised); use a whole number from 1 to 4096.',
      'a: identity: maxManagedPoliciesPerRole 21 is out of range: a role can have at most 20 managed policies (10 unless the quota was raised); use a whole number from 1 to 20.',
      "b: identity: clusterName \"-bad\" is not an EKS cluster name: use 1-100 letters, digits, '-' and '_', starting with a letter or digit.",
      'b: identity: region "europe" is not an AWS region: use a region code such as "eu-central-1".',
    ]);
  });

  it('a permissionPolicy outside the closed list is a type problem of the identity, reported on the Space', () => {
    const app = new TopologyApp();
    new Space(app, 'b', {
      cloud: 'aws',
      identity: SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: 'c', permissionPolicy: 'attached' as 'managed' }),
    });
    expect(app.problems().map((p) => `${p.path}: ${p.message}`)).toEqual([
      'b: identity: permissionPolicy "attached" is not supported: expected one of "managed", "inline"; use one of those.',
    ]);
  });
});

describe('determinism and naming', () => {
  it('same model, same bytes; declaration order does not matter', () => {
    const names = ['b/second', 'a/first', 'c/third'];
    const one = iamFiles(scaled('irsa', { planes: 3, secretNames: names }).app.compile(), 'scale');
    const again = iamFiles(scaled('irsa', { planes: 3, secretNames: names }).app.compile(), 'scale');
    const reversed = iamFiles(scaled('irsa', { planes: 3, secretNames: [...names].reverse() }).app.compile(), 'scale');
    expect([...again]).toEqual([...one]);
    expect([...reversed]).toEqual([...one]);
  });

  it('statement keys come in review order: Sid, Effect, Principal, Action, Resource, Condition', () => {
    const files = iamFiles(platform('irsa').app.compile(), 'aws-eu');
    const trust = jsonFile(files, `${IRSA_ROLE}/trust-policy.json`);
    expect(Object.keys(trust)).toEqual(['Version', 'Statement']);
    expect(Object.keys((trust.Statement as Policy[])[0])).toEqual(['Sid', 'Effect', 'Principal', 'Action', 'Condition']);
    const perm = jsonFile(files, `${IRSA_ROLE}/permission-policy.json`);
    const statements = perm.Statement as Policy[];
    expect(statements.map((s) => s.Sid)).toEqual(['SecretsManagerRead', 'ParameterStoreFindByPath', 'KmsDecryptViaSecretsManager']);
    expect(Object.keys(statements[2])).toEqual(['Sid', 'Effect', 'Action', 'Resource', 'Condition']);
    for (const s of statements) expect(s.Resource).toEqual([...(s.Resource as string[])].sort());
  });

  it('a role name prefix applies to roles and managed policies', () => {
    const c = platform('pod-identity', { roleNamePrefix: 'plat-' }).app.compile();
    expect(principals(c).map((p) => p.id)).toEqual(
      ['dev', 'prod', 'staging'].map((e) => `arn:aws:iam::${ACCOUNT}:role/plat-aws-eu-${e}-shared-secrets`),
    );
    expect(iamFiles(c, 'aws-eu').get('README.md')).toContain(
      `aws iam create-policy --policy-name plat-aws-eu-prod-shared-secrets --policy-document file://plat-aws-eu-prod-shared-secrets/permission-policy.json`,
    );
  });

  it('a long role name is cut to 64 characters and stays unique', () => {
    const app = new TopologyApp();
    const long = 'a'.repeat(30);
    const env1 = new Environment(app, `${long}-1`);
    const env2 = new Environment(app, `${long}-2`);
    const space = new Space(app, 'space-with-a-long-name', { cloud: 'aws', identity: awsIdentity('pod-identity') });
    const g = new Group(space, 'g');
    for (const [i, env] of [env1, env2].entries()) {
      new ControlPlane(g, `p${i}`, { environment: env, controlPlaneId: uuid(i + 1), namespaces: ['app'] });
      const st = new SecretStore(g, `sm${i}`, {
        provider: new AwsSecretsManager({ region: REGION }),
        planes: Planes.inEnvironments(env),
        namespaces: Namespaces.named('app'),
      });
      new SharedSecret(g, `s${i}`, { store: st, data: [{ secretKey: 'v', remoteKey: `app/${i}` }] });
    }
    const names = principals(app.compile()).map((p) => p.id.split('/')[1]);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const n of names) {
      expect(n.length).toBe(64);
      expect(n).toMatch(/^space-with-a-long-name-a{30}-[12]-[0-9a-f]{8}$/);
    }
  });

  it('the issuer in the trust policy has no scheme and no trailing slash', () => {
    const app = new TopologyApp();
    const env = new Environment(app, 'dev');
    const space = new Space(app, 's', { cloud: 'aws', identity: SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: `${ISSUER}/` }) });
    const g = new Group(space, 'g');
    new ControlPlane(g, 'p', { environment: env, controlPlaneId: uuid(1), namespaces: ['app'] });
    const st = new SecretStore(g, 'sm', {
      provider: new AwsSecretsManager({ region: REGION }),
      planes: Planes.inEnvironments(env),
      namespaces: Namespaces.named('app'),
    });
    new SharedSecret(g, 'x', { store: st, data: [{ secretKey: 'v', remoteKey: 'app/v' }] });
    const trust = iamFiles(app.compile(), 's').get('s-shared-secrets/trust-policy.json') as string;
    expect(trust).toContain(`"arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_HOST}"`);
    expect(trust).toContain(`"${ISSUER_HOST}:sub"`);
    expect(trust).not.toContain('https://');
  });
});
