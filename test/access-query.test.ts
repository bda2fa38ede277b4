/**
 * `who-can-read` and `explain`: the answers from a synthesis's access matrix and from the
 * report.json it writes are the same, on the example and on generated topologies (property), and
 * agree with the report's rows read directly; remote secrets are found by every name the report
 * gives them; the commands print the same answers as text and JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accessViewOfApp,
  accessViewOfReport,
  explainAccess,
  findPlanes,
  findRemoteSecrets,
  similarRemoteSecrets,
  whoCanRead,
  type AccessView,
} from '../lib/cli/access-query.js';
import { terminalText as printable } from '../lib/private/terminal.js';
import { TopologyApp, reportFromFiles, type ReportData, type ReportIndex, type ReportSpaceFile } from '../lib/index.js';
import { buildExample } from '../main.js';
import { generateTopology, type GeneratorOptions } from './fixtures/generator.js';
import { fcParams } from './fuzz-support.js';
import { ROOT, cli } from './support/cli.js';

/** A synthesis in memory: the access views of its matrix and of its report files, and the raw report files. */
function both(build: (app: TopologyApp) => unknown): {
  app: AccessView;
  report: AccessView;
  files: ReadonlyMap<string, string>;
  data: ReportData;
} {
  const app = new TopologyApp({ outdir: 'unused-never-written' });
  build(app);
  const files = app.compile().files;
  const data = reportFromFiles((p) => files.get(p));
  return { app: accessViewOfApp(app), report: accessViewOfReport(data), files, data };
}

/**
 * What report.json says of one remote secret, read from the JSON files directly (not through the
 * library's reader): per plane, delivered namespaces, readable path ids with namespaces, cross flag.
 */
function rowsFromJson(files: ReadonlyMap<string, string>, remote: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const index = JSON.parse(files.get('report.json') as string) as ReportIndex;
  for (const s of index.spaces) {
    const space = JSON.parse(files.get(s.file) as string) as ReportSpaceFile;
    const rows = [
      ...space.access.planes,
      ...(space.parts ?? []).flatMap((p) => (JSON.parse(files.get(p.file) as string) as ReportSpaceFile).access.planes),
    ];
    for (const row of rows)
      for (const set of row.byAccess)
        if (set.remotes.includes(remote))
          out.set(row.plane, {
            delivered: set.delivered ?? [],
            readable: set.readable ?? {},
            crossEnvironment: set.crossEnvironment === true,
          });
  }
  return out;
}

/** The same facts from an answer. */
function rowsFromAnswer(view: AccessView, remote: string): Map<string, unknown> {
  return new Map(
    whoCanRead(view, remote)
      .planes.filter((p) => p.remote === remote)
      .map((p) => [
        p.plane,
        {
          delivered: p.delivered,
          readable: p.readable ? Object.fromEntries(p.paths.map((x) => [x.id, x.namespaces])) : {},
          crossEnvironment: p.crossEnvironment,
        },
      ]),
  );
}

const remoteIds = (view: AccessView): string[] => [...new Set(view.entries.map((e) => `${e.secret}#${e.remote.ref}`))].sort();

