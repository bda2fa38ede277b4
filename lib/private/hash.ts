/** Short, stable digests of text: for names that must be unique and stay the same between runs. */
import { createHash } from 'node:crypto';

/** Short lowercase hex digest of `text` (SHA-256). */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** `text` cut to `max` characters, the tail replaced by `<sep><hash>` of the whole text when cut. */
export function truncateWithHash(text: string, max: number, sep = '-'): string {
  if (text.length <= max) return text;
  const hash = shortHash(text);
  return `${text.slice(0, max - hash.length - sep.length)}${sep}${hash}`;
}

/**
 * A name-based UUID (RFC 4122 layout, version 5 bits, SHA-256 digest) of `text`: stable across
 * runs, as Azure role-assignment names must be GUIDs.
 */
export function stableUuid(text: string): string {
  const h = createHash('sha256').update(text).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
