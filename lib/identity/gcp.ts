import type { Problem } from '../model/errors.js';
import { SHARED_SECRETS_SERVICE_ACCOUNT } from '../model/constants.js';
import type { ControlPlane } from '../model/control-plane.js';
import type { Space } from '../model/space.js';
import { GcpSecretManager } from '../stores/gcp.js';
import type { Placement } from '../resolve/placement.js';
import type { EsoCluster } from '../eso/cluster.js';
import { andList, mergeGrants, soleEnvironment } from './azure-gcp-common.js';
import { shortHash } from '../private/hash.js';
import { cmp, sortedUnique } from '../private/order.js';
import { iamDir } from '../output/layout.js';
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
import { multiDocYaml } from './crossplane.js';
import { gcpReadme } from './gcp-readme.js';
import {
  emptyPlan,
  type AccessGrant,
  type CloudPrincipal,
  type ClusterSubject,
  type IdentityPlan,
  type PlaneSubject,
  type PlannedFile,
} from './plan.js';
import { GcpIdentity } from '../model/space-identity.js';
import {
  clusterIdentityStores,
  clusterIdentityUses,
  clusterOwner,
  comparePlanes,
  planeSubject,
  providerOf,
  spaceOwner,
  unknownHostNamespace,
  workloadIdentityStores,
  workloadIdentityUses,
  type IdentityOwner,
  type IdentityStore,
  type IdentityUse,
} from './workload.js';

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

/** Everything the GCP planner derives for one Space or ESO cluster (files are rendered from it). */
export interface GcpPlanDocuments {
  /** The owner's identity. */
  readonly identity: GcpIdentity;
  /** The Space or ESO cluster that uses it. */
  readonly owner: IdentityOwner;
  /** Bindings per secrets project, sorted by project ID. */
  readonly projects: readonly GcpProjectBindings[];
  /** Custom roles PushSecret needs (one per secrets project pushed to), sorted by project. */
  readonly customRoles: readonly GcpCustomRole[];
  /** Binding on the Google service account (impersonation only). */
  readonly serviceAccountBinding?: GcpBinding;
  /** Planes that read secrets through the identity (Spaces). */
  readonly subjects: readonly PlaneSubject[];
}

/** IAM principal identifier of a plane's ESO service account (GKE workload identity federation). */
export function planePrincipal(identity: GcpIdentity, hostNamespace: string): string {
  return workloadPrincipal(identity, hostNamespace, SHARED_SECRETS_SERVICE_ACCOUNT);
}

/** IAM principal identifier of a Kubernetes service account of the cluster (GKE workload identity federation). */
export function workloadPrincipal(identity: GcpIdentity, namespace: string, serviceAccount: string): string {
  return `principal://iam.googleapis.com/projects/${identity.projectNumber}/locations/global/workloadIdentityPools/${identity.workloadPool}/subject/ns/${namespace}/sa/${serviceAccount}`;
}

/** Member that may impersonate a Google service account: `serviceAccount:<pool>[<ns>/<ksa>]`. */
export function impersonationMember(identity: GcpIdentity, hostNamespace: string): string {
  return `serviceAccount:${identity.workloadPool}[${hostNamespace}/${SHARED_SECRETS_SERVICE_ACCOUNT}]`;
}

/** What one member needs on one project. */
interface MemberNeeds {
  /** Resource-name prefix to the secret objects that need it. */
  readonly prefixes: Map<string, Set<string>>;
  /** Secret objects that use `dataFrom.find` (need list on the project). */
  readonly list: Set<string>;
  /** Pushed secrets (`projects/<number>/secrets/<id>`) to the push secrets that write them. */
  readonly pushes: Map<string, Set<string>>;
  /** Pushed secrets ESO may delete (`deletionPolicy: Delete`). */
  readonly deletes: Set<string>;
}

interface ProjectNeeds {
  readonly projectId: string;
  readonly projectNumber: string;
  readonly members: Map<string, MemberNeeds>;
}

