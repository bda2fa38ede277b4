/**
 * `helm-set-flags.txt` sets exactly what `spaces-values.yaml` holds: the file is split into words
 * by a real POSIX shell and each `--set` / `--set-string` argument is read with Helm's own strvals
 * rules (test/fixtures/helm-strvals.ts), so a `,`, `=`, `.`, `[`, `{` or `\` in a user value (a
 * role name prefix, a role ARN) cannot set other keys.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  type TopologyApp,
} from '../lib/index.js';
import { helmSetArgument, helmSetKey, helmSetValue } from '../lib/output/escape/helm.js';
import { parseSetArgument } from './fixtures/helm-strvals.js';
import { buildExample } from '../main.js';
import { AWS_ACCOUNT, AWS_ISSUER, uuid } from './fixtures/topologies.js';
import { compile } from './support/compile.js';

/** The words a POSIX shell makes of the flag file. */
function shellWords(text: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${text}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/** Deep merge of Helm values, as repeated flags accumulate. */
function merge(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && cur !== null && typeof cur === 'object' && !Array.isArray(cur))
      merge(cur as Record<string, unknown>, v as Record<string, unknown>);
    else into[k] = v;
  }
  return into;
}

/** `values` without empty maps (flags cannot set one; Helm merges the values file's `{}` into nothing). */
function withoutEmptyMaps(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const inner = withoutEmptyMaps(v as Record<string, unknown>);
      if (Object.keys(inner).length > 0) out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

/** What Helm sets from the flag file. */
function valuesOfFlags(text: string): Record<string, unknown> {
  const words = shellWords(text);
  const values: Record<string, unknown> = {};
  for (let i = 0; i < words.length; i += 2) {
    const flag = words[i];
    expect(['--set', '--set-string']).toContain(flag);
    merge(values, parseSetArgument(words[i + 1] ?? '', flag === '--set'));
  }
  return values;
}

/** One IRSA Space "eks" whose roles carry `prefix`, with a prod plane and one secret. */
function withPrefix(prefix: string) {
  return (app: TopologyApp) => {
    const prod = new Environment(app, 'prod');
    const space = new Space(app, 'eks', {
      cloud: 'aws',
      identity: SpaceIdentity.awsIrsa({ accountId: AWS_ACCOUNT, oidcIssuer: AWS_ISSUER, roleNamePrefix: prefix }),
    });
    const group = new Group(space, 'platform');
    new ControlPlane(group, 'prod-1', { environment: prod, controlPlaneId: uuid(1), namespaces: ['team-a'] });
    const store = new SecretStore(group, 'sm', {
      provider: new AwsSecretsManager({ region: 'eu-central-1', accountId: AWS_ACCOUNT }),
      planes: Planes.inEnvironments(prod),
      namespaces: Namespaces.named('team-a'),
    });
    new SharedSecret(group, 'db', { store, data: [{ secretKey: 'password', remoteKey: 'prod/db' }] });
  };
}

describe('helm-set-flags.txt', () => {
  it.each(['team,a=1', 'x=', '.,=@+', 'a,b,c', 'p@q.r', '+=,.@_-'])('sets exactly the values file with roleNamePrefix %j', (prefix) => {
    const c = compile(withPrefix(prefix));
    const flags = c.files.get('spaces/eks/helm/helm-set-flags.txt') ?? '';
    const values = parse(c.files.get('spaces/eks/helm/spaces-values.yaml') ?? '') as Record<string, unknown>;
    const annotations = (values as { controlPlanes: { sharedSecrets: { serviceAccount: { customAnnotations: Record<string, string> } } } })
      .controlPlanes.sharedSecrets.serviceAccount.customAnnotations;
    expect(annotations['eks.amazonaws.com/role-arn']).toBe(`arn:aws:iam::${AWS_ACCOUNT}:role/${prefix}eks-shared-secrets`);
    expect(valuesOfFlags(flags)).toEqual(withoutEmptyMaps(values));
  });

  it('sets exactly the values file of every Space of the example (IRSA, Pod Identity, Azure and GCP identities)', () => {
    const c = compile(buildExample);
    const flagFiles = [...c.files.keys()].filter((p) => p.endsWith('/helm/helm-set-flags.txt'));
    expect(flagFiles.length).toBeGreaterThanOrEqual(4);
    for (const path of flagFiles) {
      const values = parse(c.files.get(path.replace('helm-set-flags.txt', 'spaces-values.yaml')) ?? '') as Record<string, unknown>;
      expect(valuesOfFlags(c.files.get(path) ?? ''), path).toEqual(withoutEmptyMaps(values));
    }
  });

  it('writes a plain prefix byte for byte as before (no needless escapes)', () => {
    const flags = compile(withPrefix('platform-')).files.get('spaces/eks/helm/helm-set-flags.txt');
    expect(flags).toBe(
      '--set features.alpha.sharedSecrets.enabled=true \\\n' +
        `  --set-string 'controlPlanes.sharedSecrets.serviceAccount.customAnnotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::${AWS_ACCOUNT}:role/platform-eks-shared-secrets'\n`,
    );
  });
});

describe('Helm --set escaping', () => {
  const special = fc.constantFrom(',', '=', '.', '[', ']', '{', '}', '\\', ' ', "'", '"', '\n', 'a', 'é', '😀');
  const text = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.array(special, { maxLength: 10 }).map((a) => a.join('')),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
  );

  it('property: Helm reads back every key and value exactly, and nothing else', () => {
    fc.assert(
      fc.property(
        text.filter((k) => k.length > 0),
        text,
        (k, v) => {
          expect(parseSetArgument(helmSetArgument(['controlPlanes', 'sharedSecrets', k], v))).toEqual({
            controlPlanes: { sharedSecrets: { [k]: v } },
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: so does the shell, around the Helm escapes', () => {
    fc.assert(
      fc.property(
        text.filter((k) => k.length > 0 && !k.includes('\0')),
        text.filter((v) => !v.includes('\0')),
        (k, v) => {
          const words = shellWords(`--set-string '${helmSetArgument(['a', k], v).replace(/'/g, `'\\''`)}'`);
          expect(parseSetArgument(words[1] ?? '')).toEqual({ a: { [k]: v } });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('escapes the separators an attacker would try next, and leaves other characters alone', () => {
    expect(helmSetValue('arn:aws:iam::1:role/a,b=c')).toBe('arn:aws:iam::1:role/a\\,b=c');
    expect(helmSetValue('{a,b}')).toBe('\\{a\\,b\\}');
    expect(helmSetValue('back\\slash')).toBe('back\\\\slash');
    expect(helmSetKey('eks.amazonaws.com/role-arn')).toBe('eks\\.amazonaws\\.com/role-arn');
    expect(helmSetKey('a[0]=b,c')).toBe('a\\[0\\]\\=b\\,c');
    expect(parseSetArgument(`x=${helmSetValue('a,evil=1')}`)).toEqual({ x: 'a,evil=1' });
    expect(parseSetArgument('x=a,evil=1')).toEqual({ x: 'a', evil: '1' });
  });
});
