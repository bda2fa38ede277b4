/**
 * The remote secrets that exist in the world, as resources (not strings), and what a store's
 * references name among them. One remote secret is one resource whatever text names it: a Secrets
 * Manager ARN (with its 6-character suffix) or its name, a Parameter Store name with or without the
 * leading `/` or its ARN, a Key Vault name in any case or with `secret/`, a GCP secret id.
 */
import type { EsoRef } from './artifacts.js';
import {
  GCP_PROJECTS,
  HV_MOUNT,
  HV_SERVER,
  VAULTS,
  backendKey,
  remoteIdentity,
  smSuffix,
  vaultResourceId,
  vaultUrl,
  type Backend,
  type RemoteSpec,
  type WorldSpec,
} from './world.js';

/** A remote secret of the world. */
export interface Concrete {
  /** Its identity ({@link remoteIdentity}). */
  readonly id: string;
  readonly remote: RemoteSpec;
  /** The full names the cloud gives it (an ARN, Key Vault object ids by resource id and URL, GCP names by number and id). */
  readonly names: readonly string[];
}

/** Every remote secret of the world. */
export function universe(spec: WorldSpec): Concrete[] {
  return spec.remotes.map((remote) => ({ id: remoteIdentity(remote), remote, names: resourceNames(remote) }));
}

function resourceNames(r: RemoteSpec): string[] {
  const b = r.backend;
  switch (b.kind) {
    case 'sm':
      return [`arn:aws:secretsmanager:${b.region}:${b.account}:secret:${r.name}-${smSuffix(b, r.name)}`];
    case 'ps':
      return [`arn:aws:ssm:${b.region}:${b.account}:parameter/${r.name.replace(/^\/+/, '')}`];
    case 'kv': {
      // A certificate is also the key and the secret of its name.
      const kinds = r.certificate ? ['secrets', 'certificates', 'keys'] : ['secrets'];
      return kinds.flatMap((k) => [`${vaultResourceId(b.vault)}/${k}/${r.name}`, `${vaultUrl(b.vault)}/${k}/${r.name}`]);
    }
    case 'gsm': {
      const p = GCP_PROJECTS[b.project];
      return [`projects/${p.number}/secrets/${r.name}`, `projects/${p.id}/secrets/${r.name}`];
    }
    case 'hv':
      return [`${HV_SERVER}/${HV_MOUNT}/${r.name}`];
  }
}

/**
 * The backend a store's `spec.provider` reads, given the AWS account its requests run in (the
 * artifacts do not say which account static keys or the default credentials are for); undefined
 * for a provider this world has no secrets in.
 */
export function providerBackend(provider: Record<string, unknown>, awsAccount: string): Backend | undefined {
  const aws = provider.aws as { service?: string; region?: string } | undefined;
  if (aws) {
    const kind = aws.service === 'ParameterStore' ? 'ps' : 'sm';
    return { kind, account: awsAccount, region: aws.region } as Backend;
  }
  const kv = provider.azurekv as { vaultUrl?: string } | undefined;
  if (kv) {
    const host = hostOf(kv.vaultUrl ?? '');
    const vault = VAULTS.findIndex((_, i) => hostOf(vaultUrl(i)) === host);
    return vault >= 0 ? { kind: 'kv', vault } : undefined;
  }
  // ESO's GCP provider names the project `projectID`.
  const gsm = provider.gcpsm as { projectID?: string } | undefined;
  if (gsm) {
    const project = GCP_PROJECTS.findIndex((p) => p.id === gsm.projectID || p.number === gsm.projectID);
    return project >= 0 ? { kind: 'gsm', project } : undefined;
  }
  const hv = provider.vault as { server?: string; path?: string } | undefined;
  if (hv && hv.server === HV_SERVER && hv.path === HV_MOUNT) return { kind: 'hv' };
  return undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}

/** The remote secrets a reference names, read through a store of `backend`. */
export function resolveRef(ref: EsoRef, backend: Backend, all: readonly Concrete[]): Concrete[] {
  if (ref.kind === 'find') return all.filter((c) => backendKey(c.remote.backend) === backendKey(backend) && inFind(ref, c.remote));
  const key = ref.key;
  if (backend.kind === 'sm' && key.startsWith('arn:')) {
    const m = /^arn:[^:]+:secretsmanager:([^:]+):(\d{12}):secret:(.+)$/.exec(key);
    if (!m) return [];
    const [, region, account, rest] = m as unknown as [string, string, string, string];
    return all.filter((c) => {
      const b = c.remote.backend;
      return (
        b.kind === 'sm' &&
        b.region === region &&
        b.account === account &&
        (rest === c.remote.name || rest === `${c.remote.name}-${smSuffix(b, c.remote.name)}`)
      );
    });
  }
  if (backend.kind === 'ps' && key.startsWith('arn:')) {
    const m = /^arn:[^:]+:ssm:([^:]+):(\d{12}):parameter\/(.+)$/.exec(key);
    if (!m) return [];
    const [, region, account, bare] = m as unknown as [string, string, string, string];
    return all.filter((c) => c.id === remoteIdentity({ backend: { kind: 'ps', account, region } as Backend, name: bare }));
  }
  // Key Vault (ESO's `secret/`, `key/`, `cert/` prefixes): a key or a certificate exists only as a
  // certificate's (the world has no standalone keys); the secret of a certificate's name is its own.
  const kv = backend.kind === 'kv' ? /^(secret|key|cert)\/(.*)$/.exec(key) : null;
  const name = kv ? (kv[2] ?? '') : key;
  const id = remoteIdentity({ backend, name });
  return all.filter((c) => c.id === id && (kv === null || kv[1] === 'secret' || c.remote.certificate === true));
}

/** Whether a remote secret is in a `find`'s scope (path prefix or hierarchy, name pattern, tags). */
export function inFind(f: Omit<Extract<EsoRef, { kind: 'find' }>, 'kind'>, r: RemoteSpec): boolean {
  if (f.path !== undefined) {
    if (r.backend.kind === 'ps') {
      const path = `/${f.path.replace(/^\/+|\/+$/g, '')}`;
      if (!(path === '/' || r.name.startsWith(`${path}/`))) return false;
    } else if (!r.name.startsWith(f.path)) return false;
  }
  if (f.nameRegexp !== undefined && !new RegExp(f.nameRegexp).test(r.name)) return false;
  return Object.entries(f.tags ?? {}).every(([k, v]) => r.tags[k] === v);
}
