/**
 * The AWS identity plan of a Space or a plain ESO cluster: IAM roles for the ESO controllers,
 * least-privilege permission policies derived from the secrets they read (and push), trust
 * policies, EKS pod identity associations, a README with the commands, and the principals for the
 * access analysis.
 *
 * - IRSA: the Spaces Helm value `eks.amazonaws.com/role-arn` is one annotation for the whole
 *   Space, so there is ONE role per Space, shared by every plane its AWS stores serve; its trust
 *   policy lists the exact `sub` of every such plane (no wildcards).
 * - EKS Pod Identity: one role PER ENVIRONMENT (a plane without environment gets its own role) and
 *   one association per plane host namespace, so a dev plane's role cannot read prod secrets;
 *   `roleScope` narrows this to one role per group and environment, or per plane.
 * - A plain ESO cluster: one role for ESO's controller service account (`<cluster>-external-secrets`
 *   unless the cluster's `roleArn` names it), trusted by that service account only.
 */
import { quoteValue } from '../private/terminal.js';
import type { Problem } from '../model/errors.js';
import { SHARED_SECRETS_SERVICE_ACCOUNT } from '../model/constants.js';
import { ControlPlane } from '../model/control-plane.js';
import type { Space } from '../model/space.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';
import type { Placement } from '../resolve/placement.js';
import type { EsoCluster } from '../eso/cluster.js';
import { isAwsProvider, permissionGrants, permissionStatements, permissionsFor, type AwsPermission } from './aws-permissions.js';
import { awsCrossplaneManifests, awsCrossplaneReadme } from './aws-crossplane.js';
import { multiDocYaml } from './crossplane.js';
import { PolicyDocument, PolicyStatement, splitPolicy } from './aws-policy.js';
import { esoClusterRole } from '../eso/aws-role.js';
import { emptyPlan, type CloudPrincipal, type IdentityPlan, type PlannedFile } from './plan.js';
import { AWS_IAM_LIMITS, AwsIdentity, roleName, type AwsRoleScope } from '../model/space-identity.js';
import {
  clusterIdentityStores,
  clusterIdentityUses,
  clusterOwner,
  planeSubject,
  serviceAccountTokenSubject,
  sharedSecretNeed,
  spaceOwner,
  workloadIdentityStores,
  type IdentityOwner,
} from './workload.js';
import { cmp } from '../private/order.js';
import { iamDir } from '../output/layout.js';

/** The README's description of EKS Pod Identity for each role scope. */
const POD_IDENTITY_MODE: Record<AwsRoleScope, string> = {
  environment:
    'Mode: EKS Pod Identity. One role per environment (a plane without environment has its own), and one pod identity association per plane host namespace, so a plane can only use the role of its own environment.',
  'group-environment':
    'Mode: EKS Pod Identity, roleScope "group-environment". One role per group and environment (a plane without environment has its own), and one pod identity association per plane host namespace, so a plane can only use the role of its own group and environment: it cannot read what another group\'s planes read.',
  plane:
    'Mode: EKS Pod Identity, roleScope "plane". One role per plane, and one pod identity association per plane host namespace, so a plane can only read what is delivered to it.',
};

/** Helm annotation that binds the controller's service account to an IAM role (IRSA). */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** Audience of the projected service-account token that IRSA exchanges. */
export const IRSA_AUDIENCE = 'sts.amazonaws.com';
/** Service principal of EKS Pod Identity. */
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

/** A service account that assumes a role: a plane's shared-secrets controller, or a cluster's ESO controller. */
export interface AwsRoleSubject {
  /** Namespace of the service account (a plane's host namespace, or ESO's namespace). */
  readonly namespace: string;
  /** Name of the service account. */
  readonly serviceAccount: string;
  /** The plane whose controller it is. @default none (a cluster's ESO controller) */
  readonly plane?: ControlPlane;
  /** Its pod identity association file, relative to the `iam/aws/` directory. */
  readonly associationFile: string;
}

/** One IAM role of the plan, before rendering. */
export interface AwsRoleSpec {
  /** Role name (at most 64 characters). */
  readonly name: string;
  /** Role ARN. */
  readonly arn: string;
  /** Environment the role is dedicated to (Pod Identity). */
  readonly environment?: string;
  /** Service accounts that assume the role (each with a known namespace), sorted. */
  readonly subjects: readonly AwsRoleSubject[];
  /** Construct paths of the stores whose secrets the role reads, in tree order. */
  readonly stores: readonly string[];
  /** What the role needs. */
  readonly permissions: readonly AwsPermission[];
}

