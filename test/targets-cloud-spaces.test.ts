/**
 * Cloud Spaces: each Shared* object of a Space with `hosting: 'cloud'` is wrapped, unchanged, in a
 * provider-kubernetes Object under `spaces/<space>/cloud-objects/<group>/`; self-hosted Spaces get
 * none; the kustomizations keep the wrapped objects out of the Space's own kustomization. The
 * Objects validate against the pinned provider-kubernetes CRD (schema and CEL rules), the wrapped
 * manifests against the Spaces CRDs; management policies are limited to what Crossplane supports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildGitOps } from '../examples/gitops.js';
import { CloudSpaceObjects, Space, TopologyApp, TopologyError, type Compilation, type ManagementPolicy } from '../lib/index.js';
import { SUPPORTED_MANAGEMENT_POLICIES } from '../lib/targets/cloud-spaces-object.js';
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

/** The problems of compiling the GitOps example with these management policies. */
function policyProblems(managementPolicies: readonly string[]): string[] {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  new CloudSpaceObjects(app, 'cloud', { managementPolicies: managementPolicies as ManagementPolicy[] });
  buildGitOps(app, 'argocd');
  try {
    app.compile();
    return [];
  } catch (e) {
    if (!(e instanceof TopologyError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

describe('Cloud Space objects: management policies', () => {
  it('accepts every combination Crossplane supports, in any order and with repeats, but not the empty one', () => {
    for (const set of SUPPORTED_MANAGEMENT_POLICIES.filter((s) => s.length > 0)) {
      expect(policyProblems(set), JSON.stringify(set)).toEqual([]);
      expect(policyProblems([...set].reverse()), JSON.stringify(set)).toEqual([]);
      expect(policyProblems([...set, set[0]]), JSON.stringify(set)).toEqual([]);
    }
  });

  it('refuses [] (it pauses the Objects: nothing would be applied) and says how to fix it', () => {
    expect(policyProblems([])).toEqual([
      'cloud: managementPolicies [] pauses the Objects, so nothing is ever applied to the Cloud Space: use ["*"] (the default), or leave the Cloud Space out of the topology.',
    ]);
  });

  it('refuses combinations the Crossplane reconciler rejects, and unknown actions', () => {
    for (const set of [['*', 'Observe'], ['Create'], ['Delete'], ['Update', 'Delete'], ['Observe', 'Update', 'Delete'], ['*', 'Delete']]) {
      expect(policyProblems(set), JSON.stringify(set)).toEqual([
        expect.stringMatching(
          /^cloud: managementPolicies .* is not a combination Crossplane supports \(the Objects would not reconcile\): use one of \["\*"\], /,
        ),
      ]);
    }
    for (const set of [['observe'], ['*', 'Destroy'], ['Observe', '']]) {
      expect(policyProblems(set), JSON.stringify(set)).toEqual([expect.stringContaining('has unknown actions')]);
    }
  });

  it('leaves managementPolicies out by default (the CRD defaults it to ["*"]) and writes the given list', () => {
    const plain = compile((app) => buildGitOps(app, 'flux')).manifests.filter((m) => m.object.kind === 'Object');
    expect(plain.every((m) => !('managementPolicies' in (m.object as Json).spec))).toBe(true);
    expect(plain.map((m) => Object.keys((m.object as Json).spec).sort())).toEqual([
      ['forProvider', 'providerConfigRef'],
      ['forProvider', 'providerConfigRef'],
    ]);
  });
});

describeWithCrds('Cloud Space objects validate against the provider-kubernetes and Spaces v1.17 CRDs (schema and CEL rules)', () => {
  it('every Object and every wrapped manifest, with the default and with explicit management policies', async () => {
    const v = await CrdValidator.load({ include: ['spaces/v1.17', 'crossplane-providers/kubernetes'] });
    const outs = [
      compile((app) => buildGitOps(app, 'flux')),
      compile((app) => {
        new CloudSpaceObjects(app, 'cloud', { managementPolicies: ['Observe', 'Create', 'Update'] });
        buildGitOps(app, 'argocd');
      }),
    ];
    for (const out of outs) {
      const wrapped = out.manifests.filter((m) => m.object.kind === 'Object');
      expect(wrapped.length).toBe(2);
      expect(v.knows('kubernetes.crossplane.io/v1alpha2', 'Object')).toBe(true);
      expect(wrapped.flatMap((m) => v.validate(m.object))).toEqual([]);
      expect(wrapped.flatMap((m) => v.validate((m.object as Json).spec.forProvider.manifest))).toEqual([]);
    }
    const readiness = v.celTally.rules().find((r) => r.crd.startsWith('kubernetes.crossplane.io/v1alpha2 Object'));
    // No Object sets readiness: the rule on it is never reached (the policy default applies on the server).
    expect(readiness).toBeUndefined();
    // A broken Object is caught: a typo'd field and a readiness the CRD's rule rejects.
    const object = structuredClone(outs[0]?.manifests.find((m) => m.object.kind === 'Object')?.object) as Json;
    object.spec.providerConfigRef.nmae = 'x';
    object.spec.readiness = { policy: 'DeriveFromCelQuery', celQuery: '' };
    expect(v.validate(object)).toEqual([
      expect.stringContaining('/spec/providerConfigRef must NOT have additional properties (additionalProperty=nmae)'),
      expect.stringContaining('spec.readiness: Invalid value: "object": celQuery must be set if policy is DeriveFromCelQuery'),
    ]);
  });
});
