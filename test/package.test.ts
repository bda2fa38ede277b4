/**
 * The installable package (issue 15). `npm pack` (whose `prepack` runs `npm run build`) must ship
 * only the compiled library, its declarations, the CLI, README and LICENSE; the tarball then
 * installs into a fresh cdk8s app in a temporary directory (from the npm cache where it can, the
 * registry otherwise) and works there without this checkout: imported with plain `node` (no
 * TypeScript loader is installed), a `.mjs` app synthesizes, a TypeScript app type-checks against
 * the shipped declarations and synthesizes through `cdk8s synth`, and the `secrets-topology` bin
 * runs. Both apps and the TypeScript sources of this checkout give the same bytes.
 *
 * Run by `npm run test:package` (vitest.package.config.ts), not by `npm test`: it builds and
 * installs, which takes about a minute.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/output-dirs.js';

interface PackedFile {
  readonly path: string;
}
interface PackResult {
  readonly filename: string;
  readonly files: readonly PackedFile[];
}
interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly main: string;
  readonly types: string;
  readonly exports: Record<string, string | Record<string, string>>;
  readonly bin: Record<string, string>;
  readonly files: readonly string[];
  readonly dependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
  readonly scripts: Record<string, string>;
  readonly engines: Record<string, string>;
}

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CDK8S = join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** The environment of every child: no loader of this process (NODE_OPTIONS), no upgrade check. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
  delete env.NODE_OPTIONS;
  delete env.CDK8S_OUTDIR;
  return { ...env, ...extra };
}

function run(command: string, args: readonly string[], cwd: string, extra: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: childEnv(extra), encoding: 'utf8', maxBuffer: 64 << 20 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  expect(r.error, what).toBeUndefined();
  expect(r.status, `${what}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** Every file below `dir` with its content, by `/`-separated relative path. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    out.set(relative(dir, abs).split(sep).join('/'), readFileSync(abs, 'utf8'));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The app: valid JavaScript and valid TypeScript (run as main.mjs, compiled from main.ts), written
 * against the package's name only. The `@ts-expect-error` line holds the declarations to real
 * types: were a prop typed `any`, the directive itself would be an error.
 */
const APP = (from: string): string => `import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  EsoCluster,
  EsoExternalSecret,
  EsoSecretStore,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  TopologyApp,
} from '${from}';

const app = new TopologyApp();
const prod = new Environment(app, 'prod', { production: true, refreshInterval: '15m' });
const space = new Space(app, 'aws-eu', {
  cloud: 'aws',
  identity: SpaceIdentity.awsPodIdentity({ accountId: '111122223333', clusterName: 'spaces-eu' }),
});
const platform = new Group(space, 'platform');
new ControlPlane(platform, 'eu-prod-1', {
  environment: prod,
  controlPlaneId: 'b2b37aaa-ee55-492c-ba0c-4d561a6325fa',
  namespaces: ['crossplane-system', { name: 'team-a', labels: { team: 'a' } }],
});
const store = new SecretStore(platform, 'aws-sm-prod', {
  provider: new AwsSecretsManager({ region: 'eu-central-1' }),
  planes: Planes.inEnvironments(prod),
  namespaces: Namespaces.named('team-a'),
});
new SharedSecret(platform, 'db-credentials', {
  store,
  data: [{ secretKey: 'password', remoteKey: 'prod/team-a/db', property: 'password' }],
});
const cluster = new EsoCluster(app, 'apps-eu', {
  cloud: 'aws',
  identity: SpaceIdentity.awsIrsa({
    accountId: '111122223333',
    oidcIssuer: 'https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
  }),
  roleArn: 'arn:aws:iam::111122223333:role/apps-eu-external-secrets',
});
const sm = new EsoSecretStore(cluster, 'aws-sm', {
  provider: new AwsSecretsManager({ region: 'eu-central-1' }),
  namespaces: Namespaces.named('team-a'),
});
new EsoExternalSecret(cluster, 'api-key', {
  store: sm,
  namespace: 'team-a',
  data: [{ secretKey: 'key', remoteKey: 'prod/team-a/api', property: 'key' }],
});
app.synth();

/** Never called: a compile-time check of the declarations. */
export function wrongProps() {
  // @ts-expect-error outdir is a string
  return new TopologyApp({ outdir: 42 });
}
`;

