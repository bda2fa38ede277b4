/**
 * Conformance against the real CRDs (Spaces v1.17, ESO): every object the compiler emits for the
 * example and for every test topology validates with zero errors (unknown fields are rejected, the
 * Spaces selector rule holds), both as objects and as the YAML files written to disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TopologyApp, type Compilation } from '../lib/index.js';
import { writeAtomically } from '../lib/output/writer.js';
import { buildExample } from '../main.js';
import { FIXTURES } from './fixtures/topologies.js';
import { CrdValidator, describeWithCrds, validateDirectory } from './support/crd-schemas.js';

const TOPOLOGIES: Record<string, (app: TopologyApp) => unknown> = { example: buildExample, ...FIXTURES };

describeWithCrds('conformance with the real CRDs (Spaces v1.17, ESO, Argo CD, Flux, Sveltos, Crossplane providers)', () => {
  let validator: CrdValidator;
  const tmp = mkdtempSync(join(tmpdir(), 'topology-conformance-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  beforeAll(async () => {
    validator = await CrdValidator.load({
      include: ['spaces/v1.17', 'external-secrets', 'argo-cd', 'flux', 'sveltos', 'crossplane-providers'],
    });
  });

  function compile(name: string): Compilation {
    const app = new TopologyApp({ outdir: join(tmp, name) });
    TOPOLOGIES[name]?.(app);
    return app.compile();
  }

  it('the validator rejects what it must (sanity check of the harness)', () => {
    const out = compile('minimal');
    const store = structuredClone(out.manifests.find((m) => m.object.kind === 'SharedSecretStore')?.object) as Record<string, any>;
    store.spec.provider.aws.regoin = 'eu-central-1';
    expect(validator.validate(store).join('\n')).toContain('regoin');
    delete store.spec.provider.aws.regoin;
    store.spec.controlPlaneSelector = { names: [] };
    expect(validator.validate(store).join('\n')).toContain('either names or a labelSelector must be specified');
    expect(
      validator.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: { finalizers: ['kubernetes'], extra: 1 } }),
    ).not.toEqual([]);
  });

  for (const name of Object.keys(TOPOLOGIES)) {
    it(`${name}: every manifest of compile() validates with zero errors`, () => {
      const out = compile(name);
      expect(out.manifests.length).toBeGreaterThan(0);
      const kinds = new Set<string>();
      const errors: string[] = [];
      for (const { path, object } of out.manifests) {
        kinds.add(`${String(object.apiVersion)} ${String(object.kind)}`);
        expect(validator.knows(String(object.apiVersion), String(object.kind)), path).toBe(true);
        errors.push(...validator.validate(object).map((e) => `${path}: ${e}`));
        // The file on disk is the same object.
        expect(parse(out.files.get(path) ?? '', { version: '1.1' }), path).toEqual(object);
      }
      expect(errors).toEqual([]);
      expect(kinds).toContain('spaces.upbound.io/v1alpha1 SharedSecretStore');
      expect(kinds).toContain('spaces.upbound.io/v1alpha1 SharedExternalSecret');
    });
  }

  it('the written output of every topology validates as a directory', async () => {
    for (const name of Object.keys(TOPOLOGIES)) {
      const outdir = join(tmp, 'written', name);
      writeAtomically(outdir, compile(name).files);
      expect(await validateDirectory(outdir, validator), name).toEqual([]);
    }
  });
});
