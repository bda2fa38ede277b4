/**
 * The smallest topologies that show each class of access the first analysis got wrong, as worlds
 * of the oracle (test/oracle-classes.test.ts runs them; `topologyCode` prints each as code over the
 * public API). Each names the read the report must contain (`unsound`), flag (`unflagged`), not
 * flag (`false-positive`), or that only the user's declaration can make cross-environment
 * (`undeclared`); or the problem by which the analysis refuses the topology (`refusal`).
 */
import {
  ACCOUNTS,
  credentialAccount,
  remoteIdentity,
  roleArn,
  type Backend,
  type EnvName,
  type PlaneSel,
  type PlaneSpec,
  type RefSpec,
  type RemoteSpec,
  type SpaceSpec,
  type StoreSpec,
  type WorldSpec,
} from './world.js';

const A = ACCOUNTS[0];
const SM: Backend = { kind: 'sm', account: A, region: 'eu-central-1' };
const PS: Backend = { kind: 'ps', account: A, region: 'eu-central-1' };
const KV_LEGACY: Backend = { kind: 'kv', vault: 2 };
const KV_SHARED: Backend = { kind: 'kv', vault: 0 };
const GSM: Backend = { kind: 'gsm', project: 0 };
const HV: Backend = { kind: 'hv' };

function remote(backend: Backend, name: string, owner: EnvName): RemoteSpec {
  return { backend, name, owner, tags: { env: owner } };
}

function plane(name: string, env: EnvName, n: number, more: Partial<PlaneSpec> = {}): PlaneSpec {
  return { name, env, host: { kind: 'id', uuid: `0c0ffee0-0000-4000-8000-00000000000${n}` }, namespaces: ['team-a'], ...more };
}

const key = (remote: number): RefSpec => ({ kind: 'key', remote, form: 'name', extract: false });
const envs = (...e: EnvName[]): PlaneSel => ({ kind: 'env', envs: e });

/** A store with the Space's workload identity. */
function wiStore(
  name: string,
  env: EnvName,
  backend: Backend,
  planes: PlaneSel,
  refs: readonly RefSpec[],
  more: Partial<StoreSpec> = {},
): StoreSpec {
  return {
    name,
    env,
    backend,
    auth: { kind: 'identity' },
    planes,
    namespaces: ['team-a'],
    secrets: [{ name: `${name}-x1`, refs }],
    ...more,
  };
}

/** A store with a credentials Secret of its group (AWS: the backend must be in the account of the Secret's keys). */
function staticStore(
  where: { space: string; group: string },
  name: string,
  env: EnvName,
  secretName: string,
  backend: Backend,
  planes: PlaneSel,
  refs: readonly RefSpec[],
  more: Partial<StoreSpec> = {},
): StoreSpec {
  const aws = backend.kind === 'sm' || backend.kind === 'ps';
  const account = credentialAccount(where.space, where.group, secretName);
  if (aws && backend.account !== account)
    throw new Error(
      `the keys of credentials Secret "${secretName}" are of account ${account}, not ${backend.account}: choose another name`,
    );
  return {
    name,
    env,
    backend,
    auth: { kind: 'static', secretName },
    ...(aws ? { accountId: account } : {}),
    planes,
    namespaces: ['team-a'],
    secrets: refs.length > 0 ? [{ name: `${name}-x1`, refs }] : [],
    ...more,
  };
}

function world(remotes: readonly RemoteSpec[], spaces: readonly SpaceSpec[], more: Partial<WorldSpec> = {}): WorldSpec {
  return { envs: ['dev', 'prod'], remotes, owns: [], spaces, clusters: [], optOut: 'none', ...more };
}

