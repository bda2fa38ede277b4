/**
 * The oracle's own parts (test/oracle/): the CEL evaluator, remote secrets as resources, the
 * report's resource patterns, and whole ground truths of topologies whose reads are known, so a
 * bug in the oracle shows here and not as a finding against the analysis.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcParams } from './fuzz-support.js';
import { readArtifacts } from './oracle/artifacts.js';
import { IamSimulator } from './oracle/aws.js';
import { buildTopology } from './oracle/build.js';
import { evaluateCel } from './oracle/cel.js';
import { worldArbitrary } from './oracle/generator.js';
import { REFUSED, judge } from './oracle/oracle.js';
import { declarationsOverlap, declaredOwner, declares, ownership } from './oracle/ownership.js';
import { claimCovers, type ReportClaim } from './oracle/report-adapter.js';
import { groundTruth } from './oracle/truth.js';
import { resolveRef, universe } from './oracle/universe.js';
import {
  ACCOUNTS,
  keyText,
  remoteIdentity,
  smSuffix,
  type Backend,
  type EnvName,
  type PlaneSpec,
  type RemoteSpec,
  type SpaceSpec,
  type StoreSpec,
  type WorldSpec,
} from './oracle/world.js';

const A = ACCOUNTS[0];
const SM: Backend = { kind: 'sm', account: A, region: 'eu-central-1' };
const PS: Backend = { kind: 'ps', account: A, region: 'eu-central-1' };
const KV: Backend = { kind: 'kv', vault: 0 };
const GSM: Backend = { kind: 'gsm', project: 0 };

describe('CEL conditions', () => {
  const r = {
    name: 'projects/1/secrets/db/versions/latest',
    type: 'secretmanager.googleapis.com/SecretVersion',
    service: 'secretmanager.googleapis.com',
  };

  it('evaluates startsWith, ==, !=, !, &&, || and parentheses as IAM does', () => {
    expect(evaluateCel('resource.name.startsWith("projects/1/secrets/db/")', r)).toBe(true);
    expect(evaluateCel('resource.name.startsWith("projects/1/secrets/db-admin/")', r)).toBe(false);
    expect(evaluateCel(`resource.name.startsWith('projects/1/secrets/')`, r)).toBe(true);
    expect(evaluateCel('resource.name == "projects/1/secrets/db/versions/latest"', r)).toBe(true);
    expect(evaluateCel('resource.name != "projects/1/secrets/db/versions/latest"', r)).toBe(false);
    expect(evaluateCel('resource.name.startsWith("x") || resource.name.endsWith("/latest")', r)).toBe(true);
    expect(evaluateCel('resource.name.startsWith("projects/") && !(resource.type == "x")', r)).toBe(true);
    expect(
      evaluateCel(
        '(resource.name.startsWith("a") || resource.name.contains("/db/")) && resource.service == "secretmanager.googleapis.com"',
        r,
      ),
    ).toBe(true);
  });

  it('a prefix is a prefix of the text, not of a path segment (a missing trailing slash reaches db-admin)', () => {
    const admin = { ...r, name: 'projects/1/secrets/db-admin/versions/1' };
    expect(evaluateCel('resource.name.startsWith("projects/1/secrets/db")', admin)).toBe(true);
    expect(evaluateCel('resource.name.startsWith("projects/1/secrets/db/")', admin)).toBe(false);
  });

  it('refuses what it does not know instead of guessing', () => {
    for (const e of [
      'resource.name.matches("x")',
      'resource.labels.env == "prod"',
      'request.time < timestamp("2030-01-01T00:00:00Z")',
      'resource.name.startsWith("a"',
      'resource.name.startsWith("a") ||',
      '"a" in ["a"]',
      'resource.name.startsWith("a\\q")',
      'resource.name',
    ])
      expect(() => evaluateCel(e, r), e).toThrow(/CEL/);
  });
});

describe('remote secrets are resources, not strings', () => {
  const remotes: RemoteSpec[] = [
    { backend: SM, name: 'prod/db', owner: 'prod', tags: { env: 'prod' } },
    { backend: SM, name: 'prod/db-admin', owner: 'prod', tags: {} },
    { backend: PS, name: '/prod/db', owner: 'prod', tags: {} },
    { backend: PS, name: '/prod/db/user', owner: 'prod', tags: {} },
    { backend: KV, name: 'prod-db', owner: 'prod', tags: {} },
  ];
  const spec: WorldSpec = { envs: ['dev', 'prod'], remotes, owns: [], spaces: [], clusters: [], optOut: 'none' };
  const all = universe(spec);
  const ids = (key: string, b: Backend): string[] => resolveRef({ kind: 'key', key }, b, all).map((c) => c.id);
  const find = (f: { path?: string; nameRegexp?: string; tags?: Record<string, string> }, b: Backend): string[] =>
    resolveRef({ kind: 'find', ...f }, b, all).map((c) => c.remote.name);

  it('a Secrets Manager secret by name, by full ARN and by ARN without the suffix is one secret', () => {
    const id = remoteIdentity(remotes[0]);
    expect(ids('prod/db', SM)).toEqual([id]);
    expect(ids(keyText(remotes[0], 'arn'), SM)).toEqual([id]);
    expect(ids(`arn:aws:secretsmanager:eu-central-1:${A}:secret:prod/db`, SM)).toEqual([id]);
    // Another suffix, region or account is another secret.
    expect(ids(`arn:aws:secretsmanager:eu-central-1:${A}:secret:prod/db-ZZZZZZ`, SM)).toEqual([]);
    expect(ids(`arn:aws:secretsmanager:us-east-1:${A}:secret:prod/db-${smSuffix(SM, 'prod/db')}`, SM)).toEqual([]);
    expect(ids('prod/db', { ...SM, account: ACCOUNTS[1] })).toEqual([]);
  });

  it('a parameter with and without the leading slash and by ARN is one parameter', () => {
    const id = remoteIdentity(remotes[2]);
    for (const k of ['/prod/db', 'prod/db', '//prod/db', `arn:aws:ssm:eu-central-1:${A}:parameter/prod/db`])
      expect(ids(k, PS), k).toEqual([id]);
  });

  it('a Key Vault secret in any case and with "secret/" is one secret; "key/" and "cert/" are other objects', () => {
    const id = remoteIdentity(remotes[4]);
    for (const k of ['prod-db', 'PROD-DB', 'secret/prod-db', 'secret/Prod-Db']) expect(ids(k, KV), k).toEqual([id]);
    expect(ids('key/prod-db', KV)).toEqual([]);
    expect(ids('cert/prod-db', KV)).toEqual([]);
  });

  it('a find: a Secrets Manager path is a name prefix, a Parameter Store path a hierarchy; patterns and tags narrow it', () => {
    expect(find({ path: 'prod/db', nameRegexp: '.*' }, SM)).toEqual(['prod/db', 'prod/db-admin']);
    expect(find({ path: 'prod/db', nameRegexp: '.*' }, PS)).toEqual(['/prod/db/user']);
    expect(find({ path: '/', nameRegexp: '.*' }, PS)).toEqual(['/prod/db', '/prod/db/user']);
    expect(find({ nameRegexp: 'admin$' }, SM)).toEqual(['prod/db-admin']);
    expect(find({ tags: { env: 'prod' } }, SM)).toEqual(['prod/db']);
    expect(find({ tags: { env: 'dev' } }, SM)).toEqual([]);
  });
});

describe("the report's resource patterns", () => {
  const claim = (resource: string): ReportClaim => ({
    plane: 'p',
    remote: 'r',
    kind: 'key',
    resource,
    environments: [],
    ownershipDeclared: false,
    crossEnvironment: false,
    productionOutsideProduction: false,
    paths: [],
  });
  const arn = `arn:aws:secretsmanager:eu-central-1:${A}:secret:prod/db-Ab12Cd`;

  it('match with * and ? wildcards, whole names only', () => {
    expect(claimCovers(claim(`arn:aws:secretsmanager:eu-central-1:${A}:secret:prod/db-??????`), [arn])).toBe(true);
    expect(claimCovers(claim(`arn:aws:secretsmanager:eu-central-1:${A}:secret:prod/db-?????`), [arn])).toBe(false);
    expect(claimCovers(claim(`arn:aws:secretsmanager:eu-central-1:*:secret:prod/*`), [arn])).toBe(true);
    expect(claimCovers(claim(`arn:aws:secretsmanager:eu-central-1:${A}:secret:prod/d`), [arn])).toBe(false);
    expect(claimCovers(claim(`arn:aws:secretsmanager:eu-central-1:${ACCOUNTS[1]}:secret:prod/*`), [arn])).toBe(false);
    // Regular-expression characters in a name are literal.
    expect(claimCovers(claim('projects/1/secrets/a.b'), ['projects/1/secrets/aXb'])).toBe(false);
  });

  it('Key Vault ids ignore case; other names do not', () => {
    expect(
      claimCovers(claim('/subscriptions/S/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/KV/secrets/DB'), [
        '/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv/secrets/db',
      ]),
    ).toBe(true);
    expect(claimCovers(claim('projects/1/secrets/DB'), ['projects/1/secrets/db'])).toBe(false);
  });
});

describe('ownership declarations as SecretOwnership documents them', () => {
  const sm = (name: string, b: Backend = SM): RemoteSpec => ({ backend: b, name, owner: 'prod', tags: {} });
  const arn = `arn:aws:secretsmanager:eu-central-1:${A}:secret:prod/db`;

  it('Secrets Manager: prefixes and names in any account unless one is given, ARNs full or partial', () => {
    expect(declares({ kind: 'sm', env: 'prod', prefixes: ['prod/'] }, sm('prod/db'))).toBe(true);
    expect(declares({ kind: 'sm', env: 'prod', prefixes: ['prod/'] }, sm('production/db'))).toBe(false);
    expect(declares({ kind: 'sm', env: 'prod', names: ['prod/db'] }, sm('prod/db-admin'))).toBe(false);
    expect(declares({ kind: 'sm', env: 'prod', names: ['prod/db'], account: ACCOUNTS[1] }, sm('prod/db'))).toBe(false);
    expect(declares({ kind: 'sm', env: 'prod', arns: [arn] }, sm('prod/db'))).toBe(true);
    expect(declares({ kind: 'sm', env: 'prod', arns: [`${arn}-${smSuffix(SM, 'prod/db')}`] }, sm('prod/db'))).toBe(true);
    expect(declares({ kind: 'sm', env: 'prod', arns: [arn] }, sm('prod/db', { ...SM, region: 'us-east-1' }))).toBe(false);
  });

  it('Parameter Store paths with the leading slash implied; Key Vault names ignore case, vaults by URL or id; GCP projects by id or number', () => {
    expect(declares({ kind: 'ps', env: 'prod', paths: ['prod/'] }, { backend: PS, name: '/prod/db' })).toBe(true);
    expect(declares({ kind: 'ps', env: 'prod', paths: ['/prod/'] }, { backend: PS, name: 'prod/db' })).toBe(true);
    expect(declares({ kind: 'kv', env: 'prod', names: ['PROD-'] }, { backend: KV, name: 'prod-db' })).toBe(true);
    expect(declares({ kind: 'kv', env: 'prod', vaults: ['https://KV-SHARED.vault.azure.net/'] }, { backend: KV, name: 'x' })).toBe(true);
    expect(declares({ kind: 'kv', env: 'prod', vaults: ['kv-prod'] }, { backend: KV, name: 'x' })).toBe(false);
    expect(declares({ kind: 'gsm', env: 'prod', projects: ['100000000001'] }, { backend: GSM, name: 'x' })).toBe(true);
    expect(declares({ kind: 'gsm', env: 'prod', projects: ['acme-secrets-two'] }, { backend: GSM, name: 'x' })).toBe(false);
  });

  it('two declarations overlap when they can cover one name, also one no secret has yet', () => {
    expect(declarationsOverlap({ kind: 'kv', env: 'dev', vaults: ['kv-shared'] }, { kind: 'kv', env: 'prod', names: ['prod-'] })).toBe(
      true,
    );
    expect(declarationsOverlap({ kind: 'sm', env: 'dev', prefixes: ['dev/'] }, { kind: 'sm', env: 'prod', prefixes: ['prod/'] })).toBe(
      false,
    );
    expect(declarationsOverlap({ kind: 'sm', env: 'dev', prefixes: ['p'] }, { kind: 'sm', env: 'prod', names: ['prod/db'] })).toBe(true);
    expect(declarationsOverlap({ kind: 'ps', env: 'dev', paths: ['/prod/db'] }, { kind: 'ps', env: 'prod', paths: ['/prod/'] })).toBe(true);
    expect(declarationsOverlap({ kind: 'sm', env: 'dev', prefixes: ['prod/'] }, { kind: 'ps', env: 'prod', paths: ['/prod/'] })).toBe(
      false,
    );
  });

  it('the model knows what it references or declares; owners are the declaration, else the environments the stores declare', () => {
    const remotes: RemoteSpec[] = [
      { backend: SM, name: 'prod/db', owner: 'prod', tags: {} },
      { backend: SM, name: 'prod/api', owner: 'prod', tags: {} },
      { backend: SM, name: 'shared/db', owner: 'prod', tags: {} },
      { backend: SM, name: 'other/db', owner: 'prod', tags: {} },
    ];
    const dev = store('s-dev', 'dev', SM, 0);
    const spec: WorldSpec = {
      envs: ['dev', 'prod'],
      remotes,
      owns: [{ kind: 'sm', env: 'prod', names: ['prod/api'] }],
      spaces: [
        space(
          'shop',
          'aws',
          undefined,
          [plane('dev-1', 'dev', 1)],
          [{ ...dev, secrets: [{ name: 'x', refs: [...(dev.secrets[0]?.refs ?? []), { kind: 'find', path: 'shared/' }] }] }],
        ),
      ],
      clusters: [],
      optOut: 'none',
    };
    const o = ownership(spec);
    const id = (i: number): string => remoteIdentity(remotes[i]);
    expect([...o.known].sort()).toEqual([id(0), id(1), id(2)].sort());
    expect([...(o.owners.get(id(0)) ?? [])]).toEqual(['dev']);
    expect([...(o.owners.get(id(1)) ?? [])]).toEqual(['prod']);
    expect([...(o.owners.get(id(2)) ?? [])]).toEqual(['dev']);
  });

  it("the generator declares consistently: a declared secret is its declaring environment's, and no two environments declare one name", () => {
    let declaring = 0;
    fc.assert(
      fc.property(worldArbitrary, (spec) => {
        if (spec.owns.length > 0) declaring++;
        for (const r of spec.remotes) {
          const env = declaredOwner(spec.owns, r);
          if (env !== undefined) expect(env).toBe(r.owner);
        }
        for (const a of spec.owns) for (const b of spec.owns) if (a.env !== b.env) expect(declarationsOverlap(a, b)).toBe(false);
      }),
      fcParams,
    );
    expect(declaring).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Whole topologies whose reads are known

function plane(name: string, env: EnvName, uuid: number, more: Partial<PlaneSpec> = {}): PlaneSpec {
  return { name, env, host: { kind: 'id', uuid: `0c0ffee0-0000-4000-8000-00000000000${uuid}` }, namespaces: ['team-a'], ...more };
}

function store(name: string, env: EnvName, backend: Backend, key: number, more: Partial<StoreSpec> = {}): StoreSpec {
  return {
    name,
    env,
    backend,
    auth: { kind: 'identity' },
    planes: { kind: 'env', envs: [env] },
    namespaces: ['team-a'],
    secrets: [{ name: `${name}-x1`, refs: [{ kind: 'key', remote: key, form: 'name', extract: false }] }],
    ...more,
  };
}

function space(
  name: string,
  cloud: SpaceSpec['cloud'],
  identity: SpaceSpec['identity'],
  planes: PlaneSpec[],
  stores: StoreSpec[],
): SpaceSpec {
  return { name, cloud, ...(identity ? { identity } : {}), groups: [{ name: 'platform', planes, stores }] };
}

/** dev and prod remote secrets, and a prod one whose name extends the prod one (`…-admin`). */
function remotesOf(backend: Backend, dev: string, prod: string): RemoteSpec[] {
  return [
    { backend, name: dev, owner: 'dev', tags: { env: 'dev' } },
    { backend, name: prod, owner: 'prod', tags: { env: 'prod' } },
    { backend, name: `${prod}-admin`, owner: 'prod', tags: { env: 'prod' } },
  ];
}