describe('who-can-read and explain on the example', () => {
  const ex = both(buildExample);

  it('answer the same from the access matrix and from report.json, and as the report rows say', () => {
    const ids = remoteIds(ex.app);
    expect(ids).toEqual(remoteIds(ex.report));
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) {
      expect(whoCanRead(ex.report, id), id).toEqual(whoCanRead(ex.app, id));
      expect(rowsFromAnswer(ex.app, id), id).toEqual(rowsFromJson(ex.files, id));
      for (const plane of ex.app.planes)
        expect(explainAccess(ex.report, plane, id), `${plane.key} ${id}`).toEqual(explainAccess(ex.app, plane, id));
    }
  });

  it('find a remote secret by its name, ARN (with or without the random suffix), id, shared secret path, or a covering find', () => {
    const arn = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:prod/team-a/db';
    const id = 'aws-eu/platform/db-credentials#prod/team-a/db';
    for (const [query, how] of [
      ['prod/team-a/db', 'name'],
      [`${arn}-??????`, 'resource'],
      [`${arn}-AbC123`, 'resource'],
      [arn, 'resource'],
      [id, 'id'],
      ['aws-eu/platform/db-credentials', 'secret'],
    ] as const) {
      const found = findRemoteSecrets(ex.report, query);
      expect(
        found.map((r) => [r.id, r.matchedBy]),
        query,
      ).toEqual([[id, how]]);
    }
    expect(findRemoteSecrets(ex.report, `${arn}-AbC12`)).toEqual([]); // not a 6-character suffix
    expect(findRemoteSecrets(ex.report, 'prod/team-a')).toEqual([]);
    // A parameter under the path of a find: the find reads it.
    const param = 'arn:aws:ssm:eu-central-1:111122223333:parameter/prod/shared-config/feature-flags';
    expect(findRemoteSecrets(ex.report, param).map((r) => [r.kind, r.matchedBy])).toEqual([['find', 'resource']]);
    // Key Vault names ignore case; one name in two vaults is two remote secrets.
    const kv =
      '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/rg-data-we/providers/Microsoft.KeyVault/vaults/kv-data-prod/secrets/warehouse-dsn';
    expect(findRemoteSecrets(ex.report, kv.toUpperCase()).map((r) => r.id)).toEqual(['azure-we/data/warehouse-dsn#warehouse-dsn']);
    expect(findRemoteSecrets(ex.report, 'warehouse-dsn').map((r) => r.id)).toEqual([
      'azure-we/data-dev/warehouse-dsn-dev#warehouse-dsn',
      'azure-we/data/warehouse-dsn#warehouse-dsn',
    ]);
    // A GCP secret a find covers: the key and the find.
    expect(findRemoteSecrets(ex.report, 'projects/210987654321/secrets/looker-api-token').map((r) => r.id)).toEqual([
      'gcp-us/analytics/looker-api#find name=^looker-api-',
    ]);
    expect(similarRemoteSecrets(ex.report, 'team-a/db')).toEqual(['prod/team-a/db']);
  });

  it('find planes by key or by a unique name', () => {
    expect(findPlanes(ex.report, 'aws-eu/platform/eu-dev-1').map((p) => p.key)).toEqual(['aws-eu/platform/eu-dev-1']);
    expect(findPlanes(ex.report, 'eu-dev-1').map((p) => p.key)).toEqual(['aws-eu/platform/eu-dev-1']);
    expect(findPlanes(ex.report, 'platform/eu-dev-1')).toEqual([]);
  });

  it('explain says why: delivered, through which principal and grant, and when not readable, why not', () => {
    const prod = findPlanes(ex.report, 'eu-prod-1')[0];
    const [yes] = explainAccess(ex.report, prod, 'prod/team-a/db');
    expect(yes?.readable).toBe(true);
    expect(yes?.because[0]).toBe(
      'The topology delivers it to namespace team-a of the plane (shared secret aws-eu/platform/db-credentials).',
    );
    expect(yes?.because[1]).toMatch(
      /^It can read it from any namespace through IAM role arn:aws:iam::111122223333:role\/\S+: the plane's ESO can act as this principal, whose grant arn:aws:secretsmanager:eu-central-1:111122223333:secret:prod\/team-a\/db-\?{6} matches it/,
    );
    const dev = findPlanes(ex.report, 'eu-dev-1')[0];
    const [no] = explainAccess(ex.report, dev, 'prod/team-a/db');
    expect(no?.readable).toBe(false);
    expect(no?.because).toEqual([
      'The topology does not deliver it to this plane.',
      'It cannot read it: no store projected into the plane reads it with static credentials, and no principal the plane can act as has a grant that matches it.',
    ]);
  });
});

describe('property: who-can-read and explain agree with report.json on generated topologies', () => {
  const options: fc.Arbitrary<GeneratorOptions> = fc.record({
    planes: fc.integer({ min: 1, max: 14 }),
    secrets: fc.integer({ min: 1, max: 30 }),
    environments: fc.integer({ min: 1, max: 4 }),
    groupsPerSpace: fc.integer({ min: 1, max: 3 }),
    identities: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });

  it('for every remote secret and a sample of planes', () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 0, max: 1000 }), (o, pick) => {
        const t = both((app) => generateTopology(app, o));
        const ids = remoteIds(t.app);
        expect(remoteIds(t.report)).toEqual(ids);
        for (const id of ids) {
          const answer = whoCanRead(t.app, id);
          expect(whoCanRead(t.report, id)).toEqual(answer);
          expect(rowsFromAnswer(t.app, id)).toEqual(rowsFromJson(t.files, id));
          // Every principal listed can read it, and every identity path names a listed principal.
          for (const p of answer.planes.flatMap((x) => x.paths))
            if (p.kind === 'identity') expect(answer.principals.map((x) => x.id)).toContain(p.principal);
          // Names the report gives it find it too.
          const r = answer.remotes.find((x) => x.id === id);
          expect(r).toBeDefined();
          for (const q of [r?.ref, r?.resource, r?.secret]) expect(findRemoteSecrets(t.report, q as string).map((x) => x.id)).toContain(id);
        }
        const planes = t.app.planes.filter((_, i) => i % Math.max(1, Math.floor(t.app.planes.length / 3)) === pick % 3);
        for (const plane of planes) {
          for (const id of ids) {
            const ex = explainAccess(t.app, plane, id);
            expect(explainAccess(t.report, plane, id)).toEqual(ex);
            const row = whoCanRead(t.app, id).planes.find((x) => x.plane === plane.key && x.remote === id);
            expect(ex.find((x) => x.remote.id === id)?.readable).toBe(row?.readable ?? false);
          }
        }
      }),
      { ...fcParams, numRuns: Math.max(1, Math.ceil(fcParams.numRuns / 3)) },
    );
  });
});

