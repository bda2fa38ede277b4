/**
 * Property: a valid topology (three Spaces — AWS IRSA, Azure workload identity, GCP — with their
 * stores and secrets) with random fields replaced by hostile values (random and unicode strings,
 * empty and huge ones, `__proto__`, durations with days, numbers and other wrong JavaScript types
 * as a YAML- or JSON-fed caller passes them) either compiles or throws a TopologyError — never
 * another exception — whose problems each name an existing construct path and carry no stack frame.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  AzureKeyVault,
  ControlPlane,
  Environment,
  GcpSecretManager,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
  TopologyError,
} from '../lib/index.js';
import { fcParams } from './fuzz-support.js';

/** Every field the property may replace, with the valid value it has otherwise. */
const FIELDS = {
  'env.name': 'prod',
  'env.refreshInterval': '15m',
  'env.labels': { environment: 'prod' } as Record<string, string>,
  'space.name': 'aws-eu',
  'space.accountId': '111122223333',
  'space.oidcIssuer': 'https://oidc.eks.eu-central-1.amazonaws.com/id/8A1B2C3D4E5F60718293A4B5C6D7E8F9',
  'azure.tenantId': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'azure.clientId': '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b',
  'azure.vaultUrl': 'https://kv-data-prod.vault.azure.net',
  'gcp.projectId': 'acme-spaces-us',
  'gcp.projectNumber': '123456789012',
  'gcp.storeProject': 'acme-analytics-prod',
  'group.name': 'platform',
  'group.namespaceLabels': { team: 'platform' } as Record<string, string>,
  'plane.name': 'prod-1',
  'plane.labels': { region: 'eu-central-1' } as Record<string, string>,
  'plane.controlPlaneId': 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa',
  'plane.hostNamespace': undefined as string | undefined,
  'plane.namespace': 'team-a',
  'plane.namespaceLabels': { team: 'a' } as Record<string, string>,
  'store.name': 'sm-prod',
  'store.region': 'eu-central-1',
  'store.accountId': undefined as string | undefined,
  'store.role': undefined as string | undefined,
  'store.kmsKeyArn': 'arn:aws:kms:eu-central-1:111122223333:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
  'store.refreshInterval': undefined as number | undefined,
  'store.retryInterval': undefined as string | undefined,
  'store.namespaces': 'team-a',
  'store.selectorKey': 'tier',
  'store.selectorValue': 'gold',
  'store.operator': 'In',
  'credentials.secretName': 'gsm-credentials',
  'credentials.key': 'key.json',
  'secret.name': 'db',
  'secret.refreshInterval': undefined as string | undefined,
  'secret.targetName': 'db-credentials',
  'secret.secretKey': 'password',
  'secret.remoteKey': 'prod/team-a/db',
  'secret.property': 'password',
  'secret.version': undefined as string | undefined,
  'secret.templateKey': 'url',
  'secret.templateValue': 'postgres://{{ .username }}:{{ .password }}@db:5432/app',
  'secret.findRegexp': '^looker-',
  'secret.findTag': 'looker',
} as const;
type Field = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];

const nastyString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.stringMatching(/^[a-z0-9.-]{0,70}$/),
  fc.constantFrom(
    '',
    ' ',
    'A',
    '-a',
    'a-',
    'a'.repeat(64),
    'x'.repeat(300),
    'x'.repeat(5000),
    'x'.repeat(100_000),
    '1d',
    '-1h',
    '1 h',
    '0',
    '..',
    '.',
    'a/b/c',
    '/x',
    'x/',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '🔑',
    'prød',
    '\n',
    '\u0000',
    '${x}',
    '{{ .x }}',
    '([',
    '*',
    'arn:aws:iam::1:role/x',
    'https://',
    'http://oidc.example.com',
    'in',
    'Exists',
    'NotIn',
  ),
);
const nastyLabels = fc.dictionary(nastyString, nastyString, { maxKeys: 3 });
const isMap = (f: Field): boolean => typeof FIELDS[f] === 'object';
const isNumber = (f: Field): boolean => f === 'store.refreshInterval';

