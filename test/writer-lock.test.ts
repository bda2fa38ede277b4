/**
 * One synth at a time per output directory (a watch and a manual run, two CI steps): the second
 * gets a message naming the first (its pid, host and start), exit code 1, and the output as it
 * was; neither removes the other's staging directory. A lock whose process is gone (killed, or its
 * pid reused) is taken over; a lock of another host, or a file that is not a lock, is reported and
 * left alone. Real processes (as an unprivileged user when the tests run as root) and in-process
 * cases with hand-made lock files.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TopologyApp } from '../lib/index.js';
import { OutputError, StagedDirectory, writeAtomically } from '../lib/output/writer.js';
import { minimal } from './fixtures/topologies.js';
import { IS_ROOT, ROOT, runScript, snapshot, startScript, tree, tsxArgs, UNPRIVILEGED, writeOutput } from './support/output-dirs.js';

const work = mkdtempSync(join(tmpdir(), 'topology-lock-'));
chmodSync(work, 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOLDER = join(work, 'holder.ts');
const SYNTH = join(work, 'synth.ts');
writeFileSync(
  HOLDER,
  `import { StagedDirectory } from ${JSON.stringify(join(ROOT, 'lib', 'output', 'writer.ts'))};
const staged = new StagedDirectory(process.argv[2]);
staged.write('holder.txt', 'held\\n');
staged.read('holder.txt');
process.stdout.write('HOLDING\\n');
process.stdin.once('data', (d) => {
  if (String(d).startsWith('commit')) staged.commit();
  else staged.abort();
  process.stdout.write('DONE\\n');
  process.exit(0);
});
`,
);
writeFileSync(
  SYNTH,
  `import { TopologyApp } from ${JSON.stringify(join(ROOT, 'lib', 'index.ts'))};
import { minimal } from ${JSON.stringify(join(ROOT, 'test', 'fixtures', 'topologies.ts'))};
minimal(new TopologyApp({ outdir: process.argv[2] })).app.synth();
`,
);

const OLD = { 'old.yaml': 'old\n' };
let n = 0;
/** A parent with a bystander and dist holding an old output, owned by the children's user. */
function prepare(): { parent: string; outdir: string } {
  const parent = join(work, `case-${n++}`);
  mkdirSync(parent);
  writeFileSync(join(parent, 'bystander.txt'), 'keep\n');
  const outdir = join(parent, 'dist');
  writeOutput(outdir, OLD);
  if (IS_ROOT)
    for (const p of [parent, outdir, join(parent, 'bystander.txt'), ...readdirSync(outdir).map((e) => join(outdir, e))])
      chownSync(p, 65534, 65534);
  return { parent, outdir };
}

/** The files a synth of the `minimal` fixture writes. */
const expected = (): Record<string, string> =>
  Object.fromEntries(minimal(new TopologyApp({ outdir: 'never-written' })).app.compile().files);

const LOCKED = (pid: number) =>
  new RegExp(
    `^could not write the output; ".*/dist" was left as it was:\\n {2}- take the lock ".*/\\.dist\\.lock": another synth is writing this output directory: process ${pid} on this host since \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: wait for it to finish and run synth again \\(if no such synth runs, delete ".*/\\.dist\\.lock"\\)\\.\\n$`,
  );

