/**
 * The import: YAML documents → objects by kind → topology → program → (checked by synthesizing it
 * in process, with guardrail opt-outs where the YAML already broke a guardrail, and compared with
 * the input objects) → TypeScript.
 */
import { GUARDRAIL_IDS, TopologyApp, TopologyError, type Compilation, type Problem } from '../index.js';
import { addOptOut, buildProgram } from './build-program.js';
import { classify } from './classify.js';
import { compareObjects, outputObjects, type ObjectDifference } from './equivalence.js';
import { evaluateProgram } from './evaluate.js';
import { infer } from './infer.js';
import { ItemList, type ImportItem } from './items.js';
import { printProgram } from './print.js';
import type { Program, Statement } from './program.js';
import { reconstruct, type ImportOptions, type ImportedObject } from './reconstruct.js';
import { parseDocuments, type SourceDocument, type SourceFile } from './source.js';

/** Options of {@link importTopology}. */
export interface ImportTopologyOptions extends ImportOptions {
  /**
   * Module the generated file imports the public API from.
   * @default './lib/index.js' (a file next to main.ts)
   */
  readonly importFrom?: string;
  /**
   * The inputs, named in the generated file's header.
   * @default the files' paths
   */
  readonly sources?: readonly string[];
}

/** The result of an import. */
export interface ImportResult {
  /** The generated TypeScript module. */
  readonly code: string;
  /** What was not mapped, made up or should be reviewed (also in `code` as comments). */
  readonly items: readonly ImportItem[];
  /** Problems of the generated topology: empty when it synthesizes. */
  readonly problems: readonly Problem[];
  /** The generated program (to run it in process, e.g. in tests). */
  readonly program: Program;
  /** The objects the topology synthesizes to (when it synthesizes). */
  readonly compilation?: Compilation;
}

/** Imports YAML files (already read): see {@link importDocuments}. */
export function importTopology(files: readonly SourceFile[], options: ImportTopologyOptions = {}, items = new ItemList()): ImportResult {
  return importDocuments(parseDocuments(files, items), { ...options, sources: options.sources ?? files.map((f) => f.path) }, items);
}

/** Imports parsed YAML documents into a generated topology, checked by synthesizing it. */
export function importDocuments(documents: readonly SourceDocument[], options: ImportTopologyOptions, items: ItemList): ImportResult {
  const rec = reconstruct(classify(documents, items), options, items);
  infer(rec, items);
  const program = buildProgram(rec.topology);
  const { compilation, problems } = synthesizeWithOptOuts(program, items);
  if (compilation) listDifferences(compareObjects(rec.objects, outputObjects(compilation.manifests)), rec.objects, items);
  if (problems.length > 0)
    program.header.push(
      `The topology does not synthesize yet (${problems.length} problem${problems.length === 1 ? '' : 's'}): fix ${problems.length === 1 ? 'it' : 'them'} below, then run the file.`,
      ...problems.map((p) => `! ${p.path || '(app)'}: ${p.message}`),
    );
  const list = items.items;
  const code = printProgram(program, { importFrom: options.importFrom ?? './lib/index.js', sources: options.sources ?? [], items: list });
  return { code, items: list, problems, program, compilation };
}

/** Runs the program in a fresh app and compiles it (nothing is written). */
export function synthesizeProgram(program: Program): { compilation?: Compilation; problems: Problem[] } {
  const app = new TopologyApp({ outdir: 'secrets-topology-import-check' });
  try {
    evaluateProgram(program, app);
    return { compilation: app.compile(), problems: [] };
  } catch (e) {
    if (e instanceof TopologyError) return { problems: [...e.problems] };
    // A failure that is not a model problem is a bug of the compiler or the import: reported, not thrown.
    const why = e instanceof Error ? e.message : String(e);
    return { problems: [{ path: '', message: `synthesis failed unexpectedly (${why}): please report it with the input` }] };
  }
}

const GUARDRAIL_MESSAGE = /^guardrail "([a-z-]+)": /;
const OPT_OUT_REASON =
  'imported as is from YAML that already did this (secrets-topology import): review it, then fix the topology or give the real reason';

/** The statement that declares the construct at `path`, or its nearest declared ancestor. */
function statementAt(program: Program, path: string): Statement {
  for (let p = path; ; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
    const s = program.statements.find((x) => x.path === p);
    if (s) return s;
    if (p === '') return program.app;
  }
}

/**
 * Synthesizes the program; where a guardrail stops it, the YAML already did what the guardrail
 * refuses, so the import declares an opt-out on the construct (listed for review) and tries again.
 */
function synthesizeWithOptOuts(program: Program, items: ItemList): { compilation?: Compilation; problems: Problem[] } {
  const declared = new Set<string>();
  for (;;) {
    const result = synthesizeProgram(program);
    let added = false;
    for (const p of result.problems) {
      const rule = GUARDRAIL_MESSAGE.exec(p.message)?.[1];
      if (!rule || !(GUARDRAIL_IDS as readonly string[]).includes(rule)) continue;
      const target = statementAt(program, p.path);
      const key = `${target.path ?? ''}\u0000${rule}`;
      if (declared.has(key)) continue;
      declared.add(key);
      addOptOut(program, target, rule, OPT_OUT_REASON);
      items.review(
        p.path || '(app)',
        undefined,
        `guardrail "${rule}": the YAML already does this, so the import declares Guardrails.allow(<this construct>, '${rule}', ...) to synthesize it as it was; fix it, or keep the opt-out with the real reason. The guardrail says: ${p.message.replace(GUARDRAIL_MESSAGE, '')}`,
      );
      added = true;
    }
    if (!added) return result;
  }
}

/** Whether one field path is the other or inside it. */
function overlaps(a: string, b: string): boolean {
  const inside = (x: string, y: string): boolean => x === y || x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return inside(a, b) || inside(b, a);
}

function listDifferences(diffs: readonly ObjectDifference[], objects: readonly ImportedObject[], items: ItemList): void {
  for (const d of diffs) {
    if (d.kind === 'missing')
      items.review(d.object, undefined, 'declared but not synthesized: a bug of the import; please report it', d.source);
    else if (d.kind === 'extra')
      items.review(
        d.object,
        undefined,
        'synthesized but not in the input (a plane a selector names, or an object the model always writes)',
      );
    else {
      const listed = objects.find((o) => o.object === d.object && o.source === d.source)?.unmappedPaths ?? [];
      for (const f of d.fields) {
        if (listed.some((u) => overlaps(f.path, u))) continue;
        items.review(d.object, f.path, `differs after synthesis: ${f.input} in the input, ${f.output} synthesized`, d.source);
      }
    }
  }
}
