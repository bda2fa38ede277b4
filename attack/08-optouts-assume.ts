/**
 * Opt-outs and assumptions that should not cover production, and the bypass/namespace classes (3, 8).
 *  a) Guardrails.allow(devGroup, 'cross-environment') on a dev plane reading a prod secret: production rule still fires?
 *  b) Guardrails.allow(prodStore, ['cross-environment', 'production-secret-outside-production']) placed by the prod
 *     store's author covers a dev plane reading it: recorded, exit 0 (by design) — what does REPORT.md say?
 *  c) Guardrails.assume(app, 'store-selectors-enforced') + a prod static-credential store whose selector matches
 *     a dev plane by a label the dev plane carries: still flagged (delivered)?
 *  d) both assumptions + a prod-credential store whose namespace selector matches a namespace the dev plane
 *     declares: flagged?
 *  e) assumption named with odd spacing / case ("Store-Selectors-Enforced"): refused?
 *  f) allow() with the rule in a different case ("Cross-Environment"): refused?
 */
import {
  Group,
  Guardrails,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  StaticCredentials,
  type TopologyApp,
} from '../lib/index.js';
import { report } from './harness.js';
import { APPS, envs, sm, twoPlanes } from './fixtures.js';

const prodKeys = () => sm({ credentials: StaticCredentials.awsAccessKey({ secretName: 'prod-keys' }) });
const base =
  (after: (app: TopologyApp, g: Group, store: SecretStore) => void, storeProps: Record<string, unknown> = {}, planeOpts = {}) =>
  (app: TopologyApp) => {
    const e = envs(app);
    const g = new Group(new Space(app, 'aws', { cloud: 'aws' }), 'g');
    twoPlanes(g, e, 1, planeOpts);
    const s = new SecretStore(g, 'prod', {
      namespaces: APPS,
      provider: prodKeys(),
      planes: Planes.inEnvironments(e.prod),
      ...storeProps,
    } as never);
    new SharedSecret(g, 'db', { store: s, data: [{ secretKey: 'k', remoteKey: 'prod/db' }] });
    after(app, g, s);
  };

report(
  '08a cross-environment opted out on the group; dev plane reads a prod secret',
  'still refused by production-secret-outside-production',
  base((app, g) => Guardrails.allow(g, 'cross-environment', 'legacy shared group')),
);
const b = report(
  '08b both rules opted out on the prod store',
  'exit 0, recorded in REPORT.md (by design)',
  base((app, g, s) => Guardrails.allow(s, ['cross-environment', 'production-secret-outside-production'], 'prod team accepts')),
);
if (b.compilation) {
  const md = b.compilation.files.get('REPORT.md') ?? '';
  console.log(
    md
      .split('\n')
      .filter((l) => /opt-out|covered|readable across/i.test(l))
      .slice(0, 8)
      .join('\n'),
  );
}
report(
  '08c store-selectors-enforced; prod store selector also matches the dev plane (shared label)',
  'flagged (delivered)',
  base(
    (app) => Guardrails.assume(app, 'store-selectors-enforced', 'our Spaces build checks selectors'),
    { planes: Planes.matching({ matchLabels: { tier: 'db' } }) },
    { dev: { labels: { tier: 'db' } }, prod: { labels: { tier: 'db' } } },
  ),
);
report(
  '08d both assumptions; prod store namespace selector matches a namespace the dev plane declares (not projected there by planes)',
  'clean (store not projected into the dev plane)',
  base(
    (app) => {
      Guardrails.assume(app, 'store-selectors-enforced', 'checked');
      Guardrails.assume(app, 'declared-namespaces-only', 'policy engine');
    },
    { namespaces: Namespaces.matching({ matchLabels: { secure: 'true' } }) },
    {
      dev: { namespaces: [{ name: 'apps', labels: { secure: 'true' } }] },
      prod: { namespaces: [{ name: 'apps', labels: { secure: 'true' } }] },
    },
  ),
);
report(
  '08e assumption id in another case',
  'refused',
  base((app) => Guardrails.assume(app, 'Store-Selectors-Enforced' as never, 'x')),
);
report(
  '08f opt-out rule id in another case',
  'refused',
  base((app, g) => Guardrails.allow(g, 'Cross-Environment' as never, 'x')),
);
report(
  '08g opt-out on the Environment construct of prod (declared-scope atoms carry env path)',
  'covers only declared-scope atoms?',
  base((app) => {
    const prod = app.node.findChild('prod');
    Guardrails.allow(prod, ['cross-environment', 'production-secret-outside-production'], 'owner of prod accepts');
  }),
);
