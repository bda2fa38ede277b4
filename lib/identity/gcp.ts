import type { Problem } from '../errors.js';
import { SHARED_SECRETS_SERVICE_ACCOUNT } from '../model/constants.js';
import type { ControlPlane } from '../model/control-plane.js';
import type { Space } from '../model/space.js';
import { toJson } from '../output/render.js';
import { GcpSecretManager } from '../stores/gcp.js';
import type { SynthContext } from '../synthesizer.js';
import { spaceDir } from '../targets/spaces-target.js';
import {
  andList,
  cmp,
  comparePlanes,
  mergeGrants,
  planeSubject,
  shortHash,
  soleEnvironment,
  sortedUnique,
  unknownHostNamespace,
  workloadIdentityStores,
  workloadIdentityUses,
} from './azure-gcp-common.js';
import {
  GCP_MAX_CONDITION_OPERATORS,
  GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER,
  GCP_MAX_POLICY_MEMBERS,
  SECRET_ACCESSOR_ROLE,
  WORKLOAD_IDENTITY_USER_ROLE,
  anyPrefixExpression,
  chunk,
  exactSecretPrefix,
  literalPrefix,
  minimizePrefixes,
  secretsParent,
  startsWithClause,
} from './gcp-conditions.js';
import { gcpCrossplaneManifests } from './gcp-crossplane.js';
import { gcpReadme } from './gcp-readme.js';
import { emptyPlan, type AccessGrant, type CloudPrincipal, type IdentityPlan, type PlaneSubject, type PlannedFile } from './plan.js';
import { GcpIdentity } from './space-identity.js';

/** An IAM condition: title (required), description and CEL expression. */
export interface GcpCondition {
  /** Short name (at most 100 characters). */
  readonly title: string;
  /** What the condition is for (at most 256 characters). */
  readonly description: string;
  /** CEL: `resource.name.startsWith(...)` clauses OR-ed. */
  readonly expression: string;
}

/** One role binding, in the shape `gcloud projects get-iam-policy --format=json` prints. */
export interface GcpBinding {
  /** Role name, e.g. `roles/secretmanager.secretAccessor`. */
  readonly role: string;
  /** Sorted. */
  readonly members: readonly string[];
  /** Condition, for conditional bindings. @default none */
  readonly condition?: GcpCondition;
}

/** The bindings to ADD to one project's allow policy (not a complete policy). */
export interface GcpProjectBindings {
  /** Project ID of the secrets. */
  readonly projectId: string;
  /** Its project number. */
  readonly projectNumber: string;
  /** Sorted by role, then condition title. */
  readonly bindings: readonly GcpBinding[];
  /** Principals counted as IAM counts them: every occurrence in every binding. */
  readonly memberCount: number;
}

/** Everything the GCP planner derives for one Space (files are rendered from it). */
export interface GcpPlanDocuments {
  /** The Space's identity. */
  readonly identity: GcpIdentity;
  /** The Space. */
  readonly space: Space;
  /** Bindings per secrets project, sorted by project ID. */
  readonly projects: readonly GcpProjectBindings[];
  /** Binding on the Google service account (impersonation only). */
  readonly serviceAccountBinding?: GcpBinding;
  /** Planes that read secrets through the identity. */
  readonly subjects: readonly PlaneSubject[];
}

/** IAM principal identifier of a plane's ESO service account (GKE workload identity federation). */
export function planePrincipal(identity: GcpIdentity, hostNamespace: string): string {
  return `principal://iam.googleapis.com/projects/${identity.projectNumber}/locations/global/workloadIdentityPools/${identity.workloadPool}/subject/ns/${hostNamespace}/sa/${SHARED_SECRETS_SERVICE_ACCOUNT}`;
}

/** Member that may impersonate a Google service account: `serviceAccount:<pool>[<ns>/<ksa>]`. */
export function impersonationMember(identity: GcpIdentity, hostNamespace: string): string {
  return `serviceAccount:${identity.workloadPool}[${hostNamespace}/${SHARED_SECRETS_SERVICE_ACCOUNT}]`;
}

