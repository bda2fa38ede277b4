/**
 * Plain ESO clusters are readers like planes: their rows are in report.json (keys
 * `clusters/<name>`, in the index file), counted in the summary ("readable across environments"),
 * shown in REPORT.md, and a change that adds a cluster's read across environments makes the
 * review exit 2, also when the topology opts out of the guardrail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  Group,
  Guardrails,
  Namespaces,
  Planes,
  SecretOwnership,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  TopologyApp,
} from '../lib/index.js';
import { compareReports, EXIT_CROSS_ENVIRONMENT, renderReview, reviewExitCode } from '../lib/report/report-diff.js';
import { reportFromFiles } from '../lib/report/report-read.js';
import type { ReportData } from '../lib/report/report.js';
import { ROOT } from './support/cli.js';

const validate = new Ajv2020.default({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(join(ROOT, 'docs/report.schema.json'), 'utf8')) as object,
);

const ACCOUNT = '111122223333';
const irsa = (id: string) =>
  SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: `https://oidc.eks.eu-central-1.amazonaws.com/id/${id}` });

/** A prod plane reading prod/db (prod declares prod/); with `cluster`, an ESO cluster of `clusterEnv` reading it, opted out of both cross-environment rules. */
function build(cluster?: { key: string; env: 'dev' | 'prod' | 'none' }): { files: ReadonlyMap<string, string>; report: ReportData } {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  const dev = new Environment(app, 'dev', {});
  const prod = new Environment(app, 'prod', { production: true, owns: [SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })] });
  const g = new Group(new Space(app, 'aws', { cloud: 'aws', identity: irsa('ABCDEF0123456789') }), 'g');
  new ControlPlane(g, 'prod-1', { environment: prod, controlPlaneId: '00000000-0000-4000-8000-000000000001', namespaces: ['apps'] });
  const s = new SecretStore(g, 'sm', {
    namespaces: Namespaces.named('apps'),
    provider: new AwsSecretsManager({ region: 'eu-central-1' }),
    planes: Planes.inEnvironments(prod),
  });
  new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
  if (cluster) {
    const env = cluster.env === 'dev' ? dev : cluster.env === 'prod' ? prod : undefined;
    const c = new EsoCluster(app, 'tools', { cloud: 'aws', identity: irsa('0123456789ABCDEF'), ...(env ? { environment: env } : {}) });
    const es = new EsoSecretStore(c, 'sm', {
      provider: new AwsSecretsManager({ region: 'eu-central-1' }),
      namespaces: Namespaces.named('a'),
    });
    new EsoExternalSecret(c, 'x', { store: es, namespace: 'a', data: [{ secretKey: 'k', remoteKey: cluster.key }] });
    Guardrails.allow(c, ['cross-environment', 'production-secret-outside-production'], 'the tools cluster is reviewed apart');
  }
  const files = app.compile().files;
  return { files, report: reportFromFiles((p) => files.get(p)) };
}

describe('ESO clusters in the report', () => {
  it('a dev cluster reading a prod secret (opted out): its row in report.json, counted across environments, in REPORT.md', () => {
    const { files, report } = build({ key: 'prod/db', env: 'dev' });
    const index = JSON.parse(files.get('report.json') ?? '{}') as { access: { planes: Array<{ plane: string; environment: string }> } };
    expect(index.access.planes.map((r) => [r.plane, r.environment])).toEqual([['clusters/tools', 'dev']]);
    for (const [path, text] of files)
      if (path.endsWith('.json') && /^(report|spaces\/[^/]+\/report)\.json$/.test(path))
        expect(validate(JSON.parse(text)), path).toBe(true);
    const row = report.access.planes.find((r) => r.plane === 'clusters/tools');
    expect(row?.byAccess.some((set) => set.crossEnvironment === true && set.productionOutsideProduction === true)).toBe(true);
    // Two pairs: prod/db as the cluster's own secret references it, and as the Space's secret does (one resource, two references).
    expect(report.summary.crossEnvironmentPairs).toBe(2);
    const md = files.get('REPORT.md') ?? '';
    expect(md).toMatch(/\| readable across environments \| 2 \|/);
    expect(md).toMatch(/\| `?clusters\/tools`? \|.*prod\/db/);
  });

  it('a prod cluster reading its own environment: a row, nothing across environments', () => {
    const { report } = build({ key: 'prod/db', env: 'prod' });
    const row = report.access.planes.find((r) => r.plane === 'clusters/tools');
    expect(row?.environment).toBe('prod');
    expect(row?.byAccess.every((set) => set.crossEnvironment !== true)).toBe(true);
    expect(report.summary.crossEnvironmentPairs).toBe(0);
  });

  it.each([
    ['a dev cluster reading prod/db', { key: 'prod/db', env: 'dev' as const }],
    ['a cluster without environment reading prod/db', { key: 'prod/db', env: 'none' as const }],
  ])('the review of a change that adds %s, opted out, exits 2 and names the cluster', (_, cluster) => {
    const result = compareReports(build().report, build(cluster).report);
    expect(result.addsCrossEnvironment).toBe(true);
    expect(reviewExitCode(result)).toBe(EXIT_CROSS_ENVIRONMENT);
    const text = renderReview(result, 'main');
    expect(text).toMatch(/^- ⚠ ESO cluster tools \((dev|\(none\))\) can now read /m);
    expect(text).toMatch(/^- ESO cluster tools gains secret x in namespace a$/m);
    expect(text).not.toMatch(/planes? ESO cluster|planes tools/);
  });

  it('the review of a change that adds a prod cluster reading its own secret does not fail', () => {
    const result = compareReports(build().report, build({ key: 'prod/db', env: 'prod' }).report);
    expect(result.addsCrossEnvironment).toBe(false);
    expect(reviewExitCode(result)).toBe(0);
  });
});
