/**
 * Test support: validate generated Kubernetes manifests against the real CRD schemas in
 * `../shared/crds` (see that folder's README, section "Validation").
 *
 * - CRD files are parsed eagerly by {@link CrdValidator.load}, but each schema is compiled
 *   with ajv only when an object of that kind is first validated (some schemas are huge).
 * - Schemas are tightened before compiling: `additionalProperties: false` is added to every
 *   object schema with `properties` (unless `x-kubernetes-preserve-unknown-fields: true`), and
 *   the root `metadata` is replaced by a strict ObjectMeta schema, so typos are rejected.
 * - The CEL rules (`x-kubernetes-validations`) of every served version are compiled when the CRDs
 *   are loaded (an unsupported function fails the load) and evaluated on every validated object
 *   as on create, by a real CEL engine ({@link CelRules}, `./cel.ts`); {@link CrdValidator.celTally}
 *   counts what each rule did, transition rules (`oldSelf`) as skipped.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { describe, it } from 'vitest';

import { CelRules, CelTally } from './cel.js';

// ajv-formats is CommonJS (`module.exports = plugin; exports.default = plugin`); under
// NodeNext the default import is typed as the whole module, so use its `.default`.
const addFormats = addFormatsModule.default;

/** Subfolders (relative to the CRD folder) that are reference material, not target APIs. */
export const REFERENCE_ONLY_SUBFOLDERS: readonly string[] = ['spaces/v1.16', 'spaces/upbound-external-secrets-fork'];

/** DNS-1123 subdomain (object names): at most 253 characters. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1123 label (namespace names): at most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const KUSTOMIZE_API_VERSION = 'kustomize.config.k8s.io/v1beta1';

// ---------------------------------------------------------------------------------------------
// CRD folder discovery and the "skip locally, fail in CI" rule
// ---------------------------------------------------------------------------------------------

/** The repository root: the nearest folder above this file that contains package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`crd-schemas: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/**
 * The CRD folder: `$CRDS_DIR` if set (resolved against the current directory), otherwise
 * `../shared/crds` relative to the repository root (the folder holding package.json).
 */
export function crdsDir(): string {
  const fromEnv = process.env.CRDS_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return resolve(repoRoot(), '..', 'shared', 'crds');
}

/**
 * Whether the CRD folder exists. When it does not, `reason` is a one-line message naming the
 * missing folder and how to point CRDS_DIR at it.
 */
export function crdsAvailable(dir: string = crdsDir()): { available: boolean; reason?: string } {
  if (existsSync(dir) && statSync(dir).isDirectory()) return { available: true };
  return {
    available: false,
    reason: `CRD folder not found: ${dir} — set CRDS_DIR=/path/to/shared/crds ` + `(default is ../shared/crds next to the repository root)`,
  };
}

/**
 * `describe()` that needs the CRD folder. If the folder is missing the suite is skipped with a
 * one-line warning — except when `CI=true`, where a failing test is registered instead, so
 * CI can never silently skip schema validation.
 */
export function describeWithCrds(name: string, fn: () => void): void {
  const { available, reason } = crdsAvailable();
  if (available) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the CRD folder (required when CI=true)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  console.warn(`[crd-schemas] skipping "${name}": ${reason}`);
  describe.skip(name, fn);
}

// ---------------------------------------------------------------------------------------------
// YAML helpers
// ---------------------------------------------------------------------------------------------

/**
 * Parse a multi-document YAML string into plain JS values. Empty documents (e.g. a leading
 * `---`) are skipped; any YAML error throws, naming the 1-based document number.
 */