/** What one member needs on one project. */
interface MemberNeeds {
  /** Resource-name prefix to the shared secrets that need it. */
  readonly prefixes: Map<string, Set<string>>;
  /** Shared secrets that use `dataFrom.find` (need list on the project). */
  readonly list: Set<string>;
}

interface ProjectNeeds {
  readonly projectId: string;
  readonly projectNumber: string;
  readonly members: Map<string, MemberNeeds>;
}

/**
 * The GCP workload-identity plan of a Space.
 *
 * - `gcp-principal`: each plane's ESO service account is its own IAM principal, so every plane
 *   gets bindings for exactly the secrets delivered to it (a dev plane cannot read prod secrets).
 * - `gcp-impersonation`: the Helm values annotate the controller with ONE Google service account
 *   per Space; each plane may impersonate it (`roles/iam.workloadIdentityUser`), and it is granted
 *   the union of what the Space's planes read.
 *
 * Read access is `roles/secretmanager.secretAccessor` on the secrets' project, conditioned on the
 * resource-name prefixes of the referenced secrets (policy version 3); `dataFrom.find` also needs
 * the list role on the project.
 */
export function planGcp(space: Space, ctx: SynthContext): IdentityPlan {
  const id = space.identity;
  if (!(id instanceof GcpIdentity)) return emptyPlan();
  const problems: Problem[] = id.check().map((m) => ({ path: space.node.path, message: `identity: ${m}` }));
  const impersonation = id.mode === 'gcp-impersonation';
  const label = `the GCP workload identity of Space "${space.name}" (${id.describe()})`;
  const stores = workloadIdentityStores(space, GcpSecretManager);

  // Stores must name their project by number; all stores of one project must agree on it.
  const numbers = new Map<string, Set<string>>();
  for (const { store, provider } of stores) {
    if (provider.projectNumber === undefined) {
      problems.push({
        path: store.node.path,
        message:
          `store "${store.name}" reads GCP Secret Manager project "${provider.projectId}" with ${label}, but its projectNumber is not set: ` +
          `IAM conditions name secrets by project number ("projects/<number>/secrets/<id>/versions/<version>"); ` +
          `set projectNumber to the digits printed by "gcloud projects describe ${provider.projectId} --format='value(projectNumber)'".`,
      });
      continue;
    }
    if (!numbers.has(provider.projectId)) numbers.set(provider.projectId, new Set());
    numbers.get(provider.projectId)?.add(provider.projectNumber);
  }
  for (const { store, provider } of stores) {
    const n = numbers.get(provider.projectId);
    if (n && n.size > 1) {
      problems.push({ path: store.node.path, message: `stores of GCP project "${provider.projectId}" give different projectNumbers (${andList([...n].sort())}): a project has one number; set the same projectNumber on every store of the project.` });
    }
  }

  // Who reads what: per project, per member, the resource-name prefixes and list needs.
  const uses = workloadIdentityUses(space, ctx, GcpSecretManager);
  const planes = [...new Set(uses.flatMap((u) => u.planes))].sort(comparePlanes);
  const subjects = new Map<ControlPlane, PlaneSubject>();
  for (const plane of planes) {
    const s = planeSubject(plane);
    if (s) subjects.set(plane, s);
    else problems.push(unknownHostNamespace(plane, label, impersonation ? 'the binding that lets it impersonate the Google service account must name it' : 'the IAM principal of its ESO service account names it'));
  }
  const gsaMember = `serviceAccount:${id.serviceAccountEmail ?? ''}`;
  const memberOf = (s: PlaneSubject): string => (impersonation ? gsaMember : planePrincipal(id, s.hostNamespace));
  const memberPlanes = new Map<string, ControlPlane[]>();
  const projects = new Map<string, ProjectNeeds>();
  const storesOf = new Map<string, Set<string>>();
  for (const u of uses) {
    const p = u.provider;
    if (p.projectNumber === undefined || (numbers.get(p.projectId)?.size ?? 0) > 1) continue;
    const path = u.secret.node.path;
    const prefixes = secretPrefixes(u.secret.data.map((d) => d.remoteKey), u.secret.dataFrom, p.projectNumber, p.location);
    for (const plane of u.planes) {
      const s = subjects.get(plane);
      if (!s) continue;
      const member = memberOf(s);
      if (!memberPlanes.has(member)) memberPlanes.set(member, []);
      const mp = memberPlanes.get(member) ?? [];
      if (!mp.includes(plane)) mp.push(plane);
      if (!storesOf.has(member)) storesOf.set(member, new Set());
      storesOf.get(member)?.add(u.store.node.path);
      if (!projects.has(p.projectId)) projects.set(p.projectId, { projectId: p.projectId, projectNumber: p.projectNumber, members: new Map() });
      const proj = projects.get(p.projectId);
      if (!proj) continue;
      if (!proj.members.has(member)) proj.members.set(member, { prefixes: new Map(), list: new Set() });
      const needs = proj.members.get(member);
      if (!needs) continue;
      for (const prefix of prefixes.prefixes) {
        if (!needs.prefixes.has(prefix)) needs.prefixes.set(prefix, new Set());
        needs.prefixes.get(prefix)?.add(path);
      }
      if (prefixes.list) needs.list.add(path);
    }
  }

  // Bindings per project; limits.
  const describeMember = (member: string): string => {
    const ps = memberPlanes.get(member) ?? [];
    if (impersonation) return `Space ${space.name}`;
    const only = ps[0];
    return ps.length === 1 && only ? `plane ${only.group.name}/${only.name}` : `${ps.length} planes`;
  };
  const projectDocs: GcpProjectBindings[] = [];
  const grantsOf = new Map<string, AccessGrant[]>();
  for (const proj of [...projects.values()].sort((a, b) => cmp(a.projectId, b.projectId))) {
    const bindings: GcpBinding[] = [];
    const groups = new Map<string, { members: string[]; prefixes: Map<string, Set<string>> }>();
    const listMembers: string[] = [];
    for (const [member, needs] of proj.members) {
      const minimal = minimizePrefixes(needs.prefixes);
      const key = [...minimal.keys()].join('\n');
      if (!groups.has(key)) groups.set(key, { members: [], prefixes: new Map() });
      const g = groups.get(key);
      g?.members.push(member);
      for (const [prefix, paths] of minimal) {
        if (!g?.prefixes.has(prefix)) g?.prefixes.set(prefix, new Set());
        for (const n of paths) g?.prefixes.get(prefix)?.add(n);
      }
      if (needs.list.size > 0) listMembers.push(member);
      // Facts: what this member may do on the project.
      const grants = grantsOf.get(member) ?? [];
      for (const [prefix, paths] of minimal) {
        grants.push({ access: 'read', resource: prefix, condition: startsWithClause(prefix), neededBy: sortedUnique(paths), wider: prefixWhy(prefix) });
      }
      if (needs.list.size > 0) {
        grants.push({
          access: 'list',
          resource: `projects/${proj.projectId}`,
          neededBy: sortedUnique(needs.list),
          wider: `dataFrom.find lists the project's secrets: ${id.listRole} on the whole project (metadata of every secret, no payloads)`,
        });
      }
      grantsOf.set(member, grants);
    }
    for (const g of [...groups.values()]) {
      const members = sortedUnique(g.members);
      const prefixes = [...g.prefixes.keys()];
      const parts = chunk(prefixes, GCP_MAX_CONDITION_OPERATORS + 1);
      const who = members.length === 1 ? describeMember(members[0] ?? '') : `${members.length} planes`;
      const tag = shortHash(prefixes.join('\n'), 6);
      parts.forEach((part, i) => {
        const ids = part.map((pr) => secretIdPart(pr) || '(every secret)');
        const suffix = parts.length > 1 ? ` (${i + 1}/${parts.length})` : '';
        bindings.push({
          role: SECRET_ACCESSOR_ROLE,
          members,
          condition: {
            title: clip(`ESO secrets of ${who} [${tag}]${suffix}`, 100),
            description: clip(`Space ${space.name}: read access for External Secrets to ${part.length} secret name prefix(es) in ${proj.projectId}: ${ids.join(' ')}`, 256),
            expression: anyPrefixExpression(part),
          },
        });
      });
      if (parts.length > GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER) {
        for (const member of members) {
          problems.push({
            path: problemPath(space, member, memberPlanes),
            message:
              `${describeMember(member)} would need ${parts.length} conditional bindings of ${SECRET_ACCESSOR_ROLE} on project "${proj.projectId}" (${prefixes.length} secret name prefixes, at most ${GCP_MAX_CONDITION_OPERATORS + 1} per condition), ` +
              `but IAM allows at most ${GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER} bindings of one role to one principal with different conditions: ` +
              `give the secrets a common name prefix and read them with dataFrom.find (nameRegexp "^<prefix>"), or move some secrets to another project.`,
          });
        }
      }
    }
    if (listMembers.length > 0) bindings.push({ role: id.listRole, members: sortedUnique(listMembers) });
    bindings.sort((a, b) => cmp(a.role, b.role) || cmp(a.condition?.title ?? '', b.condition?.title ?? '') || cmp(a.members.join(), b.members.join()));
    const memberCount = bindings.reduce((n, b) => n + b.members.length, 0);
    if (memberCount > GCP_MAX_POLICY_MEMBERS) {
      problems.push({
        path: space.node.path,
        message:
          `the IAM bindings of Space "${space.name}" on project "${proj.projectId}" hold ${count(memberCount)} principals, but an IAM allow policy holds at most ${count(GCP_MAX_POLICY_MEMBERS)} (each occurrence in each binding counts, and the project's existing bindings count too): ` +
          (impersonation
            ? `spread the secrets over more projects, or split the planes across Spaces.`
            : `use gcp-impersonation (the project then holds one service account), spread the secrets over more projects, or split the planes across Spaces.`),
      });
    }
    projectDocs.push({ projectId: proj.projectId, projectNumber: proj.projectNumber, bindings, memberCount });
  }

  // Impersonation: each served plane may act as the Google service account.
  let serviceAccountBinding: GcpBinding | undefined;
  const allSubjects = [...subjects.values()];
  if (impersonation && allSubjects.length > 0) {
    serviceAccountBinding = { role: WORKLOAD_IDENTITY_USER_ROLE, members: sortedUnique(allSubjects.map((s) => impersonationMember(id, s.hostNamespace))) };
    if (serviceAccountBinding.members.length > GCP_MAX_POLICY_MEMBERS) {
      problems.push({
        path: space.node.path,
        message: `the IAM policy of service account "${id.serviceAccountEmail}" would hold ${count(serviceAccountBinding.members.length)} principals (one per plane host namespace), but an IAM allow policy holds at most ${count(GCP_MAX_POLICY_MEMBERS)}: split the planes across Spaces, each with its own Google service account.`,
      });
    }
  }

  // Facts for the access analysis.
  const allStores = sortedUnique(stores.map((s) => s.store.node.path));
  const principals: CloudPrincipal[] = [];
  if (impersonation) {
    principals.push({
      id: id.serviceAccountEmail ?? '',
      cloud: 'gcp',
      kind: 'gcp-service-account',
      space: space.name,
      environment: soleEnvironment(allSubjects),
      planes: allSubjects,
      grants: mergeGrants(grantsOf.get(gsaMember) ?? []),
      stores: allStores,
    });
  } else {
    for (const s of allSubjects) {
      const member = planePrincipal(id, s.hostNamespace);
      principals.push({
        id: member,
        cloud: 'gcp',
        kind: 'gcp-principal',
        space: space.name,
        environment: s.environment,
        planes: [s],
        grants: mergeGrants(grantsOf.get(member) ?? []),
        stores: sortedUnique(storesOf.get(member) ?? []),
      });
    }
  }

  const docs: GcpPlanDocuments = { identity: id, space, projects: projectDocs, serviceAccountBinding, subjects: allSubjects };
  return {
    problems,
    principals,
    files: gcpFiles(docs),
    serviceAccountAnnotations: impersonation && id.serviceAccountEmail ? { 'iam.gke.io/gcp-service-account': id.serviceAccountEmail } : {},
    podLabels: {},
  };
}

