/**
 * The Sveltos target: ESO materializes the Secret in the management cluster, a v1beta1
 * ClusterProfile selects managed clusters by label and reads the Secret through
 * templateResourceRefs, and a template ConfigMap renders the copy.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSveltos } from '../examples/sveltos.js';
import {
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  GcpSecretManager,
  Namespaces,
  StaticCredentials,
  SveltosSecretDistribution,
  TopologyApp,
  TopologyError,
  type Compilation,
} from '../lib/index.js';
import { SOURCE_IDENTIFIER } from '../lib/targets/sveltos.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';
import { compile } from './support/compile.js';

type Json = Record<string, any>;

const obj = (out: Compilation, path: string): Json => out.manifests.find((x) => x.path === path)?.object as Json;

describe('Sveltos example', () => {
  let out: Compilation;
  beforeAll(() => {
    out = compile(buildSveltos);
  });

  it('emits the ESO objects, a ClusterProfile per distribution and its template ConfigMap into the management cluster', () => {
    expect(out.manifests.filter((m) => m.path.startsWith('clusters/')).map((m) => m.path)).toEqual([
      'clusters/mgmt/clusterprofile-registry-pull-prod.yaml',
      'clusters/mgmt/clusterprofile-telemetry-token-all.yaml',
      'clusters/mgmt/clustersecretstore-gsm.yaml',
      'clusters/mgmt/namespaces/fleet-secrets/configmap-sveltos-registry-pull-prod.yaml',
      'clusters/mgmt/namespaces/fleet-secrets/configmap-sveltos-telemetry-token-all.yaml',
      'clusters/mgmt/namespaces/fleet-secrets/externalsecret-registry-pull.yaml',
      'clusters/mgmt/namespaces/fleet-secrets/externalsecret-telemetry-token.yaml',
    ]);
  });

  it('selects clusters with a v1beta1 LabelSelector and reads the Secret ESO writes', () => {
    const cp = obj(out, 'clusters/mgmt/clusterprofile-registry-pull-prod.yaml');
    expect(cp.apiVersion).toBe('config.projectsveltos.io/v1beta1');
    expect(cp.metadata.namespace).toBeUndefined();
    expect(cp.spec.clusterSelector).toEqual({ matchLabels: { env: 'prod' } });
    const es = obj(out, 'clusters/mgmt/namespaces/fleet-secrets/externalsecret-registry-pull.yaml');
    expect(cp.spec.templateResourceRefs).toEqual([
      {
        identifier: SOURCE_IDENTIFIER,
        resource: { apiVersion: 'v1', kind: 'Secret', name: es.spec.target.name, namespace: es.metadata.namespace },
      },
    ]);
    expect(cp.spec.policyRefs).toEqual([{ kind: 'ConfigMap', name: 'sveltos-registry-pull-prod', namespace: 'fleet-secrets' }]);
    expect(cp.spec.syncMode).toBe('Continuous');
    expect(obj(out, 'clusters/mgmt/clusterprofile-telemetry-token-all.yaml').spec).toMatchObject({
      clusterSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'staging', 'prod'] }] },
      syncMode: 'ContinuousWithDriftDetection',
    });
  });

  it('renders the copy from a template ConfigMap annotated projectsveltos.io/template: "true"', () => {
    const cm = obj(out, 'clusters/mgmt/namespaces/fleet-secrets/configmap-sveltos-registry-pull-prod.yaml');
    expect(cm).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'sveltos-registry-pull-prod', namespace: 'fleet-secrets', annotations: { 'projectsveltos.io/template': 'true' } },
    });
    const tpl: string = cm.data['secret.yaml'];
    // Every getResource uses the identifier of the ClusterProfile's templateResourceRefs.
    const ids = [...tpl.matchAll(/getResource "([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids)).toEqual(new Set([SOURCE_IDENTIFIER]));
    // With the template actions replaced by values, the document is the Secret Sveltos deploys.
    const rendered = parse(
      tpl
        .replace(/\{\{[^}]*\.type[^}]*\}\}/, '"kubernetes.io/dockerconfigjson"')
        .replace(/\{\{[^}]*\.data[^}]*\}\}/, '{".dockerconfigjson": "e30="}'),
    );
    expect(rendered).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'registry-pull', namespace: 'kube-system' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': 'e30=' },
    });
  });

  it('synthesizes when run as a program', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sveltos-'));
    try {
      const app = new TopologyApp({ outdir: dir });
      buildSveltos(app);
      app.synth();
      expect(parse(readFileSync(join(dir, 'clusters/mgmt/clusterprofile-registry-pull-prod.yaml'), 'utf8'))).toEqual(
        obj(out, 'clusters/mgmt/clusterprofile-registry-pull-prod.yaml'),
      );
      expect(parse(readFileSync(join(dir, 'clusters/mgmt/kustomization.yaml'), 'utf8')).resources).toContain('namespaces/fleet-secrets');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Sveltos problems', () => {
  it("refuses a ClusterExternalSecret source, an empty selector, a secret ESO does not write, another cluster's secret", () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const mgmt = new EsoCluster(app, 'mgmt', { cloud: 'gcp' });
    const other = new EsoCluster(app, 'other', { cloud: 'gcp' });
    const creds = StaticCredentials.gcpServiceAccountKey({ secretName: 'k' });
    const store = new EsoSecretStore(mgmt, 'gsm', {
      provider: new GcpSecretManager({ projectId: 'acme-x1', credentials: creds }),
      namespaces: Namespaces.named('a', 'b'),
    });
    const otherStore = new EsoSecretStore(other, 'gsm', {
      provider: new GcpSecretManager({ projectId: 'acme-x1', credentials: creds }),
      namespaces: Namespaces.named('a'),
    });
    const ces = new EsoExternalSecret(mgmt, 'ces', {
      store,
      namespaces: Namespaces.named('a', 'b'),
      data: [{ secretKey: 'k', remoteKey: 'k' }],
    });
    const none = new EsoExternalSecret(mgmt, 'none', {
      store,
      namespace: 'a',
      target: { creationPolicy: 'None' },
      data: [{ secretKey: 'k', remoteKey: 'k' }],
    });
    const foreign = new EsoExternalSecret(other, 'foreign', {
      store: otherStore,
      namespace: 'a',
      data: [{ secretKey: 'k', remoteKey: 'k' }],
    });
    new SveltosSecretDistribution(mgmt, 'd1', { secret: ces, clusterSelector: { matchLabels: { env: 'prod' } } });
    new SveltosSecretDistribution(mgmt, 'd2', { secret: none, clusterSelector: {} });
    new SveltosSecretDistribution(mgmt, 'd3', { secret: foreign, clusterSelector: { matchLabels: { 'bad key!': 'x' } } });
    let text = '';
    try {
      app.compile();
    } catch (e) {
      if (!(e instanceof TopologyError)) throw e;
      text = e.message;
    }
    expect(text).toContain('mgmt/d1: secret "ces" is a ClusterExternalSecret: distribute a namespaced ExternalSecret');
    expect(text).toContain('mgmt/d2: secret "none" has target.creationPolicy "None"');
    expect(text).toContain('mgmt/d2: clusterSelector {} is empty and would match every managed cluster');
    expect(text).toContain('mgmt/d3: secret "foreign" is in cluster "other", not in management cluster "mgmt"');
    expect(text).toContain('mgmt/d3: clusterSelector: ');
  });
});

describeWithCrds('Sveltos objects validate against the Sveltos v1.14 and ESO CRDs', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['sveltos', 'external-secrets', 'flux'] });
  });

  it('every object of the Sveltos example (the template ConfigMaps are cdk8s-plus core objects: mutable, string data)', () => {
    const out = compile(buildSveltos);
    const errors: string[] = [];
    for (const { path, object } of out.manifests as { path: string; object: Json }[]) {
      if (object.kind === 'ConfigMap') {
        expect(Object.keys(object).sort(), path).toEqual(['apiVersion', 'data', 'immutable', 'kind', 'metadata']);
        // Sveltos re-reads the template when it changes: a ConfigMap made immutable could not be updated.
        expect(object.immutable, path).toBe(false);
        expect(
          Object.values(object.data).every((x) => typeof x === 'string'),
          path,
        ).toBe(true);
      }
      errors.push(...v.validate(object).map((e) => `${path}: ${e}`));
    }
    expect(errors).toEqual([]);
    expect(
      v.validate({
        apiVersion: 'config.projectsveltos.io/v1beta1',
        kind: 'ClusterProfile',
        metadata: { name: 'x' },
        spec: { clusterSelector: 'env=prod' },
      }),
    ).not.toEqual([]);
  });
});
