import { describe, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  AzureKeyVault,
  Guardrails,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  StaticCredentials,
  TopologyApp,
  TopologyError,
  reportFromFiles,
  type CloudPrincipal,
  type Problem,
  type ReportData,
  type RuleId,
} from '../lib/index.js';
import { isWildcardSelector } from '../lib/analysis/guardrails.js';
import { buildExample } from '../main.js';
import {
  ACCOUNT,
  REGION,
  azureAndGcp,
  injectIdentity,
  irsaTwoEnv,
  smArn,
  staticTwoEnv,
  subject,
  vaultId,
} from './fixtures/analysis-topologies.js';

/** The problems of a compilation that fails (fails the test if it compiles). */
function problemsOf(app: TopologyApp): Problem[] {
  try {
    app.compile();
  } catch (e) {
    if (e instanceof TopologyError) return [...e.problems];
    throw e;
  }
  throw new Error('expected the compilation to fail');
}

function guardrailProblems(app: TopologyApp, rule?: RuleId): Problem[] {
  return problemsOf(app).filter((p) => p.message.startsWith(rule ? `guardrail "${rule}"` : 'guardrail "'));
}

function report(app: TopologyApp): { json: ReportData; md: string } {
  const c = app.compile();
  return { json: reportFromFiles((path) => c.files.get(path)), md: c.files.get('REPORT.md') as string };
}

/** Asserts that an opt-out is recorded, with its reason and what it covers, in both reports. */
function expectRecorded(app: TopologyApp, rule: RuleId, scope: string, reason: string): ReportData {
  const { json, md } = report(app);
  const o = json.optOuts.find((x) => x.rule === rule && x.scope === scope);
  expect(o, `opt-out ${rule} on ${scope}`).toBeDefined();
  expect(o?.reason).toBe(reason);
  expect(o?.covers.length).toBeGreaterThan(0);
  expect(json.allowed.some((f) => f.rule === rule && f.optOut?.scope === scope)).toBe(true);
  expect(md).toContain(`| ${rule} | \`${scope}\` | ${reason} |`);
  expect(md).toContain(`_(opted out at \`${scope}\`: ${reason})_`);
  return json;
}

describe('guardrail cross-environment', () => {
  it('fires when static credentials read another environment and names path, value, fix and opt-out', () => {
    const t = staticTwoEnv(new TopologyApp(), { sharedCredentials: true });
    Guardrails.allow(t.group, 'credential-reuse', 'tested separately');
    const ps = guardrailProblems(t.app, 'cross-environment');
    expect(ps.map((p) => p.path)).toEqual(['aws/apps/dev-1', 'aws/apps/prod-1']);
    const m = ps[0]?.message ?? '';
    expect(m).toContain('plane "dev-1" (environment dev) can read 1 remote secret of environment prod');
    expect(m).toContain('store "sm-dev" with credentials Secret aws/apps/aws-keys (credentials scope unknown)');
    expect(m).toContain(`"prod/db" (${smArn('prod/db')}) of secret "db-prod" (owned by prod)`);
    expect(m).toContain('Fix: give each environment its own credentials Secret');
    expect(m).toContain(`Guardrails.allow(<construct "aws/apps/sm-dev">, 'cross-environment'`);
  });

  it('fires when one role serves planes of two environments, and the opt-out turns it into a recorded warning', () => {
    const t = irsaTwoEnv(new TopologyApp());
    injectIdentity(t.app, () => [t.sharedRole()]);
    const ps = guardrailProblems(t.app);
    expect(ps.map((p) => `${p.path} ${p.message.slice(0, 36)}`)).toEqual([
      'eks/apps/dev-1 guardrail "cross-environment": plane',
      'eks/apps/dev-1 guardrail "production-secret-outside',
      'eks/apps/prod-1 guardrail "cross-environment": plane',
    ]);
    expect(ps[0]?.message).toContain(`through IAM role ${t.role('eks-shared-secrets')} from any namespace`);
    expect(ps[1]?.message).toContain('Production secrets must not reach non-production planes');

    const reason = 'IRSA shares one role per Space; dev and prod planes are run by the same team';
    Guardrails.allow(t.space, 'cross-environment', reason);
    // A broad cross-environment opt-out does not cover production secrets in a dev plane.
    expect(guardrailProblems(t.app).map((p) => `${p.path} ${p.message.slice(0, 36)}`)).toEqual([
      'eks/apps/dev-1 guardrail "production-secret-outside',
    ]);
    Guardrails.allow(t.space, 'production-secret-outside-production', reason);
    const json = expectRecorded(t.app, 'cross-environment', 'eks', reason);
    expect(json.warnings.map((w) => `${w.rule} ${w.path}`)).toContain('shared-identity-across-environments eks');
    expect(json.summary.crossEnvironmentPairs).toBe(4);
  });

  it('does not fire with one role per environment', () => {
    const t = irsaTwoEnv(new TopologyApp());
    injectIdentity(t.app, t.perEnvironment);
    expect(t.app.problems()).toEqual([]);
  });

  it('covers only what is below the opt-out scope', () => {
    const t = irsaTwoEnv(new TopologyApp());
    injectIdentity(t.app, () => [t.sharedRole()]);
    Guardrails.allow(t.prodPlane, 'cross-environment', 'prod may read the dev database for migrations');
    expect(guardrailProblems(t.app).map((p) => p.path)).toEqual(['eks/apps/dev-1', 'eks/apps/dev-1']);
    expect(guardrailProblems(t.app, 'cross-environment').map((p) => p.path)).toEqual(['eks/apps/dev-1']);
  });
});

