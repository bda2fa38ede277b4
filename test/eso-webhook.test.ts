/**
 * ESO's admission webhook rules (external-secrets v2.9, `externalsecret_validator.go`) are enforced
 * at synth for every target that renders an ExternalSecret spec: a Spaces SharedSecret, a plain
 * ESO ExternalSecret / ClusterExternalSecret and a Sveltos distribution. Each refused model names
 * the construct, the values and the fix, and nothing is written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  SharedSecret,
  TopologyApp,
  type DataFromSource,
  type SecretTarget,
} from '../lib/index.js';
import { checkDataFromEntry, checkPolicyCombination } from '../lib/secrets/eso-webhook.js';
import { minimal } from './fixtures/topologies.js';
import { problems } from './support/compile.js';

const CREATION = ['Owner', 'Orphan', 'Merge', 'None'] as const;
const DELETION = ['Delete', 'Merge', 'Retain'] as const;

/** ESO's `validatePolicies`, transcribed as the oracle. */
function esoRefuses(creation: string, deletion: string): boolean {
  return (deletion === 'Delete' && (creation === 'Merge' || creation === 'None')) || (deletion === 'Merge' && creation === 'None');
}

/** A Spaces SharedSecret with `target` / `dataFrom` beside the minimal topology. */
function spacesSecret(target: SecretTarget, dataFrom?: readonly DataFromSource[]) {
  return (app: TopologyApp) => {
    const t = minimal(app);
    new SharedSecret(t.group, 'extra', {
      store: t.store,
      target,
      ...(dataFrom ? { dataFrom } : { data: [{ secretKey: 'k', remoteKey: 'prod/extra' }] }),
    });
  };
}

/** A plain ESO ExternalSecret (namespaced) or ClusterExternalSecret with `target` / `dataFrom`. */
function esoSecret(target: SecretTarget, dataFrom?: readonly DataFromSource[], cluster = false) {
  return (app: TopologyApp) => {
    const c = new EsoCluster(app, 'c', { cloud: 'aws', roleArn: 'arn:aws:iam::111122223333:role/eso' });
    const store = new EsoSecretStore(c, 'sm', { provider: new AwsSecretsManager({ region: 'eu-central-1', accountId: '111122223333' }) });
    new EsoExternalSecret(c, 'es', {
      store,
      ...(cluster ? { namespaces: undefined, namespace: undefined } : { namespace: 'team-a' }),
      target,
      ...(dataFrom ? { dataFrom } : { data: [{ secretKey: 'k', remoteKey: 'prod/extra' }] }),
    });
  };
}

