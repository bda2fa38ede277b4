#!/usr/bin/env -S npx tsx
/**
 * Regenerates the typed bindings in `imports/` with `cdk8s import`.
 *
 * `cdk8s import` writes one file per API group and overwrites it when a second CRD of the same
 * group is imported, so each group's CRDs are concatenated into one multi-document YAML first.
 *
 *   npm run import                  # from ../shared/crds (or $CRDS_DIR), offline
 *   npm run import -- --upstream    # from the pinned public upstream locations below
 *   npm run import -- --only argoproj.io,helm.toolkit.fluxcd.io   # just these groups
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { $, argv } from 'zx';

interface CrdGroup {
  /** Output file name (without `.ts`) that `cdk8s import` derives from the API group. */
  readonly group: string;
  /** Public repository, pinned commit or tag, and the CRD paths inside it. */
  readonly upstream: { readonly repo: string; readonly ref: string; readonly paths: readonly string[] };
  /** The same files below the local CRD folder. */
  readonly local: readonly string[];
}

export const CRD_GROUPS: readonly CrdGroup[] = [
  {
    group: 'spaces.upbound.io',
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
    // Application only: ApplicationSet (1.4 MB of schema) and AppProject are not emitted.
    upstream: { repo: 'argoproj/argo-cd', ref: 'v3.5.1', paths: ['manifests/crds/application-crd.yaml'] },
    local: ['argo-cd/application-crd.yaml'],
  },
  {
    group: 'source.toolkit.fluxcd.io',
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
    upstream: { repo: 'fluxcd/kustomize-controller', ref: 'v1.9.4', paths: ['config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml'] },
    local: ['flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml'],
  },
  {
    group: 'helm.toolkit.fluxcd.io',
    upstream: { repo: 'fluxcd/helm-controller', ref: 'v1.6.3', paths: ['config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml'] },
    local: ['flux/helm.toolkit.fluxcd.io_helmreleases.yaml'],
  },
  {
    group: 'config.projectsveltos.io',
    upstream: { repo: 'projectsveltos/addon-controller', ref: 'v1.14.0', paths: ['config/crd/bases/config.projectsveltos.io_clusterprofiles.yaml'] },
    local: ['sveltos/config.projectsveltos.io_clusterprofiles.yaml'],
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

async function main(): Promise<void> {
  const upstream = Boolean(argv.upstream);
  const only = argv.only ? new Set(String(argv.only).split(',')) : undefined;
  const unknown = [...(only ?? [])].filter((g) => !CRD_GROUPS.some((c) => c.group === g));
  if (unknown.length > 0) throw new Error(`--only: unknown group(s) ${unknown.join(', ')}; known: ${CRD_GROUPS.map((c) => c.group).join(', ')}`);
  const crdsDir = resolve(process.env.CRDS_DIR ?? '../shared/crds');
  const out = resolve('imports');
  const cdk8s = resolve('node_modules/.bin/cdk8s');
  const work = await mkdtemp(join(tmpdir(), 'crd-import-'));
  try {
    for (const group of CRD_GROUPS.filter((g) => !only || only.has(g.group))) {
      const docs = await source(group, upstream, crdsDir);
      const file = join(work, `${group.group}.yaml`);
      await writeFile(file, docs.map((d) => `---\n${d}`).join('\n'));
      // Run from the scratch folder: in a folder with a cdk8s.yaml, `cdk8s import` appends the
      // (temporary) input path to that file's `imports` list.
      await $({ cwd: work })`${cdk8s} import ${file} --language typescript --output ${out} --no-check-upgrade`;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
