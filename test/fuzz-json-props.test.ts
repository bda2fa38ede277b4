/**
 * Property: every prop of every public construct and factory that has a props schema, replaced by
 * a random JSON value of another type than the declared one (or undefined where the prop is
 * required), and every whole props object replaced by a random non-object JSON value, makes
 * synthesis fail the way a problem does: `synth()` sets exit code 1, prints the problems list (a
 * problem at the construct's path naming the prop), no stack trace and no TypeError, and the output
 * directory is not created. A JSON value of the declared type may be valid; then the property only
 * asks for a compile or a TopologyError, never another exception.
 *
 * Runs: `FC_RUNS` (CI: 30 per property; `npm run bench:props` runs 1,000).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
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
  StaticCredentials,
  TopologyApp,
  TopologyError,
} from '../lib/index.js';
import { fcParams } from './fuzz-support.js';

type Kind = 'string' | 'boolean' | 'number' | 'map' | 'list' | 'instance' | 'props';

/** One prop of one construct or factory: where its problem is reported, and its declared JSON type. */
interface Site {
  readonly owner: string;
  readonly prop: string;
  readonly kind: Kind;
  /** Required: undefined is a wrong value too. */
  readonly required?: boolean;
}

const ISSUER = 'https://oidc.eks.eu-central-1.amazonaws.com/id/8A1B2C3D4E5F60718293A4B5C6D7E8F9';
const SITES: readonly Site[] = [
  { owner: '(app)', prop: 'props', kind: 'props' },
  { owner: '(app)', prop: 'outdir', kind: 'string' },
  { owner: '(app)', prop: 'synthesizers', kind: 'list' },
  { owner: 'prod', prop: 'props', kind: 'props' },
  { owner: 'prod', prop: 'name', kind: 'string' },
  { owner: 'prod', prop: 'labels', kind: 'map' },
  { owner: 'prod', prop: 'refreshInterval', kind: 'string' },
  { owner: 'prod', prop: 'production', kind: 'boolean' },
  { owner: 'prod', prop: 'owns', kind: 'list' },
  { owner: 'prod', prop: 'owns.props', kind: 'props', required: true },
  { owner: 'prod', prop: 'owns.prefixes', kind: 'list' },
  { owner: 'aws', prop: 'props', kind: 'props', required: true },
  { owner: 'aws', prop: 'name', kind: 'string' },
  { owner: 'aws', prop: 'cloud', kind: 'string', required: true },
  { owner: 'aws', prop: 'hosting', kind: 'string' },
  { owner: 'aws', prop: 'identity', kind: 'instance' },
  { owner: 'aws', prop: 'identity.props', kind: 'props', required: true },
  { owner: 'aws', prop: 'identity.accountId', kind: 'string', required: true },
  { owner: 'aws', prop: 'identity.oidcIssuer', kind: 'string', required: true },
  { owner: 'aws', prop: 'identity.roleNamePrefix', kind: 'string' },
  { owner: 'aws', prop: 'identity.trustPolicyMaxChars', kind: 'number' },
  { owner: 'aws/platform', prop: 'props', kind: 'props' },
  { owner: 'aws/platform', prop: 'name', kind: 'string' },
  { owner: 'aws/platform', prop: 'manageNamespace', kind: 'boolean' },
  { owner: 'aws/platform', prop: 'requireEnvironment', kind: 'boolean' },
  { owner: 'aws/platform', prop: 'namespaceLabels', kind: 'map' },
  { owner: 'aws/platform/prod-1', prop: 'props', kind: 'props' },
  { owner: 'aws/platform/prod-1', prop: 'name', kind: 'string' },
  { owner: 'aws/platform/prod-1', prop: 'environment', kind: 'instance' },
  { owner: 'aws/platform/prod-1', prop: 'labels', kind: 'map' },
  { owner: 'aws/platform/prod-1', prop: 'controlPlaneId', kind: 'string' },
  { owner: 'aws/platform/prod-1', prop: 'hostNamespace', kind: 'string' },
  { owner: 'aws/platform/prod-1', prop: 'namespaces', kind: 'list' },
  { owner: 'aws/platform/prod-1', prop: 'namespaces[1]', kind: 'string', required: true },
  { owner: 'aws/platform/sm', prop: 'props', kind: 'props', required: true },
  { owner: 'aws/platform/sm', prop: 'name', kind: 'string' },
  { owner: 'aws/platform/sm', prop: 'provider', kind: 'instance', required: true },
  { owner: 'aws/platform/sm', prop: 'provider.props', kind: 'props', required: true },
  { owner: 'aws/platform/sm', prop: 'provider.region', kind: 'string', required: true },
  { owner: 'aws/platform/sm', prop: 'provider.accountId', kind: 'string' },
  { owner: 'aws/platform/sm', prop: 'provider.kmsKeyArns', kind: 'list' },
  { owner: 'aws/platform/sm', prop: 'provider.credentials', kind: 'instance' },
  { owner: 'aws/platform/sm', prop: 'credentials.props', kind: 'props', required: true },
  { owner: 'aws/platform/sm', prop: 'credentials.secretName', kind: 'string', required: true },
  { owner: 'aws/platform/sm', prop: 'planes', kind: 'instance', required: true },
  { owner: 'aws/platform/sm', prop: 'planes[0]', kind: 'instance', required: true },
  { owner: 'aws/platform/sm', prop: 'namespaces', kind: 'instance', required: true },
  { owner: 'aws/platform/sm', prop: 'namespaces[0]', kind: 'string', required: true },
  { owner: 'aws/platform/sm', prop: 'refreshInterval', kind: 'number' },
  { owner: 'aws/platform/sm', prop: 'retry', kind: 'map' },
  { owner: 'aws/platform/sm', prop: 'environment', kind: 'instance' },
  { owner: 'aws/platform/db', prop: 'props', kind: 'props', required: true },
  { owner: 'aws/platform/db', prop: 'name', kind: 'string' },
  { owner: 'aws/platform/db', prop: 'store', kind: 'instance', required: true },
  { owner: 'aws/platform/db', prop: 'data', kind: 'list' },
  { owner: 'aws/platform/db', prop: 'data[0]', kind: 'map', required: true },
  { owner: 'aws/platform/db', prop: 'data[0].remoteKey', kind: 'string', required: true },
  { owner: 'aws/platform/db', prop: 'data[0].property', kind: 'string' },
  { owner: 'aws/platform/db', prop: 'dataFrom', kind: 'list' },
  { owner: 'aws/platform/db', prop: 'dataFrom[0].find.tags', kind: 'map' },
  { owner: 'aws/platform/db', prop: 'target', kind: 'map' },
  { owner: 'aws/platform/db', prop: 'target.immutable', kind: 'boolean' },
  { owner: 'aws/platform/db', prop: 'target.template.data', kind: 'map' },
  { owner: 'aws/platform/db', prop: 'refreshInterval', kind: 'string' },
  { owner: 'aws/platform/db', prop: 'planes', kind: 'instance' },
];

