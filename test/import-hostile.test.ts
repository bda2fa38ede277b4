/**
 * Hostile input to the importer: strings that try to leave a string literal or a comment of the
 * generated TypeScript, names that collide with identifiers, alias bombs, deep nesting, huge files,
 * wrong types, duplicate keys, symbolic links, terminal escapes, and Secret values that must never
 * come out anywhere.
 */
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentifierScope, displayText, identifierFor, isSafeIdentifier, tsString } from '../lib/import/escape.js';
import { INPUT_LIMITS, ImportInputError, importCommand, readInputFiles, type ImportResult } from '../lib/import/index.js';
import { ItemList } from '../lib/import/items.js';
import { commentLines } from '../lib/import/print.js';
import { fcParams } from './fuzz-support.js';
import { importInto, runGenerated, scratchDir } from './support/import.js';

/** Any UTF-16 string: any code units (lone surrogates, line separators, controls), or any code points. */
const anyString = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
);

function parse(code: string): ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] } {
  return ts.createSourceFile('generated.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

const LINE_TERMINATORS = /[\n\r\u2028\u2029]/;

describe('escaping for the generated TypeScript', () => {
  it('property: a string literal holds exactly its string, whatever it contains', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const lit = tsString(s);
        expect(lit).toMatch(/^'[\x20-\x7e]*'$/);
        const file = parse(`const x = ${lit};`);
        expect(file.parseDiagnostics ?? []).toEqual([]);
        expect(file.statements).toHaveLength(1);
        const decl = (file.statements[0] as ts.VariableStatement).declarationList.declarations[0];
        expect((decl?.initializer as ts.StringLiteral).text).toBe(s);
      }),
      { ...fcParams, numRuns: fcParams.numRuns * 20 },
    );
  });

  it('property: comments stay comments (printable ASCII only, no line terminator), and say what the text was', () => {
    fc.assert(
      fc.property(anyString, fc.integer({ min: 0, max: 8 }), (s, indent) => {
        const lines = commentLines(`reason: ${s}`, indent);
        for (const l of lines) {
          expect(l).toMatch(/^ *\/\/[\x20-\x7e]*$/);
          expect(LINE_TERMINATORS.test(l)).toBe(false);
        }
        const file = parse(`${lines.join('\n')}\nconst after = 1;`);
        expect(file.statements).toHaveLength(1);
        // Escaped, not lost: every non-printable code unit is written as \uXXXX.
        expect(displayText(s, 1000)).toMatch(/^[\x20-\x7e]*$/);
      }),
      { ...fcParams, numRuns: fcParams.numRuns * 20 },
    );
  });

  it('property: identifiers are plain, never reserved, and unique in a file', () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 30 }), (names) => {
        const scope = new IdentifierScope(['app', 'Planes', 'TopologyApp']);
        const seen = new Set<string>(['app', 'Planes', 'TopologyApp']);
        for (const n of names) {
          const id = scope.claim(n, 'store');
          expect(isSafeIdentifier(id)).toBe(true);
          const decl = parse(`const ${id} = 1;`);
          expect(decl.parseDiagnostics ?? []).toEqual([]);
          expect(ts.isIdentifier((decl.statements[0] as ts.VariableStatement).declarationList.declarations[0]?.name as ts.Node)).toBe(true);
          expect(seen.has(id)).toBe(false);
          seen.add(id);
        }
      }),
      fcParams,
    );
    expect(identifierFor('class', 'group')).toBe('class_');
    expect(identifierFor('eu-prod-1', 'plane')).toBe('euProd1');
    expect(identifierFor('1st', 'plane')).toBe('plane1st');
    expect(identifierFor('---', 'plane')).toBe('plane');
  });
});

const YAML_HEAD = (kind: string, name: string, namespace = 'platform'): string =>
  `apiVersion: spaces.upbound.io/${kind === 'ControlPlane' ? 'v1beta1' : 'v1alpha1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n`;

