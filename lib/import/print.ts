/**
 * Printing the generated {@link Program} as a TypeScript module in the style of `main.ts`: one
 * exported function that declares the topology below an app, and a main guard that synthesizes it.
 * Every string from the input goes through {@link tsString}, every comment through
 * {@link displayText}, every variable name through {@link IdentifierScope}.
 */
import { IdentifierScope, displayText, tsString } from './escape.js';
import { ITEM_SEVERITIES, formatItem, type ImportItem } from './items.js';
import { CLASS_NAMES, FACTORIES, type Expr, type Program, type Statement } from './program.js';

/** Longest line the printer aims for (the repository's Prettier printWidth). */
const WIDTH = 140;

/** Options of {@link printProgram}. */
export interface PrintOptions {
  /** Module the public API is imported from, e.g. `./lib/index.js` or `secrets-topology`. */
  readonly importFrom: string;
  /** Inputs, for the header. */
  readonly sources: readonly string[];
  /** The items of the import (listed in the header, and above their objects). */
  readonly items: readonly ImportItem[];
}

/** Name of the generated function. */
export const BUILD_FUNCTION = 'buildImportedTopology';

const pad = (n: number): string => ' '.repeat(n);

/** A property key: bare when it is a plain identifier, else a string literal (`__proto__` computed, so it stays a key). */
function key(k: string): string {
  if (k === '__proto__') return `['__proto__']`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : tsString(k);
}

class Printer {
  private readonly names = new Map<Statement, string>();

  public constructor(program: Program) {
    const scope = new IdentifierScope(['app', 'pathToFileURL', 'TopologyApp', BUILD_FUNCTION, ...CLASS_NAMES, ...Object.keys(FACTORIES)]);
    this.names.set(program.app, 'app');
    for (const s of program.statements) if (s.referenced) this.names.set(s, scope.claim(s.name, s.kindWord));
  }

  private flat(e: Expr): string {
    switch (e.k) {
      case 'lit':
        return typeof e.v === 'string' ? tsString(e.v) : String(e.v);
      case 'arr':
        return `[${e.items.map((i) => this.flat(i)).join(', ')}]`;
      case 'obj':
        return e.entries.length === 0 ? '{}' : `{ ${e.entries.map(([k, v]) => `${key(k)}: ${this.flat(v)}`).join(', ')} }`;
      case 'ref':
        return this.names.get(e.to) ?? 'undefined';
      case 'new':
        return `new ${e.cls}(${e.args.map((a) => this.flat(a)).join(', ')})`;
      case 'call':
        return `${e.on}.${e.fn}(${e.args.map((a) => this.flat(a)).join(', ')})`;
    }
  }

  /** `e` starting at column `column`, broken over lines indented by `indent` when it does not fit. */
  public format(e: Expr, indent: number, column: number): string {
    const f = this.flat(e);
    if (column + f.length <= WIDTH && !f.includes('\n')) return f;
    const inner = indent + 2;
    switch (e.k) {
      case 'arr':
        if (e.items.length === 0) return '[]';
        return `[\n${e.items.map((i) => `${pad(inner)}${this.format(i, inner, inner)},`).join('\n')}\n${pad(indent)}]`;
      case 'obj':
        return `{\n${e.entries
          .map(([k, v]) => {
            const head = `${pad(inner)}${key(k)}: `;
            return `${head}${this.format(v, inner, head.length)},`;
          })
          .join('\n')}\n${pad(indent)}}`;
      case 'new':
      case 'call': {
        const head = e.k === 'new' ? `new ${e.cls}(` : `${e.on}.${e.fn}(`;
        const last = e.args[e.args.length - 1];
        const lead = e.args.slice(0, -1).map((a) => this.flat(a));
        const leadText = lead.length > 0 ? `${lead.join(', ')}, ` : '';
        if (last && (last.k === 'obj' || last.k === 'arr') && column + head.length + leadText.length < WIDTH - 10) {
          return `${head}${leadText}${this.format(last, indent, column + head.length + leadText.length)})`;
        }
        return `${head}\n${e.args.map((a) => `${pad(inner)}${this.format(a, inner, inner)},`).join('\n')}\n${pad(indent)})`;
      }
      default:
        return f;
    }
  }

  public statement(s: Statement): string {
    const name = this.names.get(s);
    const prefix = name ? `const ${name} = ` : '';
    return `${pad(2)}${prefix}${this.format(s.expr, 2, 2 + prefix.length)};`;
  }
}

/** Comment lines (`// ...`) of `text`, escaped and wrapped. */
export function commentLines(text: string, indent: number): string[] {
  const safe = displayText(text, 4000);
  const width = WIDTH - indent - 3;
  const out: string[] = [];
  let line = '';
  for (const word of safe.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out.map((l) => `${pad(indent)}// ${l}`.trimEnd());
}

/** The classes and factories the program uses, sorted. */
function usedNames(p: Program): string[] {
  const used = new Set<string>(['TopologyApp']);
  const visit = (e: Expr): void => {
    if (e.k === 'new') used.add(e.cls);
    if (e.k === 'call') used.add(e.on);
    if (e.k === 'new' || e.k === 'call') e.args.forEach(visit);
    if (e.k === 'arr') e.items.forEach(visit);
    if (e.k === 'obj') e.entries.forEach(([, v]) => visit(v));
  };
  p.statements.forEach((s) => visit(s.expr));
  return [...used].sort();
}

/** The TypeScript module of `program`. */
export function printProgram(program: Program, options: PrintOptions): string {
  const printer = new Printer(program);
  const lines: string[] = [];
  lines.push(...commentLines(`Secrets topology imported from YAML by \`secrets-topology import\` (${options.sources.join(', ')}).`, 0));
  lines.push(...commentLines('Run it (`npx tsx <this file>`) to synthesize the objects again; review every item below first.', 0));
  for (const line of program.header) lines.push(...commentLines(line, 0));
  const counts = ITEM_SEVERITIES.map((s) => `${options.items.filter((i) => i.severity === s).length} ${s}`).join(', ');
  lines.push('//', `// Import report: ${counts}.`);
  for (const item of options.items) lines.push(...commentLines(`- ${formatItem(item)}`, 0));
  lines.push(
    '',
    "import { pathToFileURL } from 'node:url';",
    `import { ${usedNames(program).join(', ')} } from ${tsString(options.importFrom)};`,
    '',
    '/** Declares the imported topology below `app`. */',
    `export function ${BUILD_FUNCTION}(app: TopologyApp): TopologyApp {`,
  );
  program.statements.forEach((s, i) => {
    if (s.section && i > 0) lines.push('');
    for (const c of s.comments) lines.push(...commentLines(c, 2));
    // What to act on about this object, where it is declared (the header has the full list).
    for (const item of options.items) {
      if (item.object !== s.object || item.severity === 'note') continue;
      lines.push(...commentLines(`${item.severity.toUpperCase()}${item.field ? ` ${item.field}` : ''}: ${item.reason}`, 2));
    }
    lines.push(printer.statement(s));
  });
  lines.push(
    '  return app;',
    '}',
    '',
    '// `npx tsx <this file>` synthesizes into $CDK8S_OUTDIR (default dist/).',
    'if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {',
    `  ${BUILD_FUNCTION}(new TopologyApp()).synth();`,
    '}',
    '',
  );
  return lines.join('\n');
}
