/**
 * Strict props (issue 13): an unknown prop is a problem naming it, with a "did you mean" suggestion
 * when one known prop is close (a typo would otherwise be ignored silently), in every schema; and
 * the identifier checks of the providers echo a value through the one quoting helper (shortened
 * and escaped), never whole.
 */
import { describe, expect, it } from 'vitest';
import {
  AwsParameterStore,
  AwsSecretsManager,
  ControlPlane,
  EsoCluster,
  EsoPushSecret,
  EsoSecretStore,
  Environment,
  FluxDelivery,
  Group,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  TopologyApp,
  Namespaces,
  Planes,
} from '../lib/index.js';
import { closest } from '../lib/private/props.js';

const ISSUER = 'https://oidc.eks.eu-central-1.amazonaws.com/id/8A1B2C3D4E5F60718293A4B5C6D7E8F9';

function messages(build: (app: TopologyApp) => void): string[] {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  build(app);
  return app.problems().map((p) => `${p.path}: ${p.message}`);
}

describe('unknown props are refused, with a suggestion when one known prop is close', () => {
  it('a typo of a construct prop, at the top and nested', () => {
    expect(messages((app) => new Environment(app, 'prod', { prodution: true } as never))).toEqual([
      'prod: prodution is not a known prop (props are checked strictly: a misspelt prop would be ignored silently): did you mean "production"? Rename it.',
    ]);
    const nested = messages((app) => {
      const space = new Space(app, 'aws', { cloud: 'aws' });
      new ControlPlane(new Group(space, 'g'), 'p', { namepsaces: ['a'] } as never);
    });
    expect(nested).toEqual([expect.stringContaining('aws/g/p: namepsaces is not a known prop')]);
    expect(nested[0]).toContain('did you mean "namespaces"?');
  });

  it('the next variants: wrong case, a transposition, a key of a value object, a key far from every prop, two unknown keys', () => {
    expect(messages((app) => new Environment(app, 'prod', { Production: true } as never))[0]).toContain('did you mean "production"?');
    expect(messages((app) => new Space(app, 'aws', { cloud: 'aws', idnetity: undefined } as never))[0]).toContain(
      'did you mean "identity"?',
    );
    const provider = messages((app) => {
      const space = new Space(app, 'aws', {
        cloud: 'aws',
        identity: SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: ISSUER }),
      });
      const env = new Environment(app, 'prod', {});
      new SecretStore(new Group(space, 'g'), 'sm', {
        provider: new AwsSecretsManager({ region: 'eu-central-1', regoin: 'x' } as never),
        planes: Planes.inEnvironments(env),
        namespaces: Namespaces.named('a'),
      });
    });
    expect(provider.join('\n')).toContain('provider: regoin is not a known prop');
    expect(provider.join('\n')).toContain('did you mean "region"?');
    const far = messages((app) => new Environment(app, 'prod', { zzzzzz: 1, qqqqqq: 2 } as never));
    expect(far).toHaveLength(2);
    expect(far[0]).toContain('zzzzzz is not a known prop');
    expect(far[0]).toContain('remove it; the props here are "labels", "name", "owns", "production", "refreshInterval"');
    expect(far[1]).toContain('qqqqqq is not a known prop');
  });

  it('in the schemas of the later constructs too (ESO cluster, Flux)', () => {
    expect(messages((app) => new EsoCluster(app, 'c', { cloud: 'aws', namespce: 'x' } as never))[0]).toContain('did you mean "namespace"?');
    expect(messages((app) => new FluxDelivery(app, 'flux', { url: 'https://x', targets: {}, intervall: '1m' } as never))[0]).toContain(
      'intervall is not a known prop',
    );
  });

  it('the app props, a secret template, a push resource policy and a Flux chart upgrade too (they once ignored a misspelt key)', () => {
    const app = new TopologyApp({ outdir: '/nonexistent', layuot: 'file-per-group' } as never);
    expect(app.problems().map((p) => `${p.path || '(app)'}: ${p.message}`)).toEqual([
      expect.stringMatching(/^\(app\): layuot is not a known prop .*did you mean "layout"\?/),
    ]);
    const template = messages((app) => {
      const space = new Space(app, 'aws', {
        cloud: 'aws',
        identity: SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: ISSUER }),
      });
      const env = new Environment(app, 'prod', {});
      const group = new Group(space, 'g');
      const store = new SecretStore(group, 'sm', {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        planes: Planes.inEnvironments(env),
        namespaces: Namespaces.named('a'),
      });
      new SharedSecret(group, 'db', {
        store,
        data: [{ secretKey: 'k', remoteKey: 'prod/db' }],
        target: { template: { tpye: 'kubernetes.io/tls' } as never },
      });
    });
    expect(template).toEqual([expect.stringMatching(/^aws\/g\/db: target\.template\.tpye is not a known prop .*did you mean "type"\?/)]);
    const push = messages((app) => {
      const c = new EsoCluster(app, 'c', {
        cloud: 'aws',
        identity: SpaceIdentity.awsPodIdentity({ accountId: '111122223333', clusterName: 'c' }),
      });
      const store = new EsoSecretStore(c, 'sm', {
        provider: new AwsSecretsManager({ region: 'eu-central-1' }),
        namespaces: Namespaces.named('a'),
      });
      const resourcePolicy = { policySourceRef: { kind: 'ConfigMap', name: 'p', key: 'policy.json' }, blockPublicPolcy: true } as never;
      new EsoPushSecret(c, 'push', {
        store,
        namespace: 'a',
        secretName: 'tls',
        data: [{ secretKey: 'k', remoteKey: 'backup/tls', metadata: { resourcePolicy } }],
      });
    });
    expect(push).toEqual([
      expect.stringMatching(
        /^c\/push: data\[0\]\.metadata\.resourcePolicy\.blockPublicPolcy is not a known prop .*did you mean "blockPublicPolicy"\?/,
      ),
    ]);
    const upgrade = messages(
      (app) =>
        new FluxDelivery(app, 'flux', {
          url: 'https://github.com/acme/x.git',
          targets: {},
          esoChart: { version: '2.9.0', upgrade: { cleanupOnFial: true } as never },
        }),
    );
    expect(upgrade[0]).toMatch(/^flux: esoChart\.upgrade\.cleanupOnFial is not a known prop .*did you mean "cleanupOnFail"\?/);
  });

  it('an unknown key whose name is a hostile string is quoted and escaped', () => {
    const m = messages((app) => new Environment(app, 'prod', { ['a\u001b[31mred\nb']: 1 } as never))[0] ?? '';
    expect(m).not.toContain('\u001b');
    expect(m).not.toContain('\n');
  });

  it('suggests only one unambiguous close key', () => {
    expect(closest('namepsaces', ['namespaces', 'name'])).toBe('namespaces');
    expect(closest('retry', ['retries', 'crds', 'remediateLastFailure'])).toBe('retries');
    expect(closest('ab', ['abc', 'abd'])).toBeUndefined(); // two as close
    expect(closest('nam', ['name', 'namex'])).toBe('name');
    expect(closest('x'.repeat(1000), ['x'])).toBeUndefined();
  });

  it('the Secrets Manager options on Parameter Store are named as misplaced, not unknown', () => {
    const m = messages((app) => {
      const space = new Space(app, 'aws', {
        cloud: 'aws',
        identity: SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: ISSUER }),
      });
      const env = new Environment(app, 'prod', {});
      new SecretStore(new Group(space, 'g'), 'ps', {
        provider: new AwsParameterStore({ region: 'eu-central-1', recoveryWindowInDays: 7 } as never),
        planes: Planes.inEnvironments(env),
        namespaces: Namespaces.named('a'),
      });
    });
    expect(m.join('\n')).toContain('recoveryWindowInDays is an option of AWS Secrets Manager stores');
  });
});

