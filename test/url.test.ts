/**
 * URLs: every prop that takes one (Argo CD repoUrl and destination servers, Flux url, chart
 * repositories of both, AWS and Azure OIDC issuers) goes through one check: the scheme it needs, a
 * host, no credentials (user-info, query) — and the problem never repeats the credential.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgoCdDelivery,
  FluxDelivery,
  Space,
  SpaceIdentity,
  TopologyApp,
  type ArgoCdDeliveryProps,
  type FluxDeliveryProps,
} from '../lib/index.js';
import { checkUrl } from '../lib/model/url.js';
import { AWS_ACCOUNT, AZURE_CLIENT, AZURE_TENANT, minimal } from './fixtures/topologies.js';
import { problems } from './support/compile.js';

const SECRET = 's3cr3t';

/** URLs that carry the credential `SECRET` somewhere an attacker (or a hurried user) would put it. */
const WITH_CREDENTIALS = [
  `https://${SECRET}@github.com/acme/platform.git`,
  `https://x-access-token:${SECRET}@github.com/acme/platform.git`,
  `https://:${SECRET}@github.com/acme/platform.git`,
  `HTTPS://${SECRET}@github.com/acme/platform.git`,
  `https://user@${SECRET}@github.com/acme/platform.git`,
  `https://github.com/acme/platform.git?private_token=${SECRET}`,
  `https://${SECRET}@github.com`,
  `http://oauth2:${SECRET}@gitlab.example.com/acme/platform.git`,
  `ssh://git:${SECRET}@github.com/acme/platform.git`,
];

function argo(props: Partial<ArgoCdDeliveryProps>) {
  return (app: TopologyApp) => {
    minimal(app);
    new ArgoCdDelivery(app, 'argocd', {
      repoUrl: 'https://github.com/acme/platform.git',
      destinations: { eks: { server: 'https://kubernetes.default.svc' } },
      ...props,
    });
  };
}

function flux(props: Partial<FluxDeliveryProps>) {
  return (app: TopologyApp) => {
    minimal(app);
    new FluxDelivery(app, 'flux', { url: 'https://github.com/acme/platform.git', targets: { eks: {} }, ...props });
  };
}

/** Every prop that takes a URL, as a model with `url` in it. */
const PROPS: readonly [string, (url: string) => (app: TopologyApp) => void][] = [
  ['Argo CD repoUrl', (url) => argo({ repoUrl: url })],
  ['Argo CD destination server', (url) => argo({ destinations: { eks: { server: url } } })],
  ['Argo CD spacesChart.repository', (url) => argo({ spacesChart: { version: '1.17.0', repository: url } })],
  ['Flux url', (url) => flux({ url })],
  ['Flux esoChart.repository', (url) => flux({ spacesChart: { version: '1.17.0', repository: url } })],
];

describe('URLs with credentials', () => {
  it.each(PROPS.flatMap(([name, build]) => WITH_CREDENTIALS.map((url) => [name, url, build] as const)))(
    '%s: refuses %s without repeating the credential',
    (_name, url, build) => {
      const p = problems(build(url));
      const mine = p.filter((m) => m.includes('user-info') || m.includes('query') || m.includes('has the scheme'));
      expect(mine.length, p.join('\n')).toBeGreaterThan(0);
      expect(p.join('\n')).not.toContain(SECRET);
    },
  );

  it('keeps the token out of the output: an Argo CD repoUrl with user-info writes nothing', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    argo({ repoUrl: `https://${SECRET}@github.com/acme/platform.git` })(app);
    expect(() => app.compile()).toThrow(/repoUrl "https:\/\/\*\*\*@github\.com\/acme\/platform\.git" carries credentials/);
  });

  it.each([
    `https://${SECRET}@oidc.example.com/id/ABC`,
    `https://oidc.example.com/id/ABC?t=${SECRET}`,
    `https://u:${SECRET}@oidc.example.com/`,
  ])('refuses the AWS and Azure OIDC issuer %s without repeating the credential', (issuer) => {
    const identities = [
      ['aws', SpaceIdentity.awsIrsa({ accountId: AWS_ACCOUNT, oidcIssuer: issuer })],
      [
        'azure',
        SpaceIdentity.azureWorkloadIdentity({
          tenantId: AZURE_TENANT,
          clientId: AZURE_CLIENT,
          oidcIssuer: issuer,
          subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
          resourceGroup: 'rg',
          identityName: 'mi',
        }),
      ],
    ] as const;
    for (const [cloud, identity] of identities) {
      const p = problems((app) => new Space(app, 'id-under-test', { cloud, identity }));
      expect(
        p.some((m) => m.startsWith('id-under-test: identity: oidcIssuer')),
        p.join('\n'),
      ).toBe(true);
      expect(p.join('\n')).not.toContain(SECRET);
    }
  });

  it('property: any user-info or query is refused and never quoted', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:-]{1,12}$/);
    fc.assert(
      fc.property(token, fc.constantFrom('https', 'http', 'oci', 'HTTPS'), fc.boolean(), (t, scheme, inQuery) => {
        const url = inQuery ? `${scheme}://host.example/p?token=${SECRET}${t}` : `${scheme}://${t}${SECRET}@host.example/p`;
        const m = checkUrl(url, 'u', { schemes: ['https', 'http', 'oci'], example: 'https://host/p' });
        expect(m).toBeDefined();
        expect(m).not.toContain(SECRET);
      }),
    );
  });
});

describe('URLs that are fine', () => {
  it.each([
    ['https://github.com/acme/platform.git', false],
    ['ssh://git@github.com/acme/platform.git', false],
    ['git@github.com:acme/platform.git', true],
    ['http://gitea.internal:3000/acme/platform.git', false],
  ])('Argo CD repoUrl %s', (url) => {
    expect(problems(argo({ repoUrl: url }))).toEqual([]);
  });

  it('Flux accepts ssh:// with a user but not the scp-like form', () => {
    expect(problems(flux({ url: 'ssh://git@github.com/acme/platform.git' }))).toEqual([]);
    expect(problems(flux({ url: 'git@github.com:acme/platform.git' })).join('\n')).toContain(
      'url "git@github.com:acme/platform.git" is not a URL',
    );
  });

  it('refuses the scheme a prop does not take, backslashes and spaces', () => {
    const rule = { schemes: ['https'] as const, example: 'https://h/p' };
    expect(checkUrl('http://h/p', 'u', { ...rule, schemes: ['https'] })).toContain('has the scheme "http"');
    expect(checkUrl('https:\\\\evil.example\\p', 'u', { ...rule, schemes: ['https'] })).toContain('"\\"');
    expect(checkUrl('https://h/p q', 'u', { ...rule, schemes: ['https'] })).toContain('a space');
    expect(checkUrl('javascript:alert(1)', 'u', { ...rule, schemes: ['https'] })).toContain('is not a URL');
    expect(checkUrl('https:///p', 'u', { ...rule, schemes: ['https'] })).toBeDefined();
    expect(checkUrl('https://h/p#frag', 'u', { ...rule, schemes: ['https'] })).toContain('fragment');
    expect(checkUrl(42, 'u', { ...rule, schemes: ['https'] })).toContain('42 is not a URL');
  });
});
