/**
 * The core Kubernetes objects the compiler emits — a Spaces group's `Namespace`, the `ConfigMap`s
 * of Flux (Helm values) and Sveltos (templates) — built with cdk8s-plus (`cdk8s-plus-33`, the
 * Kubernetes 1.33 line; the design card's `cdk8s-plus-28` is no longer maintained), and returned as
 * plain data in this project's canonical form.
 *
 * cdk8s-plus is loaded on first use, and only the module of the kind asked for
 * (`cdk8s-plus-33/lib/namespace.js`, `.../config-map.js`): the package is CommonJS without an
 * `exports` map, and its index loads every construct it has (~120-230 ms on a 2-CPU VM, against
 * ~40-100 ms for one kind's module, most of it the generated Kubernetes bindings both share).
 * Synthesis is synchronous, so "on first use" is a `require` (through `createRequire`), not a
 * dynamic `import()`. A topology without managed namespaces, Flux or Sveltos never loads it.
 *
 * The cdk8s-plus constructs live in a scratch `App` made per object, outside the user's tree: the
 * compiler's objects are computed from the whole model at synthesis (see `targets/spaces.ts`), and
 * a construct added to the user's `Group` then would be synthesized again by cdk8s and collide on a
 * second compile. What cdk8s-plus renders is kept as it renders it (a Namespace's `spec: {}`, a
 * ConfigMap's `immutable: false`, empty label and annotation maps left out), except a ConfigMap's
 * `data`, put in as given (see `configMapManifest`), then put in the canonical form
 * (`canonicalManifest`), so the order of keys never depends on `CDK8S_DISABLE_SORT`.
 */
import { createRequire } from 'node:module';
import { ApiObject, App, Chart } from 'cdk8s';
import type * as plusNamespace from 'cdk8s-plus-33/lib/namespace.js';
import type * as plusConfigMap from 'cdk8s-plus-33/lib/config-map.js';
import { canonicalManifest } from './manifest.js';

/** The cdk8s-plus package the core objects come from (a dependency, pinned exactly). */
export const CDK8S_PLUS_PACKAGE = 'cdk8s-plus-33';

const requireHere = createRequire(import.meta.url);

let namespaceModule: typeof plusNamespace | undefined;
let configMapModule: typeof plusConfigMap | undefined;

/** Which cdk8s-plus modules this process has loaded so far (for tests and the benchmark). */
export function loadedCdk8sPlusModules(): string[] {
  return [...(namespaceModule ? ['namespace'] : []), ...(configMapModule ? ['config-map'] : [])];
}

/** Loads one module of cdk8s-plus; a missing package is a message that says what to install. */
function load<T>(module: string): T {
  try {
    return requireHere(`${CDK8S_PLUS_PACKAGE}/lib/${module}.js`) as T;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(
      `The core Kubernetes objects are built with ${CDK8S_PLUS_PACKAGE}, which cannot be loaded (${String((e as Error).message).split('\n')[0]}). ` +
        `It is a dependency of secrets-topology: reinstall the package (npm install), or add it to the app: npm install ${CDK8S_PLUS_PACKAGE}.`,
      { cause: e },
    );
  }
}

/** A chart of its own for one object: cdk8s-plus constructs need a scope, and this one is nobody's tree. */
function scratchChart(): Chart {
  return new Chart(new App({ outdir: '.', recordConstructMetadata: false }), 'core');
}

/** Props of {@link namespaceManifest}. */
export interface NamespaceManifestProps {
  /** The namespace's name. */
  readonly name: string;
  /** Its labels. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Its annotations. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A `v1` `Namespace` as cdk8s-plus renders it (`spec: {}`), in the canonical form. */
export function namespaceManifest(props: NamespaceManifestProps): Record<string, unknown> {
  namespaceModule ??= load<typeof plusNamespace>('namespace');
  const ns = new namespaceModule.Namespace(scratchChart(), 'namespace', {
    metadata: {
      name: props.name,
      labels: props.labels ? { ...props.labels } : undefined,
      annotations: props.annotations ? { ...props.annotations } : undefined,
    },
  });
  return canonicalManifest(ApiObject.of(ns).toJson() as Record<string, unknown>);
}

/** Props of {@link configMapManifest}. */
export interface ConfigMapManifestProps {
  /** The ConfigMap's name. */
  readonly name: string;
  /** Its namespace. @default none (the namespace it is applied to) */
  readonly namespace?: string;
  /** Its labels. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Its annotations. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Its data, as written (text values). */
  readonly data: Readonly<Record<string, string>>;
}

/** A `v1` `ConfigMap` as cdk8s-plus renders it (`immutable: false`: Flux and Sveltos update them), in the canonical form. */
export function configMapManifest(props: ConfigMapManifestProps): Record<string, unknown> {
  configMapModule ??= load<typeof plusConfigMap>('config-map');
  // The data goes in as given, not through cdk8s-plus's `addData`: that refuses keys that are
  // names on Object.prototype (`toString`, `constructor`: it checks `key in this._data`), and
  // cdk8s-plus leaves `data` out when every value is empty; both are valid ConfigMap data.
  const cm = new configMapModule.ConfigMap(scratchChart(), 'config-map', {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: props.labels ? { ...props.labels } : undefined,
      annotations: props.annotations ? { ...props.annotations } : undefined,
    },
  });
  const json = ApiObject.of(cm).toJson() as Record<string, unknown>;
  if (Object.keys(props.data).length > 0) json.data = { ...props.data };
  return canonicalManifest(json);
}