/** Files under `spaces/<space>/iam/gcp/`. */
function gcpFiles(docs: GcpPlanDocuments): PlannedFile[] {
  const dir = `${spaceDir(docs.space)}/iam/gcp`;
  const files: PlannedFile[] = docs.projects.map((p) => ({
    path: `${dir}/${p.projectId}/iam-policy-bindings.json`,
    content: toJson({ bindings: p.bindings, version: 3 }),
  }));
  if (docs.serviceAccountBinding) {
    files.push({ path: `${dir}/service-account-iam-policy.json`, content: toJson({ bindings: [docs.serviceAccountBinding], version: 1 }) });
  }
  files.push({ path: `${dir}/README.md`, content: gcpReadme(docs) });
  if (docs.identity.crossplane) {
    for (const m of gcpCrossplaneManifests(docs)) files.push({ path: `${dir}/crossplane/${m.file}`, content: m.content });
  }
  return files;
}

/**
 * Resource-name prefixes a shared secret reads: one exact prefix per named secret, one prefix per
 * `dataFrom.find` name pattern with a literal prefix, else every secret of the project.
 */
export function secretPrefixes(
  remoteKeys: readonly string[],
  dataFrom: readonly ({ readonly extract: { readonly key: string } } | { readonly find: { readonly nameRegexp?: string } })[],
  projectNumber: string,
  location?: string,
): { prefixes: string[]; list: boolean } {
  const out = new Set<string>();
  let list = false;
  const keys = [...remoteKeys, ...dataFrom.flatMap((d) => ('extract' in d && d.extract ? [d.extract.key] : []))];
  for (const key of keys) if (typeof key === 'string' && key !== '') out.add(exactSecretPrefix(projectNumber, key, location));
  for (const d of dataFrom) {
    if (!('find' in d) || !d.find) continue;
    list = true;
    const lit = d.find.nameRegexp !== undefined ? literalPrefix(d.find.nameRegexp) : undefined;
    out.add(`${secretsParent(projectNumber, location)}${lit ?? ''}`);
  }
  return { prefixes: [...out].sort(), list };
}

/** The part of a prefix after `/secrets/`: `<id>/` (exact), `<prefix>` (find) or empty (all). */
function secretIdPart(prefix: string): string {
  const i = prefix.indexOf('/secrets/');
  return i < 0 ? prefix : prefix.slice(i + '/secrets/'.length);
}

/** Why a read prefix reaches beyond named secrets, or undefined for an exact secret. */
function prefixWhy(prefix: string): string | undefined {
  const rest = secretIdPart(prefix);
  if (rest === '') return 'dataFrom.find without a literal name prefix (tags only, or an unanchored pattern): every secret of the project';
  if (rest.endsWith('/')) return undefined;
  return `dataFrom.find: every secret whose ID starts with "${rest}"`;
}

function problemPath(space: Space, member: string, memberPlanes: ReadonlyMap<string, ControlPlane[]>): string {
  const ps = memberPlanes.get(member) ?? [];
  const only = ps[0];
  return ps.length === 1 && only ? only.node.path : space.node.path;
}

/** A count with thousands separators, e.g. `1,500`. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