/** A rendered role: its documents, and the problems they have with IAM's limits. */
interface RenderedRole {
  readonly spec: AwsRoleSpec;
  readonly trust: PolicyDocument;
  readonly policies: readonly PolicyDocument[];
  readonly problems: readonly Problem[];
}

/** The AWS identity plan of a Space (IRSA or EKS Pod Identity). */
export function planAws(space: Space, placement: Placement): IdentityPlan {
  const id = space.identity;
  if (!(id instanceof AwsIdentity)) return emptyPlan();
  const settings = id.check();
  if (settings.length > 0) return { ...emptyPlan(), problems: settings.map((m) => ({ path: space.node.path, message: `identity: ${m}` })) };

  const owner = spaceOwner(space);
  const { reach, problems } = servedPlanes(space, id, placement);
  const specs = roleSpecs(space, id, reach, placement);
  problems.push(...duplicateRoleNames(space, id, specs));
  const roles = specs.map((spec) => renderRole(owner, id, spec));
  problems.push(...roles.flatMap((r) => r.problems));

  const irsaRole = id.mode === 'aws-irsa' ? roles[0] : undefined;
  return {
    problems,
    principals: roles.map((r) => principal(owner, r.spec)),
    files: roles.length > 0 ? planFiles(owner, id, roles) : [],
    serviceAccountAnnotations: irsaRole ? { [IRSA_ROLE_ANNOTATION]: irsaRole.spec.arn } : {},
    podLabels: {},
  };
}

/**
 * The AWS identity plan of a plain ESO cluster: one role for ESO's controller service account,
 * with the permissions its external secrets (reads) and push secrets (writes) need from the
 * cluster's AWS stores that have no static credentials. Nothing when no such store exists.
 */
export function planAwsCluster(cluster: EsoCluster): IdentityPlan {
  const id = cluster.identity;
  if (!(id instanceof AwsIdentity)) return emptyPlan();
  const settings = id.check();
  if (settings.length > 0)
    return { ...emptyPlan(), problems: settings.map((m) => ({ path: cluster.node.path, message: `identity: ${m}` })) };
  const stores = clusterIdentityStores(cluster, isAwsProvider);
  if (stores.length === 0) return emptyPlan();

  const owner = clusterOwner(cluster);
  const role = esoClusterRole(cluster, id);
  const uses = clusterIdentityUses(cluster, isAwsProvider);
  const spec: AwsRoleSpec = {
    name: role.name,
    arn: role.arn,
    subjects: [
      { namespace: cluster.namespace, serviceAccount: cluster.serviceAccountName, associationFile: 'pod-identity-association.json' },
    ],
    stores: stores.map((s) => s.store.node.path),
    permissions: permissionsFor(uses, { partition: id.partition, accountId: id.accountId }),
  };
  const rendered = renderRole(owner, id, spec);
  return {
    problems: [...rendered.problems],
    principals: [principal(owner, spec)],
    files: planFiles(owner, id, [rendered]),
    serviceAccountAnnotations: id.mode === 'aws-irsa' ? { [IRSA_ROLE_ANNOTATION]: spec.arn } : {},
    podLabels: {},
  };
}

// ---------------------------------------------------------------------------------------------
// Which planes and secrets count

/** A store and the planes it serves. */
export interface StoreReach {
  readonly store: SecretStore;
  readonly planes: readonly ControlPlane[];
}

/** The Space's stores that authenticate with its AWS workload identity, each with the planes it serves. */
function awsStoreReach(space: Space, placement: Placement): StoreReach[] {
  return workloadIdentityStores(space, isAwsProvider).map(({ store }) => ({
    store,
    planes: placement.ofStore(store).map((r) => r.plane),
  }));
}

