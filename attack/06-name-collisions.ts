/**
 * Class 6 (name collisions across owners) — next variants:
 *  a) two distinct IAM roles ("x_a-…" and "x-a-…") whose Crossplane Role objects get one metadata.name
 *     after k8sName (lower case, [^a-z0-9-] -> "-"): applied to one Crossplane control plane, the last
 *     apply wins and one MR (external-name) carries the other's trust/permission documents;
 *  b) the same collision from roleNamePrefix case ("Team-" vs "team-"): one IAM role (case-insensitive), caught?
 *  c) a Space role (x_a-…) and an ESO cluster roleArn (x-a-…): two IAM roles, one Crossplane Role name.
 */
import {
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
  type TopologyApp,
} from '../lib/index.js';
import { report } from './harness.js';
import { APPS, envs, podIdentity, irsa, sm, uuid } from './fixtures.js';

const space = (app: TopologyApp, name: string, env: ReturnType<typeof envs>['dev'], prefix: string, n: number, cluster = name) => {
  const g = new Group(
    new Space(app, name, {
      cloud: 'aws',
      identity: podIdentity({ roleNamePrefix: prefix, roleScope: 'plane', crossplane: true, clusterName: cluster }),
    }),
    'g',
  );
  new ControlPlane(g, 'p1', { environment: env, controlPlaneId: uuid(n), namespaces: ['apps'] });
  const s = new SecretStore(g, 'sm', { namespaces: APPS, provider: sm(), planes: Planes.inEnvironments(env) });
  new SharedSecret(g, 's', { store: s, data: [{ secretKey: 'k', remoteKey: `${env.name}/db` }] });
};

const o = report(
  '06a Crossplane Role names collide after k8sName ("x_a" prod vs "x-a" dev, roleScope plane)',
  'refused (one MR name, two IAM roles with different documents)',
  (app) => {
    const e = envs(app);
    space(app, 'a', e.prod, 'x_', 1);
    space(app, 'x-a', e.dev, '', 2);
  },
);
if (o.compilation) {
  for (const m of o.compilation.manifests) {
    const obj = m.object as { kind?: string; metadata?: { name?: string; annotations?: Record<string, string> } };
    if (obj.kind === 'Role' || obj.kind === 'Policy')
      console.log(
        `  ${m.path}: ${obj.kind} ${obj.metadata?.name} external-name=${obj.metadata?.annotations?.['crossplane.io/external-name']}`,
      );
  }
  for (const [k] of o.compilation.files) if (k.includes('crossplane')) console.log(`  file ${k}`);
}

report('06b roleNamePrefix "Team-" (Space shop, prod) vs Space "team-shop" (prod): one IAM role', 'refused (iam collision)', (app) => {
  const e = envs(app);
  space(app, 'shop', e.prod, 'Team-', 1);
  space(app, 'team-shop', e.prod, '', 2);
});

report('06c Space role vs ESO cluster generated role colliding only after k8sName', 'refused', (app) => {
  const e = envs(app);
  space(app, 'a', e.prod, 'x_', 1);
  const c = new EsoCluster(app, 'tools', {
    cloud: 'aws',
    identity: irsa('0123456789ABCDEF', { crossplane: true }),
    roleArn: 'arn:aws:iam::111122223333:role/x-a-g-p1-shared-secrets',
  });
  const es = new EsoSecretStore(c, 'sm', { provider: sm(), namespaces: Namespaces.named('a') });
  new EsoExternalSecret(c, 'x', { store: es, namespace: 'a', data: [{ secretKey: 'k', remoteKey: 'dev/y' }] });
});
