/**
 * Access model of GCP Secret Manager. A secret is `projects/<project>[/locations/<l>]/secrets/<id>`;
 * IAM names projects by number, users often by id: the project is canonicalised (the context maps
 * ids and numbers the topology pairs), and grant samples are written with every name of it.
 */
import { regexpLiteralPrefix, regexpMatches } from '../private/regexp.js';
import { PROBE, findText, type AccessModelContext, type BackendAccessModel, type NameSpace } from './backend.js';

/** What the Secret Manager access model reads from a provider. */
export interface SecretManagerBackendProps {
  readonly projectId: string;
  readonly projectNumber?: string;
  readonly location?: string;
  readonly description: string;
}

const SECRET_ID_CHAR = /^[A-Za-z0-9_-]$/;

/** The access model of a Secret Manager store. */
export function secretManagerModel(p: SecretManagerBackendProps, ctx: AccessModelContext): BackendAccessModel {
  const where = p.location ? `/locations/${p.location}` : '';
  const names = [...new Set([p.projectNumber, p.projectId].filter((x): x is string => typeof x === 'string'))];
  const bases = names.map((proj) => `projects/${proj}${where}`);
  const main = bases[0] ?? `projects/*${where}`;
  const space: NameSpace = {
    service: 'gcp-secretmanager',
    parts: [ctx.gcpProject(p.projectNumber ?? p.projectId), p.location ?? 'global'],
  };
  const under = (r: string, name: string): boolean => r === name || r.startsWith(`${name}/`);
  return {
    cloud: 'gcp',
    description: p.description,
    resolveKey(key) {
      const full = bases.map((b) => `${b}/secrets/${key}`);
      return {
        kind: 'key',
        ref: key,
        resource: full[0] ?? `${main}/secrets/${key}`,
        samples: full,
        needs: (r) => full.some((n) => under(r, n)),
        space,
        names: [key],
      };
    },
    resolveFind(f) {
      const start = typeof f.nameRegexp === 'string' ? regexpLiteralPrefix(f.nameRegexp, SECRET_ID_CHAR) : '';
      return {
        kind: 'find',
        ref: findText(f),
        resource: `${main}/secrets/${start}*`,
        samples: bases.map((b) => `${b}/secrets/${start}${PROBE}`),
        needs: (r) =>
          bases.some((b) => {
            if (!r.startsWith(`${b}/secrets/`)) return false;
            const id = r.slice(b.length + '/secrets/'.length).split('/')[0] ?? '';
            return regexpMatches(f.nameRegexp, id);
          }),
        space,
        prefix: start,
      };
    },
  };
}
