import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, expect, it } from 'vitest';

import { CrdValidator, describeWithCrds, parseManifests, validateDirectory } from './support/crd-schemas.js';

const sharedSecretStore = () => ({
  apiVersion: 'spaces.upbound.io/v1alpha1',
  kind: 'SharedSecretStore',
  metadata: { name: 'aws-secrets', namespace: 'platform' },
  spec: {
    controlPlaneSelector: { labelSelectors: [{ matchLabels: { environment: 'prod' } }] },
    namespaceSelector: { names: ['crossplane-system'] },
    provider: {
      aws: {
        service: 'SecretsManager',
        region: 'eu-central-1',
        auth: { jwt: { serviceAccountRef: { name: 'external-secrets-controller' } } },
      } as Record<string, unknown>,
    },
  } as Record<string, unknown>,
});

const sharedExternalSecret = () => ({
  apiVersion: 'spaces.upbound.io/v1alpha1',
  kind: 'SharedExternalSecret',
  metadata: { name: 'db', namespace: 'platform' },
  spec: {
    controlPlaneSelector: { names: ['prod-eu'] },
    namespaceSelector: { names: ['crossplane-system'] },
    externalSecretSpec: {
      secretStoreRef: { name: 'aws-secrets', kind: 'ClusterSecretStore' },
      refreshInterval: '1h',
      data: [{ secretKey: 'password', remoteRef: { key: 'prod/db', property: 'password' } }],
      target: { name: 'db' },
    } as Record<string, unknown>,
  },
});

