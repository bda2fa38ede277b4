/**
 * Issue 16: PushSecret per-entry `metadata` (ESO `PushSecretMetadata`, kubernetes.external-secrets.io/v1alpha1)
 * through the public API: the emitted PushSecret validates against the real CRD (schema and CEL),
 * the metadata has the shape ESO parses, bad metadata is a problem with the construct path and the
 * fix, and the role's IAM (evaluated by iam-simulate) grants exactly what the metadata needs: KMS
 * on the key through the service, resource policy, replication to the listed regions, untagging
 * (never of managed-by), and Parameter Store's RemoveTagsFromResource.
 */
import { beforeAll, expect, it } from 'vitest';
import {
  AwsParameterStore,
  AwsSecretsManager,
  AzureKeyVault,
  EsoCluster,
  EsoPushSecret,
  EsoSecretStore,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
  type AwsPushMetadata,
  type Compilation,
} from '../lib/index.js';
import { canRoleDo, concreteParameterArn, concreteSecretArn, defaultKeyPolicy } from './fixtures/aws-iam-sim.js';
import { ACCOUNT, ISSUER, REGION } from './fixtures/aws-topologies.js';
import { compile, problems } from './support/compile.js';
import { importInto, runGenerated, scratchDir, yamlFiles } from './support/import.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';

type Json = Record<string, any>;

const KEY_ID = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const KEY = (region = REGION) => `arn:aws:kms:${region}:${ACCOUNT}:key/${KEY_ID}`;
const TAGGED = { 'aws:ResourceTag/managed-by': 'external-secrets' };
const ROLE_DIR = 'clusters/apps/iam/aws/apps-external-secrets';

function cluster(app: TopologyApp, service: 'sm' | 'ps', metadata: AwsPushMetadata | undefined, deletionPolicy?: 'Delete') {
  const c = new EsoCluster(app, 'apps', { cloud: 'aws', identity: SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: ISSUER }) });
  const provider = service === 'sm' ? new AwsSecretsManager({ region: REGION }) : new AwsParameterStore({ region: REGION });
  const store = new EsoSecretStore(c, 'st', { namespace: 'team-a', provider });
  new EsoPushSecret(c, 'push', {
    store,
    secretName: 'tls',
    ...(deletionPolicy ? { deletionPolicy } : {}),
    data: [{ secretKey: 'tls.key', remoteKey: service === 'sm' ? 'backup/tls' : '/backup/tls', ...(metadata ? { metadata } : {}) }],
  });
}

const pushObject = (c: Compilation): Json => c.manifests.find((m) => m.path.includes('pushsecret-push'))?.object as Json;
const policy = (c: Compilation): Json => JSON.parse(c.files.get(`${ROLE_DIR}/permission-policy.json`) ?? '{}') as Json;

const FULL: AwsPushMetadata = {
  secretPushFormat: 'string',
  kmsKeyId: KEY_ID,
  description: "secret 'managed-by:secret-manager' from 'secret-store:teamb-secret-store'",
  tags: { team: 'platform', 'refresh-interval': '1h' },
  resourcePolicy: { blockPublicPolicy: true, policySourceRef: { kind: 'ConfigMap', name: 'tls-policy', key: 'policy.json' } },
  replicationLocations: ['eu-west-2', 'eu-north-1'],
};

