/**
 * One check for every prop that takes a URL (Argo CD and Flux repository URLs, Argo CD destination
 * servers, Helm chart repositories, OIDC issuers): the scheme each needs, a host, and never
 * credentials. A URL with user-info (`https://token@host/...`, `https://user:password@host`) or a
 * query (`?private_token=...`) would be written into the output, i.e. into Git and the cluster, so
 * it is refused, and the message shows the URL with the user-info and query removed, never the
 * credential. Only SSH may name a user (`ssh://git@host/...`, `git@host:org/repo.git`), without a
 * password: the key authenticates.
 */
import { quoteValue } from '../private/terminal.js';

/** URL schemes the props accept. */
export type UrlScheme = 'https' | 'http' | 'ssh' | 'oci';

/** What one prop accepts. */
export interface UrlRule {
  /** Schemes accepted. */
  readonly schemes: readonly UrlScheme[];
  /** Whether the scp-like Git form `user@host:path` is accepted (as SSH). @default false */
  readonly scpLike?: boolean;
  /** Whether a path is required after the host. @default false */
  readonly pathRequired?: boolean;
  /** A valid example for the message. */
  readonly example: string;
  /** Where credentials go instead, for the message. @default 'a Secret the tool reads' */
  readonly credentialsHint?: string;
}

/** Scp-like Git URL: `user@host:path` (no `//` after the colon). */
const SCP_LIKE = /^([A-Za-z0-9._~-]+)@([A-Za-z0-9.-]+):(?!\/\/)(\S+)$/;
/** `scheme://authority` of an absolute URL, as a Go or WHATWG parser splits it (authority up to the first `/`, `?` or `#`). */
const AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/;

/**
 * Why `value` is not a URL `what` accepts under `rule`, or undefined. Never quotes credentials.
 */
export function checkUrl(value: unknown, what: string, rule: UrlRule): string | undefined {
  const schemes = rule.schemes.map((s) => `"${s}://"`).join(', ');
  const expected = `use a URL starting with ${schemes.replace(/, ([^,]*)$/, ' or $1')}${rule.scpLike ? ' (or "git@host:org/repo.git")' : ''}, e.g. ${quoteValue(rule.example)}`;
  if (value === '') return `${what} is empty: ${expected}.`;
  if (typeof value !== 'string' || value.trim() === '') return `${what} ${quoteValue(value)} is not a URL: ${expected}.`;
  if (/[\s\u0000-\u001f\u007f-\u009f\\]/.test(value))
    return `${what} ${quoteValue(redacted(value))} contains a space, a control character or "\\": ${expected}.`;
  const scp = SCP_LIKE.exec(value);
  if (scp && rule.scpLike) return undefined;
  const authority = AUTHORITY.exec(value);
  if (!authority) return `${what} ${quoteValue(redacted(value))} is not a URL: ${expected}.`;
  const scheme = (authority[1] ?? '').toLowerCase() as UrlScheme;
  if (!rule.schemes.includes(scheme)) return `${what} ${quoteValue(redacted(value))} has the scheme "${scheme}": ${expected}.`;
  const userInfo = authority[2]?.includes('@') ? (authority[2] ?? '').slice(0, (authority[2] ?? '').lastIndexOf('@')) : undefined;
  const sshUser = scheme === 'ssh' && userInfo !== undefined && !userInfo.includes(':') && /^[A-Za-z0-9._~-]+$/.test(userInfo);
  const hint = rule.credentialsHint ?? 'a Secret the tool reads';
  if (userInfo !== undefined && !sshUser)
    return `${what} ${quoteValue(redacted(value))} carries credentials in its user-info (the part before "@"), which would be written to the output (Git and the cluster): remove them, e.g. ${quoteValue(stripped(value))}, and give the credentials through ${hint}.`;
  if ((authority[2] ?? '') === '') return `${what} ${quoteValue(redacted(value))} has no host: ${expected}.`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${what} ${quoteValue(redacted(value))} is not a URL: ${expected}.`;
  }
  if (url.search !== '' || value.includes('?'))
    return `${what} ${quoteValue(redacted(value))} has a query ("?..."), which can carry a token and would be written to the output: remove it, e.g. ${quoteValue(stripped(value))}.`;
  if (url.hash !== '' || value.includes('#')) return `${what} ${quoteValue(redacted(value))} has a fragment ("#..."): remove it.`;
  if (url.hostname === '') return `${what} ${quoteValue(redacted(value))} has no host: ${expected}.`;
  if (rule.pathRequired && (url.pathname === '' || url.pathname === '/'))
    return `${what} ${quoteValue(redacted(value))} has no path after the host: ${expected}.`;
  return undefined;
}

/** `value` with any user-info and query replaced by `***`, for messages. */
function redacted(value: string): string {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, '$1***@').replace(/\?.*$/s, '?***');
}

/** `value` without user-info, query and fragment: the suggested fix. */
function stripped(value: string): string {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, '$1').replace(/[?#].*$/s, '');
}