/** A read the report gets wrong. */
export interface Counterexample {
  readonly id: string;
  /** What it shows. */
  readonly title: string;
  /**
   * `unsound`: the read is missing from the readable set; `unflagged`: it is there but not flagged
   * cross-environment (nor caught); `false-positive`: the plane reads a secret of its own
   * environment and the report flags it cross-environment; `undeclared`: the read crosses
   * environments by the world's owner, which no declaration tells the compiler (the oracle must
   * classify it as the user's, not as the analysis's error).
   */
  readonly kind: 'unsound' | 'unflagged' | 'false-positive' | 'undeclared';
  /** The problem by which the analysis refuses the topology (nothing is written, so there is no ground truth to compute). @default none */
  readonly refusal?: RegExp;
  readonly spec: WorldSpec;
  /** The plane (`<space>/<group>/<plane>`) and the remote secret (an index into `spec.remotes`). */
  readonly plane: string;
  readonly remote: number;
}

const SHOP = { space: 'shop', group: 'platform' };
const shop = (identity: SpaceSpec['identity'], planes: readonly PlaneSpec[], stores: readonly StoreSpec[]): SpaceSpec => ({
  name: 'shop',
  cloud: 'aws',
  ...(identity ? { identity } : {}),
  groups: [{ name: 'platform', planes, stores }],
});
const DEV_PROD = [plane('dev-1', 'dev', 1), plane('prod-1', 'prod', 2)];
const POD_IDENTITY = { kind: 'aws-pod-identity', account: A, region: true, roleScope: 'environment' } as const;