/** Planes served by the Space's AWS workload-identity stores; a Problem for each without a host namespace. */
function servedPlanes(space: Space, id: AwsIdentity, placement: Placement): { reach: StoreReach[]; problems: Problem[] } {
  const reach = awsStoreReach(space, placement);
  const unknown = new Map<ControlPlane, string[]>();
  for (const { store, planes } of reach) {
    for (const p of planes) if (p.hostNamespace === undefined) unknown.set(p, [...(unknown.get(p) ?? []), store.name]);
  }
  const needs =
    id.mode === 'aws-irsa'
      ? `the trust policy of the Space's IRSA role must name its service account`
      : `its EKS pod identity association needs the namespace`;
  const problems = [...unknown].map(([plane, stores]) => ({
    path: plane.node.path,
    message: `control plane "${plane.name}" is served by AWS store${stores.length > 1 ? 's' : ''} ${stores.map((s) => `"${s}"`).join(', ')} through the workload identity of Space "${space.name}", but its host namespace is unknown and ${needs}: set controlPlaneId (kubectl get controlplane ${plane.name} -n ${plane.group.name} -o jsonpath='{.status.controlPlaneID}') or hostNamespace.`,
  }));
  return { reach: reach.map((r) => ({ store: r.store, planes: r.planes.filter((p) => p.hostNamespace !== undefined) })), problems };
}

/** Which role a plane's controller uses: the Space's (IRSA), its environment's, or its own. */
interface RoleKey {
  readonly id: string;
  readonly parts: readonly string[];
  readonly environment?: string;
}

function roleKey(space: Space, id: AwsIdentity, p: ControlPlane): RoleKey {
  if (id.mode === 'aws-irsa') return { id: '', parts: [space.name] };
  const env = p.environment?.name;
  if (env !== undefined && id.roleScope === 'environment') return { id: `env/${env}`, parts: [space.name, env], environment: env };
  if (env !== undefined && id.roleScope === 'group-environment')
    return { id: `group-env/${p.group.name}/${env}`, parts: [space.name, p.group.name, env], environment: env };
  return {
    id: `plane/${p.group.name}/${p.name}`,
    parts: [space.name, p.group.name, p.name],
    ...(env !== undefined ? { environment: env } : {}),
  };
}

/** What a role of the key is for, in messages: `environment "dev"`, `group "g" and environment "dev"`, `plane "g/p"`. */
function describeRoleKey(key: RoleKey): string {
  const [kind, a, b] = key.id.split('/');
  if (kind === 'env') return `environment "${a}"`;
  if (kind === 'group-env') return `group "${a}" and environment "${b}"`;
  return `plane "${a}/${b}"`;
}

/**
 * One role per Space (IRSA), or per environment, group and environment, or plane (Pod Identity,
 * `roleScope`; an environment-less plane always has its own), sorted by key.
 */
function roleSpecs(
  space: Space,
  id: AwsIdentity,
  reach: readonly StoreReach[],
  placement: Placement,
): (AwsRoleSpec & { readonly key: RoleKey })[] {
  const groups = new Map<string, { key: RoleKey; planes: Set<ControlPlane> }>();
  for (const p of reach.flatMap((r) => r.planes)) {
    const key = roleKey(space, id, p);
    const g = groups.get(key.id) ?? { key, planes: new Set<ControlPlane>() };
    g.planes.add(p);
    groups.set(key.id, g);
  }
  // The secrets of this Space only (a secret lives in its store's group; one elsewhere is already
  // a problem): walking the whole app for every Space made planning quadratic in the Spaces.
  const secrets = SharedSecret.all(space);
  const arns = { partition: id.partition, accountId: id.accountId };
  return [...groups.values()]
    .sort((a, b) => cmp(a.key.id, b.key.id))
    .map(({ key, planes }) => {
      const stores = reach.filter((r) => r.planes.some((p) => planes.has(p))).map((r) => r.store);
      const uses = secrets
        .filter((s) => stores.includes(s.store) && syncedPlanes(s, reach, placement).some((p) => planes.has(p)))
        .map((s) => ({ provider: s.store.provider, need: sharedSecretNeed(s) }));
      const name = roleName(id.roleNamePrefix, key.parts);
      return {
        key,
        name,
        arn: `arn:${id.partition}:iam::${id.accountId}:role/${name}`,
        ...(key.environment !== undefined ? { environment: key.environment } : {}),
        subjects: [...planes].sort(byPlane).map(planeRoleSubject),
        stores: stores.map((s) => s.node.path),
        permissions: permissionsFor(uses, arns),
      };
    });
}

function planeRoleSubject(p: ControlPlane): AwsRoleSubject {
  return {
    namespace: p.hostNamespace as string,
    serviceAccount: SHARED_SECRETS_SERVICE_ACCOUNT,
    plane: p,
    associationFile: `pod-identity-associations/${p.group.name}/${p.name}.json`,
  };
}