export function parseManifests(yamlText: string): unknown[] {
  const docs = parseAllDocuments(yamlText);
  if (!Array.isArray(docs)) return []; // EmptyStream: no documents at all
  const out: unknown[] = [];
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      throw new Error(`YAML error in document ${i + 1}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    if (doc.contents === null) return;
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    out.push(value);
  });
  return out;
}

/** All `*.yaml` files below `dir` (recursive), absolute paths, sorted. */
async function findYamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await findYamlFiles(p)));
    else if (entry.isFile() && entry.name.endsWith('.yaml')) files.push(p);
  }
  return files.sort();
}

const toPosix = (p: string): string => p.split(sep).join('/');

// ---------------------------------------------------------------------------------------------
// Schema transformation
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Strict ObjectMeta for manifests we write: name (required), namespace, labels, annotations. */
function objectMetaSchema(): SchemaObject {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 253, pattern: DNS1123_SUBDOMAIN.source },
      namespace: { type: 'string', minLength: 1, maxLength: 63, pattern: DNS1123_LABEL.source },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
    },
  };
}

/**
 * Close every object schema that lists `properties` (in place). Descends through
 * properties, items, additionalProperties and the combinators. Branches of
 * anyOf/oneOf/allOf/not are not closed themselves (that would reject the sibling
 * properties); none of the CRDs here puts `properties` in such a branch.
 */
function closeObjects(schema: unknown, inCombinator = false): void {
  if (!isObject(schema)) return;
  if (
    !inCombinator &&
    isObject(schema.properties) &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true &&
    !('additionalProperties' in schema)
  ) {
    schema.additionalProperties = false;
  }
  if (isObject(schema.properties)) for (const sub of Object.values(schema.properties)) closeObjects(sub);
  if (Array.isArray(schema.items)) for (const sub of schema.items) closeObjects(sub);
  else closeObjects(schema.items);
  closeObjects(schema.additionalProperties);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) for (const b of branches) closeObjects(b, true);
  }
  closeObjects(schema.not, true);
}

/** Deep-copied, tightened version of a CRD version's openAPIV3Schema (see module doc). */
function prepareSchema(openAPIV3Schema: Json): SchemaObject {
  const schema = structuredClone(openAPIV3Schema);
  closeObjects(schema);
  if (!isObject(schema.properties)) schema.properties = {};
  (schema.properties as Json).metadata = objectMetaSchema();
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  if (!required.includes('metadata')) schema.required = [...required, 'metadata'];
  return schema;
}

/**
 * Core v1 Namespace: only apiVersion/kind/metadata{name (DNS-1123 label), labels, annotations}, and
 * an optional `spec` whose only field is `finalizers` (the Spaces target emits `spec: {}`).
 */
const NAMESPACE_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata'],
  properties: {
    apiVersion: { const: 'v1' },
    kind: { const: 'Namespace' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 63, pattern: DNS1123_LABEL.source },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: { finalizers: { type: 'array', items: { type: 'string' } } },
    },
  },
};

/** Core v1 ConfigMap (the Flux and Sveltos targets emit them): strict metadata, string data. */
const CONFIG_MAP_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata'],
  properties: {
    apiVersion: { const: 'v1' },
    kind: { const: 'ConfigMap' },
    metadata: objectMetaSchema(),
    data: { type: 'object', additionalProperties: { type: 'string' } },
    binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
    immutable: { type: 'boolean' },
  },
};

/** Built-in kinds (no CRD) validated by a schema here, by `<apiVersion> <kind>`. */
const BUILTIN_SCHEMAS: ReadonlyMap<string, SchemaObject> = new Map([
  ['v1 Namespace', NAMESPACE_SCHEMA],
  ['v1 ConfigMap', CONFIG_MAP_SCHEMA],
]);

// ---------------------------------------------------------------------------------------------
// Error formatting
// ---------------------------------------------------------------------------------------------

function objectLabel(obj: Json): string {
  const kind = typeof obj.kind === 'string' ? obj.kind : '<no kind>';
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '<no name>';
  return `${kind}/${name}`;
}

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

function formatAjvErrors(label: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const params = formatParams(e.params as Record<string, unknown>);
    return `${label}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}${params ? ` (${params})` : ''}`;
  });
}

// ---------------------------------------------------------------------------------------------
// The validator
// ---------------------------------------------------------------------------------------------

interface CrdVersionEntry {
  apiVersion: string;
  kind: string;
  served: boolean;
  /** CRD file, relative to the CRD folder (POSIX separators). */
  file: string;
  openAPIV3Schema: Json;
  compiled?: ValidateFunction;
  /** The version's CEL rules (served versions only). */
  cel?: CelRules;
}

/** Options for {@link CrdValidator.load}. */
export interface CrdValidatorOptions {
  /** CRD folder; default {@link crdsDir}(). */
  dir?: string;
  /**
   * Subfolders (relative to `dir`, searched recursively for `*.yaml`), e.g.
   * `['spaces/v1.17', 'external-secrets', 'argo-cd']`. Default: everything below `dir`
   * except {@link REFERENCE_ONLY_SUBFOLDERS}.
   */
  include?: string[];
}

/**
 * Validates Kubernetes objects against CRD schemas and their CEL rules (served versions only), plus
 * the built-in kinds v1 Namespace and ConfigMap and kustomize's `Kustomization` file. Create with
 * {@link CrdValidator.load}.
 */
export class CrdValidator {
  private readonly ajv: Ajv;
  private readonly builtinValidators: ReadonlyMap<string, ValidateFunction>;
  /** What every CEL rule did in this validator's validations (evaluated, failed, skipped). */
  public readonly celTally = new CelTally();

  private constructor(
    /** Absolute CRD folder the validator was loaded from. */
    readonly dir: string,
    private readonly entries: Map<string, CrdVersionEntry>,
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.builtinValidators = new Map([...BUILTIN_SCHEMAS].map(([key, schema]) => [key, this.ajv.compile(schema)]));
  }

  /**
   * Read and index the CRDs (every version, keyed by `<group>/<version>` + kind). The CEL rules of
   * served versions are compiled here, schemas lazily. Throws if an included folder is missing, if
   * two files define the same served apiVersion/kind (e.g. including both `spaces/v1.16` and
   * `spaces/v1.17`), or if a CEL rule cannot be evaluated (e.g. an unknown function).
   */
  static async load(options: CrdValidatorOptions = {}): Promise<CrdValidator> {
    const dir = resolve(options.dir ?? crdsDir());
    const files: string[] = [];
    if (options.include) {
      for (const sub of options.include) {
        const p = resolve(dir, sub);
        if (!existsSync(p)) throw new Error(`crd-schemas: included CRD folder does not exist: ${p}`);
        files.push(...(statSync(p).isDirectory() ? await findYamlFiles(p) : [p]));
      }
    } else {
      const skip = REFERENCE_ONLY_SUBFOLDERS.map((s) => resolve(dir, s) + sep);
      files.push(...(await findYamlFiles(dir)).filter((f) => !skip.some((s) => f.startsWith(s))));
    }

    const entries = new Map<string, CrdVersionEntry>();
    for (const file of [...new Set(files)]) {
      const rel = toPosix(relative(dir, file));
      for (const doc of parseManifests(await readFile(file, 'utf8'))) {
        if (!isObject(doc) || doc.kind !== 'CustomResourceDefinition') continue;
        const spec = isObject(doc.spec) ? doc.spec : {};
        const group = spec.group;
        const kind = isObject(spec.names) ? spec.names.kind : undefined;
        if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec.versions)) {
          throw new Error(`crd-schemas: ${rel}: CRD without spec.group, spec.names.kind or spec.versions`);
        }
        for (const v of spec.versions as unknown[]) {
          if (!isObject(v) || typeof v.name !== 'string') continue;
          const schema = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
          if (!isObject(schema)) throw new Error(`crd-schemas: ${rel}: version ${v.name} has no openAPIV3Schema`);
          const entry: CrdVersionEntry = {
            apiVersion: `${group}/${v.name}`,
            kind,
            served: v.served === true,
            file: rel,
            openAPIV3Schema: schema,
            ...(v.served === true ? { cel: CelRules.compile(schema, `${group}/${v.name} ${kind} (${rel})`) } : {}),
          };
          const key = keyOf(entry.apiVersion, kind);
          const existing = entries.get(key);
          if (existing?.served && entry.served) {
            throw new Error(
              `crd-schemas: ${entry.apiVersion} ${kind} is served by both ${existing.file} and ${rel}; ` + `pass 'include' to pick one`,
            );
          }
          if (!existing || (entry.served && !existing.served)) entries.set(key, entry);
        }
      }
    }
    return new CrdValidator(dir, entries);
  }

  /**
   * True if `validate()` can check this apiVersion/kind: a served version of a loaded CRD, or
   * one of the built-ins (v1 Namespace and ConfigMap, kustomize.config.k8s.io/v1beta1 Kustomization).
   */
  knows(apiVersion: string, kind: string): boolean {
    if (isBuiltin(apiVersion, kind)) return true;
    return this.entries.get(keyOf(apiVersion, kind))?.served === true;
  }

  /** Served `<apiVersion> <kind>` pairs of the loaded CRDs, sorted (for diagnostics). */
  servedKinds(): string[] {
    return [...this.entries.values()]
      .filter((e) => e.served)
      .map((e) => `${e.apiVersion} ${e.kind}`)
      .sort();
  }

  /**
   * Validate one object against its schema and, as the API server does, its CEL rules unless the
   * schema found a wrong type. Returns human-readable errors, [] when valid: schema errors read
   * `<kind>/<name>: <instancePath> <message> (<params>)`, rule failures
   * `<kind>/<name>: <field path>: Invalid value: "object": <message>`. Unknown or unserved
   * apiVersion/kind pairs are errors.
   */
  validate(obj: unknown): string[] {
    if (!isObject(obj)) return [`<not an object>: expected a Kubernetes object, got ${JSON.stringify(obj)}`];
    const label = objectLabel(obj);
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      return [`${label}: apiVersion and kind must both be strings`];
    }
    if (apiVersion === KUSTOMIZE_API_VERSION && kind === 'Kustomization') return [];
    const builtin = this.builtinValidators.get(`${apiVersion} ${kind}`);
    if (builtin) return builtin(obj) ? [] : formatAjvErrors(label, builtin.errors);

    const entry = this.entries.get(keyOf(apiVersion, kind));
    if (!entry) {
      const others = [...this.entries.values()].filter((e) => e.kind === kind && e.served).map((e) => e.apiVersion);
      const hint = others.length > 0 ? `; served apiVersions for ${kind}: ${others.sort().join(', ')}` : '';
      return [`${label}: unknown apiVersion/kind ${apiVersion} ${kind} (not in the loaded CRDs under ${this.dir})${hint}`];
    }
    if (!entry.served) {
      const served = [...this.entries.values()]
        .filter((e) => e.kind === kind && e.served && e.apiVersion.split('/')[0] === apiVersion.split('/')[0])
        .map((e) => e.apiVersion);
      return [
        `${label}: ${apiVersion} ${kind} is not served (served: false in ${entry.file})` +
          (served.length > 0 ? `; use ${served.sort().join(' or ')}` : ''),
      ];
    }

    entry.compiled ??= this.ajv.compile(prepareSchema(entry.openAPIV3Schema));
    const schemaErrors = entry.compiled(obj) ? [] : (entry.compiled.errors ?? []);
    const errors = formatAjvErrors(label, schemaErrors);
    if (schemaErrors.some((e) => e.keyword === 'type')) {
      return [...errors, `${label}: some validation rules were not checked because the object was invalid; correct the existing errors`];
    }
    return [...errors, ...(entry.cel?.evaluate(obj, this.celTally) ?? []).map((v) => `${label}: ${v.text}`)];
  }
}

function keyOf(apiVersion: string, kind: string): string {
  return `${apiVersion}\u0000${kind}`;
}

function isBuiltin(apiVersion: string, kind: string): boolean {
  return BUILTIN_SCHEMAS.has(`${apiVersion} ${kind}`) || (apiVersion === KUSTOMIZE_API_VERSION && kind === 'Kustomization');
}

// ---------------------------------------------------------------------------------------------
// Directory validation
// ---------------------------------------------------------------------------------------------

/** True for YAML that is not a cluster manifest: kustomization.yaml, helm/ and values files. */
function isNonManifestYaml(relPath: string): boolean {
  const segments = relPath.split('/');
  if (segments[segments.length - 1] === 'kustomization.yaml') return true;
  if (segments.slice(0, -1).includes('helm')) return true;
  // "values", "values.yaml", "values-prod.yaml", "prod-values.yaml", "values/…"
  return segments.some((s) => /(^|[-_.])values([-_.]|$)/.test(s));
}

/**
 * Validate every manifest `*.yaml` below `dir` (recursively), skipping `kustomization.yaml`
 * and anything under a `helm/` folder or with a `values` path segment. Returns only files with
 * errors (YAML parse errors included), as paths relative to `dir` (POSIX), sorted.
 */
export async function validateDirectory(dir: string, validator: CrdValidator): Promise<{ file: string; errors: string[] }[]> {
  const root = resolve(dir);
  const results: { file: string; errors: string[] }[] = [];
  for (const abs of await findYamlFiles(root)) {
    const file = toPosix(relative(root, abs));
    if (isNonManifestYaml(file)) continue;
    let docs: unknown[];
    try {
      docs = parseManifests(await readFile(abs, 'utf8'));
    } catch (e) {
      results.push({ file, errors: [(e as Error).message] });
      continue;
    }
    const errors = docs.flatMap((doc) => validator.validate(doc));
    if (errors.length > 0) results.push({ file, errors });
  }
  return results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
