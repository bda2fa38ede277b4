/**
 * The Upbound docs' examples (test/fixtures/import/docs*; see the README there): completed, they
 * import to a topology that synthesizes the same objects, with exactly the documented list of
 * what is not mapped; as printed, they import with every gap listed and a problem for each
 * placeholder value, naming the construct and the value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeObject, outputObjects, readInputFiles, type ImportItem } from '../lib/import/index.js';
import { ItemList } from '../lib/import/items.js';
import { importInto, runGenerated, scratchDir } from './support/import.js';
import { CrdValidator, describeWithCrds, parseManifests, validateDirectory } from './support/crd-schemas.js';

const DOCS = 'test/fixtures/import/docs';
const LITERAL = 'test/fixtures/import/docs-literal';

function importDir(path: string, dir: string) {
  const items = new ItemList();
  const files = readInputFiles([path], process.cwd(), items);
  return { files, result: importInto(files, dir, {}, items) };
}

const short = (i: ImportItem): string => `${i.severity} ${i.object}${i.field ? ` ${i.field}` : ''}`;

describe('import of the Upbound docs examples', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => {
    ({ dir, remove } = scratchDir());
  });
  afterAll(() => remove());

  it('completed: the same objects, with the documented list of unmapped fields', async () => {
    const { result } = importDir(DOCS, dir);
    expect(result.problems).toEqual([]);
    expect(result.items.filter((i) => i.severity !== 'note').map(short)).toEqual([
      'review Space imported',
      'review Space imported',
      // The docs give every plane of the group the one IRSA role, and a store of environment
      // "production": the planes without environment can read its secrets, which the import keeps
      // (opted out, to review) so the topology synthesizes as the YAML was.
      ...['dev', 'prod', 'staging'].flatMap((p) => [
        `review imported/default/controlplane-${p}`,
        `review imported/default/controlplane-${p}`,
      ]),
    ]);
    // The IRSA store's documented serviceAccountRef is read: its Space gets an IRSA identity, whose
    // stores emit the same reference.
    expect(result.items.find((i) => i.field === 'spec.provider.aws.auth.jwt')).toBeUndefined();
    // The objects synthesized by the generated file are those of the docs.
    const out = outputObjects((await runGenerated(result.code, dir)).compile().manifests);
    const docs = readInputFiles([DOCS], process.cwd(), new ItemList()).flatMap((f) => parseManifests(f.text)) as Record<string, unknown>[];
    expect(out.map((o) => `${o.key.kind} ${o.key.namespace}/${o.key.name}`).sort()).toEqual(
      docs.map((d) => `${String(d.kind)} default/${(d.metadata as { name: string }).name}`).sort(),
    );
    for (const d of docs) {
      const kind = d.kind as 'SharedSecretStore' | 'SharedExternalSecret';
      const name = (d.metadata as { name: string }).name;
      const synthesized = out.find((o) => o.key.kind === kind && o.key.name === name);
      expect(normalizeObject(kind, synthesized?.value ?? {}), name).toEqual(normalizeObject(kind, d));
    }
  });

  it('completed: the generated code declares what the docs describe', () => {
    const { result } = importDir(DOCS, dir);
    expect(result.code).toContain("const production = new Environment(app, 'production', { production: true });");
    expect(result.code).toContain(
      "new Group(imported, 'default', { manageNamespace: false, manageControlPlanes: false, requireEnvironment: false })",
    );
    expect(result.code).toContain("credentials: StaticCredentials.awsAccessKey({ secretName: 'awssm-secret' }),");
    expect(result.code).toContain(
      "planes: Planes.matching({ matchExpressions: [{ key: 'environment', operator: 'In', values: ['production', 'staging'] }] }),",
    );
    expect(result.code).toContain('planes: Planes.named(controlplaneDev, controlplaneStaging, controlplaneProd),');
    // The documented IRSA reference makes the Space's placeholder identity IRSA.
    expect(result.code).toContain('SpaceIdentity.awsIrsa({');
    expect(result.code).not.toContain('UNMAPPED spec.provider.aws.auth.jwt');
  });

  it('as printed: every gap is listed, and each placeholder value is a problem naming the construct and the value', () => {
    const { result } = importDir(LITERAL, dir);
    const byObject = (o: string): string[] =>
      result.items.filter((i) => i.object === o && i.severity !== 'note').map((i) => i.field ?? i.reason);
    for (const store of ['aws-sm', 'azure-sm', 'gcp-sm'])
      expect(byObject(`SharedSecretStore default/${store}`)).toEqual(['spec.controlPlaneSelector', 'spec.namespaceSelector']);
    expect(byObject('SharedExternalSecret default/my-secret')).toEqual(['spec.controlPlaneSelector', 'spec.namespaceSelector']);
    // The selector examples have no provider: the first is listed, the others as copies.
    expect(byObject('SharedSecretStore default/my-secret-store')).toHaveLength(6);
    expect(result.problems.map((p) => p.path)).toEqual([
      'imported/default/aws-sm',
      'imported/default/azure-sm',
      'imported/default/azure-sm',
      'imported/default/gcp-sm',
    ]);
    const text = result.problems.map((p) => p.message).join('\n');
    for (const value of ['"iam-role"', '"<your-tenant-id>"', '"<your-vault-url>"', '"<your-gcp-project>"']) expect(text).toContain(value);
    // The file still carries the topology, with the problems on top.
    expect(result.code).toMatch(/^\/\/ The topology does not synthesize yet \(4 problems\)/m);
    // A missing selector becomes one nothing matches: nothing is distributed until someone writes one.
    expect(result.code).toContain("planes: Planes.matching({ matchLabels: { 'import.secrets-topology.dev/missing-selector': 'true' } }),");
  });
});

describeWithCrds('import of the Upbound docs examples: the completed fixtures are valid objects', () => {
  let crds: CrdValidator;
  beforeAll(async () => {
    crds = await CrdValidator.load({ include: ['spaces/v1.17'] });
  });
  it('every completed fixture validates against the Spaces v1.17 CRDs', async () => {
    expect(await validateDirectory(DOCS, crds)).toEqual([]);
  });
});
