/**
 * One client id, one managed identity: the pods of a Space or ESO cluster present the client id of
 * their Azure identity (`azure.workload.identity/client-id`), and Entra ID exchanges their token for
 * that identity, whatever resource id or name the model gives it. The same client id (or principal
 * id) with two different identity resource ids, or one resource id with two client ids, means the
 * model describes one identity twice and its federated credentials and role assignments in two
 * places that cannot both be right. The access analysis keys managed identities by client id; this
 * makes the contradiction a problem of the access analysis, naming both owners and the fix.
 */
import type { Problem } from '../../model/errors.js';
import { EsoCluster } from '../../eso/cluster.js';
import { AzureIdentity } from '../../model/space-identity.js';
import { Space } from '../../model/space.js';
import { cmp } from '../../private/order.js';
import type { RuleContext } from './context.js';
import { quoteValue } from '../../private/terminal.js';

interface Use {
  readonly owner: string;
  readonly path: string;
  readonly identity: AzureIdentity;
}

export function azureIdentityConflicts({ root }: RuleContext): Problem[] {
  const uses: Use[] = [
    ...Space.all(root).map((s) => ({ owner: `Space "${s.name}"`, path: s.node.path, identity: s.identity })),
    ...EsoCluster.all(root).map((c) => ({ owner: `ESO cluster "${c.name}"`, path: c.node.path, identity: c.identity })),
  ].filter((u): u is Use => u.identity instanceof AzureIdentity);
  const out: Problem[] = [];
  const check = (what: string, keyOf: (u: Use) => unknown, other: string, otherOf: (u: Use) => string): void => {
    const by = new Map<string, Use[]>();
    for (const u of uses) {
      const k = keyOf(u);
      if (typeof k !== 'string' || k === '') continue;
      by.set(k.toLowerCase(), [...(by.get(k.toLowerCase()) ?? []), u]);
    }
    for (const [k, list] of [...by].sort(([a], [b]) => cmp(a, b))) {
      const values = [...new Set(list.map((u) => otherOf(u).toLowerCase()))];
      if (values.length < 2) continue;
      out.push({
        path: list[0].path,
        message: `Azure ${what} ${quoteValue(k, 300)} is given with different ${other}s: ${list.map((u) => `${u.owner} (${quoteValue(otherOf(u), 300)})`).join(', ')}. A ${what} names one managed identity, so the pods of all of them act as one identity, with every federated credential and role assignment the output gives it under either name. Fix: use one identity per Space or ESO cluster, each with its own ${what}, or describe the shared identity identically (same subscription, resource group and identityName) everywhere.`,
      });
    }
  };
  check(
    'clientId',
    (u) => u.identity.props.clientId,
    'identity resource id',
    (u) => u.identity.resourceId,
  );
  check(
    'principalId',
    (u) => u.identity.props.principalId,
    'identity resource id',
    (u) => u.identity.resourceId,
  );
  check(
    'identity resource id',
    (u) => u.identity.resourceId,
    'clientId',
    (u) => String(u.identity.props.clientId),
  );
  return out;
}
