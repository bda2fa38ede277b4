/**
 * Static credentials shared by name: the Secret is `<space>/<group>/<name>` in the analysis.
 *  a) dev group and prod group of one Space, both stores use Secret "aws-keys": different group namespaces,
 *     so different Secrets (clean is right under the model; credential reuse is invisible);
 *  b) one group, dev store and prod store with the same Secret "aws-keys": flagged (one credential).
 */
import { ControlPlane, Group, Planes, SecretStore, SharedSecret, Space, StaticCredentials, type TopologyApp } from '../lib/index.js';
import { report } from './harness.js';
import { APPS, envs, sm, twoPlanes, uuid } from './fixtures.js';

const keys = () => sm({ credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-keys' }) });
report(
  '09a same Secret name in a dev group and a prod group of one Space',
  'clean (different namespaces; the model cannot see it is one IAM user)',
  (app: TopologyApp) => {
    const e = envs(app);
    const space = new Space(app, 'aws', { cloud: 'aws' });
    for (const [name, env, n] of [
      ['dev', e.dev, 1],
      ['prod', e.prod, 2],
    ] as const) {
      const g = new Group(space, `g-${name}`);
      new ControlPlane(g, `${name}-1`, { environment: env, controlPlaneId: uuid(n), namespaces: ['apps'] });
      const s = new SecretStore(g, 'sm', { namespaces: APPS, provider: keys(), planes: Planes.inEnvironments(env) });
      new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: `${name}/db` }] });
    }
  },
);
report('09b one group, dev and prod stores share the Secret "aws-keys"', 'flagged', (app: TopologyApp) => {
  const e = envs(app);
  const g = new Group(new Space(app, 'aws', { cloud: 'aws' }), 'g');
  twoPlanes(g, e);
  for (const env of [e.dev, e.prod]) {
    const s = new SecretStore(g, `sm-${env.name}`, { namespaces: APPS, provider: keys(), planes: Planes.inEnvironments(env) });
    new SharedSecret(g, `s-${env.name}`, { store: s, data: [{ secretKey: 'k', remoteKey: `${env.name}/db` }] });
  }
});
