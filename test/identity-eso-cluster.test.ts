/**
 * The identity stage for plain ESO clusters: the same planners as for Spaces, with ESO's controller
 * service account as the only subject and the cluster's external secrets (reads) and push secrets
 * (writes) as the needs. AWS documents are evaluated by iam-simulate; Azure and GCP documents are
 * checked field by field.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  AwsParameterStore,
  AwsSecretsManager,
  AzureKeyVault,
  EsoCluster,
  EsoExternalSecret,
  EsoPushSecret,
  EsoSecretStore,
  GcpSecretManager,
  Namespaces,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
  type CloudPrincipal,
  type Compilation,
} from '../lib/index.js';
import { AccessMatrix } from '../lib/analysis/access.js';
import { evaluateGuardrails } from '../lib/analysis/guardrails.js';
import {
  canAssume,
  canRoleDo,
  concreteParameterArn,
  concreteSecretArn,
  serviceAccountSub,
  webIdentityRequest,
  aliasIssuer,
} from './fixtures/aws-iam-sim.js';
import { ACCOUNT, CLUSTER, ISSUER, ISSUER_HOST, OTHER_ACCOUNT, REGION } from './fixtures/aws-topologies.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';
import { problems } from './support/compile.js';

type Json = Record<string, any>;

const ESO_NS = 'external-secrets';
const ESO_SA = 'external-secrets';
const ROLE = 'apps-external-secrets';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const DIR = 'clusters/apps/iam/aws';

/** An EKS cluster running ESO with the given AWS identity: Secrets Manager and Parameter Store stores on the identity, one with static keys. */
function awsCluster(identity: SpaceIdentity, props: { roleArn?: string } = {}) {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  const cluster = new EsoCluster(app, 'apps', { cloud: 'aws', identity, ...props });
  const sm = new EsoSecretStore(cluster, 'sm', {
    provider: new AwsSecretsManager({ region: REGION }),
    namespaces: Namespaces.named('team-a', 'team-b'),
  });
  const ps = new EsoSecretStore(cluster, 'ps', { namespace: 'team-a', provider: new AwsParameterStore({ region: REGION }) });
  const keyed = new EsoSecretStore(cluster, 'keyed', {
    namespace: 'team-b',
    provider: new AwsSecretsManager({ region: REGION, credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-keys' }) }),
  });
  new EsoExternalSecret(cluster, 'db', {
    store: sm,
    namespace: 'team-a',
    data: [{ secretKey: 'u', remoteKey: 'prod/db', property: 'username' }],
  });
  new EsoExternalSecret(cluster, 'registry', {
    store: sm,
    namespaces: Namespaces.named('team-a', 'team-b'),
    dataFrom: [{ extract: { key: 'shared/registry' } }],
  });
  new EsoExternalSecret(cluster, 'flags', { store: ps, dataFrom: [{ find: { path: '/team-a/flags/', nameRegexp: '.*' } }] });
  new EsoExternalSecret(cluster, 'static-read', { store: keyed, data: [{ secretKey: 'k', remoteKey: 'static/only' }] });
  new EsoPushSecret(cluster, 'tls-backup', {
    store: sm,
    namespace: 'team-a',
    secretName: 'tls',
    deletionPolicy: 'Delete',
    data: [
      { secretKey: 'tls.crt', remoteKey: 'backup/tls', property: 'crt' },
      { secretKey: 'tls.key', remoteKey: 'backup/tls', property: 'key' },
    ],
  });
  new EsoPushSecret(cluster, 'kept', {
    store: sm,
    namespace: 'team-a',
    secretName: 'kept',
    data: [{ secretKey: 'v', remoteKey: 'backup/kept' }],
  });
  new EsoPushSecret(cluster, 'cfg', { store: ps, secretName: 'cfg', data: [{ secretKey: 'x', remoteKey: '/team-a/pushed' }] });
  return { app, cluster };
}

function principals(c: Compilation): readonly CloudPrincipal[] {
  return c.context.identity.principals;
}

function files(c: Compilation, dir: string): Map<string, string> {
  return new Map([...c.files].filter(([p]) => p.startsWith(`${dir}/`)).map(([p, v]) => [p.slice(dir.length + 1), v]));
}

function json(c: Compilation, path: string): Json {
  const text = c.files.get(path);
  if (text === undefined) throw new Error(`no file ${path}; have ${[...c.files.keys()].filter((p) => p.includes('/iam/')).join(', ')}`);
  return JSON.parse(text) as Json;
}

const irsa = () => SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: ISSUER });
const SM = (name: string) => concreteSecretArn(name);
const PS = (name: string) => concreteParameterArn(name);
const TAGGED = { 'aws:ResourceTag/managed-by': 'external-secrets' };
/** The tags of ESO's CreateSecret (and of the TagResource it implies): managed-by=external-secrets in the request. */
const CREATE_TAGGED = { 'aws:RequestTag/managed-by': 'external-secrets', 'aws:TagKeys': ['managed-by'] };

