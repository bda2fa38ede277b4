/**
 * Azure ground truth from the emitted documents, with the documented semantics of Microsoft Entra
 * workload identity federation and Key Vault authorization:
 *
 * - a managed identity is one principal (its resource id, case-insensitive), whatever Space's or
 *   cluster's files describe it; its federated credentials are the union of all of them;
 * - a plane can get a token of every managed identity with a federated credential whose issuer is
 *   its Space's AKS issuer (exactly), whose subject is its controller's service account and whose
 *   audiences include `api://AzureADTokenExchange` (the caller picks the client id of the exchange);
 * - an identity reads a Key Vault secret when a role assignment to it (by object id, or the ARM
 *   expression that reads it) of a role with the `secrets/getSecret` data action is scoped to the
 *   secret, its vault or an ancestor scope (case-insensitive), or when an access policy of the
 *   vault for it grants secret `get`;
 * - a certificate `<name>` is created with a key and a secret of its name, and that secret holds
 *   the certificate's private key (Key Vault: "Composition of a Certificate"): the identity reads
 *   the certificate when it reads the secret `<name>` as above, and also when a role that reads
 *   certificates (keys) is assigned to it on `certificates/<name>` (`keys/<name>`) or an ancestor
 *   scope, or an access policy grants certificate (key) `get`: what ESO fetches for `cert/<name>`
 *   (`key/<name>`) is part of the same remote secret.
 */
import type { Artifacts } from './artifacts.js';
import type { Concrete } from './universe.js';
import { CONTROLLER_SA, aksIssuer, vaultResourceId, vaultUrl, type WorldPlane } from './world.js';

/** Built-in roles that read secret values: Key Vault Secrets User, Secrets Officer, Administrator. */
const SECRET_READERS = new Set([
  '4633458b-17de-408a-b874-0445c86b69e6',
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  '00482a5a-887f-4fb3-b363-3b7fe8e74483',
]);
/** Built-in roles that read certificates: Administrator, Reader (public parts), Certificates Officer, Certificate User. */
const CERTIFICATE_READERS = new Set([
  '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  '21090545-7ca7-4776-b22c-e363652d74d2',
  'a4417e6f-fecd-4de8-b567-7b0420556985',
  'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
]);
/** Built-in roles that read keys: Administrator, Reader (public parts), Crypto Officer, Crypto User, Certificate User. */
const KEY_READERS = new Set([
  '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  '21090545-7ca7-4776-b22c-e363652d74d2',
  '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
  '12338af0-0e69-4776-bea7-57ae8d297424',
  'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
]);
/** The roles that read each collection of a vault, and the access policy permission that does. */
const COLLECTIONS = [
  { kind: 'secrets', roles: SECRET_READERS, policy: 'secrets' },
  { kind: 'certificates', roles: CERTIFICATE_READERS, policy: 'certificates' },
  { kind: 'keys', roles: KEY_READERS, policy: 'keys' },
] as const;
const AUDIENCE = 'api://AzureADTokenExchange';

interface Identity {
  readonly id: string;
  /** Texts that stand for its object id in assignments and policies: the id, and the ARM expression. */
  readonly aliases: ReadonlySet<string>;
  readonly owners: ReadonlySet<string>;
}

function lower(x: unknown): string {
  return String(x ?? '').toLowerCase();
}

export class AzureTruth {
  private readonly identities = new Map<string, Identity & { aliases: Set<string>; owners: Set<string> }>();

  public constructor(
    private readonly artifacts: Artifacts,
    private readonly all: readonly Concrete[],
  ) {
    for (const docs of artifacts.azure) {
      const id = lower(docs.identity.resourceId);
      if (!id) continue;
      const identity = this.identities.get(id) ?? { id, aliases: new Set<string>(), owners: new Set<string>() };
      const lookup = docs.identity.principalIdLookup as { armExpression?: string } | undefined;
      for (const a of [docs.identity.principalId, lookup?.armExpression]) if (typeof a === 'string') identity.aliases.add(lower(a));
      identity.owners.add(docs.owner.dir);
      this.identities.set(id, identity);
    }
  }

  /** Owner directories whose files describe the identity. */
  public owners(id: string): ReadonlySet<string> {
    return this.identities.get(id)?.owners ?? new Set();
  }

  /** Managed identities a plane's controller can get a token of. */
  public identitiesOf(plane: WorldPlane): string[] {
    if (plane.space.cloud !== 'azure') return [];
    const issuer = aksIssuer(plane.space);
    const subject = `system:serviceaccount:${plane.hostNamespace}:${CONTROLLER_SA}`;
    const out = new Set<string>();
    for (const docs of this.artifacts.azure) {
      const trusted = docs.federatedCredentials.some(
        (f) => f.issuer === issuer && f.subject === subject && Array.isArray(f.audiences) && f.audiences.includes(AUDIENCE),
      );
      if (trusted) out.add(lower(docs.identity.resourceId));
    }
    return [...out];
  }

  /** The Key Vault secrets an identity reads. */
  public reads(id: string): Set<string> {
    const identity = this.identities.get(id);
    const out = new Set<string>();
    if (!identity) return out;
    const mine = (x: unknown): boolean => identity.aliases.has(lower(x));
    const assignments = this.artifacts.azure.flatMap((d) => d.roleAssignments).filter((a) => mine(a.principalId));
    const policies = this.artifacts.azure.flatMap((d) => d.accessPolicies).filter((p) => mine(p.objectId));
    for (const c of this.all) {
      const b = c.remote.backend;
      if (b.kind !== 'kv') continue;
      // A plain secret is one object; a certificate is also the key and the secret of its name.
      const collections = COLLECTIONS.filter((x) => x.kind === 'secrets' || c.remote.certificate === true);
      const byRole = collections.some(({ kind, roles }) => {
        const object = lower(`${vaultResourceId(b.vault)}/${kind}/${c.remote.name}`);
        return assignments.some((a) => {
          const role = lower(a.roleDefinitionId).split('/').pop() ?? '';
          const scope = lower(a.scope).replace(/\/+$/, '');
          return roles.has(role) && (object === scope || object.startsWith(`${scope}/`));
        });
      });
      const byPolicy = policies.some((p) => {
        const vault =
          lower(p.resourceId) === lower(vaultResourceId(b.vault)) || lower(p.vaultUrl).replace(/\/+$/, '') === lower(vaultUrl(b.vault));
        const perms = (p.permissions ?? {}) as Record<string, unknown>;
        return vault && collections.some(({ policy }) => Array.isArray(perms[policy]) && perms[policy].map(lower).includes('get'));
      });
      if (byRole || byPolicy) out.add(c.id);
    }
    return out;
  }
}
