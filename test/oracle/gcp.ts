/**
 * GCP ground truth from the emitted bindings, with the documented semantics of GKE Workload
 * Identity Federation and IAM conditions:
 *
 * - the workload pool is per PROJECT (`<project id>.svc.id.goog`): a plane's controller is the
 *   principal `principal://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<id>.svc.id.goog/subject/ns/<host ns>/sa/external-secrets-controller`
 *   (and the member `serviceAccount:<id>.svc.id.goog[<host ns>/external-secrets-controller]`), so
 *   every plane of every Space whose cluster runs in that project with that host namespace is the
 *   same principal;
 * - it can impersonate every Google service account whose policy (the union of what every Space or
 *   cluster wrote for it) grants it `roles/iam.workloadIdentityUser` or
 *   `roles/iam.serviceAccountTokenCreator` (under any condition: conservative);
 * - a member reads a secret when a binding of a role with `secretmanager.versions.access` in the
 *   secret's project lists it and its condition holds for the secret version's resource name
 *   (`projects/<number>/secrets/<id>/versions/latest`, CEL evaluated by ./cel.ts).
 */
import type { Artifacts, GcpBinding } from './artifacts.js';
import { evaluateCel } from './cel.js';
import type { Concrete } from './universe.js';
import { CONTROLLER_SA, GCP_PROJECTS, gkeProject, type WorldPlane } from './world.js';

/** Roles that include `secretmanager.versions.access`. */
const ACCESSORS = new Set(['roles/secretmanager.secretAccessor', 'roles/secretmanager.admin', 'roles/owner']);
/** Roles that let a member act as a Google service account. */
const IMPERSONATORS = new Set(['roles/iam.workloadIdentityUser', 'roles/iam.serviceAccountTokenCreator']);

export class GcpTruth {
  /** Bindings by project ID. */
  private readonly projects = new Map<string, GcpBinding[]>();
  /** Service-account policies by email, with the owners that wrote them. */
  private readonly serviceAccounts = new Map<string, { bindings: GcpBinding[]; owners: Set<string> }>();

  public constructor(
    artifacts: Artifacts,
    private readonly all: readonly Concrete[],
  ) {
    for (const docs of artifacts.gcp) {
      for (const [project, bindings] of docs.projects) this.projects.set(project, [...(this.projects.get(project) ?? []), ...bindings]);
      const sa = docs.serviceAccountPolicy;
      if (sa) {
        const seen = this.serviceAccounts.get(sa.email) ?? { bindings: [], owners: new Set<string>() };
        seen.bindings.push(...sa.bindings);
        seen.owners.add(docs.owner.dir);
        this.serviceAccounts.set(sa.email, seen);
      }
    }
  }

  /** The members a plane's controller is (GKE workload identity): its principal identifier and its service-account member. */
  public membersOf(plane: WorldPlane): string[] {
    if (plane.space.cloud !== 'gcp') return [];
    const p = gkeProject(plane.space);
    const pool = `${p.id}.svc.id.goog`;
    return [
      `principal://iam.googleapis.com/projects/${p.number}/locations/global/workloadIdentityPools/${pool}/subject/ns/${plane.hostNamespace}/sa/${CONTROLLER_SA}`,
      `serviceAccount:${pool}[${plane.hostNamespace}/${CONTROLLER_SA}]`,
    ];
  }

  /** Google service accounts one of the members can impersonate. */
  public impersonable(members: readonly string[]): string[] {
    return [...this.serviceAccounts.entries()]
      .filter(([, sa]) => sa.bindings.some((b) => IMPERSONATORS.has(b.role) && b.members.some((m) => members.includes(m))))
      .map(([email]) => email);
  }

  /** Owner directories that wrote the policy of a Google service account. */
  public serviceAccountOwners(email: string): ReadonlySet<string> {
    return this.serviceAccounts.get(email)?.owners ?? new Set();
  }

  /** The secrets a member reads. */
  public reads(member: string): Set<string> {
    const out = new Set<string>();
    for (const c of this.all) {
      const b = c.remote.backend;
      if (b.kind !== 'gsm') continue;
      const project = GCP_PROJECTS[b.project];
      const resource = {
        name: `projects/${project.number}/secrets/${c.remote.name}/versions/latest`,
        type: 'secretmanager.googleapis.com/SecretVersion',
        service: 'secretmanager.googleapis.com',
      };
      const bindings = this.projects.get(project.id) ?? [];
      if (
        bindings.some(
          (x) =>
            ACCESSORS.has(x.role) &&
            x.members.includes(member) &&
            (x.condition === undefined || evaluateCel(x.condition.expression, resource)),
        )
      )
        out.add(c.id);
    }
    return out;
  }
}