/**
 * Planes a secret is synced to: reached by the secret and by its store (the ClusterExternalSecret
 * needs the projected ClusterSecretStore). Namespaces are not looked at: a plane may hold more
 * namespaces than the model declares.
 */
function syncedPlanes(secret: SharedSecret, reach: readonly StoreReach[], placement: Placement): ControlPlane[] {
  const storePlanes = new Set(reach.find((r) => r.store === secret.store)?.planes ?? []);
  return placement
    .ofSecret(secret)
    .map((r) => r.plane)
    .filter((p) => storePlanes.has(p));
}

function duplicateRoleNames(space: Space, id: AwsIdentity, specs: readonly (AwsRoleSpec & { readonly key: RoleKey })[]): Problem[] {
  const byName = new Map<string, RoleKey[]>();
  for (const s of specs) byName.set(s.name, [...(byName.get(s.name) ?? []), s.key]);
  return [...byName.entries()]
    .filter(([, keys]) => keys.length > 1)
    .map(([name, keys]) => ({
      path: space.node.path,
      message:
        id.roleScope === 'environment'
          ? `two IAM roles of Space "${space.name}" would be named "${name}" (an environment name equals "<group>-<plane>" of a plane without environment): rename the environment or the plane.`
          : `two IAM roles of Space "${space.name}" would be named "${name}" (${keys.map((k) => `the role of ${describeRoleKey(k)}`).join(', and ')}, join their names with '-' to the same text): rename one of the groups, environments or planes.`,
    }));
}

function byPlane(a: ControlPlane, b: ControlPlane): number {
  const ka = `${a.group.name}/${a.name}`;
  const kb = `${b.group.name}/${b.name}`;
  return cmp(ka, kb);
}

// ---------------------------------------------------------------------------------------------
// Documents and limits

/**
 * IRSA: the OIDC provider may federate exactly these service accounts (`sub`, audience
 * `sts.amazonaws.com`). Pod Identity: EKS may (in the identity's account, and cluster with a region).
 */
export function trustPolicy(
  id: AwsIdentity,
  subjects: readonly Pick<AwsRoleSubject, 'namespace' | 'serviceAccount'>[],
  sid = 'SharedSecretsControllers',
): PolicyDocument {
  if (id.mode === 'aws-irsa') {
    const issuer = id.oidcProvider as string;
    const statement = new PolicyStatement({
      sid,
      principal: { Federated: `arn:${id.partition}:iam::${id.accountId}:oidc-provider/${issuer}` },
      actions: ['sts:AssumeRoleWithWebIdentity'],
    })
      .addCondition('StringEquals', `${issuer}:aud`, IRSA_AUDIENCE)
      .addCondition(
        'StringEquals',
        `${issuer}:sub`,
        subjects.map((s) => serviceAccountTokenSubject(s.namespace, s.serviceAccount)),
      );
    return new PolicyDocument([statement]);
  }
  const statement = new PolicyStatement({
    sid: 'EksPodIdentity',
    principal: { Service: POD_IDENTITY_PRINCIPAL },
    actions: ['sts:AssumeRole', 'sts:TagSession'],
  }).addCondition('StringEquals', 'aws:SourceAccount', id.accountId);
  if (id.region) statement.addCondition('ArnEquals', 'aws:SourceArn', clusterArn(id));
  return new PolicyDocument([statement]);
}

/** ARN of the EKS cluster (Pod Identity with a region). */
function clusterArn(id: AwsIdentity): string {
  return `arn:${id.partition}:eks:${id.region}:${id.accountId}:cluster/${id.clusterName}`;
}

function renderRole(owner: IdentityOwner, id: AwsIdentity, spec: AwsRoleSpec): RenderedRole {
  const path = owner.scope.node.path;
  const trust = trustPolicy(id, spec.subjects, owner.kind === 'cluster' ? 'ExternalSecretsController' : undefined);
  const problems: Problem[] = trust.size > id.trustPolicyMaxChars ? [{ path, message: trustProblem(owner, id, spec, trust.size) }] : [];
  const doc = new PolicyDocument(permissionStatements(spec.permissions));
  const { policies, problem } = doc.isEmpty
    ? { policies: [] }
    : id.permissionPolicy === 'inline'
      ? inlinePolicy(spec, doc)
      : managedPolicies(id, spec, doc);
  if (problem) problems.push({ path, message: problem });
  return { spec, trust, policies, problems };
}

