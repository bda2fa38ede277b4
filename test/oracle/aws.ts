/**
 * AWS ground truth from the emitted documents, decided by a real IAM policy engine
 * (`@cloud-copilot/iam-simulate`, AGPL-3.0, tests only):
 *
 * - a role is one principal, whatever directory its documents are in: documents written for the
 *   same role ARN by several owners (a Space and another Space, or a plain ESO cluster whose
 *   `roleArn` names it) all count, since any of them may be the one in force;
 * - a plane becomes a role when a trust policy lets its controller's token in (IRSA: the issuer of
 *   its Space's EKS cluster, `sub` = `system:serviceaccount:<host ns>:external-secrets-controller`,
 *   `aud` = `sts.amazonaws.com`; simulated with the issuer aliased, see test/fixtures/aws-iam-sim.ts),
 *   or when a pod identity association of its cluster, host namespace and service account names
 *   the role and the role's trust lets EKS Pod Identity in (`aws:SourceAccount`, `aws:SourceArn`);
 * - from a role, every role its permission policies allow `sts:AssumeRole` on (the README tells
 *   the operator to make a store's role trust the roles that chain to it);
 * - a role reads every remote secret its permission policies allow (`GetSecretValue`,
 *   `GetParameter`, or `GetParametersByPath` on a parent path), with the secret's tags as
 *   `aws:ResourceTag/*`, as if in the role's account (a secret of another account is readable when
 *   its resource policy allows, which the README asks for); a role named by stores' `role` also
 *   reads what those stores reference (the README says it must grant that itself).
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { createHash } from 'node:crypto';
import { aliasIssuer, serviceAccountSub, webIdentityRequest } from '../fixtures/aws-iam-sim.js';
import type { Artifacts, StoreArtifact } from './artifacts.js';
import { providerBackend, resolveRef, type Concrete } from './universe.js';
import { CONTROLLER_SA, spaceEks, type EksCluster, type WorldPlane } from './world.js';

type Json = Record<string, unknown>;

/** iam-simulate with a bounded memo (the same documents recur across topologies). */
export class IamSimulator {
  private readonly memo = new Map<string, boolean>();
  /** Simulations run and answered from the memo. */
  public runs = 0;
  public hits = 0;

  public async allowed(sim: Simulation): Promise<boolean> {
    const key = createHash('sha1').update(JSON.stringify(sim)).digest('base64');
    const seen = this.memo.get(key);
    if (seen !== undefined) {
      this.hits++;
      return seen;
    }
    this.runs++;
    const r = await runSimulation(sim, { simulationMode: 'Strict' });
    if (r.resultType === 'error')
      throw new Error(`iam-simulate rejected the request: ${JSON.stringify(r.errors)} (${JSON.stringify(sim.request)})`);
    if (r.resultType === 'single' && (r.result.ignoredContextKeys ?? []).length > 0)
      throw new Error(`iam-simulate ignored context keys ${JSON.stringify(r.result.ignoredContextKeys)}: the decision would prove nothing`);
    const allowed = r.overallResult === 'Allowed';
    if (this.memo.size > 200_000) this.memo.clear();
    this.memo.set(key, allowed);
    return allowed;
  }
}

/** One IAM role of the artifacts: every document any owner wrote for it. */
interface AwsRole {
  readonly arn: string;
  readonly account: string;
  readonly trusts: readonly Json[];
  readonly permissions: readonly Json[];
  /** Owner directories that wrote documents for it. */
  readonly owners: ReadonlySet<string>;
}

/** Why a role reads a secret: its permission policies, or as the `role` of a store that references it (the README's word). */
export type RoleGrant = 'policy' | 'store-role';

/** How a plane became a role: its entry (`irsa`, `pod-identity`, or a credentials Secret) and the roles chained to after it. */
export interface RoleChain {
  readonly entry: string;
  readonly roles: readonly string[];
}

