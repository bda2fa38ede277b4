import { parseGoDuration } from '../model/validation.js';
import { cmp } from '../private/order.js';
import type { SharedSecret } from '../secrets/shared-secret.js';
import type { Placement } from './placement.js';

/**
 * The refresh interval of a secret: its own, else the shortest default of the environments of the
 * planes it reaches, else `1h`.
 */
export function effectiveRefreshInterval(secret: SharedSecret, placement: Placement): string {
  if (secret.refreshInterval !== undefined) return secret.refreshInterval;
  const candidates = placement
    .ofSecret(secret)
    .map((r) => r.plane.environment?.refreshInterval)
    .filter((d): d is string => d !== undefined)
    .map((d) => ({ d, ms: parseGoDuration(d) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.ms - b.ms || cmp(a.d, b.d));
  return candidates[0]?.d ?? '1h';
}