/** One inline policy: the role's inline policies may total 10,240 characters. */
function inlinePolicy(spec: AwsRoleSpec, doc: PolicyDocument): { policies: PolicyDocument[]; problem?: string } {
  const L = AWS_IAM_LIMITS;
  if (doc.size <= L.inlinePoliciesPerRole) return { policies: [doc] };
  return {
    policies: [doc],
    problem: `the inline permission policy of IAM role "${spec.name}" has ${doc.size} characters (whitespace not counted), over the ${L.inlinePoliciesPerRole} IAM allows for the inline policies of a role: set permissionPolicy: "managed" on the identity (split into managed policies of ${L.managedPolicy} characters), ${WAYS_OUT}.`,
  };
}

/** Managed policies of at most 6,144 characters each, at most `maxManagedPoliciesPerRole` of them. */
function managedPolicies(id: AwsIdentity, spec: AwsRoleSpec, doc: PolicyDocument): { policies: PolicyDocument[]; problem?: string } {
  const L = AWS_IAM_LIMITS;
  const split = splitPolicy(doc, L.managedPolicy);
  if (!split.ok) {
    return {
      policies: [],
      problem: `statement "${split.statement.sid}" of IAM role "${spec.name}" has ${split.size} characters for the one resource ${quoteValue(split.resource)}, over the ${L.managedPolicy} of a managed policy: shorten the secret name.`,
    };
  }
  const policies = [...split.documents];
  if (policies.length <= id.maxManagedPoliciesPerRole) return { policies };
  return {
    policies,
    problem: `the permission policy of IAM role "${spec.name}" (${doc.size} characters, whitespace not counted) needs ${policies.length} managed policies of at most ${L.managedPolicy} characters, more than the ${id.maxManagedPoliciesPerRole} a role may have (maxManagedPoliciesPerRole): raise the IAM quota "Managed policies per role" (up to ${L.managedPoliciesPerRoleMax}) and set maxManagedPoliciesPerRole, ${WAYS_OUT}.`,
  };
}

/** The other ways out of a permission policy that is too large. */
const WAYS_OUT =
  'read secrets by path prefix (dataFrom.find.path) instead of one by one, or spread the stores over more roles (Pod Identity: one role per environment, or per group and environment or per plane with roleScope)';

function trustProblem(owner: IdentityOwner, id: AwsIdentity, spec: AwsRoleSpec, size: number): string {
  const head = `the trust policy of IAM role "${spec.name}" has ${size} characters (whitespace not counted), over the limit of ${id.trustPolicyMaxChars} (trustPolicyMaxChars; IAM's default quota is ${AWS_IAM_LIMITS.trustPolicyDefault})`;
  const raise = `raise the IAM quota "Role trust policy length" (up to ${AWS_IAM_LIMITS.trustPolicyMax}) and set trustPolicyMaxChars`;
  if (id.mode !== 'aws-irsa' || owner.kind === 'cluster') return `${head}: ${raise}.`;
  return `${head}: it names the service account of ${spec.subjects.length} control planes, one exact sub each, and an IRSA role is shared by every plane of the Space. Raise the IAM quota "Role trust policy length" (up to ${AWS_IAM_LIMITS.trustPolicyMax}) and set trustPolicyMaxChars, serve fewer planes from this Space's AWS stores (move planes to another Space), or use SpaceIdentity.awsPodIdentity (one role per environment, no plane list in the trust policy).`;
}

// ---------------------------------------------------------------------------------------------
// Principals and files

function principal(owner: IdentityOwner, spec: AwsRoleSpec): CloudPrincipal {
  return {
    id: spec.arn,
    cloud: 'aws',
    kind: 'aws-iam-role',
    ...(owner.kind === 'space' ? { space: owner.name } : {}),
    ...(owner.serviceAccount ? { cluster: owner.serviceAccount } : {}),
    ...(spec.environment !== undefined ? { environment: spec.environment } : {}),
    planes: spec.subjects.flatMap((s) => {
      const subject = s.plane && planeSubject(s.plane);
      return subject ? [subject] : [];
    }),
    grants: permissionGrants(spec.permissions),
    stores: [...spec.stores].sort(),
  };
}

/** `permission-policy.json`, or `permission-policy-<n>.json` when the policy is split. */
function policyFileName(i: number, count: number): string {
  return count === 1 ? 'permission-policy.json' : `permission-policy-${i + 1}.json`;
}

