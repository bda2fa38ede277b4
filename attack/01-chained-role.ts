/**
 * Class 1 (chained store role) — next variants:
 *  a) the dev store chains (through the Space identity) to the *generated* prod Pod Identity role name;
 *  b) the chained role is written with an IAM path and upper case;
 *  c) the chained role is named by an ARN with a wildcard in it;
 *  d) a Parameter Store dev store and a Secrets Manager prod store chain to one role;
 *  e) the dev chained role is in the role prefix of a generated role (not the same role): must be clean.
 */
import { AwsParameterStore, Group, Planes, SecretStore, SharedSecret, Space, StaticCredentials, type TopologyApp } from '../lib/index.js';
import { report } from './harness.js';
import { ACCOUNT, APPS, REGION, envs, podIdentity, sm, twoPlanes } from './fixtures.js';

const base =
  (devProvider: () => unknown, prodProvider: () => unknown, prodKey = 'prod/db') =>
  (app: TopologyApp): void => {
    const e = envs(app);
    const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: podIdentity() }), 'g');
    twoPlanes(g, e);
    const d = new SecretStore(g, 'dev', { namespaces: APPS, provider: devProvider() as never, planes: Planes.inEnvironments(e.dev) });
    const p = new SecretStore(g, 'prod', { namespaces: APPS, provider: prodProvider() as never, planes: Planes.inEnvironments(e.prod) });
    new SharedSecret(g, 'd', { store: d, data: [{ secretKey: 'k', remoteKey: 'dev/db' }] });
    new SharedSecret(g, 'p', { store: p, data: [{ secretKey: 'k', remoteKey: prodKey }] });
  };

// a) which role name does the Space generate for prod? (g, environment scope default)
report(
  '01a dev store chains into the generated prod role (aws-prod-shared-secrets guess: see names below)',
  'flagged',
  base(
    () => sm({ role: `arn:aws:iam::${ACCOUNT}:role/aws-prod-shared-secrets` }),
    () => sm(),
  ),
  { show: ['iam/aws/README'] },
);
report(
  '01b chained role with IAM path and case',
  'flagged',
  base(
    () => sm({ role: `arn:aws:iam::${ACCOUNT}:role/team/Shared-Reader` }),
    () => sm({ role: `arn:aws:iam::${ACCOUNT}:role/shared-reader` }),
  ),
);
report(
  '01c chained role ARN with a wildcard',
  'refused or flagged',
  base(
    () => sm({ role: `arn:aws:iam::${ACCOUNT}:role/shared-*` }),
    () => sm({ role: `arn:aws:iam::${ACCOUNT}:role/shared-reader` }),
  ),
);
report(
  '01d Parameter Store dev store and Secrets Manager prod store chain to one role',
  'flagged',
  base(
    () => new AwsParameterStore({ region: REGION, role: `arn:aws:iam::${ACCOUNT}:role/shared-reader` }),
    () => sm({ role: `arn:aws:iam::${ACCOUNT}:role/shared-reader` }),
  ),
);
report(
  '01e static creds dev store chaining into the role a prod identity store chains',
  'flagged',
  base(
    () =>
      sm({ role: `arn:aws:iam::${ACCOUNT}:role/shared-reader`, credentials: StaticCredentials.awsAccessKey({ secretName: 'dev-keys' }) }),
    () => sm({ role: `arn:aws:iam::${ACCOUNT}:role/shared-reader` }),
  ),
);
report(
  '01f chained role in another partition spelling (aws-us-gov vs aws) — different roles',
  'clean',
  base(
    () => sm({ role: `arn:aws-us-gov:iam::${ACCOUNT}:role/shared-reader` }),
    () => sm({ role: `arn:aws:iam::${ACCOUNT}:role/shared-reader` }),
  ),
);
