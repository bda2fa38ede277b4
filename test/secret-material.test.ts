/**
 * No secret material in the output or in error messages.
 *
 * The rule. The model never carries secret values: static credentials are a reference (a
 * Kubernetes Secret's name and key names; the Secret is created out of band), secret data are
 * references to remote keys, and no construct has a field for a value. So:
 *
 * 1. Values passed in fields the API does not have (JavaScript or YAML callers, `as any`:
 *    `accessKeyId`, `secretAccessKey`, `clientSecret`, `value`, `stringData`, …) are refused as
 *    unknown props (the props schemas are strict): the problem names the key, never the value, and
 *    nothing is written.
 * 2. A plain object in place of `StaticCredentials` (e.g. `{ accessKeyId, secretAccessKey }`) is a
 *    TopologyError that does not repeat it.
 * 3. Where a credential *reference* goes (the Secret's name, its key names), a text shaped like a
 *    credential (AWS access key ID or secret access key, Azure client secret, PEM private key, GCP
 *    service-account JSON) is a TopologyError that names the field and what it looks like, without
 *    repeating it. A value that is itself a valid name cannot be told from a name: it is a name.
 * 4. Templates are not values: `target.template` (data, labels, annotations) is copied verbatim
 *    into the SharedExternalSecret, because ESO renders it in the plane from the fetched keys. A
 *    literal written into a template is committed as written; the compiler cannot tell it from text.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
  type SecretStoreProvider,
} from '../lib/index.js';

// Recognisable fake values, each shaped like the real thing.
const AWS_KEY_ID = `AKIA${'PLANTED'.padEnd(16, '0')}`;
const AWS_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTED'.padEnd(40, '0');
const AZURE_SECRET = `abc8Q~${'PLANTEDazureSecretValue'.padEnd(34, 'x')}`;
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCPLANTED\n-----END PRIVATE KEY-----\n';
const GCP_JSON = '{"type": "service_account", "project_id": "acme", "private_key": "planted-secret-value-gcp"}';
const VALUE = 'planted-secret-value-7f3a91';
const PLANTED = [AWS_KEY_ID, AWS_SECRET_KEY, AZURE_SECRET, PEM, GCP_JSON, VALUE];
/** Fragments that must never show up either (the values may be cut or re-escaped). */
const FRAGMENTS = ['PLANTED', 'planted-secret-value', 'BEGIN PRIVATE KEY', 'wJalrXUtnFEMI'];

const X = <T>(v: unknown): T => v as T;

function expectNoPlanted(texts: Iterable<[string, string]>): void {
  for (const [where, text] of texts) {
    for (const v of [...PLANTED, ...FRAGMENTS]) {
      expect(text.includes(v), `${where} contains ${JSON.stringify(v.slice(0, 20))}…`).toBe(false);
    }
  }
}

const ISSUER = 'https://oidc.eks.eu-central-1.amazonaws.com/id/8A1B2C3D4E5F60718293A4B5C6D7E8F9';

