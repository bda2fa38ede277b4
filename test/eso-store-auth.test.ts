/**
 * Issue 16, store side: the documented IRSA form of a SharedSecretStore
 * (`auth.jwt.serviceAccountRef: { name: external-secrets-controller }`, the default) and the ambient
 * form (`storeAuth: 'ambient'`, no auth block); the Secrets Manager store options
 * `forceDeleteWithoutRecovery` / `recoveryWindowInDays` (exclusive, window 7-30). Every emitted
 * object is validated against the real CRDs (schema and CEL).
 */
import { beforeAll, expect, it } from 'vitest';
import {
  AwsParameterStore,
  AwsSecretsManager,
  ControlPlane,
  EsoCluster,
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
  type AwsSecretsManagerProps,
  type Compilation,
} from '../lib/index.js';
import { ACCOUNT, CLUSTER, ISSUER, REGION, uuid } from './fixtures/aws-topologies.js';
import { compile, problems } from './support/compile.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';

type Json = Record<string, any>;

function space(app: TopologyApp, identity: SpaceIdentity | undefined, provider: AwsSecretsManager | AwsParameterStore) {
  const s = new Space(app, 'eks', { cloud: 'aws', ...(identity ? { identity } : {}) });
  const g = new Group(s, 'platform', { requireEnvironment: false });
  const p1 = new ControlPlane(g, 'p1', { controlPlaneId: uuid(1), namespaces: ['default'] });
  const store = new SecretStore(g, 'sm', { provider, planes: Planes.named(p1), namespaces: Namespaces.named('default') });
  new SharedSecret(g, 'db', { store, data: [{ secretKey: 'password', remoteKey: 'prod/db' }] });
}

function storeObject(c: Compilation): Json {
  const m = c.manifests.find((x) => x.path.endsWith('sharedsecretstore-sm.yaml'));
  if (!m) throw new Error('no SharedSecretStore');
  return m.object;
}

const irsa = (storeAuth?: 'service-account-ref' | 'ambient') =>
  SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: ISSUER, ...(storeAuth ? { storeAuth } : {}) });