describe('guardrail credential-reuse', () => {
  it('fires when one credentials Secret serves stores of two environments', () => {
    const t = staticTwoEnv(new TopologyApp(), { sharedCredentials: true });
    Guardrails.allow(t.group, ['cross-environment', 'production-secret-outside-production'], 'tested separately');
    const ps = guardrailProblems(t.app, 'credential-reuse');
    expect(ps).toHaveLength(1);
    expect(ps[0]?.path).toBe('aws/apps/sm-dev');
    expect(ps[0]?.message).toContain(
      'credentials Secret "aws-keys" (Space "aws", group "apps") is used by 2 stores serving environments dev, prod: "sm-dev" (dev), "sm-prod" (prod)',
    );
    expect(ps[0]?.message).toContain("'credential-reuse'");

    const reason = 'a read-only key scoped by IAM to dev/* and prod/*; rotated weekly';
    Guardrails.allow(t.prodStore, 'credential-reuse', reason);
    expectRecorded(t.app, 'credential-reuse', 'aws/apps/sm-prod', reason);
  });

  it('does not fire with one credentials Secret per environment', () => {
    const t = staticTwoEnv(new TopologyApp());
    expect(t.app.problems()).toEqual([]);
  });

  it('does not fire for one store deliberately shared by two environments (its secrets are cross-environment instead)', () => {
    const t = staticTwoEnv(new TopologyApp());
    const shared = new SecretStore(t.group, 'sm-shared', {
      provider: new AwsSecretsManager({
        region: REGION,
        accountId: ACCOUNT,
        credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-shared-keys' }),
      }),
      planes: Planes.inEnvironments(t.dev, t.prod),
      namespaces: Namespaces.named('tools'),
    });
    new SharedSecret(t.group, 'ca-bundle', { store: shared, data: [{ secretKey: 'ca.pem', remoteKey: 'shared/ca-bundle' }] });
    expect(guardrailProblems2(t.app).filter((p) => p.message.includes('credential-reuse'))).toEqual([]);
    // The CA bundle is owned by both environments: sharing it is a decision the topology records.
    expect(guardrailProblems2(t.app).map((p) => `${p.path} ${p.message.slice(0, 40)}`)).toEqual([
      'aws/apps/dev-1 guardrail "cross-environment": plane "de',
      'aws/apps/prod-1 guardrail "cross-environment": plane "pr',
      'aws/apps/dev-1 guardrail "production-secret-outside-pro',
    ]);
    Guardrails.allow(
      shared,
      ['cross-environment', 'production-secret-outside-production'],
      'a public CA bundle, the same in every environment',
    );
    expect(guardrailProblems2(t.app)).toEqual([]);
  });
});