/** One Space, one group, one plane, one store (with the given provider), one secret. */
function single(provider: SecretStoreProvider, secret: Record<string, unknown> = {}): TopologyApp {
  const app = new TopologyApp({ outdir: 'never-written' });
  const prod = new Environment(app, 'prod');
  const space = new Space(app, 'aws', { cloud: 'aws', identity: SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: ISSUER }) });
  const group = new Group(space, 'g');
  new ControlPlane(group, 'p', { environment: prod, controlPlaneId: 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa', namespaces: ['ns'] });
  const store = new SecretStore(group, 's', { provider, planes: Planes.inEnvironments(prod), namespaces: Namespaces.named('ns') });
  new SharedSecret(group, 'x', { store, data: [{ secretKey: 'k', remoteKey: 'prod/x' }], ...secret });
  return app;
}

function topologyError(app: TopologyApp): TopologyError {
  try {
    app.compile();
  } catch (e) {
    if (e instanceof TopologyError) return e;
    throw new Error(`expected a TopologyError, got ${(e as Error)?.stack ?? String(e)}`, { cause: e });
  }
  throw new Error('compile() succeeded: expected a TopologyError');
}

describe('1. values in fields the API does not have are ignored', () => {
  const work = mkdtempSync(join(tmpdir(), 'secret-material-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function build(app: TopologyApp): void {
    const prod = new Environment(app, 'prod', X({ password: VALUE }));
    const aws = new Space(app, 'aws', {
      cloud: 'aws',
      identity: SpaceIdentity.awsIrsa(X({ accountId: '111122223333', oidcIssuer: ISSUER, secretAccessKey: AWS_SECRET_KEY })),
    });
    const platform = new Group(aws, 'platform');
    new ControlPlane(
      platform,
      'p',
      X({ environment: prod, controlPlaneId: 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa', namespaces: ['ns'], kubeconfig: PEM }),
    );
    const wi = new SecretStore(platform, 'wi', {
      provider: new AwsSecretsManager(X({ region: 'eu-central-1', accessKeyId: AWS_KEY_ID, secretAccessKey: AWS_SECRET_KEY })),
      planes: Planes.inEnvironments(prod),
      namespaces: Namespaces.named('ns'),
    });
    const keys = new SecretStore(platform, 'keys', {
      provider: new AwsSecretsManager({
        region: 'eu-central-1',
        credentials: StaticCredentials.awsAccessKey(
          X({ secretName: 'aws-credentials', accessKeyId: AWS_KEY_ID, secretAccessKey: AWS_SECRET_KEY }),
        ),
      }),
      planes: Planes.inEnvironments(prod),
      namespaces: Namespaces.named('ns'),
    });
    new SharedSecret(
      platform,
      'db',
      X({
        store: wi,
        value: VALUE,
        stringData: { password: VALUE },
        data: [{ secretKey: 'password', remoteKey: 'prod/db', value: VALUE }],
      }),
    );
    new SharedSecret(platform, 'db-static', { store: keys, data: [{ secretKey: 'password', remoteKey: 'prod/db-static' }] });

    const azure = new Space(app, 'azure', {
      cloud: 'azure',
      identity: SpaceIdentity.azureWorkloadIdentity(
        X({
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          clientId: '5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b',
          clientSecret: AZURE_SECRET,
          subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
          resourceGroup: 'rg-spaces',
          identityName: 'spaces-shared-secrets',
          oidcIssuer:
            'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/',
        }),
      ),
    });
    const data = new Group(azure, 'data');
    new ControlPlane(data, 'd', { environment: prod, controlPlaneId: 'f7081920-3b4c-4d5e-9f60-718293a4b5c6', namespaces: ['etl'] });
    const kv = new SecretStore(data, 'kv', {
      provider: new AzureKeyVault({
        vaultUrl: 'https://kv-data-prod.vault.azure.net',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        credentials: StaticCredentials.azureServicePrincipal(X({ secretName: 'azure-credentials', clientSecret: AZURE_SECRET })),
      }),
      planes: Planes.inEnvironments(prod),
      namespaces: Namespaces.named('etl'),
    });
    new SharedSecret(data, 'dsn', { store: kv, data: [{ secretKey: 'dsn', remoteKey: 'warehouse-dsn' }] });

    const gcp = new Space(app, 'gcp', { cloud: 'gcp' });
    const analytics = new Group(gcp, 'analytics');
    new ControlPlane(analytics, 'a', {
      environment: prod,
      controlPlaneId: '192a3b4c-5d6e-4f70-8192-93a4b5c6d7e8',
      namespaces: ['reporting'],
    });
    const gsm = new SecretStore(analytics, 'gsm', {
      provider: new GcpSecretManager({
        projectId: 'acme-analytics',
        credentials: StaticCredentials.gcpServiceAccountKey(X({ secretName: 'gcp-credentials', json: GCP_JSON, privateKey: PEM })),
      }),
      planes: Planes.inEnvironments(prod),
      namespaces: Namespaces.named('reporting'),
    });
    new SharedSecret(analytics, 'bq', { store: gsm, data: [{ secretKey: 'key.json', remoteKey: 'bigquery-key' }] });
  }

  it('is refused: every planted field is an unknown prop, named by its key, and no message contains a planted value', () => {
    const app = new TopologyApp({ outdir: join(work, 'dist') });
    build(app);
    let problems: string[] = [];
    try {
      app.compile();
    } catch (e) {
      expect(e).toBeInstanceOf(TopologyError);
      problems = (e as TopologyError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems.length).toBeGreaterThan(10);
    for (const p of problems) expect(p).toContain('is not a known prop');
    expectNoPlanted(problems.map((p, i): [string, string] => [`problem ${i + 1}`, p]));
  });

  it('nor does anything reach the disk: synth exits 1 and writes nothing', () => {
    const outdir = join(work, 'dist-refused');
    const app = new TopologyApp({ outdir });
    build(app);
    const before = process.exitCode;
    const write = process.stderr.write.bind(process.stderr);
    let stderr = '';
    process.stderr.write = (chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    };
    try {
      app.synth();
      expect(process.exitCode).toBe(1);
    } finally {
      process.stderr.write = write;
      process.exitCode = before;
    }
    expectNoPlanted([['stderr', stderr]]);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe('2. a plain object instead of StaticCredentials is refused without being repeated', () => {
  it.each([
    [
      'AWS',
      () => new AwsSecretsManager(X({ region: 'eu-central-1', credentials: { accessKeyId: AWS_KEY_ID, secretAccessKey: AWS_SECRET_KEY } })),
    ],
    [
      'Azure',
      () =>
        new AzureKeyVault(
          X({
            vaultUrl: 'https://kv-prod.vault.azure.net',
            tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
            credentials: { clientId: 'app', clientSecret: AZURE_SECRET },
          }),
        ),
    ],
    ['GCP', () => new GcpSecretManager(X({ projectId: 'acme-prod', credentials: GCP_JSON }))],
  ])('%s', (_cloud, provider) => {
    const err = topologyError(single(provider(), { data: [{ secretKey: 'k', remoteKey: 'x' }] }));
    const p = err.problems.find(
      (q) => q.path === 'aws/g/s' && q.message.includes('credentials has the wrong type: expected a StaticCredentials reference'),
    );
    expect(p?.message, err.message).toContain('not repeated here');
    expectNoPlanted(err.problems.map((q) => [q.path, q.message]));
    expectNoPlanted([['message', err.message]]);
  });
});

describe('3. a credential where a reference goes is refused without being repeated', () => {
  const aws = (props: Record<string, string>) =>
    new AwsSecretsManager({
      region: 'eu-central-1',
      credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-credentials', ...props }),
    });
  const azure = (props: Record<string, string>) =>
    new AzureKeyVault({
      vaultUrl: 'https://kv-prod.vault.azure.net',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      credentials: StaticCredentials.azureServicePrincipal({ secretName: 'azure-credentials', ...props }),
    });
  const gcp = (props: Record<string, string>) =>
    new GcpSecretManager({
      projectId: 'acme-prod',
      credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'gcp-credentials', ...props }),
    });
  const cases: [string, () => SecretStoreProvider, string, string][] = [
    [
      'AWS access key ID as the access key ID key',
      () => aws({ accessKeyIdKey: AWS_KEY_ID }),
      'credentials key for accessKeyId',
      'an AWS access key ID',
    ],
    [
      'AWS secret access key as its key',
      () => aws({ secretAccessKeyKey: AWS_SECRET_KEY }),
      'credentials key for secretAccessKey',
      'an AWS secret access key',
    ],
    ['AWS access key ID as the Secret name', () => aws({ secretName: AWS_KEY_ID }), 'credentials Secret name', 'an AWS access key ID'],
    [
      'AWS access key ID inside the Secret name',
      () => aws({ secretName: `aws-${AWS_KEY_ID}-x` }),
      'credentials Secret name',
      'an AWS access key ID',
    ],
    [
      'Azure client secret as its key',
      () => azure({ clientSecretKey: AZURE_SECRET }),
      'credentials key for clientSecret',
      'an Azure client secret',
    ],
    ['PEM private key as the GCP key', () => gcp({ key: PEM }), 'credentials key for serviceAccountKey', 'a private key'],
    [
      'service-account JSON as the GCP key',
      () => gcp({ key: GCP_JSON }),
      'credentials key for serviceAccountKey',
      'a service-account JSON key',
    ],
    [
      'service-account JSON as the Secret name',
      () => gcp({ secretName: GCP_JSON }),
      'credentials Secret name',
      'a service-account JSON key',
    ],
  ];
  it.each(cases)('%s', (_name, provider, field, kind) => {
    const err = topologyError(single(provider(), { data: [{ secretKey: 'k', remoteKey: 'x' }] }));
    const p = err.problems.find((q) => q.path === 'aws/g/s' && q.message.includes(field));
    expect(p?.message, err.message).toContain(`looks like a credential itself (${kind})`);
    expect(p?.message).toContain('not repeated here');
    expectNoPlanted(err.problems.map((q) => [q.path, q.message]));
  });

  it('a value that is a valid name is a name: it is emitted as the reference, nowhere else', () => {
    const app = single(
      new AwsSecretsManager({ region: 'eu-central-1', credentials: StaticCredentials.awsAccessKey({ secretName: VALUE }) }),
    );
    const c = app.compile();
    const store = parse(c.files.get('spaces/aws/groups/g/sharedsecretstore-s.yaml') ?? '') as {
      spec: { provider: { aws: { auth: { secretRef: Record<string, { name: string }> } } } };
    };
    expect(
      store.spec.provider.aws.auth.secretRef.accessKeyIDSecretRef?.name ??
        store.spec.provider.aws.auth.secretRef.accessKeyIdSecretRef?.name,
    ).toBe(VALUE);
    const elsewhere = [...c.files].filter(
      ([path, text]) => text.includes(VALUE) && !path.endsWith('sharedsecretstore-s.yaml') && !/report|REPORT/.test(path),
    );
    expect(elsewhere.map(([path]) => path)).toEqual([]);
  });
});

describe('4. templates are not values: copied verbatim', () => {
  it('template data, labels and annotations reach the SharedExternalSecret as written', () => {
    const template = {
      type: 'kubernetes.io/basic-auth',
      data: {
        url: 'postgres://{{ .username }}:{{ .password | urlquery }}@db.internal:5432/app?sslmode=require',
        'config.json': '{"user": "{{ .username }}", "literal": "written-as-is"}',
      },
      metadata: {
        labels: { 'app.kubernetes.io/name': 'db' },
        annotations: { 'example.com/note': 'rendered by ESO in the plane: {{ .username }}' },
      },
    };
    const app = single(new AwsSecretsManager({ region: 'eu-central-1' }), {
      target: { name: 'db', template },
      data: [
        { secretKey: 'username', remoteKey: 'prod/db', property: 'username' },
        { secretKey: 'password', remoteKey: 'prod/db', property: 'password' },
      ],
    });
    const c = app.compile();
    const text = c.files.get('spaces/aws/groups/g/sharedexternalsecret-x.yaml') ?? '';
    const obj = parse(text) as { spec: { externalSecretSpec: { target: { template: Record<string, unknown> } } } };
    const t = obj.spec.externalSecretSpec.target.template;
    expect(t.data).toEqual(template.data);
    expect(t.metadata).toEqual(template.metadata);
    expect(t.type).toBe(template.type);
  });
});
