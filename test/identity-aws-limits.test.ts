/**
 * IAM quotas, checked before apply time: each limit at its exact value (accepted) and one past it
 * (split, or a Problem naming the limit, the count and the ways out). Sizes are measured on the
 * generated files the way IAM counts them: characters without whitespace.
 */
import { describe, expect, it } from 'vitest';
import { TopologyError, type AwsRoleOptions, type Problem } from '../lib/index.js';
import { canRoleDo, concreteSecretArn } from './fixtures/aws-iam-sim.js';
import { iamFiles, jsonFile, scaled, type AwsMode } from './fixtures/aws-topologies.js';

/** IAM's count: JSON without whitespace (our files have no whitespace inside strings). */
const iamSize = (text: string): number => JSON.stringify(JSON.parse(text)).length;

/** `base[i]` + 'x' * k_i with sum(k_i) = extra, each result at most `max` characters. */
function pad(base: readonly string[], extra: number, max: number): string[] {
  let left = extra;
  const out = base.map((b) => {
    const k = Math.min(left, max - b.length);
    left -= k;
    return `${b}${'x'.repeat(k)}`;
  });
  if (left > 0) throw new Error(`cannot pad ${extra} characters into ${base.length} names of at most ${max}`);
  return out;
}

const ROLE = 'scale-shared-secrets';
type Opts = { planes: number; secretNames: readonly string[]; hostNamespaces?: readonly string[]; identity?: AwsRoleOptions };

function compileFiles(mode: AwsMode, opts: Opts) {
  return iamFiles(scaled(mode, opts).app.compile(), 'scale');
}

function problemsOf(mode: AwsMode, opts: Opts): Problem[] {
  return scaled(mode, opts).app.problems();
}

function permissionFiles(files: ReadonlyMap<string, string>): string[] {
  return [...files.keys()].filter((p) => p.startsWith(`${ROLE}/permission-policy`)).sort();
}

describe('IRSA trust policy: 2,048 characters by default', () => {
  const planes = 20;
  const base = Array.from({ length: planes }, (_, i) => `ns-${String(i + 1).padStart(2, '0')}`);
  const trustSize = (namespaces: readonly string[], identity?: AwsRoleOptions) =>
    iamSize(
      compileFiles('irsa', { planes, secretNames: ['app/a'], hostNamespaces: namespaces, identity }).get(
        `${ROLE}/trust-policy.json`,
      ) as string,
    );
  const s0 = trustSize(base, { trustPolicyMaxChars: 4096 });
  const at = (limit: number, more = 0) => pad(base, limit - s0 + more, 63);

  it('a trust policy of exactly 2,048 characters is accepted', () => {
    expect(trustSize(at(2048))).toBe(2048);
  });

  it('one character more is a Problem naming the limit, the count and the ways out', () => {
    const problems = problemsOf('irsa', { planes, secretNames: ['app/a'], hostNamespaces: at(2048, 1) });
    expect(problems).toEqual([
      {
        path: 'scale',
        message: `the trust policy of IAM role "${ROLE}" has 2049 characters (whitespace not counted), over the limit of 2048 (trustPolicyMaxChars; IAM's default quota is 2048): it names the service account of 20 control planes, one exact sub each, and an IRSA role is shared by every plane of the Space. Raise the IAM quota "Role trust policy length" (up to 4096) and set trustPolicyMaxChars, serve fewer planes from this Space's AWS stores (move planes to another Space), or use SpaceIdentity.awsPodIdentity (one role per environment, no plane list in the trust policy).`,
      },
    ]);
    expect(() => scaled('irsa', { planes, secretNames: ['app/a'], hostNamespaces: at(2048, 1) }).app.compile()).toThrow(TopologyError);
  });

  it('with the quota raised (trustPolicyMaxChars: 4096), 2,049 is fine', () => {
    expect(trustSize(at(2048, 1), { trustPolicyMaxChars: 4096 })).toBe(2049);
  });

  it('with an EKS issuer, 15 planes with controlPlaneId fit the default quota; the 16th does not', () => {
    const fits = (n: number) => problemsOf('irsa', { planes: n, secretNames: ['app/a'] }).length === 0;
    expect(fits(15)).toBe(true);
    expect(fits(16)).toBe(false);
  });
});

