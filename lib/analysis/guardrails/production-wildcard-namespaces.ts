/** `production-wildcard-namespaces`: a store that reaches a production plane selects namespaces with a wildcard selector. */
import type { LabelSelector } from '../../model/selectors.js';
import { SecretStore } from '../../stores/secret-store.js';
import type { RuleContext } from './context.js';
import { optOutHint, planesText, q } from './format.js';
import type { RawFinding } from './model.js';

/**
 * Whether a label selector is a wildcard: broader than exact names or exact labels. A selector is
 * exact when it has at least one `matchLabels` pair or `In` requirement and every requirement is
 * `In`; `{}` (matches everything) and any `NotIn`, `Exists` or `DoesNotExist` requirement make it a
 * wildcard, since they also match namespaces nobody listed (e.g. every namespace without a label).
 */
export function isWildcardSelector(s: LabelSelector): boolean {
  const labels = Object.keys(s.matchLabels ?? {}).length;
  const exprs = s.matchExpressions ?? [];
  if (exprs.some((e) => e.operator !== 'In')) return true;
  return labels === 0 && exprs.length === 0;
}

export function productionWildcardNamespaces({ root, placement }: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const s of SecretStore.all(root)) {
    if (!s.namespaces) continue;
    const prodPlanes = placement
      .ofStore(s)
      .filter((r) => r.plane.environment?.production)
      .map((r) => r.plane.name);
    if (prodPlanes.length === 0) continue;
    const wild = (s.namespaces.toSelector().labelSelectors ?? []).filter(isWildcardSelector);
    if (wild.length === 0) continue;
    out.push({
      rule: 'production-wildcard-namespaces',
      severity: 'error',
      path: s.node.path,
      subject: `production-wildcard-namespaces:${s.node.path}`,
      message: `store "${s.name}" reaches production ${planesText(prodPlanes)} and selects namespaces with the wildcard selector ${wild.map((w) => q(w)).join(', ')}, which also matches namespaces nobody listed (created later, or labelled by their owners). Fix: Namespaces.named(...) or exact labels ({ matchLabels: {...} } or the In operator); or opt out: ${optOutHint('production-wildcard-namespaces', s.node.path)}.`,
      paths: [s.node.path],
    });
  }
  return out;
}
