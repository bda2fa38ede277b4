/**
 * Test support for the importer: the YAML files of a compilation as import input, and running a
 * generated topology file (the real TypeScript, not the in-process program) to compile it again.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TopologyApp, type Compilation } from '../../lib/index.js';
import { ItemList } from '../../lib/import/items.js';
import { BUILD_FUNCTION, importTopology, type ImportResult, type ImportTopologyOptions, type SourceFile } from '../../lib/import/index.js';

/** The repository's lib/index.js (what generated files import). */
export const LIB_INDEX = resolve(fileURLToPath(import.meta.url), '../../../lib/index.js');

/** The YAML files of a compilation, as the import reads them from a synthesized directory. */
export function yamlFiles(c: Compilation): SourceFile[] {
  return [...c.files].filter(([p]) => p.endsWith('.yaml')).map(([path, text]) => ({ path, text }));
}

/** A directory for generated files; removed by the returned function. */
export function scratchDir(prefix = 'st-import-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The import specifier of lib/index.js from a file in `dir`. */
export function importFromDir(dir: string): string {
  const r = relative(dir, LIB_INDEX).split(sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

let counter = 0;

/** Writes `code` as a module in `dir`, imports it and runs its build function in a fresh app. */
export async function runGenerated(code: string, dir: string): Promise<TopologyApp> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `topology-${process.pid}-${counter++}.ts`);
  writeFileSync(file, code);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, (app: TopologyApp) => TopologyApp>;
  const build = mod[BUILD_FUNCTION];
  if (typeof build !== 'function') throw new Error(`${file} exports no ${BUILD_FUNCTION}`);
  return build(new TopologyApp({ outdir: join(dir, 'never-written') }));
}

/** Imports `files` with the generated file importing lib/ from `dir`. */
export function importInto(
  files: readonly SourceFile[],
  dir: string,
  options: ImportTopologyOptions = {},
  items = new ItemList(),
): ImportResult {
  return importTopology(files, { importFrom: importFromDir(dir), ...options }, items);
}
