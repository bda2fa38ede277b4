/**
 * An output directory as files: their list, what they add up to (for the summary line of `synth`)
 * and how two of them differ (for `check` and `review`).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every regular file below `dir`, as sorted `/`-separated paths relative to it (empty when `dir` does not exist). */
export function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** What an output directory holds. */
export interface OutputTotals {
  readonly files: number;
  readonly bytes: number;
  /** Kubernetes objects: YAML files with an `apiVersion` and a `kind` (kustomization files are not objects). */
  readonly objects: number;
}

const OBJECT = /^apiVersion: .+\nkind: (.+)\n/;
/** The separator of the documents of a multi-document YAML file, as the output writes it. */
const DOCUMENT_START = /^---\n/m;

/** Totals of an output directory. */
export function outputTotals(dir: string): OutputTotals {
  let bytes = 0;
  let objects = 0;
  const files = listFiles(dir);
  for (const f of files) {
    const path = join(dir, f);
    bytes += statSync(path).size;
    if (!f.endsWith('.yaml')) continue;
    // A file may hold several documents (the group layout, Crossplane manifests).
    for (const doc of readFileSync(path, 'utf8').split(DOCUMENT_START)) {
      const kind = OBJECT.exec(doc)?.[1];
      if (kind !== undefined && kind !== 'Kustomization') objects++;
    }
  }
  return { files: files.length, bytes, objects };
}

/** How the files of an output directory differ from what they should be. */
export interface TreeDifference {
  /** Files that should be there and are not. */
  readonly missing: readonly string[];
  /** Files that are there and should not be. */
  readonly extra: readonly string[];
  /** Files whose bytes differ. */
  readonly changed: readonly string[];
}

/** How `actual` differs from `expected` (two directories), file by file, byte for byte. */
export function compareTrees(expected: string, actual: string): TreeDifference {
  const want = listFiles(expected);
  const have = listFiles(actual);
  const haveSet = new Set(have);
  const wantSet = new Set(want);
  const changed: string[] = [];
  for (const f of want) {
    if (!haveSet.has(f)) continue;
    const a = join(expected, f);
    const b = join(actual, f);
    if (statSync(a).size !== statSync(b).size || !readFileSync(a).equals(readFileSync(b))) changed.push(f);
  }
  return { missing: want.filter((f) => !haveSet.has(f)), extra: have.filter((f) => !wantSet.has(f)), changed };
}

/** Whether two trees are the same. */
export function sameTrees(d: TreeDifference): boolean {
  return d.missing.length + d.extra.length + d.changed.length === 0;
}

/** Human size: `512 B`, `1.5 KB`, `47.5 MB`. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v.toFixed(1)} ${units[u]}`;
}