describeWithCrds('store authentication and Secrets Manager store options', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['spaces/v1.17', 'external-secrets'] });
  });
  const valid = (c: Compilation) => {
    for (const m of c.manifests) expect(v.validate(m.object), m.path).toEqual([]);
  };

  it('IRSA: the documented auth.jwt.serviceAccountRef naming external-secrets-controller, by default', () => {
    const c = compile((app) => space(app, irsa(), new AwsSecretsManager({ region: REGION })));
    expect(storeObject(c).spec.provider.aws).toEqual({
      service: 'SecretsManager',
      region: REGION,
      auth: { jwt: { serviceAccountRef: { name: 'external-secrets-controller' } } },
    });
    valid(c);
    // The role is still annotated on that service account: the reference and the Helm values agree.
    expect(c.files.get('spaces/eks/helm/spaces-values.yaml')).toContain('eks.amazonaws.com/role-arn');
  });

  it('IRSA with storeAuth "ambient": no auth block (the SDK default chain)', () => {
    const c = compile((app) => space(app, irsa('ambient'), new AwsParameterStore({ region: REGION })));
    expect(storeObject(c).spec.provider.aws).toEqual({ service: 'ParameterStore', region: REGION });
    valid(c);
  });

  it('Pod Identity and static keys never get the service-account reference', () => {
    const pod = compile((app) =>
      space(app, SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: CLUSTER }), new AwsSecretsManager({ region: REGION })),
    );
    expect(storeObject(pod).spec.provider.aws.auth).toBeUndefined();
    const keys = compile((app) =>
      space(
        app,
        irsa(),
        new AwsSecretsManager({ region: REGION, credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-keys' }) }),
      ),
    );
    expect(Object.keys(storeObject(keys).spec.provider.aws.auth)).toEqual(['secretRef']);
    valid(keys);
  });

  it('a plain ESO cluster keeps the ambient form with an IRSA identity (its controller uses its own credentials)', () => {
    const c = compile((app) => {
      const cluster = new EsoCluster(app, 'apps', { cloud: 'aws', identity: irsa() });
      new EsoSecretStore(cluster, 'sm', { namespace: 'a', provider: new AwsSecretsManager({ region: REGION }) });
    });
    const store = c.manifests.find((m) => m.path.includes('secretstore-sm'))?.object as Json;
    expect(store.spec.provider.aws.auth).toBeUndefined();
    valid(c);
  });

  it('refuses an unknown storeAuth, naming both forms', () => {
    const p = problems((app) => space(app, irsa('jwt' as 'ambient'), new AwsSecretsManager({ region: REGION })));
    expect(p.join('\n')).toContain(
      'identity: storeAuth "jwt" is not supported: expected one of "service-account-ref", "ambient"; use one of those.',
    );
  });

  it('forceDeleteWithoutRecovery and recoveryWindowInDays land in provider.aws.secretsManager, on both targets', () => {
    for (const props of [{ forceDeleteWithoutRecovery: true }, { recoveryWindowInDays: 7 }, { recoveryWindowInDays: 30 }]) {
      const c = compile((app) => {
        space(app, irsa(), new AwsSecretsManager({ region: REGION, ...props }));
        const cluster = new EsoCluster(app, 'apps', { cloud: 'aws', identity: irsa() });
        new EsoSecretStore(cluster, 'sm', { namespace: 'a', provider: new AwsSecretsManager({ region: REGION, ...props }) });
      });
      expect(storeObject(c).spec.provider.aws.secretsManager).toEqual(props);
      const plain = c.manifests.find((m) => m.path.startsWith('clusters/') && m.path.includes('secretstore-sm'))?.object as Json;
      expect(plain.spec.provider.aws.secretsManager).toEqual(props);
      valid(c);
    }
    // Not set: no block at all.
    const none = compile((app) => space(app, irsa(), new AwsSecretsManager({ region: REGION })));
    expect(storeObject(none).spec.provider.aws.secretsManager).toBeUndefined();
  });

  it('refuses a window outside 7-30, a fraction, a string, both options together, and the options on Parameter Store', () => {
    const bad = (props: Partial<AwsSecretsManagerProps>) =>
      problems((app) => space(app, irsa(), new AwsSecretsManager({ region: REGION, ...props }))).join('\n');
    for (const days of [0, 6, 31, -7]) {
      expect(bad({ recoveryWindowInDays: days }), String(days)).toContain(
        'is not a recovery window Secrets Manager accepts: use a whole number of days from 7 to 30',
      );
    }
    // Not a whole number at all: a type problem of the props schema.
    for (const days of [7.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(bad({ recoveryWindowInDays: days }), String(days)).toContain(
        'provider: recoveryWindowInDays has the wrong type: expected a whole number',
      );
    expect(bad({ recoveryWindowInDays: '7' as unknown as number })).toContain(
      'recoveryWindowInDays has the wrong type: expected a whole number, got "7" (a string); write the number without quotes.',
    );
    expect(bad({ forceDeleteWithoutRecovery: 'yes' as unknown as boolean })).toContain(
      'forceDeleteWithoutRecovery has the wrong type: expected a boolean (true or false), got "yes" (a string)',
    );
    const both = bad({ forceDeleteWithoutRecovery: true, recoveryWindowInDays: 10 });
    expect(both).toContain('eks/platform/sm:');
    expect(both).toContain('exclude each other');
    // false with a window is what ESO accepts.
    expect(bad({ forceDeleteWithoutRecovery: false, recoveryWindowInDays: 10 })).toBe('');
    const ps = problems((app) =>
      space(app, irsa(), new AwsParameterStore({ region: REGION, recoveryWindowInDays: 7 } as unknown as AwsSecretsManagerProps)),
    ).join('\n');
    expect(ps).toContain('recoveryWindowInDays is an option of AWS Secrets Manager stores');
  });
});
