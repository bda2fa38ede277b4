/**
 * Generated topologies type-check: the files the import writes for our dist/, the examples, the
 * docs fixtures (also the printed ones, which do not synthesize yet), topologies of the round-trip
 * arbitrary and hostile names, checked together by one `tsc --noEmit` run under the repository's
 * compiler options (strict).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TopologyApp } from '../lib/index.js';
import { readInputFiles, type SourceFile } from '../lib/import/index.js';
import { ItemList } from '../lib/import/items.js';
import { buildGitOps } from '../examples/gitops.js';
import { buildPlainEso } from '../examples/plain-eso.js';
import { buildSveltos } from '../examples/sveltos.js';
import { buildImportTopology, importTopologyArb } from './fixtures/import-topologies.js';
import { importInto, scratchDir, yamlFiles } from './support/import.js';

const ROOT = resolve(import.meta.dirname, '..');

let dir: string;
let remove: () => void;
beforeAll(() => {
  ({ dir, remove } = scratchDir());
});
afterAll(() => remove());

function compiled(build: (app: TopologyApp) => unknown): SourceFile[] {
  const app = new TopologyApp({ outdir: 'never-written' });
  build(app);
  return yamlFiles(app.compile());
}

it('every generated file passes tsc --noEmit (strict)', () => {
  const inputs: Record<string, readonly SourceFile[]> = {
    dist: readInputFiles([join(ROOT, 'dist')], ROOT, new ItemList()),
    docs: readInputFiles([join(ROOT, 'test/fixtures/import/docs')], ROOT, new ItemList()),
    literal: readInputFiles([join(ROOT, 'test/fixtures/import/docs-literal')], ROOT, new ItemList()),
    plainEso: compiled(buildPlainEso),
    gitops: compiled((app) => buildGitOps(app, 'flux')),
    sveltos: compiled(buildSveltos),
  };
  fc.sample(importTopologyArb, { numRuns: 4, seed: 42 }).forEach((spec, i) => {
    try {
      inputs[`arbitrary${i}`] = compiled((app) => buildImportTopology(app, spec));
    } catch {
      // An invalid sample: nothing to import.
    }
  });
  const files: string[] = [];
  for (const [name, input] of Object.entries(inputs)) {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, importInto(input, dir).code);
    files.push(file);
  }
  // The generated file is an ES module, as main.ts (this repository's package.json says "type": "module").
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { typeRoots: [join(ROOT, 'node_modules/@types')], noEmit: true },
      include: [],
      files,
    }),
  );
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], {
    encoding: 'utf8',
  });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(files.length).toBeGreaterThanOrEqual(8);
}, 300_000);
