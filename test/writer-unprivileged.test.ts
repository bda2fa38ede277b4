/**
 * As an unprivileged user (uid/gid 65534 when the tests run as root), in a temporary directory:
 * - permissions: a read-only output directory (or a directory in it), a read-only parent, a parent
 *   that cannot be created, an unreadable output directory, a sticky parent owned by someone else;
 *   each is one message naming the path, the operation and what to do, exit code 1, and everything
 *   as it was (no half-swapped output, no `.dist.old-*`, no staging directory, no lock);
 * - no escape: every form of output directory (prop and CDK8S_OUTDIR), output file path and planted
 *   link that could make synth write or delete outside its output directory is tried in one process;
 *   all are refused, and nothing in the temporary directory changed.
 */
import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from '../lib/output/outdir.js';
import { IS_ROOT, ROOT, runScript, snapshot, startScript, writeOutput } from './support/output-dirs.js';

const work = mkdtempSync(join(tmpdir(), 'topology-unprivileged-'));
chmodSync(work, 0o755);
afterAll(() => {
  for (const e of readdirSync(work, { recursive: true, withFileTypes: true }))
    if (e.isDirectory()) chmodSync(join(e.parentPath, e.name), 0o755);
  rmSync(work, { recursive: true, force: true });
});

const SYNTH = join(work, 'synth.ts');
writeFileSync(
  SYNTH,
  `import { TopologyApp } from ${JSON.stringify(join(ROOT, 'lib', 'index.ts'))};
import { minimal } from ${JSON.stringify(join(ROOT, 'test', 'fixtures', 'topologies.ts'))};
minimal(new TopologyApp({ outdir: process.argv[2] })).app.synth();
`,
);

/** Hands `dir` and everything below it to the children's user. */
function giveAway(dir: string): void {
  if (!IS_ROOT) return;
  chownSync(dir, 65534, 65534);
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) lchownSync(join(e.parentPath, e.name), 65534, 65534);
}

const OLD = { 'old.yaml': 'old\n', 'spaces/a/x.yaml': 'x\n' };
let n = 0;
function prepare(): { parent: string; outdir: string } {
  const parent = join(work, `case-${n++}`);
  mkdirSync(parent);
  writeFileSync(join(parent, 'bystander.txt'), 'keep\n');
  const outdir = join(parent, 'dist');
  writeOutput(outdir, OLD);
  giveAway(parent);
  return { parent, outdir };
}

const HEAD = '^could not write the output; ".*/dist" was left as it was:\\n {2}- ';

describe('permissions', () => {
  it.each([
    [
      'a read-only output directory (chmod -R a-w)',
      (p: { outdir: string }) => {
        for (const d of ['spaces/a', 'spaces', '.']) chmodSync(join(p.outdir, d), 0o555);
      },
      /delete the previous output in ".*\/dist": the directory is not writable for the user running synth, so the previous output could not be deleted \(EACCES\): make it writable \(e\.g\. chmod -R u\+w ".*\/dist"\), or delete the previous output first\.\n$/,
    ],
    [
      'a read-only directory inside the output',
      (p: { outdir: string }) => chmodSync(join(p.outdir, 'spaces', 'a'), 0o555),
      /delete the previous output in ".*\/dist\/spaces\/a": the directory is not writable/,
    ],
    [
      'a read-only parent',
      (p: { parent: string }) => chmodSync(p.parent, 0o555),
      /take the lock ".*\/\.dist\.lock": permission denied \(EACCES\): give the user running synth( \(uid \d+\))? write access to ".*case-\d+", or set "outdir" \(or CDK8S_OUTDIR\) elsewhere\.\n$/,
    ],
    [
      'an unreadable output directory',
      (p: { outdir: string }) => chmodSync(p.outdir, 0o000),
      /read ".*\/dist": permission denied \(EACCES\)/,
    ],
  ])('%s: one message, exit 1, everything as it was', (_what, restrict, message) => {
    const p = prepare();
    restrict(p);
    const before = snapshot(p.parent);
    const r = runScript(SYNTH, { cwd: work, args: [p.outdir] });
    expect(r.stderr).toMatch(new RegExp(HEAD));
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status).toBe(1);
    expect(snapshot(p.parent)).toEqual(before);
  });

  it('a parent that cannot be created', () => {
    const p = prepare();
    chmodSync(p.parent, 0o555);
    const before = snapshot(p.parent);
    const r = runScript(SYNTH, { cwd: work, args: [join(p.parent, 'new', 'dist')] });
    expect(r.stderr).toMatch(
      /^could not write the output; ".*\/new\/dist" was left as it was:\n {2}- create the parent directory ".*\/new": permission denied \(EACCES\)/,
    );
    expect(r.status).toBe(1);
    expect(snapshot(p.parent)).toEqual(before);
  });

  it.runIf(IS_ROOT)('a sticky parent (like /tmp) and an output directory of another user: EPERM on the rename, nothing changed', () => {
    const parent = join(work, `sticky-${n++}`);
    mkdirSync(parent);
    chmodSync(parent, 0o1777);
    const outdir = join(parent, 'dist');
    writeOutput(outdir, OLD);
    for (const e of readdirSync(outdir, { recursive: true, withFileTypes: true }))
      if (e.isDirectory()) chmodSync(join(e.parentPath, e.name), 0o777);
    chmodSync(outdir, 0o777);
    const before = snapshot(parent);
    const r = runScript(SYNTH, { cwd: work, args: [outdir] });
    expect(r.stderr).toMatch(
      new RegExp(
        `${HEAD}move the previous output aside ".*/dist": operation not permitted \\(EPERM\\): give the user running synth \\(uid 65534\\) ownership of ".*sticky-\\d+" \\(a sticky directory such as /tmp lets only the owner move entries\\), or set "outdir" elsewhere\\.\\n$`,
      ),
    );
    expect(r.status).toBe(1);
    expect(snapshot(parent)).toEqual(before);
  });
});