const STORE = (name: string): string =>
  `${YAML_HEAD('SharedSecretStore', name)}spec:\n  controlPlaneSelector:\n    names: [cp]\n  namespaceSelector:\n    names: [team]\n  provider:\n    aws:\n      service: SecretsManager\n      region: eu-central-1\n      auth:\n        secretRef:\n          accessKeyIDSecretRef: {name: creds-${name}, key: access-key}\n          secretAccessKeySecretRef: {name: creds-${name}, key: secret-access-key}\n`;

describe('hostile YAML, end to end', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => {
    ({ dir, remove } = scratchDir());
  });
  afterAll(() => remove());

  const run = (yaml: Record<string, string>): ImportResult =>
    importInto(
      Object.entries(yaml).map(([path, text]) => ({ path, text })),
      dir,
    );

  it('property: template strings that try to break out of the generated file come back exactly, and run nothing', async () => {
    const g = globalThis as { pwned?: unknown };
    await fc.assert(
      fc.asyncProperty(anyString, async (s) => {
        const payloads = [
          s,
          `'); globalThis.pwned = 1; ('`,
          `*/ globalThis.pwned = 1; /*`,
          `\u2028globalThis.pwned = 1;//`,
          '${globalThis.pwned = 1}',
          '`',
        ];
        const data = Object.fromEntries(payloads.map((p, i) => [`k${i}`, p]));
        const secret = {
          apiVersion: 'spaces.upbound.io/v1alpha1',
          kind: 'SharedExternalSecret',
          metadata: { name: 'x', namespace: 'platform' },
          spec: {
            controlPlaneSelector: { names: ['cp'] },
            namespaceSelector: { names: ['team'] },
            externalSecretSpec: {
              secretStoreRef: { name: 'store', kind: 'ClusterSecretStore' },
              target: { template: { data } },
              data: [{ secretKey: 'k', remoteRef: { key: 'a/b' } }],
            },
          },
        };
        const result = run({ 'store.yaml': STORE('store'), 'secret.yaml': JSON.stringify(secret) });
        expect(result.problems).toEqual([]);
        const app = await runGenerated(result.code, dir);
        expect(g.pwned).toBeUndefined();
        const out = app.compile().manifests.find((m) => m.object.kind === 'SharedExternalSecret')?.object as {
          spec: { externalSecretSpec: { target: { template: { data: Record<string, string> } } } };
        };
        expect(out.spec.externalSecretSpec.target.template.data).toEqual(data);
      }),
      { ...fcParams, numRuns: Math.max(3, Math.ceil(fcParams.numRuns / 3)) },
    );
  });

  it('property: any objects, well-formed or not, never make the import throw; the code always parses and the check reports problems', () => {
    const name = fc.oneof(fc.constantFrom('a', 'b', 'cp', 'store', 'g', '', 'a/b', 'a--b', '__proto__', 'class'), anyString);
    const labels = fc.dictionary(
      fc.oneof(fc.constantFrom('environment', 'team', 'kubernetes.io/metadata.name'), anyString),
      fc.oneof(fc.constantFrom('prod', 'dev', 'a', 'true'), anyString),
      { maxKeys: 2 },
    );
    const labelSelector = fc.record(
      {
        matchLabels: labels,
        matchExpressions: fc.array(
          fc.record({
            key: fc.constantFrom('environment', 'team'),
            operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus'),
            values: fc.array(fc.constantFrom('prod', 'dev', 'a'), { maxLength: 2 }),
          }),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: [] },
    );
    const selector = fc.oneof(
      fc.record(
        { names: fc.array(name, { maxLength: 3 }), labelSelectors: fc.array(labelSelector, { maxLength: 2 }) },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    const provider = fc.oneof(
      fc.constant({ aws: { service: 'SecretsManager', region: 'eu-central-1' } }),
      fc.record({
        aws: fc.record(
          {
            service: fc.constantFrom('SecretsManager', 'ParameterStore', 'Bogus'),
            region: anyString,
            role: anyString,
            auth: fc.anything(),
          },
          { requiredKeys: ['service'] },
        ),
      }),
      fc.record({
        azurekv: fc.record(
          {
            vaultUrl: anyString,
            tenantId: anyString,
            authType: fc.constantFrom('ServicePrincipal', 'WorkloadIdentity', 'ManagedIdentity'),
            authSecretRef: fc.anything(),
          },
          { requiredKeys: [] },
        ),
      }),
      fc.record({ gcpsm: fc.record({ projectID: anyString, auth: fc.anything() }, { requiredKeys: [] }) }),
      fc.anything(),
    );
    const meta = fc.record({ name, namespace: fc.oneof(fc.constantFrom('g', 'h'), name), labels }, { requiredKeys: ['name'] });
    const es = fc.record(
      {
        secretStoreRef: fc.record({
          name: fc.constantFrom('store', 'a', 'nope'),
          kind: fc.constantFrom('ClusterSecretStore', 'SecretStore'),
        }),
        refreshInterval: fc.oneof(fc.constantFrom('1h', '0s', '1d'), anyString),
        data: fc.array(
          fc.record(
            {
              secretKey: fc.oneof(fc.constantFrom('k', 'k'), anyString),
              remoteRef: fc.record({ key: anyString, property: anyString }, { requiredKeys: [] }),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        dataFrom: fc.array(fc.anything(), { maxLength: 2 }),
        target: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const object = fc.oneof(
      fc.record({
        apiVersion: fc.constant('spaces.upbound.io/v1alpha1'),
        kind: fc.constant('SharedSecretStore'),
        metadata: meta,
        spec: fc.record(
          { controlPlaneSelector: selector, namespaceSelector: selector, provider, refreshInterval: fc.anything() },
          { requiredKeys: [] },
        ),
      }),
      fc.record({
        apiVersion: fc.constant('spaces.upbound.io/v1alpha1'),
        kind: fc.constant('SharedExternalSecret'),
        metadata: meta,
        spec: fc.record({ controlPlaneSelector: selector, namespaceSelector: selector, externalSecretSpec: es }, { requiredKeys: [] }),
      }),
      fc.record({
        apiVersion: fc.constant('spaces.upbound.io/v1beta1'),
        kind: fc.constant('ControlPlane'),
        metadata: meta,
        spec: fc.anything(),
        status: fc.anything(),
      }),
      fc.record({
        apiVersion: fc.constant('v1'),
        kind: fc.constant('Namespace'),
        metadata: fc.record({ name, labels: fc.constant({ 'spaces.upbound.io/group': 'true' }) }),
      }),
      fc.record({
        apiVersion: fc.constantFrom('external-secrets.io/v1', 'external-secrets.io/v1beta1'),
        kind: fc.constantFrom('ClusterSecretStore', 'SecretStore'),
        metadata: meta,
        spec: fc.record({ provider, conditions: fc.anything() }, { requiredKeys: [] }),
      }),
      fc.record({
        apiVersion: fc.constant('external-secrets.io/v1'),
        kind: fc.constantFrom('ExternalSecret', 'ClusterExternalSecret', 'PushSecret'),
        metadata: meta,
        spec: fc.oneof(
          es,
          fc.record({ externalSecretSpec: es, namespaceSelectors: fc.array(labelSelector, { maxLength: 2 }) }),
          fc.anything(),
        ),
      }),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.array(object, { maxLength: 6 }), (objects) => {
        const result = run(Object.fromEntries(objects.map((o, i) => [`spaces/s/groups/g/${i}.yaml`, JSON.stringify(o) ?? 'null'])));
        const file = parse(result.code);
        expect(file.parseDiagnostics ?? []).toEqual([]);
        for (const p of result.problems) expect(p.message).not.toMatch(/synthesis failed unexpectedly/);
      }),
      { ...fcParams, numRuns: fcParams.numRuns * 3 },
    );
  });

  it('names that are reserved words, imports or the app parameter become distinct, valid variables', async () => {
    const names = ['class', 'default', 'app', 'planes', 'topology-app', 'space', 'delete', 'new', 'planes-1'];
    const yaml: Record<string, string> = {};
    for (const n of names) yaml[`${n}.yaml`] = STORE(n);
    yaml['cp.yaml'] = `${YAML_HEAD('ControlPlane', 'cp')}spec: {}\n`;
    for (const n of names)
      yaml[`s-${n}.yaml`] =
        `${YAML_HEAD('SharedExternalSecret', n)}spec:\n  controlPlaneSelector: {names: [cp]}\n  namespaceSelector: {names: [team]}\n  externalSecretSpec:\n    secretStoreRef: {name: ${n}, kind: ClusterSecretStore}\n    target: {name: t-${n}}\n    data: [{secretKey: k, remoteRef: {key: a}}]\n`;
    const result = run(yaml);
    expect(result.problems).toEqual([]);
    const file = parse(result.code);
    expect(file.parseDiagnostics ?? []).toEqual([]);
    expect(result.code).toContain("const class_ = new SecretStore(platform, 'class',");
    expect(result.code).toContain("const appStore = new SecretStore(platform, 'app',");
    // A store and a secret of the same name get distinct construct ids, and keep their names.
    expect(result.code).toContain("new SharedSecret(platform, 'class-secret', {\n    name: 'class',");
    const app = await runGenerated(result.code, dir);
    expect(app.compile().manifests.filter((m) => m.object.kind === 'SharedExternalSecret')).toHaveLength(names.length);
  });

  it('an alias bomb is refused for its document; the others are imported', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`),
    ].join('\n');
    const started = Date.now();
    const result = run({ 'bomb.yaml': `${bomb}\n---\n${STORE('store')}` });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.items.find((i) => i.object === 'bomb.yaml#1')?.reason).toMatch(/alias/);
    expect(result.code).toContain("new SecretStore(platform, 'store'");
  });

  it('deep nesting is refused for its document (flow and block), without a stack overflow', () => {
    const flow = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const block = Array.from({ length: 5_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    // Deeper than the import reads, shallow enough for the YAML reader.
    const deep = Array.from({ length: INPUT_LIMITS.maxDepth + 5 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    const result = run({ 'flow.yaml': flow, 'block.yaml': block, 'deep.yaml': deep, 'ok.yaml': STORE('store') });
    expect(result.items.find((i) => i.object === 'flow.yaml#1')?.reason).toMatch(/^not valid YAML/);
    expect(result.items.find((i) => i.object === 'block.yaml#1')?.reason).toMatch(/^not valid YAML \(RESOURCE_EXHAUSTION/);
    expect(result.items.find((i) => i.object === 'deep.yaml#1')?.reason).toMatch(new RegExp(`nested more than ${INPUT_LIMITS.maxDepth}`));
    expect(result.code).toContain("new SecretStore(platform, 'store'");
  });

  it('a file larger than the limit stops the import before anything is read', () => {
    const big = join(dir, 'big');
    mkdirSync(big, { recursive: true });
    writeFileSync(join(big, 'a.yaml'), STORE('store'));
    truncateSync(join(big, 'a.yaml'), INPUT_LIMITS.maxFileBytes + 1);
    expect(() => readInputFiles([big], '/', new ItemList())).toThrow(ImportInputError);
    expect(() => readInputFiles([big], '/', new ItemList())).toThrow(/split it/);
  });

  it('values of the wrong type, duplicate keys and YAML 1.1 booleans are listed, not imported', () => {
    const wrong = `${YAML_HEAD('SharedExternalSecret', 'x')}spec:\n  controlPlaneSelector: {names: cp}\n  namespaceSelector: {names: [team]}\n  externalSecretSpec:\n    refreshInterval: 60\n    secretStoreRef: {name: store, kind: ClusterSecretStore}\n    target: {name: on}\n    data: [{secretKey: k, remoteRef: {key: a}}]\n`;
    const dup = `${YAML_HEAD('ControlPlane', 'cp')}metadata:\n  name: again\n`;
    const result = run({ 'store.yaml': STORE('store'), 'x.yaml': wrong, 'dup.yaml': dup });
    const fields = result.items.filter((i) => i.object === 'SharedExternalSecret platform/x').map((i) => `${i.field}: ${i.reason}`);
    expect(fields).toContain('spec.controlPlaneSelector.names: expected a list, got a string of 2 characters: not imported');
    expect(fields).toContain('spec.externalSecretSpec.refreshInterval: expected a string, got a number: not imported');
    expect(fields).toContain('spec.externalSecretSpec.target.name: expected a string, got a boolean: not imported');
    expect(result.items.find((i) => i.object === 'dup.yaml#1')?.reason).toMatch(/^not valid YAML \(DUPLICATE_KEY at line 6, column 1\)/);
  });

  it('symbolic links inside an input directory are not followed', () => {
    const root = join(dir, 'links');
    mkdirSync(join(root, 'in'), { recursive: true });
    writeFileSync(join(root, 'outside.yaml'), STORE('outside'));
    writeFileSync(join(root, 'in', 'store.yaml'), STORE('store'));
    symlinkSync(join(root, 'outside.yaml'), join(root, 'in', 'link.yaml'));
    symlinkSync(root, join(root, 'in', 'loop'));
    const items = new ItemList();
    const files = readInputFiles([join(root, 'in')], '/', items);
    expect(files.map((f) => f.path)).toEqual([`${root}/in/store.yaml`]);
    expect(items.items.filter((i) => /symbolic link/.test(i.reason)).map((i) => i.object)).toEqual([
      `${root}/in/link.yaml`,
      `${root}/in/loop`,
    ]);
  });

  it('Secret values never come out: not from Secrets, kubectl annotations, unmapped fields or YAML errors', () => {
    const token = 'AKIAZZZZZZZZZZZZZZZZ-s3cr3t-value';
    const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: creds-store, namespace: platform}\ndata: {access-key: ${Buffer.from(token).toString('base64')}}\nstringData: {secret-access-key: ${token}}\n`;
    const annotated = STORE('store').replace(
      'metadata:\n',
      `metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"k":"${token}"}}'\n`,
    );
    const fake = `${YAML_HEAD('SharedSecretStore', 'fake')}spec:\n  controlPlaneSelector: {names: [cp]}\n  namespaceSelector: {names: [team]}\n  provider:\n    fake:\n      data: [{key: k, value: ${token}}]\n`;
    const unmappedField = STORE('store2').replace('region: eu-central-1', `region: eu-central-1\n      prefix: ${token}`);
    const broken = `kind: Secret\nstringData:\n  a: ${token}\n  a: ${token}\n`;
    const lines: string[] = [];
    const files = {
      'secret.yaml': secret,
      'store.yaml': annotated,
      'fake.yaml': fake,
      'store2.yaml': unmappedField,
      'broken.yaml': broken,
    };
    const result = run(files);
    const inputDir = join(dir, 'secrets');
    mkdirSync(inputDir, { recursive: true });
    for (const [p, t] of Object.entries(files)) writeFileSync(join(inputDir, p), t);
    importCommand([inputDir, '--verbose'], { stdout: (t) => lines.push(t), stderr: (t) => lines.push(t) });
    const everything = [result.code, JSON.stringify(result.items), JSON.stringify(result.problems), ...lines].join('\n');
    for (const needle of [token, Buffer.from(token).toString('base64'), 's3cr3t']) expect(everything).not.toContain(needle);
    expect(result.items.some((i) => /values are not imported/.test(i.reason))).toBe(true);
    expect(result.items.some((i) => i.field === 'spec.provider.aws.prefix' && /a string of \d+ characters/.test(i.reason))).toBe(true);
  });

  it('terminal escapes and odd characters in names are escaped in the report', () => {
    const evil = `${YAML_HEAD('Widget', '"\\u001b[31mred\\u2028x"')}spec: {}\n`.replace('kind: Widget', 'kind: "Wid\\u001bget"');
    const inputDir = join(dir, 'evil');
    mkdirSync(inputDir, { recursive: true });
    writeFileSync(join(inputDir, 'evil.yaml'), evil);
    const err: string[] = [];
    const out: string[] = [];
    const code = importCommand([inputDir], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    expect(code).toBe(3);
    const text = err.join('');
    expect(text).toContain('\\u001b[31mred\\u2028x');
    expect(text).not.toMatch(/[\u001b\u2028]/);
    expect(out.join('')).not.toMatch(/[\u001b\u2028]/);
  });
});