describe('ESO webhook: creationPolicy x deletionPolicy', () => {
  it.each([
    ['Merge', 'Delete'],
    ['None', 'Delete'],
    ['None', 'Merge'],
  ] as const)('refuses creationPolicy %s with deletionPolicy %s on a SharedSecret, naming the fix', (creation, deletion) => {
    const p = problems(spacesSecret({ creationPolicy: creation, deletionPolicy: deletion }));
    expect(p).toHaveLength(1);
    expect(p[0]).toContain('eks/platform/extra: target: ');
    expect(p[0]).toContain(`creationPolicy "${creation}" with deletionPolicy "${deletion}" is refused by ESO's webhook`);
    expect(p[0]).toMatch(/: set (creationPolicy|deletionPolicy) "/);
  });

  it.each([
    ['Merge', 'Delete'],
    ['None', 'Delete'],
    ['None', 'Merge'],
  ] as const)('refuses creationPolicy %s with deletionPolicy %s on a plain ESO ExternalSecret', (creation, deletion) => {
    const p = problems(esoSecret({ creationPolicy: creation, deletionPolicy: deletion }));
    expect(p.some((m) => m.startsWith('c/es: target: ') && m.includes("refused by ESO's webhook"))).toBe(true);
  });

  it('matches ESO for every combination, also when a policy is left to its default (Owner, Retain)', () => {
    const values = [undefined, ...CREATION];
    for (const creation of values)
      for (const deletion of [undefined, ...DELETION]) {
        const refused = esoRefuses(creation ?? 'Owner', deletion ?? 'Retain');
        expect(checkPolicyCombination(creation, deletion) !== undefined, `${creation}/${deletion}`).toBe(refused);
      }
  });

  it('compiles every accepted combination into the SharedExternalSecret as given', () => {
    for (const creation of CREATION)
      for (const deletion of DELETION) {
        if (esoRefuses(creation, deletion)) continue;
        expect(problems(spacesSecret({ creationPolicy: creation, deletionPolicy: deletion })), `${creation}/${deletion}`).toEqual([]);
      }
  });
});

describe('ESO webhook: one source per dataFrom entry', () => {
  const both = { extract: { key: 'prod/db' }, find: { nameRegexp: '^prod/' } } as unknown as DataFromSource;

  it('refuses an entry with both extract and find instead of dropping the find', () => {
    const p = problems(spacesSecret({}, [both])).filter((m) => m.startsWith('eks/platform/extra:'));
    expect(p).toEqual([
      `eks/platform/extra: dataFrom[0] sets both extract and find, which ESO's webhook refuses ("extract, find, or generatorRef cannot be set at the same time"): split it into two dataFrom entries, { extract: {...} } and { find: {...} }.`,
    ]);
  });

  it('refuses it on a plain ESO ExternalSecret too, at its index', () => {
    const p = problems(esoSecret({}, [{ extract: { key: 'prod/a' } }, both]));
    expect(p.filter((m) => m.includes('dataFrom[1] sets both extract and find'))).toHaveLength(1);
    expect(p.filter((m) => m.includes('dataFrom[0]'))).toEqual([]);
  });

  it('refuses the variants: an empty find or extract beside the other, null, arrays and non-objects', () => {
    for (const entry of [
      { extract: { key: 'prod/db' }, find: {} },
      { extract: {}, find: { nameRegexp: 'x' } },
      { extract: null, find: { nameRegexp: 'x' } },
    ])
      expect(checkDataFromEntry(entry, 0), JSON.stringify(entry)).toContain('sets both extract and find');
    for (const entry of [null, [], 'extract', 3, {}, { extract: 'prod/db' }, { find: [] }, { find: null }, { other: {} }])
      expect(checkDataFromEntry(entry, 2), JSON.stringify(entry)).toBe('dataFrom[2] must be { extract: {...} } or { find: {...} }.');
  });

  it('accepts one source; a second member present as undefined counts as set (the model reads members with `in`)', () => {
    expect(checkDataFromEntry({ extract: { key: 'a' } }, 0)).toBeUndefined();
    expect(checkDataFromEntry({ find: { nameRegexp: 'a' } }, 0)).toBeUndefined();
    expect(checkDataFromEntry({ extract: { key: 'a' }, find: undefined }, 0)).toContain('sets both extract and find');
    const p = problems(spacesSecret({}, [{ extract: undefined, find: { nameRegexp: '^prod/' } }]));
    expect(p).toEqual([expect.stringContaining('dataFrom[0] sets both extract and find')]);
  });

  it('property: an entry is accepted exactly when one of extract and find is a plain object and the other is absent', () => {
    const member = fc.oneof(
      fc.constant(undefined),
      fc.constant('absent'),
      fc.constant(null),
      fc.constant({}),
      fc.constant({ key: 'k' }),
      fc.constant([]),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(member, member, (extract, find) => {
        const entry: Record<string, unknown> = {};
        if (extract !== 'absent') entry.extract = extract;
        if (find !== 'absent') entry.find = find;
        const isObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
        const ok = (extract === 'absent') !== (find === 'absent') && isObject(extract === 'absent' ? find : extract);
        expect(checkDataFromEntry(entry, 0) === undefined).toBe(ok);
      }),
    );
  });
});