describe('guardrail production-wildcard-namespaces', () => {
  it.each([
    [{ matchExpressions: [{ key: 'team', operator: 'Exists' as const }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'NotIn' as const, values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'pci', operator: 'DoesNotExist' as const }] }, true],
    [{}, true],
    [{ matchLabels: { team: 'tools' } }, false],
    [{ matchExpressions: [{ key: 'team', operator: 'In' as const, values: ['tools'] }] }, false],
    [{ matchLabels: { team: 'tools' }, matchExpressions: [{ key: 'pci', operator: 'DoesNotExist' as const }] }, true],
  ])('isWildcardSelector(%j) = %s', (selector, wild) => {
    expect(isWildcardSelector(selector)).toBe(wild);
  });

  function withWildStore() {
    const t = staticTwoEnv(new TopologyApp());
    const wild = new SecretStore(t.group, 'wild', {
      provider: new AwsSecretsManager({
        region: REGION,
        accountId: ACCOUNT,
        credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-prod-keys' }),
      }),
      planes: Planes.inEnvironments(t.prod),
      namespaces: Namespaces.matching({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }),
    });
    return { ...t, wild };
  }

  it('fires for a production store selecting namespaces with Exists', () => {
    const t = withWildStore();
    const ps = guardrailProblems(t.app, 'production-wildcard-namespaces');
    expect(ps).toEqual([
      {
        path: 'aws/apps/wild',
        message: `guardrail "production-wildcard-namespaces": store "wild" reaches production plane prod-1 and selects namespaces with the wildcard selector {"matchExpressions":[{"key":"team","operator":"Exists"}]}, which also matches namespaces nobody listed (created later, or labelled by their owners). Fix: Namespaces.named(...) or exact labels ({ matchLabels: {...} } or the In operator); or opt out: Guardrails.allow(<construct "aws/apps/wild">, 'production-wildcard-namespaces', '<why this is acceptable>').`,
      },
    ]);
    const reason = 'every team namespace is created by the platform pipeline';
    Guardrails.allow(t.wild, 'production-wildcard-namespaces', reason);
    expectRecorded(t.app, 'production-wildcard-namespaces', 'aws/apps/wild', reason);
  });

  it('does not fire outside production', () => {
    const t = staticTwoEnv(new TopologyApp());
    new SecretStore(t.group, 'wild-dev', {
      provider: new AwsSecretsManager({
        region: REGION,
        accountId: ACCOUNT,
        credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-dev-keys' }),
      }),
      planes: Planes.inEnvironments(t.dev),
      namespaces: Namespaces.matching({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }),
    });
    expect(t.app.problems()).toEqual([]);
  });
});

