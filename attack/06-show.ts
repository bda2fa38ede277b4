import { run } from './harness.js';
import { envs, podIdentity, sm, uuid, APPS } from './fixtures.js';
import { ControlPlane, Group, Planes, SecretStore, SharedSecret, Space } from '../lib/index.js';
const o = run((app) => {
  const e = envs(app);
  for (const [name, env, prefix, n] of [
    ['a', e.prod, 'x_', 1],
    ['x-a', e.dev, '', 2],
  ] as const) {
    const g = new Group(
      new Space(app, name, {
        cloud: 'aws',
        identity: podIdentity({ roleNamePrefix: prefix, roleScope: 'plane', crossplane: true, clusterName: name }),
      }),
      'g',
    );
    new ControlPlane(g, 'p1', { environment: env, controlPlaneId: uuid(n), namespaces: ['apps'] });
    const s = new SecretStore(g, 'sm', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(env) });
    new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: `${env.name}/db` }] });
  }
});
for (const f of [
  'spaces/a/iam/aws/crossplane/roles.yaml',
  'spaces/x-a/iam/aws/crossplane/roles.yaml',
  'spaces/a/iam/aws/crossplane/policies.yaml',
  'spaces/x-a/iam/aws/crossplane/policies.yaml',
])
  console.log(
    f,
    '\n',
    (o.compilation!.files.get(f) ?? '')
      .split('\n')
      .filter((l) => /name:|external-name|kind:|Resource|secret:/.test(l))
      .join('\n'),
  );