describe('two real processes', () => {
  it('a synth while another holds the lock: exit 1, a message naming it, nothing touched; the holder then commits', async () => {
    const { parent, outdir } = prepare();
    const holder = startScript(HOLDER, { cwd: work, args: [outdir] });
    await holder.waitFor('HOLDING');
    const before = snapshot(parent);
    const r = runScript(SYNTH, { cwd: work, args: [outdir] });
    expect(r.stderr).toMatch(LOCKED(holder.pid));
    expect(r.status).toBe(1);
    expect(snapshot(parent)).toEqual(before);
    expect(readdirSync(parent).sort()).toEqual(['.dist.lock', `.dist.staging-${holder.pid}`, 'bystander.txt', 'dist']);
    holder.send('commit');
    expect(await holder.exited).toBe(0);
    expect(tree(outdir)).toEqual({ 'holder.txt': 'held\n' });
    expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
    const again = runScript(SYNTH, { cwd: work, args: [outdir] });
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(tree(outdir)).toEqual(expected());
  });

  it('the lock of a process killed with SIGKILL is taken over, and its staging directory removed', async () => {
    const { parent, outdir } = prepare();
    const holder = startScript(HOLDER, { cwd: work, args: [outdir] });
    await holder.waitFor('HOLDING');
    holder.kill();
    await holder.exited;
    expect(readdirSync(parent).sort()).toEqual(['.dist.lock', `.dist.staging-${holder.pid}`, 'bystander.txt', 'dist']);
    const r = runScript(SYNTH, { cwd: work, args: [outdir] });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(tree(outdir)).toEqual(expected());
    expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
  });

  it('synths started at the same moment: each writes or gets the lock message, never a stack trace; the output is complete', async () => {
    const { parent, outdir } = prepare();
    const want = expected();
    for (let round = 0; round < 3; round++) {
      const runs = Array.from({ length: 4 }, () => {
        const proc = spawn(process.execPath, tsxArgs(SYNTH, outdir), {
          cwd: work,
          env: { PATH: process.env.PATH ?? '', HOME: work },
          ...UNPRIVILEGED,
        });
        let err = '';
        proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
        return new Promise<{ code: number | null; err: string; pid: number }>((ok) =>
          proc.on('exit', (code) => ok({ code, err, pid: proc.pid as number })),
        );
      });
      const results = await Promise.all(runs);
      for (const r of results) {
        if (r.code === 0) expect(r.err).toBe('');
        else {
          expect(r.code).toBe(1);
          expect(r.err).toMatch(
            /^could not write the output; ".*\/dist" was left as it was:\n {2}- take the lock ".*\/\.dist\.lock": another synth is writing this output directory: process \d+ on this host/,
          );
        }
        expect(r.err).not.toMatch(/^\s+at /m);
      }
      expect(results.filter((r) => r.code === 0).length).toBeGreaterThan(0);
      expect(tree(outdir)).toEqual(want);
      expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
    }
  }, 120_000);
});