let tmp = '';
let appDir = '';
let packed: PackResult;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'secrets-topology-package-'));
  // npm 11 prints the lifecycle scripts' output (prepack: the build) on stderr with --json.
  const out = ok(run('npm', ['pack', '--json', '--pack-destination', tmp], ROOT), 'npm pack');
  const results = JSON.parse(out) as PackResult[];
  expect(results).toHaveLength(1);
  packed = results[0];

  appDir = join(tmp, 'app');
  mkdirSync(appDir);
  writeFileSync(
    join(appDir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'topology-app',
        private: true,
        type: 'module',
        dependencies: {
          cdk8s: PKG.devDependencies.cdk8s,
          constructs: PKG.devDependencies.constructs,
          'secrets-topology': `file:${join(tmp, packed.filename)}`,
        },
        devDependencies: { '@types/node': PKG.devDependencies['@types/node'] },
      },
      null,
      2,
    )}\n`,
  );
  // The npm cache of this machine's `npm ci` has every package; the registry is asked only for what it lacks.
  ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], appDir), 'npm install');
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack', () => {
  /** What the tarball may hold: the compiled library and bindings (JavaScript and declarations), the CLI, README, LICENSE. */
  const ALLOWED = [
    /^package\.json$/,
    /^README\.md$/,
    /^LICENSE$/,
    /^bin\/secrets-topology\.mjs$/,
    /^build\/(lib|imports)\/[a-z0-9./-]+(?<!\.d)\.js$/,
    /^build\/(lib|imports)\/[a-z0-9./-]+\.d\.ts$/,
  ];

  it('ships only the compiled library, its declarations, the CLI, README and LICENSE', () => {
    const paths = packed.files.map((f) => f.path);
    const stray = paths.filter((p) => !ALLOWED.some((r) => r.test(p)));
    expect(stray).toEqual([]);
    for (const p of paths) {
      expect(p).not.toMatch(/^(test|bench|dist|examples|scripts|docs|lib|imports|node_modules|\.ci)\//);
      expect(p).not.toMatch(/(?<!\.d)\.ts$|\.map$|\.tsbuildinfo$|\.mts$/);
    }
    for (const p of ['LICENSE', 'README.md', 'package.json', 'bin/secrets-topology.mjs']) expect(paths).toContain(p);
  });

  it('has the JavaScript and the declarations of every module of lib/ and of the bindings it imports', () => {
    const paths = new Set(packed.files.map((f) => f.path));
    const sources = readdirSync(join(ROOT, 'lib'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'));
    expect(sources).toContain('lib/output/write-worker.ts');
    const bindings = new Set<string>();
    for (const s of sources) {
      const base = `build/${s.slice(0, -'.ts'.length)}`;
      expect(paths, s).toContain(`${base}.js`);
      expect(paths, s).toContain(`${base}.d.ts`);
      for (const m of readFileSync(join(ROOT, s), 'utf8').matchAll(/from '(?:\.\.\/)+imports\/([a-z0-9.-]+)\.js'/g)) bindings.add(m[1]);
    }
    expect(bindings.size).toBeGreaterThan(0);
    for (const b of bindings) expect(paths, b).toContain(`build/imports/${b}.js`);
  });

  it('declarations an app reads (from index.d.ts on) name only cdk8s and constructs, never the validator', () => {
    const root = join(appDir, 'node_modules', 'secrets-topology');
    const seen = new Set<string>();
    const packages = new Set<string>();
    const queue = [join(root, 'build', 'lib', 'index.d.ts')];
    while (queue.length > 0) {
      const file = queue.shift() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      expect(existsSync(file), file).toBe(true);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
        if (m[1].startsWith('.')) queue.push(join(dirname(file), m[1].replace(/\.js$/, '.d.ts')));
        else packages.add(m[1]);
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect([...packages].sort()).toEqual(['cdk8s', 'constructs']);
  });

  it('points package.json (main, types, exports, bin) only at shipped files, and runs the build before packing', () => {
    const paths = new Set(packed.files.map((f) => f.path));
    const shipped = JSON.parse(readFileSync(join(appDir, 'node_modules', 'secrets-topology', 'package.json'), 'utf8')) as Manifest;
    const targets = [shipped.main, shipped.types, ...Object.values(shipped.bin)];
    for (const v of Object.values(shipped.exports)) targets.push(...(typeof v === 'string' ? [v] : Object.values(v)));
    for (const t of targets) expect(paths, t).toContain(t.replace(/^\.\//, ''));
    // One module for both: a CommonJS app (cdk8s init's typescript-app) loads the same ES module through require(esm), Node >= 20.19, so no class exists twice.
    expect(shipped.exports['.']).toEqual({
      types: './build/lib/index.d.ts',
      import: './build/lib/index.js',
      require: './build/lib/index.js',
    });
    expect(shipped.scripts.prepack).toBe('npm run build');
    expect(shipped.engines.node).toBe('>=20.19.0');
    // cdk8s and constructs are the app's (as for cdk8s-plus); the package brings only what it alone uses.
    expect(shipped.peerDependencies).toEqual({ cdk8s: `^${PKG.devDependencies.cdk8s}`, constructs: `^${PKG.devDependencies.constructs}` });
    // cdk8s-plus-33 builds the core objects inside the package (none of its types is in the API): a dependency.
    expect(shipped.dependencies).toEqual({
      'cdk8s-plus-33': PKG.dependencies['cdk8s-plus-33'],
      yaml: PKG.dependencies.yaml,
      zod: PKG.dependencies.zod,
    });
  });
});

describe('the installed package', () => {
  it('imports with plain node: no TypeScript loader is installed or registered', () => {
    expect(existsSync(join(appDir, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(appDir, 'node_modules', 'typescript'))).toBe(false);
    const out = ok(
      run(process.execPath, ['-e', "import('secrets-topology').then((m) => console.log(Object.keys(m).sort().join(' ')))"], appDir),
      'import',
    );
    for (const name of ['TopologyApp', 'Space', 'SharedSecret', 'EsoCluster', 'SpaceIdentity']) expect(out.split(' ')).toContain(name);
  });

  it("uses the app's own cdk8s and constructs (peer dependencies: one copy, so its constructs and the app's mix)", () => {
    expect(existsSync(join(appDir, 'node_modules', 'secrets-topology', 'node_modules', 'cdk8s'))).toBe(false);
    expect(existsSync(join(appDir, 'node_modules', 'secrets-topology', 'node_modules', 'constructs'))).toBe(false);
    const script = [
      "import { App, Chart } from 'cdk8s';",
      "import { Group, Space, SpaceIdentity, TopologyApp } from 'secrets-topology';",
      'const app = new TopologyApp();',
      "const space = new Space(app, 's', { cloud: 'aws', identity: SpaceIdentity.awsIrsa({ accountId: '111122223333', oidcIssuer: 'https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' }) });",
      "const group = new Group(space, 'g');",
      'console.log(app instanceof App, group instanceof Chart);',
    ].join('\n');
    expect(ok(run(process.execPath, ['--input-type=module', '-e', script], appDir), 'instanceof').trim()).toBe('true true');
  });

  it("resolves cdk8s-plus-33 from the installed package, and cdk8s-plus resolves the app's cdk8s (one copy)", () => {
    const script = [
      "const { createRequire } = require('node:module');",
      "const fromPackage = createRequire(require.resolve('secrets-topology/package.json'));",
      "const plus = fromPackage.resolve('cdk8s-plus-33/lib/namespace.js');",
      "const cdk8sOfPlus = createRequire(plus).resolve('cdk8s');",
      "console.log(JSON.stringify({ plus, same: cdk8sOfPlus === require.resolve('cdk8s') }));",
    ].join('\n');
    const out = JSON.parse(ok(run(process.execPath, ['-e', script], appDir), 'resolve cdk8s-plus')) as { plus: string; same: boolean };
    expect(out.plus.startsWith(join(appDir, 'node_modules'))).toBe(true);
    expect(out.same).toBe(true);
  });

  it('synthesizes a .mjs app with plain node, with the same bytes as the TypeScript sources', () => {
    writeFileSync(join(appDir, 'main.mjs'), APP('secrets-topology'));
    ok(run(process.execPath, ['main.mjs'], appDir, { CDK8S_OUTDIR: 'dist-node' }), 'node main.mjs');
    const out = files(join(appDir, 'dist-node'));
    for (const p of [
      'spaces/aws-eu/groups/platform/sharedsecretstore-aws-sm-prod.yaml',
      'spaces/aws-eu/groups/platform/sharedexternalsecret-db-credentials.yaml',
      'spaces/aws-eu/groups/platform/kustomization.yaml',
      'spaces/aws-eu/groups/platform/namespace.yaml',
      'spaces/aws-eu/helm/spaces-values.yaml',
      'clusters/apps-eu/kustomization.yaml',
      'REPORT.md',
      'report.json',
    ])
      expect([...out.keys()]).toContain(p);
    expect(out.get('spaces/aws-eu/groups/platform/sharedexternalsecret-db-credentials.yaml')).toMatch(/^kind: SharedExternalSecret$/m);
    // Built with the installed cdk8s-plus-33 (its empty spec).
    expect(out.get('spaces/aws-eu/groups/platform/namespace.yaml')).toMatch(/^kind: Namespace\n[\s\S]*^spec: \{\}$/m);

    // The same app against the sources of this checkout, through tsx.
    const source = join(tmp, 'source-app.mjs');
    writeFileSync(source, APP(pathToFileURL(join(ROOT, 'lib', 'index.ts')).href));
    ok(run(process.execPath, ['--import', TSX_LOADER, source], tmp, { CDK8S_OUTDIR: join(tmp, 'dist-source') }), 'sources');
    expect(out).toEqual(files(join(tmp, 'dist-source')));
  });

  it('type-checks a TypeScript app against the shipped declarations and synthesizes it with cdk8s synth', () => {
    writeFileSync(join(appDir, 'main.ts'), APP('secrets-topology'));
    writeFileSync(
      join(appDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['main.ts'],
      }),
    );
    ok(run(process.execPath, [TSC, '-p', '.'], appDir), 'tsc');
    expect(existsSync(join(appDir, 'main.js'))).toBe(true);
    writeFileSync(join(appDir, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\n');
    ok(run(process.execPath, [CDK8S, 'synth', '--no-check-upgrade'], appDir), 'cdk8s synth');
    expect(files(join(appDir, 'dist'))).toEqual(files(join(appDir, 'dist-node')));
  });

  it("compiles and synthesizes a CommonJS app made as cdk8s init's typescript-app makes it (its tsconfig, require of the package)", () => {
    const cjs = join(appDir, 'cjs');
    mkdirSync(cjs);
    // The template's own compiler options: CommonJS, ES2017, lib es2016, declarations checked (no skipLibCheck).
    const template = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), 'utf8'),
    ) as {
      compilerOptions: Record<string, unknown>;
    };
    expect(template.compilerOptions.module).toBe('CommonJS');
    writeFileSync(join(cjs, 'package.json'), '{ "private": true, "type": "commonjs" }\n');
    writeFileSync(
      join(cjs, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...template.compilerOptions, types: ['node'] }, files: ['main.ts'] }),
    );
    writeFileSync(join(cjs, 'main.ts'), APP('secrets-topology'));
    ok(run(process.execPath, [TSC, '-p', '.'], cjs), 'tsc (CommonJS)');
    expect(readFileSync(join(cjs, 'main.js'), 'utf8')).toMatch(/require\("secrets-topology"\)/);
    ok(run(process.execPath, ['main.js'], cjs, { CDK8S_OUTDIR: 'dist' }), 'node main.js (CommonJS)');
    expect(files(join(cjs, 'dist'))).toEqual(files(join(appDir, 'dist-node')));
  });

  it('refuses a wrong prop at compile time (the declarations are not any)', () => {
    const bad = join(appDir, 'bad.ts');
    writeFileSync(
      bad,
      "import { Space } from 'secrets-topology';\nexport const s: Space = new Space(undefined as never, 'x', { cloud: 'mars' });\n",
    );
    const r = run(
      process.execPath,
      [TSC, '--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', 'node', bad],
      appDir,
    );
    rmSync(bad);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/bad\.ts\(2,\d+\): error TS\d+: Type '"mars"' is not assignable/);
  });

  it('runs the secrets-topology bin: --help, --version and check of the app', () => {
    const help = ok(run('npx', ['--no-install', 'secrets-topology', '--help'], appDir), '--help');
    expect(help).toMatch(/^Usage: secrets-topology <command>/);
    expect(ok(run('npx', ['--no-install', 'secrets-topology', '--version'], appDir), '--version').trim()).toBe(PKG.version);
    // `check` runs the app of cdk8s.yaml (node main.js) and compares with dist/ (written by cdk8s synth above).
    const check = run('npx', ['--no-install', 'secrets-topology', 'check'], appDir);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^check: dist\/ is up to date \(\d+ files\)\.$/m);
  });
});
