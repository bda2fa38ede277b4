#!/usr/bin/env -S npx tsx
/**
 * Regenerates the typed bindings in `imports/` with `cdk8s import`.
 *
 * `cdk8s import` writes one file per API group and overwrites it when a second CRD of the same
 * group is imported, so each group's CRDs are concatenated into one multi-document YAML first.
 *
 * Only what lib/ emits is bound: each group lists the kinds it emits and the one version of each
 * (`emits` below, e.g. ESO `v1` stores and secrets and `v1alpha1` PushSecret). Every CRD is
 * reduced to that version before the import, so the deprecated, unserved `v1beta1` ESO schemas
 * (and their `*V1Beta1` classes) are not generated: the bindings are smaller and load faster.
 * The filter applies the same way to the local and the `--upstream` sources; a CRD whose kind is
 * not listed, or that lacks the listed version, fails the import (an upstream bump shows up here).
 * To bind another kind or version, add it to `emits` (and its CRD to the paths) and re-run.
 *
 *   npm run import                  # from ../shared/crds (or $CRDS_DIR), offline
 *   npm run import -- --upstream    # from the pinned public upstream locations below
 *   npm run import -- --only argoproj.io,helm.toolkit.fluxcd.io   # just these groups
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { $, argv } from 'zx';

interface CrdGroup {
  /** Output file name (without `.ts`) that `cdk8s import` derives from the API group. */
  readonly group: string;
  /** Public repository, pinned commit or tag, and the CRD paths inside it. */
  readonly upstream: { readonly repo: string; readonly ref: string; readonly paths: readonly string[] };
  /** The same files below the local CRD folder. */
  readonly local: readonly string[];
  /** Kinds lib/ emits from this group, each with the one CRD version that is bound. */
  readonly emits: Readonly<Record<string, string>>;
  /**
   * `cdk8s import --class-prefix`: needed when a kind's class would shadow a global of the generated
   * module (kind `Object`: its `toJson_*` helpers call `Object.entries`).
   */
  readonly classPrefix?: string;
}

export const CRD_GROUPS: readonly CrdGroup[] = [
  {
    group: 'spaces.upbound.io',
    emits: { ControlPlane: 'v1beta1', SharedExternalSecret: 'v1alpha1', SharedSecretStore: 'v1alpha1' },
    upstream: {
      repo: 'upbound/docs',
      ref: '61fd2cbfae6db5d06e6ec34e528b254b2aa24b3d',
      paths: [
        'static/crds/space/v1.17/spaces.upbound.io_controlplanes.yaml',
        'static/crds/space/v1.17/spaces.upbound.io_sharedexternalsecrets.yaml',
        'static/crds/space/v1.17/spaces.upbound.io_sharedsecretstores.yaml',
      ],
    },
    local: [
      'spaces/v1.17/spaces.upbound.io_controlplanes.yaml',
      'spaces/v1.17/spaces.upbound.io_sharedexternalsecrets.yaml',
      'spaces/v1.17/spaces.upbound.io_sharedsecretstores.yaml',
    ],
  },
  {
    group: 'external-secrets.io',
    emits: { ClusterExternalSecret: 'v1', ClusterSecretStore: 'v1', ExternalSecret: 'v1', PushSecret: 'v1alpha1', SecretStore: 'v1' },
    upstream: {
      repo: 'external-secrets/external-secrets',
      ref: 'v2.9.0',
      paths: [
        'config/crds/bases/external-secrets.io_clusterexternalsecrets.yaml',
        'config/crds/bases/external-secrets.io_clustersecretstores.yaml',
        'config/crds/bases/external-secrets.io_externalsecrets.yaml',
        'config/crds/bases/external-secrets.io_pushsecrets.yaml',
        'config/crds/bases/external-secrets.io_secretstores.yaml',
      ],
    },
    local: [
      'external-secrets/external-secrets.io_clusterexternalsecrets.yaml',
      'external-secrets/external-secrets.io_clustersecretstores.yaml',
      'external-secrets/external-secrets.io_externalsecrets.yaml',
      'external-secrets/external-secrets.io_pushsecrets.yaml',
      'external-secrets/external-secrets.io_secretstores.yaml',
    ],
  },
  {
    group: 'argoproj.io',
    emits: { Application: 'v1alpha1' },
    // Application only: ApplicationSet (1.4 MB of schema) and AppProject are not emitted.
    upstream: { repo: 'argoproj/argo-cd', ref: 'v3.5.1', paths: ['manifests/crds/application-crd.yaml'] },
    local: ['argo-cd/application-crd.yaml'],
  },
  {
    group: 'source.toolkit.fluxcd.io',
    emits: { GitRepository: 'v1', HelmRepository: 'v1', OCIRepository: 'v1' },
    upstream: {
      repo: 'fluxcd/source-controller',
      ref: 'v1.9.1',
      paths: [
        'config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml',
        'config/crd/bases/source.toolkit.fluxcd.io_helmrepositories.yaml',
        'config/crd/bases/source.toolkit.fluxcd.io_ocirepositories.yaml',
      ],
    },
    local: [
      'flux/source.toolkit.fluxcd.io_gitrepositories.yaml',
      'flux/source.toolkit.fluxcd.io_helmrepositories.yaml',
      'flux/source.toolkit.fluxcd.io_ocirepositories.yaml',
    ],
  },
  {
    group: 'kustomize.toolkit.fluxcd.io',
    emits: { Kustomization: 'v1' },
    upstream: {
      repo: 'fluxcd/kustomize-controller',
      ref: 'v1.9.4',
      paths: ['config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml'],
    },
    local: ['flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml'],
  },
  {
    group: 'helm.toolkit.fluxcd.io',
    emits: { HelmRelease: 'v2' },
    upstream: { repo: 'fluxcd/helm-controller', ref: 'v1.6.3', paths: ['config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml'] },
    local: ['flux/helm.toolkit.fluxcd.io_helmreleases.yaml'],
  },
  {
    group: 'config.projectsveltos.io',
    emits: { ClusterProfile: 'v1beta1' },
    upstream: {
      repo: 'projectsveltos/addon-controller',
      ref: 'v1.14.0',
      paths: ['config/crd/bases/config.projectsveltos.io_clusterprofiles.yaml'],
    },
    local: ['sveltos/config.projectsveltos.io_clusterprofiles.yaml'],
  },
  {
    group: 'kubernetes.crossplane.io',
    emits: { Object: 'v1alpha2' },
    classPrefix: 'Kubernetes',
    // Cluster-scoped provider-kubernetes Object (the Cloud Spaces wrapper); v1alpha1 is served but not the storage version.
    upstream: {
      repo: 'crossplane-contrib/provider-kubernetes',
      ref: '350ef9acf911654b9d54d62a4ca4d7f0d0b13341',
      paths: ['package/crds/kubernetes.crossplane.io_objects.yaml'],
    },
    local: ['crossplane-providers/kubernetes/kubernetes.crossplane.io_objects.yaml'],
  },
];