describe('IRSA trust policy with the raised quota: 4,096 characters', () => {
  const planes = 40;
  const base = Array.from({ length: planes }, (_, i) => `ns-${String(i + 1).padStart(2, '0')}`);
  const identity = { trustPolicyMaxChars: 4096 };
  const s0 = iamSize(
    compileFiles('irsa', { planes, secretNames: ['app/a'], hostNamespaces: base, identity }).get(`${ROLE}/trust-policy.json`) as string,
  );

  it('exactly 4,096 is accepted, 4,097 is a Problem', () => {
    const at = compileFiles('irsa', { planes, secretNames: ['app/a'], hostNamespaces: pad(base, 4096 - s0, 63), identity });
    expect(iamSize(at.get(`${ROLE}/trust-policy.json`) as string)).toBe(4096);
    const past = problemsOf('irsa', { planes, secretNames: ['app/a'], hostNamespaces: pad(base, 4097 - s0, 63), identity });
    expect(past.map((p) => p.message)).toEqual([
      expect.stringContaining('has 4097 characters (whitespace not counted), over the limit of 4096'),
    ]);
  });

  it("the setting itself cannot pass IAM's highest quota", () => {
    const problems = problemsOf('irsa', { planes: 1, secretNames: ['app/a'], identity: { trustPolicyMaxChars: 4097 } });
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('trustPolicyMaxChars 4097 is out of range')]);
  });
});

describe('Pod Identity trust policies do not grow with planes', () => {
  it('40 planes, 40 roles of the same small trust policy', () => {
    const files = compileFiles('pod-identity', { planes: 40, secretNames: ['app/a'] });
    const trusts = [...files.keys()].filter((p) => p.endsWith('/trust-policy.json'));
    expect(trusts).toHaveLength(40);
    expect(new Set(trusts.map((p) => files.get(p))).size).toBe(1);
    expect(iamSize(files.get(trusts[0]) as string)).toBeLessThan(300);
  });
});