const ABSENT = Symbol('absent');

/** The valid topology, with the value of `site` replaced by `value` (ABSENT: as given). */
function build(app: TopologyApp, site: Site | undefined, value: unknown): void {
  const v = <T>(owner: string, prop: string, valid: T): T => (site?.owner === owner && site.prop === prop ? (value as T) : valid);
  const owns = SecretOwnership.awsSecretsManager(v('prod', 'owns.props', { prefixes: v('prod', 'owns.prefixes', ['prod/']) }));
  const prod = new Environment(
    app,
    'prod',
    v('prod', 'props', {
      name: v('prod', 'name', 'prod'),
      labels: v('prod', 'labels', { environment: 'prod' }),
      refreshInterval: v('prod', 'refreshInterval', '15m'),
      production: v('prod', 'production', true),
      owns: v('prod', 'owns', [owns]),
    }),
  );
  const identity = SpaceIdentity.awsIrsa(
    v('aws', 'identity.props', {
      accountId: v('aws', 'identity.accountId', '111122223333'),
      oidcIssuer: v('aws', 'identity.oidcIssuer', ISSUER),
      roleNamePrefix: v('aws', 'identity.roleNamePrefix', 'platform-'),
      trustPolicyMaxChars: v('aws', 'identity.trustPolicyMaxChars', 2048),
    }),
  );
  const space = new Space(
    app,
    'aws',
    v('aws', 'props', {
      name: v('aws', 'name', 'aws'),
      cloud: v('aws', 'cloud', 'aws' as const),
      hosting: v('aws', 'hosting', 'self-hosted' as const),
      identity: v('aws', 'identity', identity),
    }),
  );
  const group = new Group(
    space,
    'platform',
    v('aws/platform', 'props', {
      name: v('aws/platform', 'name', 'platform'),
      manageNamespace: v('aws/platform', 'manageNamespace', true),
      requireEnvironment: v('aws/platform', 'requireEnvironment', true),
      namespaceLabels: v('aws/platform', 'namespaceLabels', { team: 'platform' }),
    }),
  );
  const P = 'aws/platform/prod-1';
  new ControlPlane(
    group,
    'prod-1',
    v(P, 'props', {
      name: v(P, 'name', 'prod-1'),
      environment: v(P, 'environment', prod),
      labels: v(P, 'labels', { region: 'eu' }),
      controlPlaneId: v(P, 'controlPlaneId', 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa'),
      hostNamespace: v(P, 'hostNamespace', undefined),
      namespaces: v(P, 'namespaces', ['crossplane-system', v(P, 'namespaces[1]', 'team-a')]),
    }),
  );
  const S = 'aws/platform/sm';
  const credentials = StaticCredentials.awsAccessKey(
    v(S, 'credentials.props', { secretName: v(S, 'credentials.secretName', 'aws-creds') }),
  );
  const provider = new AwsSecretsManager(
    v(S, 'provider.props', {
      region: v(S, 'provider.region', 'eu-central-1'),
      accountId: v(S, 'provider.accountId', '111122223333'),
      kmsKeyArns: v(S, 'provider.kmsKeyArns', []),
      credentials: v(S, 'provider.credentials', site?.prop.startsWith('credentials.') ? credentials : undefined),
    }),
  );
  const store = new SecretStore(
    group,
    'sm',
    v(S, 'props', {
      name: v(S, 'name', 'sm'),
      provider: v(S, 'provider', provider),
      planes: v(S, 'planes', Planes.inEnvironments(v(S, 'planes[0]', prod))),
      namespaces: v(S, 'namespaces', Namespaces.named(v(S, 'namespaces[0]', 'team-a'))),
      refreshInterval: v(S, 'refreshInterval', 60),
      retry: v(S, 'retry', { maxRetries: 3 }),
      environment: v(S, 'environment', prod),
    }),
  );
  const D = 'aws/platform/db';
  new SharedSecret(
    group,
    'db',
    v(D, 'props', {
      name: v(D, 'name', 'db'),
      store: v(D, 'store', store),
      data: v(D, 'data', [
        v(D, 'data[0]', {
          secretKey: 'password',
          remoteKey: v(D, 'data[0].remoteKey', 'prod/db'),
          property: v(D, 'data[0].property', 'password'),
        }),
      ]),
      // A find grants wide; only the case of its tags has one.
      dataFrom: v(
        D,
        'dataFrom',
        site?.prop === 'dataFrom[0].find.tags'
          ? [{ find: { path: 'prod/', tags: value as Record<string, string> } }]
          : [{ extract: { key: 'prod/config' } }],
      ),
      target: v(D, 'target', {
        name: 'db-credentials',
        immutable: v(D, 'target.immutable', false),
        template: { data: v(D, 'target.template.data', { url: 'postgres://{{ .password }}@db' }) },
      }),
      refreshInterval: v(D, 'refreshInterval', '15m'),
      planes: v(D, 'planes', undefined),
    }),
  );
}

function kindOf(value: unknown): Kind | 'null' | 'undefined' {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value as Kind;
}

/** Whether `value` is of another JSON type than `site` declares (so it must be refused). */
function wrongFor(site: Site, value: unknown): boolean {
  const k = kindOf(value);
  if (k === 'undefined') return site.required === true;
  switch (site.kind) {
    case 'instance':
      return true; // JSON never makes an instance of a class
    case 'props':
      return k !== 'map';
    default:
      return k !== site.kind;
  }
}

const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
  fc.constantFrom(null, 'false', '8080', 8080, ['env=prod'], {}),
);