describe('AWS IRSA: the role of an ESO cluster', () => {
  const c = awsCluster(irsa()).app.compile();
  const policy = json(c, `${DIR}/${ROLE}/permission-policy.json`);
  const trust = json(c, `${DIR}/${ROLE}/trust-policy.json`);

  it('writes the role, its trust and permission policy and a README under clusters/<cluster>/iam/aws/', () => {
    expect([...files(c, DIR).keys()]).toEqual(['README.md', `${ROLE}/permission-policy.json`, `${ROLE}/trust-policy.json`]);
    const readme = c.files.get(`${DIR}/README.md`) ?? '';
    expect(readme).toContain('# AWS IAM for the ESO controller of cluster "apps"');
    expect(readme).toContain(`aws iam create-role --role-name ${ROLE} --assume-role-policy-document file://${ROLE}/trust-policy.json`);
    expect(readme).toContain(`aws iam attach-role-policy --role-name ${ROLE} --policy-arn arn:aws:iam::${ACCOUNT}:policy/${ROLE}`);
  });

  it('the ESO Helm values annotate the controller with the generated role', () => {
    const v = parse(c.files.get('clusters/apps/helm/eso-values.yaml') ?? '');
    expect(v.serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE_ARN });
  });

  it("only ESO's controller service account can assume the role", async () => {
    const statement = (trust.Statement as Json[])[0];
    expect(statement.Condition).toEqual({
      StringEquals: { [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com', [`${ISSUER_HOST}:sub`]: [serviceAccountSub(ESO_NS, ESO_SA)] },
    });
    const sim = aliasIssuer(trust, ISSUER_HOST);
    const ok = webIdentityRequest(serviceAccountSub(ESO_NS, ESO_SA));
    expect(await canAssume(sim, ROLE_ARN, ok.principal, ok.action, ok.context)).toBe('Allowed');
    for (const sub of [serviceAccountSub(ESO_NS, 'default'), serviceAccountSub('team-a', ESO_SA), serviceAccountSub('mxp-x-system')]) {
      const r = webIdentityRequest(sub);
      expect(await canAssume(sim, ROLE_ARN, r.principal, r.action, r.context), sub).toBe('ImplicitlyDenied');
    }
  });

  it("reads what the external secrets reference, and nothing else (not the static store's secrets)", async () => {
    const p = [policy];
    for (const name of ['prod/db', 'shared/registry'])
      expect(await canRoleDo(p, 'secretsmanager:GetSecretValue', SM(name)), name).toBe('Allowed');
    for (const name of ['prod/unreferenced', 'static/only', 'prod/db/child'])
      expect(await canRoleDo(p, 'secretsmanager:GetSecretValue', SM(name)), name).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'ssm:GetParametersByPath', PS('team-a/flags'))).toBe('Allowed');
    expect(await canRoleDo(p, 'ssm:GetParametersByPath', PS('team-b/flags'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'secretsmanager:GetSecretValue', SM('prod/db').replace(ACCOUNT, OTHER_ACCOUNT))).toBe('ImplicitlyDenied');
  });

  it('pushes: creates (tagged), writes (its own) and reads the pushed secrets only', async () => {
    const p = [policy];
    for (const name of ['backup/tls', 'backup/kept']) {
      for (const action of ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'])
        expect(await canRoleDo(p, action, SM(name), { context: CREATE_TAGGED }), `${action} ${name}`).toBe('Allowed');
      expect(await canRoleDo(p, 'secretsmanager:PutSecretValue', SM(name), { context: TAGGED }), name).toBe('Allowed');
      for (const action of ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'])
        expect(await canRoleDo(p, action, SM(name)), `${action} ${name}`).toBe('Allowed');
    }
    for (const name of ['prod/db', 'shared/registry', 'backup/other']) {
      for (const action of ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'])
        expect(await canRoleDo(p, action, SM(name), { context: CREATE_TAGGED }), `${action} ${name}`).toBe('ImplicitlyDenied');
      expect(await canRoleDo(p, 'secretsmanager:PutSecretValue', SM(name), { context: TAGGED }), name).toBe('ImplicitlyDenied');
    }
    expect(await canRoleDo(p, 'ssm:PutParameter', PS('team-a/pushed'))).toBe('Allowed');
    expect(await canRoleDo(p, 'ssm:AddTagsToResource', PS('team-a/pushed'))).toBe('Allowed');
    expect(await canRoleDo(p, 'ssm:GetParameter', PS('team-a/pushed'))).toBe('Allowed');
    expect(await canRoleDo(p, 'ssm:PutParameter', PS('team-a/flags/x'))).toBe('ImplicitlyDenied');
  });

  it('DeleteSecret only on a pushed secret with deletionPolicy Delete, and only while it carries managed-by=external-secrets', async () => {
    const p = [policy];
    expect(await canRoleDo(p, 'secretsmanager:DeleteSecret', SM('backup/tls'), { context: TAGGED })).toBe('Allowed');
    expect(
      await canRoleDo(p, 'secretsmanager:DeleteSecret', SM('backup/tls'), { context: { 'aws:ResourceTag/managed-by': 'terraform' } }),
    ).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'secretsmanager:DeleteSecret', SM('backup/tls'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'secretsmanager:DeleteSecret', SM('backup/kept'), { context: TAGGED })).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'secretsmanager:DeleteSecret', SM('prod/db'), { context: TAGGED })).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'ssm:DeleteParameter', PS('team-a/pushed'), { context: TAGGED })).toBe('ImplicitlyDenied');
  });

  it('cannot make a secret it did not create deletable: no managed-by tag on an existing secret, so no DeleteSecret', async () => {
    const p = [policy];
    const arn = SM('backup/tls');
    // A standalone TagResource / UntagResource names the secret (secretsmanager:SecretId); tagging inside CreateSecret does not.
    const standalone = (extra: Record<string, string | string[]>) => ({ context: { 'secretsmanager:SecretId': arn, ...extra } });
    const attacks: Record<string, string | string[]>[] = [
      { ...CREATE_TAGGED },
      { 'aws:RequestTag/managed-by': 'external-secrets', 'aws:TagKeys': ['team', 'managed-by'] },
      { ...CREATE_TAGGED, 'aws:ResourceTag/managed-by': 'terraform' },
      { ...CREATE_TAGGED, 'aws:ResourceTag/owner': 'someone' },
    ];
    for (const attack of attacks)
      expect(await canRoleDo(p, 'secretsmanager:TagResource', arn, standalone(attack)), JSON.stringify(attack)).toBe('ExplicitlyDenied');
    // Nor can it move the tag around: untagging managed-by from a secret that is not ESO's is refused too.
    expect(
      await canRoleDo(
        p,
        'secretsmanager:UntagResource',
        arn,
        standalone({ 'aws:TagKeys': ['managed-by'], 'aws:ResourceTag/managed-by': 'terraform' }),
      ),
    ).toBe('ExplicitlyDenied');
    // The secret stays untagged, so it cannot be deleted.
    expect(await canRoleDo(p, 'secretsmanager:DeleteSecret', arn, standalone({}))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'secretsmanager:PutSecretValue', arn, standalone({}))).toBe('ImplicitlyDenied');
  });

  it('still creates, tags and deletes its own pushed secrets, as ESO does', async () => {
    const p = [policy];
    const arn = SM('backup/tls');
    expect(await canRoleDo(p, 'secretsmanager:CreateSecret', arn, { context: CREATE_TAGGED })).toBe('Allowed');
    expect(await canRoleDo(p, 'secretsmanager:TagResource', arn, { context: CREATE_TAGGED })).toBe('Allowed');
    expect(await canRoleDo(p, 'secretsmanager:CreateSecret', arn)).toBe('ImplicitlyDenied');
    expect(
      await canRoleDo(p, 'secretsmanager:CreateSecret', arn, {
        context: { 'aws:RequestTag/managed-by': 'terraform', 'aws:TagKeys': ['managed-by'] },
      }),
    ).toBe('ImplicitlyDenied');
    const own = { 'secretsmanager:SecretId': arn, ...TAGGED };
    expect(await canRoleDo(p, 'secretsmanager:TagResource', arn, { context: { ...own, ...CREATE_TAGGED } })).toBe('Allowed');
    expect(await canRoleDo(p, 'secretsmanager:PutSecretValue', arn, { context: own })).toBe('Allowed');
    expect(await canRoleDo(p, 'secretsmanager:DeleteSecret', arn, { context: own })).toBe('Allowed');
  });

  it('writes the guard as a Deny statement of the permission policy, and no grant', () => {
    const guard = (policy.Statement as Json[]).find((st) => st.Sid === 'SecretsManagerGuardManagedByTag');
    expect(guard).toMatchObject({
      Effect: 'Deny',
      Action: ['secretsmanager:TagResource', 'secretsmanager:UntagResource'],
      Condition: {
        'ForAnyValue:StringEquals': { 'aws:TagKeys': 'managed-by' },
        Null: { 'secretsmanager:SecretId': 'false' },
        StringNotEquals: { 'aws:ResourceTag/managed-by': 'external-secrets' },
      },
    });
    const grants = principals(c).flatMap((pr) => pr.grants);
    expect(grants.some((g) => (g.condition ?? '').includes('SecretId'))).toBe(false);
  });

  it('Parameter Store: DeleteParameter with deletionPolicy Delete, only on tagged parameters', async () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const cluster = new EsoCluster(app, 'apps', { cloud: 'aws', identity: irsa() });
    const ps = new EsoSecretStore(cluster, 'ps', { namespace: 'a', provider: new AwsParameterStore({ region: REGION }) });
    new EsoPushSecret(cluster, 'cfg', {
      store: ps,
      secretName: 'cfg',
      deletionPolicy: 'Delete',
      data: [{ secretKey: 'x', remoteKey: '/a/pushed' }],
    });
    const p = [json(app.compile(), `${DIR}/${ROLE}/permission-policy.json`)];
    expect(await canRoleDo(p, 'ssm:DeleteParameter', PS('a/pushed'), { context: TAGGED })).toBe('Allowed');
    expect(await canRoleDo(p, 'ssm:DeleteParameter', PS('a/pushed'), { context: { 'aws:ResourceTag/managed-by': 'someone' } })).toBe(
      'ImplicitlyDenied',
    );
    expect(await canRoleDo(p, 'ssm:DeleteParameter', PS('a/other'), { context: TAGGED })).toBe('ImplicitlyDenied');
  });

  it('publishes the role as a principal of the cluster (no planes) with read and write grants', () => {
    const [pr] = principals(c);
    expect(principals(c)).toHaveLength(1);
    expect(pr).toMatchObject({
      id: ROLE_ARN,
      cloud: 'aws',
      kind: 'aws-iam-role',
      cluster: { cluster: 'apps', namespace: ESO_NS, serviceAccount: ESO_SA },
      planes: [],
      stores: ['apps/ps', 'apps/sm'],
    });
    expect(pr?.space).toBeUndefined();
    const writes = pr?.grants.filter((g) => g.access === 'write').map((g) => [g.resource, g.condition ?? '', g.neededBy]);
    expect(writes).toEqual([
      [
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:backup/kept-??????`,
        'StringEquals aws:RequestTag/managed-by="external-secrets"',
        ['apps/kept'],
      ],
      [
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:backup/kept-??????`,
        'StringEquals aws:ResourceTag/managed-by="external-secrets"',
        ['apps/kept'],
      ],
      [
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:backup/tls-??????`,
        'StringEquals aws:RequestTag/managed-by="external-secrets"',
        ['apps/tls-backup'],
      ],
      [
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:backup/tls-??????`,
        'StringEquals aws:ResourceTag/managed-by="external-secrets"',
        ['apps/tls-backup'],
      ],
      [`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/team-a/pushed`, '', ['apps/cfg']],
      // ESO removes tags the push metadata no longer lists, on parameters it manages.
      [
        `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/team-a/pushed`,
        'StringEquals aws:ResourceTag/managed-by="external-secrets"',
        ['apps/cfg'],
      ],
    ]);
  });

  it('the access analysis and the guardrails see the principal: exact grants, no wide-grant error, the report renders it', () => {
    const app = awsCluster(irsa()).app;
    const compiled = app.compile();
    const facts = compiled.context.identity;
    const m = AccessMatrix.compute(app, compiled.placement, facts);
    expect(m.principals.filter((p) => p.kind === 'aws-iam-role').map((p) => [p.id, p.cluster?.cluster, p.space])).toEqual([
      [ROLE_ARN, 'apps', undefined],
    ]);
    // The static keys of the namespaced store are a principal too (the cluster's users can use them).
    expect(m.principals.filter((p) => p.kind === 'static-credentials').map((p) => p.id)).toEqual([
      'clusters/apps/external-secrets/aws-keys',
    ]);
    const report = evaluateGuardrails(app, compiled.placement, facts, m);
    expect(report.errors.filter((f) => f.rule === 'wide-iam-grant')).toEqual([]);
    expect(compiled.files.get('REPORT.md')).toContain(`ESO cluster \`apps\`: its controller \`${ESO_NS}/${ESO_SA}\` acts as it`);
  });

  it('a find by name without a path is a wide grant the guardrail points at the cluster', () => {
    const p = problems((app) => {
      const cluster = new EsoCluster(app, 'apps', { cloud: 'aws', identity: irsa() });
      const sm = new EsoSecretStore(cluster, 'sm', { namespace: 'a', provider: new AwsSecretsManager({ region: REGION }) });
      new EsoExternalSecret(cluster, 'all', { store: sm, dataFrom: [{ find: { nameRegexp: '^app-' } }] });
    });
    expect(p.join('\n')).toMatch(
      /^apps: guardrail "wide-iam-grant": IAM role arn:aws:iam::111122223333:role\/apps-external-secrets \(ESO cluster "apps"\) has read access to/m,
    );
  });
});

