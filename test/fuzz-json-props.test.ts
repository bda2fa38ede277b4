/**
 * Property: every prop of every public construct and factory that has a props schema, replaced by
 * a random JSON value of another type than the declared one (or undefined where the prop is
 * required), and every whole props object replaced by a random non-object JSON value, makes
 * synthesis fail the way a problem does: `synth()` sets exit code 1, prints the problems list (a
 * problem at the construct's path naming the prop), no stack trace and no TypeError, and the output
 * directory is not created. A JSON value of the declared type may be valid; then the property only
 * asks for a compile or a TopologyError, never another exception.
 *
 * The sites (subject, prop path, declared kind, required) are derived from the props schemas
 * (test/support/props-sites.ts), the subjects and their valid topologies are in
 * test/support/props-subjects.ts, and the drift tests below fail when a schema or a public
 * constructor or factory has no subject.
 *
 * Runs: `FC_RUNS` (CI: 30 per property; `npm run bench:props` runs 1,000).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as lib from '../lib/index.js';
import { TopologyApp, TopologyError } from '../lib/index.js';
import { FC_RUNS, fcParams } from './fuzz-support.js';
import { jsonKind, pathText, setAt, sitesOf, type JsonKind, type PropPath } from './support/props-sites.js';
import { SCHEMA_MODULES, SCHEMAS_WITHOUT_SUBJECT, SUBJECTS, type PropsOf, type Subject } from './support/props-subjects.js';

/** One prop of one subject. */
interface Site {
  readonly subject: Subject;
  readonly path: PropPath;
  readonly kind: string;
  /** The JSON kinds of a value of the declared type. */
  readonly accepts: readonly JsonKind[];
  /** Undefined is a wrong value too. */
  readonly required: boolean;
  /** An object of named props: a key it does not name is a wrong prop. */
  readonly object?: boolean;
}

const subject = (name: string): Subject => {
  const found = SUBJECTS.find((x) => x.name === name);
  if (!found) throw new Error(`no subject ${name}`);
  return found;
};

/**
 * Sites the schema walk cannot see: a later entry of a list whose first entry is valid (the walk
 * replaces entry 0 only), where a wrong entry must be named by its own index.
 */
const EXTRA_SITES: readonly Site[] = [
  { subject: subject('new ControlPlane'), path: ['namespaces', 1], kind: 'string|map', accepts: ['string', 'map'], required: true },
  { subject: subject('new SharedSecret'), path: ['data', 1], kind: 'map', accepts: ['map'], required: true },
];

/** Every site: the props of every subject's schema (the whole props object too, unless the arguments are positional), and the extras. */
const SITES: readonly Site[] = [
  ...SUBJECTS.flatMap((subj) =>
    sitesOf(subj.schema)
      .filter((site) => !(subj.positional && site.path.length === 0))
      .map((site) => ({
        subject: subj,
        path: site.path,
        kind: site.kind,
        accepts: site.accepts,
        required: site.path.length === 0 ? !subj.propsOptional : site.required,
        object: site.object && !(subj.positional && site.path.length === 0),
      })),
  ),
  ...EXTRA_SITES,
];

const label = (site: Site): string => `${site.subject.name} ${pathText(site.path)}`;
const BY_LABEL = new Map(SITES.map((x) => [label(x), x]));
/** A site by its label (fast-check shows the label of a counterexample, not the subject's schema and world). */
const siteOf = (l: string): Site => BY_LABEL.get(l) ?? SITES[0];

/** Whether `value` is of another JSON type than `site` declares (so it must be refused). */
function wrongFor(site: Site, value: unknown): boolean {
  const k = jsonKind(value);
  if (k === 'undefined') return site.required;
  return !site.accepts.includes(k);
}

/** The word a problem about `site` names: its last prop name, `props` for the whole object, `[0]` for an argument. */
function propWord(path: PropPath): string {
  const names = path.filter((k): k is string => typeof k === 'string' && k !== '*');
  if (names.length > 0) return names[names.length - 1] ?? 'props';
  return path.length === 0 ? 'props' : `[${String(path[0])}]`;
}

