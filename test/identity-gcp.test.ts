import { beforeAll, describe, expect, it } from 'vitest';

import { anyPrefixExpression, exactSecretPrefix, literalPrefix, minimizePrefixes } from '../lib/identity/gcp-conditions.js';
import { impersonationMember, planePrincipal, secretPrefixes, type GcpBinding } from '../lib/identity/gcp.js';
import { gcloudCondition } from '../lib/identity/gcp-readme.js';
import { ControlPlane, GcpIdentity, Space, SpaceIdentity, TopologyApp } from '../lib/index.js';
import {
  DEV_PLANE_ID,
  GKE_NUMBER,
  GKE_PROJECT,
  GSA,
  NONPROD_NUMBER,
  NONPROD_PROJECT,
  PROD_NUMBER,
  PROD_PLANE_ID,
  PROD_PROJECT,
  STAGING_PLANE_ID,
  gcpManyPlanes,
  gcpManySecrets,
  gcpTopology,
  planGcpOf,
  type GcpTopologyOptions,
} from './fixtures/gcp-topologies.js';
import { CrdValidator, describeWithCrds, parseManifests } from './support/crd-schemas.js';

const DIR = 'spaces/gcp-us/iam/gcp';
const principal = (ns: string): string =>
  `principal://iam.googleapis.com/projects/${GKE_NUMBER}/locations/global/workloadIdentityPools/${GKE_PROJECT}.svc.id.goog/subject/ns/${ns}/sa/external-secrets-controller`;
const DEV = principal(`mxp-${DEV_PLANE_ID}-system`);
const STAGING = principal(`mxp-${STAGING_PLANE_ID}-system`);
const PROD = principal(`mxp-${PROD_PLANE_ID}-system`);

interface Policy {
  bindings: GcpBinding[];
  version: number;
}

function planOf(t: { app: TopologyApp; space: Space }) {
  const plan = planGcpOf(t.app, t.space);
  return { ...plan, files: plan.fileMap };
}

function policy(c: { files: ReadonlyMap<string, string> }, path: string): Policy {
  const text = c.files.get(path);
  if (text === undefined) throw new Error(`no file ${path}; files: ${[...c.files.keys()].join(', ')}`);
  return JSON.parse(text) as Policy;
}

function topo(opts: GcpTopologyOptions = {}) {
  return planOf(gcpTopology(opts));
}

