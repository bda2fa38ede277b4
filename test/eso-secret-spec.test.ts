/**
 * Issue 16, secret side: `dataFrom[].rewrite` (regexp and transform) and `remoteRef.metadataPolicy:
 * Fetch` (the tags instead of the value) through the public API, on the Spaces and the plain ESO
 * targets, validated against the real CRDs (schema and CEL); the IAM of a tag read, evaluated by
 * iam-simulate (DescribeSecret / ListTagsForResource, never the value); the import reads both back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  AzureKeyVault,
  AwsParameterStore,
  AwsSecretsManager,
  ControlPlane,
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
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
  type DataFromSource,
  type SecretData,
} from '../lib/index.js';
import { canRoleDo, concreteParameterArn, concreteSecretArn } from './fixtures/aws-iam-sim.js';
import { ACCOUNT, ISSUER, REGION, uuid } from './fixtures/aws-topologies.js';
import { compile, problems } from './support/compile.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';
import { importInto, runGenerated, scratchDir, yamlFiles } from './support/import.js';

type Json = Record<string, any>;

const REWRITES = [
  { regexp: { source: '^prod/team-a/', target: '' } },
  { regexp: { source: '(?P<word>[a-z]+)-(\\d+)', target: '${word}_$2' } },
  { transform: { template: '{{ .value | upper }}' } },
] as const;

function spaceWith(
  app: TopologyApp,
  provider: AwsSecretsManager | AwsParameterStore | AzureKeyVault,
  data: SecretData[],
  dataFrom: DataFromSource[],
) {
  const s = new Space(app, 'eks', { cloud: 'aws', identity: SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: ISSUER }) });
  const g = new Group(s, 'platform', { requireEnvironment: false });
  const p1 = new ControlPlane(g, 'p1', { controlPlaneId: uuid(1), namespaces: ['default'] });
  const store = new SecretStore(g, 'st', { provider, planes: Planes.named(p1), namespaces: Namespaces.named('default') });
  new SharedSecret(g, 'app', { store, data, dataFrom });
}

const secretSpec = (c: Compilation): Json =>
  (c.manifests.find((m) => m.path.endsWith('sharedexternalsecret-app.yaml'))?.object as Json).spec.externalSecretSpec;

const policyOf = (c: Compilation): Json => {
  const path = [...c.files.keys()].find((p) => p.startsWith('spaces/eks/iam/aws/') && p.endsWith('permission-policy.json'));
  return JSON.parse(c.files.get(path ?? '') ?? '{}') as Json;
};

describeWithCrds('dataFrom rewrite and metadataPolicy Fetch', () => {
  let v: CrdValidator;
  let dir: string;
  let remove: () => void;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['spaces/v1.17', 'external-secrets'] });
    ({ dir, remove } = scratchDir());
  });
  afterAll(() => remove());
  const valid = (c: Compilation) => {
    for (const m of c.manifests) expect(v.validate(m.object), m.path).toEqual([]);
  };

  it('rewrites land on their dataFrom entry in order, on the Spaces and the plain ESO target', () => {
    const dataFrom: DataFromSource[] = [
      { extract: { key: 'prod/team-a/db' }, rewrite: REWRITES },
      { find: { path: 'prod/team-a/', nameRegexp: '.*' }, rewrite: [REWRITES[0]] },
    ];
    const c = compile((app) => {
      spaceWith(app, new AwsSecretsManager({ region: REGION }), [], dataFrom);
      const cluster = new EsoCluster(app, 'apps', { cloud: 'aws' });
      const store = new EsoSecretStore(cluster, 'keys', {
        namespace: 'a',
        provider: new AwsSecretsManager({ region: REGION, credentials: StaticCredentials.awsAccessKey({ secretName: 'k' }) }),
      });
      new EsoExternalSecret(cluster, 'app', { store, dataFrom });
    });
    const spec = secretSpec(c);
    expect(spec.dataFrom[0]).toEqual({ extract: { key: 'prod/team-a/db' }, rewrite: REWRITES });
    expect(spec.dataFrom[1].rewrite).toEqual([REWRITES[0]]);
    const plain = c.manifests.find((m) => m.path.startsWith('clusters/') && m.path.includes('externalsecret-app'))?.object as Json;
    expect(plain.spec.dataFrom).toEqual(spec.dataFrom);
    valid(c);
  });

  it('refuses a rewrite with two kinds, none, an unknown kind, a bad regexp, a missing target, an empty template or not a list', () => {
    const bad = (rewrite: unknown) =>
      problems((app) =>
        spaceWith(app, new AwsSecretsManager({ region: REGION }), [], [{ extract: { key: 'a' }, rewrite } as unknown as DataFromSource]),
      ).join('\n');
    expect(bad([{ regexp: { source: 'a', target: 'b' }, transform: { template: 'x' } }])).toContain(
      'eks/platform/app: dataFrom[0].rewrite[0] must set exactly one of regexp ({ source, target }) or transform ({ template }) (it sets regexp and transform: split it into two rewrites, applied in order).',
    );
    expect(bad([{}])).toContain('dataFrom[0].rewrite[0] must set exactly one of regexp');
    // A kind the model does not offer is an unknown prop (props are checked strictly).
    expect(bad([{ merge: { into: 'x' } }])).toContain(
      'dataFrom[0].rewrite[0].merge is not a known prop (props are checked strictly: a misspelt prop would be ignored silently): remove it; the props here are "regexp", "transform".',
    );
    expect(bad([{ regexpp: { source: 'a', target: 'b' } }])).toContain('dataFrom[0].rewrite[0].regexpp is not a known prop');
    expect(bad([{ regexpp: { source: 'a', target: 'b' } }])).toContain('did you mean "regexp"? Rename it.');
    expect(bad([{ regexp: { source: '(', target: '' } }])).toContain(
      'dataFrom[0].rewrite[0].regexp.source "(" is not a regular expression (ESO compiles it with Go\'s RE2 syntax)',
    );
    expect(bad([{ regexp: { source: '', target: '' } }])).toContain('regexp.source must be a non-empty regular expression');
    // Wrong types are type problems of the props schema.
    expect(bad([{ regexp: { source: 'a' } }])).toContain('dataFrom[0].rewrite[0].regexp.target is required: expected a string');
    expect(bad([{ regexp: { source: 7, target: '' } }])).toContain(
      'dataFrom[0].rewrite[0].regexp.source has the wrong type: expected a string, got 7 (a number)',
    );
    expect(bad([{ transform: 'upper' }])).toContain('dataFrom[0].rewrite[0].transform has the wrong type: expected an object');
    expect(bad([{ transform: { template: '  ' } }])).toContain('dataFrom[0].rewrite[0].transform.template must be a non-empty Go template');
    expect(bad({ regexp: { source: 'a', target: 'b' } })).toContain('dataFrom[0].rewrite has the wrong type: expected a list of rewrites');
    expect(bad([REWRITES[2], { transform: {} }])).toContain('dataFrom[0].rewrite[1].transform.template is required');
  });

  it('metadataPolicy Fetch is emitted on the remoteRef (None stays implicit)', () => {
    const c = compile((app) =>
      spaceWith(
        app,
        new AwsSecretsManager({ region: REGION }),
        [
          { secretKey: 'tags', remoteKey: 'prod/db', metadataPolicy: 'Fetch' },
          { secretKey: 'owner', remoteKey: 'prod/db', property: 'owner', metadataPolicy: 'Fetch' },
          { secretKey: 'password', remoteKey: 'prod/api', metadataPolicy: 'None' },
        ],
        [],
      ),
    );
    const data = secretSpec(c).data as Json[];
    expect(data.map((d) => d.remoteRef)).toEqual([
      { key: 'prod/db', metadataPolicy: 'Fetch' },
      { key: 'prod/db', property: 'owner', metadataPolicy: 'Fetch' },
      { key: 'prod/api', metadataPolicy: 'None' },
    ]);
    valid(c);
  });

  it('Secrets Manager: a tag read grants DescribeSecret on that secret, and not its value', async () => {
    const c = compile((app) =>
      spaceWith(
        app,
        new AwsSecretsManager({ region: REGION }),
        [
          { secretKey: 'tags', remoteKey: 'prod/db', metadataPolicy: 'Fetch' },
          { secretKey: 'password', remoteKey: 'prod/api' },
        ],
        [],
      ),
    );
    const p = [policyOf(c)];
    const db = concreteSecretArn('prod/db');
    expect(await canRoleDo(p, 'secretsmanager:DescribeSecret', db)).toBe('Allowed');
    expect(await canRoleDo(p, 'secretsmanager:GetSecretValue', db)).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'secretsmanager:DescribeSecret', concreteSecretArn('prod/other'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'secretsmanager:GetSecretValue', concreteSecretArn('prod/api'))).toBe('Allowed');
    const sids = (policyOf(c).Statement as Json[]).map((s) => s.Sid);
    expect(sids).toEqual(['SecretsManagerRead', 'SecretsManagerReadTags']);
    // The access analysis still sees the tag read as a read of the secret (conservative).
    const grants = c.context.identity.principals.flatMap((pr) => pr.grants);
    expect(grants.some((g) => g.resource === 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:prod/db-??????')).toBe(true);
  });

  it('Parameter Store: a tag read grants ListTagsForResource on that parameter, and not GetParameter', async () => {
    const c = compile((app) =>
      spaceWith(
        app,
        new AwsParameterStore({ region: REGION }),
        [{ secretKey: 'tags', remoteKey: '/prod/db', metadataPolicy: 'Fetch' }],
        [],
      ),
    );
    const p = [policyOf(c)];
    const param = concreteParameterArn('prod/db');
    expect(await canRoleDo(p, 'ssm:ListTagsForResource', param)).toBe('Allowed');
    expect(await canRoleDo(p, 'ssm:GetParameter', param)).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'ssm:ListTagsForResource', concreteParameterArn('prod/other'))).toBe('ImplicitlyDenied');
  });

  it('refuses an unknown metadataPolicy, and Fetch on a backend whose tag read the IAM does not cover', () => {
    const bad = (provider: AwsSecretsManager | AzureKeyVault, policy: string) =>
      problems((app) => spaceWith(app, provider, [{ secretKey: 'k', remoteKey: 'db', metadataPolicy: policy as 'Fetch' }], [])).join('\n');
    expect(bad(new AwsSecretsManager({ region: REGION }), 'fetch')).toContain(
      'data[0].metadataPolicy "fetch" is not supported: expected one of "None", "Fetch"; use one of those.',
    );
    expect(bad(new AwsSecretsManager({ region: REGION }), 'Tags')).toContain('expected one of "None", "Fetch"');
    const azure = bad(
      new AzureKeyVault({
        vaultUrl: 'https://kv.vault.azure.net/',
        tenantId: '00000000-0000-4000-8000-000000000001',
        credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
      }),
      'Fetch',
    );
    expect(azure).toContain('data["k"].metadataPolicy "Fetch" is not supported with Azure Key Vault here');
  });

  it('import: rewrites and metadataPolicy Fetch come back as props, and the objects synthesize equal', async () => {
    const first = compile((app) =>
      spaceWith(
        app,
        new AwsSecretsManager({ region: REGION }),
        [{ secretKey: 'tags', remoteKey: 'prod/db', metadataPolicy: 'Fetch' }],
        [{ extract: { key: 'prod/team-a/db' }, rewrite: REWRITES }],
      ),
    );
    const result = importInto(yamlFiles(first), dir);
    expect(result.items.filter((i) => i.severity === 'unmapped')).toEqual([]);
    expect(result.code).toContain("metadataPolicy: 'Fetch'");
    expect(result.code).toContain("{ regexp: { source: '^prod/team-a/', target: '' } },");
    const again = (await runGenerated(result.code, dir)).compile();
    expect(secretSpec(again)).toEqual(secretSpec(first));
  });
});
