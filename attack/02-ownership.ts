/**
 * Class 2 (ownership from intent) and stores without planes — next variants:
 *  a) a prod-credential store that selects no plane (the dev plane names it by the selector bypass), no declaration;
 *  b) same with the store's `environment: prod` declared: must be flagged;
 *  c) a dev secret narrowing its planes to none while reading prod/db through a prod-credential store;
 *  d) a store selecting only a plane without environment, reading prod/db that prod reads through its own store;
 *  e) false positive: a plain ESO cluster reads prod/db too (owner "(none)" added?) — prod plane should be clean.
 */
import {
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  Group,
  Namespaces,
  Planes,
  SecretOwnership,
  SecretStore,
  SharedSecret,
  Space,
  StaticCredentials,
  ControlPlane,
  type TopologyApp,
} from '../lib/index.js';
import { report } from './harness.js';
import { APPS, envs, sm, twoPlanes, uuid, irsa } from './fixtures.js';

const prodKeys = () => sm({ credentials: StaticCredentials.awsAccessKey({ secretName: 'prod-keys' }) });

report(
  '02a prod-credential store selecting no plane, no declaration',
  'flagged (dev plane names the store by the bypass and reads prod/db with prod keys) or refused as unowned',
  (app: TopologyApp) => {
    const e = envs(app);
    const g = new Group(new Space(app, 'aws', { cloud: 'aws' }), 'g');
    twoPlanes(g, e);
    const s = new SecretStore(g, 'prod-sm', {
      namespaces: APPS,
      provider: prodKeys(),
      planes: Planes.matching({ matchLabels: { nobody: 'x' } }),
    });
    new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
  },
);

report('02b same, store declares environment prod', 'flagged', (app: TopologyApp) => {
  const e = envs(app);
  const g = new Group(new Space(app, 'aws', { cloud: 'aws' }), 'g');
  twoPlanes(g, e);
  const s = new SecretStore(g, 'prod-sm', {
    namespaces: APPS,
    provider: prodKeys(),
    planes: Planes.matching({ matchLabels: { nobody: 'x' } }),
    environment: e.prod,
  });
  new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
});

report('02c same, prod declares owns prod/ (control)', 'flagged', (app: TopologyApp) => {
  const e = envs(app, { prodOwns: [SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })] });
  const g = new Group(new Space(app, 'aws', { cloud: 'aws' }), 'g');
  twoPlanes(g, e);
  const s = new SecretStore(g, 'prod-sm', {
    namespaces: APPS,
    provider: prodKeys(),
    planes: Planes.matching({ matchLabels: { nobody: 'x' } }),
  });
  new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
});

report(
  '02d store selecting only an environment-less plane, reads prod/db that a prod identity store also reads',
  'flagged ((none) plane and dev plane read prod secret)',
  (app: TopologyApp) => {
    const e = envs(app);
    const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: irsa() }), 'g', { requireEnvironment: false } as never);
    twoPlanes(g, e);
    const scratch = new ControlPlane(g, 'scratch', { controlPlaneId: uuid(99), namespaces: ['apps'] });
    const s = new SecretStore(g, 'scratch-sm', { namespaces: APPS, provider: prodKeys(), planes: Planes.named(scratch) });
    new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
  },
);

report(
  '02e FALSE POSITIVE? a plain ESO cluster also reads prod/db (no declaration)',
  'clean for the prod plane (an ESO cluster is not an environment)',
  (app: TopologyApp) => {
    const e = envs(app);
    const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: irsa() }), 'g');
    new ControlPlane(g, 'prod-1', { environment: e.prod, controlPlaneId: uuid(3), namespaces: ['apps'] });
    const s = new SecretStore(g, 'prod-sm', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.prod) });
    new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
    const c = new EsoCluster(app, 'apps', { cloud: 'aws', identity: irsa('0123456789ABCDEF') });
    const es = new EsoSecretStore(c, 'sm', { provider: sm(), namespaces: Namespaces.named('a') });
    new EsoExternalSecret(c, 'x', { store: es, namespace: 'a', data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
  },
);

report('02f control: 02e with prod declaring owns prod/', 'clean', (app: TopologyApp) => {
  const e = envs(app, { prodOwns: [SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })] });
  const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: irsa() }), 'g');
  new ControlPlane(g, 'prod-1', { environment: e.prod, controlPlaneId: uuid(3), namespaces: ['apps'] });
  const s = new SecretStore(g, 'prod-sm', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(e.prod) });
  new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
  const c = new EsoCluster(app, 'apps', { cloud: 'aws', identity: irsa('0123456789ABCDEF') });
  const es = new EsoSecretStore(c, 'sm', { provider: sm(), namespaces: Namespaces.named('a') });
  new EsoExternalSecret(c, 'x', { store: es, namespace: 'a', data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
});