/** Managed policy name: the role's name, with `-<n>` when split. */
function policyName(role: string, i: number, count: number): string {
  return count === 1 ? role : `${role}-${i + 1}`;
}

function planFiles(owner: IdentityOwner, id: AwsIdentity, roles: readonly RenderedRole[]): PlannedFile[] {
  const dir = iamDir(owner.dir, 'aws');
  const files: PlannedFile[] = [];
  for (const { spec, trust, policies } of roles) {
    files.push({ path: `${dir}/${spec.name}/trust-policy.json`, json: trust.toJSON(), keys: 'as-given' });
    policies.forEach((doc, i) =>
      files.push({ path: `${dir}/${spec.name}/${policyFileName(i, policies.length)}`, json: doc.toJSON(), keys: 'as-given' }),
    );
    if (id.mode === 'aws-pod-identity') {
      for (const s of spec.subjects) {
        // Field order of `aws eks create-pod-identity-association --cli-input-json`.
        const association = { clusterName: id.clusterName, namespace: s.namespace, serviceAccount: s.serviceAccount, roleArn: spec.arn };
        files.push({ path: `${dir}/${s.associationFile}`, json: association, keys: 'as-given' });
      }
    }
  }
  files.push({ path: `${dir}/README.md`, text: () => readme(owner, id, roles) });
  if (id.crossplane) {
    const manifests = awsCrossplaneManifests(
      owner,
      id,
      roles.map((r) => ({
        name: r.spec.name,
        environment: r.spec.environment,
        trust: r.trust,
        policies: r.policies,
        policyNames: r.policies.map((_, i) => policyName(r.spec.name, i, r.policies.length)),
        associations:
          id.mode === 'aws-pod-identity' ? r.spec.subjects.map((s) => ({ namespace: s.namespace, serviceAccount: s.serviceAccount })) : [],
      })),
    );
    for (const m of manifests) files.push({ path: `${dir}/crossplane/${m.file}`, text: () => multiDocYaml(m.objects), objects: m.objects });
    files.push({ path: `${dir}/crossplane/README.md`, text: () => awsCrossplaneReadme(owner, id, manifests) });
  }
  return files.sort((a, b) => cmp(a.path, b.path));
}

