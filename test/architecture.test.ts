/**
 * The folder rules of lib/ (docs/architecture.md), checked over the import graph: every import
 * between modules of lib/, type-only imports included, read with the TypeScript parser.
 *
 * - no cycles between folders: the folders form a directed acyclic graph;
 * - each folder imports only the folders below it in the documented order;
 * - lib/private/ imports nothing else of lib/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const LIB = resolve(import.meta.dirname, '../lib');

/**
 * The folders of lib/ from the bottom up: a folder may import the folders before it (and itself),
 * never one after it. `(root)` holds app.ts and index.ts.
 */
const LAYERS = [
  'private',
  'model',
  'output',
  'backends',
  'stores',
  'secrets',
  'eso',
  'resolve',
  'identity',
  'analysis',
  'targets',
  'compile',
  'delivery',
  'report',
  '(root)',
  'import',
  'cli',
] as const;

/** Every source file below `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mts|mjs)$/.test(name) ? [path] : [];
  });
}

/** The folder of a file of lib/. */
function folderOf(file: string): string {
  const rel = relative(LIB, file).split('/');
  return rel.length === 1 ? '(root)' : rel[0];
}

/** The files of lib/ a file imports (static imports, re-exports, type imports, `import()`). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec))
    .filter((target) => target.startsWith(`${LIB}/`));
}

/** Folder -> folders it imports, with one example import per edge. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sources(LIB)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const target of importsOf(file)) {
      const to = folderOf(target);
      if (to !== from && !edges.has(to)) edges.set(to, `${relative(LIB, file)} -> ${relative(LIB, target)}`);
    }
  }
  return graph;
}

/** The cycles of a graph (strongly connected components with more than one node), each sorted. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) component.push(w);
      } while (w !== v && w !== undefined);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('folders of lib/', () => {
  const graph = folderGraph();

  it('every folder of lib/ has a place in the layers', () => {
    expect([...graph.keys()].filter((f) => !(LAYERS as readonly string[]).includes(f))).toEqual([]);
  });

  it('have no import cycles between them (type-only imports included)', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('import only the folders below them', () => {
    const upward: string[] = [];
    for (const [from, edges] of graph) {
      const level = LAYERS.indexOf(from as (typeof LAYERS)[number]);
      for (const [to, example] of edges) {
        if (LAYERS.indexOf(to as (typeof LAYERS)[number]) > level) upward.push(`${from} imports ${to}: ${example}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('private/ imports nothing else of lib/', () => {
    expect([...(graph.get('private')?.values() ?? [])]).toEqual([]);
  });

  it('the cycle finder finds a cycle between folders (so a pass above means something)', () => {
    const g = new Map([
      ['a', new Map([['b', 'a/x.ts -> b/y.ts']])],
      ['b', new Map([['c', 'b/y.ts -> c/z.ts']])],
      ['c', new Map([['a', 'c/z.ts -> a/x.ts']])],
      ['d', new Map([['a', 'd/w.ts -> a/x.ts']])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });
});