/** The random properties' time limit: they run 10 and 5 topologies per FC_RUNS (1,000 under `npm run bench:props`). */
const TIMEOUT = 60_000 + FC_RUNS * 200;

const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
  fc.constantFrom(null, 'false', '8080', 8080, ['env=prod'], {}),
);

const outRoot = mkdtempSync(join(tmpdir(), 'json-props-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

/** The repository's dist/: no run may touch it (a wrong outdir must never fall back to it). */
const DIST = resolve('dist');
const distStamp = (): string =>
  existsSync(DIST) ? `${statSync(DIST).mtimeMs} ${readdirSync(DIST, { recursive: true }).length}` : 'absent';
const distBefore = distStamp();

let runs = 0;

/** The world of `site`'s subject with the value at `site` replaced by `value` (no site: the valid world of `base`). */
function build(site: Site | undefined, value: unknown, outdir: string, base: Subject = site?.subject ?? SUBJECTS[0]): TopologyApp {
  const p: PropsOf = <T>(name: string, valid: T): T => (site && name === site.subject.name ? (setAt(valid, site.path, value) as T) : valid);
  const app = base.makeApp
    ? base.makeApp(p(base.name, { outdir, layout: 'file-per-object', synthesizers: [] }))
    : new TopologyApp({ outdir });
  base.world(app, p);
  return app;
}

/** Synthesizes the topology with `site` = `value` through `synth()`, as `npm run synth` does; returns the exit code and stderr. */
function synthWith(site: Site, value: unknown): { exit: number | string | undefined; stderr: string; outdir: string } {
  const outdir = join(outRoot, `dist-${runs++}`);
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const before = process.exitCode;
  const envOutdir = process.env.CDK8S_OUTDIR;
  // An app whose own props are wrong falls back to $CDK8S_OUTDIR (else dist/ of the working directory).
  process.env.CDK8S_OUTDIR = outdir;
  process.exitCode = undefined;
  let exit: number | string | undefined;
  try {
    build(site, value, outdir).synth();
    exit = process.exitCode;
  } finally {
    spy.mockRestore();
    process.exitCode = before;
    if (envOutdir === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = envOutdir;
  }
  return { exit, stderr, outdir };
}

/** The assertions of a wrong value: exit 1, a problem at the owner naming the prop, no stack trace, nothing written. */
function expectRefused(site: Site, value: unknown): void {
  const { exit, stderr, outdir } = synthWith(site, value);
  const what = `${label(site)} = ${value === undefined ? 'undefined' : JSON.stringify(value)}`;
  expect(exit, `${what}\n${stderr}`).toBe(1);
  expect(stderr, what).not.toMatch(/\n\s+at |TypeError|Cannot read propert/);
  const owner = `  - ${site.subject.owner || '(app)'}: ${site.subject.prefix}`;
  const atOwner = stderr.split('\n').filter((l) => l.startsWith(owner));
  expect(
    atOwner.some((l) => l.includes(propWord(site.path))),
    `${what}: no problem "${owner}…${propWord(site.path)}…" in\n${stderr}`,
  ).toBe(true);
  expect(existsSync(outdir), what).toBe(false);
}

/** Objects whose keys are not all props: a Synthesizer is an object of the caller's class, with members of its own. */
const OPEN_OBJECTS = ['new TopologyApp synthesizers[0]', 'TopologyTesting.app synthesizers[0]'];

/** One value of another JSON kind than `site` declares (the first that is wrong for it). */
const CANONICAL_WRONG: readonly unknown[] = [8080, 'false', true, ['env=prod'], { a: 'b' }];

describe('random JSON values in every prop of every public construct', () => {
  it('derives the sites from the schemas', () => {
    // Each has its whole props (not for positional arguments) and at least one prop or argument.
    for (const subj of SUBJECTS)
      expect(SITES.filter((x) => x.subject === subj).length, subj.name).toBeGreaterThanOrEqual(subj.positional ? 1 : 2);
    // The props the issue names, found by the walk (not listed by hand).
    for (const [name, path] of [
      ['new Environment', 'owns[0]'],
      ['SecretOwnership.awsSecretsManager', 'prefixes'],
      ['SpaceIdentity.awsIrsa', 'accountId'],
      ['SpaceIdentity.awsIrsa', 'crossplane.providerConfigKind'],
      ['new SharedSecret', 'dataFrom[0].find.tags'],
      ['new SharedSecret', 'target.template.data.*'],
      ['new ArgoCdDelivery', 'destinations.*.server'],
      ['new TopologyApp', 'synthesizers[0].emit'],
    ] as const)
      expect(SITES.map(label), `${name} ${path}`).toContain(`${name} ${path}`);
    expect(SITES.find((x) => label(x) === 'SpaceIdentity.awsIrsa accountId')).toMatchObject({ kind: 'string', required: true });
    expect(SITES.find((x) => label(x) === 'new Environment props')).toMatchObject({ kind: 'props', required: false });
    expect(SITES.find((x) => label(x) === 'new Space props')).toMatchObject({ kind: 'props', required: true });
  });

  it('every site, with one value of another JSON type, null, and undefined where required, is a problem at the construct and prop', () => {
    for (const site of SITES) {
      const value = CANONICAL_WRONG.find((v) => wrongFor(site, v));
      if (value !== undefined) expectRefused(site, value);
      if (wrongFor(site, null)) expectRefused(site, null);
      if (site.required) expectRefused(site, undefined);
    }
  });

  it('every object of named props refuses a key it does not name (props are strict: a misspelt prop is never ignored)', () => {
    const ignored: string[] = [];
    for (const site of SITES.filter((x) => x.object && !OPEN_OBJECTS.includes(label(x)))) {
      const { exit, stderr } = synthWith({ ...site, path: [...site.path, 'zzUnknownProp'] }, 'x');
      if (exit !== 1 || !stderr.includes('zzUnknownProp is not a known prop')) ignored.push(label(site));
      else expectRefused({ ...site, path: [...site.path, 'zzUnknownProp'] }, 'x');
    }
    expect(ignored, 'objects that ignore an unknown key').toEqual([]);
  });

  it(
    'a random value of another JSON type is a problem at the construct and prop (exit 1, no stack trace, nothing written)',
    () => {
      const typed = SITES.filter((x) => !x.accepts.includes('null')).map(label); // `any` props: the next property
      fc.assert(
        fc.property(fc.constantFrom(...typed), jsonValue, (l, value) => {
          const site = siteOf(l);
          fc.pre(wrongFor(site, value));
          expectRefused(site, value);
        }),
        { ...fcParams, numRuns: fcParams.numRuns * 10 },
      );
    },
    TIMEOUT,
  );

  it(
    'any JSON value compiles or is a TopologyError, never another exception',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...SITES.map(label)), jsonValue, (l, value) => {
          const site = siteOf(l);
          const envOutdir = process.env.CDK8S_OUTDIR;
          process.env.CDK8S_OUTDIR = join(outRoot, 'never');
          try {
            build(site, value, join(outRoot, 'never')).compile();
          } catch (e) {
            expect(e, `${label(site)} = ${JSON.stringify(value)}: ${String(e)}`).toBeInstanceOf(TopologyError);
            for (const p of (e as TopologyError).problems) expect(p.message).not.toMatch(/\n\s+at |TypeError|Cannot read propert/);
          } finally {
            if (envOutdir === undefined) delete process.env.CDK8S_OUTDIR;
            else process.env.CDK8S_OUTDIR = envOutdir;
          }
        }),
        { ...fcParams, numRuns: fcParams.numRuns * 5 },
      );
    },
    TIMEOUT,
  );

  it('left the repository dist/ untouched', () => {
    expect(distStamp()).toBe(distBefore);
  });
});

