/**
 * The optional Crossplane output of the AWS identity plan: provider-upjet-aws `Role`, `Policy` and
 * `RolePolicyAttachment` objects that carry exactly the generated documents, validated against the
 * pinned provider-upjet-aws CRDs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  SpaceIdentity,
  TopologyApp,
  TopologyError,
  type Compilation,
} from '../lib/index.js';
import { ACCOUNT, CLUSTER, REGION, iamFiles, platform, scaled } from './fixtures/aws-topologies.js';
import { CrdValidator, describeWithCrds, parseManifests } from './support/crd-schemas.js';

type Json = Record<string, any>;

const PROD_ROLE = 'aws-eu-prod-shared-secrets';
const ROLES = ['aws-eu-dev-shared-secrets', PROD_ROLE, 'aws-eu-staging-shared-secrets'];

function objects(files: ReadonlyMap<string, string>, file: string): Json[] {
  return parseManifests(files.get(`crossplane/${file}`) ?? '') as Json[];
}

describe('AWS Crossplane output', () => {
  const podIdentity = platform('pod-identity', { region: REGION, crossplane: { providerConfigName: 'aws-iam' } }).app.compile();
  const files = iamFiles(podIdentity, 'aws-eu');

  it('is written under iam/aws/crossplane/: roles, policies, attachments and a README', () => {
    expect([...files.keys()].filter((p) => p.startsWith('crossplane/'))).toEqual([
      'crossplane/README.md',
      'crossplane/pod-identity-associations.yaml',
      'crossplane/policies.yaml',
      'crossplane/role-policy-attachments.yaml',
      'crossplane/roles.yaml',
    ]);
    expect(files.get('README.md')).toContain('`crossplane/` holds the same roles, policies and pod identity associations');
  });

  it('each Role carries the trust policy of its role as a JSON string, under its external name', () => {
    const roles = objects(files, 'roles.yaml');
    expect(roles.map((r) => r.metadata.annotations['crossplane.io/external-name'])).toEqual(ROLES);
    for (const r of roles) {
      const name = r.metadata.annotations['crossplane.io/external-name'] as string;
      expect(r).toMatchObject({
        apiVersion: 'iam.aws.upbound.io/v1beta1',
        kind: 'Role',
        metadata: { name, labels: { 'secrets-topology/space': 'aws-eu' } },
        spec: { providerConfigRef: { name: 'aws-iam' } },
      });
      expect(JSON.parse(r.spec.forProvider.assumeRolePolicy)).toEqual(JSON.parse(files.get(`${name}/trust-policy.json`) ?? ''));
      expect(r.spec.forProvider.inlinePolicy).toBeUndefined();
    }
  });

  it('each Policy carries a permission policy document, and an attachment references the Policy and the Role by name', () => {
    const policies = objects(files, 'policies.yaml');
    expect(policies.map((p) => p.metadata.name)).toEqual(ROLES);
    for (const p of policies)
      expect(JSON.parse(p.spec.forProvider.policy)).toEqual(JSON.parse(files.get(`${p.metadata.name}/permission-policy.json`) ?? ''));
    const attachments = objects(files, 'role-policy-attachments.yaml');
    expect(attachments.map((a) => [a.metadata.name, a.spec.forProvider.roleRef.name, a.spec.forProvider.policyArnRef.name])).toEqual(
      ROLES.map((r) => [`${r}-attachment`, r, r]),
    );
    for (const a of attachments) expect(a.spec.providerConfigRef).toEqual({ name: 'aws-iam' });
  });

  it('the README lists the pod identity associations and says to use them or the commands, not both', () => {
    const readme = files.get('crossplane/README.md') ?? '';
    expect(readme).toContain('| `pod-identity-associations.yaml` | 6 PodIdentityAssociation |');
    expect(readme).toContain('Use these or the `aws eks create-pod-identity-association` commands, not both.');
    expect(readme).toContain('(ProviderConfig `aws-iam`)');
  });

  it('has one PodIdentityAssociation per association file, with the same cluster, namespace and service account, and its Role by reference', () => {
    const associations = objects(files, 'pod-identity-associations.yaml');
    const jsons = [...files]
      .filter(([p]) => p.startsWith('pod-identity-associations/'))
      .map(([, text]) => JSON.parse(text) as { clusterName: string; namespace: string; serviceAccount: string; roleArn: string });
    expect(associations).toHaveLength(jsons.length);
    const roleArnOf = new Map(
      objects(files, 'roles.yaml').map((r) => [
        r.metadata.name as string,
        `arn:aws:iam::${ACCOUNT}:role/${r.metadata.annotations['crossplane.io/external-name'] as string}`,
      ]),
    );
    const fromObjects = associations.map((a) => {
      expect(a).toMatchObject({
        apiVersion: 'eks.aws.upbound.io/v1beta1',
        kind: 'PodIdentityAssociation',
        metadata: { labels: { 'secrets-topology/space': 'aws-eu' } },
        spec: { providerConfigRef: { name: 'aws-iam' }, forProvider: { region: REGION } },
      });
      expect(a.metadata.namespace).toBeUndefined();
      const f = a.spec.forProvider;
      return {
        clusterName: f.clusterName,
        namespace: f.namespace,
        serviceAccount: f.serviceAccount,
        roleArn: roleArnOf.get(f.roleArnRef.name),
      };
    });
    const key = (x: { namespace: string }) => x.namespace;
    expect(fromObjects.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(jsons.sort((a, b) => key(a).localeCompare(key(b))));
    expect(new Set(associations.map((a) => a.metadata.name)).size).toBe(associations.length);
  });

  it('IRSA has no pod identity associations', () => {
    const f = iamFiles(platform('irsa', { crossplane: true }).app.compile(), 'aws-eu');
    expect(f.has('crossplane/pod-identity-associations.yaml')).toBe(false);
    expect(f.get('crossplane/README.md')).not.toContain('PodIdentityAssociation');
  });

  it('namespaced (Crossplane v2): every object in the namespace, .m API groups, ProviderConfig kind and references in the namespace', () => {
    const f = iamFiles(
      platform('pod-identity', {
        region: REGION,
        crossplane: { namespace: 'crossplane-iam', providerConfigName: 'aws-iam', providerConfigKind: 'ProviderConfig' },
      }).app.compile(),
      'aws-eu',
    );
    const all = ['roles.yaml', 'policies.yaml', 'role-policy-attachments.yaml', 'pod-identity-associations.yaml'].flatMap((file) =>
      objects(f, file),
    );
    expect(new Set(all.map((o) => o.apiVersion))).toEqual(new Set(['iam.aws.m.upbound.io/v1beta1', 'eks.aws.m.upbound.io/v1beta1']));
    for (const o of all) {
      expect(o.metadata.namespace).toBe('crossplane-iam');
      expect(o.spec.providerConfigRef).toEqual({ kind: 'ProviderConfig', name: 'aws-iam' });
    }
    expect(f.get('crossplane/README.md')).toContain('namespaced: Crossplane v2, in namespace `crossplane-iam`');
    expect(f.get('crossplane/README.md')).toContain('(ProviderConfig `aws-iam`)');
    // Without a ProviderConfig, the CRD's default reference (ClusterProviderConfig "default") applies: none is written.
    const plain = iamFiles(platform('irsa', { crossplane: { namespace: 'crossplane-iam' } }).app.compile(), 'aws-eu');
    for (const o of objects(plain, 'roles.yaml')) expect(o.spec.providerConfigRef).toBeUndefined();
    expect(plain.get('crossplane/README.md')).toContain('(ClusterProviderConfig `default`)');
    // Only a name: a ClusterProviderConfig of that name.
    const named = iamFiles(platform('irsa', { crossplane: { namespace: 'x', providerConfigName: 'aws' } }).app.compile(), 'aws-eu');
    for (const o of objects(named, 'roles.yaml')) expect(o.spec.providerConfigRef).toEqual({ kind: 'ClusterProviderConfig', name: 'aws' });
  });

  it('refuses Pod Identity with crossplane but no region (the association needs it), and bad namespace / providerConfigKind settings', () => {
    const problemsOf = (t: ReturnType<typeof platform>) => t.app.problems().map((p) => `${p.path}: ${p.message}`);
    expect(problemsOf(platform('pod-identity', { crossplane: true }))).toContain(
      'aws-eu: identity: crossplane is on, and its PodIdentityAssociation objects need the EKS cluster\'s region (spec.forProvider.region): set region, e.g. "eu-central-1" (aws eks describe-cluster --name spaces-eks --query cluster.arn shows it).',
    );
    // Without crossplane, the region stays optional.
    expect(problemsOf(platform('pod-identity'))).toEqual([]);
    for (const namespace of ['Crossplane', '', 'a'.repeat(64), 'ns/../x', 'a\u001b[31m']) {
      const found = problemsOf(platform('irsa', { crossplane: { namespace } }));
      expect(found, namespace).toEqual([expect.stringContaining('crossplane.namespace ')]);
      expect(found[0]).not.toContain('\u001b');
    }
    // A closed list of the props schema: a type problem of the identity (the Space is then built without it).
    expect(problemsOf(platform('irsa', { crossplane: { namespace: 'x', providerConfigKind: 'providerconfig' as never } }))).toContain(
      'aws-eu: identity: crossplane.providerConfigKind "providerconfig" is not supported: expected one of "ClusterProviderConfig", "ProviderConfig"; use one of those.',
    );
    expect(problemsOf(platform('irsa', { crossplane: { providerConfigKind: 'ProviderConfig' } }))).toEqual([
      'aws-eu: identity: crossplane.providerConfigKind "ProviderConfig" is set without crossplane.namespace: cluster-scoped objects name only their ProviderConfig; set namespace for the namespaced (Crossplane v2) objects, or remove providerConfigKind.',
    ]);
  });

  it('inline permission policies go into the Role: no Policy, no attachment; default ProviderConfig with crossplane: true', () => {
    const c = platform('irsa', { permissionPolicy: 'inline', crossplane: true }).app.compile();
    const f = iamFiles(c, 'aws-eu');
    expect([...f.keys()].filter((p) => p.startsWith('crossplane/'))).toEqual(['crossplane/README.md', 'crossplane/roles.yaml']);
    const [role] = objects(f, 'roles.yaml');
    expect(role?.spec.providerConfigRef).toBeUndefined();
    expect(role?.spec.forProvider.inlinePolicy).toHaveLength(1);
    expect(role?.spec.forProvider.inlinePolicy[0].name).toBe('aws-eu-shared-secrets');
    expect(JSON.parse(role?.spec.forProvider.inlinePolicy[0].policy)).toEqual(
      JSON.parse(f.get('aws-eu-shared-secrets/permission-policy.json') ?? ''),
    );
  });

  it('a split managed policy gives one Policy and one attachment per part', () => {
    const names = Array.from({ length: 120 }, (_, i) => `team-${String(i).padStart(3, '0')}/service/credentials`);
    const f = iamFiles(scaled('irsa', { planes: 1, secretNames: names, identity: { crossplane: true } }).app.compile(), 'scale');
    const role = 'scale-shared-secrets';
    const parts = [...f.keys()].filter((p) => p.startsWith(`${role}/permission-policy-`)).sort();
    expect(parts.length).toBeGreaterThan(1);
    const policies = objects(f, 'policies.yaml');
    expect(policies.map((p) => p.metadata.name)).toEqual(parts.map((_, i) => `${role}-${i + 1}`));
    for (const [i, p] of parts.entries()) expect(JSON.parse(policies[i]?.spec.forProvider.policy)).toEqual(JSON.parse(f.get(p) ?? ''));
    expect(
      objects(f, 'role-policy-attachments.yaml').map((a) => [a.spec.forProvider.roleRef.name, a.spec.forProvider.policyArnRef.name]),
    ).toEqual(parts.map((_, i) => [role, `${role}-${i + 1}`]));
  });

  it('is not listed by any kustomization, and is off by default', () => {
    const kustomizations = [...podIdentity.files].filter(([p]) => p.endsWith('kustomization.yaml')).map(([, v]) => v);
    for (const k of kustomizations) expect(k).not.toContain('crossplane');
    expect([...iamFiles(platform('pod-identity').app.compile(), 'aws-eu').keys()].some((p) => p.startsWith('crossplane/'))).toBe(false);
  });

  it('refuses a providerConfigName that is not an object name', () => {
    const t = platform('irsa', { crossplane: { providerConfigName: 'AWS IAM' } });
    expect(() => t.app.compile()).toThrow(TopologyError);
    expect(t.app.problems().map((p) => p.message)).toContain(
      'identity: crossplane.providerConfigName "AWS IAM" is not a Kubernetes object name: use the name of a provider-upjet-aws ProviderConfig (lowercase letters, digits, \'-\' and \'.\'), e.g. "aws-iam".',
    );
  });
});

describeWithCrds('AWS Crossplane output validates against the provider-upjet-aws CRDs', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['crossplane-providers/aws'] });
  });

  const all = (c: Compilation): unknown[] =>
    [...c.files].filter(([p]) => /\/iam\/aws\/crossplane\/.*\.yaml$/.test(p)).flatMap(([, text]) => parseManifests(text));

  it('Pod Identity with managed policies (split), IRSA with inline policies, and an ESO cluster', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const cluster = new EsoCluster(app, 'apps', {
      cloud: 'aws',
      identity: SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: CLUSTER, region: REGION, crossplane: true }),
    });
    const sm = new EsoSecretStore(cluster, 'sm', { namespace: 'a', provider: new AwsSecretsManager({ region: REGION }) });
    new EsoExternalSecret(cluster, 'db', { store: sm, data: [{ secretKey: 'u', remoteKey: 'prod/db' }] });
    const outs = [
      platform('pod-identity', { region: REGION, crossplane: { providerConfigName: 'aws-iam' } }).app.compile(),
      platform('irsa', { permissionPolicy: 'inline', crossplane: true }).app.compile(),
      app.compile(),
      platform('pod-identity', {
        region: REGION,
        crossplane: { namespace: 'crossplane-iam', providerConfigName: 'aws-iam' },
      }).app.compile(),
    ];
    const objs = outs.flatMap(all);
    expect(objs.length).toBeGreaterThanOrEqual(12);
    const errors = objs.flatMap((o) => v.validate(o).map((e) => `${(o as Json).kind}/${(o as Json).metadata?.name}: ${e}`));
    expect(errors).toEqual([]);
    expect(outs[2]?.files.get('clusters/apps/iam/aws/crossplane/roles.yaml')).toContain('external-name: apps-external-secrets');
    // The ESO cluster's controller has one association; both scopes' association CRDs were used.
    expect(parseManifests(outs[2]?.files.get('clusters/apps/iam/aws/crossplane/pod-identity-associations.yaml') ?? '')).toEqual([
      expect.objectContaining({
        spec: {
          forProvider: {
            clusterName: CLUSTER,
            namespace: 'external-secrets',
            region: REGION,
            roleArnRef: { name: 'apps-external-secrets' },
            serviceAccount: 'external-secrets',
          },
        },
      }),
    ]);
    const kinds = new Set(objs.map((o) => `${(o as Json).apiVersion} ${(o as Json).kind}`));
    expect(kinds).toContain('eks.aws.upbound.io/v1beta1 PodIdentityAssociation');
    expect(kinds).toContain('eks.aws.m.upbound.io/v1beta1 PodIdentityAssociation');
    // A broken association is caught by the CRD's CEL rule (the required namespace).
    const broken = structuredClone(objs.find((o) => (o as Json).kind === 'PodIdentityAssociation')) as Json;
    delete broken.spec.forProvider.namespace;
    expect(v.validate(broken)).toEqual([expect.stringContaining('spec.forProvider.namespace is a required parameter')]);
  });
});
