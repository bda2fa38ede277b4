/**
 * Issue 16 item 1: a store's own identity (`StoreIdentity.awsIrsa`, ESO's per-team IRSA role). The
 * store carries `auth.jwt.serviceAccountRef` naming its service account (CRD-validated), gets a role
 * of its own trusted only by that service account in the host namespaces of the planes it is
 * projected into, with its secrets only (evaluated by iam-simulate), and leaves the Space's role.
 * The access analysis knows the role: a dev plane cannot read a prod store's secrets through it
 * unless the store is projected there, and one role named by a dev and a prod store is flagged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AwsParameterStore,
  AwsSecretsManager,
  ControlPlane,
  EsoCluster,
  EsoExternalSecret,
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
  StoreIdentity,
  TopologyApp,
  type Compilation,
  type StoreIrsaProps,
} from '../lib/index.js';
import { AccessMatrix } from '../lib/analysis/access.js';
import { ACCOUNT, CLUSTER, ISSUER, ISSUER_HOST, REGION, uuid } from './fixtures/aws-topologies.js';
import { aliasIssuer, canAssume, canRoleDo, concreteSecretArn, serviceAccountSub, webIdentityRequest } from './fixtures/aws-iam-sim.js';
import { compile, problems } from './support/compile.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';

type Json = Record<string, any>;

const irsa = () => SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: ISSUER });
const host = (n: number) => `mxp-${uuid(n)}-system`;

interface Options {
  readonly teamIdentity?: StoreIrsaProps;
  readonly devIdentity?: StoreIrsaProps;
  /** Project the prod team store into the dev plane too. */
  readonly teamInDev?: boolean;
  readonly spaceIdentity?: SpaceIdentity;
}

/** One Space, a dev and a prod plane; a prod store with its own identity, a dev store on the Space's role. */
function topology(app: TopologyApp, o: Options = {}) {
  const dev = new Environment(app, 'dev', {});
  const prod = new Environment(app, 'prod', { production: true });
  const space = new Space(app, 'eks', { cloud: 'aws', identity: o.spaceIdentity ?? irsa() });
  const g = new Group(space, 'platform');
  const devPlane = new ControlPlane(g, 'dev-1', { environment: dev, controlPlaneId: uuid(1), namespaces: ['default'] });
  const prodPlane = new ControlPlane(g, 'prod-1', { environment: prod, controlPlaneId: uuid(2), namespaces: ['default'] });
  const team = new SecretStore(g, 'team-a', {
    provider: new AwsSecretsManager({
      region: REGION,
      identity: StoreIdentity.awsIrsa(o.teamIdentity ?? { serviceAccount: 'team-a-secrets' }),
    }),
    planes: o.teamInDev ? Planes.named(prodPlane, devPlane) : Planes.named(prodPlane),
    namespaces: Namespaces.named('default'),
    environment: prod,
  });
  const devStore = new SecretStore(g, 'dev', {
    provider: new AwsSecretsManager({ region: REGION, ...(o.devIdentity ? { identity: StoreIdentity.awsIrsa(o.devIdentity) } : {}) }),
    planes: Planes.inEnvironments(dev),
    namespaces: Namespaces.named('default'),
  });
  new SharedSecret(g, 'team-db', { store: team, data: [{ secretKey: 'password', remoteKey: 'prod/team-a/db' }] });
  new SharedSecret(g, 'dev-db', { store: devStore, data: [{ secretKey: 'password', remoteKey: 'dev/db' }] });
  return { devPlane, prodPlane };
}

function json(c: Compilation, path: string): Json {
  const text = c.files.get(path);
  if (text === undefined) throw new Error(`no ${path} among ${[...c.files.keys()].filter((p) => p.includes('iam')).join(', ')}`);
  return JSON.parse(text) as Json;
}

const TEAM_ROLE = 'eks-platform-team-a-shared-secrets';
const TEAM_ARN = `arn:aws:iam::${ACCOUNT}:role/${TEAM_ROLE}`;
const SPACE_ROLE = 'eks-shared-secrets';
const GET = 'secretsmanager:GetSecretValue';

