/**
 * The access matrix's AWS entries against an IAM policy simulation of the documents the AWS
 * identity stage really writes: for every AWS principal, every remote secret of the model is
 * simulated against its permission policies (`@cloud-copilot/iam-simulate`, an AGPL-3.0
 * devDependency used only here), and every plane of its Space against its trust policy. The matrix
 * must say "readable" exactly when the simulation allows.
 *
 * Trust policies name an arbitrary OIDC issuer, whose `:sub`/`:aud` keys iam-simulate ignores in
 * Strict mode, so the issuer is aliased to `cognito-identity.amazonaws.com` in both the policy and
 * the request (the StringEquals semantics are unchanged).
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { ControlPlane, Guardrails, TopologyApp, type Compilation } from '../lib/index.js';
import { AccessMatrix } from '../lib/analysis/access.js';
import { ACCOUNT, irsaTwoEnv } from './fixtures/analysis-topologies.js';

interface PolicyDoc {
  readonly Statement: ReadonlyArray<{ readonly Principal?: unknown; readonly Condition?: Record<string, Record<string, unknown>> }>;
}

const COGNITO = 'cognito-identity.amazonaws.com';

function compile(): { c: Compilation; app: TopologyApp } | { error: string } {
  const app = new TopologyApp();
  const t = irsaTwoEnv(app);
  Guardrails.allow(t.space, ['cross-environment', 'production-secret-outside-production'], 'IRSA: one role per Space');
  try {
    return { c: app.compile(), app };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const compiled = compile();
const c = 'c' in compiled ? compiled.c : undefined;
const identity = c?.context.identity;
const awsPrincipals = (identity?.principals ?? []).filter((p) => p.cloud === 'aws');

/** The permission and trust documents written for a role (found by the role name in the path). */
function documentsOf(roleArn: string): { permissions: unknown[]; trust?: PolicyDoc } {
  const name = roleArn.split('/').pop() as string;
  const permissions: unknown[] = [];
  let trust: PolicyDoc | undefined;
  for (const [path, content] of c?.files ?? []) {
    if (!path.endsWith('.json') || !path.split('/').includes(name)) continue;
    const doc = JSON.parse(content) as Partial<PolicyDoc>;
    if (!Array.isArray(doc.Statement)) continue;
    if (doc.Statement.some((s) => s.Principal !== undefined)) trust = doc as PolicyDoc;
    else permissions.push(doc);
  }
  return { permissions, trust };
}

const missing =
  c === undefined
    ? `the fixture does not compile: ${'error' in compiled ? compiled.error : ''}`
    : awsPrincipals.length === 0
      ? 'the AWS identity stage published no principal'
      : awsPrincipals.some((p) => documentsOf(p.id).permissions.length === 0)
        ? 'no permission policy file found for an AWS principal'
        : undefined;

async function allowed(sim: Simulation): Promise<boolean> {
  const r = await runSimulation(sim, {});
  if (r.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(r.errors)}`);
  return r.overallResult === 'Allowed';
}

describe.skipIf(missing !== undefined)(`AWS principals simulated with iam-simulate${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const matrix = c?.context.access as AccessMatrix;

  it('permission policies allow exactly the remote secrets the matrix says each role reads', async () => {
    const refs = new Map<string, { secret: string; ref: string; kind: 'key' | 'find'; resource: string }>();
    for (const e of matrix.entries) {
      if (!e.remote.resource.startsWith('arn:aws:')) continue;
      refs.set(`${e.secret}\u0000${e.remote.ref}`, {
        secret: e.secret,
        ref: e.remote.ref,
        kind: e.remote.kind,
        resource: e.remote.resource,
      });
    }
    expect(refs.size).toBeGreaterThanOrEqual(4);
    let checked = 0;
    for (const p of awsPrincipals) {
      const { permissions } = documentsOf(p.id);
      const reads = new Set((matrix.principals.find((x) => x.id === p.id)?.reads ?? []).map((r) => `${r.secret}\u0000${r.ref}`));
      for (const [key, r] of refs) {
        let action: string;
        let resource: string;
        if (r.resource.includes(':secretsmanager:')) {
          action = 'secretsmanager:GetSecretValue';
          resource = r.kind === 'key' ? r.resource.replace(/-\?{6}$/, '-Ab12Cd') : r.resource.replace(/\*$/, 'x-Ab12Cd');
        } else if (r.kind === 'find') {
          action = 'ssm:GetParametersByPath';
          resource = r.resource.replace(/\/\*$/, '');
        } else {
          action = 'ssm:GetParameter';
          resource = r.resource;
        }
        const sim: Simulation = {
          request: { principal: p.id, action, resource: { resource, accountId: ACCOUNT }, contextVariables: {} },
          identityPolicies: permissions.map((policy, i) => ({ name: `policy-${i}`, policy })),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        };
        expect(await allowed(sim), `${p.id} ${action} ${resource}`).toBe(reads.has(key));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('trust policies let exactly the planes the principal lists assume the role', async () => {
    let checked = 0;
    for (const p of awsPrincipals) {
      const { trust } = documentsOf(p.id);
      if (!trust) continue;
      // Alias the OIDC issuer (condition-key prefix and federated principal) to Cognito.
      const text = JSON.stringify(trust);
      const issuer = /"([^"]+):sub"/.exec(text)?.[1];
      if (!issuer) continue;
      const aliased = JSON.parse(
        text
          .split(`${issuer}:`)
          .join(`${COGNITO}:`)
          .replace(/"Federated":"[^"]+"/, `"Federated":"${COGNITO}"`),
      ) as unknown;
      const listed = new Set(p.planes.map((s) => `${s.space}/${s.group}/${s.plane}`));
      for (const plane of ControlPlane.all(compiled && 'app' in compiled ? compiled.app : new TopologyApp())) {
        if (plane.group.space.name !== p.space || !plane.hostNamespace) continue;
        const sim: Simulation = {
          request: {
            principal: COGNITO,
            action: 'sts:AssumeRoleWithWebIdentity',
            resource: { resource: p.id, accountId: ACCOUNT },
            contextVariables: {
              [`${COGNITO}:aud`]: 'sts.amazonaws.com',
              [`${COGNITO}:sub`]: `system:serviceaccount:${plane.hostNamespace}:external-secrets-controller`,
            },
          },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: aliased,
        };
        const key = `${plane.group.space.name}/${plane.group.name}/${plane.name}`;
        expect(await allowed(sim), `${key} assumes ${p.id}`).toBe(listed.has(key));
        checked++;
      }
      // A host namespace that is not a plane of the Space is refused.
      const stranger: Simulation = {
        request: {
          principal: COGNITO,
          action: 'sts:AssumeRoleWithWebIdentity',
          resource: { resource: p.id, accountId: ACCOUNT },
          contextVariables: {
            [`${COGNITO}:aud`]: 'sts.amazonaws.com',
            [`${COGNITO}:sub`]: 'system:serviceaccount:mxp-stranger-system:external-secrets-controller',
          },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: aliased,
      };
      expect(await allowed(stranger)).toBe(false);
    }
    expect(checked).toBeGreaterThan(0);
  });
});