/** Hostile values of the field's own type: strings, string maps, numbers. */
const hostile = (f: Field): fc.Arbitrary<unknown> =>
  isMap(f) ? nastyLabels : isNumber(f) ? fc.oneof(fc.integer(), fc.double()) : nastyString;

/** A few fields per run, each with a hostile value of its type. */
const overrides = fc
  .uniqueArray(fc.constantFrom(...FIELD_NAMES), { minLength: 1, maxLength: 4 })
  .chain((fields) => fc.tuple(...fields.map((f) => hostile(f).map((value) => [f, value] as const))))
  .map((pairs) => Object.fromEntries(pairs) as Partial<Record<Field, unknown>>);

/**
 * Values of another JavaScript type, as YAML or JSON gives them (`accountId: 111122223333` is a
 * number in YAML): numbers, booleans, null, lists and objects in string fields.
 */
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
const confused = fc
  .uniqueArray(fc.constantFrom(...FIELD_NAMES.filter((f) => !isMap(f) && !isNumber(f))), { minLength: 1, maxLength: 2 })
  .chain((fields) => fc.tuple(...fields.map((f) => wrongType.map((value) => [f, value] as const))))
  .map((pairs) => Object.fromEntries(pairs) as Partial<Record<Field, unknown>>);

function build(app: TopologyApp, o: Partial<Record<Field, unknown>>): void {
  const v = <F extends Field>(f: F): (typeof FIELDS)[F] =>
    (Object.prototype.hasOwnProperty.call(o, f) ? o[f] : FIELDS[f]) as (typeof FIELDS)[F];
  const prod = new Environment(app, 'prod', {
    name: v('env.name'),
    refreshInterval: v('env.refreshInterval'),
    labels: v('env.labels'),
    production: true,
  });
  const dev = new Environment(app, 'dev');

  // AWS, IRSA.
  const aws = new Space(app, 'aws-eu', {
    name: v('space.name'),
    cloud: 'aws',
    identity: SpaceIdentity.awsIrsa({ accountId: v('space.accountId'), oidcIssuer: v('space.oidcIssuer') }),
  });
  const platform = new Group(aws, 'platform', { name: v('group.name'), namespaceLabels: v('group.namespaceLabels') });
  const ns = v('plane.namespace');
  const prod1 = new ControlPlane(platform, 'prod-1', {
    name: v('plane.name'),
    environment: prod,
    labels: { tier: 'gold', ...v('plane.labels') },
    controlPlaneId: v('plane.controlPlaneId'),
    hostNamespace: v('plane.hostNamespace'),
    namespaces: ['crossplane-system', { name: ns, labels: v('plane.namespaceLabels') }],
  });
  new ControlPlane(platform, 'dev-1', {
    environment: dev,
    controlPlaneId: '3f1c2a9e-5b7d-4e21-9a0c-6d8e7f1b2c3d',
    namespaces: ['crossplane-system', 'team-a'],
  });
  const retryInterval = v('store.retryInterval');
  const sm = new SecretStore(platform, 'sm-prod', {
    name: v('store.name'),
    provider: new AwsSecretsManager({
      region: v('store.region'),
      accountId: v('store.accountId'),
      role: v('store.role'),
      kmsKeyArns: [v('store.kmsKeyArn')],
    }),
    planes: Planes.matching({
      matchLabels: { environment: 'prod' },
      matchExpressions: [{ key: v('store.selectorKey'), operator: v('store.operator'), values: [v('store.selectorValue')] }],
    }),
    namespaces: Namespaces.named('crossplane-system', v('store.namespaces')),
    refreshInterval: v('store.refreshInterval'),
    retry: retryInterval === undefined ? undefined : { retryInterval },
  });
  new SharedSecret(platform, 'db', {
    name: v('secret.name'),
    store: sm,
    planes: Planes.named(prod1),
    namespaces: Namespaces.named(v('store.namespaces')),
    refreshInterval: v('secret.refreshInterval'),
    target: { name: v('secret.targetName'), template: { data: { [v('secret.templateKey')]: v('secret.templateValue') } } },
    data: [
      { secretKey: v('secret.secretKey'), remoteKey: v('secret.remoteKey'), property: v('secret.property'), version: v('secret.version') },
    ],
  });

  // Azure, workload identity.
  const azure = new Space(app, 'azure-we', {
    cloud: 'azure',
    identity: SpaceIdentity.azureWorkloadIdentity({
      tenantId: v('azure.tenantId'),
      clientId: v('azure.clientId'),
      subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      resourceGroup: 'rg-spaces-we',
      identityName: 'spaces-shared-secrets',
      oidcIssuer: 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/',
    }),
  });
  const data = new Group(azure, 'data');
  new ControlPlane(data, 'data-prod-1', { environment: prod, controlPlaneId: 'f7081920-3b4c-4d5e-9f60-718293a4b5c6', namespaces: ['etl'] });
  const kv = new SecretStore(data, 'kv-prod', {
    provider: new AzureKeyVault({ vaultUrl: v('azure.vaultUrl'), authorization: 'access-policy' }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('etl'),
  });
  new SharedSecret(data, 'warehouse-dsn', { store: kv, data: [{ secretKey: 'dsn', remoteKey: 'warehouse-dsn' }] });

  // GCP, principal identifiers, and a store with a service-account key.
  const gcp = new Space(app, 'gcp-us', {
    cloud: 'gcp',
    identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: v('gcp.projectId'), projectNumber: v('gcp.projectNumber') }),
  });
  const analytics = new Group(gcp, 'analytics');
  new ControlPlane(analytics, 'ana-prod-1', {
    environment: prod,
    controlPlaneId: '192a3b4c-5d6e-4f70-8192-93a4b5c6d7e8',
    namespaces: [{ name: 'reporting', labels: { team: 'bi' } }],
  });
  const gsm = new SecretStore(analytics, 'gsm-prod', {
    provider: new GcpSecretManager({
      projectId: v('gcp.storeProject'),
      projectNumber: '210987654321',
      credentials: StaticCredentials.gcpServiceAccountKey({ secretName: v('credentials.secretName'), key: v('credentials.key') }),
    }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.matching({ matchLabels: { team: 'bi' } }),
  });
  new SharedSecret(analytics, 'looker-api', {
    store: gsm,
    dataFrom: [{ find: { nameRegexp: v('secret.findRegexp'), tags: { app: v('secret.findTag') } } }],
  });
}

