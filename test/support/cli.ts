/**
 * Running the `secrets-topology` command in tests: in this process (`runCli` with captured output,
 * fast) or as a process through the bin shim; temporary git repositories and projects whose app is
 * a topology of this checkout.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runCli } from '../../lib/cli/main.js';
import type { CliIo } from '../../lib/cli/io.js';

/** The root of this checkout. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** tsx of this checkout. */
export const TSX = join(ROOT, 'node_modules/.bin/tsx');
/** The bin shim. */
export const BIN = join(ROOT, 'bin/secrets-topology.mjs');

/** The result of a command: exit code and what it wrote. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command in this process, in `cwd`, with `env` added to this process's environment. */
export async function cli(
  cwd: string,
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
  tty = false,
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd,
    env: { ...process.env, GITHUB_BASE_REF: undefined, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: undefined, ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: tty },
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

/** Runs git in `cwd` (as a test user, unsigned); its trimmed stdout; throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Writes files (path relative to `dir` → text), creating directories. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/**
 * A project whose app builds `sharedIdentityTopology` (test/fixtures/review-topologies.ts) with
 * the given options: `topology.ts`, `cdk8s.yaml` (app run by this checkout's tsx) and a
 * `.gitignore` for the CI's own directories.
 */
export function projectFiles(options: Record<string, unknown>): Record<string, string> {
  return {
    'topology.ts': [
      `import { TopologyApp } from ${JSON.stringify(join(ROOT, 'lib/index.ts'))};`,
      `import { sharedIdentityTopology } from ${JSON.stringify(join(ROOT, 'test/fixtures/review-topologies.ts'))};`,
      'const app = new TopologyApp();',
      `sharedIdentityTopology(app, ${JSON.stringify(options)});`,
      'app.synth();',
      '',
    ].join('\n'),
    'cdk8s.yaml': `app: ${TSX} topology.ts\noutput: dist\n`,
    '.gitignore': 'node_modules/\nsecrets-review/\n',
  };
}
