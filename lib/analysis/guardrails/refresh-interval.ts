/** `refresh-interval`: a secret's effective refresh interval is outside the bounds, or it never refreshes. */
import type { Environment } from '../../model/environment.js';
import { parseGoDuration } from '../../model/validation.js';
import { SharedSecret } from '../../secrets/shared-secret.js';
import { effectiveRefreshInterval } from '../../resolve/refresh.js';
import type { RuleContext } from './context.js';
import { optOutHint, q } from './format.js';
import type { RawFinding } from './model.js';

export function refreshInterval({ root, placement, settings, min, max }: RuleContext): RawFinding[] {
  if (Number.isNaN(min) || Number.isNaN(max)) return [];
  const out: RawFinding[] = [];
  for (const secret of SharedSecret.all(root)) {
    if (!secret.store?.planes || !secret.store.namespaces) continue;
    const value = effectiveRefreshInterval(secret, placement);
    const ms = parseGoDuration(value);
    if (ms === undefined) continue;
    const envDefaults = [
      ...new Set(
        placement
          .ofSecret(secret)
          .map((r) => r.plane.environment)
          .filter((e): e is Environment => e !== undefined)
          .map((e) => `${e.name}: ${e.refreshInterval}`),
      ),
    ];
    const from =
      secret.refreshInterval !== undefined
        ? 'refreshInterval'
        : `the default of its environments (${envDefaults.join(', ') || 'none: 1h'})`;
    const bounds = `${settings.minRefreshInterval}..${settings.maxRefreshInterval}`;
    let why: string | undefined;
    if (secret.refreshPolicy === 'CreatedOnce' || secret.refreshPolicy === 'OnChange')
      why = `refreshPolicy "${secret.refreshPolicy}" never re-reads the backend, so a rotated secret is never picked up`;
    else if (ms === 0) why = `refreshInterval ${q(value)} (from ${from}) reads the backend once, so a rotated secret is never picked up`;
    else if (ms < min)
      why = `refreshInterval ${q(value)} (from ${from}) is shorter than ${q(settings.minRefreshInterval)}: every plane polls the backend that often (API cost, throttling)`;
    else if (ms > max)
      why = `refreshInterval ${q(value)} (from ${from}) is longer than ${q(settings.maxRefreshInterval)}: a rotated or revoked secret stays in the planes that long`;
    if (!why) continue;
    out.push({
      rule: 'refresh-interval',
      severity: 'error',
      path: secret.node.path,
      subject: `refresh-interval:${secret.node.path}`,
      message: `secret "${secret.name}": ${why}. Fix: a refreshInterval within ${bounds} with refreshPolicy "Periodic" (or change the bounds with Guardrails.configure(app, { minRefreshInterval, maxRefreshInterval })); or opt out: ${optOutHint('refresh-interval', secret.node.path)}.`,
      paths: [secret.node.path],
    });
  }
  return out;
}
