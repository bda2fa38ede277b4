/**
 * Issue 13, the classes of untyped and hostile input beside the JSON-props property: synthesis is a
 * function of the tree at the call (item 3), objects of another app (item 4), constructor
 * arguments that are not what they should be (undefined scope, duplicate id, a plane outside a
 * group: item 6), and wrong types that were once accepted and changed the output (item 2).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  EsoCluster,
  EsoSecretStore,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  TopologyApp,
  TopologyError,
} from '../lib/index.js';

const ROOT = mkdtempSync(join(tmpdir(), 'props-classes-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

function topology(outdir = join(ROOT, `d-${Math.random().toString(36).slice(2)}`)) {
  const app = new TopologyApp({ outdir });
  const prod = new Environment(app, 'prod', { production: true });
  const space = new Space(app, 'aws', {
    cloud: 'aws',
    identity: SpaceIdentity.awsPodIdentity({ accountId: '111122223333', clusterName: 'spaces' }),
  });
  const group = new Group(space, 'platform');
  new ControlPlane(group, 'prod-1', { environment: prod, controlPlaneId: 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa', namespaces: ['team-a'] });
  const store = new SecretStore(group, 'sm', {
    provider: new AwsSecretsManager({ region: 'eu-central-1' }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('team-a'),
  });
  new SharedSecret(group, 'db', { store, data: [{ secretKey: 'password', remoteKey: 'prod/db' }] });
  return { app, prod, space, group, store, outdir };
}

/** Problems of `app` as `path: message` lines; [] when it compiles. */
function problems(app: TopologyApp): string[] {
  try {
    app.compile();
    return [];
  } catch (e) {
    if (!(e instanceof TopologyError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

function synthExit(app: TopologyApp): { exit: number | string | undefined; stderr: string } {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    app.synth();
    return { exit: process.exitCode, stderr };
  } finally {
    spy.mockRestore();
    process.exitCode = before;
  }
}

describe('item 3: synthesis is a function of the tree at the call', () => {
  it('a secret added after a first synth() is in the second', () => {
    const t = topology();
    expect(synthExit(t.app).exit).toBeUndefined();
    new SharedSecret(t.group, 'late', { store: t.store, data: [{ secretKey: 'k', remoteKey: 'prod/late' }] });
    expect(synthExit(t.app).exit).toBeUndefined();
    expect(readdirSync(join(t.outdir, 'spaces/aws/groups/platform'))).toContain('sharedexternalsecret-late.yaml');
  });

  it('an invalid secret added after synth() fails the second synth() with exit 1, the old output kept', () => {
    const t = topology();
    synthExit(t.app);
    const before = readdirSync(join(t.outdir, 'spaces/aws/groups/platform')).sort();
    new SharedSecret(t.group, 'Bad_Name', { store: t.store, data: [{ secretKey: 'k', remoteKey: 'prod/x' }] });
    const { exit, stderr } = synthExit(t.app);
    expect(exit).toBe(1);
    expect(stderr).toContain('aws/platform/Bad_Name');
    expect(readdirSync(join(t.outdir, 'spaces/aws/groups/platform')).sort()).toEqual(before);
  });

  it('compile() after a change sees the change, also after a compile() and a synth()', () => {
    const t = topology();
    const first = t.app.compile();
    t.app.synth();
    new SharedSecret(t.group, 'late', { store: t.store, data: [{ secretKey: 'k', remoteKey: 'prod/late' }] });
    const second = t.app.compile();
    expect([...second.files.keys()].filter((p) => p.endsWith('sharedexternalsecret-late.yaml'))).toHaveLength(1);
    expect([...first.files.keys()].filter((p) => p.endsWith('sharedexternalsecret-late.yaml'))).toHaveLength(0);
  });

  it('a prop changed on an object after synth() (a mutable labels object) is read again', () => {
    const labels: Record<string, string> = { team: 'a' };
    const t = topology();
    new Environment(t.app, 'dev', { labels });
    expect(problems(t.app)).toEqual([]);
    labels['bad key!'] = 'x';
    // The environment copied its labels: the change does not reach it, and the app stays valid.
    expect(problems(t.app)).toEqual([]);
  });
});

describe('item 4: objects of another app', () => {
  it('an Environment of another TopologyApp on a plane is a problem', () => {
    const t = topology();
    const other = new TopologyApp({ outdir: join(ROOT, 'other') });
    const foreign = new Environment(other, 'prod');
    new ControlPlane(t.group, 'prod-2', { environment: foreign, controlPlaneId: '3f1c2a9e-5b7d-4e21-9a0c-6d8e7f1b2c3d' });
    expect(problems(t.app).join('\n')).toMatch(/aws\/platform\/prod-2: environment "prod" \(prod\) belongs to another TopologyApp/);
  });

  it('a store selecting planes of another app environment, and a store environment of another app', () => {
    const t = topology();
    const other = new TopologyApp({ outdir: join(ROOT, 'other2') });
    const foreign = new Environment(other, 'staging');
    new SecretStore(t.group, 'sm2', {
      provider: new AwsSecretsManager({ region: 'eu-central-1' }),
      planes: Planes.inEnvironments(foreign),
      namespaces: Namespaces.named('team-a'),
      environment: foreign,
    });
    const all = problems(t.app).join('\n');
    expect(all).toMatch(/aws\/platform\/sm2: planes: environment "staging" \(staging\) belongs to another TopologyApp/);
    expect(all).toMatch(/aws\/platform\/sm2: environment "staging" \(staging\) belongs to another TopologyApp/);
  });

  it('a secret reading a store of another app, and a plane of another app by name', () => {
    const a = topology();
    const b = topology();
    new SharedSecret(a.group, 'cross', { store: b.store, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
    const plane = ControlPlane.all(b.app)[0];
    new SecretStore(a.group, 'named', {
      provider: new AwsSecretsManager({ region: 'eu-central-1' }),
      planes: Planes.named(plane),
      namespaces: Namespaces.named('team-a'),
    });
    const all = problems(a.app).join('\n');
    expect(all).toMatch(/aws\/platform\/cross: store "sm" \(aws\/platform\/sm\) belongs to another TopologyApp/);
    expect(all).toMatch(/aws\/platform\/named: planes: control plane "prod-1" \(aws\/platform\/prod-1\) belongs to another TopologyApp/);
  });
});

describe('constructor arguments: never a constructs stack trace', () => {
  it('a duplicate id is a problem in the list, and the other problems are still shown', () => {
    const t = topology();
    expect(() => new SharedSecret(t.group, 'db', { store: t.store, data: [{ secretKey: 'k', remoteKey: 'prod/x' }] })).not.toThrow();
    new Environment(t.app, 'dev', { name: 'Dev!' });
    const all = problems(t.app);
    expect(all.join('\n')).toMatch(/aws\/platform\/db~2: id "db" is already taken in "aws\/platform"/);
    expect(all.join('\n')).toMatch(/^dev: .*"Dev!"/m);
  });

  it('a third construct with the same id, and an id with a slash, get their own problem', () => {
    const t = topology();
    new Environment(t.app, 'prod');
    new Environment(t.app, 'prod');
    const all = problems(t.app).join('\n');
    expect(all).toContain('prod~2: id "prod" is already taken');
    expect(all).toContain('prod~3: id "prod" is already taken');
  });

  it('an undefined scope (a mistyped lookup) is a problem of the app, not a TypeError', () => {
    const t = topology();
    const groups: Record<string, Group> = { platform: t.group };
    expect(() => new ControlPlane(groups['platfrom'], 'p', {})).not.toThrow();
    expect(() => new SharedSecret(groups['platfrom'], 's', { store: t.store, data: [] })).not.toThrow();
    const all = problems(t.app).join('\n');
    expect(all).toMatch(/unattached-p: scope is nothing \(undefined\), not a construct: create it inside a Group/);
    expect(all).toMatch(/unattached-s: scope is nothing \(undefined\)/);
  });

  it('a ControlPlane, store or secret outside a Group is a problem', () => {
    const t = topology();
    new ControlPlane(t.space as unknown as Group, 'loose', {});
    new SecretStore(t.app as unknown as Group, 'loose-store', {
      provider: new AwsSecretsManager({ region: 'eu-central-1' }),
      planes: Planes.inEnvironments(t.prod),
      namespaces: Namespaces.named('a'),
    });
    const all = problems(t.app).join('\n');
    expect(all).toContain('aws/loose: a ControlPlane must be created inside a Group');
    expect(all).toContain('loose-store: a SecretStore must be created inside a Group');
  });

  it.each([
    ['a plain object', { kind: 'aws-irsa' }],
    ['null', null],
    ['a string', 'irsa'],
  ])('a Space or ESO cluster identity given as %s is one problem, not also one per store that it has no identity', (_, identity) => {
    const app = new TopologyApp({ outdir: join(ROOT, 'never') });
    const prod = new Environment(app, 'prod', { production: true });
    const space = new Space(app, 'aws', { cloud: 'aws', identity: identity as never });
    const group = new Group(space, 'platform');
    new ControlPlane(group, 'prod-1', {
      environment: prod,
      controlPlaneId: 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa',
      namespaces: ['team-a'],
    });
    for (const n of ['a', 'b']) {
      const store = new SecretStore(group, n, {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        planes: Planes.inEnvironments(prod),
        namespaces: Namespaces.named('team-a'),
      });
      new SharedSecret(group, `s-${n}`, { store, data: [{ secretKey: 'password', remoteKey: 'prod/db' }] });
    }
    const cluster = new EsoCluster(app, 'tools', { cloud: 'aws', identity: identity as never });
    new EsoSecretStore(cluster, 'sm', { provider: new AwsSecretsManager({ region: 'eu-central-1' }), namespaces: Namespaces.named('a') });
    const all = problems(app);
    expect(all.filter((p) => /identity has the wrong type/.test(p)).map((p) => p.split(':')[0])).toEqual(['aws', 'tools']);
    expect(all.join('\n')).not.toMatch(/has no workload identity/);
  });

  it('a store of a Space or cluster without identity (not a wrong one) is still told so', () => {
    const app = new TopologyApp({ outdir: join(ROOT, 'never') });
    const prod = new Environment(app, 'prod', { production: true });
    const group = new Group(new Space(app, 'aws', { cloud: 'aws' }), 'platform');
    new ControlPlane(group, 'prod-1', {
      environment: prod,
      controlPlaneId: 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa',
      namespaces: ['team-a'],
    });
    new SecretStore(group, 'a', {
      provider: new AwsSecretsManager({ region: 'eu-central-1' }),
      planes: Planes.inEnvironments(prod),
      namespaces: Namespaces.named('team-a'),
    });
    const cluster = new EsoCluster(app, 'tools', { cloud: 'aws' });
    new EsoSecretStore(cluster, 'sm', { provider: new AwsSecretsManager({ region: 'eu-central-1' }), namespaces: Namespaces.named('a') });
    const all = problems(app).join('\n');
    expect(all).toMatch(/^aws\/platform\/a: store "a" has no static credentials and Space "aws" has no workload identity/m);
    expect(all).toMatch(/^tools\/sm: store "sm" has no static credentials and cluster "tools" has no workload identity/m);
  });

  it('a non-string id and a null props object are problems', () => {
    const t = topology();
    new Environment(t.app, 8080 as unknown as string);
    new Group(t.space, 'g2', null as unknown as undefined);
    const all = problems(t.app).join('\n');
    expect(all).toMatch(/id is 8080 \(a number\): give the construct a non-empty string id/);
    expect(all).toMatch(/aws\/g2: props has the wrong type: expected an object, got null/);
  });
});

describe('item 2: wrong types are refused, never coerced', () => {
  const cases: [string, (t: ReturnType<typeof topology>) => void, RegExp][] = [
    [
      'production: "false"',
      (t) => new Environment(t.app, 'dev', { production: 'false' as unknown as boolean }),
      /dev: production has the wrong type: expected a boolean.*got "false" \(a string\); write true or false without quotes/,
    ],
    ['production: 0', (t) => new Environment(t.app, 'dev', { production: 0 as unknown as boolean }), /dev: production has the wrong type/],
    [
      'namespaces: "team-a"',
      (t) => new ControlPlane(t.group, 'p2', { environment: t.prod, namespaces: 'team-a' as unknown as string[] }),
      /namespaces has the wrong type: .*got "team-a" \(a string\); write a list, e.g. \["team-a"\]/,
    ],
    [
      'a null in namespaces',
      (t) => new ControlPlane(t.group, 'p2', { environment: t.prod, namespaces: ['a', null as unknown as string] }),
      /namespaces\[1\] has the wrong type: .*got null/,
    ],
    [
      'a numeric name',
      (t) =>
        new SharedSecret(t.group, 's2', {
          name: 8080 as unknown as string,
          store: t.store,
          data: [{ secretKey: 'k', remoteKey: 'prod/x' }],
        }),
      /s2: name has the wrong type: expected a string, got 8080 \(a number\); quote it \(e\.g\. "8080"\)/,
    ],
    [
      'find.tags as a list',
      (t) =>
        new SharedSecret(t.group, 's2', {
          store: t.store,
          dataFrom: [{ find: { path: 'prod/', tags: ['env=prod'] as unknown as Record<string, string> } }],
        }),
      /dataFrom\[0\]\.find\.tags has the wrong type: expected an object of tag names to values, e\.g\. \{ env: "prod" \} \(not a list\), got a list of 1 item/,
    ],
    [
      'data as an object',
      (t) => new SharedSecret(t.group, 's2', { store: t.store, data: { secretKey: 'k', remoteKey: 'x' } as unknown as [] }),
      /s2: data has the wrong type: .*got an object with keys "secretKey", "remoteKey"; write a list of entries, not an object/,
    ],
    [
      'a provider as a plain object',
      (t) =>
        new SecretStore(t.group, 'sm2', {
          provider: { region: 'eu-central-1' } as unknown as AwsSecretsManager,
          planes: Planes.inEnvironments(t.prod),
          namespaces: Namespaces.named('a'),
        }),
      /sm2: provider has the wrong type: expected a provider \(e\.g\. new AwsSecretsManager/,
    ],
    [
      'credentials as values, never repeated',
      (t) =>
        new SecretStore(t.group, 'sm2', {
          provider: new AwsSecretsManager({
            region: 'eu-central-1',
            credentials: { accessKeyId: 'AKIAABCDEFGHIJKLMNOP', secretAccessKey: 'hunter2hunter2' } as never,
          }),
          planes: Planes.inEnvironments(t.prod),
          namespaces: Namespaces.named('a'),
        }),
      /sm2: provider: credentials has the wrong type: .*\(not repeated here\)/,
    ],
    [
      'store undefined from a lookup',
      (t) =>
        new SharedSecret(t.group, 's2', {
          store: ({} as Record<string, SecretStore>)['sm-prdo'],
          data: [{ secretKey: 'k', remoteKey: 'prod/x' }],
        }),
      /s2: store is required: expected a SecretStore/,
    ],
    [
      'environment from a lookup of a plain object',
      (t) => new ControlPlane(t.group, 'p2', { environment: { name: 'prod' } as unknown as Environment }),
      /p2: environment has the wrong type: expected an Environment/,
    ],
  ];
  for (const [name, mistake, expected] of cases) {
    it(name, () => {
      const t = topology();
      expect(() => mistake(t)).not.toThrow();
      const all = problems(t.app).join('\n');
      expect(all).toMatch(expected);
      expect(all).not.toMatch(/TypeError|Cannot read propert|\n\s+at /);
      expect(all).not.toContain('AKIAABCDEFGHIJKLMNOP');
      expect(all).not.toContain('hunter2');
    });
  }

  it('nothing is written when a type problem stops synth()', () => {
    const t = topology();
    new Environment(t.app, 'dev', { production: 'false' as unknown as boolean });
    expect(synthExit(t.app).exit).toBe(1);
    expect(existsSync(t.outdir)).toBe(false);
  });
});

describe('item 6: messages', () => {
  it('a 1 MB remote key is shortened in every message (the remote-key check and the IAM size check)', () => {
    const t = topology();
    new SharedSecret(t.group, 'huge', { store: t.store, data: [{ secretKey: 'k', remoteKey: `prod/${'x'.repeat(1_000_000)}` }] });
    const all = problems(t.app);
    expect(all.length).toBeGreaterThan(0);
    for (const line of all) expect(line.length).toBeLessThan(2_000);
    expect(all.join('\n')).toContain('(1000005 characters)');
  });

  it('an invalid nameRegexp carries a fix', () => {
    const t = topology();
    new SharedSecret(t.group, 'rx', { store: t.store, dataFrom: [{ find: { path: 'prod/', nameRegexp: '([' } }] });
    expect(problems(t.app).join('\n')).toMatch(
      /nameRegexp "\(\[" is not a regular expression \(ESO compiles it with Go's RE2 syntax\): fix/,
    );
  });
});