/** A stack frame as V8 prints it. */
const STACK_FRAME = /^\s*at\s|\bat\s+\S*\s*\(?[^()\s]+:\d+:\d+\)?/m;

describe('property: hostile values give a clean TopologyError, never another exception', () => {
  it('the base topology is valid', () => {
    const app = new TopologyApp({ outdir: 'never-written' });
    build(app, {});
    expect(() => app.compile()).not.toThrow();
  });

  const outcome = (o: Partial<Record<Field, unknown>>): void => {
    const app = new TopologyApp({ outdir: 'never-written' });
    let thrown: unknown;
    try {
      build(app, o);
      app.compile();
    } catch (e) {
      thrown = e;
    }
    if (thrown === undefined) return; // the values happened to be valid
    if (!(thrown instanceof TopologyError)) {
      throw new Error(`not a TopologyError for ${JSON.stringify(o)?.slice(0, 500)}: ${(thrown as Error)?.stack ?? String(thrown)}`);
    }
    const paths = new Set(app.node.findAll().map((c) => c.node.path));
    for (const p of thrown.problems) {
      expect(typeof p.message).toBe('string');
      expect(p.message.trim()).not.toBe('');
      expect(p.message).not.toMatch(STACK_FRAME);
      expect(paths.has(p.path), `problem path ${JSON.stringify(p.path)}`).toBe(true);
    }
  };

  it('random fields replaced by hostile values of their own type', () => {
    fc.assert(fc.property(overrides, outcome), fcParams);
  });

  // A non-string where a string goes (e.g. controlPlaneId: {}, remoteKey: 0, kmsKeyArns: [null],
  // find.nameRegexp: 0) is reported by the construct's own checks; later stages never turn it into
  // a TypeError. Numbers where YAML gives them for digit strings (accountId: 111122223333) are
  // accepted as the digits.
  it('random string fields given values of another JavaScript type', () => {
    fc.assert(fc.property(confused, outcome), fcParams);
  });
});