describe('AWS: role name, roleArn and Pod Identity', () => {
  it("roleNamePrefix applies to the cluster's role and its annotation", () => {
    const c = awsCluster(SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: ISSUER, roleNamePrefix: 'platform-' })).app.compile();
    expect(c.files.has(`${DIR}/platform-apps-external-secrets/trust-policy.json`)).toBe(true);
    expect(parse(c.files.get('clusters/apps/helm/eso-values.yaml') ?? '').serviceAccount.annotations).toEqual({
      'eks.amazonaws.com/role-arn': `arn:aws:iam::${ACCOUNT}:role/platform-apps-external-secrets`,
    });
  });

  it('roleArn names the generated role: the annotation and the IAM documents agree', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/eso-apps`;
    const c = awsCluster(irsa(), { roleArn: arn }).app.compile();
    expect(parse(c.files.get('clusters/apps/helm/eso-values.yaml') ?? '').serviceAccount.annotations).toEqual({
      'eks.amazonaws.com/role-arn': arn,
    });
    expect([...files(c, DIR).keys()]).toEqual(['README.md', 'eso-apps/permission-policy.json', 'eso-apps/trust-policy.json']);
    expect(principals(c).map((p) => p.id)).toEqual([arn]);
  });

  it('refuses a roleArn in another account, with a path, or for a non-AWS identity', () => {
    const p = problems((app) => {
      new EsoCluster(app, 'a', { cloud: 'aws', identity: irsa(), roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/eso` });
      new EsoCluster(app, 'b', { cloud: 'aws', identity: irsa(), roleArn: `arn:aws:iam::${ACCOUNT}:role/team/eso` });
      new EsoCluster(app, 'c', {
        cloud: 'gcp',
        identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-x1', projectNumber: '123456789012' }),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/eso`,
      });
    });
    expect(p).toEqual([
      `a: roleArn "arn:aws:iam::${OTHER_ACCOUNT}:role/eso" is in account ${OTHER_ACCOUNT} (partition aws), but the cluster's identity creates its roles in account "${ACCOUNT}" (partition aws), so the generated IAM role would not be the one ESO assumes: use "arn:aws:iam::${ACCOUNT}:role/eso", or remove roleArn (the role is then "a-external-secrets").`,
      `b: roleArn "arn:aws:iam::${ACCOUNT}:role/team/eso" has a path ("team/"), but the generated role has none: use "arn:aws:iam::${ACCOUNT}:role/eso", or remove roleArn (the role is then "b-external-secrets").`,
      "c: roleArn is set, but the cluster's identity is gcp-principal (acme-x1.svc.id.goog): roleArn is only used with an AWS identity (SpaceIdentity.awsIrsa(...) or awsPodIdentity(...)); remove it or set that identity.",
    ]);
  });

  it("Pod Identity: the trust policy trusts EKS, one association for ESO's service account, no annotation", async () => {
    const c = awsCluster(SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: CLUSTER, region: REGION })).app.compile();
    expect([...files(c, DIR).keys()]).toEqual([
      'README.md',
      `${ROLE}/permission-policy.json`,
      `${ROLE}/trust-policy.json`,
      'pod-identity-association.json',
    ]);
    expect(json(c, `${DIR}/pod-identity-association.json`)).toEqual({
      clusterName: CLUSTER,
      namespace: ESO_NS,
      serviceAccount: ESO_SA,
      roleArn: ROLE_ARN,
    });
    expect(c.files.get(`${DIR}/README.md`)).toContain(
      'aws eks create-pod-identity-association --cli-input-json file://pod-identity-association.json',
    );
    expect(parse(c.files.get('clusters/apps/helm/eso-values.yaml') ?? '').serviceAccount.annotations).toEqual({});
    const trust = json(c, `${DIR}/${ROLE}/trust-policy.json`);
    const context = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}` };
    expect(await canAssume(trust, ROLE_ARN, 'pods.eks.amazonaws.com', 'sts:AssumeRole', context)).toBe('Allowed');
    expect(
      await canAssume(trust, ROLE_ARN, 'pods.eks.amazonaws.com', 'sts:AssumeRole', {
        ...context,
        'aws:SourceArn': `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/other`,
      }),
    ).toBe('ImplicitlyDenied');
  });

  it('nothing under iam/ for a cluster whose stores all have static credentials', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const cluster = new EsoCluster(app, 'apps', { cloud: 'aws', identity: irsa() });
    const keyed = new EsoSecretStore(cluster, 'keyed', {
      namespace: 'a',
      provider: new AwsSecretsManager({ region: REGION, credentials: StaticCredentials.awsAccessKey({ secretName: 'k' }) }),
    });
    new EsoExternalSecret(cluster, 's', { store: keyed, data: [{ secretKey: 'k', remoteKey: 'x' }] });
    const c = app.compile();
    expect([...c.files.keys()].filter((p) => p.includes('/iam/'))).toEqual([]);
    expect(principals(c)).toEqual([]);
  });
});

const AZ = {
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b',
  principalId: '9c8b7a6f-5e4d-4c3b-8a29-1f0e9d8c7b6a',
  subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  resourceGroup: 'rg-eso',
  identityName: 'eso',
  oidcIssuer: 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/1a2b/',
};
const VAULT = `/subscriptions/${AZ.subscriptionId}/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/kv-apps`;

describe('Azure workload identity of an ESO cluster', () => {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  const cluster = new EsoCluster(app, 'aks', {
    cloud: 'azure',
    identity: SpaceIdentity.azureWorkloadIdentity(AZ),
    namespace: 'eso',
    serviceAccountName: 'eso-controller',
  });
  const kv = new EsoSecretStore(cluster, 'kv', {
    namespace: 'a',
    provider: new AzureKeyVault({ vaultUrl: 'https://kv-apps.vault.azure.net', resourceId: VAULT }),
  });
  const legacy = new EsoSecretStore(cluster, 'legacy', {
    namespace: 'a',
    provider: new AzureKeyVault({ vaultUrl: 'https://kv-legacy.vault.azure.net', authorization: 'access-policy' }),
  });
  new EsoExternalSecret(cluster, 'dsn', {
    store: kv,
    data: [
      { secretKey: 'dsn', remoteKey: 'dsn' },
      { secretKey: 'both', remoteKey: 'pushed-and-read' },
    ],
  });
  new EsoPushSecret(cluster, 'push', {
    store: kv,
    secretName: 'src',
    deletionPolicy: 'Delete',
    data: [
      { secretKey: 'a', remoteKey: 'pushed' },
      { secretKey: 'b', remoteKey: 'pushed-and-read' },
    ],
  });
  new EsoExternalSecret(cluster, 'old', { store: legacy, data: [{ secretKey: 'x', remoteKey: 'x' }] });
  new EsoPushSecret(cluster, 'push-legacy', { store: legacy, secretName: 'src', data: [{ secretKey: 'a', remoteKey: 'written' }] });
  const c = app.compile();
  const dir = 'clusters/aks/iam/azure';

  it("writes the identity, one federated credential for ESO's service account, role assignments, access policies and a README", () => {
    expect([...files(c, dir).keys()].sort()).toEqual([
      'README.md',
      'access-policies.json',
      'federated-credentials.json',
      'managed-identity.json',
      'role-assignments.json',
    ]);
    expect(JSON.parse(c.files.get(`${dir}/federated-credentials.json`) ?? '')).toEqual([
      {
        name: 'aks-eso-eso-controller',
        issuer: AZ.oidcIssuer,
        subject: 'system:serviceaccount:eso:eso-controller',
        audiences: ['api://AzureADTokenExchange'],
        cluster: { cluster: 'aks', namespace: 'eso', serviceAccount: 'eso-controller' },
      },
    ]);
    expect(json(c, `${dir}/managed-identity.json`).federatedCredentials).toEqual({ count: 1, limit: 20 });
  });

  it('RBAC: Secrets User on each read secret, Secrets Officer on each pushed secret (which covers its reads)', () => {
    const ra = JSON.parse(c.files.get(`${dir}/role-assignments.json`) ?? '') as Json[];
    expect(
      ra.map((r) => [
        r.scope.slice(VAULT.length),
        r.roleDefinitionName,
        r.roleDefinitionId.split('/').pop(),
        r.principalId,
        r.principalType,
        r.neededBy,
        r.description,
      ]),
    ).toEqual([
      [
        '/secrets/dsn',
        'Key Vault Secrets User',
        '4633458b-17de-408a-b874-0445c86b69e6',
        AZ.principalId,
        'ServicePrincipal',
        ['aks/dsn'],
        'External Secrets of cluster "aks": read secret "dsn"',
      ],
      [
        '/secrets/pushed',
        'Key Vault Secrets Officer',
        'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
        AZ.principalId,
        'ServicePrincipal',
        ['aks/push'],
        'External Secrets of cluster "aks": push (write) secret "pushed"',
      ],
      [
        '/secrets/pushed-and-read',
        'Key Vault Secrets Officer',
        'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
        AZ.principalId,
        'ServicePrincipal',
        ['aks/dsn', 'aks/push'],
        'External Secrets of cluster "aks": push (write) secret "pushed-and-read"',
      ],
    ]);
    for (const r of ra)
      expect(r.roleDefinitionId).toBe(
        `/subscriptions/${AZ.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${r.roleDefinitionId.split('/').pop()}`,
      );
  });

  it('access policies: get and set on the vault (no delete without deletionPolicy Delete)', () => {
    expect(JSON.parse(c.files.get(`${dir}/access-policies.json`) ?? '')).toEqual([
      {
        vaultName: 'kv-legacy',
        vaultUrl: 'https://kv-legacy.vault.azure.net',
        tenantId: AZ.tenantId,
        objectId: AZ.principalId,
        permissions: { secrets: ['get', 'set'] },
        neededBy: ['aks/old', 'aks/push-legacy'],
      },
    ]);
  });

  it("publishes the managed identity as the cluster's principal with read and write grants", () => {
    const [pr] = principals(c);
    expect(pr).toMatchObject({
      kind: 'azure-managed-identity',
      cluster: { cluster: 'aks', namespace: 'eso', serviceAccount: 'eso-controller' },
      planes: [],
    });
    expect(pr?.grants.filter((g) => g.access === 'write').map((g) => [g.resource.replace(VAULT, '<vault>'), g.neededBy])).toEqual([
      ['<vault>/secrets/pushed', ['aks/push']],
      ['<vault>/secrets/pushed-and-read', ['aks/push']],
      ['https://kv-legacy.vault.azure.net', ['aks/push-legacy']],
    ]);
  });

  it('the README names the officer role and the commands', () => {
    const readme = c.files.get(`${dir}/README.md`) ?? '';
    expect(readme).toContain('# Azure workload identity of the ESO controller of cluster "aks"');
    expect(readme).toContain('--subject system:serviceaccount:eso:eso-controller');
    expect(readme).toContain('--role b86a8fe4-44ce-4948-aee5-eccb2c155cd7');
    expect(readme).toContain('--secret-permissions get set');
  });

  it("counts the cluster's credential against the identity's limit of 20 together with Spaces that share it", () => {
    const p = problems((a) => {
      for (let i = 0; i < 21; i++) {
        const cl = new EsoCluster(a, `c${i}`, { cloud: 'azure', identity: SpaceIdentity.azureWorkloadIdentity(AZ) });
        const s = new EsoSecretStore(cl, 'kv', {
          namespace: 'a',
          provider: new AzureKeyVault({ vaultUrl: 'https://kv-apps.vault.azure.net', resourceId: VAULT }),
        });
        new EsoExternalSecret(cl, 'x', { store: s, data: [{ secretKey: 'x', remoteKey: 'x' }] });
      }
    });
    expect(p[0]).toContain(
      'managed identity "eso" would need 21 federated identity credentials (one per control-plane host namespace that reads secrets through it, one per ESO cluster, over ESO clusters',
    );
  });
});

describe('GCP workload identity of an ESO cluster', () => {
  const build = (identity: SpaceIdentity) => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const cluster = new EsoCluster(app, 'gke', { cloud: 'gcp', identity });
    const gsm = new EsoSecretStore(cluster, 'gsm', {
      namespace: 'a',
      provider: new GcpSecretManager({ projectId: 'acme-sec', projectNumber: '999999999999' }),
    });
    new EsoExternalSecret(cluster, 'key', { store: gsm, data: [{ secretKey: 'k', remoteKey: 'api-key' }] });
    new EsoPushSecret(cluster, 'push', {
      store: gsm,
      secretName: 'src',
      deletionPolicy: 'Delete',
      data: [{ secretKey: 'a', remoteKey: 'pushed' }],
    });
    return app.compile();
  };
  const dir = 'clusters/gke/iam/gcp';
  const MEMBER =
    'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-x1.svc.id.goog/subject/ns/external-secrets/sa/external-secrets';

  it("principal identifiers: ESO's service account reads, adds versions to and creates / deletes exactly the pushed secrets", () => {
    const c = build(SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-x1', projectNumber: '123456789012' }));
    expect([...files(c, dir).keys()].sort()).toEqual([
      'README.md',
      'acme-sec/custom-role-externalSecretsPush.json',
      'acme-sec/iam-policy-bindings.json',
    ]);
    const policy = json(c, `${dir}/acme-sec/iam-policy-bindings.json`);
    expect(policy.version).toBe(3);
    expect((policy.bindings as Json[]).map((b) => [b.role, b.members, b.condition?.expression])).toEqual([
      ['projects/acme-sec/roles/externalSecretsPush', [MEMBER], 'resource.name == "projects/999999999999/secrets/pushed"'],
      [
        'roles/secretmanager.secretAccessor',
        [MEMBER],
        'resource.name.startsWith("projects/999999999999/secrets/api-key/") || resource.name.startsWith("projects/999999999999/secrets/pushed/")',
      ],
      ['roles/secretmanager.secretVersionAdder', [MEMBER], 'resource.name == "projects/999999999999/secrets/pushed"'],
    ]);
    expect(json(c, `${dir}/acme-sec/custom-role-externalSecretsPush.json`).includedPermissions).toEqual([
      'secretmanager.secrets.create',
      'secretmanager.secrets.delete',
      'secretmanager.secrets.get',
    ]);
    const [pr] = principals(c);
    expect(pr).toMatchObject({ id: MEMBER, kind: 'gcp-principal', cluster: { cluster: 'gke' }, planes: [], stores: ['gke/gsm'] });
    expect(pr?.grants.filter((g) => g.access === 'write')).toEqual([
      {
        access: 'write',
        resource: 'projects/999999999999/secrets/pushed',
        condition: 'resource.name == "projects/999999999999/secrets/pushed"',
        neededBy: ['gke/push'],
      },
    ]);
    expect(c.files.get(`${dir}/README.md`)).toContain(
      'gcloud iam roles create externalSecretsPush --project acme-sec --file acme-sec/custom-role-externalSecretsPush.json',
    );
  });

  it("impersonation: the Google service account is granted, and ESO's service account may impersonate it", () => {
    const c = build(
      SpaceIdentity.gcpImpersonation({
        projectId: 'acme-x1',
        projectNumber: '123456789012',
        serviceAccountEmail: 'eso-secrets@acme-x1.iam.gserviceaccount.com',
      }),
    );
    expect(json(c, `${dir}/service-account-iam-policy.json`)).toEqual({
      bindings: [
        { role: 'roles/iam.workloadIdentityUser', members: ['serviceAccount:acme-x1.svc.id.goog[external-secrets/external-secrets]'] },
      ],
      version: 1,
    });
    const policy = json(c, `${dir}/acme-sec/iam-policy-bindings.json`);
    expect(new Set((policy.bindings as Json[]).flatMap((b) => b.members))).toEqual(
      new Set(['serviceAccount:eso-secrets@acme-x1.iam.gserviceaccount.com']),
    );
    expect(principals(c).map((p) => [p.id, p.kind, p.cluster?.cluster])).toEqual([
      ['eso-secrets@acme-x1.iam.gserviceaccount.com', 'gcp-service-account', 'gke'],
    ]);
  });

  it('a store without projectNumber is refused, naming the cluster', () => {
    const p = problems((app) => {
      const cl = new EsoCluster(app, 'gke', {
        cloud: 'gcp',
        identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-x1', projectNumber: '123456789012' }),
      });
      const s = new EsoSecretStore(cl, 'gsm', { namespace: 'a', provider: new GcpSecretManager({ projectId: 'acme-sec' }) });
      new EsoExternalSecret(cl, 'k', { store: s, data: [{ secretKey: 'k', remoteKey: 'k' }] });
    });
    expect(p).toEqual([
      expect.stringContaining(
        'gke/gsm: store "gsm" reads GCP Secret Manager project "acme-sec" with the GCP workload identity of ESO cluster "gke"',
      ),
    ]);
  });
});

describe("ESO cluster identities are checked like a Space's", () => {
  it('reports bad identity settings at the cluster, whether or not a store uses the identity', () => {
    const p = problems((app) => {
      new EsoCluster(app, 'a', { cloud: 'aws', identity: SpaceIdentity.awsIrsa({ accountId: '1234', oidcIssuer: ISSUER }) });
      new EsoCluster(app, 'g', { cloud: 'gcp', identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-x1', projectNumber: 'x' }) });
    });
    expect(p).toEqual([
      'a: identity: accountId "1234" is not an AWS account ID: use the 12 digits, e.g. "123456789012".',
      expect.stringMatching(/^g: identity: projectNumber "x" is not a GCP project number/),
    ]);
  });
});

describeWithCrds('ESO objects of clusters with generated IAM still validate against the ESO CRDs', () => {
  it('every manifest of the AWS, Azure and GCP test clusters', async () => {
    const v = await CrdValidator.load({ include: ['external-secrets'] });
    const outs = [
      awsCluster(irsa()).app.compile(),
      awsCluster(SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: CLUSTER })).app.compile(),
    ];
    const errors = outs.flatMap((o) => o.manifests.flatMap(({ path, object }) => v.validate(object).map((e) => `${path}: ${e}`)));
    expect(errors).toEqual([]);
    expect(outs.flatMap((o) => o.manifests).length).toBeGreaterThanOrEqual(20);
  });
});
