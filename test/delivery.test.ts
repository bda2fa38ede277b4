/**
 * GitOps delivery: Argo CD Applications and Flux objects point at the compiled directories, the
 * right clusters and namespaces; the generated Helm values reach the Spaces / ESO releases; every
 * emitted object validates against its CRD; Namespaces and ControlPlanes are protected from
 * pruning.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildGitOps, GITOPS_REPO_PATH } from '../examples/gitops.js';
import {
  ArgoCdDelivery,
  AwsSecretsManager,
  ControlPlane,
  Environment,
  EsoCluster,
  FluxDelivery,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  TopologyApp,
  type Compilation,
} from '../lib/index.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';
import { compile, problems } from './support/compile.js';

type Json = Record<string, any>;

const under = (out: Compilation, dir: string): { path: string; object: Json }[] =>
  out.manifests.filter((m) => m.path.startsWith(`${dir}/`));
const byName = (out: Compilation, dir: string, kind: string): Map<string, Json> =>
  new Map(
    under(out, dir)
      .filter((m) => m.object.kind === kind)
      .map((m) => [m.object.metadata.name as string, m.object]),
  );
/** Strips the repository path of the output: `dist/spaces/a` → `spaces/a`. */
const rel = (p: string): string => p.replace(/^\.\//, '').replace(new RegExp(`^${GITOPS_REPO_PATH}/`), '');

/** A minimal self-hosted Space with one group, for option tests. */
function smallSpace(app: TopologyApp, name = 'eks'): Space {
  const prod = new Environment(app, `${name}-prod`, { labels: { environment: `${name}-prod` } });
  const space = new Space(app, name, {
    cloud: 'aws',
    identity: SpaceIdentity.awsIrsa({
      accountId: '111122223333',
      // One cluster (and issuer) per Space: two Spaces sharing an issuer and a plane id would share a principal.
      oidcIssuer: `https://oidc.eks.eu-central-1.amazonaws.com/id/${name.toUpperCase()}ABCDEF0123456789`,
    }),
  });
  const g = new Group(space, 'platform');
  new ControlPlane(g, 'p1', {
    environment: prod,
    controlPlaneId: '3f1c2a9e-5b7d-4e21-9a0c-6d8e7f1b2c3d',
    namespaces: ['crossplane-system'],
  });
  const store = new SecretStore(g, 'sm', {
    provider: new AwsSecretsManager({ region: 'eu-central-1' }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('crossplane-system'),
  });
  new SharedSecret(g, 's', { store, data: [{ secretKey: 'k', remoteKey: `${name}/prod/k` }] });
  return space;
}

describe('Argo CD delivery', () => {
  let out: Compilation;
  let apps: Map<string, Json>;
  beforeAll(() => {
    out = compile((app) => buildGitOps(app, 'argocd'));
    apps = byName(out, 'argocd', 'Application');
  });

  it('emits one Application per delivered directory and per Helm release, listed by argocd/kustomization.yaml', () => {
    expect([...apps.keys()].sort()).toEqual(['aws-eu-platform', 'aws-eu-spaces', 'tools', 'tools-external-secrets', 'upbound-us-apps']);
    const k = parse(out.files.get('argocd/kustomization.yaml') ?? '');
    expect(k.resources).toEqual([...apps.keys()].map((n) => `application-${n}.yaml`).sort());
    for (const a of apps.values()) expect(a.metadata.namespace).toBe('argocd');
  });

  it('points every directory Application at a compiled directory with a kustomization, on the right cluster and namespace', () => {
    const expected: Record<string, { dir: string; destination: Json }> = {
      'aws-eu-platform': {
        dir: 'spaces/aws-eu/groups/platform',
        destination: { server: 'https://A1B2C3D4E5.gr7.eu-central-1.eks.amazonaws.com', namespace: 'platform' },
      },
      'upbound-us-apps': { dir: 'spaces/upbound-us/cloud-objects/apps', destination: { name: 'delivery-cp' } },
      tools: { dir: 'clusters/tools', destination: { name: 'tools' } },
    };
    for (const [name, { dir, destination }] of Object.entries(expected)) {
      const spec = apps.get(name)?.spec;
      expect(spec.source).toEqual({
        repoURL: 'https://github.com/acme/platform-secrets.git',
        targetRevision: 'HEAD',
        path: `${GITOPS_REPO_PATH}/${dir}`,
      });
      expect(out.files.has(`${rel(spec.source.path)}/kustomization.yaml`), name).toBe(true);
      expect(spec.destination).toEqual(destination);
      expect(spec.project).toBe('default');
      expect(spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true']);
    }
  });

  it('never points Argo CD at a Cloud Space itself: its Application syncs the wrapped objects to the delivery control plane', () => {
    const paths = [...apps.values()].map((a) => a.spec.source?.path).filter(Boolean);
    expect(paths.some((p: string) => p.includes('spaces/upbound-us/groups'))).toBe(false);
    expect(under(out, 'spaces/upbound-us/cloud-objects').every((m) => m.object.kind === 'Object')).toBe(true);
  });

  it('feeds the Spaces release with the generated values file through a $values ref to the Git repository', () => {
    const spec = apps.get('aws-eu-spaces')?.spec;
    expect(spec.source).toBeUndefined();
    const [chart, values] = spec.sources;
    expect(chart).toMatchObject({
      repoURL: 'xpkg.upbound.io/spaces-artifacts',
      chart: 'spaces',
      targetRevision: '1.17.0',
      helm: { releaseName: 'spaces' },
    });
    expect(values).toEqual({ repoURL: 'https://github.com/acme/platform-secrets.git', targetRevision: 'HEAD', ref: 'values' });
    // The user's base values first, the generated file last (it wins on its keys).
    expect(chart.helm.valueFiles).toEqual([
      '$values/platform/spaces-base-values.yaml',
      `$values/${GITOPS_REPO_PATH}/spaces/aws-eu/helm/spaces-values.yaml`,
    ]);
    const generated = rel(chart.helm.valueFiles[1].replace(/^\$values\//, ''));
    expect(out.files.has(generated)).toBe(true);
    expect(
      parse(out.files.get(generated) ?? '').controlPlanes.sharedSecrets.serviceAccount.customAnnotations['eks.amazonaws.com/role-arn'],
    ).toMatch(/^arn:aws:iam::111122223333:role\//);
    expect(spec.destination).toEqual({ server: 'https://A1B2C3D4E5.gr7.eu-central-1.eks.amazonaws.com', namespace: 'upbound-system' });
    expect(spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    expect(apps.get('aws-eu-spaces')?.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  });

  it('installs ESO on an ESO cluster with its generated values file, in the ESO namespace', () => {
    const spec = apps.get('tools-external-secrets')?.spec;
    expect(spec.sources[0]).toMatchObject({
      repoURL: 'https://charts.external-secrets.io',
      chart: 'external-secrets',
      targetRevision: '2.9.0',
    });
    const file = rel(spec.sources[0].helm.valueFiles[0].replace(/^\$values\//, ''));
    expect(file).toBe('clusters/tools/helm/eso-values.yaml');
    expect(out.files.has(file)).toBe(true);
    expect(spec.destination).toEqual({ name: 'tools', namespace: 'external-secrets' });
  });

  it('marks group Namespaces and ControlPlanes Prune=false,Delete=false, and nothing else', () => {
    for (const m of out.manifests as { path: string; object: Json }[]) {
      const a = m.object.metadata.annotations?.['argocd.argoproj.io/sync-options'];
      if (m.path.startsWith('spaces/') && ['Namespace', 'ControlPlane'].includes(m.object.kind))
        expect(a, m.path).toBe('Prune=false,Delete=false');
      else expect(a, m.path).toBeUndefined();
    }
  });

  it('leaves protection, automation and server-side apply off when asked', () => {
    const o = compile((app) => {
      smallSpace(app);
      new ArgoCdDelivery(app, 'argocd', {
        repoUrl: 'https://git.example.com/r.git',
        destinations: { eks: { name: 'in-cluster' } },
        protectControlPlanes: false,
        automated: false,
        serverSideApply: false,
        granularity: 'space',
        targetRevision: 'main',
        project: 'platform',
      });
    });
    const a = byName(o, 'argocd', 'Application').get('eks');
    expect(a?.spec.source).toEqual({ repoURL: 'https://git.example.com/r.git', targetRevision: 'main', path: 'dist/spaces/eks' });
    expect(a?.spec.project).toBe('platform');
    expect(a?.spec.syncPolicy.automated).toBeUndefined();
    expect(a?.spec.syncPolicy.syncOptions).toBeUndefined();
    expect(a?.spec.destination).toEqual({ name: 'in-cluster' });
    const cp = o.manifests.find((m) => m.object.kind === 'ControlPlane')?.object as Json;
    expect(cp.metadata.annotations).toBeUndefined();
    expect(parse(o.files.get('spaces/eks/kustomization.yaml') ?? '').resources).toEqual(['groups/platform']);
  });

  it('reports bad settings, all at once, naming the fix', () => {
    const p = problems((app) => {
      smallSpace(app);
      new ArgoCdDelivery(app, 'argocd', {
        repoUrl: '',
        path: '/dist',
        destinations: { eks: { server: 'https://a', name: 'b' }, ekz: { name: 'x' } },
        spacesChart: { version: '^1.17' },
      });
    });
    expect(p.join('\n')).toContain('repoUrl is empty');
    expect(p.join('\n')).toContain('path "/dist" must be the output directory relative to the repository root');
    expect(p.join('\n')).toContain('destinations["eks"] must set exactly one of server');
    expect(p.join('\n')).toContain('destinations names "ekz", which is neither a Space nor an ESO cluster: use one of "eks"');
    expect(p.join('\n')).toContain('spacesChart.version "^1.17" is not a pinned chart version');
    expect(p.every((m) => m.startsWith('argocd: '))).toBe(true);
  });

  it('refuses two targets whose Applications would get the same name', () => {
    const p = problems((app) => {
      const a = smallSpace(app, 'a');
      new Group(a, 'b-c', { manageNamespace: true });
      smallSpace(app, 'a-b');
      const ab = Space.all(app).find((s) => s.name === 'a-b');
      if (ab) new Group(ab, 'c');
      new ArgoCdDelivery(app, 'argocd', {
        repoUrl: 'https://git.example.com/r.git',
        destinations: { a: { name: 'a' }, 'a-b': { name: 'ab' } },
      });
    });
    expect(p.join('\n')).toContain('Application "a-b-c" would be generated for both group "b-c" of Space "a" and group "c" of Space "a-b"');
  });
});

describe('Flux delivery', () => {
  let out: Compilation;
  beforeAll(() => {
    out = compile((app) => buildGitOps(app, 'flux'));
  });

  it('emits a GitRepository per target, reduced to its directory', () => {
    const repos = byName(out, 'flux', 'GitRepository');
    expect([...repos.keys()].sort()).toEqual(['aws-eu', 'tools', 'upbound-us']);
    expect(repos.get('aws-eu')?.spec).toEqual({
      url: 'https://github.com/acme/platform-secrets.git',
      ref: { branch: 'main' },
      interval: '1m',
      sparseCheckout: [`${GITOPS_REPO_PATH}/spaces/aws-eu`],
    });
    expect(repos.get('tools')?.spec.sparseCheckout).toEqual([`${GITOPS_REPO_PATH}/clusters/tools`]);
    for (const r of repos.values()) expect(r.metadata.namespace).toBe('flux-system');
  });

  it('emits a Kustomization per directory, with the path inside the target source and kubeConfig for remote targets', () => {
    const ks = byName(out, 'flux', 'Kustomization');
    expect([...ks.keys()].sort()).toEqual(['aws-eu-platform', 'tools', 'upbound-us-apps']);
    const expected: Record<string, { dir: string; source: string; kubeConfig?: Json }> = {
      'aws-eu-platform': {
        dir: 'spaces/aws-eu/groups/platform',
        source: 'aws-eu',
        kubeConfig: { secretRef: { name: 'aws-eu-kubeconfig', key: 'value' } },
      },
      'upbound-us-apps': {
        dir: 'spaces/upbound-us/cloud-objects/apps',
        source: 'upbound-us',
        kubeConfig: { secretRef: { name: 'delivery-cp-kubeconfig' } },
      },
      tools: { dir: 'clusters/tools', source: 'tools' },
    };
    const repos = byName(out, 'flux', 'GitRepository');
    for (const [name, e] of Object.entries(expected)) {
      const spec = ks.get(name)?.spec;
      expect(spec.path).toBe(`./${GITOPS_REPO_PATH}/${e.dir}`);
      expect(out.files.has(`${rel(spec.path)}/kustomization.yaml`)).toBe(true);
      expect(spec.sourceRef).toEqual({ kind: 'GitRepository', name: e.source });
      // The path is inside what the source checks out.
      expect(`${spec.path.slice(2)}/`.startsWith(`${repos.get(e.source)?.spec.sparseCheckout[0]}/`)).toBe(true);
      expect(spec.kubeConfig).toEqual(e.kubeConfig);
      expect(spec.prune).toBe(true);
    }
  });

  it('feeds the Spaces HelmRelease from an OCIRepository and a ConfigMap equal to the values file', () => {
    const hr = byName(out, 'flux', 'HelmRelease').get('aws-eu-spaces');
    expect(hr?.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'aws-eu-spaces' });
    expect(hr?.spec.kubeConfig).toEqual({ secretRef: { name: 'aws-eu-kubeconfig', key: 'value' } });
    expect(hr?.spec).toMatchObject({ releaseName: 'spaces', targetNamespace: 'upbound-system', storageNamespace: 'upbound-system' });
    expect(hr?.spec.valuesFrom).toEqual([
      { kind: 'Secret', name: 'spaces-base-values', valuesKey: 'values.yaml' },
      { kind: 'ConfigMap', name: 'aws-eu-spaces-values', valuesKey: 'values.yaml' },
    ]);
    const oci = byName(out, 'flux', 'OCIRepository').get('aws-eu-spaces');
    expect(oci?.spec).toMatchObject({
      url: 'oci://xpkg.upbound.io/spaces-artifacts/spaces',
      ref: { tag: '1.17.0' },
      layerSelector: { operation: 'copy' },
    });
    const cm = byName(out, 'flux', 'ConfigMap').get('aws-eu-spaces-values');
    expect(cm?.metadata.namespace).toBe('flux-system');
    expect(cm?.metadata.labels['reconcile.fluxcd.io/watch']).toBe('Enabled');
    // cdk8s-plus's ConfigMap, mutable: Flux watches it and upgrades the release when the values change.
    expect(cm?.immutable).toBe(false);
    expect(cm?.data['values.yaml']).toBe(out.files.get('spaces/aws-eu/helm/spaces-values.yaml'));
    expect(cm?.data['values.yaml']).toContain('eks.amazonaws.com/role-arn');
  });

  it('installs ESO from its HTTPS Helm repository with the generated values', () => {
    const hr = byName(out, 'flux', 'HelmRelease').get('tools-external-secrets');
    expect(hr?.spec.chart).toEqual({
      spec: { chart: 'external-secrets', version: '2.9.0', sourceRef: { kind: 'HelmRepository', name: 'tools-external-secrets' } },
    });
    expect(hr?.spec.kubeConfig).toBeUndefined();
    expect(byName(out, 'flux', 'HelmRepository').get('tools-external-secrets')?.spec.url).toBe('https://charts.external-secrets.io');
    expect(byName(out, 'flux', 'ConfigMap').get('tools-external-secrets-values')?.data['values.yaml']).toBe(
      out.files.get('clusters/tools/helm/eso-values.yaml'),
    );
  });

  it('marks group Namespaces and ControlPlanes prune: disabled', () => {
    const protectedObjs = out.manifests.filter(
      (m) => m.path.startsWith('spaces/') && ['Namespace', 'ControlPlane'].includes(String(m.object.kind)),
    );
    expect(protectedObjs.length).toBeGreaterThan(0);
    for (const m of protectedObjs)
      expect((m.object as Json).metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
  });

  it('reports two local targets, a bad URL and a ref with two kinds', () => {
    const p = problems((app) => {
      smallSpace(app, 'one');
      smallSpace(app, 'two');
      new FluxDelivery(app, 'flux', {
        url: 'git@github.com:acme/r.git',
        ref: { branch: 'main', tag: 'v1' },
        targets: { one: {}, two: {} },
        interval: '1d',
      });
    });
    const text = p.join('\n');
    expect(text).toContain('url "git@github.com:acme/r.git" is not a URL: use a URL starting with "https://", "http://" or "ssh://"');
    expect(text).toContain('ref {"branch":"main","tag":"v1"} must set exactly one of branch, tag and commit');
    expect(text).toContain('targets "one", "two" all have no kubeConfigSecret');
    expect(text).toContain('interval: "1d"');
  });

  it('delivers only the listed targets and skips empty directories', () => {
    const o = compile((app) => {
      smallSpace(app, 'one');
      smallSpace(app, 'two');
      new Group(Space.all(app)[0], 'empty', { manageNamespace: false });
      new EsoCluster(app, 'tools', { cloud: 'aws' });
      new FluxDelivery(app, 'flux', { url: 'https://git.example.com/r.git', targets: { one: {} } });
    });
    expect([...byName(o, 'flux', 'Kustomization').keys()]).toEqual(['one-platform']);
    expect([...byName(o, 'flux', 'GitRepository').keys()]).toEqual(['one']);
  });
});

describeWithCrds('GitOps objects validate against their CRDs', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['spaces/v1.17', 'external-secrets', 'argo-cd/application-crd.yaml', 'flux'] });
  });

  for (const tool of ['argocd', 'flux'] as const) {
    it(`${tool}: every object of the delivery, the ESO cluster and the wrapped Cloud Space objects`, () => {
      const out = compile((app) => buildGitOps(app, tool));
      const errors: string[] = [];
      let checked = 0;
      for (const { path, object } of out.manifests as { path: string; object: Json }[]) {
        if (object.kind === 'ConfigMap') {
          expect(object.apiVersion).toBe('v1');
          expect(object.immutable).toBe(false);
          expect(Object.values(object.data).every((x) => typeof x === 'string')).toBe(true);
        }
        // provider-kubernetes has no CRD here: check the wrapped object instead.
        const target = object.kind === 'Object' ? object.spec.forProvider.manifest : object;
        errors.push(...v.validate(target).map((e) => `${path}: ${e}`));
        checked++;
      }
      expect(errors).toEqual([]);
      expect(checked).toBeGreaterThan(10);
    });
  }
});
