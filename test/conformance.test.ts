/**
 * Conformance against the real CRDs (Spaces v1.17, ESO, Argo CD, Flux, Sveltos, the Crossplane
 * providers, provider-kubernetes): every object the compiler emits for the example, the examples/
 * and the test topologies (also their Crossplane IAM managed resources) validates with zero errors
 * against its CRD's schema (unknown fields rejected) and CEL rules (evaluated by a real CEL engine
 * as on create), both as objects and as the YAML files written to disk. The last test reports what
 * the CEL rules did: each rule reached, evaluated or (transition rules) skipped, with counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildGitOps } from '../examples/gitops.js';
import { buildPlainEso } from '../examples/plain-eso.js';
import { buildSveltos } from '../examples/sveltos.js';
import { TopologyApp, type Compilation } from '../lib/index.js';
import { writeAtomically } from '../lib/output/writer.js';
import { buildExample } from '../main.js';
import { platform, REGION } from './fixtures/aws-topologies.js';
import { azureTopology } from './fixtures/azure-topologies.js';
import { gcpTopology } from './fixtures/gcp-topologies.js';
import { FIXTURES } from './fixtures/topologies.js';
import { CrdValidator, describeWithCrds, parseManifests } from './support/crd-schemas.js';
import { validateDirectory } from './support/crd-schemas.js';

type Json = Record<string, any>;

const onApp = (build: (app: TopologyApp) => unknown) => (): Compilation => {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  build(app);
  return app.compile();
};

/** Every topology: the example, the examples/, the test topologies and the Crossplane IAM fixtures. */
const TOPOLOGIES: Record<string, () => Compilation> = {
  example: onApp(buildExample),
  ...Object.fromEntries(Object.entries(FIXTURES).map(([name, build]) => [name, onApp(build)])),
  'examples/gitops argocd': onApp((app) => buildGitOps(app, 'argocd')),
  'examples/gitops flux': onApp((app) => buildGitOps(app, 'flux')),
  'examples/plain-eso': onApp(buildPlainEso),
  'examples/sveltos': onApp(buildSveltos),
  'aws pod identity, crossplane': () =>
    platform('pod-identity', { region: REGION, crossplane: { providerConfigName: 'aws-iam' } }).app.compile(),
  'aws pod identity, crossplane namespaced': () =>
    platform('pod-identity', {
      region: REGION,
      crossplane: { namespace: 'crossplane-iam', providerConfigName: 'aws-iam', providerConfigKind: 'ProviderConfig' },
    }).app.compile(),
  'aws irsa, crossplane namespaced (default ClusterProviderConfig)': () =>
    platform('irsa', { crossplane: { namespace: 'crossplane-iam' } }).app.compile(),
  'examples/gitops argocd, ApplicationSet and inline values': onApp((app) => {
    buildGitOps(app, 'argocd', { applicationSet: true, values: { account: 'acme', ingress: { host: 'spaces.acme.example' } } });
  }),
  'examples/gitops flux, registry Secret and Helm remediation': onApp((app) => {
    buildGitOps(app, 'flux', {
      secretRef: 'spaces-registry',
      install: { retries: 5, crds: 'Create' },
      upgrade: { retries: -1, strategy: 'uninstall', crds: 'Skip', cleanupOnFail: false },
    });
  }),
  'aws irsa inline, crossplane': () => platform('irsa', { permissionPolicy: 'inline', crossplane: true }).app.compile(),
  // These fixtures opt their Space out of the cross-environment guardrails (one identity serves every environment).
  'azure workload identity, crossplane': () => azureTopology({ identity: { crossplane: true } }).app.compile(),
  'gcp principals, crossplane': () => gcpTopology({ identity: { crossplane: true } }).app.compile(),
  'gcp impersonation, crossplane': () => gcpTopology({ mode: 'gcp-impersonation', identity: { crossplane: true } }).app.compile(),
};

