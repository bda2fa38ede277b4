/**
 * Grants of a principal wider than the secrets that need them (the `wide-iam-grant` guardrail):
 * - `read` or `write` grants that no secret needs (`neededBy` empty); every `write` grant that no
 *   secret needs (shared secrets only read);
 * - unconditional `read` grants matching a resource (a probe, wildcards replaced by a name no
 *   secret uses) that none of the secrets in `neededBy` reads: `*`, `secret:*`, a project-level GCP
 *   binding, an Azure scope above a vault, or a vault-wide Key Vault scope unless the vault uses
 *   access policies (which cannot be narrower) or a `dataFrom.find` needs the vault;
 * - `list` grants when no secret of the principal's stores uses `dataFrom.find`;
 * - `decrypt` grants on `*` (name the KMS keys).
 */
import type { Construct } from 'constructs';
import { PROBE } from '../backends/backend.js';
import { azureScopeCovers, canonicalVault, evaluateGcpCondition, grantMatches, probeOf } from '../backends/grants.js';
import type { AccessGrant, CloudPrincipal, IdentityFacts } from '../identity/plan.js';
import { cmp } from '../private/order.js';
import { AzureKeyVault } from '../stores/azure.js';
import type { SecretStoreProvider } from '../stores/provider.js';
import { SecretStore } from '../stores/secret-store.js';
import { EsoCluster } from '../eso/cluster.js';
import type { Remotes } from './remotes.js';

/** Why a grant is wider than the secrets need. */
export interface WideGrant {
  readonly principal: CloudPrincipal;
  readonly grant: AccessGrant;
  /** A resource the grant matches that no secret needing it reads (a probe), if that is the reason. */
  readonly example?: string;
  /** Plain reason. */
  readonly reason: string;
}

/** Every grant of every published principal that is wider than what its secrets need. */
export function wideGrants(root: Construct, identity: IdentityFacts, remotes: Remotes): WideGrant[] {
  const providers = new Map<string, SecretStoreProvider | undefined>();
  for (const s of SecretStore.all(root)) providers.set(s.node.path, s.provider);
  for (const c of EsoCluster.all(root)) for (const s of c.stores) providers.set(s.node.path, s.provider);
  const findStores = new Set(remotes.items.filter((i) => i.resource.kind === 'find').map((i) => i.store.path));
  const out: WideGrant[] = [];
  for (const pr of [...identity.principals].sort((a, b) => cmp(a.id, b.id))) {
    const anyFind = pr.stores.some((s) => findStores.has(s));
    for (const g of pr.grants) {
      const why = wideReason(pr, g, anyFind, remotes, providers);
      if (why) out.push({ principal: pr, grant: g, ...why });
    }
  }
  return out;
}

function wideReason(
  pr: CloudPrincipal,
  g: AccessGrant,
  anyFind: boolean,
  remotes: Remotes,
  providers: ReadonlyMap<string, SecretStoreProvider | undefined>,
): { reason: string; example?: string } | undefined {
  if (g.access === 'write')
    return g.neededBy.length === 0 ? { reason: 'shared secrets only read: no secret needs write access' } : undefined;
  if (g.access === 'list')
    return !anyFind && g.neededBy.length === 0
      ? { reason: 'listing is only needed for dataFrom.find, which no secret of its stores uses' }
      : undefined;
  if (g.access === 'decrypt')
    return g.resource === '*' ? { example: '*', reason: 'decrypt on every key: name the KMS key ARNs (kmsKeyArns) instead' } : undefined;
  if (g.neededBy.length === 0) return { reason: 'no secret needs it (neededBy is empty)' };
  if (g.access === 'assume') return undefined;
  const conditional = g.condition !== undefined && g.condition.trim() !== '';
  const probes = [probeOf(pr.cloud, g.resource, conditional)];
  if (conditional && g.condition !== undefined) {
    // Conditions the analysis cannot evaluate are given the benefit of the doubt.
    if (pr.cloud !== 'gcp' || evaluateGcpCondition(g.condition, []) === undefined) return undefined;
    for (const m of g.condition.matchAll(/resource\.name\.startsWith\(\s*["']([^"']*)["']\s*\)/g)) probes.push(`${m[1]}${PROBE}`);
  }
  const refs = g.neededBy.flatMap((p) => remotes.bySecret.get(p) ?? []).map((i) => i.resource);
  const probe = probes.find((x) => grantMatches(pr.cloud, g, x).matches && !refs.some((r) => r.needs(x)));
  if (probe === undefined) return undefined;
  if (pr.cloud === 'azure' && isVaultScope(g.resource)) {
    const accessPolicyVault = pr.stores
      .map((p) => providers.get(p))
      .some(
        (p) =>
          p instanceof AzureKeyVault &&
          p.authorization === 'access-policy' &&
          azureScopeCovers(g.resource, `${p.resourceId ?? p.vaultUrl.replace(/\/+$/, '').toLowerCase()}/secrets/x`),
      );
    if (accessPolicyVault) return undefined;
  }
  return { example: probe, reason: `it also matches ${probe}, which no secret in neededBy reads` };
}

function isVaultScope(scope: string): boolean {
  const c = canonicalVault(scope);
  return c !== undefined && !c.includes('/');
}
