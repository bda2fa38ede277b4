/**
 * Every bad input with its exact message: the construct path, the offending value and the fix.
 * A bad model throws a TopologyError listing every problem at once, and nothing is written (also
 * when run as a real process, which must exit 1 with the problems on stderr and no stack trace).
 */
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from '../lib/output/outdir.js';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  AwsParameterStore,
  AwsSecretsManager,
  AzureKeyVault,
  ControlPlane,
  Environment,
  GcpSecretManager,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  StaticCredentials,
  TopologyApp,
  TopologyError,
  type Problem,
} from '../lib/index.js';
import { formatProblems } from '../lib/model/errors.js';
import { AZURE_TENANT, irsa, uuid } from './fixtures/topologies.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'topology-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A valid model that each case adds one mistake to: environment prod, Space eks (AWS, IRSA),
 * group platform, plane prod-1 (namespaces apps, crossplane-system) and store sm (prod,
 * crossplane-system) with static credentials (so that no identity plan is involved).
 */
function base(app: TopologyApp) {
  const prod = new Environment(app, 'prod');
  const space = new Space(app, 'eks', { cloud: 'aws', identity: irsa() });
  const group = new Group(space, 'platform');
  const plane = new ControlPlane(group, 'prod-1', {
    environment: prod,
    controlPlaneId: uuid(1),
    namespaces: ['crossplane-system', 'apps'],
  });
  const store = new SecretStore(group, 'sm', {
    provider: new AwsSecretsManager({ region: 'eu-central-1', credentials: StaticCredentials.awsAccessKey({ secretName: 'aws-keys' }) }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('crossplane-system'),
  });
  return { app, prod, space, group, plane, store };
}
type Base = ReturnType<typeof base>;

/** The problems `compile()` throws for the base model plus `mistake`. */
function problemsOf(mistake: (b: Base) => void): Problem[] {
  const app = new TopologyApp({ outdir: join(tmp, 'never-written') });
  mistake(base(app));
  try {
    app.compile();
  } catch (e) {
    expect(e).toBeInstanceOf(TopologyError);
    return [...(e as TopologyError).problems];
  }
  throw new Error('compile() did not throw');
}

const data = [{ secretKey: 'k', remoteKey: 'x' }];
const reach = (prod: Environment) => ({ planes: Planes.inEnvironments(prod), namespaces: Namespaces.named('crossplane-system') });
const DNS_LABEL = "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";

interface Case {
  /** What is wrong. */
  readonly name: string;
  readonly mistake: (b: Base) => void;
  /** Every problem, sorted, exactly. */
  readonly problems: readonly Problem[];
  /** The offending value, as the first message quotes it. */
  readonly value: string;
  /** The fix, as the first message states it. */
  readonly fix: string;
}

const CASES: Case[] = [
  // ---- names, labels and namespaces (Kubernetes rules)
  {
    name: 'invalid Space name',
    mistake: ({ app }) => new Space(app, 'Bad_Space', { cloud: 'aws' }),
    problems: [{ path: 'Bad_Space', message: `"Bad_Space" is not a valid Space name: ${DNS_LABEL} (e.g. "bad-space").` }],
    value: '"Bad_Space"',
    fix: '(e.g. "bad-space")',
  },
  {
    name: 'invalid group name',
    mistake: ({ space }) => new Group(space, 'g', { name: 'Platform.Team' }),
    problems: [
      {
        path: 'eks/g',
        message: `"Platform.Team" is not a valid group name (a namespace of the host cluster): ${DNS_LABEL} (e.g. "platform-team").`,
      },
    ],
    value: '"Platform.Team"',
    fix: '(e.g. "platform-team")',
  },
  {
    name: 'invalid control plane name',
    mistake: ({ group, prod }) => new ControlPlane(group, 'x', { name: 'Prod_2', environment: prod, controlPlaneId: uuid(2) }),
    problems: [{ path: 'eks/platform/x', message: `"Prod_2" is not a valid control plane name: ${DNS_LABEL} (e.g. "prod-2").` }],
    value: '"Prod_2"',
    fix: '(e.g. "prod-2")',
  },
  {
    name: 'invalid environment name',
    mistake: ({ app }) => new Environment(app, 'x', { name: 'Prod', labels: { environment: 'prod-x' } }),
    problems: [{ path: 'x', message: `"Prod" is not a valid environment name: ${DNS_LABEL} (e.g. "prod").` }],
    value: '"Prod"',
    fix: '(e.g. "prod")',
  },
  {
    name: 'invalid store name',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 'x', { name: 'SM.Prod', provider: new AwsSecretsManager({ region: 'eu-central-1' }), ...reach(prod) }),
    problems: [{ path: 'eks/platform/x', message: `"SM.Prod" is not a valid store name: ${DNS_LABEL} (e.g. "sm-prod").` }],
    value: '"SM.Prod"',
    fix: '(e.g. "sm-prod")',
  },
  {
    name: 'invalid secret name, target Secret name and secret key',
    mistake: ({ group, store }) =>
      new SharedSecret(group, 'x', {
        name: 'DB',
        store,
        target: { name: 'db..creds' },
        data: [{ secretKey: 'pass word', remoteKey: 'x' }],
      }),
    problems: [
      { path: 'eks/platform/x', message: `"DB" is not a valid secret name: ${DNS_LABEL} (e.g. "db").` },
      {
        path: 'eks/platform/x',
        message: `data: "pass word" is not a valid secret key: use 1 to 253 letters, digits, '-', '_' and '.' (e.g. "pass_word").`,
      },
      {
        path: 'eks/platform/x',
        message: `target.name: "db..creds" is not a valid target Secret name: it has an empty part (a leading, trailing or doubled dot); use at most 253 characters of lowercase letters, digits, '-' and '.', where each dot-separated part has 1 to 63 characters and starts and ends with a letter or digit (e.g. "db.creds").`,
      },
    ],
    value: '"DB"',
    fix: '(e.g. "db")',
  },
  {
    name: 'invalid plane label key and value',
    mistake: ({ group, prod }) =>
      new ControlPlane(group, 'p2', { environment: prod, controlPlaneId: uuid(2), labels: { 'bad key': 'v', tier: 'gold tier' } }),
    problems: [
      {
        path: 'eks/platform/p2',
        message: `"bad key" is not a valid label key in labels: use a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, optionally prefixed by a DNS subdomain and '/' (e.g. "bad-key").`,
      },
      {
        path: 'eks/platform/p2',
        message: `"gold tier" is not a valid label value for key "tier" in labels: use an empty string or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. "gold-tier").`,
      },
    ],
    value: '"bad key"',
    fix: '(e.g. "bad-key")',
  },
  {
    name: 'invalid environment label key',
    mistake: ({ app }) => new Environment(app, 'qa', { labels: { 'example.com/': 'qa' } }),
    problems: [
      {
        path: 'qa',
        message: `"example.com/" is not a valid label key in environment labels: the name after '/' is empty; use a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit after the '/'.`,
      },
    ],
    value: '"example.com/"',
    fix: "after the '/'",
  },
  {
    name: 'invalid plane namespace name and namespace label value',
    mistake: ({ group, prod }) =>
      new ControlPlane(group, 'p2', {
        environment: prod,
        controlPlaneId: uuid(2),
        namespaces: ['Team_A', { name: 'ok', labels: { team: '-a' } }],
      }),
    problems: [
      {
        path: 'eks/platform/p2',
        message: `"-a" is not a valid label value for key "team" in labels of namespace "ok": use an empty string or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. "a").`,
      },
      { path: 'eks/platform/p2', message: `"Team_A" is not a valid namespace name: ${DNS_LABEL} (e.g. "team-a").` },
    ],
    value: '"-a"',
    fix: '(e.g. "a")',
  },
  {
    name: 'a namespace declared twice in a plane',
    mistake: ({ group, prod }) => new ControlPlane(group, 'p2', { environment: prod, controlPlaneId: uuid(2), namespaces: ['a', 'a'] }),
    problems: [{ path: 'eks/platform/p2', message: 'namespace "a" is declared twice: declare each namespace once.' }],
    value: '"a"',
    fix: 'declare each namespace once',
  },
  {
    name: 'invalid hostNamespace',
    mistake: ({ group, prod }) => new ControlPlane(group, 'p2', { environment: prod, hostNamespace: 'MXP_2' }),
    problems: [{ path: 'eks/platform/p2', message: `"MXP_2" is not a valid hostNamespace: ${DNS_LABEL} (e.g. "mxp-2").` }],
    value: '"MXP_2"',
    fix: '(e.g. "mxp-2")',
  },
  {
    name: 'invalid namespace name and label selector in a selection',
    mistake: ({ group }) =>
      new SecretStore(group, 's2', {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        planes: Planes.matching({ matchExpressions: [{ key: 'environment', operator: 'In' }] }),
        namespaces: Namespaces.named('Apps'),
      }),
    problems: [
      { path: 'eks/platform/s2', message: `namespaces: "Apps" is not a valid namespace name: ${DNS_LABEL} (e.g. "apps").` },
      {
        path: 'eks/platform/s2',
        message: `planes: matchExpressions[0]: "In" on key "environment" needs a non-empty values list (got no values); list the accepted values, or use "Exists" to accept any value.`,
      },
      {
        path: 'eks/platform/s2',
        message: `store "s2" reaches no control plane: its planes (labels environment in ()) match none of group "platform"'s planes (prod-1). Select existing planes, or add planes with the right environment or labels.`,
      },
    ],
    value: '"Apps"',
    fix: '(e.g. "apps")',
  },
  {
    name: 'empty selections',
    mistake: ({ group }) =>
      new SecretStore(group, 's2', {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        planes: Planes.named(),
        namespaces: Namespaces.matching(),
      }),
    problems: [
      { path: 'eks/platform/s2', message: 'namespaces: Namespaces.matching() needs at least one label selector.' },
      { path: 'eks/platform/s2', message: 'planes: Planes.named() needs at least one control plane.' },
      {
        path: 'eks/platform/s2',
        message: `store "s2" reaches no control plane: its planes (nothing (no names or labelSelectors)) match none of group "platform"'s planes (prod-1). Select existing planes, or add planes with the right environment or labels.`,
      },
    ],
    value: 'Namespaces.matching()',
    fix: 'needs at least one label selector',
  },

  // ---- duplicates
  {
    name: 'duplicate store names in a group',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 'sm2', { name: 'sm', provider: new AwsSecretsManager({ region: 'eu-central-1' }), ...reach(prod) }),
    problems: [
      {
        path: 'eks/platform/sm2',
        message: 'duplicate store "sm" in group "platform" (also declared at eks/platform/sm): names must be unique; rename one.',
      },
    ],
    value: '"sm"',
    fix: 'rename one',
  },
  {
    name: 'duplicate secret names in a group',
    mistake: ({ group, store }) => {
      new SharedSecret(group, 'a', { store, data });
      new SharedSecret(group, 'b', { name: 'a', store, target: { name: 'other' }, data });
    },
    problems: [
      {
        path: 'eks/platform/b',
        message: 'duplicate secret "a" in group "platform" (also declared at eks/platform/a): names must be unique; rename one.',
      },
    ],
    value: '"a"',
    fix: 'rename one',
  },
  {
    name: 'duplicate plane names in a group',
    mistake: ({ group, prod }) => new ControlPlane(group, 'p2', { name: 'prod-1', environment: prod, controlPlaneId: uuid(2) }),
    problems: [
      {
        path: 'eks/platform/p2',
        message:
          'duplicate control plane "prod-1" in group "platform" (also declared at eks/platform/prod-1): names must be unique; rename one.',
      },
    ],
    value: '"prod-1"',
    fix: 'rename one',
  },
  {
    name: 'duplicate groups in a Space',
    mistake: ({ space }) => new Group(space, 'g2', { name: 'platform' }),
    problems: [
      {
        path: 'eks/g2',
        message: 'duplicate group "platform" in Space "eks" (also declared at eks/platform): names must be unique; rename one.',
      },
    ],
    value: '"platform"',
    fix: 'rename one',
  },
  {
    name: 'duplicate environment names',
    mistake: ({ app }) => new Environment(app, 'x', { name: 'prod', labels: { environment: 'prod2' } }),
    problems: [{ path: 'x', message: 'duplicate environment "prod" (also declared at prod): names must be unique; rename one.' }],
    value: '"prod"',
    fix: 'rename one',
  },
  {
    name: 'two planes with one controlPlaneId (host namespace)',
    mistake: ({ group, prod }) => new ControlPlane(group, 'p2', { environment: prod, controlPlaneId: uuid(1).toUpperCase() }),
    problems: [
      {
        path: 'eks/platform/p2',
        message:
          'duplicate host namespace "mxp-00000000-0000-4000-8000-000000000001-system" in Space "eks" (also declared at eks/platform/prod-1): every control plane has its own host namespace; correct the controlPlaneId or hostNamespace of one of them.',
      },
    ],
    value: '"mxp-00000000-0000-4000-8000-000000000001-system"',
    fix: 'correct the controlPlaneId',
  },

  // ---- reach
  {
    name: 'a secret using a store of another group',
    mistake: ({ space, store }) => new SharedSecret(new Group(space, 'other'), 's', { store, data }),
    problems: [
      {
        path: 'eks/other/s',
        message: `store "sm" is in group "platform" (Space "eks"), but the secret is in group "other": a SharedExternalSecret can only use stores projected into its own group's planes; create a store in "other".`,
      },
    ],
    value: '"sm"',
    fix: 'create a store in "other"',
  },
  {
    name: 'a store that reaches no plane',
    mistake: ({ app, group }) =>
      new SecretStore(group, 'dev-store', {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        ...reach(new Environment(app, 'dev')),
      }),
    problems: [
      {
        path: 'eks/platform/dev-store',
        message: `store "dev-store" reaches no control plane: its planes (environment dev) match none of group "platform"'s planes (prod-1). Select existing planes, or add planes with the right environment or labels.`,
      },
    ],
    value: 'environment dev',
    fix: 'Select existing planes',
  },
  {
    name: 'a secret that reaches no plane',
    mistake: ({ group, store }) =>
      new SharedSecret(group, 's', { store, planes: Planes.matching({ matchLabels: { region: 'us' } }), data }),
    problems: [
      {
        path: 'eks/platform/s',
        message: `secret "s" reaches no control plane: its planes (labels region=us) match none of group "platform"'s planes (prod-1). Select existing planes, or add planes with the right environment or labels.`,
      },
    ],
    value: 'region=us',
    fix: 'Select existing planes',
  },
  {
    name: 'a store that reaches planes but no namespace',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 's2', {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        planes: Planes.inEnvironments(prod),
        namespaces: Namespaces.named('nowhere'),
      }),
    problems: [
      {
        path: 'eks/platform/s2',
        message:
          'store "s2" reaches no namespace: its namespaces (names [nowhere]) match no namespace declared in planes prod-1. Declare the namespaces on the planes (namespaces: [...]) or change the selection.',
      },
    ],
    value: 'names [nowhere]',
    fix: 'Declare the namespaces on the planes',
  },
  {
    name: 'a secret that reaches planes but no namespace',
    mistake: ({ group, store }) =>
      new SharedSecret(group, 's', { store, namespaces: Namespaces.matching({ matchLabels: { team: 'x' } }), data }),
    problems: [
      {
        path: 'eks/platform/s',
        message:
          'secret "s" reaches no namespace: its namespaces (labels team=x) match no namespace declared in planes prod-1. Declare the namespaces on the planes (namespaces: [...]) or change the selection.',
      },
    ],
    value: 'labels team=x',
    fix: 'Declare the namespaces on the planes',
  },
  {
    name: 'a secret reaching planes its store does not',
    mistake: ({ app, group, store, prod }) => {
      const dev = new Environment(app, 'dev');
      new ControlPlane(group, 'dev-1', { environment: dev, controlPlaneId: uuid(3), namespaces: ['crossplane-system'] });
      new SharedSecret(group, 's', { store, planes: Planes.inEnvironments(prod, dev), data });
    },
    problems: [
      {
        path: 'eks/platform/s',
        message:
          'secret "s" reaches plane "dev-1", where its store "sm" is not projected (store planes: environment prod): ESO would fail there. Narrow the secret\'s planes or widen the store\'s.',
      },
    ],
    value: '"dev-1"',
    fix: "Narrow the secret's planes or widen the store's",
  },
  {
    name: 'a secret reaching namespaces its store does not',
    mistake: ({ group, store }) => new SharedSecret(group, 's', { store, namespaces: Namespaces.named('apps', 'crossplane-system'), data }),
    problems: [
      {
        path: 'eks/platform/s',
        message:
          'secret "s" reaches namespace "apps" of plane "prod-1", where store "sm" may not be used (store namespaces: names [crossplane-system]): ESO would refuse it. Narrow the secret\'s namespaces or widen the store\'s.',
      },
    ],
    value: '"apps"',
    fix: "Narrow the secret's namespaces or widen the store's",
  },
  {
    name: 'two secrets writing the same target Secret in one namespace',
    mistake: ({ group, store }) => {
      new SharedSecret(group, 'a', { store, target: { name: 'db' }, data });
      new SharedSecret(group, 'b', { store, target: { name: 'db' }, data });
    },
    problems: [
      {
        path: 'eks/platform/b',
        message:
          'secret "b" writes Secret "db" in namespace "crossplane-system" of plane "prod-1", which secret "a" writes too: give one of them another target name.',
      },
    ],
    value: 'Secret "db"',
    fix: 'give one of them another target name',
  },
  {
    name: 'a secret named like another’s target',
    mistake: ({ group, store }) => {
      new SharedSecret(group, 'db', { store, data });
      new SharedSecret(group, 'other', { store, target: { name: 'db' }, data });
    },
    problems: [
      {
        path: 'eks/platform/other',
        message:
          'secret "other" writes Secret "db" in namespace "crossplane-system" of plane "prod-1", which secret "db" writes too: give one of them another target name.',
      },
    ],
    value: 'Secret "db"',
    fix: 'give one of them another target name',
  },
  {
    name: 'Planes.named with a plane of another group',
    mistake: ({ space, group, prod }) => {
      const foreign = new ControlPlane(new Group(space, 'other'), 'foreign', {
        environment: prod,
        controlPlaneId: uuid(5),
        namespaces: ['crossplane-system'],
      });
      new SecretStore(group, 's2', {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        planes: Planes.named(foreign),
        namespaces: Namespaces.named('crossplane-system'),
      });
    },
    problems: [
      {
        path: 'eks/platform/s2',
        message:
          'planes: control plane "foreign" is in group "other" (Space "eks"), not in "platform": Shared* objects select only planes of their own group; move the store or secret to group "other".',
      },
      {
        path: 'eks/platform/s2',
        message: `store "s2" reaches no control plane: its planes (names [foreign]) match none of group "platform"'s planes (prod-1). Select existing planes, or add planes with the right environment or labels.`,
      },
    ],
    value: '"foreign"',
    fix: 'move the store or secret to group "other"',
  },

  // ---- environments and planes
  {
    name: 'a plane without an environment in a group that requires one',
    mistake: ({ group }) => new ControlPlane(group, 'p2', { controlPlaneId: uuid(2) }),
    problems: [
      {
        path: 'eks/platform/p2',
        message:
          'control plane "p2" has no environment, and group "platform" requires one: set "environment" (or create the group with requireEnvironment: false).',
      },
    ],
    value: '"p2"',
    fix: 'set "environment"',
  },
  {
    name: 'environments with identical labels',
    mistake: ({ app }) => new Environment(app, 'production', { labels: { environment: 'prod' } }),
    problems: [
      {
        path: 'production',
        message:
          'environment "production" has the same labels as "prod" (environment=prod): give each environment distinct labels, or its planes cannot be told apart.',
      },
    ],
    value: 'environment=prod',
    fix: 'give each environment distinct labels',
  },
  {
    name: 'an environment without labels',
    mistake: ({ app }) => new Environment(app, 'qa', { labels: {} }),
    problems: [
      {
        path: 'qa',
        message:
          'environment "qa" has no labels: give it at least one label (e.g. { environment: "qa" }) so its control planes can be selected.',
      },
    ],
    value: '"qa"',
    fix: '(e.g. { environment: "qa" })',
  },
  {
    name: 'plane labels contradicting its environment',
    mistake: ({ group, prod }) =>
      new ControlPlane(group, 'p2', { environment: prod, labels: { environment: 'staging' }, controlPlaneId: uuid(2) }),
    problems: [
      {
        path: 'eks/platform/p2',
        message:
          'label environment="staging" contradicts environment "prod" (environment="prod"): remove the label, the environment sets it.',
      },
    ],
    value: 'environment="staging"',
    fix: 'remove the label',
  },
  {
    name: 'a plane of another environment carrying an environment’s labels',
    mistake: ({ app, group }) => {
      const dev = new Environment(app, 'dev');
      const live = new Environment(app, 'live', { labels: { tier: 'production' } });
      new ControlPlane(group, 'dev-1', {
        environment: dev,
        labels: { tier: 'production' },
        controlPlaneId: uuid(6),
        namespaces: ['crossplane-system'],
      });
      new SecretStore(group, 'live-store', { provider: new AwsSecretsManager({ region: 'eu-central-1' }), ...reach(live) });
    },
    problems: [
      {
        path: 'eks/platform/live-store',
        message:
          'store "live-store" is for environment live, but also reaches plane "dev-1" of environment "dev", whose labels (environment=dev, tier=production) include those of environment live: give the environments labels that no plane of another environment carries, or remove those labels from the plane.',
      },
    ],
    value: 'tier=production',
    fix: 'give the environments labels that no plane of another environment carries',
  },
  {
    name: 'a bad controlPlaneId (UUID without dashes)',
    mistake: ({ group, prod }) => new ControlPlane(group, 'p2', { environment: prod, controlPlaneId: '3F1C2A9E5B7D4E219A0C6D8E7F1B2C3D' }),
    problems: [
      {
        path: 'eks/platform/p2',
        message: `"3F1C2A9E5B7D4E219A0C6D8E7F1B2C3D" is not a valid controlPlaneId: use 32 hexadecimal digits in groups of 8-4-4-4-12 separated by '-' (e.g. "3F1C2A9E-5B7D-4E21-9A0C-6D8E7F1B2C3D").`,
      },
    ],
    value: '"3F1C2A9E5B7D4E219A0C6D8E7F1B2C3D"',
    fix: '(e.g. "3F1C2A9E-5B7D-4E21-9A0C-6D8E7F1B2C3D")',
  },
  {
    name: 'a bad controlPlaneId (a name)',
    mistake: ({ group, prod }) => new ControlPlane(group, 'p2', { environment: prod, controlPlaneId: 'plane-2' }),
    problems: [
      {
        path: 'eks/platform/p2',
        message: `"plane-2" is not a valid controlPlaneId: use 32 hexadecimal digits in groups of 8-4-4-4-12 separated by '-' (e.g. "123e4567-e89b-12d3-a456-426614174000").`,
      },
    ],
    value: '"plane-2"',
    fix: 'use 32 hexadecimal digits',
  },

  // ---- durations and data
  {
    name: 'a secret refresh interval in days',
    mistake: ({ group, store }) => new SharedSecret(group, 's', { store, refreshInterval: '1d', data }),
    problems: [
      { path: 'eks/platform/s', message: 'refreshInterval: "1d" is not a Go duration (units: ns, us, ms, s, m, h; no "d"): write "24h".' },
    ],
    value: '"1d"',
    fix: 'write "24h"',
  },
  {
    name: 'an environment refresh interval in days',
    mistake: ({ app }) => new Environment(app, 'qa', { refreshInterval: '2d' }),
    problems: [{ path: 'qa', message: 'refreshInterval: "2d" is not a Go duration (units: ns, us, ms, s, m, h; no "d"): write "48h".' }],
    value: '"2d"',
    fix: 'write "48h"',
  },
  {
    name: 'a store retry interval with a spelled-out unit',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 's2', {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        ...reach(prod),
        retry: { retryInterval: '5min' },
      }),
    problems: [
      {
        path: 'eks/platform/s2',
        message: 'retry.retryInterval: "5min" is not a Go duration (units: ns, us, ms, s, m, h; no "min"): write "5m".',
      },
    ],
    value: '"5min"',
    fix: 'write "5m"',
  },
  {
    name: 'a secret with no data',
    mistake: ({ group, store }) => new SharedSecret(group, 's', { store }),
    problems: [
      {
        path: 'eks/platform/s',
        message: 'secret "s" has no data: add data entries ({ secretKey, remoteKey }) or a dataFrom source (extract or find).',
      },
    ],
    value: '"s"',
    fix: 'add data entries',
  },

  // ---- providers
  {
    name: 'AWS: malformed region, account, role ARN and KMS key ARN',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 's2', {
        provider: new AwsSecretsManager({
          region: 'Frankfurt',
          accountId: '123',
          role: 'arn:aws:iam::123:role/x',
          kmsKeyArns: ['alias/mykey'],
        }),
        ...reach(prod),
      }),
    problems: [
      { path: 'eks/platform/s2', message: 'accountId "123" is not an AWS account ID: use the 12 digits, e.g. "123456789012".' },
      {
        path: 'eks/platform/s2',
        message:
          'kmsKeyArns: "alias/mykey" is not a KMS key ARN: use "arn:aws:kms:<region>:<account>:key/<key id>" (aliases cannot be used in IAM resources).',
      },
      { path: 'eks/platform/s2', message: 'region "Frankfurt" is not an AWS region: use a region code such as "eu-central-1".' },
      {
        path: 'eks/platform/s2',
        message: 'role "arn:aws:iam::123:role/x" is not an IAM role ARN: use "arn:aws:iam::<12-digit account>:role/<name>".',
      },
    ],
    value: '"123"',
    fix: 'use the 12 digits',
  },
  {
    name: 'AWS: missing region (untyped input)',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 's2', { provider: new AwsParameterStore({} as { region: string }), ...reach(prod) }),
    problems: [
      {
        path: 'eks/platform/s2',
        message:
          'provider: region is required: expected a string, got nothing (undefined); set it (a mistyped lookup such as envs["prdo"] gives undefined).',
      },
    ],
    value: 'region is required',
    fix: 'set it',
  },
  {
    name: 'Azure: malformed vaultUrl and tenantId',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 's2', {
        provider: new AzureKeyVault({
          vaultUrl: 'kv.vault.azure.net',
          tenantId: 'contoso',
          credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
        }),
        ...reach(prod),
      }),
    problems: [
      {
        path: 'eks/platform/s2',
        message: `"contoso" is not a valid tenantId: use 32 hexadecimal digits in groups of 8-4-4-4-12 separated by '-' (e.g. "123e4567-e89b-12d3-a456-426614174000").`,
      },
      {
        path: 'eks/platform/s2',
        message: `vaultUrl "kv.vault.azure.net" is not a Key Vault URL: use "https://<vault-name>.vault.azure.net" (3-24 letters, digits and '-').`,
      },
    ],
    value: '"contoso"',
    fix: 'use 32 hexadecimal digits',
  },
  {
    name: 'Azure: service principal without tenantId',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 's2', {
        provider: new AzureKeyVault({
          vaultUrl: 'https://kv-x.vault.azure.net',
          credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
        }),
        ...reach(prod),
      }),
    problems: [
      {
        path: 'eks/platform/s2',
        message: 'tenantId is required with service-principal credentials: set tenantId to the Entra tenant (a UUID).',
      },
    ],
    value: 'tenantId',
    fix: 'set tenantId to the Entra tenant',
  },
  {
    name: 'GCP: malformed projectId',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 's2', {
        provider: new GcpSecretManager({
          projectId: 'My Project',
          credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'k' }),
        }),
        ...reach(prod),
      }),
    problems: [
      {
        path: 'eks/platform/s2',
        message: `projectId "My Project" is not a GCP project ID: use 6-30 lowercase letters, digits and '-', starting with a letter.`,
      },
    ],
    value: '"My Project"',
    fix: "use 6-30 lowercase letters, digits and '-'",
  },
  {
    name: 'remote keys invalid for each provider',
    mistake: ({ group, prod, store }) => {
      new SharedSecret(group, 'sm-key', { store, data: [{ secretKey: 'k', remoteKey: 'has space' }] });
      const ps = new SecretStore(group, 'ps', { provider: new AwsParameterStore({ region: 'eu-central-1' }), ...reach(prod) });
      new SharedSecret(group, 'ps-key', { store: ps, data: [{ secretKey: 'k', remoteKey: '/aws/reserved' }] });
      const kv = new SecretStore(group, 'kv', {
        provider: new AzureKeyVault({
          vaultUrl: 'https://kv-x.vault.azure.net',
          tenantId: AZURE_TENANT,
          credentials: StaticCredentials.azureServicePrincipal({ secretName: 'sp' }),
        }),
        ...reach(prod),
      });
      new SharedSecret(group, 'kv-key', { store: kv, data: [{ secretKey: 'k', remoteKey: 'db_password' }] });
      const gsm = new SecretStore(group, 'gsm', {
        provider: new GcpSecretManager({
          projectId: 'acme-prod',
          credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'k' }),
        }),
        ...reach(prod),
      });
      new SharedSecret(group, 'gsm-key', { store: gsm, dataFrom: [{ extract: { key: 'prod/db' } }] });
    },
    problems: [
      {
        path: 'eks/platform/gsm-key',
        message: `dataFrom[0].extract.key: "prod/db" is not a Secret Manager secret ID: use 1-255 letters, digits, '_' and '-'.`,
      },
      {
        path: 'eks/platform/kv-key',
        message: `data["k"].remoteKey: "db_password" is not a Key Vault object name: use 1-127 letters, digits and '-', optionally prefixed with "secret/", "key/" or "cert/".`,
      },
      {
        path: 'eks/platform/ps-key',
        message: `data["k"].remoteKey: "/aws/reserved" is not a Parameter Store name: use letters, digits and _.-/ (at most 15 levels, not starting with "aws" or "ssm"), e.g. "/prod/db/password".`,
      },
      {
        path: 'eks/platform/sm-key',
        message: `data["k"].remoteKey: "has space" is not a Secrets Manager secret name: use 1-512 characters among letters, digits and /_+=.@- (or the secret's ARN).`,
      },
    ],
    value: '"prod/db"',
    fix: "use 1-255 letters, digits, '_' and '-'",
  },

  // ---- identity and credentials
  {
    name: 'a workload-identity store in a Space without identity',
    mistake: ({ app, prod }) => {
      const g = new Group(new Space(app, 'bare', { cloud: 'aws' }), 'g');
      new ControlPlane(g, 'p', { environment: prod, controlPlaneId: uuid(9), namespaces: ['crossplane-system'] });
      new SecretStore(g, 'wi', { provider: new AwsSecretsManager({ region: 'eu-central-1' }), ...reach(prod) });
    },
    problems: [
      {
        path: 'bare/g/wi',
        message:
          'store "wi" has no static credentials and Space "bare" has no workload identity: give the provider "credentials" or set "identity" on the Space.',
      },
    ],
    value: '"bare"',
    fix: 'give the provider "credentials" or set "identity" on the Space',
  },
  {
    name: 'a workload-identity store in a Cloud Space',
    mistake: ({ app, prod }) => {
      const g = new Group(new Space(app, 'up-cloud', { cloud: 'aws', hosting: 'cloud' }), 'g');
      new ControlPlane(g, 'p', { environment: prod, controlPlaneId: uuid(9), namespaces: ['crossplane-system'] });
      new SecretStore(g, 'wi', { provider: new AwsSecretsManager({ region: 'eu-central-1' }), ...reach(prod) });
    },
    problems: [
      {
        path: 'up-cloud/g/wi',
        message:
          'store "wi" has no static credentials, but Space "up-cloud" is a Cloud Space, which accepts only static credentials: give the provider "credentials".',
      },
    ],
    value: '"up-cloud"',
    fix: 'give the provider "credentials"',
  },
  {
    name: 'a Cloud Space with a workload identity',
    mistake: ({ app }) => new Space(app, 'up-cloud', { cloud: 'aws', hosting: 'cloud', identity: irsa() }),
    problems: [
      {
        path: 'up-cloud',
        message:
          'a Cloud Space cannot use workload identity (Upbound Cloud Spaces accept only static credentials): remove "identity" or set hosting: "self-hosted".',
      },
    ],
    value: 'identity',
    fix: 'remove "identity" or set hosting: "self-hosted"',
  },
  {
    name: 'a workload-identity store with the identity of another cloud',
    mistake: ({ app, prod }) => {
      const gke = new Space(app, 'gke', {
        cloud: 'gcp',
        identity: SpaceIdentity.gcpWorkloadIdentity({ projectId: 'acme-spaces', projectNumber: '123456789012' }),
      });
      const g = new Group(gke, 'g');
      new ControlPlane(g, 'p', { environment: prod, controlPlaneId: uuid(9), namespaces: ['crossplane-system'] });
      new SecretStore(g, 'wi', { provider: new AwsSecretsManager({ region: 'eu-central-1' }), ...reach(prod) });
    },
    problems: [
      {
        path: 'gke/g/wi',
        message:
          'store "wi" uses AWS Secrets Manager with the workload identity of Space "gke", which is a gcp identity: give the provider static "credentials" or move the store to a Space on aws.',
      },
    ],
    value: 'gcp identity',
    fix: 'give the provider static "credentials"',
  },
  {
    name: 'a Space identity of another cloud than the Space',
    mistake: ({ app }) => new Space(app, 'aks', { cloud: 'azure', identity: irsa() }),
    problems: [
      { path: 'aks', message: "identity aws-irsa is for aws, but the Space runs on azure: use an identity of the Space's own cloud." },
    ],
    value: 'aws-irsa',
    fix: "use an identity of the Space's own cloud",
  },
  {
    name: 'credentials of the wrong cloud',
    mistake: ({ group, prod }) => {
      new SecretStore(group, 's2', {
        provider: new AwsSecretsManager({
          region: 'eu-central-1',
          credentials: StaticCredentials.gcpServiceAccountKey({ secretName: 'k' }),
        }),
        ...reach(prod),
      });
      new SecretStore(group, 's3', {
        provider: new AzureKeyVault({
          vaultUrl: 'https://kv-x.vault.azure.net',
          tenantId: AZURE_TENANT,
          credentials: StaticCredentials.awsAccessKey({ secretName: 'k' }),
        }),
        ...reach(prod),
      });
      new SecretStore(group, 's4', {
        provider: new GcpSecretManager({
          projectId: 'acme-prod',
          credentials: StaticCredentials.azureServicePrincipal({ secretName: 'k' }),
        }),
        ...reach(prod),
      });
    },
    problems: [
      {
        path: 'eks/platform/s2',
        message: 'credentials are gcp credentials: use StaticCredentials.awsAccessKey(...) for AWS Secrets Manager.',
      },
      {
        path: 'eks/platform/s3',
        message: 'credentials are aws credentials: use StaticCredentials.azureServicePrincipal(...) for Azure Key Vault.',
      },
      {
        path: 'eks/platform/s4',
        message: 'credentials are azure credentials: use StaticCredentials.gcpServiceAccountKey(...) for GCP Secret Manager.',
      },
    ],
    value: 'gcp credentials',
    fix: 'use StaticCredentials.awsAccessKey(...)',
  },
  {
    name: 'malformed credentials Secret name and key',
    mistake: ({ group, prod }) =>
      new SecretStore(group, 's2', {
        provider: new AwsSecretsManager({
          region: 'eu-central-1',
          credentials: StaticCredentials.awsAccessKey({ secretName: 'AWS_Keys', accessKeyIdKey: 'id/key' }),
        }),
        ...reach(prod),
      }),
    problems: [
      {
        path: 'eks/platform/s2',
        message: `"AWS_Keys" is not a valid credentials Secret name: use at most 253 characters of lowercase letters, digits, '-' and '.', where each dot-separated part has 1 to 63 characters and starts and ends with a letter or digit (e.g. "aws-keys").`,
      },
      {
        path: 'eks/platform/s2',
        message: `credentials key for accessKeyId: "id/key" is not a valid secret key: use 1 to 253 letters, digits, '-', '_' and '.' (e.g. "id_key").`,
      },
    ],
    value: '"AWS_Keys"',
    fix: '(e.g. "aws-keys")',
  },
];