function readable(c: Compilation, app: TopologyApp): string[] {
  return AccessMatrix.compute(app, c.placement, c.context.identity)
    .readable()
    .map((e) => `${e.plane} <- ${e.remote.ref}`)
    .sort();
}

describeWithCrds('a store with its own identity (StoreIdentity.awsIrsa)', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['spaces/v1.17', 'external-secrets'] });
  });

  it('emits auth.jwt.serviceAccountRef naming its service account; the CRD accepts every object', () => {
    const c = compile((app) => topology(app));
    const store = c.manifests.find((m) => m.path.endsWith('sharedsecretstore-team-a.yaml'))?.object as Json;
    expect(store.spec.provider.aws).toEqual({
      service: 'SecretsManager',
      region: REGION,
      auth: { jwt: { serviceAccountRef: { name: 'team-a-secrets' } } },
    });
    // The other store keeps the Space's documented reference.
    const dev = c.manifests.find((m) => m.path.endsWith('sharedsecretstore-dev.yaml'))?.object as Json;
    expect(dev.spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: 'external-secrets-controller' } } });
    for (const m of c.manifests) expect(v.validate(m.object), m.path).toEqual([]);
  });

  it('a Parameter Store store takes it too', () => {
    const c = compile((app) => {
      const space = new Space(app, 'eks', { cloud: 'aws', identity: irsa() });
      const g = new Group(space, 'platform', { requireEnvironment: false });
      const p = new ControlPlane(g, 'p1', { controlPlaneId: uuid(1), namespaces: ['default'] });
      new SecretStore(g, 'ps', {
        provider: new AwsParameterStore({ region: REGION, identity: StoreIdentity.awsIrsa({ serviceAccount: 'ps-reader' }) }),
        planes: Planes.named(p),
        namespaces: Namespaces.named('default'),
      });
    });
    const store = c.manifests.find((m) => m.path.endsWith('sharedsecretstore-ps.yaml'))?.object as Json;
    expect(store.spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: 'ps-reader' } } });
    for (const m of c.manifests) expect(v.validate(m.object), m.path).toEqual([]);
  });
});

