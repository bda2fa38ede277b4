/**
 * Determinism and the committed output: the example compiles to the same bytes every time, and
 * the committed dist/ is exactly a fresh compile of it (so pull requests show the real diff).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TopologyApp, type Compilation } from '../lib/index.js';
import { OUTPUT_MARKER } from '../lib/output/outdir.js';
import { buildExample } from '../main.js';
import { FIXTURES } from './fixtures/topologies.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const FIX = 'run npm run synth and commit dist/';

function compileExample(): Compilation {
  return buildExample(new TopologyApp({ outdir: 'unused-never-written' })).compile();
}

/** Every file below `dir`, as `/`-separated paths relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

describe('determinism', () => {
  it('two compiles of the example in two fresh apps are byte-identical (every file)', () => {
    const a = compileExample();
    const b = compileExample();
    expect([...b.files.keys()]).toEqual([...a.files.keys()]);
    for (const [path, content] of a.files) expect(b.files.get(path), path).toBe(content);
    expect(b.placement.toRecords()).toEqual(a.placement.toRecords());
  });

  it('files and manifests are sorted by path; every manifest has its file', () => {
    const out = compileExample();
    const paths = [...out.files.keys()];
    expect(paths).toEqual([...paths].sort());
    const manifestPaths = out.manifests.map((m) => m.path);
    expect(manifestPaths).toEqual([...manifestPaths].sort());
    for (const p of manifestPaths) expect(out.files.has(p), p).toBe(true);
  });

  it.each(Object.entries(FIXTURES))('%s compiles to the same bytes twice', (_name, build) => {
    const compile = () => {
      const app = new TopologyApp({ outdir: 'unused-never-written' });
      build(app);
      return app.compile();
    };
    expect([...compile().files]).toEqual([...compile().files]);
  });

  it('compile() is a pure function of the tree: two calls give equal files, not a cached object', () => {
    const app = buildExample(new TopologyApp({ outdir: 'unused-never-written' }));
    const first = app.compile();
    const second = app.compile();
    expect(second).not.toBe(first);
    expect([...second.files]).toEqual([...first.files]);
  });
});

describe('the committed dist/', () => {
  it(`equals a fresh compile of the example, file for file (else: ${FIX})`, () => {
    if (!existsSync(DIST)) expect.fail(`dist/ does not exist at ${DIST}: ${FIX}.`);
    const fresh = compileExample().files;
    expect(existsSync(join(DIST, OUTPUT_MARKER)), `dist/${OUTPUT_MARKER} is missing: ${FIX}`).toBe(true);
    const committed = listFiles(DIST).filter((p) => p !== OUTPUT_MARKER);
    const expected = [...fresh.keys()].sort();
    const missing = expected.filter((p) => !committed.includes(p));
    const stale = committed.filter((p) => !fresh.has(p));
    const changed = expected.filter((p) => committed.includes(p) && readFileSync(join(DIST, p), 'utf8') !== fresh.get(p));
    const report = [
      ...missing.map((p) => `  missing in dist/: ${p}`),
      ...stale.map((p) => `  not produced any more: ${p}`),
      ...changed.map((p) => `  differs: ${p}`),
    ];
    if (report.length > 0) expect.fail(`dist/ is out of date with main.ts and lib/ — ${FIX}.\n${report.join('\n')}`);
    expect(committed).toEqual(expected);
  });
});