describe('GCP principal identifiers (gcp-principal)', () => {
  let c: ReturnType<typeof topo>;
  beforeAll(() => {
    c = topo();
    expect(c.problems).toEqual([]);
  });

  it('writes one bindings file per secrets project and a README; no Helm annotation', () => {
    expect([...c.files.keys()].sort()).toEqual([
      `${DIR}/README.md`,
      `${DIR}/${NONPROD_PROJECT}/iam-policy-bindings.json`,
      `${DIR}/${PROD_PROJECT}/iam-policy-bindings.json`,
    ]);
    expect(c.serviceAccountAnnotations).toEqual({});
    expect(c.podLabels).toEqual({});
  });

  it('grants each prod plane exactly its secrets, with conditions on resource-name prefixes (policy version 3)', () => {
    const p = policy(c, `${DIR}/${PROD_PROJECT}/iam-policy-bindings.json`);
    expect(p.version).toBe(3);
    expect(p.bindings).toHaveLength(2);
    const [accessor, viewer] = p.bindings;
    expect(accessor?.role).toBe('roles/secretmanager.secretAccessor');
    expect(accessor?.members).toEqual([PROD]);
    expect(accessor?.condition?.expression).toBe(
      `resource.name.startsWith("projects/${PROD_NUMBER}/secrets/bigquery-exporter-key/") || resource.name.startsWith("projects/${PROD_NUMBER}/secrets/looker-api-")`,
    );
    expect(accessor?.condition?.title).toMatch(/^ESO secrets of plane analytics\/ana-prod-1 \[[0-9a-f]{6}\]$/);
    expect(accessor?.condition?.description).toBe(
      `Space gcp-us: read access for External Secrets to 2 secret name prefix(es) in ${PROD_PROJECT}: bigquery-exporter-key/ looker-api-`,
    );
    // dataFrom.find lists the project: the viewer role, unconditional, only because of looker-api.
    expect(viewer).toEqual({ role: 'roles/secretmanager.viewer', members: [PROD] });
  });

  it('keeps environments apart: dev and staging planes are not members of the prod project', () => {
    const prod = policy(c, `${DIR}/${PROD_PROJECT}/iam-policy-bindings.json`);
    const members = new Set(prod.bindings.flatMap((b) => b.members));
    expect(members.has(DEV)).toBe(false);
    expect(members.has(STAGING)).toBe(false);
    const nonprod = policy(c, `${DIR}/${NONPROD_PROJECT}/iam-policy-bindings.json`);
    expect(new Set(nonprod.bindings.flatMap((b) => b.members))).toEqual(new Set([DEV, STAGING]));
    for (const b of nonprod.bindings) expect(b.condition?.expression ?? '').not.toContain(PROD_NUMBER);
  });

  it('gives each plane its own binding: staging reads named secrets, dev (tags-only find) the whole project and lists it', () => {
    const nonprod = policy(c, `${DIR}/${NONPROD_PROJECT}/iam-policy-bindings.json`);
    const staging = nonprod.bindings.find((b) => b.members.includes(STAGING));
    expect(staging).toMatchObject({
      role: 'roles/secretmanager.secretAccessor',
      members: [STAGING],
      condition: {
        expression: `resource.name.startsWith("projects/${NONPROD_NUMBER}/secrets/bigquery-exporter-key/") || resource.name.startsWith("projects/${NONPROD_NUMBER}/secrets/bigquery-settings/")`,
      },
    });
    const dev = nonprod.bindings.filter((b) => b.members.includes(DEV));
    expect(dev.map((b) => [b.role, b.condition?.expression])).toEqual([
      // The exact prefix of bigquery-exporter-key/ is covered by the whole-project prefix.
      ['roles/secretmanager.secretAccessor', `resource.name.startsWith("projects/${NONPROD_NUMBER}/secrets/")`],
      ['roles/secretmanager.viewer', undefined],
    ]);
    expect(nonprod.bindings.map((b) => b.members.length).reduce((a, b) => a + b)).toBe(3);
  });

  it('every conditional binding has a title and a description; members are sorted', () => {
    for (const path of [...c.files.keys()].filter((k) => k.endsWith('.json'))) {
      for (const b of policy(c, path).bindings) {
        expect([...b.members]).toEqual([...b.members].sort());
        if (b.role === 'roles/secretmanager.secretAccessor') {
          expect(b.condition?.title.length).toBeGreaterThan(0);
          expect(b.condition?.title.length).toBeLessThanOrEqual(100);
          expect(b.condition?.description.length).toBeGreaterThan(0);
          expect(b.condition?.description.length).toBeLessThanOrEqual(256);
          expect(`${b.condition?.title}${b.condition?.description}`).not.toMatch(/[,'"]/); // safe inside gcloud --condition
        }
      }
    }
  });

  it('publishes one principal per plane, dedicated to its environment, with its grants', () => {
    expect(c.principals.map((p) => [p.id, p.kind, p.environment])).toEqual([
      [DEV, 'gcp-principal', 'dev'],
      [PROD, 'gcp-principal', 'prod'],
      [STAGING, 'gcp-principal', 'staging'],
    ]);
    const prod = c.principals.find((p) => p.id === PROD);
    expect(prod?.planes).toEqual([
      { space: 'gcp-us', group: 'analytics', plane: 'ana-prod-1', environment: 'prod', hostNamespace: `mxp-${PROD_PLANE_ID}-system` },
    ]);
    expect(prod?.stores).toEqual(['gcp-us/analytics/gsm-prod']);
    expect(prod?.grants).toEqual([
      {
        access: 'read',
        resource: `projects/${PROD_NUMBER}/secrets/bigquery-exporter-key/`,
        condition: `resource.name.startsWith("projects/${PROD_NUMBER}/secrets/bigquery-exporter-key/")`,
        neededBy: ['gcp-us/analytics/bigquery-exporter'],
      },
      {
        access: 'read',
        resource: `projects/${PROD_NUMBER}/secrets/looker-api-`,
        condition: `resource.name.startsWith("projects/${PROD_NUMBER}/secrets/looker-api-")`,
        neededBy: ['gcp-us/analytics/looker-api'],
        wider: 'dataFrom.find: every secret whose ID starts with "looker-api-"',
      },
      {
        access: 'list',
        resource: `projects/${PROD_PROJECT}`,
        neededBy: ['gcp-us/analytics/looker-api'],
        wider:
          "dataFrom.find lists the project's secrets: roles/secretmanager.viewer on the whole project (metadata of every secret, no payloads)",
      },
    ]);
    const dev = c.principals.find((p) => p.id === DEV);
    expect(dev?.grants.find((g) => g.access === 'read')?.wider).toMatch(/every secret of the project/);
  });

  it('writes gcloud commands that add (not set) the bindings, and explains the trailing slash', () => {
    const readme = c.files.get(`${DIR}/README.md`) ?? '';
    expect(readme).toContain('These are the bindings to ADD, not a complete policy');
    expect(readme).toContain('without it the prefix of secret `db` would also match the versions of `db-admin`');
    expect(readme).toContain(
      [
        `gcloud projects add-iam-policy-binding ${PROD_PROJECT} \\`,
        `  --member ${PROD} \\`,
        '  --role roles/secretmanager.viewer \\',
        '  --condition None',
      ].join('\n'),
    );
    expect(readme).toContain(
      `  --condition 'expression=resource.name.startsWith("projects/${PROD_NUMBER}/secrets/bigquery-exporter-key/") || `,
    );
    expect(readme).not.toContain('iam.gke.io/gcp-service-account');
  });

  it('passes the access analysis end to end (no plane reads another environment)', () => {
    const all = gcpTopology().app.compile();
    expect(all.files.get(`${DIR}/${PROD_PROJECT}/iam-policy-bindings.json`)).toBe(
      c.files.get(`${DIR}/${PROD_PROJECT}/iam-policy-bindings.json`),
    );
    expect(all.files.get('spaces/gcp-us/helm/spaces-values.yaml')).toContain('customAnnotations: {}');
  });

  it('is deterministic', () => {
    const again = topo();
    expect([...again.files]).toEqual([...c.files]);
    expect(again.principals).toEqual(c.principals);
  });

  it('names regional secrets with their location', () => {
    const r = topo({ nonprodLocation: 'europe-west1' });
    const nonprod = policy(r, `${DIR}/${NONPROD_PROJECT}/iam-policy-bindings.json`);
    expect(nonprod.bindings.find((b) => b.members.includes(STAGING))?.condition?.expression).toBe(
      `resource.name.startsWith("projects/${NONPROD_NUMBER}/locations/europe-west1/secrets/bigquery-exporter-key/") || resource.name.startsWith("projects/${NONPROD_NUMBER}/locations/europe-west1/secrets/bigquery-settings/")`,
    );
  });
});

describe('GCP service-account impersonation (gcp-impersonation)', () => {
  let c: ReturnType<typeof topo>;
  beforeAll(() => {
    c = topo({ mode: 'gcp-impersonation' });
    expect(c.problems).toEqual([]);
  });

  it('annotates the controller with the Google service account', () => {
    expect(c.serviceAccountAnnotations).toEqual({ 'iam.gke.io/gcp-service-account': GSA });
    expect(c.podLabels).toEqual({});
  });

  it('grants the union of the Space to the one service account', () => {
    const prod = policy(c, `${DIR}/${PROD_PROJECT}/iam-policy-bindings.json`);
    expect(prod.version).toBe(3);
    expect(prod.bindings.map((b) => [b.role, b.members])).toEqual([
      ['roles/secretmanager.secretAccessor', [`serviceAccount:${GSA}`]],
      ['roles/secretmanager.viewer', [`serviceAccount:${GSA}`]],
    ]);
    expect(prod.bindings[0]?.condition?.title).toMatch(/^ESO secrets of Space gcp-us \[[0-9a-f]{6}\]$/);
  });

  it('lets each reading plane impersonate it (roles/iam.workloadIdentityUser)', () => {
    const sa = policy(c, `${DIR}/service-account-iam-policy.json`);
    expect(sa).toEqual({
      bindings: [
        {
          role: 'roles/iam.workloadIdentityUser',
          members: [
            `serviceAccount:${GKE_PROJECT}.svc.id.goog[mxp-${STAGING_PLANE_ID}-system/external-secrets-controller]`,
            `serviceAccount:${GKE_PROJECT}.svc.id.goog[mxp-${PROD_PLANE_ID}-system/external-secrets-controller]`,
            `serviceAccount:${GKE_PROJECT}.svc.id.goog[mxp-${DEV_PLANE_ID}-system/external-secrets-controller]`,
          ],
        },
      ],
      version: 1,
    });
    const readme = c.files.get(`${DIR}/README.md`) ?? '';
    expect(readme).toContain(
      [
        `gcloud iam service-accounts add-iam-policy-binding ${GSA} \\`,
        '  --role roles/iam.workloadIdentityUser \\',
        `  --member 'serviceAccount:${GKE_PROJECT}.svc.id.goog[mxp-${PROD_PLANE_ID}-system/external-secrets-controller]'`,
      ].join('\n'),
    );
  });

  it('publishes one service-account principal for all planes (no single environment)', () => {
    expect(c.principals).toHaveLength(1);
    const [p] = c.principals;
    expect(p?.id).toBe(GSA);
    expect(p?.kind).toBe('gcp-service-account');
    expect(p?.environment).toBeUndefined();
    expect(p?.planes.map((s) => s.plane)).toEqual(['ana-dev-1', 'ana-prod-1', 'ana-staging-1']);
  });
});

describe('GCP problems and limits', () => {
  it('requires projectNumber on workload-identity stores, on the store path', () => {
    const t = gcpTopology({ omitProdNumber: true });
    const problems = planOf(t).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(t.gsmProd.node.path);
    expect(problems[0]?.message).toMatch(/projectNumber is not set/);
    expect(problems[0]?.message).toContain(`gcloud projects describe ${PROD_PROJECT} --format='value(projectNumber)'`);
  });

  it('accepts 1,500 members on a project policy and refuses 1,501, naming the limit, the count and the way out', () => {
    const ok = gcpManyPlanes(1500);
    expect(planOf(ok).problems).toEqual([]);
    const p = policy(planOf(ok), `spaces/gcp-big/iam/gcp/${PROD_PROJECT}/iam-policy-bindings.json`);
    expect(p.bindings.reduce((n, b) => n + b.members.length, 0)).toBe(1500);

    const over = gcpManyPlanes(1501);
    const problems = over.app.problems();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(over.space.node.path);
    expect(problems[0]?.message).toMatch(/hold 1,501 principals, but an IAM allow policy holds at most 1,500/);
    expect(problems[0]?.message).toMatch(
      /use gcp-impersonation .* spread the secrets over more projects, or split the planes across Spaces/,
    );
  });

  it('counts the impersonation binding on the service account against the same limit', () => {
    expect(planOf(gcpManyPlanes(1500, 'gcp-impersonation')).problems).toEqual([]);
    const problems = planOf(gcpManyPlanes(1501, 'gcp-impersonation')).problems;
    expect(problems.map((p) => p.message)).toEqual([
      `the IAM policy of service account "${GSA}" would hold 1,501 principals (one per plane host namespace), but an IAM allow policy holds at most 1,500: split the planes across Spaces, each with its own Google service account.`,
    ]);
  });

  it('splits long prefix lists into conditions of at most 13 clauses (12 operators)', () => {
    const c = planOf(gcpManySecrets(14));
    const p = policy(c, `spaces/gcp-wide/iam/gcp/${PROD_PROJECT}/iam-policy-bindings.json`);
    expect(p.bindings).toHaveLength(2);
    expect(p.bindings.map((b) => b.condition?.expression.split(' || ').length)).toEqual([13, 1]);
    expect(p.bindings.map((b) => b.condition?.title.endsWith(`(${p.bindings.indexOf(b) + 1}/2)`))).toEqual([true, true]);
    for (const b of p.bindings) expect((b.condition?.expression.match(/\|\|/g) ?? []).length).toBeLessThanOrEqual(12);
  });

  it('accepts 20 conditional bindings of one role per principal and refuses 21', () => {
    expect(planOf(gcpManySecrets(260)).problems).toEqual([]);
    const t = gcpManySecrets(261);
    const problems = planOf(t).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(t.plane.node.path);
    expect(problems[0]?.message).toMatch(/would need 21 conditional bindings .* at most 20 bindings of one role to one principal/);
  });

  it('reports planes without host namespace on the plane path', () => {
    const t = gcpTopology();
    const orphan = new ControlPlane(t.group, 'ana-dev-2', {
      environment: t.dev.environment,
      namespaces: [{ name: 'reporting', labels: { team: 'bi' } }],
    });
    const problems = planOf(t).problems;
    expect(problems.map((p) => p.path)).toEqual([orphan.node.path]);
    expect(problems[0]?.message).toMatch(/host namespace is unknown.*set "controlPlaneId"/);
  });

  it('validates the identity props, quoting the value and saying the fix', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const space = new Space(app, 'bad', {
      cloud: 'gcp',
      identity: SpaceIdentity.gcpImpersonation({
        projectId: 'Acme',
        projectNumber: 'acme-1',
        serviceAccountEmail: 'eso@acme.com',
        listRole: 'viewer',
      }),
    });
    const messages = planOf({ app, space }).problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual([
      `bad: identity: projectId "Acme" is not a GCP project ID: use the cluster project's ID (6-30 lowercase letters, digits and '-', starting with a letter), not its name or number.`,
      `bad: identity: projectNumber "acme-1" is not a GCP project number: use the digits printed by "gcloud projects describe <project-id> --format='value(projectNumber)'" (a string, e.g. "123456789012").`,
      `bad: identity: serviceAccountEmail "eso@acme.com" is not a Google service account email: use "<name>@<project-id>.iam.gserviceaccount.com" (name of 6-30 lowercase letters, digits and '-'), e.g. "eso-secrets@my-project.iam.gserviceaccount.com".`,
      `bad: identity: listRole "viewer" is not an IAM role name: use "roles/<id>" or a custom role "projects/<project-id>/roles/<id>" / "organizations/<number>/roles/<id>".`,
    ]);
    expect((space.identity as GcpIdentity).check()).toHaveLength(4);
  });

  it('uses a custom list role when given', () => {
    const c = topo({ identity: { listRole: `projects/${PROD_PROJECT}/roles/secretLister` } });
    const p = policy(c, `${DIR}/${PROD_PROJECT}/iam-policy-bindings.json`);
    expect(p.bindings.map((b) => b.role)).toEqual([
      'projects/acme-analytics-prod/roles/secretLister',
      'roles/secretmanager.secretAccessor',
    ]);
  });
});

describe('GCP condition helpers', () => {
  it('finds the literal prefix of an anchored name pattern', () => {
    expect(literalPrefix('^looker-api-')).toBe('looker-api-');
    expect(literalPrefix('^looker-api-.*')).toBe('looker-api-');
    expect(literalPrefix('^db_(a|b)')).toBe('db_');
    expect(literalPrefix('^abc?')).toBe('ab'); // c is optional
    expect(literalPrefix('^ab*')).toBe('a');
    expect(literalPrefix('^ab+c')).toBe('ab');
    expect(literalPrefix('^ab{2}')).toBe('a');
    expect(literalPrefix('^a\\-b')).toBe('a-b');
    expect(literalPrefix('^a\\.b')).toBe('a'); // '.' is not in secret IDs
    expect(literalPrefix('looker')).toBeUndefined(); // unanchored: matches anywhere
    expect(literalPrefix('^foo|bar')).toBeUndefined(); // top-level alternation
    expect(literalPrefix('^[a-z]+')).toBeUndefined();
    expect(literalPrefix('^(?i)foo')).toBeUndefined();
    expect(literalPrefix('^')).toBeUndefined();
    expect(literalPrefix('^x[|]y')).toBe('x'); // '|' inside a class is not an alternation
  });

  it('builds exact and find prefixes; exact ones end with a slash', () => {
    expect(exactSecretPrefix('123', 'db')).toBe('projects/123/secrets/db/');
    expect(exactSecretPrefix('123', 'db', 'europe-west1')).toBe('projects/123/locations/europe-west1/secrets/db/');
    expect(secretPrefixes(['db', 'db'], [{ extract: { key: 'cfg' } }, { find: { nameRegexp: '^app-' } }], '123')).toEqual({
      prefixes: ['projects/123/secrets/app-', 'projects/123/secrets/cfg/', 'projects/123/secrets/db/'],
      list: true,
    });
    expect(secretPrefixes([], [{ find: {} }], '123')).toEqual({ prefixes: ['projects/123/secrets/'], list: true });
    expect(anyPrefixExpression(['a/', 'b/'])).toBe('resource.name.startsWith("a/") || resource.name.startsWith("b/")');
  });

  it('drops prefixes covered by shorter ones, keeping what needed them', () => {
    const m = minimizePrefixes(
      new Map([
        ['p/secrets/app-db/', new Set(['s1'])],
        ['p/secrets/app-', new Set(['s2'])],
        ['p/secrets/other/', new Set(['s3'])],
      ]),
    );
    expect([...m].map(([k, v]) => [k, [...v].sort()])).toEqual([
      ['p/secrets/app-', ['s1', 's2']],
      ['p/secrets/other/', ['s3']],
    ]);
  });

  it('builds members and the gcloud condition flag', () => {
    const id = SpaceIdentity.gcpImpersonation({
      projectId: GKE_PROJECT,
      projectNumber: GKE_NUMBER,
      serviceAccountEmail: GSA,
    }) as GcpIdentity;
    expect(planePrincipal(id, 'mxp-x-system')).toBe(principal('mxp-x-system'));
    expect(impersonationMember(id, 'mxp-x-system')).toBe(
      `serviceAccount:${GKE_PROJECT}.svc.id.goog[mxp-x-system/external-secrets-controller]`,
    );
    expect(gcloudCondition({ role: 'r', members: [] })).toBe('None');
    expect(gcloudCondition({ role: 'r', members: [], condition: { title: 't', description: 'd', expression: 'e' } })).toBe(
      'expression=e,title=t,description=d',
    );
  });
});

describeWithCrds('GCP: Crossplane output (provider-upjet-gcp CRDs)', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['crossplane-providers/gcp'] });
  });

  it('emits ProjectIAMMembers (with conditions) that validate', () => {
    const c = topo({ identity: { crossplane: true } });
    const members = parseManifests(c.files.get(`${DIR}/crossplane/project-iam-members.yaml`) ?? '');
    expect(members).toHaveLength(5); // one per member of each binding: prod accessor + viewer; nonprod staging, dev accessor + viewer
    for (const o of members) expect(v.validate(o)).toEqual([]);
    const prodAccessor = members.find(
      (o) =>
        (o as { spec: { forProvider: { project: string; role: string } } }).spec.forProvider.project === PROD_PROJECT &&
        (o as { spec: { forProvider: { role: string } } }).spec.forProvider.role === 'roles/secretmanager.secretAccessor',
    );
    expect(prodAccessor).toMatchObject({
      apiVersion: 'cloudplatform.gcp.upbound.io/v1beta2',
      kind: 'ProjectIAMMember',
      spec: { forProvider: { member: PROD, condition: { expression: expect.stringContaining('looker-api-') as unknown } } },
    });
  });

  it('emits ServiceAccountIAMMembers for impersonation that validate', () => {
    const c = topo({ mode: 'gcp-impersonation', identity: { crossplane: true } });
    const sa = parseManifests(c.files.get(`${DIR}/crossplane/service-account-iam-members.yaml`) ?? '');
    expect(sa).toHaveLength(3);
    for (const o of sa) expect(v.validate(o)).toEqual([]);
    expect(sa[0]).toMatchObject({
      kind: 'ServiceAccountIAMMember',
      spec: { forProvider: { serviceAccountId: `projects/${GKE_PROJECT}/serviceAccounts/${GSA}`, role: 'roles/iam.workloadIdentityUser' } },
    });
    for (const o of parseManifests(c.files.get(`${DIR}/crossplane/project-iam-members.yaml`) ?? '')) expect(v.validate(o)).toEqual([]);
  });
});