/** The callables of the public API: `new X` (public constructors), `X.m` (public static methods), `f` (functions), by export. */
interface Callable {
  readonly id: string;
  readonly exportName: string;
  /** It takes a props object or a list of checked arguments. */
  readonly takesProps: boolean;
  /** Its props argument may be left out. */
  readonly propsOptional: boolean;
}

const PROPS_PARAM = /^(props|settings)$/;
const PROPS_TYPE = /(Props|Settings)\b/;

/** Every public callable of the runtime exports of lib/index.ts, read from their declarations. */
function publicCallables(exports: readonly string[]): Callable[] {
  const index = resolve('lib/index.ts');
  const parse = (file: string): ts.SourceFile => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const moduleOf = new Map<string, string>();
  for (const st of parse(index).statements)
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause) && st.moduleSpecifier)
      for (const e of st.exportClause.elements)
        moduleOf.set(e.name.text, resolve('lib', (st.moduleSpecifier as ts.StringLiteral).text.replace(/\.js$/, '.ts')));
  const out: Callable[] = [];
  const hidden = (m: ts.Node): boolean =>
    (ts.canHaveModifiers(m) ? (ts.getModifiers(m) ?? []) : []).some(
      (x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword,
    );
  const add = (id: string, exportName: string, params: readonly ts.ParameterDeclaration[]): void => {
    const props = params.find((p) => PROPS_PARAM.test(p.name.getText()) || PROPS_TYPE.test(p.type?.getText() ?? ''));
    out.push({
      id,
      exportName,
      takesProps: props !== undefined || params.some((p) => p.dotDotDotToken !== undefined),
      propsOptional: props !== undefined && (props.questionToken !== undefined || props.initializer !== undefined),
    });
  };
  /** The class or function `name` of `file`, through its re-exports (`export { X } from`, `export * from`). */
  const declarationOf = (name: string, file: string): ts.ClassDeclaration | ts.FunctionDeclaration | undefined => {
    for (const st of parse(file).statements) {
      if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st)) && st.name?.text === name) return st;
      if (!ts.isExportDeclaration(st) || !st.moduleSpecifier) continue;
      const from = resolve(dirname(file), (st.moduleSpecifier as ts.StringLiteral).text.replace(/\.js$/, '.ts'));
      if (!st.exportClause) {
        const found = declarationOf(name, from);
        if (found) return found;
      } else if (ts.isNamedExports(st.exportClause)) {
        const e = st.exportClause.elements.find((x) => x.name.text === name);
        if (e) return declarationOf(e.propertyName?.text ?? name, from);
      }
    }
    return undefined;
  };
  for (const name of exports) {
    const file = moduleOf.get(name);
    if (!file) throw new Error(`${name}: not exported by a named export of lib/index.ts`);
    const decl = declarationOf(name, file);
    if (!decl) throw new Error(`${name}: no class or function declaration in ${relative('.', file)} or what it re-exports`);
    if (ts.isFunctionDeclaration(decl)) add(name, name, decl.parameters);
    else
      for (const m of decl.members) {
        if (hidden(m)) continue;
        if (ts.isConstructorDeclaration(m)) add(`new ${name}`, name, m.parameters);
        else if (ts.isMethodDeclaration(m) && (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword))
          add(`${name}.${m.name.getText()}`, name, m.parameters);
      }
  }
  return out;
}