describe('guardrail refresh-interval', () => {
  function withIntervals() {
    const t = staticTwoEnv(new TopologyApp());
    const mk = (name: string, props: { refreshInterval?: string; refreshPolicy?: 'CreatedOnce' | 'OnChange' | 'Periodic' }) =>
      new SharedSecret(t.group, name, { store: t.devStore, ...props, data: [{ secretKey: 'v', remoteKey: `dev/${name}` }] });
    return {
      ...t,
      fast: mk('fast', { refreshInterval: '30s' }),
      slow: mk('slow', { refreshInterval: '48h' }),
      once: mk('once', { refreshInterval: '0s' }),
      created: mk('created', { refreshPolicy: 'CreatedOnce' }),
      ok: mk('ok', { refreshInterval: '5m' }),
    };
  }

  it('fires below the minimum, above the maximum, for 0s and for policies that never refresh', () => {
    const t = withIntervals();
    const ps = guardrailProblems(t.app, 'refresh-interval');
    expect(ps.map((p) => p.path)).toEqual(['aws/apps/created', 'aws/apps/fast', 'aws/apps/once', 'aws/apps/slow']);
    const by = new Map(ps.map((p) => [p.path, p.message]));
    expect(by.get('aws/apps/fast')).toContain('refreshInterval "30s" (from refreshInterval) is shorter than "1m"');
    expect(by.get('aws/apps/slow')).toContain('refreshInterval "48h" (from refreshInterval) is longer than "24h"');
    expect(by.get('aws/apps/once')).toContain('refreshInterval "0s" (from refreshInterval) reads the backend once');
    expect(by.get('aws/apps/created')).toContain('refreshPolicy "CreatedOnce" never re-reads the backend');
    expect(by.get('aws/apps/fast')).toContain('Guardrails.allow(<construct "aws/apps/fast">, \'refresh-interval\'');
  });

  it('uses configurable bounds and names an inherited environment default', () => {
    const t = withIntervals();
    Guardrails.configure(t.app, { minRefreshInterval: '10s', maxRefreshInterval: '72h' });
    Guardrails.allow(t.once, 'refresh-interval', 'a bootstrap token, read once on purpose');
    Guardrails.allow(t.created, 'refresh-interval', 'immutable registry credentials');
    expect(t.app.problems()).toEqual([]);
    const json = expectRecorded(t.app, 'refresh-interval', 'aws/apps/once', 'a bootstrap token, read once on purpose');
    expect(json.settings).toEqual({ minRefreshInterval: '10s', maxRefreshInterval: '72h', storeRefBypass: false, openNamespaces: false });

    const u = staticTwoEnv(new TopologyApp());
    Guardrails.configure(u.app, { maxRefreshInterval: '10m' });
    const ps = guardrailProblems(u.app, 'refresh-interval');
    expect(ps.map((p) => p.path)).toEqual(['aws/apps/db-dev', 'aws/apps/db-prod']);
    expect(ps[0]?.message).toContain('refreshInterval "1h" (from the default of its environments (dev: 1h)) is longer than "10m"');
  });

  it('reports invalid bounds', () => {
    const t = staticTwoEnv(new TopologyApp());
    Guardrails.configure(t.app, { minRefreshInterval: '1d', maxRefreshInterval: '1h' });
    expect(t.app.problems()).toEqual([
      {
        path: '',
        message: 'Guardrails.configure: minRefreshInterval "1d" is not a Go duration (units: ns, us, ms, s, m, h; no "d"): write "24h".',
      },
    ]);
    const u = staticTwoEnv(new TopologyApp());
    Guardrails.configure(u.app, { minRefreshInterval: '2h', maxRefreshInterval: '1h' });
    expect(u.app.problems()[0]?.message).toBe(
      'Guardrails.configure: minRefreshInterval "2h" is longer than maxRefreshInterval "1h": make the minimum shorter than the maximum.',
    );
  });
});