export const COUNTEREXAMPLES: readonly Counterexample[] = [
  {
    id: 'selector-bypass',
    title: 'a plane uses a SharedSecretStore of its group that does not select it (the upboundspaces provider ignores selectors)',
    kind: 'unsound',
    spec: world(
      [remote(SM, 'prod/team-a/db', 'prod')],
      [shop(undefined, DEV_PROD, [staticStore(SHOP, 's-prod', 'prod', 'creds-prod', SM, envs('prod'), [key(0)])])],
    ),
    plane: 'shop/platform/dev-1',
    remote: 0,
  },
  {
    id: 'undeclared-namespace',
    title:
      'a static-credentials store is projected into a plane none of whose declared namespaces it selects (plane users create namespaces)',
    kind: 'unsound',
    spec: world(
      [remote(SM, 'prod/team-a/db', 'prod')],
      [
        shop(
          undefined,
          [plane('dev-1', 'dev', 1, { tier: 'a', namespaces: ['team-b'] }), plane('prod-1', 'prod', 2, { tier: 'a' })],
          [staticStore(SHOP, 's-prod', 'prod', 'creds-prod', SM, { kind: 'labels', matchLabels: { tier: 'a' } }, [key(0)])],
        ),
      ],
    ),
    plane: 'shop/platform/dev-1',
    remote: 0,
  },
  {
    id: 'credentials-of-another-backend',
    title: 'one credentials Secret serves stores of two backends: a plane that can use one store reads what the other references',
    kind: 'unsound',
    spec: world(
      [remote(SM, 'dev/team-a/db', 'dev'), remote(PS, '/prod/team-a/db', 'prod')],
      [
        shop(undefined, DEV_PROD, [
          staticStore(SHOP, 's-dev', 'dev', 'creds-a', SM, envs('dev'), [key(0)]),
          staticStore(SHOP, 's-prod', 'prod', 'creds-a', PS, envs('prod'), [key(1)]),
        ]),
      ],
    ),
    plane: 'shop/platform/dev-1',
    remote: 1,
  },
  {
    id: 'unknown-backend',
    title: 'a store on a backend the analysis does not know (a user-written HashiCorp Vault provider) is dropped from the report',
    kind: 'unsound',
    refusal: /has no access model/,
    spec: world(
      [remote(HV, 'prod/team-a/db', 'prod')],
      [shop(undefined, DEV_PROD, [staticStore(SHOP, 's-vault', 'prod', 'vault-token', HV, envs('prod'), [key(0)])])],
    ),
    plane: 'shop/platform/prod-1',
    remote: 0,
  },
  {
    id: 'chained-role',
    title: 'a dev store and a prod store chain to the same role: an assumed role is one principal for every store that names it',
    kind: 'unsound',
    spec: world(
      [remote(SM, 'dev/team-a/db', 'dev'), remote(SM, 'prod/team-a/db', 'prod')],
      [
        shop(POD_IDENTITY, DEV_PROD, [
          wiStore('s-dev', 'dev', SM, envs('dev'), [key(0)], { role: roleArn(A, 'secrets-reader') }),
          wiStore('s-prod', 'prod', SM, envs('prod'), [key(1)], { role: roleArn(A, 'secrets-reader') }),
        ]),
      ],
    ),
    plane: 'shop/platform/dev-1',
    remote: 1,
  },
  {
    id: 'role-name-collision',
    title: 'Space "shop" (environment prod) and Space "shop-prod" both write documents for the IAM role shop-prod-shared-secrets',
    kind: 'unsound',
    refusal: /shop-prod-shared-secrets.* is generated by .* with different trust and permission documents/,
    spec: world(
      [remote(SM, 'dev/team-a/db', 'dev'), remote(SM, 'prod/team-a/db', 'prod')],
      [
        shop(POD_IDENTITY, [plane('prod-1', 'prod', 2)], [wiStore('s-prod', 'prod', SM, envs('prod'), [key(1)])]),
        {
          name: 'shop-prod',
          cloud: 'aws',
          identity: { kind: 'aws-irsa', account: A },
          groups: [{ name: 'platform', planes: [plane('dev-1', 'dev', 1)], stores: [wiStore('s-dev', 'dev', SM, envs('dev'), [key(0)])] }],
        },
      ],
    ),
    plane: 'shop-prod/platform/dev-1',
    remote: 1,
  },
  {
    id: 'eso-cluster-role-name',
    title: "a plain ESO cluster whose roleArn names a Space's generated role adds its documents to that role",
    kind: 'unsound',
    refusal: /shop-shared-secrets.* is generated by .* with different trust and permission documents/,
    spec: world(
      [remote(SM, 'dev/team-a/db', 'dev'), remote(SM, 'prod/apps/db', 'prod')],
      [shop({ kind: 'aws-irsa', account: A }, [plane('dev-1', 'dev', 1)], [wiStore('s-dev', 'dev', SM, envs('dev'), [key(0)])])],
      { clusters: [{ name: 'apps', env: 'prod', account: A, roleName: 'shop-shared-secrets', refs: [key(1)] }] },
    ),
    plane: 'shop/platform/dev-1',
    remote: 1,
  },
  {
    id: 'path-find-grant',
    title:
      'a Parameter Store find by name pattern only is granted GetParametersByPath on "/": every parameter, also under the path prod declares',
    kind: 'unsound',
    spec: world(
      [remote(PS, '/dev/team-a/db', 'dev'), remote(PS, '/prod/team-a/db', 'prod')],
      [shop(POD_IDENTITY, DEV_PROD, [wiStore('s-dev', 'dev', PS, envs('dev'), [{ kind: 'find', nameRegexp: '^/dev/' }])])],
      { owns: [{ kind: 'ps', env: 'prod', paths: ['/prod/'] }] },
    ),
    plane: 'shop/platform/dev-1',
    remote: 1,
  },
  {
    id: 'vault-access-policy',
    title: 'a Key Vault access policy is vault-wide: the identity reads secrets prod declares that the model never names',
    kind: 'unsound',
    spec: world(
      [remote(KV_LEGACY, 'dev-team-a-db', 'dev'), remote(KV_LEGACY, 'prod-team-a-db', 'prod')],
      [
        {
          name: 'shop',
          cloud: 'azure',
          identity: { kind: 'azure', identity: 1 },
          groups: [
            { name: 'platform', planes: [plane('dev-1', 'dev', 1)], stores: [wiStore('s-dev', 'dev', KV_LEGACY, envs('dev'), [key(0)])] },
          ],
        },
      ],
      { owns: [{ kind: 'kv', env: 'prod', names: ['prod-'] }] },
    ),
    plane: 'shop/platform/dev-1',
    remote: 1,
  },
  {
    id: 'find-resource-narrower',
    title:
      'the report names the Parameter Store find "^/prod/team-a/db" as ".../prod/team-a/db/*", which leaves out /prod/team-a/db itself',
    kind: 'unsound',
    spec: world(
      [remote(PS, '/prod/team-a/db', 'prod')],
      [
        shop(undefined, DEV_PROD, [
          staticStore(SHOP, 's-prod', 'prod', 'creds-prod', PS, envs('prod'), [{ kind: 'find', nameRegexp: '^/prod/team-a/db' }]),
        ]),
      ],
    ),
    plane: 'shop/platform/prod-1',
    remote: 0,
  },
  {
    id: 'ownership-from-delivery',
    title:
      "a dev secret names prod/team-a/db, which prod declares: the report took the remote secret to be dev's because it is delivered to dev",
    kind: 'unflagged',
    spec: world(
      [remote(SM, 'prod/team-a/db', 'prod')],
      [shop(POD_IDENTITY, DEV_PROD, [wiStore('s-dev', 'dev', SM, envs('dev'), [key(0)])])],
      { owns: [{ kind: 'sm', env: 'prod', prefixes: ['prod/'] }] },
    ),
    plane: 'shop/platform/dev-1',
    remote: 0,
  },
  {
    id: 'undeclared-owner',
    title: "the same without the declaration: only dev stores name the secret, so no compiler can know it is prod's",
    kind: 'undeclared',
    spec: world(
      [remote(SM, 'prod/team-a/db', 'prod')],
      [shop(POD_IDENTITY, DEV_PROD, [wiStore('s-dev', 'dev', SM, envs('dev'), [key(0)])])],
    ),
    plane: 'shop/platform/dev-1',
    remote: 0,
  },
  {
    id: 'label-selector',
    title: "a prod store's label selector (tier=a) also catches a dev plane: the remote secret is taken to be dev's and prod's",
    kind: 'unflagged',
    spec: world(
      [remote(SM, 'prod/team-a/db', 'prod')],
      [
        shop(
          undefined,
          [plane('dev-1', 'dev', 1, { tier: 'a' }), plane('prod-1', 'prod', 2, { tier: 'a' })],
          [staticStore(SHOP, 's-prod', 'prod', 'creds-prod', SM, { kind: 'labels', matchLabels: { tier: 'a' } }, [key(0)])],
        ),
      ],
    ),
    plane: 'shop/platform/dev-1',
    remote: 0,
  },
  {
    id: 'find-scope',
    title: "a dev find's scope holds a secret prod declares: the report said the find is dev's",
    kind: 'unflagged',
    spec: world(
      [remote(SM, 'dev/team-a/db', 'dev'), remote(SM, 'prod/team-a/db', 'prod')],
      [shop(POD_IDENTITY, DEV_PROD, [wiStore('s-dev', 'dev', SM, envs('dev'), [{ kind: 'find', path: '', nameRegexp: '.*' }])])],
      { owns: [{ kind: 'sm', env: 'prod', prefixes: ['prod/'] }] },
    ),
    plane: 'shop/platform/dev-1',
    remote: 1,
  },
  {
    id: 'owner-flagged',
    title:
      'a prod secret names a remote secret dev declares and the dev store shares its credentials Secret: the dev plane reading its own secret was flagged (the prod plane was not)',
    kind: 'false-positive',
    spec: world(
      [remote(SM, 'dev/team-a/db', 'dev')],
      [
        shop(undefined, DEV_PROD, [
          staticStore(SHOP, 's-dev', 'dev', 'keys-shared', SM, envs('dev'), []),
          staticStore(SHOP, 's-prod', 'prod', 'keys-shared', SM, envs('prod'), [key(0)]),
        ]),
      ],
      { optOut: 'both', owns: [{ kind: 'sm', env: 'dev', prefixes: ['dev/'] }] },
    ),
    plane: 'shop/platform/dev-1',
    remote: 0,
  },
  {
    id: 'shared-managed-identity',
    title:
      'one Azure managed identity is used by a dev Space and a prod Space: a dev plane gets its token and reads what the prod Space granted it',
    kind: 'unsound',
    spec: world(
      [remote(KV_SHARED, 'dev-team-a-db', 'dev'), remote(KV_SHARED, 'prod-team-a-db', 'prod')],
      [
        {
          name: 'eu',
          cloud: 'azure',
          identity: { kind: 'azure', identity: 0 },
          groups: [
            { name: 'platform', planes: [plane('dev-1', 'dev', 1)], stores: [wiStore('s-dev', 'dev', KV_SHARED, envs('dev'), [key(0)])] },
          ],
        },
        {
          name: 'shop',
          cloud: 'azure',
          identity: { kind: 'azure', identity: 0 },
          groups: [
            {
              name: 'platform',
              planes: [plane('prod-1', 'prod', 2)],
              stores: [wiStore('s-prod', 'prod', KV_SHARED, envs('prod'), [key(1)])],
            },
          ],
        },
      ],
    ),
    plane: 'eu/platform/dev-1',
    remote: 1,
  },
  {
    id: 'shared-service-account',
    title: 'one Google service account is impersonated by a dev Space and a prod Space',
    kind: 'unsound',
    spec: world(
      [remote(GSM, 'dev-team-a-db', 'dev'), remote(GSM, 'prod-team-a-db', 'prod')],
      [
        {
          name: 'eu',
          cloud: 'gcp',
          identity: { kind: 'gcp-impersonation', project: 0, gsa: 0 },
          groups: [{ name: 'platform', planes: [plane('dev-1', 'dev', 1)], stores: [wiStore('s-dev', 'dev', GSM, envs('dev'), [key(0)])] }],
        },
        {
          name: 'shop',
          cloud: 'gcp',
          identity: { kind: 'gcp-impersonation', project: 1, gsa: 0 },
          groups: [
            { name: 'platform', planes: [plane('prod-1', 'prod', 2)], stores: [wiStore('s-prod', 'prod', GSM, envs('prod'), [key(1)])] },
          ],
        },
      ],
    ),
    plane: 'eu/platform/dev-1',
    remote: 1,
  },
  {
    id: 'workload-pool-per-project',
    title: 'two Spaces on GKE in one project with planes of the same host namespace are one IAM principal',
    kind: 'unsound',
    spec: world(
      [remote(GSM, 'dev-team-a-db', 'dev'), remote(GSM, 'prod-team-a-db', 'prod')],
      ['eu', 'shop'].map((name, i) => ({
        name,
        cloud: 'gcp' as const,
        identity: { kind: 'gcp-principal' as const, project: 0 },
        groups: [
          {
            name: 'platform',
            planes: [plane(i === 0 ? 'dev-1' : 'prod-1', i === 0 ? 'dev' : 'prod', 1, { host: { kind: 'ns', name: 'cp-shared' } })],
            stores: [wiStore(i === 0 ? 's-dev' : 's-prod', i === 0 ? 'dev' : 'prod', GSM, envs(i === 0 ? 'dev' : 'prod'), [key(i)])],
          },
        ],
      })),
    ),
    plane: 'eu/platform/dev-1',
    remote: 1,
  },
  // Classes the oracle found in the second analysis (each fixed, with tests in test/access-soundness.test.ts).
  {
    id: 'store-without-secrets',
    title:
      "a credentials store no secret object uses chains to another Space's generated role: a plane user's own ExternalSecret reads what that role reads",
    kind: 'unsound',
    spec: world(
      [remote(SM, 'prod/team-a/db', 'prod')],
      [
        shop(POD_IDENTITY, [plane('prod-1', 'prod', 2)], [wiStore('s-prod', 'prod', SM, envs('prod'), [key(0)])]),
        {
          name: 'eu',
          cloud: 'aws',
          groups: [
            {
              name: 'platform',
              planes: [plane('dev-1', 'dev', 1)],
              stores: [
                staticStore({ space: 'eu', group: 'platform' }, 's-dev', 'dev', 'dev-keys', SM, envs('dev'), [], {
                  role: roleArn(A, 'shop-prod-shared-secrets'),
                }),
              ],
            },
          ],
        },
      ],
    ),
    plane: 'eu/platform/dev-1',
    remote: 0,
  },
  {
    id: 'gke-without-identity',
    title:
      'a GCP Space without a GCP identity runs on GKE in the project of another Space whose plane has the same host namespace: one pool principal',
    kind: 'unsound',
    spec: world(
      [remote(GSM, 'dev-team-a-db', 'dev'), remote(GSM, 'prod-team-a-db', 'prod')],
      [
        {
          name: 'shop',
          cloud: 'gcp',
          gkeProject: 0,
          groups: [
            {
              name: 'platform',
              planes: [plane('dev-1', 'dev', 1)],
              stores: [staticStore(SHOP, 's-dev', 'dev', 'creds-dev', GSM, envs('dev'), [key(0)])],
            },
          ],
        },
        {
          name: 'eu',
          cloud: 'gcp',
          identity: { kind: 'gcp-principal', project: 0 },
          groups: [
            { name: 'platform', planes: [plane('prod-1', 'prod', 1)], stores: [wiStore('s-prod', 'prod', GSM, envs('prod'), [key(1)])] },
          ],
        },
      ],
    ),
    plane: 'shop/platform/dev-1',
    remote: 1,
  },
  {
    id: 'declared-name-resource',
    title: 'a Secrets Manager secret prod declares by name, read through a wide grant: the report named it without the ARN suffix',
    kind: 'unsound',
    spec: world(
      [remote(SM, 'dev/team-a/db', 'dev'), remote(SM, 'prod/team-a/db', 'prod')],
      [shop(POD_IDENTITY, DEV_PROD, [wiStore('s-dev', 'dev', SM, envs('dev'), [{ kind: 'find', nameRegexp: '^dev/' }])])],
      { owns: [{ kind: 'sm', env: 'prod', names: ['prod/team-a/db'], account: A, region: 'eu-central-1' }] },
    ),
    plane: 'shop/platform/dev-1',
    remote: 1,
  },
  {
    id: 'find-inside-declaration',
    title: "a find inside the prefix dev declares, through a store of dev's and prod's planes: the dev plane reading it was flagged",
    kind: 'false-positive',
    spec: world(
      [remote(SM, 'dev/team-a/db', 'dev')],
      [
        shop({ ...POD_IDENTITY, roleScope: 'plane' }, DEV_PROD, [
          wiStore('s-both', 'dev', SM, envs('dev', 'prod'), [{ kind: 'find', path: 'dev/team-a/', nameRegexp: '.*' }]),
        ]),
      ],
      { optOut: 'both', owns: [{ kind: 'sm', env: 'dev', prefixes: ['dev/'] }] },
    ),
    plane: 'shop/platform/dev-1',
    remote: 0,
  },
  {
    id: 'key-inside-find',
    title: "a dev key read with credentials lies inside a prod store's find: the dev plane was flagged for the find",
    kind: 'false-positive',
    spec: world(
      [remote(SM, 'dev/team-a/db', 'dev')],
      [
        shop(POD_IDENTITY, DEV_PROD, [
          staticStore(SHOP, 's-dev', 'dev', 'creds-prod', SM, envs('dev'), [key(0)]),
          wiStore('s-prod', 'prod', SM, envs('prod'), [{ kind: 'find', path: 'dev/', nameRegexp: '.*' }]),
        ]),
      ],
      { optOut: 'both', owns: [{ kind: 'sm', env: 'dev', names: ['dev/team-a/db'], account: A, region: 'eu-central-1' }] },
    ),
    plane: 'shop/platform/dev-1',
    remote: 0,
  },
];

/** The id of a counterexample's remote secret. */
export function remoteOf(c: Counterexample): string {
  return remoteIdentity(c.spec.remotes[c.remote]);
}