describe('managed permission policies: 6,144 characters each, 10 per role by default', () => {
  const base = Array.from({ length: 20 }, (_, i) => `k${String(i + 1).padStart(2, '0')}/`);
  const s0 = iamSize(compileFiles('irsa', { planes: 1, secretNames: base }).get(`${ROLE}/permission-policy.json`) as string);

  it('a policy of exactly 6,144 characters stays one managed policy', () => {
    const files = compileFiles('irsa', { planes: 1, secretNames: pad(base, 6144 - s0, 512) });
    expect(permissionFiles(files)).toEqual([`${ROLE}/permission-policy.json`]);
    expect(iamSize(files.get(`${ROLE}/permission-policy.json`) as string)).toBe(6144);
  });

  it('one character more splits it into two, each within the limit, together granting every secret', async () => {
    const names = pad(base, 6145 - s0, 512);
    const files = compileFiles('irsa', { planes: 1, secretNames: names });
    const parts = permissionFiles(files);
    expect(parts).toEqual([`${ROLE}/permission-policy-1.json`, `${ROLE}/permission-policy-2.json`]);
    for (const p of parts) expect(iamSize(files.get(p) as string)).toBeLessThanOrEqual(6144);
    const policies = parts.map((p) => jsonFile(files, p));
    for (const name of names)
      expect(await canRoleDo(policies, 'secretsmanager:GetSecretValue', concreteSecretArn(name)), name).toBe('Allowed');
    expect(await canRoleDo(policies, 'secretsmanager:GetSecretValue', concreteSecretArn('k99/other'))).toBe('ImplicitlyDenied');
    const readme = files.get('README.md') as string;
    expect(readme).toContain(`aws iam create-policy --policy-name ${ROLE}-2 --policy-document file://${ROLE}/permission-policy-2.json`);
    expect(readme).toContain(`aws iam attach-role-policy --role-name ${ROLE} --policy-arn arn:aws:iam::111122223333:policy/${ROLE}-2`);
  });

  /** Secret names of ~500 characters: about eleven fit one managed policy. */
  const long = (n: number) => Array.from({ length: n }, (_, i) => `s${String(i).padStart(3, '0')}/${'y'.repeat(490)}`);
  const count = (n: number) =>
    permissionFiles(compileFiles('irsa', { planes: 1, secretNames: long(n), identity: { maxManagedPoliciesPerRole: 20 } })).length;
  /** Most secrets that still fit in `policies` managed policies. */
  const mostFitting = (policies: number): number => {
    let lo = 1;
    let hi = (policies + 1) * 12; // about eleven per policy
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (count(mid) <= policies) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const at10 = mostFitting(10);

  it('exactly 10 managed policies are accepted', () => {
    expect(permissionFiles(compileFiles('irsa', { planes: 1, secretNames: long(at10) }))).toHaveLength(10);
  });

  it('an 11th is a Problem naming the limit, the count and the ways out', () => {
    const problems = problemsOf('irsa', { planes: 1, secretNames: long(at10 + 1) });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('scale');
    expect(problems[0]?.message).toMatch(
      new RegExp(
        `^the permission policy of IAM role "${ROLE}" \\(\\d+ characters, whitespace not counted\\) needs 11 managed policies of at most 6144 characters, more than the 10 a role may have \\(maxManagedPoliciesPerRole\\): raise the IAM quota "Managed policies per role" \\(up to 20\\) and set maxManagedPoliciesPerRole, read secrets by path prefix`,
      ),
    );
  });

  it('a lower setting (maxManagedPoliciesPerRole: 2) is the limit: 2 accepted, 3 refused', () => {
    const at2 = mostFitting(2);
    expect(
      permissionFiles(compileFiles('irsa', { planes: 1, secretNames: long(at2), identity: { maxManagedPoliciesPerRole: 2 } })),
    ).toHaveLength(2);
    const past = problemsOf('irsa', { planes: 1, secretNames: long(at2 + 1), identity: { maxManagedPoliciesPerRole: 2 } });
    expect(past.map((p) => p.message)).toEqual([
      expect.stringContaining('needs 3 managed policies of at most 6144 characters, more than the 2 a role may have'),
    ]);
  });

  it("the setting itself cannot pass IAM's highest quota", () => {
    const problems = problemsOf('irsa', { planes: 1, secretNames: ['a'], identity: { maxManagedPoliciesPerRole: 21 } });
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('maxManagedPoliciesPerRole 21 is out of range')]);
  });
});

describe('inline permission policy: 10,240 characters per role', () => {
  const identity: AwsRoleOptions = { permissionPolicy: 'inline' };
  const base = Array.from({ length: 30 }, (_, i) => `k${String(i + 1).padStart(2, '0')}/`);
  const s0 = iamSize(compileFiles('irsa', { planes: 1, secretNames: base, identity }).get(`${ROLE}/permission-policy.json`) as string);

  it('exactly 10,240 is one inline policy, applied with put-role-policy', () => {
    const files = compileFiles('irsa', { planes: 1, secretNames: pad(base, 10240 - s0, 512), identity });
    expect(permissionFiles(files)).toEqual([`${ROLE}/permission-policy.json`]);
    expect(iamSize(files.get(`${ROLE}/permission-policy.json`) as string)).toBe(10240);
    expect(files.get('README.md')).toContain(
      `aws iam put-role-policy --role-name ${ROLE} --policy-name ${ROLE} --policy-document file://${ROLE}/permission-policy.json`,
    );
    expect(files.get('README.md')).not.toContain('create-policy');
  });

  it('10,241 is a Problem that suggests managed policies', () => {
    const problems = problemsOf('irsa', { planes: 1, secretNames: pad(base, 10241 - s0, 512), identity });
    expect(problems.map((p) => p.message)).toEqual([
      `the inline permission policy of IAM role "${ROLE}" has 10241 characters (whitespace not counted), over the 10240 IAM allows for the inline policies of a role: set permissionPolicy: "managed" on the identity (split into managed policies of 6144 characters), read secrets by path prefix (dataFrom.find.path) instead of one by one, or spread the stores over more roles (Pod Identity: one role per environment, or per group and environment or per plane with roleScope).`,
    ]);
  });
});