describe('no input makes synth write or delete outside its output directory', () => {
  // The child waits for the traps named after its pid, then tries every form and reports.
  const TRY = join(work, 'try.ts');
  writeFileSync(
    TRY,
    `import { TextFile, TopologyApp } from ${JSON.stringify(join(ROOT, 'lib', 'index.ts'))};
import { minimal } from ${JSON.stringify(join(ROOT, 'test', 'fixtures', 'topologies.ts'))};
const [outdirs, paths] = JSON.parse(process.argv[2]) as [string[], string[]];
const results: Array<{ form: string; exitCode: number | undefined; stderr: string }> = [];
function attempt(form: string, make: () => TopologyApp): void {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    make().synth();
  } catch (e) {
    stderr += 'THROWN ' + String(e);
  } finally {
    process.stderr.write = write;
  }
  results.push({ form, exitCode: process.exitCode as number | undefined, stderr });
}
process.stdout.write('PID ' + process.pid + '\\n');
process.stdin.once('data', () => {
  for (const o of outdirs) {
    attempt('prop ' + JSON.stringify(o), () => minimal(new TopologyApp({ outdir: o })).app);
    if (o.includes('\\u0000')) continue; // an environment variable cannot hold one
    process.env.CDK8S_OUTDIR = o;
    attempt('CDK8S_OUTDIR=' + JSON.stringify(o), () => minimal(new TopologyApp()).app);
    delete process.env.CDK8S_OUTDIR;
  }
  for (const p of paths) {
    attempt('file ' + JSON.stringify(p), () => {
      const app = minimal(new TopologyApp({ outdir: 'dist' })).app;
      new TextFile(app, 'file', { path: p, text: 'escaped' });
      return app;
    });
  }
  process.stdout.write('RESULTS ' + JSON.stringify(results) + '\\n');
  process.exitCode = 0;
  process.stdin.destroy();
});
`,
  );

  it('every form is refused with a message, and nothing in the sandbox changed', async () => {
    const sandbox = join(work, 'sandbox');
    const project = join(sandbox, 'project');
    const home = join(sandbox, 'home');
    const other = join(sandbox, 'other');
    mkdirSync(join(project, 'src'), { recursive: true });
    mkdirSync(home);
    mkdirSync(join(other, 'marked'), { recursive: true });
    writeFileSync(join(project, 'main.ts'), '// the topology\n');
    writeFileSync(join(project, 'src', 'keep.txt'), 'keep\n');
    writeFileSync(join(home, '.bashrc'), 'export X=1\n');
    writeFileSync(join(other, 'victim.txt'), 'victim\n');
    writeFileSync(join(other, 'marked', OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    writeFileSync(join(other, 'marked', 'victim.yaml'), 'victim\n');
    for (const d of ['dist', 'out2', 'out3']) writeOutput(join(project, d), { 'old.yaml': `${d}\n` });
    symlinkSync('../other', join(project, 'link-to-other'));
    symlinkSync('../home', join(project, 'link-to-home'));
    symlinkSync('.', join(project, 'link-to-cwd'));
    symlinkSync('..', join(project, 'link-to-parent'));
    symlinkSync('loop', join(project, 'loop'));
    symlinkSync('../other/new-dir', join(project, 'dangling'));
    symlinkSync('../other/victim.txt', join(project, 'link-to-file'));
    symlinkSync('../other/victim.txt', join(project, '.out3.lock'));
    giveAway(sandbox);

    const child = startScript(TRY, {
      cwd: project,
      env: { HOME: home },
      args: [
        JSON.stringify([
          [
            '',
            ' ',
            '.',
            './',
            '..',
            '../..',
            '/',
            project,
            home,
            sandbox,
            `${project}/`,
            'src',
            'main.ts',
            'link-to-other',
            'link-to-home',
            'link-to-cwd',
            'link-to-parent',
            'loop',
            'dangling',
            'link-to-file',
            'dist\u0000x',
            `${'x'.repeat(5000)}`,
            'dist',
            'out2',
            'out3',
            join(other, 'marked', '..'),
          ],
          // Every form of output file path is checked in-process (outdir.test.ts); here, those that would leave the directory.
          ['../escape.txt', '/tmp/abs.txt', 'a/../../escape.txt', 'a\\..\\..\\x', '.secrets-topology-next/x'],
        ]),
      ],
    });
    await child.waitFor('PID ');
    const pid = Number(/PID (\d+)/.exec(child.out())?.[1]);
    // Traps at the names this process would use: its staging and old directories as links to a marked directory elsewhere.
    symlinkSync('../other/marked', join(project, `.dist.staging-${pid}`));
    symlinkSync('../other/marked', join(project, `.out2.old-${pid}`));
    giveAway(sandbox);
    const before = snapshot(sandbox);
    child.send('go');
    await child.waitFor('RESULTS ');
    await child.exited;
    const results = JSON.parse(/RESULTS (.*)/.exec(child.out())?.[1] ?? '[]') as Array<{
      form: string;
      exitCode: number | undefined;
      stderr: string;
    }>;
    expect(results).toHaveLength(26 * 2 - 1 + 5);
    for (const r of results) {
      expect(r.exitCode, `${r.form}: ${r.stderr}`).toBe(1);
      expect(r.stderr, r.form).toMatch(
        /^(\d+ problems? in the secrets topology; nothing was written|could not write the output; .* was left as it was):\n {2}- /,
      );
      expect(r.stderr, r.form).not.toMatch(/^\s+at |THROWN/m);
    }
    expect(snapshot(sandbox)).toEqual(before);
  }, 300_000);
});