describe('guardrail wide-iam-grant', () => {
  it('fires for wildcard reads, unneeded grants, needless list, decrypt on * and write', () => {
    const t = irsaTwoEnv(new TopologyApp());
    // secret:* also lets the prod role read dev/db: that is the cross-environment guardrail's business.
    Guardrails.allow(t.prodPlane, 'cross-environment', 'tested separately');
    injectIdentity(t.app, () => {
      const [dev, prod] = t.perEnvironment() as [CloudPrincipal, CloudPrincipal];
      return [
        {
          ...dev,
          grants: [
            ...dev.grants,
            { access: 'list', resource: '*', neededBy: [] },
            { access: 'write', resource: smArn('dev/db'), neededBy: [] },
          ],
        },
        {
          ...prod,
          grants: [
            ...prod.grants,
            { access: 'read', resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:*`, neededBy: [t.prodSecret.node.path] },
            { access: 'read', resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db*`, neededBy: [t.prodSecret.node.path] },
            { access: 'read', resource: smArn('prod/old'), neededBy: [] },
            { access: 'decrypt', resource: '*', neededBy: [] },
          ],
        },
      ];
    });
    const ps = guardrailProblems(t.app, 'wide-iam-grant');
    expect(ps.every((p) => p.path === 'eks')).toBe(true);
    const texts = ps.map((p) =>
      p.message
        .replace(/^guardrail "wide-iam-grant": /, '')
        .split(': ')
        .slice(0, 2)
        .join(': '),
    );
    expect(texts).toEqual(
      [
        `IAM role ${t.role('eks-dev')} (Space "eks") has list access to "*": listing is only needed for dataFrom.find, which no secret of its stores uses. Fix`,
        `IAM role ${t.role('eks-dev')} (Space "eks") has write access to "${smArn('dev/db')}": shared secrets only read`,
        `IAM role ${t.role('eks-prod')} (Space "eks") has decrypt access to "*": decrypt on every key`,
        `IAM role ${t.role('eks-prod')} (Space "eks") has read access to "${smArn('prod/old')}": no secret needs it (neededBy is empty). Fix`,
        `IAM role ${t.role('eks-prod')} (Space "eks") has read access to "arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:*": it also matches arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:0unneeded0, which no secret in neededBy reads. Fix`,
        `IAM role ${t.role('eks-prod')} (Space "eks") has read access to "arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db*": it also matches arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db0unneeded0, which no secret in neededBy reads. Fix`,
      ].sort(),
    );
    const reason = 'legacy role, being narrowed in PLAT-123';
    Guardrails.allow(t.space, 'wide-iam-grant', reason);
    expectRecorded(t.app, 'wide-iam-grant', 'eks', reason);
  });

  it('accepts exact grants, find prefixes, GCP prefix conditions and access-policy vaults', () => {
    const t = irsaTwoEnv(new TopologyApp());
    const g = azureAndGcp(t.app, t);
    const ap = new SecretStore(g.data, 'kv-ap', {
      provider: new AzureKeyVault({
        vaultUrl: 'https://kv-ap.vault.azure.net',
        resourceId: vaultId('kv-ap'),
        authorization: 'access-policy',
      }),
      planes: Planes.named(g.azProd),
      namespaces: Namespaces.named('etl'),
    });
    const apSecret = new SharedSecret(g.data, 'ap-secret', { store: ap, data: [{ secretKey: 'v', remoteKey: 'ap' }] });
    injectIdentity(t.app, () => [
      ...t.perEnvironment(),
      {
        id: 'mi-prod',
        cloud: 'azure',
        kind: 'azure-managed-identity',
        space: 'aks',
        planes: [subject(g.azProd)],
        stores: [g.kvProd.node.path, ap.node.path],
        grants: [
          { access: 'read', resource: `${vaultId('kv-prod')}/secrets/warehouse-dsn`, neededBy: [g.dsnProd.node.path] },
          { access: 'read', resource: `${vaultId('kv-prod')}/certificates/warehouse-tls`, neededBy: [g.dsnProd.node.path] },
          { access: 'read', resource: vaultId('kv-ap'), neededBy: [apSecret.node.path] },
        ],
      },
      {
        id: 'mi-dev',
        cloud: 'azure',
        kind: 'azure-managed-identity',
        space: 'aks',
        planes: [subject(g.azDev)],
        stores: [g.kvDev.node.path],
        grants: [{ access: 'read', resource: `${vaultId('kv-dev')}/secrets/warehouse-dsn`, neededBy: [g.dsnDev.node.path] }],
      },
      {
        id: 'principal://g-prod',
        cloud: 'gcp',
        kind: 'gcp-principal',
        space: 'gke',
        planes: [subject(g.gProd)],
        stores: [g.gsmProd.node.path],
        grants: [
          {
            access: 'read',
            resource: 'projects/210987654321/secrets/exporter-key/',
            condition: 'resource.name.startsWith("projects/210987654321/secrets/exporter-key/")',
            neededBy: [g.exporter.node.path],
          },
          {
            access: 'read',
            resource: 'projects/210987654321/secrets/looker-api-',
            condition: 'resource.name.startsWith("projects/210987654321/secrets/looker-api-")',
            neededBy: [g.looker.node.path],
          },
          { access: 'list', resource: 'projects/acme-prod', neededBy: [g.looker.node.path] },
        ],
      },
      {
        id: 'principal://g-dev',
        cloud: 'gcp',
        kind: 'gcp-principal',
        space: 'gke',
        planes: [subject(g.gDev)],
        stores: [g.gsmDev.node.path],
        grants: [{ access: 'read', resource: 'projects/310987654321/secrets/exporter-key', neededBy: [g.exporterDev.node.path] }],
      },
    ]);
    expect(t.app.problems()).toEqual([]);
  });

  it('fires for a project-level GCP binding and a vault-wide RBAC role assignment', () => {
    const t = azureAndGcp(new TopologyApp());
    injectIdentity(t.app, () => [
      {
        id: 'mi-prod',
        cloud: 'azure',
        kind: 'azure-managed-identity',
        space: 'aks',
        planes: [subject(t.azProd)],
        stores: [t.kvProd.node.path],
        grants: [{ access: 'read', resource: vaultId('kv-prod'), neededBy: [t.dsnProd.node.path] }],
      },
      {
        id: 'mi-dev',
        cloud: 'azure',
        kind: 'azure-managed-identity',
        space: 'aks',
        planes: [subject(t.azDev)],
        stores: [t.kvDev.node.path],
        grants: [{ access: 'read', resource: `${vaultId('kv-dev')}/secrets/warehouse-dsn`, neededBy: [t.dsnDev.node.path] }],
      },
      {
        id: 'principal://g-prod',
        cloud: 'gcp',
        kind: 'gcp-principal',
        space: 'gke',
        planes: [subject(t.gProd)],
        stores: [t.gsmProd.node.path],
        grants: [{ access: 'read', resource: 'projects/210987654321', neededBy: [t.exporter.node.path, t.looker.node.path] }],
      },
      {
        id: 'principal://g-dev',
        cloud: 'gcp',
        kind: 'gcp-principal',
        space: 'gke',
        planes: [subject(t.gDev)],
        stores: [t.gsmDev.node.path],
        grants: [{ access: 'read', resource: 'projects/310987654321/secrets/exporter-key/', neededBy: [t.exporterDev.node.path] }],
      },
    ]);
    const ps = guardrailProblems(t.app, 'wide-iam-grant');
    expect(ps.map((p) => `${p.path}: ${p.message.split(':')[1]?.trim().split(' has ')[0]}`)).toEqual([
      'aks: managed identity mi-prod (Space "aks")',
      'gke: GCP principal principal',
    ]);
    expect(ps[0]?.message).toContain(`it also matches ${vaultId('kv-prod')}/secrets/0unneeded0`);
    expect(ps[1]?.message).toContain('it also matches projects/210987654321/secrets/0unneeded0');
  });
});