/**
 * Runtime exports of lib/index.ts that take no props (every public constructor, static method
 * or function of theirs takes none): values, errors and the review functions.
 */
const EXPORTS_WITHOUT_PROPS = [
  'SecretStoreProvider', // abstract: its subclasses (the providers) are subjects
  'TopologyError',
  'compareReports',
  'hostNamespaceFor',
  'loadReport',
  'parseReport',
  'renderReview',
  'reportFromFiles',
  'reviewExitCode',
];

describe('drift: a new prop, schema or construct cannot be missed', () => {
  const runtimeExports = Object.entries(lib)
    .filter(([, v]) => typeof v === 'function')
    .map(([k]) => k)
    .sort();
  const callables = publicCallables(runtimeExports);

  it('every exported props or arguments schema of lib/**/props.ts has a subject, or is listed with why it has none', () => {
    const files = (readdirSync('lib', { recursive: true }) as string[])
      .filter((f) => f.endsWith('props.ts') && !f.startsWith('private'))
      .map((f) => f.replace(/\\/g, '/'))
      .sort();
    expect(files).toEqual(Object.keys(SCHEMA_MODULES).sort());
    const subjectSchemas = new Set(SUBJECTS.map((x) => x.schema));
    const missing: string[] = [];
    const listed: string[] = [];
    for (const [file, mod] of Object.entries(SCHEMA_MODULES))
      for (const [name, value] of Object.entries(mod)) {
        if (!/^[A-Z]\w*(Schema|Args)$/.test(name)) continue; // lower-case exports are building blocks of these
        const key = `${file}#${name}`;
        if (key in SCHEMAS_WITHOUT_SUBJECT) listed.push(key);
        else if (!subjectSchemas.has(value as Subject['schema'])) missing.push(key);
      }
    expect(missing, 'give these schemas a subject in test/support/props-subjects.ts').toEqual([]);
    expect(listed.sort(), 'SCHEMAS_WITHOUT_SUBJECT names only schemas that exist').toEqual(Object.keys(SCHEMAS_WITHOUT_SUBJECT).sort());
  });

  it('every public constructor and factory that takes props has a subject (compared with the runtime exports)', () => {
    const byExport = new Map<string, Callable[]>();
    for (const c of callables) byExport.set(c.exportName, [...(byExport.get(c.exportName) ?? []), c]);
    const withProps = callables.filter((c) => c.takesProps).map((c) => c.id);
    const names = new Set(SUBJECTS.map((x) => x.name));
    expect(
      withProps.filter((id) => !names.has(id)),
      'give these a subject in test/support/props-subjects.ts',
    ).toEqual([]);
    expect(
      [...names].filter((n) => !callables.some((c) => c.id === n)),
      'subjects that are no public callable',
    ).toEqual([]);
    expect(
      runtimeExports.filter((e) => !(byExport.get(e) ?? []).some((c) => c.takesProps || names.has(c.id))),
      'runtime exports without props must be listed in EXPORTS_WITHOUT_PROPS',
    ).toEqual([...EXPORTS_WITHOUT_PROPS].sort());
  });

  it("each subject's props are optional exactly when its declaration says so", () => {
    for (const subj of SUBJECTS.filter((x) => !x.positional)) {
      const c = callables.find((x) => x.id === subj.name);
      expect(c?.takesProps, subj.name).toBe(true);
      expect(subj.propsOptional, subj.name).toBe(c?.propsOptional);
    }
  });

  it('the valid topology of each subject compiles with no problems, and calls the subject once', () => {
    const worlds = new Set(SUBJECTS.map((x) => x.world));
    for (const world of worlds) {
      const app = new TopologyApp({ outdir: join(outRoot, 'base') });
      const calls = new Map<string, number>();
      world(app, (name, valid) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return valid;
      });
      expect(app.problems().map((p) => `${p.path || '(app)'}: ${p.message}`)).toEqual([]);
      for (const subj of SUBJECTS.filter((x) => x.world === world && !x.makeApp)) expect(calls.get(subj.name), subj.name).toBe(1);
    }
    for (const subj of SUBJECTS.filter((x) => x.makeApp)) {
      const app = build(undefined, undefined, join(outRoot, 'base-app'), subj);
      expect(app.problems(), subj.name).toEqual([]);
    }
  });
});
