/**
 * `importCommand` (the `secrets-topology import` entry the dispatcher calls) and its script:
 * options, exit codes (0 mapped fully, 3 mapped with items listed, 1 error), where the code and the
 * report go, and that --out is written whole or not at all.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  StaticCredentials,
  TopologyApp,
} from '../lib/index.js';
import { defaultImportFrom } from '../lib/import/command.js';
import { IMPORT_EXIT, importCommand } from '../lib/import/index.js';
import { importFromDir, scratchDir, yamlFiles } from './support/import.js';

/** A topology every part of which the YAML says: static credentials, declared planes and namespace, no delivery. */
function complete(app: TopologyApp): void {
  const prod = new Environment(app, 'prod', { production: true });
  const group = new Group(new Space(app, 'aws-eu', { cloud: 'aws' }), 'platform');
  new ControlPlane(group, 'eu-prod-1', { environment: prod, namespaces: ['team-a'] });
  const store = new SecretStore(group, 'sm', {
    provider: new AwsSecretsManager({ region: 'eu-central-1', credentials: StaticCredentials.awsAccessKey({ secretName: 'sm-creds' }) }),
    planes: Planes.inEnvironments(prod),
    namespaces: Namespaces.named('team-a'),
  });
  new SharedSecret(group, 'db', { store, data: [{ secretKey: 'password', remoteKey: 'prod/db', property: 'password' }] });
}