describe('provider identifier checks echo values shortened and escaped', () => {
  const providerProblems = (props: Record<string, unknown>): string =>
    messages((app) => {
      const space = new Space(app, 'aws', {
        cloud: 'aws',
        identity: SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: ISSUER }),
      });
      const env = new Environment(app, 'prod', {});
      new SecretStore(new Group(space, 'g'), 'sm', {
        provider: new AwsSecretsManager({ region: 'eu-central-1', ...props }),
        planes: Planes.inEnvironments(env),
        namespaces: Namespaces.named('a'),
      });
    }).join('\n');

  for (const [prop, value] of [
    ['region', 'r'.repeat(100_000)],
    ['accountId', '1'.repeat(100_000)],
    ['role', 'arn:aws:iam::' + 'x'.repeat(100_000)],
    ['kmsKeyArns', ['arn:aws:kms:' + 'k'.repeat(100_000)]],
  ] as const) {
    it(`a 100 KB ${prop} is shortened`, () => {
      const m = providerProblems({ [prop]: value });
      expect(m).toContain('characters)');
      expect(m.length).toBeLessThan(2_000);
    });
  }

  it('control characters in a region are escaped', () => {
    const m = providerProblems({ region: 'eu\u001b[2J-central-1\r' });
    expect(m).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/); // the messages are joined by newlines
    expect(m).toContain('is not an AWS region');
  });
});
