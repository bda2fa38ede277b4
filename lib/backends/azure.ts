/**
 * Access model of Azure Key Vault. Objects are named `<kind>/<name>` inside a vault (`secrets/`,
 * `keys/`, `certificates/`); vault and object names are case-insensitive, and a vault is named by
 * its resource id or its URL. Key Vault RBAC cannot scope a search below the vault, so a find
 * reads the whole vault's secrets. A certificate `<name>` comes with a secret and a key of its name
 * (the secret holds its private key): one name across the three kinds. A key `<name>` may be such a
 * certificate's key (nothing in the model says it is not), so it is that one name too.
 */
import { regexpLiteralPrefix } from '../private/regexp.js';
import { PROBE, findText, type BackendAccessModel, type NameSpace } from './backend.js';

/** What the Key Vault access model reads from a provider. */
export interface KeyVaultBackendProps {
  /** Vault name (from its URL). */
  readonly vaultName: string;
  /** The vault as IAM scopes name it: its resource id when known, else its URL. */
  readonly base: string;
  readonly description: string;
}

const KINDS: Record<string, string> = { secret: 'secrets', key: 'keys', cert: 'certificates' };
const KV_NAME_CHAR = /^[A-Za-z0-9-]$/;

/** The object a remote key names, `<secrets|keys|certificates>/<name>` (lower case). */
export function keyVaultObject(key: string): string {
  const m = /^(secret|key|cert)\/(.*)$/.exec(key);
  return (m ? `${KINDS[m[1]]}/${m[2]}` : `secrets/${key}`).toLowerCase();
}

/** The access model of a Key Vault store. */
export function keyVaultModel(p: KeyVaultBackendProps): BackendAccessModel {
  const space: NameSpace = { service: 'azure-keyvault', parts: [p.vaultName.toLowerCase()] };
  const base = p.base.replace(/\/+$/, '');
  const low = (s: string): string => s.toLowerCase();
  return {
    cloud: 'azure',
    description: p.description,
    resolveKey(key) {
      const object = keyVaultObject(key);
      const m = /^(secret|key|cert)\/(.*)$/.exec(key);
      const resource = m ? `${base}/${KINDS[m[1]]}/${m[2]}` : `${base}/secrets/${key}`;
      if (m?.[1] !== 'cert' && m?.[1] !== 'key') {
        return { kind: 'key', ref: key, resource, samples: [resource], needs: (x) => low(x) === low(resource), space, names: [object] };
      }
      // A certificate is also a secret and a key of its name (Key Vault creates both with it): its
      // secret holds the private key, so whoever reads `secrets/<name>` reads the certificate's key.
      // A key may be a certificate's: the secret of its name may hold its private key.
      const name = m[2];
      const samples = [resource, `${base}/secrets/${name}`];
      return {
        kind: 'key',
        ref: key,
        resource,
        samples,
        needs: (x) => samples.some((s) => low(x) === low(s)),
        space,
        names: ['certificates', 'secrets', 'keys'].map((k) => `${k}/${name.toLowerCase()}`),
      };
    },
    resolveFind(f) {
      const start = typeof f.nameRegexp === 'string' ? regexpLiteralPrefix(f.nameRegexp, KV_NAME_CHAR) : '';
      return {
        kind: 'find',
        ref: findText(f),
        resource: `${base}/secrets/*`,
        samples: [`${base}/secrets/${start}${PROBE}`],
        needs: (x) => low(x).startsWith(`${low(base)}/secrets/`),
        space,
        prefix: `secrets/${start.toLowerCase()}`,
      };
    },
  };
}
