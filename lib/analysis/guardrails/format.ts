/** Message pieces shared by the guardrail rules. */
import type { AccessPath } from '../access.js';
import type { RuleId } from './model.js';
import { quoteValue } from '../../private/terminal.js';

/** A value as messages quote it: the one quoting helper (JSON, shortened, terminal-safe). */
export const q = quoteValue;

/** How to opt out of `rule` on a construct. */
export function optOutHint(rule: RuleId, scopePath: string): string {
  return `Guardrails.allow(<construct "${scopePath || '(app)'}">, '${rule}', '<why this is acceptable>')`;
}

/** `1 store`, `2 stores`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `plane a` or `planes a, b`. */
export function planesText(names: readonly string[]): string {
  return `plane${names.length === 1 ? '' : 's'} ${names.join(', ')}`;
}

/** `from any namespace`, `from namespace a`, `from namespaces a, b`. */
export function namespacesText(namespaces: readonly string[]): string {
  if (namespaces.includes('*')) return 'from any namespace';
  return `from namespace${namespaces.length === 1 ? '' : 's'} ${namespaces.join(', ')}`;
}

/** The fix for a way of reading another environment's secrets. */
export function pathFix(path: AccessPath | undefined): string {
  if (!path)
    return 'deliver it only to planes of its own environment (narrow the secret\'s or the store\'s planes), or declare which environment owns it (Environment "owns")';
  if (path.kind === 'credentials')
    return "give each environment its own credentials Secret and store in its own group (a plane can name every SharedSecretStore of its group), so a plane can only use credentials that read its own environment's secrets";
  if (path.via && path.via.length > 0)
    return `give each environment its own chained role (the store's "role"), or stop the principals of other environments from assuming ${path.principal ?? 'it'}`;
  return "give each environment its own principal (e.g. EKS Pod Identity with a role per environment, GCP principal identifiers per plane with distinct host namespaces, or a Space per environment) or narrow the principal's grants";
}
