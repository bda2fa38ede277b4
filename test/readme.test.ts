import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** The TypeScript blocks of a README section, with the library import pointed at this checkout. */
function snippet(section: string): string {
  const text = readFileSync(join(root, 'README.md'), 'utf8');
  const body = text.split(`## ${section}`)[1]?.split('\n## ')[0] ?? '';
  const code = body.split('```ts')[1]?.split('```')[0];
  if (!code) throw new Error(`README section "${section}" has no ts block`);
  return code.replace("'./lib/index.js'", `'${join(root, 'lib/index.ts')}'`);
}

describe('README', () => {
  const work = mkdtempSync(join(tmpdir(), 'readme-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the short example synthesizes what the README says', () => {
    const script = join(work, 'example.ts');
    writeFileSync(script, snippet('A short example'));
    const out = join(work, 'dist');
    execFileSync(join(root, 'node_modules/.bin/tsx'), [script], { cwd: root, env: { ...process.env, CDK8S_OUTDIR: out } });
    const group = join(out, 'spaces/aws-eu/groups/platform');
    for (const f of [
      'namespace.yaml',
      'controlplane-eu-prod-1.yaml',
      'sharedsecretstore-aws-sm-prod.yaml',
      'sharedexternalsecret-db-credentials.yaml',
      'kustomization.yaml',
    ]) {
      expect(existsSync(join(group, f)), f).toBe(true);
    }
    expect(existsSync(join(out, 'spaces/aws-eu/helm/spaces-values.yaml'))).toBe(true);
    const secret = readFileSync(join(group, 'sharedexternalsecret-db-credentials.yaml'), 'utf8');
    expect(secret).toContain('kind: ClusterSecretStore');
    expect(secret).toContain('refreshInterval: 15m');
  });
});