const devProd = (s: (p: PlaneSpec[], st: StoreSpec[]) => SpaceSpec, backend: Backend, more: Partial<StoreSpec> = {}): SpaceSpec =>
  s(
    [plane('dev-1', 'dev', 1), plane('prod-1', 'prod', 2)],
    [store('s-dev', 'dev', backend, 0, more), store('s-prod', 'prod', backend, 1, more)],
  );

const KNOWN: ReadonlyArray<{
  readonly title: string;
  readonly spec: WorldSpec;
  readonly reads: Readonly<Record<string, readonly number[]>>;
}> = [
  {
    title: 'EKS Pod Identity, a role per environment',
    spec: {
      envs: ['dev', 'prod'],
      remotes: remotesOf(SM, 'dev/team-a/db', 'prod/team-a/db'),
      spaces: [
        devProd(
          (p, st) => space('shop', 'aws', { kind: 'aws-pod-identity', account: A, region: true, roleScope: 'environment' }, p, st),
          SM,
        ),
      ],
      clusters: [],
      owns: [],
      optOut: 'none',
    },
    reads: { 'shop/platform/dev-1': [0], 'shop/platform/prod-1': [1] },
  },
  {
    title: 'Parameter Store by Pod Identity, keys without the leading slash',
    spec: {
      envs: ['dev', 'prod'],
      remotes: remotesOf(PS, '/dev/team-a/db', '/prod/team-a/db'),
      spaces: [
        space(
          'shop',
          'aws',
          { kind: 'aws-pod-identity', account: A, region: false, roleScope: 'plane' },
          [plane('dev-1', 'dev', 1), plane('prod-1', 'prod', 2)],
          [
            store('s-dev', 'dev', PS, 0),
            {
              ...store('s-prod', 'prod', PS, 1),
              secrets: [{ name: 's-prod-x1', refs: [{ kind: 'key', remote: 1, form: 'noslash', extract: true }] }],
            },
          ],
        ),
      ],
      clusters: [],
      owns: [],
      optOut: 'none',
    },
    reads: { 'shop/platform/dev-1': [0], 'shop/platform/prod-1': [1] },
  },
  {
    title: 'two IRSA Spaces (dev, prod) whose planes have the same host namespace on two clusters: other issuers, other principals',
    spec: {
      envs: ['dev', 'prod'],
      remotes: remotesOf(SM, 'dev/team-a/db', 'prod/team-a/db'),
      spaces: [
        space('eu', 'aws', { kind: 'aws-irsa', account: A }, [plane('dev-1', 'dev', 1)], [store('s-dev', 'dev', SM, 0)]),
        space(
          'shop',
          'aws',
          { kind: 'aws-irsa', account: A },
          [plane('prod-1', 'prod', 1)],
          [
            {
              ...store('s-prod', 'prod', SM, 1),
              secrets: [{ name: 'x', refs: [{ kind: 'key', remote: 1, form: 'arn', extract: false }] }],
            },
          ],
        ),
      ],
      clusters: [],
      owns: [],
      optOut: 'none',
    },
    reads: { 'eu/platform/dev-1': [0], 'shop/platform/prod-1': [1] },
  },
  {
    title: 'GCP principal identifiers, a binding per plane conditioned on the exact secret',
    spec: {
      envs: ['dev', 'prod'],
      remotes: remotesOf(GSM, 'dev-team-a-db', 'prod-team-a-db'),
      spaces: [devProd((p, st) => space('shop', 'gcp', { kind: 'gcp-principal', project: 0 }, p, st), GSM)],
      clusters: [],
      owns: [],
      optOut: 'none',
    },
    reads: { 'shop/platform/dev-1': [0], 'shop/platform/prod-1': [1] },
  },
  {
    title: 'Azure workload identity of a prod-only Space, RBAC per secret',
    spec: {
      envs: ['dev', 'prod'],
      remotes: remotesOf(KV, 'dev-team-a-db', 'prod-team-a-db'),
      spaces: [
        space(
          'shop',
          'azure',
          { kind: 'azure', identity: 0 },
          [plane('prod-1', 'prod', 1), plane('prod-2', 'prod', 2)],
          [store('s-prod', 'prod', KV, 1)],
        ),
      ],
      clusters: [],
      owns: [],
      optOut: 'none',
    },
    reads: { 'shop/platform/prod-1': [1], 'shop/platform/prod-2': [1] },
  },
  {
    title: 'static credentials, one Secret per environment',
    spec: {
      envs: ['dev', 'prod'],
      remotes: remotesOf({ kind: 'kv', vault: 1 }, 'dev-team-a-db', 'prod-team-a-db'),
      spaces: [
        space(
          'shop',
          'azure',
          undefined,
          [plane('dev-1', 'dev', 1), plane('prod-1', 'prod', 2)],
          [
            store('s-dev', 'dev', { kind: 'kv', vault: 1 }, 0, { auth: { kind: 'static', secretName: 'creds-dev' } }),
            store('s-prod', 'prod', { kind: 'kv', vault: 1 }, 1, { auth: { kind: 'static', secretName: 'creds-prod' } }),
          ],
        ),
      ],
      clusters: [],
      owns: [],
      optOut: 'none',
    },
    // The selector bypass: each plane can use both stores of its group.
    reads: { 'shop/platform/dev-1': [0, 1], 'shop/platform/prod-1': [0, 1] },
  },
  {
    title: 'static credentials on GCP Secret Manager (ESO names the project projectID)',
    spec: {
      envs: ['dev', 'prod'],
      remotes: remotesOf(GSM, 'dev-team-a-db', 'prod-team-a-db'),
      spaces: [
        space(
          'shop',
          'gcp',
          undefined,
          [plane('dev-1', 'dev', 1)],
          [store('s-dev', 'dev', GSM, 0, { auth: { kind: 'static', secretName: 'creds-dev' } })],
        ),
      ],
      clusters: [],
      owns: [],
      optOut: 'none',
    },
    reads: { 'shop/platform/dev-1': [0] },
  },
];