describe('the role of a store with its own identity', () => {
  const c = compile((app) => topology(app));
  const dir = 'spaces/eks/iam/aws';
  const trust = aliasIssuer(json(c, `${dir}/${TEAM_ROLE}/trust-policy.json`), ISSUER_HOST);
  const permission = json(c, `${dir}/${TEAM_ROLE}/permission-policy.json`);
  const spacePermission = json(c, `${dir}/${SPACE_ROLE}/permission-policy.json`);

  it('is trusted only by the store service account in the host namespace of the planes it is projected into', async () => {
    const ok = webIdentityRequest(serviceAccountSub(host(2), 'team-a-secrets'));
    expect(await canAssume(trust, TEAM_ARN, ok.principal, ok.action, ok.context)).toBe('Allowed');
    // The dev plane's host namespace, the shared controller's account, another name, another audience.
    for (const sub of [
      serviceAccountSub(host(1), 'team-a-secrets'),
      serviceAccountSub(host(2)),
      serviceAccountSub(host(2), 'team-a-secrets2'),
      serviceAccountSub(host(2), 'team-a'),
      serviceAccountSub('kube-system', 'team-a-secrets'),
    ]) {
      const r = webIdentityRequest(sub);
      expect(await canAssume(trust, TEAM_ARN, r.principal, r.action, r.context), sub).toBe('ImplicitlyDenied');
    }
    const aud = webIdentityRequest(serviceAccountSub(host(2), 'team-a-secrets'), 'sts.example.com');
    expect(await canAssume(trust, TEAM_ARN, aud.principal, aud.action, aud.context)).toBe('ImplicitlyDenied');
  });

  it("grants its store's secrets only, and the Space's role no longer does", async () => {
    expect(await canRoleDo([permission], GET, concreteSecretArn('prod/team-a/db'))).toBe('Allowed');
    expect(await canRoleDo([permission], GET, concreteSecretArn('dev/db'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo([spacePermission], GET, concreteSecretArn('prod/team-a/db'))).toBe('ImplicitlyDenied');
    expect(await canRoleDo([spacePermission], GET, concreteSecretArn('dev/db'))).toBe('Allowed');
    // The Space's trust no longer names the prod plane: nothing of the Space's role is served there.
    const spaceTrust = JSON.stringify(json(c, `${dir}/${SPACE_ROLE}/trust-policy.json`));
    expect(spaceTrust).not.toContain(host(2));
  });

  it("the Helm values annotate the shared controller with the Space's role, not the store's", () => {
    const values = c.files.get('spaces/eks/helm/spaces-values.yaml') ?? '';
    expect(values).toContain(`role/${SPACE_ROLE}`);
    expect(values).not.toContain(TEAM_ROLE);
  });

  it('the README says how to create and annotate the service account in each host namespace', () => {
    const readme = c.files.get(`${dir}/README.md`) ?? '';
    expect(readme).toContain(`kubectl create serviceaccount team-a-secrets -n ${host(2)}`);
    expect(readme).toContain(`kubectl annotate serviceaccount team-a-secrets -n ${host(2)} eks.amazonaws.com/role-arn=${TEAM_ARN}`);
    expect(readme).not.toContain(`team-a-secrets -n ${host(1)}`);
  });

  it('takes a roleName', () => {
    const named = compile((app) => topology(app, { teamIdentity: { serviceAccount: 'team-a-secrets', roleName: 'team-a-eso' } }));
    expect(named.files.has(`${dir}/team-a-eso/trust-policy.json`)).toBe(true);
    expect(named.files.has(`${dir}/${TEAM_ROLE}/trust-policy.json`)).toBe(false);
  });
});

describe('the access analysis of a store with its own identity', () => {
  it('a dev plane cannot read the prod store role secrets (the role trusts the prod host namespace only)', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    topology(app);
    const c = app.compile();
    const pairs = readable(c, app);
    expect(pairs).toContain('eks/platform/prod-1 <- prod/team-a/db');
    expect(pairs.filter((p) => p.startsWith('eks/platform/dev-1') && p.includes('prod/'))).toEqual([]);
    const principal = c.context.identity.principals.find((p) => p.id === TEAM_ARN);
    expect(principal?.planes).toEqual([
      expect.objectContaining({ plane: 'prod-1', hostNamespace: host(2), serviceAccount: 'team-a-secrets' }),
    ]);
  });

  it('projected into the dev plane too, the prod secret is readable there, and flagged as crossing environments', () => {
    const p = problems((app) => topology(app, { teamInDev: true })).join('\n');
    expect(p).toContain('prod/team-a/db');
    expect(p).toMatch(/dev-1/);
    expect(p).toMatch(/cross-environment|production-secret-outside-production/);
  });

  it('one role named by a dev store and a prod store is one principal: flagged (issue 12 class 1)', () => {
    const shared = { serviceAccount: 'eso-reader', roleName: 'eso-shared' };
    const p = problems((app) => topology(app, { teamIdentity: shared, devIdentity: shared })).join('\n');
    expect(p).toContain('prod/team-a/db');
    expect(p).toMatch(/cross-environment|production-secret-outside-production/);
    // Different service accounts do not help: the role is the principal.
    const p2 = problems((app) =>
      topology(app, {
        teamIdentity: { serviceAccount: 'team-a', roleName: 'eso-shared' },
        devIdentity: { serviceAccount: 'dev', roleName: 'eso-shared' },
      }),
    ).join('\n');
    expect(p2).toMatch(/cross-environment|production-secret-outside-production/);
  });

  it('a role of its own per store keeps dev and prod apart', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    topology(app, { devIdentity: { serviceAccount: 'dev-secrets' } });
    const c = app.compile();
    const pairs = readable(c, app);
    expect(pairs).toEqual(['eks/platform/dev-1 <- dev/db', 'eks/platform/prod-1 <- prod/team-a/db']);
  });
});