describe('every bad input is reported with its exact message', () => {
  it('the base model is valid', () => {
    const app = new TopologyApp({ outdir: join(tmp, 'never-written') });
    base(app);
    expect(app.problems()).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const problems = problemsOf(c.mistake);
    expect(problems).toEqual(c.problems);
    const first = problems[0]?.message ?? '';
    expect(first).toContain(c.value);
    expect(first).toContain(c.fix);
  });
});

describe('TopologyError lists every problem at once', () => {
  /** Several independent mistakes in one model. */
  function manyMistakes(app: TopologyApp) {
    const { group, store } = base(app);
    const qa = new Environment(app, 'qa', { refreshInterval: '1d' });
    new ControlPlane(group, 'x', { name: 'Prod_2', environment: qa, controlPlaneId: uuid(2) });
    new ControlPlane(group, 'bare');
    new SecretStore(group, 'regionless', {
      provider: new AwsSecretsManager({ region: 'Frankfurt' }),
      planes: Planes.inEnvironments(qa),
      namespaces: Namespaces.named('apps'),
    });
    new SharedSecret(group, 'empty', { store });
    new SharedSecret(group, 'weekly', { store, refreshInterval: '1w', data });
  }

  const EXPECTED: Problem[] = [
    {
      path: 'eks/platform/bare',
      message:
        'control plane "bare" has no environment, and group "platform" requires one: set "environment" (or create the group with requireEnvironment: false).',
    },
    {
      path: 'eks/platform/empty',
      message: 'secret "empty" has no data: add data entries ({ secretKey, remoteKey }) or a dataFrom source (extract or find).',
    },
    {
      path: 'eks/platform/regionless',
      message: 'region "Frankfurt" is not an AWS region: use a region code such as "eu-central-1".',
    },
    {
      path: 'eks/platform/regionless',
      message:
        'store "regionless" reaches no namespace: its namespaces (names [apps]) match no namespace declared in planes Prod_2. Declare the namespaces on the planes (namespaces: [...]) or change the selection.',
    },
    {
      path: 'eks/platform/weekly',
      message: 'refreshInterval: "1w" is not a Go duration (units: ns, us, ms, s, m, h; no "w"): write "168h".',
    },
    { path: 'eks/platform/x', message: `"Prod_2" is not a valid control plane name: ${DNS_LABEL} (e.g. "prod-2").` },
    { path: 'qa', message: 'refreshInterval: "1d" is not a Go duration (units: ns, us, ms, s, m, h; no "d"): write "24h".' },
  ];

  it('compile() throws one TopologyError with the full sorted list', () => {
    const app = new TopologyApp({ outdir: join(tmp, 'never-written') });
    manyMistakes(app);
    let error: unknown;
    try {
      app.compile();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TopologyError);
    const e = error as TopologyError;
    expect(e.name).toBe('TopologyError');
    expect(e.problems).toEqual(EXPECTED);
    expect(app.problems().length).toBe(EXPECTED.length);
    expect(e.message).toBe(formatProblems(EXPECTED));
    expect(e.message.split('\n')).toEqual([
      '7 problems in the secrets topology; nothing was written:',
      ...EXPECTED.map((p) => `  - ${p.path}: ${p.message}`),
    ]);
  });

  it('problems are sorted by path, then message, and exact duplicates dropped', () => {
    const e = new TopologyError([
      { path: 'b', message: 'y' },
      { path: 'a', message: 'z' },
      { path: 'b', message: 'x' },
      { path: 'a', message: 'z' },
    ]);
    expect(e.problems).toEqual([
      { path: 'a', message: 'z' },
      { path: 'b', message: 'x' },
      { path: 'b', message: 'y' },
    ]);
    expect(new TopologyError([{ path: '', message: 'm' }]).message).toBe(
      '1 problem in the secrets topology; nothing was written:\n  - (app): m',
    );
  });

  it('synth() prints the problems, sets exit code 1 and leaves the previous output untouched', () => {
    const outdir = join(tmp, 'synth-in-process', 'dist');
    mkdirSync(join(outdir, 'spaces'), { recursive: true });
    writeFileSync(join(outdir, 'spaces', 'old.yaml'), 'old: true\n');
    writeFileSync(join(outdir, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    const app = new TopologyApp({ outdir });
    manyMistakes(app);
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exitCode = process.exitCode;
    try {
      app.synth();
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = exitCode;
      spy.mockRestore();
    }
    expect(written.join('')).toBe(`${formatProblems(EXPECTED)}\n`);
    expect(readdirSync(join(tmp, 'synth-in-process')).sort()).toEqual(['dist']);
    expect(readdirSync(outdir, { recursive: true }).map(String).sort()).toEqual([OUTPUT_MARKER, 'spaces', join('spaces', 'old.yaml')]);
    expect(readFileSync(join(outdir, 'spaces', 'old.yaml'), 'utf8')).toBe('old: true\n');
  });
});

describe('a bad topology run as a real process', () => {
  it('exits 1, prints the problem lines without a stack trace, and leaves the old dist alone', () => {
    const dir = mkdtempSync(join(tmp, 'process-'));
    const script = join(dir, 'bad-topology.ts');
    writeFileSync(
      script,
      [
        `import { Environment, Group, Space, TopologyApp } from ${JSON.stringify(join(ROOT, 'lib', 'index.ts'))};`,
        `const app = new TopologyApp();`,
        `new Environment(app, 'prod', { refreshInterval: '1d' });`,
        `new Group(new Space(app, 'Bad_Space', { cloud: 'aws' }), 'platform');`,
        `app.synth();`,
        '',
      ].join('\n'),
    );
    const outdir = join(dir, 'dist');
    mkdirSync(join(outdir, 'spaces', 'old'), { recursive: true });
    writeFileSync(join(outdir, 'spaces', 'old', 'kustomization.yaml'), 'resources: []\n');
    writeFileSync(join(outdir, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);

    const run = spawnSync('npx', ['tsx', script], {
      cwd: ROOT,
      env: { ...process.env, CDK8S_OUTDIR: outdir },
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(run.error).toBeUndefined();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      [
        '2 problems in the secrets topology; nothing was written:',
        `  - Bad_Space: "Bad_Space" is not a valid Space name: ${DNS_LABEL} (e.g. "bad-space").`,
        '  - prod: refreshInterval: "1d" is not a Go duration (units: ns, us, ms, s, m, h; no "d"): write "24h".',
      ].join('\n'),
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toContain('TopologyError');
    expect(run.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['bad-topology.ts', 'dist']);
    expect(readdirSync(outdir, { recursive: true }).map(String).sort()).toEqual([
      OUTPUT_MARKER,
      'spaces',
      join('spaces', 'old'),
      join('spaces', 'old', 'kustomization.yaml'),
    ]);
    expect(readFileSync(join(outdir, 'spaces', 'old', 'kustomization.yaml'), 'utf8')).toBe('resources: []\n');
  });
});
