/**
 * The `secrets-topology` command: the dispatcher (help, usage errors, exit codes), `synth` (the
 * user's app into the output directory, the summary line, progress only on a terminal) and
 * `check` (a fresh synthesis against the committed output), on a temporary project whose app is a
 * topology of this checkout. Most runs are in this process (`runCli`); one goes through the bin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, EXIT_MEANINGS } from '../lib/cli/exit-codes.js';
import { COMMANDS, programHelp } from '../lib/cli/main.js';
import { BIN, ROOT, TSX, cli, projectFiles, writeFiles } from './support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A new project directory with the app of `options`. */
const SMALL = { planes: 2, secrets: 2, identity: 'pod-identity', environments: ['dev', 'prod'] };

function project(name: string, options: Record<string, unknown> = SMALL): string {
  const dir = join(work, name);
  writeFiles(dir, projectFiles(options));
  return dir;
}

describe('the dispatcher', () => {
  it('prints the help with every command and exit code, on stdout for --help and on stderr (exit 64) with no command', async () => {
    const help = await cli(work, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toBe(programHelp());
    for (const c of COMMANDS) expect(help.stdout).toContain(`  ${c.name}`);
    for (const [code, meaning] of EXIT_MEANINGS)
      expect(help.stdout).toMatch(new RegExp(`\\n  ${code} +${meaning.replace(/[()/.]/g, '\\$&')}\\n`));
    const none = await cli(work, []);
    expect(none.status).toBe(EXIT.usage);
    expect(none.stderr).toBe(programHelp());
    expect((await cli(work, ['help', 'review'])).stdout).toContain('Usage: secrets-topology review [options]');
  });

  it('the README lists the same commands and exit codes', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.split('## Command line')[1]?.split('\n## ')[0] ?? '';
    for (const c of COMMANDS) expect(section).toContain(`| \`${[c.name, ...(c.arguments ?? [])].join(' ')}\` |`);
    const codes = [...section.matchAll(/^\| (\d+) \| /gm)].map((m) => Number(m[1]));
    expect(codes).toEqual(EXIT_MEANINGS.map(([code]) => code));
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s --help says its usage, options and exit codes', async (name, command) => {
    for (const flag of ['--help', '-h']) {
      const r = await cli(work, [name, flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: secrets-topology ${name}`);
      for (const option of Object.keys(command.options)) expect(r.stdout).toContain(`--${option}`);
      for (const code of command.exitCodes) expect(r.stdout).toMatch(new RegExp(`\\n  ${code} `));
    }
  });

  it('refuses an unknown command, an unknown option and missing or extra arguments with exit 64', async () => {
    const cases: Array<[string[], string]> = [
      [['frobnicate'], 'secrets-topology: unknown command "frobnicate"; the commands are synth, check, review'],
      [['synth', '--bogus'], "secrets-topology synth: Unknown option '--bogus'. See secrets-topology synth --help."],
      [['review', '--base'], "secrets-topology review: Option '-b, --base <value>' argument missing. See secrets-topology review --help."],
      [
        ['who-can-read'],
        'secrets-topology who-can-read: missing <remote secret>. Usage: secrets-topology who-can-read <remote secret> [options]',
      ],
      [['explain', 'dev-1'], 'secrets-topology explain: missing <remote secret>.'],
      [['synth', 'extra'], 'secrets-topology synth: unexpected argument "extra".'],
      [['check', '--skip-check'], "Unknown option '--skip-check'"],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(work, argv);
      expect(r.status, argv.join(' ')).toBe(EXIT.usage);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('says how to name the app when there is no cdk8s.yaml, and when it has no app', async () => {
    const empty = join(work, 'empty');
    writeFiles(empty, { 'README.md': 'no project here\n' });
    const r = await cli(empty, ['synth']);
    expect(r.status).toBe(EXIT.failed);
    expect(r.stderr).toContain(
      `secrets-topology synth: there is no cdk8s.yaml in ${empty}: run secrets-topology in the directory of your topology's cdk8s.yaml, or pass --app`,
    );
    writeFiles(empty, { 'cdk8s.yaml': 'language: typescript\n' });
    expect((await cli(empty, ['check'])).stderr).toContain('cdk8s.yaml has no "app"');
    writeFiles(empty, { 'cdk8s.yaml': 'app: [1, 2\n' });
    expect((await cli(empty, ['synth'])).stderr).toContain('cdk8s.yaml is not valid YAML');
  });
});

describe('synth and check on a project', () => {
  const dir = project('synth');
  const dist = join(dir, 'dist');

  it('synth runs the app into the output directory and ends with one summary line on stdout, nothing else when not on a terminal', async () => {
    const r = await cli(dir, ['synth']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^synth: 1 Space, 2 planes, \d+ objects, \d+ files, \d+(\.\d)? (B|KB|MB) in dist\/ \(\d+\.\d s\)\n$/);
    const files = readdirSync(dist, { recursive: true }).length;
    expect(files).toBeGreaterThan(5);
    const objects = Number(/, (\d+) objects,/.exec(r.stdout)?.[1]);
    const kinds = readdirSync(join(dist, 'spaces/eks/groups/apps')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect(objects).toBeGreaterThanOrEqual(kinds.length);
  });

  it('check passes on the output it wrote and fails (exit 3) listing what differs, is missing or is left over', async () => {
    const ok = await cli(dir, ['check']);
    expect(ok.stdout).toMatch(/^check: dist\/ is up to date \(\d+ files\)\.\n$/);
    expect(ok.status).toBe(0);
    // The topology changes without a new synthesis, and dist/ holds a file synthesis does not write.
    writeFiles(dir, projectFiles({ ...SMALL, planes: 3 }));
    writeFileSync(join(dist, 'stray.yaml'), 'kind: Stray\n');
    const stale = await cli(dir, ['check']);
    expect(stale.status).toBe(EXIT.outOfDate);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toMatch(/^check: dist\/ is out of date with the topology: \d+ files differ from what it synthesizes to\.\n/);
    expect(stale.stderr).toContain('  differs:               report.json\n');
    expect(stale.stderr).toContain('  missing in dist/:      spaces/eks/groups/apps/controlplane-dev-2.yaml\n');
    expect(stale.stderr).toContain('  not produced any more: stray.yaml\n');
    expect(stale.stderr).toContain('Run `npx secrets-topology synth` and commit dist/.');
    // check never writes: dist/ is as it was.
    expect(existsSync(join(dist, 'stray.yaml'))).toBe(true);
    expect(existsSync(join(dist, 'spaces/eks/groups/apps/controlplane-dev-2.yaml'))).toBe(false);
  });

  it('who-can-read answers from a fresh synthesis of the app when no --report is given', async () => {
    const r = await cli(dir, ['who-can-read', 'prod/app-1', '--json']);
    expect(r.status).toBe(0);
    const answer = JSON.parse(r.stdout) as { remotes: Array<{ id: string }>; planes: Array<{ plane: string; readable: boolean }> };
    expect(answer.remotes.map((x) => x.id)).toEqual(['eks/apps/prod-app-1#prod/app-1']);
    expect(answer.planes.map((p) => [p.plane, p.readable])).toEqual([['eks/apps/prod-1', true]]);
  });

  it('a failing app exits 1 with its problems, writes nothing and prints no summary', async () => {
    const before = readFileSync(join(dist, 'report.json'), 'utf8');
    const r = await cli(dir, ['synth', '--app', `${TSX} -e "throw new Error('boom')"`]);
    expect(r.status).toBe(EXIT.failed);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('boom');
    expect(r.stderr).toContain('failed with exit code 1 (its messages are above); the output directory was left as it was.');
    expect(readFileSync(join(dist, 'report.json'), 'utf8')).toBe(before);
  });

  it('an output directory synthesis must not replace is refused by the app, before anything is written', async () => {
    for (const output of ['.', '..', join(dir, 'topology.ts')]) {
      const r = await cli(dir, ['synth', '--output', output]);
      expect(r.status, output).toBe(EXIT.failed);
      expect(r.stderr).toContain('the output directory');
      expect(r.stdout).toBe('');
    }
    expect(readFileSync(join(dir, 'topology.ts'), 'utf8')).toContain('sharedIdentityTopology');
  });

  it('shows progress on a terminal only, after two seconds, and clears it', async () => {
    const slow = `node -e "setTimeout(() => {}, 3500)" && ${TSX} topology.ts`;
    const tty = await cli(dir, ['synth', '--app', slow, '--output', 'dist-slow'], {}, true);
    expect(tty.status).toBe(0);
    expect(tty.stderr).toMatch(/\r\u001b\[2Ksynth: [2-9] s \(node -e/);
    expect(tty.stderr.endsWith('\r\u001b[2K')).toBe(true);
    expect(tty.stdout).toMatch(/^synth: 1 Space, 3 planes, .* in dist-slow\/ \(\d+\.\d s\)\n$/);
    const quiet = await cli(dir, ['synth', '--app', slow, '--output', 'dist-slow'], {}, false);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/^synth: /);
  });

  it('runs through the bin (npm scripts, npx) with the same exit codes', () => {
    const r = spawnSync(process.execPath, [BIN, 'check'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(EXIT.outOfDate);
    expect(r.stderr).toContain('check: dist/ is out of date');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.bin['secrets-topology']).toBe('bin/secrets-topology.mjs');
    for (const s of ['synth', 'check', 'review']) expect(pkg.scripts[s]).toBe(`node bin/secrets-topology.mjs ${s}`);
  });

  it('refuses --artifacts in the output directory or a link, before anything runs', async () => {
    symlinkSync(work, join(dir, 'linked'));
    for (const [artifacts, message] of [
      ['dist', 'is the output directory dist/'],
      ['dist/review', 'is inside the output directory dist/'],
      ['linked', 'is not a directory (or is a link)'],
    ] as const) {
      const r = await cli(dir, ['review', '--artifacts', artifacts]);
      expect(r.status, artifacts).toBe(EXIT.usage);
      expect(r.stderr).toContain(message);
    }
  });
});