describeWithCrds('PushSecret metadata', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['external-secrets'] });
  });

  it('emits the PushSecretMetadata ESO parses (apiVersion, kind, spec with kmsKeyID), valid against the CRD', () => {
    const c = compile((app) => cluster(app, 'sm', FULL));
    const entry = pushObject(c).spec.data[0];
    expect(entry.metadata).toEqual({
      apiVersion: 'kubernetes.external-secrets.io/v1alpha1',
      kind: 'PushSecretMetadata',
      spec: {
        secretPushFormat: 'string',
        kmsKeyID: KEY_ID,
        description: FULL.description,
        tags: { 'refresh-interval': '1h', team: 'platform' },
        resourcePolicy: { blockPublicPolicy: true, policySourceRef: { kind: 'ConfigMap', name: 'tls-policy', key: 'policy.json' } },
        replicationLocations: ['eu-west-2', 'eu-north-1'],
      },
    });
    for (const m of c.manifests) expect(v.validate(m.object), m.path).toEqual([]);
    // Without metadata, no metadata field.
    expect(pushObject(compile((app) => cluster(app, 'sm', undefined))).spec.data[0].metadata).toBeUndefined();
  });

  it('Secrets Manager IAM: KMS through the service in the primary and replica regions, resource policy, replication to the listed regions only', async () => {
    const p = [policy(compile((app) => cluster(app, 'sm', FULL)))];
    const secret = concreteSecretArn('backup/tls');
    for (const region of [REGION, 'eu-west-2', 'eu-north-1'])
      for (const action of ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'])
        expect(
          await canRoleDo(p, action, KEY(region), {
            resourcePolicy: defaultKeyPolicy(),
            context: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
          }),
          `${action} ${region}`,
        ).toBe('Allowed');
    expect(
      await canRoleDo(p, 'kms:Encrypt', KEY(), {
        resourcePolicy: defaultKeyPolicy(),
        context: { 'kms:ViaService': `ssm.${REGION}.amazonaws.com` },
      }),
    ).toBe('ImplicitlyDenied');
    expect(
      await canRoleDo(p, 'kms:Encrypt', KEY('us-east-1'), {
        resourcePolicy: defaultKeyPolicy(),
        context: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' },
      }),
    ).toBe('ImplicitlyDenied');
    for (const action of ['secretsmanager:PutResourcePolicy', 'secretsmanager:GetResourcePolicy', 'secretsmanager:DeleteResourcePolicy'])
      expect(await canRoleDo(p, action, secret, { context: TAGGED }), action).toBe('Allowed');
    expect(await canRoleDo(p, 'secretsmanager:PutResourcePolicy', concreteSecretArn('backup/other'), { context: TAGGED })).toBe(
      'ImplicitlyDenied',
    );
    const regions = (r: string[]) => ({ context: { 'secretsmanager:AddReplicaRegions': r } });
    expect(await canRoleDo(p, 'secretsmanager:ReplicateSecretToRegions', secret, regions(['eu-west-2']))).toBe('Allowed');
    expect(await canRoleDo(p, 'secretsmanager:ReplicateSecretToRegions', secret, regions(['eu-west-2', 'eu-north-1']))).toBe('Allowed');
    expect(await canRoleDo(p, 'secretsmanager:ReplicateSecretToRegions', secret, regions(['us-east-1']))).toBe('ImplicitlyDenied');
    expect(await canRoleDo(p, 'secretsmanager:RemoveRegionsFromReplication', secret, { context: TAGGED })).toBe('Allowed');
  });

  it('tags: UntagResource on the managed secret, never of managed-by; nothing of it without tags metadata', async () => {
    const p = [policy(compile((app) => cluster(app, 'sm', { tags: { team: 'a' } })))];
    const secret = concreteSecretArn('backup/tls');
    expect(await canRoleDo(p, 'secretsmanager:UntagResource', secret, { context: { ...TAGGED, 'aws:TagKeys': ['team'] } })).toBe('Allowed');
    expect(await canRoleDo(p, 'secretsmanager:UntagResource', secret, { context: { ...TAGGED, 'aws:TagKeys': ['managed-by'] } })).not.toBe(
      'Allowed',
    );
    expect(
      await canRoleDo(p, 'secretsmanager:UntagResource', secret, {
        context: { 'aws:ResourceTag/managed-by': 'someone-else', 'aws:TagKeys': ['team'] },
      }),
    ).toBe('ImplicitlyDenied');
    const bare = [policy(compile((app) => cluster(app, 'sm', undefined)))];
    expect(await canRoleDo(bare, 'secretsmanager:UntagResource', secret, { context: { ...TAGGED, 'aws:TagKeys': ['team'] } })).toBe(
      'ImplicitlyDenied',
    );
    for (const action of ['secretsmanager:PutResourcePolicy', 'secretsmanager:ReplicateSecretToRegions'])
      expect(await canRoleDo(bare, action, secret, { context: TAGGED }), action).toBe('ImplicitlyDenied');
    // Every push to an existing secret makes ESO v2.9 delete its resource policy: granted on managed secrets.
    expect(await canRoleDo(bare, 'secretsmanager:DeleteResourcePolicy', secret, { context: TAGGED })).toBe('Allowed');
    expect(await canRoleDo(bare, 'secretsmanager:DeleteResourcePolicy', secret)).toBe('ImplicitlyDenied');
  });

  it('Parameter Store: RemoveTagsFromResource on the managed parameter (not managed-by), KMS for a SecureString key', async () => {
    const p = [policy(compile((app) => cluster(app, 'ps', { secretType: 'SecureString', kmsKeyId: KEY(), tags: { team: 'a' } })))];
    const param = concreteParameterArn('backup/tls');
    expect(await canRoleDo(p, 'ssm:RemoveTagsFromResource', param, { context: { ...TAGGED, 'aws:TagKeys': ['team'] } })).toBe('Allowed');
    expect(await canRoleDo(p, 'ssm:RemoveTagsFromResource', param, { context: { ...TAGGED, 'aws:TagKeys': ['managed-by'] } })).not.toBe(
      'Allowed',
    );
    expect(
      await canRoleDo(p, 'ssm:RemoveTagsFromResource', concreteParameterArn('other'), { context: { ...TAGGED, 'aws:TagKeys': ['team'] } }),
    ).toBe('ImplicitlyDenied');
    for (const action of ['kms:Encrypt', 'kms:Decrypt'])
      expect(
        await canRoleDo(p, action, KEY(), {
          resourcePolicy: defaultKeyPolicy(),
          context: { 'kms:ViaService': `ssm.${REGION}.amazonaws.com` },
        }),
        action,
      ).toBe('Allowed');
    expect(
      await canRoleDo(p, 'kms:Encrypt', KEY(), {
        resourcePolicy: defaultKeyPolicy(),
        context: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` },
      }),
    ).toBe('ImplicitlyDenied');
    const c = compile((app) => cluster(app, 'ps', { secretType: 'SecureString', kmsKeyId: KEY(), tags: { team: 'a' } }));
    for (const m of c.manifests) expect(v.validate(m.object), m.path).toEqual([]);
  });

  it('refuses metadata ESO would refuse or the IAM cannot grant, each with the construct path and the fix', () => {
    const bad = (service: 'sm' | 'ps', m: unknown) => problems((app) => cluster(app, service, m as AwsPushMetadata)).join('\n');
    const at = 'apps/push: data["tls.key"].metadata';
    expect(bad('sm', { tags: { 'managed-by': 'me' } })).toContain(`${at}.tags may not set "managed-by"`);
    expect(bad('sm', { tags: { 'aws:x': 'y' } })).toContain('is not an AWS tag key');
    expect(bad('sm', { kmsKeyId: 'alias/my-key' })).toContain(`${at}.kmsKeyId "alias/my-key" is not a KMS key ID or key ARN`);
    expect(bad('sm', { kmsKeyId: 'arn:aws:kms:eu-central-1:111122223333:alias/x' })).toContain('is not a KMS key ID or key ARN');
    // Wrong types and closed lists are type problems of the props schema, at the entry's index.
    const typed = 'apps/push: data[0].metadata';
    expect(bad('sm', { secretPushFormat: 'json' })).toContain(
      `${typed}.secretPushFormat "json" is not supported: expected one of "binary", "string"; use one of those.`,
    );
    expect(bad('sm', { replicationLocations: ['eu-central-1'] })).toContain("is the store's own region");
    expect(bad('sm', { replicationLocations: ['mars-1'] })).toContain('"mars-1" is not an AWS region');
    expect(bad('sm', { replicationLocations: ['eu-west-1', 'eu-west-1'] })).toContain('"eu-west-1" is listed twice');
    expect(bad('sm', { resourcePolicy: {} })).toContain(`${typed}.resourcePolicy.policySourceRef is required: expected an object`);
    expect(bad('sm', { resourcePolicy: { policySourceRef: { kind: 'Pod', name: 'x', key: 'p' } } })).toContain(
      `${typed}.resourcePolicy.policySourceRef.kind "Pod" is not supported: expected one of "ConfigMap", "Secret"`,
    );
    expect(bad('sm', { resourcePolicy: { policySourceRef: { kind: 'Secret', name: 'x', key: 'p' }, blockPublicPolicy: 'yes' } })).toContain(
      `${typed}.resourcePolicy.blockPublicPolicy has the wrong type: expected a boolean (true or false), got "yes" (a string)`,
    );
    expect(bad('sm', { tags: ['team=a'] })).toContain(`${typed}.tags has the wrong type: expected an object of tag keys to values`);
    expect(bad('sm', { replicationLocations: 'eu-west-1' })).toContain(`${typed}.replicationLocations has the wrong type: expected a list`);
    expect(bad('sm', { kmsKeyId: 42 })).toContain(`${typed}.kmsKeyId has the wrong type: expected a string, got 42 (a number)`);
    expect(bad('sm', { secretType: 'SecureString' })).toContain(`${at}.secretType is not read by AWS Secrets Manager`);
    expect(bad('ps', { replicationLocations: ['eu-west-1'] })).toContain(`${at}.replicationLocations is not read by AWS Parameter Store`);
    expect(bad('ps', { kmsKeyId: KEY_ID })).toContain('kmsKeyId is used for SecureString parameters only');
    expect(bad('sm', 'tags')).toContain(`${typed} has the wrong type: expected the PushSecretMetadata spec`);
    const azure = problems((app) => {
      const c = new EsoCluster(app, 'apps', { cloud: 'azure' });
      const store = new EsoSecretStore(c, 'kv', {
        namespace: 'a',
        provider: new AzureKeyVault({
          vaultUrl: 'https://kv.vault.azure.net/',
          tenantId: '00000000-0000-4000-8000-000000000001',
          credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
        }),
      });
      new EsoPushSecret(c, 'push', { store, secretName: 's', data: [{ secretKey: 'k', remoteKey: 'k', metadata: { tags: { a: 'b' } } }] });
    }).join('\n');
    expect(azure).toContain('push metadata is modeled for AWS stores only');
  });

  it('import: the metadata comes back as a prop, and the PushSecret synthesizes equal', async () => {
    const { dir, remove } = scratchDir();
    try {
      const first = compile((app) => cluster(app, 'sm', FULL));
      const result = importInto(yamlFiles(first), dir);
      expect(result.items.filter((i) => i.severity === 'unmapped')).toEqual([]);
      expect(result.code).toContain(`kmsKeyId: '${KEY_ID}'`);
      const again = (await runGenerated(result.code, dir)).compile();
      expect(pushObject(again).spec).toEqual(pushObject(first).spec);
    } finally {
      remove();
    }
  });
});
