/** `wide-iam-grant`: a published identity grant is wider than the secrets that need it (see wide-grants.ts). */
import { principalKindWord } from '../access.js';
import { wideGrants } from '../wide-grants.js';
import type { RuleContext } from './context.js';
import { optOutHint, q } from './format.js';
import type { RawFinding } from './model.js';

export function wideIamGrant({ root, identity, access, spacePath, clusterPath }: RuleContext): RawFinding[] {
  return wideGrants(root, identity, access.remotes).map((w) => {
    const pr = w.principal;
    const sp = (pr.cluster ? clusterPath.get(pr.cluster.cluster) : spacePath.get(pr.space ?? '')) ?? '';
    const owner = pr.cluster ? `ESO cluster "${pr.cluster.cluster}"` : `Space "${pr.space ?? ''}"`;
    const g = w.grant;
    return {
      rule: 'wide-iam-grant',
      severity: 'error',
      path: sp,
      subject: `wide-iam-grant:${pr.id}:${g.access}:${g.resource}${g.condition ? `:${g.condition}` : ''}`,
      message: `${principalKindWord(pr.kind)} ${pr.id} (${owner}) has ${g.access} access to ${q(g.resource)}${g.condition ? ` if ${g.condition}` : ''}: ${w.reason}. Fix: grant exactly what the secrets read (Secrets Manager "…:secret:NAME-??????", Parameter Store "…:parameter/NAME", a Key Vault role assignment per secret, a GCP condition resource.name.startsWith("projects/NUMBER/secrets/ID/")), or remove the secrets' need for it; if the key holds unusual characters, name the secret exactly instead of by a pattern; or opt out: ${optOutHint('wide-iam-grant', sp)}.`,
      paths: [sp, ...pr.stores, ...g.neededBy],
    };
  });
}