async function source(group: CrdGroup, upstream: boolean, crdsDir: string): Promise<string[]> {
  if (!upstream) return Promise.all(group.local.map((p) => readFile(join(crdsDir, p), 'utf8')));
  return Promise.all(
    group.upstream.paths.map(async (p) => {
      const url = `https://raw.githubusercontent.com/${group.upstream.repo}/${group.upstream.ref}/${p}`;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
      return res.text();
    }),
  );
}

interface CrdDoc {
  readonly kind?: string;
  readonly spec?: {
    readonly group?: string;
    readonly names?: { readonly kind?: string };
    readonly versions?: readonly { readonly name?: string }[];
  };
}

/**
 * Reduces a group's CRDs to the versions in `group.emits` and returns them as one multi-document
 * YAML stream (each document written as JSON, which YAML reads back as the same values: the
 * `yaml` package `cdk8s import` parses with is the one used here). Throws when a CRD's kind is
 * not listed, when a listed version is missing, or when a listed kind has no CRD.
 */
export function emittedVersions(group: CrdGroup, texts: readonly string[]): string {
  const found = new Set<string>();
  const out: string[] = [];
  for (const text of texts) {
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${group.group}: ${doc.errors[0].message}`);
      const crd = doc.toJS() as CrdDoc | null;
      if (crd === null) continue;
      const kind = crd.spec?.names?.kind;
      if (crd.kind !== 'CustomResourceDefinition' || crd.spec?.group !== group.group || kind === undefined) {
        throw new Error(`${group.group}: not a CustomResourceDefinition of this group (kind ${crd.kind}, group ${crd.spec?.group})`);
      }
      const version = group.emits[kind];
      if (version === undefined) throw new Error(`${group.group}: CRD of ${kind} is not in emits (${Object.keys(group.emits).join(', ')})`);
      const versions = crd.spec?.versions ?? [];
      const kept = versions.filter((v) => v.name === version);
      if (kept.length !== 1)
        throw new Error(`${group.group}: CRD of ${kind} has no version ${version} (has ${versions.map((v) => v.name).join(', ')})`);
      const dropped = versions.filter((v) => v.name !== version).map((v) => v.name);
      if (dropped.length > 0) console.log(`${group.group}: ${kind} ${version} (left out: ${dropped.join(', ')})`);
      found.add(kind);
      out.push(JSON.stringify({ ...crd, spec: { ...crd.spec, versions: kept } }));
    }
  }
  const missing = Object.keys(group.emits).filter((k) => !found.has(k));
  if (missing.length > 0) throw new Error(`${group.group}: no CRD for ${missing.join(', ')}`);
  return out.map((d) => `---\n${d}\n`).join('');
}

async function main(): Promise<void> {
  const upstream = Boolean(argv.upstream);
  const only = argv.only ? new Set(String(argv.only).split(',')) : undefined;
  const unknown = [...(only ?? [])].filter((g) => !CRD_GROUPS.some((c) => c.group === g));
  if (unknown.length > 0)
    throw new Error(`--only: unknown group(s) ${unknown.join(', ')}; known: ${CRD_GROUPS.map((c) => c.group).join(', ')}`);
  const crdsDir = resolve(process.env.CRDS_DIR ?? '../shared/crds');
  const out = resolve('imports');
  const cdk8s = resolve('node_modules/.bin/cdk8s');
  const work = await mkdtemp(join(tmpdir(), 'crd-import-'));
  try {
    for (const group of CRD_GROUPS.filter((g) => !only || only.has(g.group))) {
      const file = join(work, `${group.group}.yaml`);
      await writeFile(file, emittedVersions(group, await source(group, upstream, crdsDir)));
      // Run from the scratch folder: in a folder with a cdk8s.yaml, `cdk8s import` appends the
      // (temporary) input path to that file's `imports` list.
      const prefix = group.classPrefix === undefined ? [] : ['--class-prefix', group.classPrefix];
      await $({ cwd: work })`${cdk8s} import ${file} --language typescript --output ${out} --no-check-upgrade ${prefix}`;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
