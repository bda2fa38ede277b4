/**
 * What the access analysis needs to know about a secret backend, behind one interface: how a
 * remote key or a `dataFrom.find` names the backend's resources (so that two references to one
 * resource are one resource, however they are written), and which concrete names stand for them
 * when cloud grants are matched. Each store provider returns its model
 * (`SecretStoreProvider.accessModel`); a provider without one is a problem, never skipped.
 */
import type { Cloud } from '../model/space.js';
import type { NamePattern, NameSpace } from '../model/resource-names.js';

export type { NamePattern, NameSpace };

/** A `dataFrom.find` as the backends read it. */
export interface FindQuery {
  readonly path?: string;
  readonly nameRegexp?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** A remote secret of the model: what a key or a find reads, resolved against its backend. */
export interface RemoteResource {
  /** `key`: `data[].remoteKey` or `dataFrom[].extract.key`; `find`: `dataFrom[].find`. */
  readonly kind: 'key' | 'find';
  /** As written in the model: the key, or `find path=… name=… tag k=v`. */
  readonly ref: string;
  /** The resource as the cloud names it in policies: an ARN (`-??????` for Secrets Manager), a Key Vault object id, a GCP resource name; a find ends in `*`. */
  readonly resource: string;
  /** Concrete resource names (no wildcards) that stand for it when grant patterns are matched: every name it may denote. */
  readonly samples: readonly string[];
  /** Whether a concrete resource name is something it needs (for the wide-grant check). */
  readonly needs: (resource: string) => boolean;
  /** Where its names live. */
  readonly space: NameSpace;
  /** A key: every name it may denote in {@link space} (an ARN with a 6-character tail may be a full or a partial ARN). */
  readonly names?: readonly string[];
  /** A find: the text every name it can fetch starts with (`''`: any name of the space). */
  readonly prefix?: string;
}

/** The access model of one backend (one store's provider, seen from its owner's identity). */
export interface BackendAccessModel {
  readonly cloud: Cloud;
  /** One-line description, e.g. `AWS Secrets Manager (eu-central-1)`. */
  readonly description: string;
  /** The resource a remote key denotes. */
  resolveKey(key: string): RemoteResource;
  /** The resources a find can fetch. */
  resolveFind(find: FindQuery): RemoteResource;
}

/** What an access model may need beyond its provider's own props. */
export interface AccessModelContext {
  /** AWS account of the owner's workload identity, when the provider names none. @default unknown (`*`) */
  readonly awsAccountId?: string;
  /** AWS partition of the owner's workload identity. @default 'aws' */
  readonly awsPartition?: string;
  /** Every AWS account the topology names: an unknown account may be any of them. @default none */
  readonly awsAccounts?: readonly string[];
  /** The canonical name of a GCP project given by id or number (one project, however it is named). */
  readonly gcpProject: (idOrNumber: string) => string;
}

/** Whether two name spaces can be the same (segments equal, or one unknown). */
export function sameSpace(a: NameSpace, b: NameSpace): boolean {
  if (a.service !== b.service || a.parts.length !== b.parts.length) return false;
  return a.parts.every((p, i) => p === '*' || b.parts[i] === '*' || p === b.parts[i]);
}

/** Whether two remote resources can share a resource (one resource referenced twice, a key inside a find's scope, two overlapping finds). */
export function resourcesOverlap(a: RemoteResource, b: RemoteResource): boolean {
  if (!sameSpace(a.space, b.space)) return false;
  return namesOverlap(a.names, a.prefix, b.names, b.prefix);
}

/** Whether a remote resource can denote a name a pattern claims. */
export function patternCovers(p: NamePattern, r: RemoteResource): boolean {
  if (!sameSpace(p.space, r.space)) return false;
  if (p.names?.length && namesOverlap(p.names, undefined, r.names, r.prefix)) return true;
  return (p.prefixes ?? []).some((prefix) => namesOverlap(undefined, prefix, r.names, r.prefix));
}

/** Whether every name a remote resource can denote is one a pattern claims (its space included in the pattern's). */
export function patternContains(p: NamePattern, r: RemoteResource): boolean {
  if (p.space.service !== r.space.service || p.space.parts.length !== r.space.parts.length) return false;
  if (!p.space.parts.every((part, i) => part === '*' || part === r.space.parts[i])) return false;
  const prefixes = p.prefixes ?? [];
  if (r.names) return r.names.every((n) => (p.names ?? []).includes(n) || prefixes.some((x) => n.startsWith(x)));
  return r.prefix !== undefined && prefixes.some((x) => (r.prefix as string).startsWith(x));
}

function namesOverlap(
  an: readonly string[] | undefined,
  ap: string | undefined,
  bn: readonly string[] | undefined,
  bp: string | undefined,
): boolean {
  if (an && bn) return an.some((n) => bn.includes(n));
  if (an && bp !== undefined) return an.some((n) => n.startsWith(bp));
  if (ap !== undefined && bn) return bn.some((n) => n.startsWith(ap));
  if (ap !== undefined && bp !== undefined) return ap.startsWith(bp) || bp.startsWith(ap);
  return false;
}

/** `find path=… name=… tag k=v`: a find as the report names it. */
export function findText(f: FindQuery): string {
  const parts: string[] = [];
  if (f.path !== undefined) parts.push(`path=${f.path}`);
  if (f.nameRegexp !== undefined) parts.push(`name=${f.nameRegexp}`);
  for (const [k, v] of Object.entries(f.tags ?? {}).sort()) parts.push(`tag ${k}=${v}`);
  return `find ${parts.join(' ')}`.trim();
}

/** A name no secret is expected to use: stands for "any other name" when a wildcard is probed. */
export const PROBE = '0unneeded0';
