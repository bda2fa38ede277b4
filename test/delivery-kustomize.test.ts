/**
 * Every directory a GitOps tool points at has a kustomization.yaml, and `kubectl kustomize` builds
 * exactly the objects of that directory (and, for an aggregation root, of the directories it
 * lists). Needs `kubectl` on PATH: skipped with a message when it is missing, except under
 * CI=true, where a missing kubectl fails.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { buildGitOps } from '../examples/gitops.js';
import { buildPlainEso } from '../examples/plain-eso.js';
import { buildSveltos } from '../examples/sveltos.js';
import { EsoCluster, FluxDelivery, Space, TopologyApp, type Compilation } from '../lib/index.js';
import { writeAtomically } from '../lib/output/writer.js';

const run = promisify(execFile);
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const hasKubectl = kubectl.status === 0;

/** The GitOps example with both tools, one Application / Kustomization per Space directory. */
function bothToolsPerSpace(app: TopologyApp): void {
  buildGitOps(app, 'argocd');
  const targets = [...Space.all(app).map((s) => s.name), ...EsoCluster.all(app).map((c) => c.name)];
  new FluxDelivery(app, 'flux', {
    url: 'https://git.example.com/r.git',
    granularity: 'space',
    targets: Object.fromEntries(targets.map((s) => [s, { kubeConfigSecret: `${s}-kubeconfig` }])),
    spacesChart: { version: '1.17.0' },
  });
}

const TOPOLOGIES: Record<string, (app: TopologyApp) => unknown> = {
  'gitops-argocd': (app) => buildGitOps(app, 'argocd'),
  'gitops-flux': (app) => buildGitOps(app, 'flux'),
  'plain-eso': buildPlainEso,
  sveltos: buildSveltos,
  'both-tools-per-space': bothToolsPerSpace,
};

type Json = Record<string, any>;
const id = (o: Json): string => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** The objects a kustomization directory should build: its files and, recursively, its listed directories. */
function expectedObjects(out: Compilation, dir: string): Json[] {
  const k = parse(out.files.get(`${dir}/kustomization.yaml`) ?? '') as { resources: string[] };
  return k.resources.flatMap((r) => {
    const path = `${dir}/${r}`;
    const m = out.manifests.find((x) => x.path === path);
    if (m) return [m.object as Json];
    expect(
      out.files.has(`${path}/kustomization.yaml`),
      `${dir} lists ${r}, which is neither a manifest nor a kustomization directory`,
    ).toBe(true);
    return expectedObjects(out, path);
  });
}

function kustomizationDirs(out: Compilation): string[] {
  return [...out.files.keys()].filter((p) => p.endsWith('/kustomization.yaml')).map((p) => p.slice(0, -'/kustomization.yaml'.length));
}

describe('kustomizations', () => {
  for (const [name, build] of Object.entries(TOPOLOGIES)) {
    it(`${name}: every manifest is listed by exactly one kustomization, and every delivered path has one`, () => {
      const app = new TopologyApp({ outdir: '/nonexistent' });
      build(app);
      const out = app.compile();
      const listed = new Map<string, number>();
      for (const dir of kustomizationDirs(out)) {
        for (const r of (parse(out.files.get(`${dir}/kustomization.yaml`) ?? '') as { resources: string[] }).resources) {
          listed.set(`${dir}/${r}`, (listed.get(`${dir}/${r}`) ?? 0) + 1);
        }
      }
      for (const m of out.manifests) expect(listed.get(m.path), m.path).toBe(1);
      // Every path Argo CD or Flux points at is a kustomization directory.
      for (const m of out.manifests as { path: string; object: Json }[]) {
        const p: string | undefined =
          m.object.kind === 'Application' ? m.object.spec.source?.path : m.object.kind === 'Kustomization' ? m.object.spec.path : undefined;
        if (p === undefined) continue;
        const dir = p
          .replace(/^\.\//, '')
          .replace(/^dist\//, '')
          .replace(/^examples\/dist\/[^/]+\//, '');
        expect(out.files.has(`${dir}/kustomization.yaml`), `${m.path} points at ${p}`).toBe(true);
      }
    });
  }
});

describe.runIf(hasKubectl || process.env.CI === 'true')('kubectl kustomize', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'topology-kustomize-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('kubectl is on PATH (required when CI=true)', () => {
    expect(hasKubectl, `kubectl not found (${kubectl.error?.message ?? kubectl.stderr}); install Debian's kubernetes-client`).toBe(true);
  });

  for (const [name, build] of Object.entries(TOPOLOGIES)) {
    it.runIf(hasKubectl)(`${name}: each directory builds exactly its objects`, async () => {
      const outdir = join(tmp, name);
      const app = new TopologyApp({ outdir });
      build(app);
      const out = app.compile();
      writeAtomically(outdir, out.files);
      const dirs = kustomizationDirs(out);
      expect(dirs.length).toBeGreaterThan(0);
      const failures: string[] = [];
      // Two at a time: the machines have two cores.
      for (let i = 0; i < dirs.length; i += 2) {
        await Promise.all(
          dirs.slice(i, i + 2).map(async (dir) => {
            const { stdout } = await run('kubectl', ['kustomize', join(outdir, dir)], { maxBuffer: 64 * 1024 * 1024 });
            const built = parseAllDocuments(stdout)
              .map((d) => d.toJS() as Json)
              .filter(Boolean);
            const expected = expectedObjects(out, dir);
            const sort = (xs: Json[]): Json[] => [...xs].sort((a, b) => (id(a) < id(b) ? -1 : 1));
            try {
              expect(sort(built)).toEqual(sort(expected));
            } catch {
              failures.push(`${dir}: built [${built.map(id).sort().join(', ')}], expected [${expected.map(id).sort().join(', ')}]`);
            }
          }),
        );
      }
      expect(failures).toEqual([]);
    });
  }
});

if (!hasKubectl && process.env.CI !== 'true') {
  console.warn('[delivery-kustomize] skipping the kubectl kustomize builds: kubectl is not on PATH (apt-get install kubernetes-client)');
}