describe('refusals', () => {
  const text = (o: Options) => problems((app) => topology(app, o)).join('\n');

  it('refuses the shared controller service account, a name that is not one, and a role name IAM refuses', () => {
    expect(text({ teamIdentity: { serviceAccount: 'external-secrets-controller' } })).toContain(
      "is the shared-secrets controller's own service account",
    );
    for (const sa of ['Team_A', '', 'a/b', '-x', 'x'.repeat(254)])
      expect(text({ teamIdentity: { serviceAccount: sa } }), sa).toContain('eks/platform/team-a');
    for (const roleName of ['', 'a b', 'x'.repeat(65), 'role/x', 'é'])
      expect(text({ teamIdentity: { serviceAccount: 'ok', roleName } }), roleName).toContain('is not an IAM role name');
  });

  it('refuses it with static credentials, on a Pod Identity Space, and on a plain ESO cluster', () => {
    const keys = problems((app) => {
      const space = new Space(app, 'eks', { cloud: 'aws', identity: irsa() });
      const g = new Group(space, 'platform', { requireEnvironment: false });
      const p = new ControlPlane(g, 'p1', { controlPlaneId: uuid(1), namespaces: ['default'] });
      new SecretStore(g, 'sm', {
        provider: new AwsSecretsManager({
          region: REGION,
          identity: StoreIdentity.awsIrsa({ serviceAccount: 'sa' }),
          credentials: StaticCredentials.awsAccessKey({ secretName: 'keys' }),
        }),
        planes: Planes.named(p),
        namespaces: Namespaces.named('default'),
      });
    }).join('\n');
    expect(keys).toContain('and static credentials exclude each other');
    const pod = text({ spaceIdentity: SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: CLUSTER }) });
    expect(pod).toContain('give the Space SpaceIdentity.awsIrsa');
    const cluster = problems((app) => {
      const cl = new EsoCluster(app, 'apps', {
        cloud: 'aws',
        identity: SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: CLUSTER }),
      });
      new EsoSecretStore(cl, 'sm', {
        namespace: 'a',
        provider: new AwsSecretsManager({ region: REGION, identity: StoreIdentity.awsIrsa({ serviceAccount: 'sa' }) }),
      });
    }).join('\n');
    expect(cluster).toContain('give the cluster identity: SpaceIdentity.awsIrsa');
  });

  it('refuses props of the wrong type from JavaScript callers, at the store', () => {
    const bad = (props: unknown) => text({ teamIdentity: props as StoreIrsaProps });
    expect(bad({ serviceAccount: 42 })).toContain('eks/platform/team-a');
    expect(bad('team-a-secrets')).toContain('eks/platform/team-a');
    expect(bad([])).toContain('eks/platform/team-a');
    expect(bad({ serviceAccount: 'ok', roleName: ['x'] })).toContain('roleName');
    const plain = problems((app) => {
      const space = new Space(app, 'eks', { cloud: 'aws', identity: irsa() });
      const g = new Group(space, 'platform', { requireEnvironment: false });
      const p = new ControlPlane(g, 'p1', { controlPlaneId: uuid(1), namespaces: ['default'] });
      new SecretStore(g, 'sm', {
        provider: new AwsSecretsManager({ region: REGION, identity: { serviceAccount: 'sa' } as unknown as StoreIdentity }),
        planes: Planes.named(p),
        namespaces: Namespaces.named('default'),
      });
    }).join('\n');
    expect(plain).toContain('StoreIdentity.awsIrsa');
  });
});