function accountOfTrust(trust: Json): string | undefined {
  const text = JSON.stringify(trust);
  return /oidc-provider/.test(text)
    ? /arn:[^:"]+:iam::(\d{12}):oidc-provider/.exec(text)?.[1]
    : /"aws:SourceAccount":"?(\d{12})/.exec(text.replace(/\s/g, ''))?.[1];
}

export class AwsTruth {
  private readonly roles = new Map<string, AwsRole>();
  /** Stores that chain to a role (`provider.aws.role`), by role ARN. */
  private readonly chainedStores = new Map<string, StoreArtifact[]>();
  private readonly readsMemo = new Map<string, Promise<Map<string, RoleGrant>>>();
  private readonly assumeMemo = new Map<string, Promise<boolean>>();

  public constructor(
    private readonly artifacts: Artifacts,
    private readonly all: readonly Concrete[],
    private readonly sim: IamSimulator,
  ) {
    const byArn = new Map<string, { arn: string; account: string; trusts: Json[]; permissions: Json[]; owners: Set<string> }>();
    for (const docs of artifacts.roles) {
      const account = docs.trust ? accountOfTrust(docs.trust) : undefined;
      if (!account) continue;
      const arn = `arn:aws:iam::${account}:role/${docs.name}`;
      const role = byArn.get(arn) ?? { arn, account, trusts: [], permissions: [], owners: new Set<string>() };
      if (docs.trust) role.trusts.push(docs.trust);
      role.permissions.push(...docs.permissions);
      role.owners.add(docs.owner.dir);
      byArn.set(arn, role);
    }
    for (const [arn, r] of byArn) this.roles.set(arn, r);
    for (const s of artifacts.stores) {
      const role = (s.provider.aws as { role?: unknown } | undefined)?.role;
      if (typeof role === 'string') this.chainedStores.set(role, [...(this.chainedStores.get(role) ?? []), s]);
    }
  }

  /** The role with this ARN, when documents were written for it. */
  public role(arn: string): AwsRole | undefined {
    return this.roles.get(arn);
  }

  /** Every role a plane's controller can become directly (IRSA trust or pod identity association). */
  public async entryRoles(plane: WorldPlane): Promise<Map<string, RoleChain>> {
    if (plane.space.cloud !== 'aws') return new Map();
    return this.entryRolesOf(spaceEks(plane.space), plane.hostNamespace, CONTROLLER_SA);
  }

  /** Every role a pod of `namespace` / `serviceAccount` on an EKS cluster can become directly (a plane's controller, an ESO cluster's). */
  public async entryRolesOf(eks: EksCluster, namespace: string, serviceAccount: string): Promise<Map<string, RoleChain>> {
    const out = new Map<string, RoleChain>();
    const issuer = eks.issuer.replace(/^https:\/\//, '').replace(/\/+$/, '');
    for (const role of this.roles.values()) {
      for (const trust of role.trusts) {
        if (!JSON.stringify(trust).includes(`${issuer}:sub`)) continue;
        const req = webIdentityRequest(serviceAccountSub(namespace, serviceAccount), 'sts.amazonaws.com', role.account);
        const ok = await this.sim.allowed({
          request: {
            principal: req.principal,
            action: req.action,
            resource: { resource: role.arn, accountId: role.account },
            contextVariables: req.context,
          },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: aliasIssuer(trust, issuer),
        });
        if (ok) out.set(role.arn, { entry: 'irsa', roles: [role.arn] });
      }
    }
    for (const a of this.artifacts.associations) {
      if (a.clusterName !== eks.name || a.namespace !== namespace || a.serviceAccount !== serviceAccount) continue;
      const role = this.roles.get(a.roleArn);
      for (const trust of role?.trusts ?? []) {
        if (JSON.stringify(trust).includes('oidc-provider')) continue;
        const ok = await this.sim.allowed({
          request: {
            principal: 'pods.eks.amazonaws.com',
            action: 'sts:AssumeRole',
            resource: { resource: a.roleArn, accountId: role?.account ?? eks.account },
            contextVariables: {
              'aws:SourceAccount': eks.account,
              'aws:SourceArn': `arn:aws:eks:${eks.region}:${eks.account}:cluster/${eks.name}`,
            },
          },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: trust,
        });
        if (ok) out.set(a.roleArn, { entry: 'pod-identity', roles: [a.roleArn] });
      }
    }
    return out;
  }

  /** The roles reachable from `start` by `sts:AssumeRole`, with how (start included). */
  public async closure(start: ReadonlyMap<string, RoleChain>): Promise<Map<string, RoleChain>> {
    const out = new Map(start);
    const targets = [...new Set([...this.roles.keys(), ...this.chainedStores.keys()])];
    const queue = [...start.keys()];
    while (queue.length > 0) {
      const from = queue.shift() as string;
      const chain = out.get(from) as RoleChain;
      for (const to of targets) {
        if (out.has(to) || !(await this.canAssume(from, to))) continue;
        out.set(to, { entry: chain.entry, roles: [...chain.roles, to] });
        queue.push(to);
      }
    }
    return out;
  }

  private canAssume(from: string, to: string): Promise<boolean> {
    const key = `${from}\u0000${to}`;
    let p = this.assumeMemo.get(key);
    if (!p) {
      const role = this.roles.get(from);
      p = role && role.permissions.length > 0 ? this.identityAllows(role, 'sts:AssumeRole', to, {}) : Promise.resolve(false);
      this.assumeMemo.set(key, p);
    }
    return p;
  }

  private identityAllows(role: AwsRole, action: string, resource: string, context: Record<string, string>): Promise<boolean> {
    return this.sim.allowed({
      request: {
        principal: `arn:aws:sts::${role.account}:assumed-role/${role.arn.split('/').pop()}/oracle`,
        action,
        resource: { resource, accountId: role.account },
        contextVariables: context,
      },
      identityPolicies: role.permissions.map((policy, i) => ({ name: `policy-${i + 1}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    });
  }

  /** The remote secrets a role reads: by its permission policies, or as the `role` of stores that reference them. */
  public reads(arn: string): Promise<Map<string, RoleGrant>> {
    let p = this.readsMemo.get(arn);
    if (!p) {
      p = this.computeReads(arn);
      this.readsMemo.set(arn, p);
    }
    return p;
  }

  private async computeReads(arn: string): Promise<Map<string, RoleGrant>> {
    const out = new Map<string, RoleGrant>();
    const account = arn.split(':')[4] ?? '';
    for (const s of this.chainedStores.get(arn) ?? []) {
      const backend = providerBackend(s.provider, account);
      if (backend) for (const ref of s.refs) for (const c of resolveRef(ref, backend, this.all)) out.set(c.id, 'store-role');
    }
    const role = this.roles.get(arn);
    if (role && role.permissions.length > 0) {
      for (const c of this.all) if (await this.allowsRead(role, c)) out.set(c.id, 'policy');
    }
    return out;
  }

  private async allowsRead(role: AwsRole, c: Concrete): Promise<boolean> {
    const b = c.remote.backend;
    if (b.kind !== 'sm' && b.kind !== 'ps') return false;
    const tags = Object.fromEntries(Object.entries(c.remote.tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    const arn = c.names[0];
    if (b.kind === 'sm') return this.identityAllows(role, 'secretsmanager:GetSecretValue', arn, tags);
    if (await this.identityAllows(role, 'ssm:GetParameter', arn, tags)) return true;
    // GetParametersByPath is authorized on the path: every parent path of the parameter reads it.
    const parts = c.remote.name.replace(/^\/+/, '').split('/');
    const root = `arn:aws:ssm:${b.region}:${b.account}:parameter/`;
    for (let i = parts.length - 1; i >= 0; i--) {
      // The root path "/" is `parameter/`; iam-simulate needs a resource after the type, so "//" (the same matches).
      const path = i === 0 ? `${root}/` : `${root}${parts.slice(0, i).join('/')}`;
      if (await this.identityAllows(role, 'ssm:GetParametersByPath', path, {})) return true;
    }
    return false;
  }
}
