/**
 * Cloud Spaces: each Shared* object of a Space with `hosting: 'cloud'` is wrapped, unchanged, in a
 * provider-kubernetes Object under `spaces/<space>/cloud-objects/<group>/`; self-hosted Spaces get
 * none; the kustomizations keep the wrapped objects out of the Space's own kustomization.
 * (provider-kubernetes has no CRD in the pinned set: the wrapped manifests are validated instead.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildGitOps } from '../examples/gitops.js';
import { CloudSpaceObjects, Space, TopologyApp, TopologyError, type Compilation } from '../lib/index.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';
import { compile } from './support/compile.js';

type Json = Record<string, any>;

describe('Cloud Space objects', () => {
  let out: Compilation;
  beforeAll(() => {
    out = compile((app) => {
      new CloudSpaceObjects(app, 'cloud', {
        providerConfigs: { 'upbound-us': 'upbound-us-kubeconfig' },
        managementPolicies: ['Observe', 'Create', 'Update', 'LateInitialize'],
      });
      buildGitOps(app, 'argocd');
    });
  });

  it('wraps every Shared* object of the Cloud Space, unchanged, and nothing of self-hosted Spaces', () => {
    const shared = out.manifests.filter(
      (m) => m.path.startsWith('spaces/upbound-us/groups/') && String(m.object.kind).startsWith('Shared'),
    );
    const wrapped = out.manifests.filter((m) => m.path.startsWith('spaces/upbound-us/cloud-objects/'));
    expect(shared.length).toBe(2);
    expect(wrapped.map((m) => m.path)).toEqual([
      'spaces/upbound-us/cloud-objects/apps/object-sharedexternalsecret-api-token.yaml',
      'spaces/upbound-us/cloud-objects/apps/object-sharedsecretstore-gsm-prod.yaml',
    ]);
    expect(wrapped.map((m) => (m.object as Json).spec.forProvider.manifest)).toEqual(
      shared
        .sort((a, b) => (a.object.kind === 'SharedExternalSecret' ? -1 : b.object.kind === 'SharedExternalSecret' ? 1 : 0))
        .map((m) => m.object),
    );
    expect(out.manifests.some((m) => m.path.startsWith('spaces/aws-eu/cloud-objects/'))).toBe(false);
  });

  it("names each Object <space>.<group>.<kind>.<name> and points it at the Space's ProviderConfig", () => {
    const o = out.manifests.find((m) => m.path.endsWith('object-sharedsecretstore-gsm-prod.yaml'))?.object as Json;
    expect(o.apiVersion).toBe('kubernetes.crossplane.io/v1alpha2');
    expect(o.kind).toBe('Object');
    expect(o.metadata.name).toBe('upbound-us.apps.sharedsecretstore.gsm-prod');
    expect(o.metadata.namespace).toBeUndefined();
    expect(o.spec.providerConfigRef).toEqual({ name: 'upbound-us-kubeconfig' });
    expect(o.spec.managementPolicies).toEqual(['Observe', 'Create', 'Update', 'LateInitialize']);
  });

  it("keeps the wrapped objects in their own kustomization root, out of the Space's kustomization", () => {
    expect(parse(out.files.get('spaces/upbound-us/kustomization.yaml') ?? '').resources).toEqual(['groups/apps']);
    expect(parse(out.files.get('spaces/upbound-us/cloud-objects/kustomization.yaml') ?? '').resources).toEqual(['apps']);
    expect(parse(out.files.get('spaces/upbound-us/cloud-objects/apps/kustomization.yaml') ?? '').resources).toEqual([
      'object-sharedexternalsecret-api-token.yaml',
      'object-sharedsecretstore-gsm-prod.yaml',
    ]);
  });

  it('the delivery constructs reuse an existing CloudSpaceObjects instead of adding another', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    new CloudSpaceObjects(app, 'mine');
    buildGitOps(app, 'argocd');
    expect(
      app.node
        .findAll()
        .filter((c) => c instanceof CloudSpaceObjects)
        .map((c) => c.node.path),
    ).toEqual(['mine']);
  });

  it('refuses ProviderConfigs for unknown or self-hosted Spaces', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    new CloudSpaceObjects(app, 'cloud', { providerConfigs: { 'aws-eu': 'x', nope: 'y', 'upbound-us': 'Not_Valid' } });
    buildGitOps(app, 'flux');
    expect(Space.all(app).length).toBe(2);
    let text = '';
    try {
      app.compile();
    } catch (e) {
      if (!(e instanceof TopologyError)) throw e;
      text = e.message;
    }
    expect(text).toContain('cloud: providerConfigs names Space "aws-eu", which is self-hosted');
    expect(text).toContain('cloud: providerConfigs names Space "nope", which does not exist: use one of "aws-eu", "upbound-us"');
    expect(text).toContain('"Not_Valid" is not a valid ProviderConfig name for Space "upbound-us"');
  });
});

describeWithCrds('wrapped Cloud Space objects validate against the Spaces v1.17 CRDs', () => {
  it('every wrapped manifest', async () => {
    const v = await CrdValidator.load({ include: ['spaces/v1.17'] });
    const out = compile((app) => buildGitOps(app, 'flux'));
    const wrapped = out.manifests.filter((m) => m.object.kind === 'Object');
    expect(wrapped.length).toBe(2);
    expect(wrapped.flatMap((m) => v.validate((m.object as Json).spec.forProvider.manifest))).toEqual([]);
  });
});
