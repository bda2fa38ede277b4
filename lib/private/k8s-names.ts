/**
 * The Kubernetes name rules (RFC 1123 DNS labels and subdomains, label names), defined once: the
 * model's checks (model/validation.ts, with their messages) and every generated name use them.
 */
import { shortHash } from './hash.js';

/** Longest DNS label (namespace and most object names). */
export const DNS_LABEL_MAX = 63;
/** Longest DNS subdomain (Secret, ConfigMap and cluster-scoped object names). */
export const DNS_SUBDOMAIN_MAX = 253;
/** Longest label name and label value. */
export const LABEL_NAME_MAX = 63;

/** A DNS label's characters: lowercase letters, digits and '-', starting and ending with a letter or digit. */
export const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A label name's characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit. */
export const LABEL_NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Whether `s` is an RFC 1123 DNS label (1 to 63 characters). */
export function isDnsLabel(s: string): boolean {
  return s.length >= 1 && s.length <= DNS_LABEL_MAX && DNS_LABEL_RE.test(s);
}

/** Whether `s` is an RFC 1123 DNS subdomain: at most 253 characters of dot-separated DNS labels. */
export function isDnsSubdomain(s: string): boolean {
  return s.length >= 1 && s.length <= DNS_SUBDOMAIN_MAX && s.split('.').every(isDnsLabel);
}

/** Whether `s` is a label name (the part after an optional `prefix/` of a label key). */
export function isLabelName(s: string): boolean {
  return s.length >= 1 && s.length <= LABEL_NAME_MAX && LABEL_NAME_RE.test(s);
}

/**
 * A Kubernetes object name (lowercase letters, digits and '-', at most `max` characters) derived from
 * free text; text cut to fit ends in `-<hash>` of the whole text, so names stay unique and stable.
 */
export function k8sName(text: string, max = DNS_SUBDOMAIN_MAX): string {
  const clean =
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x';
  if (clean.length <= max) return clean;
  const hash = shortHash(text);
  return `${clean.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}