describeWithCrds('CrdValidator (real CRD schemas)', () => {
  let v: CrdValidator;

  beforeAll(async () => {
    // Only the folders these tests need; schemas compile on first use.
    v = await CrdValidator.load({ include: ['spaces/v1.17', 'external-secrets'] });
  });

  it('indexes served versions and built-ins', () => {
    expect(v.knows('spaces.upbound.io/v1alpha1', 'SharedSecretStore')).toBe(true);
    expect(v.knows('external-secrets.io/v1', 'ClusterSecretStore')).toBe(true);
    expect(v.knows('external-secrets.io/v1beta1', 'ExternalSecret')).toBe(false); // served: false
    expect(v.knows('v1', 'Namespace')).toBe(true);
    expect(v.knows('argoproj.io/v1alpha1', 'Application')).toBe(false); // not included
  });

  it('accepts a valid SharedSecretStore', () => {
    expect(v.validate(sharedSecretStore())).toEqual([]);
  });

  it('rejects a typo in a SharedSecretStore field and names the field', () => {
    const obj = sharedSecretStore();
    (obj.spec.provider as { aws: Record<string, unknown> }).aws.regoin = 'eu-central-1';
    const errors = v.validate(obj);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain('regoin');
    expect(errors.join('\n')).toContain('SharedSecretStore/aws-secrets: /spec/provider/aws');
  });

  it('rejects a missing namespaceSelector', () => {
    const obj = sharedSecretStore();
    delete obj.spec.namespaceSelector;
    expect(v.validate(obj)).toEqual([expect.stringContaining("/spec must have required property 'namespaceSelector'")]);
  });

  it('rejects an empty names selector with the CRD rule (CEL, evaluated by the engine)', () => {
    const obj = sharedSecretStore();
    obj.spec.namespaceSelector = { names: [] };
    expect(v.validate(obj)).toEqual([
      'SharedSecretStore/aws-secrets: spec.namespaceSelector: Invalid value: "object": no such key: labelSelectors ' +
        'evaluating rule: either names or a labelSelector must be specified',
    ]);
    obj.spec.namespaceSelector = { names: [], labelSelectors: [] };
    expect(v.validate(obj)).toEqual([
      'SharedSecretStore/aws-secrets: spec.namespaceSelector: Invalid value: "object": either names or a labelSelector must be specified',
    ]);
  });

  it('skips the CEL rules when the schema finds a wrong type, as the API server does', () => {
    const obj = sharedSecretStore();
    obj.spec.namespaceSelector = { names: 'crossplane-system' };
    const errors = v.validate(obj);
    expect(errors[0]).toContain('/spec/namespaceSelector/names must be array');
    expect(errors[errors.length - 1]).toContain('some validation rules were not checked because the object was invalid');
  });

  it('rejects bad metadata (missing name, unknown field, invalid name)', () => {
    const noName = sharedSecretStore() as { metadata: Record<string, unknown> };
    delete noName.metadata.name;
    expect(v.validate(noName).join('\n')).toContain("must have required property 'name'");

    const extra = sharedSecretStore() as { metadata: Record<string, unknown> };
    extra.metadata.uid = 'abc';
    expect(v.validate(extra).join('\n')).toContain('additionalProperty=uid');

    const badName = sharedSecretStore();
    badName.metadata.name = 'Bad_Name';
    expect(v.validate(badName).join('\n')).toContain('/metadata/name must match pattern');
  });

  it('accepts a valid SharedExternalSecret and rejects a bad refreshPolicy', () => {
    expect(v.validate(sharedExternalSecret())).toEqual([]);

    const bad = sharedExternalSecret();
    bad.spec.externalSecretSpec.refreshPolicy = 'Sometimes';
    const errors = v.validate(bad);
    expect(errors.join('\n')).toContain('/spec/externalSecretSpec/refreshPolicy must be equal to one of the allowed values');
  });

  it('accepts a ControlPlane with labels and spec.crossplane, and rejects an empty spec with the CRD rule', () => {
    const plane = (spec: Record<string, unknown>) => ({
      apiVersion: 'spaces.upbound.io/v1beta1',
      kind: 'ControlPlane',
      metadata: { name: 'prod-eu', namespace: 'platform', labels: { environment: 'prod' } },
      spec,
    });
    expect(v.validate(plane({ crossplane: {} }))).toEqual([]);
    // The rule reads self.crossplane.autoUpgrade: on `spec: {}` the API server fails it with "no such key".
    expect(v.validate(plane({}))).toEqual([
      'ControlPlane/prod-eu: spec: Invalid value: "object": no such key: crossplane evaluating rule: "version" cannot be empty when upgrade channel is "None"',
    ]);
  });

  it('accepts an ESO v1 ClusterSecretStore and reports v1beta1 ExternalSecret as not served', () => {
    expect(
      v.validate({
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'aws' },
        spec: {
          provider: {
            aws: {
              service: 'SecretsManager',
              region: 'eu-central-1',
              auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
            },
          },
        },
      }),
    ).toEqual([]);

    const errors = v.validate({
      apiVersion: 'external-secrets.io/v1beta1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: 'apps' },
      spec: { secretStoreRef: { name: 'aws', kind: 'ClusterSecretStore' } },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('not served');
    expect(errors[0]).toContain('external-secrets.io/v1');
  });

  it('reports unknown apiVersion/kind', () => {
    expect(v.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      expect.stringContaining('unknown apiVersion/kind example.com/v1 Widget'),
    ]);
  });

  it('checks v1 Namespace names and fields; passes kustomize Kustomization', () => {
    expect(v.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'platform', labels: { a: 'b' } } })).toEqual([]);
    expect(v.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Platform.Prod' } })).not.toEqual([]);
    expect(v.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x'.repeat(64) } })).not.toEqual([]);
    // spec may hold only finalizers (the Spaces target emits spec: {}).
    expect(v.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ok' }, spec: {} })).toEqual([]);
    expect(v.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ok' }, spec: { finalizers: ['kubernetes'] } })).toEqual([]);
    expect(v.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ok' }, spec: { finalizer: ['kubernetes'] } })).not.toEqual(
      [],
    );
    expect(v.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ok' }, spec: { finalizers: 'kubernetes' } })).not.toEqual(
      [],
    );
    expect(v.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ok' }, status: {} })).not.toEqual([]);
    expect(v.validate({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['a.yaml'] })).toEqual([]);
  });

  it('checks v1 ConfigMap metadata and fields (Flux and Sveltos emit them)', () => {
    const cm = (extra: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'values', namespace: 'flux-system' },
      ...extra,
    });
    expect(v.knows('v1', 'ConfigMap')).toBe(true);
    expect(v.validate(cm({ data: { 'values.yaml': 'a: 1\n' } }))).toEqual([]);
    expect(v.validate(cm({ data: { n: 1 } })).join('\n')).toContain('/data/n must be string');
    expect(v.validate(cm({ spec: {} })).join('\n')).toContain('additionalProperty=spec');
    expect(v.validate({ ...cm({}), metadata: { name: 'Values' } }).join('\n')).toContain('/metadata/name must match pattern');
  });

  it('validateDirectory skips non-manifest YAML and reports only failing files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crd-schemas-'));
    try {
      await mkdir(join(dir, 'clusters', 'prod', 'helm'), { recursive: true });
      await writeFile(join(dir, 'clusters', 'prod', 'kustomization.yaml'), 'resources: [ns.yaml]\n');
      await writeFile(join(dir, 'clusters', 'prod', 'helm', 'chart.yaml'), 'anything: goes\n');
      await writeFile(join(dir, 'clusters', 'prod', 'values-prod.yaml'), 'replicaCount: 2\n');
      await writeFile(join(dir, 'clusters', 'prod', 'ns.yaml'), '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: platform\n');
      await writeFile(join(dir, 'clusters', 'prod', 'bad.yaml'), '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: Bad\n---\n');
      await writeFile(join(dir, 'broken.yaml'), 'a: [\n');
      const results = await validateDirectory(dir, v);
      expect(results.map((r) => r.file)).toEqual(['broken.yaml', 'clusters/prod/bad.yaml']);
      expect(results[1].errors.join('\n')).toContain('Namespace/Bad: /metadata/name must match pattern');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

it('parseManifests skips empty documents and throws on YAML errors', () => {
  expect(parseManifests('---\n---\na: 1\n---\n# only a comment\n---\nb: [2]\n')).toEqual([{ a: 1 }, { b: [2] }]);
  expect(parseManifests('')).toEqual([]);
  expect(() => parseManifests('a: 1\n---\nb: [\n')).toThrow(/document 2/);
});
