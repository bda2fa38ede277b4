/** The IAM policy value classes: rendering order, sizes, and splitting at an exact limit. */
import { describe, expect, it } from 'vitest';
import { PolicyDocument, PolicyStatement, policySize, splitPolicy } from '../lib/identity/aws-policy.js';
import { roleName } from '../lib/model/space-identity.js';

const arn = (n: number, len = 10) =>
  `arn:aws:secretsmanager:eu-central-1:111122223333:secret:${String(n).padStart(3, '0')}${'x'.repeat(len)}-??????`;

describe('PolicyStatement', () => {
  it('renders keys in review order, sorted actions and resources, sorted conditions', () => {
    const s = new PolicyStatement({ sid: 'Read', principal: { Service: 'pods.eks.amazonaws.com' }, actions: ['b:Y', 'a:X', 'a:X'] })
      .addResources('r2', 'r1')
      .addCondition('StringEquals', 'z:key', 'v')
      .addCondition('ArnEquals', 'aws:SourceArn', ['b', 'a']);
    expect(JSON.stringify(s.toJSON())).toBe(
      '{"Sid":"Read","Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["a:X","b:Y"],"Resource":["r1","r2"],"Condition":{"ArnEquals":{"aws:SourceArn":["a","b"]},"StringEquals":{"z:key":"v"}}}',
    );
  });

  it('a condition key given one string stays a string; more values make it a list', () => {
    const s = new PolicyStatement({ actions: ['a:X'] }).addCondition('StringEquals', 'k', 'one');
    expect(s.conditions).toEqual({ StringEquals: { k: 'one' } });
    s.addCondition('StringEquals', 'k', 'two');
    expect(s.conditions).toEqual({ StringEquals: { k: ['one', 'two'] } });
  });

  it('rejects a Sid IAM would reject', () => {
    expect(() => new PolicyStatement({ sid: 'not-valid' })).toThrow(/letters and digits/);
  });
});

describe('PolicyDocument', () => {
  it('size is the JSON without whitespace; render is indented with a trailing newline', () => {
    const d = new PolicyDocument([new PolicyStatement({ sid: 'A', actions: ['s3:GetObject'], resources: ['*'] })]);
    expect(d.size).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}'.length,
    );
    expect(d.render()).toBe(`${JSON.stringify(JSON.parse(d.render()), null, 2)}\n`);
    expect(policySize(JSON.parse(d.render()))).toBe(d.size);
  });
});

describe('splitPolicy', () => {
  const doc = new PolicyDocument([
    new PolicyStatement({
      sid: 'Read',
      actions: ['secretsmanager:GetSecretValue'],
      resources: Array.from({ length: 30 }, (_, i) => arn(i)),
    }),
    new PolicyStatement({ sid: 'List', actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
  ]);

  it('a document exactly at the limit stays whole', () => {
    const r = splitPolicy(doc, doc.size);
    expect(r.ok && r.documents.map((d) => d.size)).toEqual([doc.size]);
  });

  it('one character less splits it; the parts keep statement order and Sids, and every resource once', () => {
    const r = splitPolicy(doc, doc.size - 1);
    if (!r.ok) throw new Error('split failed');
    expect(r.documents).toHaveLength(2);
    for (const d of r.documents) expect(d.size).toBeLessThanOrEqual(doc.size - 1);
    const statements = r.documents.flatMap((d) => d.statements);
    expect(statements.map((s) => s.sid)).toEqual(['Read', 'List']);
    expect(statements.flatMap((s) => s.resources)).toEqual([...doc.statements.flatMap((s) => s.resources)]);
  });

  it('fills each document as far as it goes (first fit, in order)', () => {
    const limit = Math.floor(doc.size / 3);
    const r = splitPolicy(doc, limit);
    if (!r.ok) throw new Error('split failed');
    const sizes = r.documents.map((d) => d.size);
    for (const [i, d] of r.documents.entries()) {
      const next = r.documents[i + 1]?.statements[0];
      if (!next) continue;
      const first = next.resources[0];
      const grown = new PolicyDocument([...d.statements, next.withResources([first])]);
      const merged =
        d.statements.at(-1)?.sid === next.sid
          ? new PolicyDocument([
              ...d.statements.slice(0, -1),
              (d.statements.at(-1) as PolicyStatement).withResources([...(d.statements.at(-1) as PolicyStatement).resources, first]),
            ])
          : grown;
      expect(merged.size, `document ${i + 1} could take one more resource`).toBeGreaterThan(limit);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(limit);
  });

  it('a single resource that cannot fit is reported', () => {
    const big = new PolicyDocument([new PolicyStatement({ sid: 'Read', actions: ['a:B'], resources: [arn(1, 400)] })]);
    const r = splitPolicy(big, big.size - 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.statement.sid, r.resource, r.size]).toEqual(['Read', arn(1, 400), big.size]);
  });
});

describe('roleName', () => {
  it('is <prefix><parts>-shared-secrets when short enough', () => {
    expect(roleName('p-', ['space', 'prod'])).toBe('p-space-prod-shared-secrets');
  });

  it('is cut to 64 characters with a stable hash of the full name', () => {
    const a = roleName('', ['s'.repeat(45), 'env-a']);
    const b = roleName('', ['s'.repeat(45), 'env-b']);
    expect(a).toHaveLength(64);
    expect(b).toHaveLength(64);
    expect(a).not.toBe(b);
    expect(roleName('', ['s'.repeat(45), 'env-a'])).toBe(a);
    expect(roleName('', ['x'.repeat(34)])).toHaveLength(49);
    expect(roleName('', ['x'.repeat(49)])).toBe(`${'x'.repeat(49)}-shared-secrets`);
    expect(roleName('', ['x'.repeat(50)])).toMatch(/^x{50}-shar-[0-9a-f]{8}$/);
  });
});
