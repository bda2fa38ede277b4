/**
 * docs/api.md: the public API of secrets-topology, generated from lib/index.ts (its explicit
 * exports, grouped by the section comments there) and each declaration's doc comment.
 *
 *   npm run api            rewrites docs/api.md
 *
 * test/api.test.ts fails when docs/api.md differs from what this generates, and when a public
 * declaration has no doc comment.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const INDEX = resolve(ROOT, 'lib/index.ts');
/** The file the API is documented in. */
export const API_DOC = resolve(ROOT, 'docs/api.md');

/** One public export. */
export interface ApiEntry {
  /** The section of lib/index.ts it is listed in. */
  readonly section: string;
  /** Exported name. */
  readonly name: string;
  /** `class`, `abstract class`, `interface`, `type`, `function` or `const`. */
  readonly kind: string;
  /** Whether it is exported as a type only (`export type`): a type, or a class that only lib/ creates. */
  readonly typeOnly: boolean;
  /** The module that declares it, relative to the repository. */
  readonly module: string;
  /** The first sentence of its doc comment (empty when it has none). */
  readonly summary: string;
  /** Where its declaration (private members aside) writes the type `any`, as `line:column`. */
  readonly anys: readonly string[];
}

/** The places where `decl` writes `any`, skipping private class members. */
export function explicitAnys(decl: ts.Node): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) return;
    if (n.kind === ts.SyntaxKind.AnyKeyword) {
      const { line, character } = n.getSourceFile().getLineAndCharacterOfPosition(n.getStart());
      out.push(`${line + 1}:${character + 1}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(decl);
  return out;
}

function kindOf(decl: ts.Declaration): string {
  if (ts.isClassDeclaration(decl)) {
    const abstract = ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword);
    return abstract ? 'abstract class' : 'class';
  }
  if (ts.isInterfaceDeclaration(decl)) return 'interface';
  if (ts.isTypeAliasDeclaration(decl)) return 'type';
  if (ts.isFunctionDeclaration(decl)) return 'function';
  if (ts.isVariableDeclaration(decl)) return 'const';
  return ts.SyntaxKind[decl.kind];
}

/** The first sentence of a doc comment, on one line. */
function firstSentence(text: string): string {
  const flat = text
    .replace(/\{@link\s+([^}\s|]+)[^}]*\}/g, '`$1`')
    .replace(/\s+/g, ' ')
    .trim();
  const head = flat.split(' - ')[0] ?? flat; // a list after the first sentence
  const end = head.search(/(?<!\b(e\.g|i\.e))\.(\s|$)/);
  return end < 0 ? head.replace(/:$/, '.') : head.slice(0, end + 1);
}

/** The section comment (`// ...`) right before a statement of lib/index.ts. */
function sectionOf(statement: ts.Statement, text: string): string | undefined {
  const comments = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
  const line = comments
    .map((c) => text.slice(c.pos, c.end))
    .filter((c) => c.startsWith('//'))
    .pop();
  return line?.replace(/^\/\/\s*/, '');
}

/** Every export of lib/index.ts, in its order. */
export function apiEntries(): ApiEntry[] {
  const program = ts.createProgram([INDEX], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    allowJs: false,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(INDEX);
  if (!source) throw new Error(`cannot read ${INDEX}`);
  const text = source.getFullText();
  const out: ApiEntry[] = [];
  let section = '';
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    section = sectionOf(statement, text) ?? section;
    for (const element of statement.exportClause.elements) {
      const alias = checker.getSymbolAtLocation(element.name);
      const symbol = alias && alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : alias;
      const decl = symbol?.declarations?.[0];
      if (!symbol || !decl) throw new Error(`cannot resolve the export ${element.name.text} of lib/index.ts`);
      out.push({
        section,
        name: element.name.text,
        kind: kindOf(decl),
        typeOnly: statement.isTypeOnly || element.isTypeOnly,
        module: relative(ROOT, decl.getSourceFile().fileName),
        summary: firstSentence(ts.displayPartsToString(symbol.getDocumentationComment(checker))),
        anys: explicitAnys(decl),
      });
    }
  }
  return out;
}

/** docs/api.md as it should be. */
export function apiMarkdown(entries: readonly ApiEntry[] = apiEntries()): string {
  const lines = [
    '# Public API',
    '',
    'Generated by `npm run api` from `lib/index.ts` and the doc comments; `test/api.test.ts` fails when',
    'this file is out of date. Import from the package entry point (`lib/index.ts`); every other module',
    'under `lib/` is internal. "type" in the kind column: exported as a type only (a class of that kind',
    'is created by the library, e.g. through a factory, never with `new`).',
  ];
  let section: string | undefined;
  for (const e of entries) {
    if (e.section !== section) {
      section = e.section;
      lines.push('', `## ${section}`, '', '| name | kind | module | what it is |', '| --- | --- | --- | --- |');
    }
    const kind = e.typeOnly && (e.kind === 'class' || e.kind === 'abstract class') ? `${e.kind} (type)` : e.kind;
    lines.push(`| \`${e.name}\` | ${kind} | \`${e.module}\` | ${e.summary.replace(/\|/g, '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = apiMarkdown();
  const before = (() => {
    try {
      return readFileSync(API_DOC, 'utf8');
    } catch {
      return '';
    }
  })();
  writeFileSync(API_DOC, text);
  process.stdout.write(`${relative(ROOT, API_DOC)} ${before === text ? 'unchanged' : 'written'} (${text.split('\n').length} lines)\n`);
}