describe('ground truths of topologies whose reads are known', () => {
  const sim = new IamSimulator();
  it.each(KNOWN)('$title', async ({ spec, reads }) => {
    const files = buildTopology(spec, 'both').compile().files;
    const truth = await groundTruth(spec, readArtifacts(files), sim);
    const got = Object.fromEntries([...truth.reads].map(([p, m]) => [p, [...m.keys()].sort()]));
    const want = Object.fromEntries(Object.entries(reads).map(([p, rs]) => [p, rs.map((i) => remoteIdentity(spec.remotes[i])).sort()]));
    expect(got).toEqual(want);
  });

  it('the workload-identity topologies above are judged sound, without false positives', async () => {
    for (const { spec, title } of KNOWN.slice(0, 5)) {
      const v = await judge(spec, sim);
      expect(v.status, title).toBe('compiled');
      expect([...v.unsound, ...v.unflagged], title).toEqual([]);
      expect(v.spuriousFlags, title).toBe(0);
    }
  });
});

describe('the generator', () => {
  it('gives topologies that compile (or are caught by the cross-environment guardrail, or refused by the analysis) and reach secrets', () => {
    fc.assert(
      fc.property(worldArbitrary, (spec) => {
        const app = buildTopology(spec, 'both');
        // The analysis may refuse a topology (an IAM role name generated twice, a backend without access model): that is on purpose.
        expect(app.problems().filter((p) => !REFUSED.some((r) => r.test(p.message)))).toEqual([]);
        expect(spec.remotes.length).toBeGreaterThan(0);
      }),
      fcParams,
    );
  });
});