/** YAML files that are manifests but not in `manifests` (file artifacts: the Crossplane IAM). */
function artifactObjects(c: Compilation): { path: string; object: Json }[] {
  const inManifests = new Set(c.manifests.map((m) => m.path));
  return [...c.files]
    .filter(([path]) => path.endsWith('.yaml') && !inManifests.has(path) && !/(^|\/)(kustomization\.yaml|helm\/)|values/.test(path))
    .flatMap(([path, text]) => parseManifests(text).map((object) => ({ path, object: object as Json })));
}

describeWithCrds('conformance with the real CRDs (Spaces v1.17, ESO, Argo CD, Flux, Sveltos, Crossplane providers)', () => {
  let validator: CrdValidator;
  const tmp = mkdtempSync(join(tmpdir(), 'topology-conformance-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const kinds = new Set<string>();

  beforeAll(async () => {
    validator = await CrdValidator.load({
      include: ['spaces/v1.17', 'external-secrets', 'argo-cd', 'flux', 'sveltos', 'crossplane-providers'],
    });
  });

  it('the validator rejects what it must (sanity check of the harness)', () => {
    const out = TOPOLOGIES.minimal();
    const store = structuredClone(out.manifests.find((m) => m.object.kind === 'SharedSecretStore')?.object) as Json;
    store.spec.provider.aws.regoin = 'eu-central-1';
    expect(validator.validate(store).join('\n')).toContain('regoin');
    delete store.spec.provider.aws.regoin;
    store.spec.controlPlaneSelector = { names: [], labelSelectors: [] };
    expect(validator.validate(store)).toEqual([
      expect.stringContaining('spec.controlPlaneSelector: Invalid value: "object": either names or a labelSelector must be specified'),
    ]);
    expect(
      validator.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: { finalizers: ['kubernetes'], extra: 1 } }),
    ).not.toEqual([]);
  });

  for (const [name, build] of Object.entries(TOPOLOGIES)) {
    it(`${name}: every manifest and Crossplane managed resource validates with zero errors, schema and CEL rules`, () => {
      const out = build();
      expect(out.manifests.length).toBeGreaterThan(0);
      const errors: string[] = [];
      const check = (path: string, object: Json): void => {
        kinds.add(`${String(object.apiVersion)} ${String(object.kind)}`);
        expect(validator.knows(String(object.apiVersion), String(object.kind)), path).toBe(true);
        errors.push(...validator.validate(object).map((e) => `${path}: ${e}`));
        // A provider-kubernetes Object's wrapped manifest is an object of its own CRD.
        if (object.kind === 'Object') check(`${path} (wrapped)`, object.spec.forProvider.manifest as Json);
      };
      for (const { path, object } of out.manifests) {
        check(path, object);
        // The file on disk is the same object.
        expect(parse(out.files.get(path) ?? '', { version: '1.1' }), path).toEqual(object);
      }
      for (const { path, object } of artifactObjects(out)) check(path, object);
      expect(errors).toEqual([]);
    });
  }

  it('the written output of every topology validates as a directory', async () => {
    for (const [name, build] of Object.entries(TOPOLOGIES)) {
      const outdir = join(tmp, 'written', name.replace(/[^a-z0-9-]+/g, '-'));
      writeAtomically(outdir, build().files);
      expect(await validateDirectory(outdir, validator), name).toEqual([]);
    }
  });

  it('CEL: the rules of every emitted kind ran on the objects; transition rules were skipped and counted', () => {
    for (const kind of [
      'spaces.upbound.io/v1alpha1 SharedSecretStore',
      'spaces.upbound.io/v1alpha1 SharedExternalSecret',
      'spaces.upbound.io/v1beta1 ControlPlane',
      'kubernetes.crossplane.io/v1alpha2 Object',
      'external-secrets.io/v1 ClusterSecretStore',
      'external-secrets.io/v1alpha1 PushSecret',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization',
      'helm.toolkit.fluxcd.io/v2 HelmRelease',
      'config.projectsveltos.io/v1beta1 ClusterProfile',
      'iam.aws.upbound.io/v1beta1 Role',
      'iam.aws.m.upbound.io/v1beta1 Role',
      'iam.aws.m.upbound.io/v1beta1 Policy',
      'iam.aws.m.upbound.io/v1beta1 RolePolicyAttachment',
      'eks.aws.upbound.io/v1beta1 PodIdentityAssociation',
      'eks.aws.m.upbound.io/v1beta1 PodIdentityAssociation',
      'argoproj.io/v1alpha1 ApplicationSet',
      'source.toolkit.fluxcd.io/v1 OCIRepository',
      'managedidentity.azure.upbound.io/v1beta1 FederatedIdentityCredential',
      'cloudplatform.gcp.upbound.io/v1beta2 ProjectIAMMember',
      'cloudplatform.gcp.upbound.io/v1beta2 ServiceAccountIAMMember',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const rules = validator.celTally.rules();
    const line = (r: (typeof rules)[number]) =>
      `${r.crd.replace(/ \(.*\)$/, '')} ${r.at || '(root)'}: ${r.source.message ?? r.source.rule}`;
    const evaluated = rules.filter((r) => r.evaluated > 0).map(line);
    const skipped = rules.filter((r) => r.skipped > 0);
    const totals = validator.celTally.totals();
    console.info(
      `[conformance] CEL: ${totals.evaluated} rule evaluations (${evaluated.length} rules) over ${kinds.size} kinds, ${totals.failed} failed (the harness check); ` +
        `${totals.skipped} transition-rule evaluations skipped on create (${skipped.length} rules: ${skipped.map((r) => `${line(r)} ×${r.skipped}`).join('; ')})`,
    );
    // The only failure is the sanity check's broken store: every emitted object passed every rule.
    expect(rules.filter((r) => r.failed > 0).map((r) => [line(r), r.failed])).toEqual([
      ['spaces.upbound.io/v1alpha1 SharedSecretStore .spec.controlPlaneSelector: either names or a labelSelector must be specified', 1],
    ]);
    // The rules every Spaces, Crossplane and Flux object of the topologies reaches.
    expect(evaluated).toEqual(
      expect.arrayContaining([
        'spaces.upbound.io/v1alpha1 SharedSecretStore .spec.controlPlaneSelector: either names or a labelSelector must be specified',
        'spaces.upbound.io/v1alpha1 SharedSecretStore .spec.namespaceSelector: either names or a labelSelector must be specified',
        'spaces.upbound.io/v1alpha1 SharedExternalSecret .spec.controlPlaneSelector: either names or a labelSelector must be specified',
        'spaces.upbound.io/v1alpha1 SharedExternalSecret .spec.namespaceSelector: either names or a labelSelector must be specified',
        'spaces.upbound.io/v1beta1 ControlPlane (root): control plane name cannot exceed 63 characters',
        'spaces.upbound.io/v1beta1 ControlPlane .spec: "version" cannot be empty when upgrade channel is "None"',
        'iam.aws.upbound.io/v1beta1 Role .spec: spec.forProvider.assumeRolePolicy is a required parameter',
        'iam.aws.upbound.io/v1beta1 Policy .spec: spec.forProvider.policy is a required parameter',
        'managedidentity.azure.upbound.io/v1beta1 FederatedIdentityCredential .spec: spec.forProvider.subject is a required parameter',
        'cloudplatform.gcp.upbound.io/v1beta2 ProjectIAMMember .spec: spec.forProvider.role is a required parameter',
        'kustomize.toolkit.fluxcd.io/v1 Kustomization .spec.kubeConfig: exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified',
        'helm.toolkit.fluxcd.io/v2 HelmRelease .spec: either chart or chartRef must be set',
      ]),
    );
    // Immutability rules need the old object: on create they cannot run, and say so.
    expect(skipped.every((r) => r.transition && r.evaluated === 0)).toBe(true);
    expect(skipped.map(line)).toEqual([
      'spaces.upbound.io/v1alpha1 SharedExternalSecret .spec: externalSecretName is immutable',
      'spaces.upbound.io/v1alpha1 SharedSecretStore .spec: secretStoreName is immutable',
      'spaces.upbound.io/v1beta1 ControlPlane .spec: restore source can not be unset',
      'spaces.upbound.io/v1beta1 ControlPlane .spec: [[GATE:EnableHostNamespace]] hostNamespace is immutable after creation',
      'spaces.upbound.io/v1beta1 ControlPlane .spec: restore source can not be set after creation',
    ]);
  });
});