describe('the who-can-read and explain commands', () => {
  const report = 'dist/report.json';

  it('print the answer as JSON, the same the library gives, and as text', async () => {
    const data = reportFromFiles((p) => (existsSync(join(ROOT, 'dist', p)) ? readFileSync(join(ROOT, 'dist', p), 'utf8') : undefined));
    const view = accessViewOfReport(data);
    const json = await cli(ROOT, ['who-can-read', 'prod/team-a/db', '--report', report, '--json']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(whoCanRead(view, 'prod/team-a/db'))));
    const text = await cli(ROOT, ['who-can-read', 'prod/team-a/db', '-r', report]);
    expect(text.stdout).toContain('prod/team-a/db (key of shared secret aws-eu/platform/db-credentials)\n');
    expect(text.stdout).toContain('  delivered to 2 planes, readable by 2 planes (0 across environments)\n');
    expect(text.stdout).toContain(
      '    aws-eu/platform/eu-prod-1 (prod)\n      delivered to team-a\n      can read it from any namespace through IAM role arn:aws:iam::111122223333:role/',
    );
    expect(text.stdout).toContain('Principals that can read it:\n  IAM role arn:aws:iam::111122223333:role/');
    const explain = await cli(ROOT, ['explain', 'eu-dev-1', 'prod/team-a/db', '--report', report]);
    expect(explain.stdout).toMatch(
      /^aws-eu\/platform\/eu-dev-1 \(dev\) and prod\/team-a\/db \(arn:\S+\): cannot read it\.\n {2}- The topology does not deliver it to this plane\.\n/,
    );
    const explainJson = await cli(ROOT, ['explain', 'aws-eu/platform/eu-dev-1', 'prod/team-a/db', '--report', report, '--json']);
    const plane = findPlanes(view, 'eu-dev-1')[0];
    expect(JSON.parse(explainJson.stdout)).toEqual(JSON.parse(JSON.stringify(explainAccess(view, plane, 'prod/team-a/db'))));
  });

  it('fail with exit 1 and what was meant when nothing matches, and never echo control characters', async () => {
    const none = await cli(ROOT, ['who-can-read', 'team-a/db2', '--report', report]);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(
      'secrets-topology who-can-read: no remote secret of the topology is named "team-a/db2" (by name, ARN or resource, id, or shared secret path); similar: prod/team-a/db.\n',
    );
    const plane = await cli(ROOT, ['explain', 'eu-dev', 'prod/team-a/db', '--report', report]);
    expect(plane.status).toBe(1);
    expect(plane.stderr).toContain(
      'no plane of the topology is named "eu-dev" (<space>/<group>/<plane>, or its name when unique); similar: aws-eu/platform/eu-dev-1',
    );
    const evil = await cli(ROOT, ['who-can-read', 'x\u001b]0;owned\u0007\u001b[2J', '--report', report]);
    expect(evil.status).toBe(1);
    expect(evil.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(printable('a\u001b[31mb\u202ec\nd')).toBe('a\\u001b[31mb\\u202ec\\u000ad');
    const missing = await cli(ROOT, ['who-can-read', 'prod/team-a/db', '--report', 'no/such/report.json']);
    expect(missing.stderr).toContain('--report "no/such/report.json" does not exist');
    const notReport = await cli(ROOT, ['who-can-read', 'prod/team-a/db', '--report', 'package.json']);
    expect(notReport.stderr).toContain('--report "package.json" is not a report.json');
  });
});