/** Role that adds secret versions (`secretmanager.versions.add`): what a PushSecret writes with. */
export const SECRET_VERSION_ADDER_ROLE = 'roles/secretmanager.secretVersionAdder';
/** ID of the custom role (one per secrets project) that lets PushSecret create, read and delete the pushed secrets. */
export const PUSH_CUSTOM_ROLE_ID = 'externalSecretsPush';

/** The custom role of PushSecret in a project: `projects/<project>/roles/externalSecretsPush`. */
export function pushCustomRole(projectId: string): string {
  return `projects/${projectId}/roles/${PUSH_CUSTOM_ROLE_ID}`;
}

/** The definition of the push custom role of a project (`gcloud iam roles create --file`). */
export interface GcpCustomRole {
  /** Project ID that holds it. */
  readonly projectId: string;
  /** Role ID. */
  readonly roleId: string;
  /** Full role name. */
  readonly name: string;
  /** Title. */
  readonly title: string;
  /** Description. */
  readonly description: string;
  /** `GA`. */
  readonly stage: 'GA';
  /** Sorted permissions. */
  readonly includedPermissions: readonly string[];
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
export function planGcp(space: Space, placement: Placement): IdentityPlan {
  const id = space.identity;
  if (!(id instanceof GcpIdentity)) return emptyPlan();
  const owner = spaceOwner(space);
  const problems: Problem[] = id.check().map((m) => ({ path: space.node.path, message: `identity: ${m}` }));
  const impersonation = id.mode === 'gcp-impersonation';
  const label = `the GCP workload identity of Space "${space.name}" (${id.describe()})`;
  const stores = workloadIdentityStores(space, providerOf(GcpSecretManager));

  const uses = workloadIdentityUses(space, placement, providerOf(GcpSecretManager));
  const planes = [...new Set(uses.flatMap((u) => u.planes))].sort(comparePlanes);
  const subjects = new Map<ControlPlane, PlaneSubject>();
  for (const plane of planes) {
    const s = planeSubject(plane);
    if (s) subjects.set(plane, s);
    else
      problems.push(
        unknownHostNamespace(
          plane,
          label,
          impersonation
            ? 'the binding that lets it impersonate the Google service account must name it'
            : 'the IAM principal of its ESO service account names it',
        ),
      );
  }
  const gsaMember = `serviceAccount:${id.serviceAccountEmail ?? ''}`;
  const memberOf = (s: PlaneSubject): string => (impersonation ? gsaMember : planePrincipal(id, s.hostNamespace));
  const actors: GcpActor[] = [];
  for (const u of uses) {
    for (const plane of u.planes) {
      const s = subjects.get(plane);
      if (s) actors.push({ member: memberOf(s), plane, use: u });
    }
  }
  const allSubjects = [...subjects.values()];
  return gcpPlan(owner, id, {
    stores,
    actors,
    problems,
    planes: allSubjects,
    impersonators: allSubjects.map((s) => impersonationMember(id, s.hostNamespace)),
    principalMembers: impersonation ? [] : allSubjects.map((s) => ({ member: planePrincipal(id, s.hostNamespace), planes: [s] })),
  });
}

/**
 * The GCP workload-identity plan of a plain ESO cluster: ESO's controller service account is the
 * principal (`gcp-principal`), or impersonates the Google service account (`gcp-impersonation`);
 * it is granted what the cluster's external secrets read and, for its push secrets,
 * `roles/secretmanager.secretVersionAdder` and the custom role `externalSecretsPush` (create, get,
 * delete) conditioned on the pushed secrets' names. Nothing when no store uses the identity.
 */
export function planGcpCluster(cluster: EsoCluster): IdentityPlan {
  const id = cluster.identity;
  if (!(id instanceof GcpIdentity)) return emptyPlan();
  const problems: Problem[] = id.check().map((m) => ({ path: cluster.node.path, message: `identity: ${m}` }));
  const isGsm = providerOf(GcpSecretManager);
  const stores = clusterIdentityStores(cluster, isGsm);
  if (stores.length === 0) return { ...emptyPlan(), problems };
  const owner = clusterOwner(cluster);
  const impersonation = id.mode === 'gcp-impersonation';
  const sa = owner.serviceAccount as ClusterSubject;
  const member = impersonation ? `serviceAccount:${id.serviceAccountEmail ?? ''}` : workloadPrincipal(id, sa.namespace, sa.serviceAccount);
  const actors: GcpActor[] = clusterIdentityUses(cluster, isGsm).map((use) => ({ member, use }));
  return gcpPlan(owner, id, {
    stores,
    actors,
    problems,
    planes: [],
    impersonators: [`serviceAccount:${id.workloadPool}[${sa.namespace}/${sa.serviceAccount}]`],
    principalMembers: impersonation ? [] : [{ member, planes: [] }],
  });
}

/** One member reading (or pushing) one secret object: a plane's (or the cluster's) principal, or the Google service account. */
interface GcpActor {
  readonly member: string;
  /** The plane it is for (Spaces). @default none */
  readonly plane?: ControlPlane;
  readonly use: IdentityUse<GcpSecretManager>;
}

/** What {@link gcpPlan} needs besides the owner and its identity. */
interface GcpPlanInput {
  readonly stores: readonly { store: IdentityStore; provider: GcpSecretManager }[];
  readonly actors: readonly GcpActor[];
  /** Problems found so far (added to). */
  readonly problems: Problem[];
  /** Planes that act as the identity (Spaces). */
  readonly planes: readonly PlaneSubject[];
  /** Members that may impersonate the Google service account (impersonation). */
  readonly impersonators: readonly string[];
  /** Principal-identifier members and their planes (gcp-principal). */
  readonly principalMembers: readonly { member: string; planes: readonly PlaneSubject[] }[];
}

/** The plan of one owner of a GCP identity: project checks, bindings, limits, principals and files. */
function gcpPlan(owner: IdentityOwner, id: GcpIdentity, input: GcpPlanInput): IdentityPlan {
  const { stores, actors, problems } = input;
  const impersonation = id.mode === 'gcp-impersonation';
  const label =
    owner.kind === 'space'
      ? `the GCP workload identity of ${owner.label} (${id.describe()})`
      : `the GCP workload identity of ESO ${owner.label} (${id.describe()})`;

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
      problems.push({
        path: store.node.path,
        message: `stores of GCP project "${provider.projectId}" give different projectNumbers (${andList([...n].sort())}): a project has one number; set the same projectNumber on every store of the project.`,
      });
    }
  }

  // Who reads what: per project, per member, the resource-name prefixes, list and push needs.
  const memberPlanes = new Map<string, ControlPlane[]>();
  const projects = new Map<string, ProjectNeeds>();
  const storesOf = new Map<string, Set<string>>();
  for (const { member, plane, use: u } of actors) {
    const p = u.provider;
    if (p.projectNumber === undefined || (numbers.get(p.projectId)?.size ?? 0) > 1) continue;
    const path = u.need.path;
    const pushed = u.need.pushes.filter((x) => x.remoteKey !== '');
    // A push reads the latest version first (ESO skips identical writes).
    const prefixes = secretPrefixes(
      [...u.need.data.map((d) => d.remoteKey), ...pushed.map((x) => x.remoteKey)],
      u.need.dataFrom,
      p.projectNumber,
      p.location,
    );
    const mp = memberPlanes.get(member) ?? [];
    memberPlanes.set(member, mp);
    if (plane && !mp.includes(plane)) mp.push(plane);
    if (!storesOf.has(member)) storesOf.set(member, new Set());
    storesOf.get(member)?.add(u.store.node.path);
    if (!projects.has(p.projectId))
      projects.set(p.projectId, { projectId: p.projectId, projectNumber: p.projectNumber, members: new Map() });
    const proj = projects.get(p.projectId);
    if (!proj) continue;
    if (!proj.members.has(member))
      proj.members.set(member, { prefixes: new Map(), list: new Set(), pushes: new Map(), deletes: new Set() });
    const needs = proj.members.get(member);
    if (!needs) continue;
    for (const prefix of prefixes.prefixes) {
      if (!needs.prefixes.has(prefix)) needs.prefixes.set(prefix, new Set());
      needs.prefixes.get(prefix)?.add(path);
    }
    if (prefixes.list) needs.list.add(path);
    for (const x of pushed) {
      const name = `${secretsParent(p.projectNumber, p.location)}${x.remoteKey}`;
      if (!needs.pushes.has(name)) needs.pushes.set(name, new Set());
      needs.pushes.get(name)?.add(path);
      if (x.delete) needs.deletes.add(name);
    }
  }

  // Bindings per project; limits.
  const describeMember = (member: string): string => {
    const ps = memberPlanes.get(member) ?? [];
    if (owner.kind === 'cluster') return `cluster ${owner.name}`;
    if (impersonation) return `Space ${owner.name}`;
    const only = ps[0];
    return ps.length === 1 && only ? `plane ${only.group.name}/${only.name}` : `${ps.length} planes`;
  };
  const problemPath = (member: string): string => {
    const ps = memberPlanes.get(member) ?? [];
    const only = ps[0];
    return ps.length === 1 && only ? only.node.path : owner.scope.node.path;
  };
  const projectDocs: GcpProjectBindings[] = [];
  const customRoles: GcpCustomRole[] = [];
  const grantsOf = new Map<string, AccessGrant[]>();
  for (const proj of [...projects.values()].sort((a, b) => cmp(a.projectId, b.projectId))) {
    const bindings: GcpBinding[] = [];
    const groups = new Map<string, { members: string[]; prefixes: Map<string, Set<string>> }>();
    const pushGroups = new Map<string, { members: string[]; names: string[] }>();
    const listMembers: string[] = [];
    const deletes = new Set<string>();
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
      const names = [...needs.pushes.keys()].sort(cmp);
      if (names.length > 0) {
        const pk = names.join('\n');
        if (!pushGroups.has(pk)) pushGroups.set(pk, { members: [], names });
        pushGroups.get(pk)?.members.push(member);
        for (const d of needs.deletes) deletes.add(d);
      }
      // Facts: what this member may do on the project.
      const grants = grantsOf.get(member) ?? [];
      for (const [prefix, paths] of minimal) {
        grants.push({
          access: 'read',
          resource: prefix,
          condition: startsWithClause(prefix),
          neededBy: sortedUnique(paths),
          wider: prefixWhy(prefix),
        });
      }
      if (needs.list.size > 0) {
        grants.push({
          access: 'list',
          resource: `projects/${proj.projectId}`,
          neededBy: sortedUnique(needs.list),
          wider: `dataFrom.find lists the project's secrets: ${id.listRole} on the whole project (metadata of every secret, no payloads)`,
        });
      }
      for (const [name, paths] of needs.pushes)
        grants.push({ access: 'write', resource: name, condition: equalsClause(name), neededBy: sortedUnique(paths) });
      grantsOf.set(member, grants);
    }
    for (const g of [...groups.values()]) {
      if (g.prefixes.size === 0) continue;
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
            description: clip(
              `${ownerTitle(owner)}: read access for External Secrets to ${part.length} secret name prefix(es) in ${proj.projectId}: ${ids.join(' ')}`,
              256,
            ),
            expression: anyPrefixExpression(part),
          },
        });
      });
      if (parts.length > GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER) {
        for (const member of members) {
          problems.push({
            path: problemPath(member),
            message:
              `${describeMember(member)} would need ${parts.length} conditional bindings of ${SECRET_ACCESSOR_ROLE} on project "${proj.projectId}" (${prefixes.length} secret name prefixes, at most ${GCP_MAX_CONDITION_OPERATORS + 1} per condition), ` +
              `but IAM allows at most ${GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER} bindings of one role to one principal with different conditions: ` +
              `give the secrets a common name prefix and read them with dataFrom.find (nameRegexp "^<prefix>"), or move some secrets to another project.`,
          });
        }
      }
    }
    // PushSecret: add versions to, and create / get / delete, exactly the pushed secrets.
    for (const g of [...pushGroups.values()]) {
      const members = sortedUnique(g.members);
      const parts = chunk(g.names, GCP_MAX_CONDITION_OPERATORS + 1);
      const who = members.length === 1 ? describeMember(members[0] ?? '') : `${members.length} principals`;
      const tag = shortHash(g.names.join('\n'), 6);
      parts.forEach((part, i) => {
        const suffix = parts.length > 1 ? ` (${i + 1}/${parts.length})` : '';
        const ids = part.map((n) => secretIdPart(n)).join(' ');
        const condition = (what: string): GcpCondition => ({
          title: clip(`ESO pushed secrets of ${who} [${tag}]${suffix}`, 100),
          description: clip(
            `${ownerTitle(owner)}: ${what} for External Secrets on ${part.length} pushed secret(s) in ${proj.projectId}: ${ids}`,
            256,
          ),
          expression: part.map(equalsClause).join(' || '),
        });
        bindings.push({ role: SECRET_VERSION_ADDER_ROLE, members, condition: condition('add versions') });
        bindings.push({
          role: pushCustomRole(proj.projectId),
          members,
          condition: condition(deletes.size > 0 ? 'create, read metadata and delete' : 'create and read metadata'),
        });
      });
      if (parts.length > GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER) {
        for (const member of members) {
          problems.push({
            path: problemPath(member),
            message: `${describeMember(member)} would need ${parts.length} conditional bindings of ${SECRET_VERSION_ADDER_ROLE} on project "${proj.projectId}" (${g.names.length} pushed secrets, at most ${GCP_MAX_CONDITION_OPERATORS + 1} per condition), but IAM allows at most ${GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER} bindings of one role to one principal with different conditions: push to fewer secrets, or spread them over more projects.`,
          });
        }
      }
    }
    if (pushGroups.size > 0) {
      const permissions = [
        'secretmanager.secrets.create',
        'secretmanager.secrets.get',
        ...(deletes.size > 0 ? ['secretmanager.secrets.delete'] : []),
      ].sort(cmp);
      customRoles.push({
        projectId: proj.projectId,
        roleId: PUSH_CUSTOM_ROLE_ID,
        name: pushCustomRole(proj.projectId),
        title: 'External Secrets push',
        description: `ESO PushSecret: create pushed secrets, read their labels (managed-by)${deletes.size > 0 ? ', delete them (deletionPolicy Delete)' : ''}. Bound conditionally per secret.`,
        stage: 'GA',
        includedPermissions: permissions,
      });
    }
    if (listMembers.length > 0) bindings.push({ role: id.listRole, members: sortedUnique(listMembers) });
    bindings.sort(
      (a, b) => cmp(a.role, b.role) || cmp(a.condition?.title ?? '', b.condition?.title ?? '') || cmp(a.members.join(), b.members.join()),
    );
    const memberCount = bindings.reduce((n, b) => n + b.members.length, 0);
    if (memberCount > GCP_MAX_POLICY_MEMBERS) {
      problems.push({
        path: owner.scope.node.path,
        message:
          `the IAM bindings of ${owner.label} on project "${proj.projectId}" hold ${count(memberCount)} principals, but an IAM allow policy holds at most ${count(GCP_MAX_POLICY_MEMBERS)} (each occurrence in each binding counts, and the project's existing bindings count too): ` +
          (impersonation
            ? `spread the secrets over more projects, or split the planes across Spaces.`
            : `use gcp-impersonation (the project then holds one service account), spread the secrets over more projects, or split the planes across Spaces.`),
      });
    }
    projectDocs.push({ projectId: proj.projectId, projectNumber: proj.projectNumber, bindings, memberCount });
  }

  // Impersonation: each served plane (or the cluster's ESO) may act as the Google service account.
  let serviceAccountBinding: GcpBinding | undefined;
  if (impersonation && input.impersonators.length > 0) {
    serviceAccountBinding = { role: WORKLOAD_IDENTITY_USER_ROLE, members: sortedUnique(input.impersonators) };
    if (serviceAccountBinding.members.length > GCP_MAX_POLICY_MEMBERS) {
      problems.push({
        path: owner.scope.node.path,
        message: `the IAM policy of service account "${id.serviceAccountEmail}" would hold ${count(serviceAccountBinding.members.length)} principals (one per plane host namespace), but an IAM allow policy holds at most ${count(GCP_MAX_POLICY_MEMBERS)}: split the planes across Spaces, each with its own Google service account.`,
      });
    }
  }

  // Facts for the access analysis.
  const allStores = sortedUnique(stores.map((s) => s.store.node.path));
  const ownerFields = {
    ...(owner.kind === 'space' ? { space: owner.name } : {}),
    ...(owner.serviceAccount ? { cluster: owner.serviceAccount } : {}),
  };
  const principals: CloudPrincipal[] = [];
  if (impersonation) {
    principals.push({
      id: id.serviceAccountEmail ?? '',
      cloud: 'gcp',
      kind: 'gcp-service-account',
      ...ownerFields,
      environment: soleEnvironment(input.planes),
      planes: input.planes,
      grants: mergeGrants(grantsOf.get(`serviceAccount:${id.serviceAccountEmail ?? ''}`) ?? []),
      stores: allStores,
    });
  } else {
    for (const { member, planes } of input.principalMembers) {
      principals.push({
        id: member,
        cloud: 'gcp',
        kind: 'gcp-principal',
        ...ownerFields,
        environment: planes.length === 1 ? planes[0]?.environment : undefined,
        planes,
        grants: mergeGrants(grantsOf.get(member) ?? []),
        stores: owner.kind === 'cluster' ? allStores : sortedUnique(storesOf.get(member) ?? []),
      });
    }
  }

  const docs: GcpPlanDocuments = { identity: id, owner, projects: projectDocs, customRoles, serviceAccountBinding, subjects: input.planes };
  return {
    problems,
    principals,
    files: gcpFiles(docs),
    serviceAccountAnnotations: impersonation && id.serviceAccountEmail ? { 'iam.gke.io/gcp-service-account': id.serviceAccountEmail } : {},
    podLabels: {},
  };
}