const outRoot = mkdtempSync(join(tmpdir(), 'json-props-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

/** Synthesizes the topology with `site` = `value` through `synth()`, as `npm run synth` does; returns the exit code and stderr. */
function synthWith(site: Site, value: unknown): { exit: number | string | undefined; stderr: string; outdir: string } {
  const outdir = join(outRoot, `dist-${Math.random().toString(36).slice(2)}`);
  const appProps =
    site.owner === '(app)' && site.prop === 'props' ? value : { outdir, ...(site.owner === '(app)' ? { [site.prop]: value } : {}) };
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const before = process.exitCode;
  process.exitCode = undefined;
  let exit: number | string | undefined;
  try {
    const app = new TopologyApp(appProps as ConstructorParameters<typeof TopologyApp>[0]);
    build(app, site.owner === '(app)' ? undefined : site, value);
    // The app's own props are checked like every construct's; outdir as given is never used when it is wrong.
    if (appProps === value || (site.owner === '(app)' && site.prop === 'outdir')) {
      const problems = app.problems();
      exit = problems.length > 0 ? 1 : 0;
      stderr = problems.map((p) => `${p.path || '(app)'}: ${p.message}`).join('\n');
    } else {
      app.synth();
      exit = process.exitCode;
    }
  } finally {
    spy.mockRestore();
    process.exitCode = before;
  }
  return { exit, stderr, outdir };
}

describe('random JSON values in every prop of every public construct', () => {
  it('the valid base topology synthesizes', () => {
    const outdir = join(outRoot, 'base');
    const app = new TopologyApp({ outdir });
    build(app, undefined, ABSENT);
    expect(app.problems()).toEqual([]);
  });

  it('a value of another JSON type is a problem at the construct and prop (exit 1, no stack trace, nothing written)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SITES), jsonValue, (site, value) => {
        fc.pre(wrongFor(site, value));
        const { exit, stderr, outdir } = synthWith(site, value);
        expect(exit, `${site.owner} ${site.prop} = ${JSON.stringify(value)}`).toBe(1);
        expect(stderr).not.toMatch(/\n\s+at |TypeError|Cannot read propert/);
        const owner = site.owner === '(app)' ? '(app)' : site.owner;
        expect(stderr).toContain(`${owner}: `);
        expect(existsSync(outdir)).toBe(false);
      }),
      { ...fcParams, numRuns: fcParams.numRuns * 10 },
    );
  });

  it('any JSON value compiles or is a TopologyError, never another exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SITES.filter((s) => s.owner !== '(app)')), jsonValue, (site, value) => {
        const app = new TopologyApp({ outdir: join(outRoot, 'never') });
        build(app, site, value);
        try {
          app.compile();
        } catch (e) {
          expect(e).toBeInstanceOf(TopologyError);
          for (const p of (e as TopologyError).problems) expect(p.message).not.toMatch(/\n\s+at |TypeError|Cannot read propert/);
        }
      }),
      { ...fcParams, numRuns: fcParams.numRuns * 5 },
    );
  });
});
