/** `credential-reuse`: one static credentials Secret (same Space, group and name) used by stores that together serve different environments. */
import { SecretStore } from '../../stores/secret-store.js';
import { cmp } from '../../private/order.js';
import type { RuleContext } from './context.js';
import { optOutHint, plural } from './format.js';
import type { RawFinding } from './model.js';

export function credentialReuse({ root, placement }: RuleContext): RawFinding[] {
  const byCred = new Map<string, SecretStore[]>();
  for (const s of SecretStore.all(root)) {
    const c = s.provider?.credentials;
    if (!c) continue;
    const k = `${s.group.space.name}/${s.group.name}/${c.secretName}`;
    byCred.set(k, [...(byCred.get(k) ?? []), s]);
  }
  const envsOf = (s: SecretStore): string[] =>
    s.environment ? [s.environment.name] : [...new Set(placement.ofStore(s).map((r) => r.plane.environment?.name ?? '(none)'))].sort();
  const out: RawFinding[] = [];
  for (const [k, stores] of [...byCred].sort(([a], [b]) => cmp(a, b))) {
    const all = new Set(stores.flatMap(envsOf));
    // One store spanning environments is a deliberate shared store (cross-environment guards its secrets).
    if (stores.length < 2 || all.size <= 1) continue;
    const sorted = [...stores].sort((a, b) => cmp(a.node.path, b.node.path));
    const first = sorted[0];
    out.push({
      rule: 'credential-reuse',
      severity: 'error',
      path: first.node.path,
      subject: `credential-reuse:${k}`,
      message: `credentials Secret "${k.split('/')[2]}" (Space "${first.group.space.name}", group "${first.group.name}") is used by ${plural(sorted.length, 'store')} serving environments ${[...all].sort().join(', ')}: ${sorted.map((s) => `"${s.name}" (${envsOf(s).join(', ')})`).join(', ')}. Anyone who can create ESO objects in one of those planes can read the other environments' secrets with it. Fix: one credentials Secret per environment (its own access key, service principal or service-account key) referenced by separate stores; or opt out: ${optOutHint('credential-reuse', first.node.path)}.`,
      paths: sorted.map((s) => s.node.path),
    });
  }
  return out;
}