/** `Space x` / `ESO cluster x`, for condition descriptions. */
function ownerTitle(owner: IdentityOwner): string {
  return owner.kind === 'space' ? `Space ${owner.name}` : `ESO cluster ${owner.name}`;
}

/** The CEL clause that matches exactly one resource name. */
export function equalsClause(name: string): string {
  return `resource.name == ${JSON.stringify(name)}`;
}

/** Files under `spaces/<space>/iam/gcp/` (`clusters/<cluster>/iam/gcp/`). */
function gcpFiles(docs: GcpPlanDocuments): PlannedFile[] {
  const dir = iamDir(docs.owner.dir, 'gcp');
  const files: PlannedFile[] = docs.projects.map((p) => ({
    path: `${dir}/${p.projectId}/iam-policy-bindings.json`,
    json: { bindings: p.bindings, version: 3 },
    keys: 'sorted',
  }));
  for (const r of docs.customRoles) {
    files.push({
      path: `${dir}/${r.projectId}/custom-role-${r.roleId}.json`,
      json: { title: r.title, description: r.description, stage: r.stage, includedPermissions: r.includedPermissions },
      keys: 'sorted',
    });
  }
  if (docs.serviceAccountBinding) {
    files.push({
      path: `${dir}/service-account-iam-policy.json`,
      json: { bindings: [docs.serviceAccountBinding], version: 1 },
      keys: 'sorted',
    });
  }
  files.push({ path: `${dir}/README.md`, text: () => gcpReadme(docs) });
  if (docs.identity.crossplane) {
    for (const m of gcpCrossplaneManifests(docs))
      files.push({ path: `${dir}/crossplane/${m.file}`, text: () => multiDocYaml(m.objects), objects: m.objects });
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

/** A count with thousands separators, e.g. `1,500`. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
