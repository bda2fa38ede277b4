/**
 * Class 7 (resource identity by text) — next variants across backends. A dev store (dev planes,
 * its own identity/credentials) names a secret that prod declares or reads; every one should be
 * flagged (or refused), never exit 0 with 0 cross-environment pairs.
 */
import {
  AwsParameterStore,
  AzureKeyVault,
  ControlPlane,
  GcpSecretManager,
  Group,
  Planes,
  SecretOwnership,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  type TopologyApp,
} from '../lib/index.js';
import { report } from './harness.js';
import { ACCOUNT, ACCOUNT2, APPS, REGION, SUBSCRIPTION, TENANT, envs, podIdentity, sm, twoPlanes, uuid } from './fixtures.js';

type P = () => unknown;
type Ref = { key?: string; find?: Record<string, unknown> };
const aws =
  (devProv: P, prodProv: P, dev: Ref, prod: Ref, owns?: SecretOwnership[], identity = podIdentity()) =>
  (app: TopologyApp): void => {
    const e = envs(app, owns ? { prodOwns: owns } : {});
    const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity }), 'g');
    twoPlanes(g, e);
    const d = new SecretStore(g, 'dev', { namespaces: APPS, provider: devProv() as never, planes: Planes.inEnvironments(e.dev) });
    const p = new SecretStore(g, 'prod', { namespaces: APPS, provider: prodProv() as never, planes: Planes.inEnvironments(e.prod) });
    const props = (r: Ref) => (r.key ? { data: [{ secretKey: 'k', remoteKey: r.key }] } : { dataFrom: [{ find: r.find as never }] });
    new SharedSecret(g, 'd', { store: d, ...props(dev) });
    new SharedSecret(g, 'p', { store: p, ...props(prod) });
  };

const arn = (name: string, region = REGION, account = ACCOUNT) => `arn:aws:secretsmanager:${region}:${account}:secret:${name}`;
const SMO = [SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })];

report(
  '07a SM: dev key is the prod ARN without account (empty account field)',
  'flagged or refused',
  aws(sm, sm, { key: `arn:aws:secretsmanager:${REGION}::secret:prod/db` }, { key: 'prod/db' }),
);
report(
  '07b SM: dev store without accountId using static credentials, key prod/db; prod declares prod/ with accountId',
  'flagged',
  aws(() => sm({ credentials: StaticCredentials.awsAccessKey({ secretName: 'dev-keys' }) }), sm, { key: 'prod/db' }, { key: 'prod/x' }, [
    SecretOwnership.awsSecretsManager({ prefixes: ['prod/'], accountId: ACCOUNT }),
  ]),
);
report(
  '07c SM: dev find by tags only (no path, no name)',
  'flagged or refused as wide grant',
  aws(sm, sm, { find: { tags: { team: 'a' } } }, { key: 'prod/db' }),
);
report(
  '07d SM: dev find with nameRegexp "^(?:prod)/" (group hides the literal prefix)',
  'flagged or wide',
  aws(sm, sm, { find: { nameRegexp: '^(?:prod)/.*' } }, { key: 'prod/db' }),
);
report(
  '07e SM: dev find path "" + nameRegexp "(?i)^prod/" (case-insensitive flag)',
  'flagged or refused',
  aws(sm, sm, { find: { nameRegexp: '(?i)^PROD/' } }, { key: 'prod/db' }, SMO),
);
report('07f SM: dev find nameRegexp "^[p]rod/"', 'flagged or wide', aws(sm, sm, { find: { nameRegexp: '^[p]rod/' } }, { key: 'prod/db' }));
report(
  '07g SM: dev find nameRegexp "^prod\\/" (escaped slash)',
  'flagged',
  aws(sm, sm, { find: { nameRegexp: '^prod\\/' } }, { key: 'prod/db' }),
);
report(
  '07h SM: dev find path "prod" (no slash) + declared prod/',
  'flagged',
  aws(sm, sm, { find: { path: 'prod', nameRegexp: '.*' } }, { key: 'prod/db' }, SMO),
);
report(
  '07i SM: dev key ARN in another account that prod store (accountId) reads',
  'flagged',
  aws(
    () => sm({ accountId: ACCOUNT }),
    () => sm({ accountId: ACCOUNT2 }),
    { key: arn('prod/db', REGION, ACCOUNT2) },
    { key: 'prod/db' },
  ),
);
report(
  '07j SM: dev key is a full ARN with suffix of a name that prod declares by names:[]',
  'flagged',
  aws(sm, sm, { key: arn('prod/db-AbCdEf') }, { key: 'prod/other' }, [SecretOwnership.awsSecretsManager({ names: ['prod/db'] })]),
);
report(
  '07k SM: prod declares by arns:[] with suffix; dev reads by name',
  'flagged',
  aws(sm, sm, { key: 'prod/db' }, { key: 'prod/other' }, [SecretOwnership.awsSecretsManager({ arns: [arn('prod/db-AbCdEf')] })]),
);

const PSO = [SecretOwnership.awsParameterStore({ paths: ['/prod/'] })];
const ps = () => new AwsParameterStore({ region: REGION });
report(
  '07l SSM: dev key "prod/db" (no leading slash), prod declares /prod/',
  'flagged',
  aws(ps, ps, { key: 'prod/db' }, { key: '/prod/x' }, PSO),
);
report(
  '07m SSM: dev key ARN parameter/prod/db',
  'flagged',
  aws(ps, ps, { key: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/db` }, { key: '/prod/x' }, PSO),
);
report(
  '07n SSM: dev find path "/" (recursive root)',
  'flagged or wide',
  aws(ps, ps, { find: { path: '/', nameRegexp: '.*' } }, { key: '/prod/x' }, PSO),
);
report(
  '07o SSM: dev find path "/prod" no trailing slash',
  'flagged',
  aws(ps, ps, { find: { path: '/prod', nameRegexp: '.*' } }, { key: '/prod/x' }),
);
report('07p SSM: dev key "/prod//db" (double slash)', 'flagged or refused', aws(ps, ps, { key: '/prod//db' }, { key: '/prod/db' }));
report(
  '07q SSM: dev key "/prod/db:1" (version selector in name)',
  'flagged or refused',
  aws(ps, ps, { key: '/prod/db:1' }, { key: '/prod/db' }),
);
report(
  '07r SM vs SSM reference: dev SSM key /aws/reference/secretsmanager/prod/db',
  'flagged (SSM references read SM secrets)',
  aws(ps, sm, { key: '/aws/reference/secretsmanager/prod/db' }, { key: 'prod/db' }, SMO),
);
report(
  '07s SSM: dev find path "/pro" + nameRegexp ".*", prod declares /prod/',
  'flagged (GetParametersByPath /pro does not return /prod/*, but the IAM grant may)',
  aws(ps, ps, { find: { path: '/pro', nameRegexp: '.*' } }, { key: '/prod/x' }, PSO),
);
report(
  '07t SM: dev find nameRegexp "prod/" (unanchored: matches any name containing prod/)',
  'flagged or wide',
  aws(sm, sm, { find: { nameRegexp: 'prod/' } }, { key: 'team/prod/db' }),
);
report(
  '07u SM: dev find path "dev/" nameRegexp "^dev/|^prod/"',
  'flagged',
  aws(sm, sm, { find: { path: 'dev/', nameRegexp: '^dev/|^prod/' } }, { key: 'prod/db' }, SMO),
);
