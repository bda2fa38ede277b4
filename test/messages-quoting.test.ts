/**
 * Values a user or an attacker controls reach messages only through the one quoting helper
 * (`quoteValue`): JSON-quoted, shortened past a bound (the length said instead), and with no raw
 * control character, whether the message goes to a terminal (the CLI) or into a problem list.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../lib/cli/main.js';
import { parseOperation } from '../lib/compile/patch-ops.js';
import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  Group,
  Namespaces,
  Planes,
  SecretOwnership,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  TopologyApp,
  TopologyError,
} from '../lib/index.js';
import { fcParams } from './fuzz-support.js';

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const HOSTILE = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u001b[2J\u001b[31mred', 'a\rb', 'x\u0007y', '\u202etxt.exe', 'z'.repeat(100_000)),
);

function cliStderr(argv: string[]): Promise<string> {
  let err = '';
  const io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) } };
  return runCli(argv, io as never).then(() => err);
}

describe('messages quote hostile values', () => {
  it('the CLI: an unknown command is quoted, shortened and terminal-safe', async () => {
    await fc.assert(
      fc.asyncProperty(HOSTILE, async (name) => {
        fc.pre(
          !name.startsWith('-') &&
            name.trim() !== '' &&
            !['synth', 'check', 'review', 'who-can-read', 'explain', 'import', 'help'].includes(name),
        );
        const err = await cliStderr([name]);
        expect(err).toMatch(/unknown command "/);
        expect(err).not.toMatch(RAW_CONTROL);
        expect(err.length).toBeLessThan(1_000);
      }),
      fcParams,
    );
  });

  it('a JSON patch with a hostile op', () => {
    fc.assert(
      fc.property(HOSTILE, (op) => {
        const problem = parseOperation({ op, path: '/metadata/labels/x', value: 'y' });
        expect(typeof problem).toBe('string');
        expect(problem as string).not.toMatch(RAW_CONTROL);
        expect((problem as string).length).toBeLessThan(1_000);
      }),
      fcParams,
    );
  });

  it('a remote key two environments declare: the problem quotes it, shortened past 300 characters', () => {
    for (const key of ['shared/x-a', `shared/x${'k'.repeat(500)}`]) {
      const app = new TopologyApp({ outdir: '/nonexistent' });
      const dev = new Environment(app, 'dev', { owns: [SecretOwnership.awsSecretsManager({ prefixes: ['shared/'] })] });
      new Environment(app, 'prod', { production: true, owns: [SecretOwnership.awsSecretsManager({ prefixes: ['shared/x'] })] });
      const g = new Group(
        new Space(app, 'aws', {
          cloud: 'aws',
          identity: SpaceIdentity.awsPodIdentity({ accountId: '111122223333', clusterName: 'spaces' }),
        }),
        'g',
      );
      new ControlPlane(g, 'dev-1', { environment: dev, controlPlaneId: '00000000-0000-4000-8000-000000000001', namespaces: ['apps'] });
      const store = new SecretStore(g, 'sm', {
        namespaces: Namespaces.named('apps'),
        provider: new AwsSecretsManager({ region: 'eu-central-1', accountId: '111122223333' }),
        planes: Planes.inEnvironments(dev),
      });
      new SharedSecret(g, 's', { store, data: [{ secretKey: 'k', remoteKey: key }] });
      let problems: string[] = [];
      try {
        app.compile();
      } catch (e) {
        if (!(e instanceof TopologyError)) throw e;
        problems = e.problems.map((p) => p.message);
      }
      const text = problems.filter((m) => m.includes('declared by 2 environments')).join('\n');
      expect(text, problems.join('\n').slice(0, 300)).not.toBe('');
      expect(text).not.toMatch(RAW_CONTROL);
      if (key.length > 300) {
        expect(text).not.toContain(key);
        expect(text).toContain(`(${key.length} characters)`);
      } else expect(text).toContain(JSON.stringify(key));
    }
  });
});