describe('warnings', () => {
  it('records static credentials in production, Orphan and Delete; an opt-out acknowledges one', () => {
    const t = staticTwoEnv(new TopologyApp());
    new SharedSecret(t.group, 'cache', {
      store: t.devStore,
      target: { creationPolicy: 'Orphan', deletionPolicy: 'Delete' },
      data: [{ secretKey: 'v', remoteKey: 'dev/cache' }],
    });
    expect(t.app.problems()).toEqual([]);
    const { json, md } = report(t.app);
    expect(json.warnings.map((w) => `${w.rule} ${w.path}`)).toEqual([
      'creation-policy-orphan aws/apps/cache',
      'deletion-policy-delete aws/apps/cache',
      'static-credentials-production aws/apps/sm-prod',
    ]);
    // The Markdown writes `<` as an entity (a message's `<construct ...>` is no HTML tag).
    for (const w of json.warnings) expect(md).toContain(`- **${w.rule}** at \`${w.path}\`: ${w.message.replace(/</g, '&lt;')}`);
    expect(json.warnings[2]?.message).toContain(
      'store "sm-prod" uses static credentials (Secret "aws-prod-keys") in production plane prod-1',
    );

    const u = staticTwoEnv(new TopologyApp());
    const reason = 'rotated daily by the vault agent';
    Guardrails.allow(u.prodStore, 'static-credentials-production', reason);
    const r = expectRecorded(u.app, 'static-credentials-production', 'aws/apps/sm-prod', reason);
    expect(r.warnings).toEqual([]);
  });

  it('records a delivered secret its principal cannot read', () => {
    const t = irsaTwoEnv(new TopologyApp());
    injectIdentity(t.app, () => {
      const [dev, prod] = t.perEnvironment() as [CloudPrincipal, CloudPrincipal];
      return [dev, { ...prod, grants: prod.grants.filter((g) => !g.resource.includes('prod/api')) }];
    });
    const { json } = report(t.app);
    expect(json.warnings.map((w) => [w.rule, w.path, w.message.split(' Grant ')[0]])).toEqual([
      [
        'delivery-not-readable',
        'eks/apps/api-prod',
        `secret "api-prod" is delivered to plane "prod-1", but no principal that plane can act as may read "${smArn('prod/api')}": ESO will fail there.`,
      ],
    ]);
  });
});