describe('hand-made lock files', () => {
  const lockOf = (record: Record<string, unknown>) =>
    `${JSON.stringify({ tool: 'secrets-topology', since: '2024-01-01T00:00:00.000Z', token: 'abc', ...record })}\n`;

  /** A pid that surely ran and is gone. */
  const deadPid = (): Promise<number> =>
    new Promise((ok) => {
      const p = spawn(process.execPath, ['-e', '0']);
      p.on('exit', () => ok(p.pid as number));
    });

  it('of a process that is gone: taken over', async () => {
    const { parent, outdir } = prepare();
    writeFileSync(join(parent, '.dist.lock'), lockOf({ pid: await deadPid(), host: hostname() }));
    writeAtomically(outdir, new Map([['a.yaml', 'a\n']]));
    expect(tree(outdir)).toEqual({ 'a.yaml': 'a\n' });
    expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
  });

  it('of a running process whose recorded start differs (the pid was reused): taken over', () => {
    const { parent, outdir } = prepare();
    writeFileSync(join(parent, '.dist.lock'), lockOf({ pid: process.ppid, host: hostname(), started: '1' }));
    writeAtomically(outdir, new Map([['a.yaml', 'a\n']]));
    expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
  });

  it("of this process's own pid but not held by it (a container reuses small pids): taken over", () => {
    const { parent, outdir } = prepare();
    writeFileSync(join(parent, '.dist.lock'), lockOf({ pid: process.pid, host: hostname() }));
    writeAtomically(outdir, new Map([['a.yaml', 'a\n']]));
    expect(readdirSync(parent).sort()).toEqual(['bystander.txt', 'dist']);
  });

  it.each([
    [
      'a running process (its start unknown)',
      () => ({ pid: process.ppid, host: hostname() }),
      /another synth is writing this output directory: process \d+ on this host since 2024-01-01T00:00:00\.000Z/,
    ],
    [
      'another host',
      () => ({ pid: 4242, host: 'ci-runner-7' }),
      /another synth holds it: process 4242 on host "ci-runner-7" since 2024-01-01T00:00:00\.000Z, which this process cannot check: wait for it to finish and run synth again; if that synth is gone, delete ".*\/\.dist\.lock"\.$/,
    ],
    [
      'another PID namespace of this host (a container sharing the volume)',
      () => ({ pid: 7, host: hostname(), pidns: 'pid:[1]' }),
      /another synth holds it: process 7 in another PID namespace \(another container\) of this host since 2024-01-01T00:00:00\.000Z, which this process cannot check/,
    ],
  ])('of %s: refused, left alone', (_what, record, message) => {
    const { parent, outdir } = prepare();
    writeFileSync(join(parent, '.dist.lock'), lockOf(record()));
    const before = snapshot(parent);
    expect(() => writeAtomically(outdir, new Map([['a.yaml', 'a\n']]))).toThrow(message);
    expect(snapshot(parent)).toEqual(before);
  });

  it.each([
    ['empty', ''],
    ['not JSON', 'locked by make\n'],
    ['JSON of something else', '{"pid": 1}\n'],
  ])('a file at the lock name that is not a lock (%s): refused, left alone', (_what, text) => {
    const { parent, outdir } = prepare();
    writeFileSync(join(parent, '.dist.lock'), text);
    const before = snapshot(parent);
    expect(() => writeAtomically(outdir, new Map([['a.yaml', 'a\n']]))).toThrow(
      /take the lock ".*\/\.dist\.lock": the file exists and is not a lock of secrets-topology \(or one a synth died writing\): if no synth is running, delete ".*\/\.dist\.lock"/,
    );
    expect(snapshot(parent)).toEqual(before);
  });

  it('one process opening the same output twice: refused until the first is done', () => {
    const { outdir } = prepare();
    const first = new StagedDirectory(outdir);
    expect(() => new StagedDirectory(outdir)).toThrow(
      /this process is already writing this output directory: commit or abort the other StagedDirectory/,
    );
    expect(() => new StagedDirectory(outdir)).toThrow(OutputError);
    first.abort();
    new StagedDirectory(outdir).abort();
  });

  it('stale locks a crashed takeover left aside are swept; others are not', async () => {
    const { parent, outdir } = prepare();
    const dead = await deadPid();
    writeFileSync(join(parent, `.dist.lock.stale-${dead}-0123abcd`), lockOf({ pid: dead, host: hostname() }));
    writeFileSync(join(parent, `.dist.lock.stale-${process.ppid}-0123abcd`), lockOf({ pid: 1, host: hostname() }));
    writeFileSync(join(parent, `.dist.lock.stale-${dead}-notours`), lockOf({ pid: dead, host: hostname() }));
    writeFileSync(join(parent, `.dist.lock.stale-${dead}-4567cdef`), 'a note of the user\n');
    writeAtomically(outdir, new Map([['a.yaml', 'a\n']]));
    expect(readdirSync(parent).sort()).toEqual(
      [
        `.dist.lock.stale-${dead}-4567cdef`,
        `.dist.lock.stale-${dead}-notours`,
        `.dist.lock.stale-${process.ppid}-0123abcd`,
        'bystander.txt',
        'dist',
      ].sort(),
    );
    expect(readFileSync(join(parent, `.dist.lock.stale-${dead}-4567cdef`), 'utf8')).toBe('a note of the user\n');
    expect(existsSync(join(parent, '.dist.lock'))).toBe(false);
  });
});