function run(argv: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = importCommand(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('importCommand', () => {
  let dir: string;
  let remove: () => void;
  let input: string;
  beforeAll(() => {
    ({ dir, remove } = scratchDir());
    const app = new TopologyApp({ outdir: 'never-written' });
    complete(app);
    input = join(dir, 'complete');
    for (const f of yamlFiles(app.compile())) {
      mkdirSync(join(input, f.path, '..'), { recursive: true });
      writeFileSync(join(input, f.path), f.text);
    }
  });
  afterAll(() => remove());

  it('--help prints the usage and exits 0', () => {
    const r = run(['--help'], dir);
    expect(r.code).toBe(IMPORT_EXIT.OK);
    expect(r.stdout).toMatch(/^Usage: secrets-topology import <file or directory>\.\.\. \[options\]/);
    expect(r.stdout).toContain('Exit codes: 0 everything mapped; 3 mapped, with unmapped items or items to review listed;');
  });

  it.each([
    [[], /name a YAML file or a directory/],
    [['x', '--bogus'], /Unknown option '--bogus'/],
    [['x', '--cloud', 'ibm'], /--cloud "ibm" is not a cloud: use aws, azure or gcp/],
    [['x', '--space', 'Not_A_Name'], /--space "Not_A_Name" is not a valid name/],
    [['x', '--environment-label', 'a b'], /--environment-label "a b" is not a label key/],
    [['x', '--out', ''], /--out is empty/],
    [['does-not-exist'], /"does-not-exist" does not exist or cannot be read/],
  ])('bad arguments %j exit 1 with a message and write nothing', (argv, message) => {
    const before = readdirSync(dir).sort();
    const r = run([...argv], dir);
    expect(r.code).toBe(IMPORT_EXIT.ERROR);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('exit 0 when everything is mapped: the code on stdout, the report on stderr', () => {
    const r = run([input], dir);
    expect(r.code).toBe(IMPORT_EXIT.OK);
    expect(r.stdout).toContain("new SharedSecret(platform, 'db', {");
    expect(r.stderr).toMatch(/^secrets-topology import: \d+ files read; 0 unmapped, 0 review, \d+ note \(--verbose lists the notes\)\.\n$/);
    expect(run([input, '--verbose'], dir).stderr).toContain('[note]');
  });

  it('exit 3 when something is listed (our dist/: Argo CD wiring, placeholder identities)', () => {
    const r = run([join(process.cwd(), 'dist')], dir);
    expect(r.code).toBe(IMPORT_EXIT.INCOMPLETE);
    expect(r.stderr).toContain('[unmapped] Application argocd/aws-eu-platform: GitOps delivery is not imported');
    expect(r.stderr).toContain('[review] Space aws-eu: stores without credentials use the workload identity');
  });

  it('--out writes the file (importing lib/index.js relatively), refuses to replace it without --force, and replaces it with --force', () => {
    const out = join(dir, 'out', 'topology.ts');
    mkdirSync(join(dir, 'out'), { recursive: true });
    const first = run([input, '--out', out], dir);
    expect(first.code).toBe(IMPORT_EXIT.OK);
    expect(first.stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`} from '${importFromDir(join(dir, 'out'))}';`);
    writeFileSync(out, 'mine');
    const again = run([input, '--out', out], dir);
    expect(again.code).toBe(IMPORT_EXIT.ERROR);
    expect(again.stderr).toMatch(/exists: pass --force to replace it/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    expect(run([input, '--out', out, '--force'], dir).code).toBe(IMPORT_EXIT.OK);
    expect(readFileSync(out, 'utf8')).toBe(text);
    expect(readdirSync(join(dir, 'out'))).toEqual(['topology.ts']);
  });

  it('imports the package by name where it is installed, this checkout relatively where it is not', () => {
    const installed = join('/app', 'node_modules', 'secrets-topology', 'build', 'lib', 'index.js');
    expect(defaultImportFrom(join('/app', 'src', 'topology.ts'), installed)).toBe('secrets-topology');
    expect(defaultImportFrom(undefined, installed)).toBe('secrets-topology');
    const checkout = join('/work', 'repo', 'lib', 'index.js');
    expect(defaultImportFrom(join('/work', 'repo', 'examples', 'topology.ts'), checkout)).toBe('../lib/index.js');
    expect(defaultImportFrom(join('/work', 'repo', 'topology.ts'), checkout)).toBe('./lib/index.js');
    expect(defaultImportFrom(undefined, checkout)).toBe('./lib/index.js');
  });

  it('--out into a missing directory or onto a directory exits 1', () => {
    expect(run([input, '--out', join(dir, 'missing', 'x.ts')], dir).stderr).toMatch(/does not exist: create it first/);
    expect(run([input, '--out', dir], dir).stderr).toMatch(/is a directory: name a file/);
  });

  it('a topology that does not synthesize yet: exit 1, the file is written with the problems on top', () => {
    const out = join(dir, 'literal.ts');
    const r = run([join(process.cwd(), 'test/fixtures/import/docs-literal'), '--out', out], dir);
    expect(r.code).toBe(IMPORT_EXIT.ERROR);
    expect(r.stderr).toContain('The generated topology does not synthesize yet (4 problems, listed at the top of');
    expect(r.stderr).toContain('imported/default/aws-sm: role "iam-role" is not an IAM role ARN');
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('// ! imported/default/aws-sm: role "iam-role" is not an IAM role ARN');
  });

  it('the layout is read from the path as given: importing one Space directory keeps its name', () => {
    const r = run(['dist/spaces/aws-us', '--verbose'], process.cwd());
    expect(r.stdout).toContain("const awsUs = new Space(app, 'aws-us', {");
    expect(r.stderr).not.toContain('imported into Space "imported"');
  });

  it('the options name what the YAML does not say', () => {
    const r = run(
      [join(process.cwd(), 'test/fixtures/import/docs'), '--space', 'upbound-eu', '--cloud', 'aws', '--environment-label', 'environment'],
      dir,
    );
    expect(r.code).toBe(IMPORT_EXIT.INCOMPLETE);
    expect(r.stdout).toContain("new Space(app, 'upbound-eu', {");
  });

  it('secrets-topology import runs the command end to end (the bin, as npm run import-yaml does)', () => {
    const r = spawnSync(process.execPath, [join(process.cwd(), 'bin/secrets-topology.mjs'), 'import', input], {
      cwd: process.cwd(),
      encoding: 'utf8',
    });
    expect(r.status).toBe(IMPORT_EXIT.OK);
    expect(r.stdout).toContain('export function buildImportedTopology(app: TopologyApp): TopologyApp {');
    expect(r.stderr).toMatch(/^secrets-topology import: /);
  });
});
