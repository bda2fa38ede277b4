/**
 * Warnings (risky but legal, recorded in the report): `static-credentials-production`,
 * `creation-policy-orphan`, `deletion-policy-delete`, `delivery-not-readable`.
 */
import { SharedSecret } from '../../secrets/shared-secret.js';
import { SecretStore } from '../../stores/secret-store.js';
import type { AccessEntry } from '../access.js';
import type { RuleContext } from './context.js';
import { optOutHint, planesText, q } from './format.js';
import type { RawFinding } from './model.js';

export function staticCredentialsProduction({ root, placement }: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const s of SecretStore.all(root)) {
    const c = s.provider?.credentials;
    if (!c) continue;
    const prod = placement
      .ofStore(s)
      .filter((r) => r.plane.environment?.production)
      .map((r) => r.plane.name);
    if (prod.length === 0) continue;
    const cloud =
      s.group.space.hosting === 'cloud'
        ? ' (a Cloud Space accepts only static credentials: rotate them regularly)'
        : " (use the Space's workload identity instead, or rotate them regularly)";
    out.push({
      rule: 'static-credentials-production',
      severity: 'warning',
      path: s.node.path,
      subject: `static-credentials-production:${s.node.path}`,
      message: `store "${s.name}" uses static credentials (Secret "${c.secretName}") in production ${planesText(prod)}${cloud}. Acknowledge: ${optOutHint('static-credentials-production', s.node.path)}.`,
      paths: [s.node.path],
    });
  }
  return out;
}

export function targetPolicies({ root }: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const secret of SharedSecret.all(root)) {
    if (secret.target?.creationPolicy === 'Orphan') {
      out.push({
        rule: 'creation-policy-orphan',
        severity: 'warning',
        path: secret.node.path,
        subject: `creation-policy-orphan:${secret.node.path}`,
        message: `secret "${secret.name}" has target.creationPolicy "Orphan": the Secrets stay in the planes when the secret is removed or its planes change, so removing it does not revoke it. Use "Owner"; or acknowledge: ${optOutHint('creation-policy-orphan', secret.node.path)}.`,
        paths: [secret.node.path],
      });
    }
    if (secret.target?.deletionPolicy === 'Delete') {
      out.push({
        rule: 'deletion-policy-delete',
        severity: 'warning',
        path: secret.node.path,
        subject: `deletion-policy-delete:${secret.node.path}`,
        message: `secret "${secret.name}" has target.deletionPolicy "Delete": when the remote secret is deleted or unreadable, ESO deletes the Secret in every plane (an outage if it was a mistake). Use "Retain"; or acknowledge: ${optOutHint('deletion-policy-delete', secret.node.path)}.`,
        paths: [secret.node.path],
      });
    }
  }
  return out;
}

export function deliveryNotReadable({ access }: RuleContext): RawFinding[] {
  const unreadable = new Map<string, AccessEntry[]>();
  for (const e of access.delivered()) {
    if (e.readable) continue;
    const k = `${e.plane}\u0000${e.secret}`;
    unreadable.set(k, [...(unreadable.get(k) ?? []), e]);
  }
  return [...unreadable.values()].map((list) => {
    const e = list[0];
    return {
      rule: 'delivery-not-readable',
      severity: 'warning',
      path: e.secret,
      subject: `delivery-not-readable:${e.plane}:${e.secret}`,
      message: `secret "${e.secretName}" is delivered to plane "${e.planeName}", but no principal that plane can act as may read ${list.map((x) => q(x.remote.resource)).join(', ')}: ESO will fail there. Grant the plane's principal read access (the identity stage), or narrow the secret's planes. Acknowledge: ${optOutHint('delivery-not-readable', e.secret)}.`,
      paths: [e.secret, e.planePath, e.store],
    };
  });
}
