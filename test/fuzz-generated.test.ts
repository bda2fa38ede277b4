/**
 * Property: synthetic topologies from the seeded generator (test/fixtures/generator.ts: AWS,
 * Azure and GCP Spaces with workload identities and static credentials, valid by construction,
 * guardrails included) compile, twice to the same bytes; the placement equals a reference
 * evaluation of each object's selectors (test/fuzz-support.ts) against the declared planes; and
 * the manifests validate against the Spaces v1.17 CRDs.
 */
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { ControlPlane, Group, SecretStore, SharedSecret, TopologyApp, reportFromFiles, type PlacementRecord } from '../lib/index.js';
import { renderReportMarkdown } from '../lib/report/report-markdown.js';
import { generateTopology, type GeneratorOptions } from './fixtures/generator.js';
import { fcParams, expectSameFiles, expectValidManifests, refReach, type RefPlane, type RefSelector } from './fuzz-support.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';

const options: fc.Arbitrary<GeneratorOptions> = fc.record({
  planes: fc.integer({ min: 1, max: 24 }),
  secrets: fc.integer({ min: 0, max: 60 }),
  environments: fc.integer({ min: 1, max: 6 }),
  groupsPerSpace: fc.integer({ min: 1, max: 3 }),
  identities: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The placement by the reference evaluator. The selectors are read from each object's
 * `toSelector()` (what is emitted); their evaluation against the planes is the reference's own.
 */
function reference(app: TopologyApp): PlacementRecord[] {
  const planesOf = new Map<Group, RefPlane[]>();
  for (const group of Group.all(app)) {
    planesOf.set(
      group,
      ControlPlane.all(group).map((p) => ({
        name: p.name,
        environment: p.environment?.name,
        labels: { ...(p.environment?.labels ?? {}), ...p.labels },
        namespaces: new Map(p.namespaces.map((n) => [n.name, n.labels ?? {}])),
      })),
    );
  }
  const rec = (kind: PlacementRecord['kind'], o: SecretStore | SharedSecret): PlacementRecord => ({
    kind,
    space: o.group.space.name,
    group: o.group.name,
    name: o.name,
    path: o.node.path,
    planes: refReach(planesOf.get(o.group) ?? [], o.planes.toSelector() as RefSelector, o.namespaces.toSelector() as RefSelector).map(
      (r) => ({ ...r, namespaces: [...r.namespaces] }),
    ),
  });
  return [
    ...SecretStore.all(app).map((s) => rec('SharedSecretStore', s)),
    ...SharedSecret.all(app).map((s) => rec('SharedExternalSecret', s)),
  ].sort((a, b) => cmp(a.space, b.space) || cmp(a.group, b.group) || cmp(a.kind, b.kind) || cmp(a.name, b.name));
}

describeWithCrds('property: generated topologies compile deterministically, land where the reference says, and are CRD-valid', () => {
  let crds: CrdValidator;
  beforeAll(async () => {
    crds = await CrdValidator.load({ include: ['spaces/v1.17'] });
  });

  it('random generator options and seeds', () => {
    fc.assert(
      fc.property(options, (o) => {
        const app = new TopologyApp({ outdir: 'never-written' });
        generateTopology(app, o);
        const first = app.compile();
        expect(first.placement.toRecords()).toEqual(reference(app));
        const again = new TopologyApp({ outdir: 'never-written' });
        generateTopology(again, o);
        expectSameFiles(first, again.compile());
        expectValidManifests(first, crds);
        // REPORT.md (rendered from the access matrix) is what its JSON files render to.
        expect(renderReportMarkdown(reportFromFiles((p) => first.files.get(p)))).toBe(first.files.get('REPORT.md'));
      }),
      { ...fcParams, numRuns: Math.max(1, Math.ceil(fcParams.numRuns / 3)) },
    );
  });
});