describe('opt-outs', () => {
  it('need a known rule and a reason', () => {
    const t = staticTwoEnv(new TopologyApp());
    Guardrails.allow(t.prodStore, 'static-credentials-production', '  ');
    Guardrails.allow(t.devStore, 'no-such-rule' as RuleId, 'typo');
    expect(t.app.problems()).toEqual([
      {
        path: 'aws/apps/sm-dev',
        message: `guardrail opt-out "no-such-rule" is not a rule: use one of cross-environment, production-secret-outside-production, credential-reuse, production-wildcard-namespaces, refresh-interval, wide-iam-grant, static-credentials-production, shared-identity-across-environments, creation-policy-orphan, deletion-policy-delete, delivery-not-readable, unused-opt-out.`,
      },
      {
        path: 'aws/apps/sm-prod',
        message: `guardrail opt-out "static-credentials-production" has no reason ("  "): say why it is acceptable, e.g. Guardrails.allow(scope, 'static-credentials-production', 'dev and staging share one account by design').`,
      },
    ]);
  });

  it('that cover nothing are reported as unused', () => {
    const t = staticTwoEnv(new TopologyApp());
    Guardrails.allow(t.devPlane, 'cross-environment', 'just in case');
    const { json, md } = report(t.app);
    expect(json.optOuts).toEqual([{ rule: 'cross-environment', scope: 'aws/apps/dev-1', reason: 'just in case', covers: [] }]);
    const w = json.warnings.find((x) => x.rule === 'unused-opt-out');
    expect(w?.message).toBe(
      `opt-out "cross-environment" on "aws/apps/dev-1" (reason: "just in case") covers nothing: remove it, so it cannot hide a future finding. Acknowledge: Guardrails.allow(<construct "aws/apps/dev-1">, 'unused-opt-out', '<why this is acceptable>').`,
    );
    expect(md).toContain('| cross-environment | `aws/apps/dev-1` | just in case | nothing |');
  });
});

/** Guardrail problems of an app that may compile. */
function guardrailProblems2(app: TopologyApp): Problem[] {
  return app.problems().filter((p) => p.message.startsWith('guardrail'));
}

describe('the example topology (main.ts)', () => {
  it('is free of guardrail errors', () => {
    const app = buildExample(new TopologyApp());
    expect(app.problems().filter((p) => p.message.startsWith('guardrail'))).toEqual([]);
  });
});