function readme(owner: IdentityOwner, id: AwsIdentity, roles: readonly RenderedRole[]): string {
  const irsa = id.mode === 'aws-irsa';
  const sa = owner.serviceAccount;
  const out: string[] = sa
    ? [
        `# AWS IAM for the ESO controller of cluster "${owner.name}"`,
        '',
        'Generated from the secrets topology; edit the topology, not these files.',
        irsa
          ? `Mode: IRSA. One role for ESO's controller service account \`${sa.namespace}/${sa.serviceAccount}\` (the annotation \`eks.amazonaws.com/role-arn\` in \`${owner.helmValues}\`); its trust policy names that service account exactly.`
          : `Mode: EKS Pod Identity. One role for ESO's controller service account \`${sa.namespace}/${sa.serviceAccount}\`, and one pod identity association for it.`,
        '',
        `Run the commands from this directory (\`dist/${iamDir(owner.dir, 'aws')}\`).`,
      ]
    : [
        `# AWS IAM for the shared-secrets controllers of ${owner.label}`,
        '',
        'Generated from the secrets topology; edit the topology, not these files.',
        irsa
          ? `Mode: IRSA. One role serves every plane of the Space (the Helm annotation \`eks.amazonaws.com/role-arn\` in \`${owner.helmValues}\` is one value per Space); its trust policy names each plane's \`external-secrets-controller\` exactly.`
          : POD_IDENTITY_MODE[id.roleScope],
        '',
        `Run the commands from this directory (\`dist/${iamDir(owner.dir, 'aws')}\`).`,
      ];
  if (id.crossplane) {
    out.push(
      '',
      id.mode === 'aws-pod-identity'
        ? `\`crossplane/\` holds the same roles, policies and pod identity associations as provider-upjet-aws managed resources (\`Role\`, \`Policy\`, \`RolePolicyAttachment\`, \`PodIdentityAssociation\`); see its README.`
        : `\`crossplane/\` holds the same roles and policies as provider-upjet-aws managed resources (\`Role\`, \`Policy\`, \`RolePolicyAttachment\`); see its README.`,
    );
  }
  if (irsa) {
    out.push(
      '',
      'The cluster needs an IAM OIDC provider for its issuer once:',
      '',
      '```sh',
      `eksctl utils associate-iam-oidc-provider --cluster <cluster> --approve  # issuer ${id.oidcIssuer}`,
      '```',
    );
  }
  for (const { spec, policies } of roles) {
    const env = spec.environment !== undefined ? `, environment "${spec.environment}"` : '';
    const who = sa
      ? `Assumed by: \`${sa.namespace}/${sa.serviceAccount}\`.`
      : `Planes: ${spec.subjects.map((s) => `${s.plane?.group.name}/${s.plane?.name} (\`${s.namespace}\`)`).join(', ')}.`;
    out.push('', `## Role \`${spec.name}\`${env}`, '', who, '', '```sh');
    out.push(`aws iam create-role --role-name ${spec.name} --assume-role-policy-document file://${spec.name}/trust-policy.json`);
    out.push(
      `# on later changes: aws iam update-assume-role-policy --role-name ${spec.name} --policy-document file://${spec.name}/trust-policy.json`,
    );
    policies.forEach((_, i) => {
      const file = `file://${spec.name}/${policyFileName(i, policies.length)}`;
      const name = policyName(spec.name, i, policies.length);
      if (id.permissionPolicy === 'inline') {
        out.push(`aws iam put-role-policy --role-name ${spec.name} --policy-name ${name} --policy-document ${file}`);
      } else {
        const arn = `arn:${id.partition}:iam::${id.accountId}:policy/${name}`;
        out.push(`aws iam create-policy --policy-name ${name} --policy-document ${file}`);
        out.push(`aws iam attach-role-policy --role-name ${spec.name} --policy-arn ${arn}`);
        out.push(`# on later changes: aws iam create-policy-version --policy-arn ${arn} --policy-document ${file} --set-as-default`);
      }
    });
    if (!irsa)
      for (const s of spec.subjects) out.push(`aws eks create-pod-identity-association --cli-input-json file://${s.associationFile}`);
    out.push('```');
    const pushes = spec.permissions.some((p) => p.access === 'write');
    if (pushes) {
      out.push(
        '',
        'PushSecrets write to the pushed secrets only. ESO tags what it creates `managed-by=external-secrets` and refuses to overwrite anything without that tag; the policy holds the role to the same: `CreateSecret` / `TagResource` only with that tag in the request, `PutSecretValue` and `DeleteSecret` (only for `deletionPolicy: Delete`) only on secrets carrying it, and a Deny of `TagResource` / `UntagResource` of the `managed-by` key on an existing secret that does not carry it, so the role cannot make a secret it did not create deletable. Parameter Store: `PutParameter` / `AddTagsToResource` / `ListTagsForResource`, `DeleteParameter` only on parameters carrying the tag (SSM has no condition key that limits `AddTagsToResource` to new parameters).',
      );
    }
    const foreign = [
      ...new Set(spec.permissions.filter((p) => p.scope === undefined || p.scope === 'both').map((p) => p.resource.split(':')[4] ?? '')),
    ]
      .filter((a) => a !== '' && a !== id.accountId)
      .sort();
    if (foreign.length > 0) {
      out.push(
        '',
        `Resources in another account (${foreign.join(', ')}): an identity policy alone does not grant cross-account access. Each secret's resource policy must allow \`${spec.arn}\`, and its KMS key must be customer-managed with a key policy that allows it (the AWS-managed key cannot be used across accounts).`,
      );
    }
    const chained = [...new Set(spec.permissions.filter((p) => p.sid === 'AssumeStoreRoles').map((p) => p.resource))].sort();
    if (chained.length > 0) {
      out.push(
        '',
        `Stores with their own \`role\` make ESO assume it after authenticating: ${chained.map((r) => `\`${r}\``).join(', ')}. Each must trust \`${spec.arn}\` (sts:AssumeRole) and grant the reads itself. A chained role is one principal for everything that can assume it: every role that names it reads all of this (the access analysis counts it so).`,
      );
      for (const r of chained) {
        const reads = [
          ...new Set(spec.permissions.filter((p) => p.via === r).map((p) => `${p.actions.join(', ')} on \`${p.resource}\``)),
        ].sort();
        if (reads.length > 0) out.push('', `\`${r}\` must grant:`, '', ...reads.map((x) => `- ${x}`));
      }
    }
  }
  return `${out.join('\n')}\n`;
}