describeWithCrds('a store with its own identity on a plain ESO cluster', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['external-secrets'] });
  });
  const build = (app: TopologyApp) => {
    const cl = new EsoCluster(app, 'apps', { cloud: 'aws', identity: irsa() });
    const own = new EsoSecretStore(cl, 'team', {
      namespace: 'team-a',
      provider: new AwsSecretsManager({ region: REGION, identity: StoreIdentity.awsIrsa({ serviceAccount: 'team-a-eso' }) }),
    });
    const css = new EsoSecretStore(cl, 'css', {
      namespaces: Namespaces.named('team-b'),
      provider: new AwsSecretsManager({ region: REGION, identity: StoreIdentity.awsIrsa({ serviceAccount: 'css-eso' }) }),
    });
    const shared = new EsoSecretStore(cl, 'shared', { namespace: 'team-c', provider: new AwsSecretsManager({ region: REGION }) });
    new EsoExternalSecret(cl, 'a-db', { store: own, namespace: 'team-a', data: [{ secretKey: 'k', remoteKey: 'team-a/db' }] });
    new EsoExternalSecret(cl, 'b-db', { store: css, namespace: 'team-b', data: [{ secretKey: 'k', remoteKey: 'team-b/db' }] });
    new EsoExternalSecret(cl, 'c-db', { store: shared, namespace: 'team-c', data: [{ secretKey: 'k', remoteKey: 'team-c/db' }] });
  };
  const store = (c: Compilation, name: string) =>
    c.manifests.find((m) => m.path.startsWith('clusters/') && m.path.endsWith(`-${name}.yaml`))?.object as Json;

  it('emits the reference (with the credentials namespace on a ClusterSecretStore); the CRD accepts every object', () => {
    const c = compile(build);
    expect(store(c, 'team').spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: 'team-a-eso' } } });
    expect(store(c, 'css').spec.provider.aws.auth).toEqual({
      jwt: { serviceAccountRef: { name: 'css-eso', namespace: 'external-secrets' } },
    });
    expect(store(c, 'shared').spec.provider.aws.auth).toBeUndefined();
    for (const m of c.manifests) expect(v.validate(m.object), m.path).toEqual([]);
  });

  it('one role per store, trusted by its service account in its namespace, with its secrets only (iam-simulate)', async () => {
    const c = compile(build);
    const dir = 'clusters/apps/iam/aws';
    const role = 'apps-team-external-secrets';
    const arn = `arn:aws:iam::${ACCOUNT}:role/${role}`;
    const trust = aliasIssuer(json(c, `${dir}/${role}/trust-policy.json`), ISSUER_HOST);
    const ok = webIdentityRequest(serviceAccountSub('team-a', 'team-a-eso'));
    expect(await canAssume(trust, arn, ok.principal, ok.action, ok.context)).toBe('Allowed');
    for (const sub of [
      serviceAccountSub('team-b', 'team-a-eso'),
      serviceAccountSub('external-secrets', 'external-secrets'),
      serviceAccountSub('team-a', 'default'),
    ]) {
      const r = webIdentityRequest(sub);
      expect(await canAssume(trust, arn, r.principal, r.action, r.context), sub).toBe('ImplicitlyDenied');
    }
    const perm = json(c, `${dir}/${role}/permission-policy.json`);
    expect(await canRoleDo([perm], GET, concreteSecretArn('team-a/db'))).toBe('Allowed');
    expect(await canRoleDo([perm], GET, concreteSecretArn('team-c/db'))).toBe('ImplicitlyDenied');
    // The controller's role keeps the shared store only.
    const controller = json(c, `${dir}/apps-external-secrets/permission-policy.json`);
    expect(await canRoleDo([controller], GET, concreteSecretArn('team-c/db'))).toBe('Allowed');
    expect(await canRoleDo([controller], GET, concreteSecretArn('team-a/db'))).toBe('ImplicitlyDenied');
    const css = aliasIssuer(json(c, `${dir}/apps-css-external-secrets/trust-policy.json`), ISSUER_HOST);
    const cssOk = webIdentityRequest(serviceAccountSub('external-secrets', 'css-eso'));
    expect(
      await canAssume(css, `arn:aws:iam::${ACCOUNT}:role/apps-css-external-secrets`, cssOk.principal, cssOk.action, cssOk.context),
    ).toBe('Allowed');
  });

  it('the access analysis reaches the store role from the cluster', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    build(app);
    const c = app.compile();
    const m = AccessMatrix.compute(app, c.placement, c.context.identity);
    const paths = (ref: string) =>
      m.clusters
        .filter((e) => e.readable && e.remote.ref === ref)
        .flatMap((e) => e.paths.map((p) => (p.kind === 'identity' ? p.principal : p.kind)))
        .sort();
    expect(paths('team-a/db')).toEqual([`arn:aws:iam::${ACCOUNT}:role/apps-team-external-secrets`]);
    expect(paths('team-b/db')).toEqual([`arn:aws:iam::${ACCOUNT}:role/apps-css-external-secrets`]);
    expect(paths('team-c/db')).toEqual([`arn:aws:iam::${ACCOUNT}:role/apps-external-secrets`]);
    const role = m.principals.find((p) => p.id.endsWith('role/apps-team-external-secrets'));
    expect(role?.cluster).toEqual({ cluster: 'apps', namespace: 'team-a', serviceAccount: 'team-a-eso' });
  });
});
