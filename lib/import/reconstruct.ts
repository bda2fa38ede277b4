/**
 * From the classified input objects to a {@link TopologySpec}: Spaces and groups from the file
 * layout (or the options) and the objects' namespaces, ControlPlanes with their labels, stores with
 * their provider, secrets with their store; plain ESO objects into clusters. Selectors are kept as
 * read ({@link RawSelectors}); `infer.ts` turns them into selections once the environments are
 * known.
 */
import {
  PARAMETER_TYPES,
  POLICY_SOURCE_KINDS,
  PUSH_METADATA_API_VERSION,
  PUSH_METADATA_KIND,
  SECRET_PUSH_FORMATS,
  type AwsPushMetadata,
} from '../eso/push-metadata.js';
import type { Cloud, SpacesSelector } from '../index.js';
import { GROUP_LABEL } from '../model/constants.js';
import { MANAGED_BY } from '../targets/eso.js';
import { IMPORT_KINDS, displayObject, type ImportKind, type InputObject } from './classify.js';
import { displayQuoted } from './escape.js';
import type { ItemList } from './items.js';
import {
  finishObject,
  readExternalSecretSpec,
  readLabelSelector,
  readMetadata,
  readProvider,
  readSpacesSelector,
  unmapped,
  type ReadContext,
} from './read-common.js';
import { Reader, isRecord } from './reader.js';
import type {
  ClusterSpec,
  EsoPushSpec,
  EsoSecretSpec,
  EsoStoreSpec,
  GroupSpec,
  PlaneSpec,
  SecretSpec,
  Selection,
  SpaceSpec,
  StoreSpec,
  TopologySpec,
} from './topology.js';
import { PUSH_SECRET_SPEC_DEFAULTS, isDefault } from './defaults.js';
import type { PushData } from '../index.js';

/** What the input does not say, given on the command line. */
export interface ImportOptions {
  /**
   * Space of Spaces objects whose path does not name one (`spaces/<space>/groups/<group>/`).
   * @default 'imported'
   */
  readonly space?: string;
  /**
   * Cloud of the Spaces (and ESO clusters) created by the import.
   * @default inferred from their stores' providers, else 'aws'
   */
  readonly cloud?: Cloud;
  /**
   * Group of Spaces objects without a namespace.
   * @default 'default'
   */
  readonly group?: string;
  /**
   * ESO cluster of plain ESO objects whose path does not name one (`clusters/<cluster>/`).
   * @default 'imported'
   */
  readonly cluster?: string;
  /**
   * Label of ControlPlanes that names their environment.
   * @default 'environment'
   */
  readonly environmentLabel?: string;
}

/** Defaults of {@link ImportOptions}. */
export const DEFAULT_OPTIONS = { space: 'imported', group: 'default', cluster: 'imported', environmentLabel: 'environment' } as const;

/** Where an imported object is expected after synthesis: its Space or ESO cluster, and its identity. */
export interface ObjectKey {
  /** `space:<name>` or `cluster:<name>`. */
  readonly container: string;
  readonly apiGroup: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** One string per object identity. */
export function keyString(k: ObjectKey): string {
  return JSON.stringify([k.container, k.apiGroup, k.kind, k.namespace ?? '', k.name]);
}

/** An input object that the topology declares, for the equivalence check. */
export interface ImportedObject {
  readonly key: ObjectKey;
  readonly value: Record<string, unknown>;
  readonly object: string;
  readonly source: string;
  /** Fields listed as unmapped (not listed again when they differ after synthesis). */
  readonly unmappedPaths: readonly string[];
}

/** The selectors of a store or secret as read (undefined: absent in the input). */
export interface RawSelectors {
  readonly planes?: SpacesSelector;
  readonly namespaces?: SpacesSelector;
}

/** The result of reading the objects. */
export interface Reconstruction {
  readonly topology: TopologySpec;
  readonly objects: ImportedObject[];
  /** Selectors of every Spaces store and secret, as read. */
  readonly raw: Map<StoreSpec | SecretSpec, RawSelectors>;
  /** The options, with their defaults. */
  readonly options: Required<Omit<ImportOptions, 'cloud'>> & Pick<ImportOptions, 'cloud'>;
}

/** Builds the topology of the objects (in input order; duplicates are imported once). */
export function reconstruct(input: readonly InputObject[], options: ImportOptions, items: ItemList): Reconstruction {
  const opts = { ...DEFAULT_OPTIONS, ...stripUndefined(options) };
  const state = new State(opts, items);
  const order: ImportKind[] = [
    'Namespace',
    'ControlPlane',
    'SharedSecretStore',
    'SharedExternalSecret',
    'SecretStore',
    'ClusterSecretStore',
    'ExternalSecret',
    'ClusterExternalSecret',
    'PushSecret',
  ];
  for (const kind of order) for (const o of state.unique(input).filter((x) => x.kind === kind)) state.read(o);
  return { topology: state.topology, objects: state.objects, raw: state.raw, options: opts };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

type Options = Reconstruction['options'];

class State {
  public readonly topology: TopologySpec = { environments: [], spaces: [], clusters: [] };
  public readonly objects: ImportedObject[] = [];
  public readonly raw = new Map<StoreSpec | SecretSpec, RawSelectors>();
  private readonly failedStores = new Set<string>();
  private readonly noted = new Set<string>();

  public constructor(
    private readonly options: Options,
    private readonly items: ItemList,
  ) {}

  /** Space or cluster name of an object, from its path or the options. */
  private containerOf(o: InputObject): string {
    if (IMPORT_GROUP_OF[o.kind] === 'external-secrets.io') {
      if (o.location.cluster) return `cluster:${o.location.cluster}`;
      this.noteOnce(
        'cluster',
        `ESO objects outside clusters/<cluster>/: imported into ESO cluster ${displayQuoted(this.options.cluster)} (--cluster)`,
      );
      return `cluster:${this.options.cluster}`;
    }
    if (o.location.space) return `space:${o.location.space}`;
    this.noteOnce('space', `Spaces objects outside spaces/<space>/: imported into Space ${displayQuoted(this.options.space)} (--space)`);
    return `space:${this.options.space}`;
  }

  private noteOnce(key: string, reason: string): void {
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.items.note('(input)', undefined, reason);
  }

  /** Each object once: a second copy with the same content (a Cloud Space's wrapper) is dropped; a different one listed. */
  public unique(input: readonly InputObject[]): InputObject[] {
    const seen = new Map<string, InputObject>();
    const out: InputObject[] = [];
    for (const o of input) {
      const k = keyString(this.keyOf(o));
      const first = seen.get(k);
      if (!first) {
        seen.set(k, o);
        out.push(o);
      } else if (canonical(first.value) !== canonical(o.value)) {
        this.items.unmapped(
          displayObject(o.kind, o.name, this.keyOf(o).namespace),
          undefined,
          `declared again with other content (first at ${first.source}): only the first is imported`,
          o.source,
        );
      }
    }
    return out;
  }

  private keyOf(o: InputObject): ObjectKey {
    const namespace = o.kind === 'Namespace' ? undefined : this.namespaceOf(o);
    return { container: this.containerOf(o), apiGroup: IMPORT_GROUP_OF[o.kind], kind: o.kind, namespace, name: o.name };
  }

  /** Namespace of a namespaced object: its own, else the group of its path, else the option. */
  private namespaceOf(o: InputObject): string | undefined {
    if (o.kind === 'ClusterSecretStore' || o.kind === 'ClusterExternalSecret') return undefined;
    if (o.namespace) return o.namespace;
    if (IMPORT_GROUP_OF[o.kind] === 'spaces.upbound.io') {
      if (o.location.group) return o.location.group;
      this.noteOnce('group', `Spaces objects without a namespace: imported into group ${displayQuoted(this.options.group)} (--group)`);
      return this.options.group;
    }
    return undefined;
  }

  private space(name: string): SpaceSpec {
    let s = this.topology.spaces.find((x) => x.name === name);
    if (!s) {
      s = { name, cloud: this.options.cloud ?? 'aws', hosting: 'self-hosted', groups: [] };
      this.topology.spaces.push(s);
    }
    return s;
  }

  private group(space: SpaceSpec, name: string): GroupSpec {
    let g = space.groups.find((x) => x.name === name);
    if (!g) {
      g = { name, manageNamespace: false, namespaceLabels: {}, manageControlPlanes: false, planes: [], stores: [], secrets: [] };
      space.groups.push(g);
    }
    return g;
  }

  private cluster(name: string): ClusterSpec {
    let c = this.topology.clusters.find((x) => x.name === name);
    if (!c) {
      c = { name, cloud: this.options.cloud ?? 'aws', stores: [], externalSecrets: [], pushSecrets: [] };
      this.topology.clusters.push(c);
    }
    return c;
  }

  /** Reads one object into the topology, records it for the equivalence check and lists what it did not read. */
  public read(o: InputObject): void {
    const key = this.keyOf(o);
    const display = displayObject(o.kind, o.name, key.namespace);
    const ctx: ReadContext = { items: this.items, object: display, source: o.source, unmappedPaths: [] };
    const root = Reader.of(o.value, '') as Reader;
    const metadata = readMetadata(root, ctx);
    const containerName = key.container.slice(key.container.indexOf(':') + 1);
    const declared = key.container.startsWith('space:')
      ? this.readSpaces(o, root, metadata, ctx, containerName, key.namespace)
      : this.readEso(o, root, metadata, ctx, this.cluster(containerName), key.namespace);
    if (!declared) return;
    finishObject(ctx, root);
    this.objects.push({ key, value: o.value, object: display, source: o.source, unmappedPaths: ctx.unmappedPaths });
  }

  private notImported(ctx: ReadContext, field: string | undefined, reason: string): false {
    this.items.unmapped(ctx.object, field, `${reason}: the object is not imported`, ctx.source);
    return false;
  }

  // -------------------------------------------------------------------------------------------
  // Spaces

  private readSpaces(
    o: InputObject,
    root: Reader,
    metadata: Reader | undefined,
    ctx: ReadContext,
    spaceName: string,
    namespace: string | undefined,
  ): boolean {
    const space = this.space(spaceName);
    if (o.location.cloudObjects && space.hosting !== 'cloud') {
      space.hosting = 'cloud';
      this.items.note(
        `Space ${spaceName}`,
        undefined,
        'its objects are wrapped for provider-kubernetes: imported as an Upbound Cloud Space',
      );
    }
    if (o.kind === 'Namespace') return this.readNamespace(o, root, metadata?.stringMap('labels'), ctx, space);
    const group = this.group(space, namespace as string);
    if (o.kind === 'ControlPlane') return this.readControlPlane(o, root, metadata?.stringMap('labels'), ctx, group);
    if (o.kind === 'SharedSecretStore') return this.readSharedStore(o, root, ctx, space, group);
    return this.readSharedSecret(o, root, ctx, group);
  }

  private readNamespace(
    o: InputObject,
    root: Reader,
    labels: Record<string, string> | undefined,
    ctx: ReadContext,
    space: SpaceSpec,
  ): boolean {
    if (labels?.[GROUP_LABEL] !== 'true')
      return this.notImported(
        ctx,
        `metadata.labels.${GROUP_LABEL}`,
        `a Namespace that is not a Spaces group (label ${GROUP_LABEL}: "true")`,
      );
    const group = this.group(space, o.name);
    group.manageNamespace = true;
    const { [GROUP_LABEL]: _group, ...rest } = labels;
    group.namespaceLabels = rest;
    const spec = root.object('spec');
    // kubectl shows the namespace finalizer the API server adds; an empty spec is what synth writes.
    spec?.skip('finalizers');
    return true;
  }

  private readControlPlane(
    o: InputObject,
    root: Reader,
    labels: Record<string, string> | undefined,
    ctx: ReadContext,
    group: GroupSpec,
  ): boolean {
    const spec = root.object('spec');
    const hostNamespace = spec?.object('hostNamespace')?.string('name');
    // `crossplane: {}` is what synth writes (the CRD's CEL rules read spec.crossplane); a non-empty one is not modelled.
    const crossplane = o.value.spec && typeof o.value.spec === 'object' ? (o.value.spec as Record<string, unknown>).crossplane : undefined;
    if (crossplane !== null && typeof crossplane === 'object' && Object.keys(crossplane).length === 0) spec?.skip('crossplane');
    const status = Reader.of(o.value.status, 'status');
    const id = status?.string('controlPlaneID');
    if (group.planes.some((p) => p.name === o.name))
      return this.notImported(ctx, 'metadata.name', 'a second ControlPlane of this name in the group');
    const plane: PlaneSpec = {
      name: o.name,
      labels: { ...(labels ?? {}) },
      hostNamespace,
      controlPlaneId: id,
      namespaces: new Map(),
      invented: false,
      object: ctx.object,
    };
    group.planes.push(plane);
    group.manageControlPlanes = true;
    return true;
  }

  private readSharedStore(o: InputObject, root: Reader, ctx: ReadContext, space: SpaceSpec, group: GroupSpec): boolean {
    const spec = root.object('spec');
    if (!spec) return this.notImported(ctx, 'spec', 'the object has no spec');
    const p = readProvider(spec, false, true);
    if ('failure' in p) {
      this.failedStores.add(`${space.name}/${group.name}/${o.name}`);
      return this.notImported(ctx, p.field, p.failure);
    }
    const planes = readSpacesSelector(spec.object('controlPlaneSelector'), ctx);
    const namespaces = readSpacesSelector(spec.object('namespaceSelector'), ctx);
    const storeName = spec.string('secretStoreName');
    if (storeName !== undefined && storeName !== o.name)
      unmapped(ctx, 'spec.secretStoreName', "the projected store always carries the SharedSecretStore's own name: not imported");
    const retrySettings = spec.object('retrySettings');
    const retry = retrySettings
      ? { maxRetries: retrySettings.integer('maxRetries'), retryInterval: retrySettings.string('retryInterval') }
      : undefined;
    const store: StoreSpec = {
      name: o.name,
      object: ctx.object,
      source: o.source,
      provider: p.provider,
      planes: { kind: 'missing' },
      namespaces: { kind: 'missing' },
      refreshInterval: spec.integer('refreshInterval'),
      retry: retry && (retry.maxRetries !== undefined || retry.retryInterval !== undefined) ? stripUndefined(retry) : undefined,
    };
    group.stores.push(store);
    this.raw.set(store, { planes, namespaces });
    return true;
  }

  private readSharedSecret(o: InputObject, root: Reader, ctx: ReadContext, group: GroupSpec): boolean {
    const spec = root.object('spec');
    const es = spec?.object('externalSecretSpec');
    if (!spec || !es) return this.notImported(ctx, 'spec.externalSecretSpec', 'the object has no externalSecretSpec');
    const { body, storeRef } = readExternalSecretSpec(es, o.name, ctx);
    if (!storeRef) return this.notImported(ctx, 'spec.externalSecretSpec.secretStoreRef', 'it names no store');
    const store = group.stores.find((s) => s.name === storeRef.name);
    if (!store) {
      const why = [...this.failedStores].some((f) => f.endsWith(`/${group.name}/${storeRef.name}`))
        ? `its store ${displayQuoted(storeRef.name)} is not imported`
        : `its store ${displayQuoted(storeRef.name)} is not a SharedSecretStore of group ${displayQuoted(group.name)} in the input`;
      return this.notImported(ctx, 'spec.externalSecretSpec.secretStoreRef.name', why);
    }
    if (storeRef.kind !== 'ClusterSecretStore')
      this.items.review(
        ctx.object,
        'spec.externalSecretSpec.secretStoreRef.kind',
        'not ClusterSecretStore: Spaces projects a SharedSecretStore as a ClusterSecretStore, so synth writes kind ClusterSecretStore',
        ctx.source,
      );
    const name = spec.string('externalSecretName');
    if (name !== undefined && name !== o.name)
      unmapped(ctx, 'spec.externalSecretName', "the projected secret always carries the SharedExternalSecret's own name: not imported");
    const planes = readSpacesSelector(spec.object('controlPlaneSelector'), ctx);
    const namespaces = readSpacesSelector(spec.object('namespaceSelector'), ctx);
    const secret: SecretSpec = { name: o.name, object: ctx.object, source: o.source, store, ...body };
    group.secrets.push(secret);
    this.raw.set(secret, { planes, namespaces });
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Plain ESO

  private readEso(
    o: InputObject,
    root: Reader,
    metadata: Reader | undefined,
    ctx: ReadContext,
    cluster: ClusterSpec,
    namespace: string | undefined,
  ): boolean {
    if (o.apiVersion === 'external-secrets.io/v1beta1')
      this.items.note(
        ctx.object,
        'apiVersion',
        'external-secrets.io/v1beta1 is written as v1 (v1beta1 is no longer served since ESO 0.17)',
        ctx.source,
      );
    // The label synth puts on every ESO object says nothing of its own; other labels have no prop.
    const labels = metadata?.value.labels;
    if (isRecord(labels) && Object.keys(labels).length === 1 && labels[MANAGED_BY_KEY] === MANAGED_BY[MANAGED_BY_KEY])
      metadata?.skip('labels');
    if (o.kind === 'SecretStore' || o.kind === 'ClusterSecretStore') return this.readEsoStore(o, root, ctx, cluster, namespace);
    if (o.kind === 'PushSecret') return this.readPushSecret(o, root, ctx, cluster, namespace as string);
    return this.readEsoSecret(o, root, ctx, cluster, namespace);
  }

  private readEsoStore(o: InputObject, root: Reader, ctx: ReadContext, cluster: ClusterSpec, namespace: string | undefined): boolean {
    const spec = root.object('spec');
    if (!spec) return this.notImported(ctx, 'spec', 'the object has no spec');
    const clusterStore = o.kind === 'ClusterSecretStore';
    if (!clusterStore && namespace === undefined) return this.notImported(ctx, 'metadata.namespace', 'a SecretStore without a namespace');
    const p = readProvider(spec, clusterStore);
    if ('failure' in p) {
      this.failedStores.add(`${cluster.name}/${o.kind}/${namespace ?? ''}/${o.name}`);
      return this.notImported(ctx, p.field, p.failure);
    }
    let namespaces: Selection | undefined;
    if (clusterStore) {
      const names: string[] = [];
      const selectors = [];
      for (const c of spec.objects('conditions') ?? []) {
        names.push(...(c.stringList('namespaces') ?? []));
        const sel = c.object('namespaceSelector');
        if (sel) selectors.push(readLabelSelector(sel));
      }
      if (names.length > 0 && selectors.length > 0) {
        unmapped(
          ctx,
          'spec.conditions',
          'namespaces by name and by label selector in one store: the model never mixes them; the names are kept, the selectors are not imported',
        );
        namespaces = { kind: 'named', names };
      } else if (names.length > 0) namespaces = { kind: 'named', names };
      else if (selectors.length > 0) namespaces = { kind: 'matching', selectors };
      else {
        namespaces = { kind: 'matching', selectors: [{}] };
        this.items.review(
          ctx.object,
          'spec.conditions',
          'none: every namespace may use the store; the model requires a restriction, so the import declares Namespaces.matching({}) (every namespace, written as conditions: [{namespaceSelector: {}}]): narrow it',
          ctx.source,
        );
      }
    }
    const store: EsoStoreSpec = {
      name: o.name,
      object: ctx.object,
      source: o.source,
      provider: p.provider,
      namespace: clusterStore ? undefined : namespace,
      namespaces,
      credentialsNamespace: p.credentialsNamespace,
      refreshInterval: spec.integer('refreshInterval'),
    };
    cluster.stores.push(store);
    return true;
  }

  private findEsoStore(
    cluster: ClusterSpec,
    name: string,
    kind: 'SecretStore' | 'ClusterSecretStore',
    namespace: string | undefined,
  ): EsoStoreSpec | undefined {
    return cluster.stores.find(
      (s) => s.name === name && (kind === 'ClusterSecretStore' ? s.namespace === undefined : s.namespace === namespace),
    );
  }

  private missingStore(
    ctx: ReadContext,
    cluster: ClusterSpec,
    name: string,
    kind: string,
    namespace: string | undefined,
    field: string,
  ): false {
    const failed = this.failedStores.has(`${cluster.name}/${kind}/${kind === 'ClusterSecretStore' ? '' : (namespace ?? '')}/${name}`);
    return this.notImported(
      ctx,
      field,
      failed ? `its ${kind} ${displayQuoted(name)} is not imported` : `its ${kind} ${displayQuoted(name)} is not in the input`,
    );
  }

  private readEsoSecret(o: InputObject, root: Reader, ctx: ReadContext, cluster: ClusterSpec, namespace: string | undefined): boolean {
    const spec = root.object('spec');
    const clusterSecret = o.kind === 'ClusterExternalSecret';
    const es = clusterSecret ? spec?.object('externalSecretSpec') : spec;
    if (!spec || !es) return this.notImported(ctx, clusterSecret ? 'spec.externalSecretSpec' : 'spec', 'the object has no spec');
    if (!clusterSecret && namespace === undefined)
      return this.notImported(ctx, 'metadata.namespace', 'an ExternalSecret without a namespace');
    const { body, storeRef } = readExternalSecretSpec(es, o.name, ctx);
    const base = clusterSecret ? 'spec.externalSecretSpec.secretStoreRef' : 'spec.secretStoreRef';
    if (!storeRef) return this.notImported(ctx, base, 'it names no store');
    const store = this.findEsoStore(cluster, storeRef.name, storeRef.kind, namespace);
    if (!store) return this.missingStore(ctx, cluster, storeRef.name, storeRef.kind, namespace, `${base}.name`);
    let namespaces: Selection | undefined;
    if (clusterSecret) {
      const name = spec.string('externalSecretName');
      if (name !== undefined && name !== o.name)
        unmapped(ctx, 'spec.externalSecretName', "the ExternalSecrets always carry the ClusterExternalSecret's own name: not imported");
      const selectors = (spec.objects('namespaceSelectors') ?? []).map(readLabelSelector);
      const named = namesOf(selectors);
      namespaces = named ? { kind: 'named', names: named } : selectors.length > 0 ? { kind: 'matching', selectors } : { kind: 'missing' };
    }
    const secret: EsoSecretSpec = {
      name: o.name,
      object: ctx.object,
      source: o.source,
      store,
      namespace: clusterSecret ? undefined : namespace,
      namespaces,
      ...body,
    };
    cluster.externalSecrets.push(secret);
    return true;
  }

  private readPushSecret(o: InputObject, root: Reader, ctx: ReadContext, cluster: ClusterSpec, namespace: string): boolean {
    const spec = root.object('spec');
    if (!spec) return this.notImported(ctx, 'spec', 'the object has no spec');
    const refs = spec.objects('secretStoreRefs') ?? [];
    if (refs.length !== 1) return this.notImported(ctx, 'spec.secretStoreRefs', `${refs.length} stores: the model pushes to exactly one`);
    const ref = refs[0];
    const storeName = ref.string('name');
    const kind = ref.oneOf('kind', ['SecretStore', 'ClusterSecretStore'] as const) ?? 'SecretStore';
    if (storeName === undefined) return this.notImported(ctx, 'spec.secretStoreRefs[0].name', 'it names no store');
    const store = this.findEsoStore(cluster, storeName, kind, namespace);
    if (!store) return this.missingStore(ctx, cluster, storeName, kind, namespace, 'spec.secretStoreRefs[0].name');
    const secretName = spec.object('selector')?.object('secret')?.string('name');
    if (secretName === undefined)
      return this.notImported(ctx, 'spec.selector.secret.name', 'it pushes no Secret (only a Secret selector is modeled)');
    const data: PushData[] = [];
    (spec.objects('data') ?? []).forEach((d, i) => {
      const match = d.object('match');
      const secretKey = match?.string('secretKey');
      const remote = match?.object('remoteRef');
      const remoteKey = remote?.string('remoteKey');
      const property = remote?.string('property');
      if (d.has('conversionStrategy') && isDefault(PUSH_SECRET_SPEC_DEFAULTS, `data[${i}].conversionStrategy`, d.value.conversionStrategy))
        d.skip('conversionStrategy');
      if (secretKey === undefined || remoteKey === undefined) return;
      const metadata = d.has('metadata') ? readPushMetadata(d.object('metadata')) : undefined;
      data.push({ secretKey, remoteKey, ...(property !== undefined ? { property } : {}), ...(metadata ? { metadata } : {}) });
    });
    const refreshInterval = spec.string('refreshInterval');
    const deletionPolicy = spec.oneOf('deletionPolicy', ['Delete', 'None'] as const);
    const updatePolicy = spec.oneOf('updatePolicy', ['Replace', 'IfNotExists'] as const);
    const push: EsoPushSpec = {
      name: o.name,
      object: ctx.object,
      source: o.source,
      store,
      namespace,
      secretName,
      data,
      refreshInterval:
        refreshInterval !== undefined && !isDefault(PUSH_SECRET_SPEC_DEFAULTS, 'refreshInterval', refreshInterval)
          ? refreshInterval
          : undefined,
      deletionPolicy: deletionPolicy === 'Delete' ? 'Delete' : undefined,
      updatePolicy: updatePolicy === 'IfNotExists' ? 'IfNotExists' : undefined,
    };
    cluster.pushSecrets.push(push);
    return true;
  }
}

const IMPORT_GROUP_OF = IMPORT_KINDS;
const MANAGED_BY_KEY = 'app.kubernetes.io/managed-by';

/** The names of a ClusterExternalSecret's selectors when they are exactly one `kubernetes.io/metadata.name In (...)`. */
function namesOf(
  selectors: readonly {
    matchLabels?: Readonly<Record<string, string>>;
    matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
  }[],
): string[] | undefined {
  if (selectors.length !== 1) return undefined;
  const s = selectors[0];
  const e = s?.matchExpressions;
  if (!s || s.matchLabels || !e || e.length !== 1) return undefined;
  const r = e[0];
  return r && r.key === 'kubernetes.io/metadata.name' && r.operator === 'In' && r.values && r.values.length > 0 ? [...r.values] : undefined;
}

/** Text of a value with object keys sorted, for comparing copies. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/**
 * The AWS push metadata of a PushSecret entry (`kubernetes.external-secrets.io/v1alpha1`
 * `PushSecretMetadata`); fields the model has are read, the rest stay unread (listed as unmapped).
 */
function readPushMetadata(m: Reader | undefined): AwsPushMetadata | undefined {
  if (!m || m.string('apiVersion') !== PUSH_METADATA_API_VERSION || m.string('kind') !== PUSH_METADATA_KIND) return undefined;
  const spec = m.object('spec');
  if (!spec) return undefined;
  const out: { -readonly [K in keyof AwsPushMetadata]: AwsPushMetadata[K] } = {};
  const format = spec.oneOf('secretPushFormat', SECRET_PUSH_FORMATS);
  if (format !== undefined) out.secretPushFormat = format;
  const type = spec.oneOf('secretType', PARAMETER_TYPES);
  if (type !== undefined) out.secretType = type;
  // ESO's Go structs read kmsKeyID and kmsKeyId alike (JSON field names match case-insensitively).
  const key = spec.has('kmsKeyID') ? spec.string('kmsKeyID') : spec.string('kmsKeyId');
  if (key !== undefined) out.kmsKeyId = key;
  const description = spec.string('description');
  if (description !== undefined) out.description = description;
  const tags = spec.stringMap('tags');
  if (tags !== undefined) out.tags = tags;
  const regions = spec.stringList('replicationLocations');
  if (regions !== undefined) out.replicationLocations = regions;
  const rp = spec.object('resourcePolicy');
  const ref = rp?.object('policySourceRef');
  if (rp && ref) {
    const kind = ref.oneOf('kind', POLICY_SOURCE_KINDS);
    const name = ref.string('name');
    const refKey = ref.string('key');
    const block = rp.boolean('blockPublicPolicy');
    if (kind !== undefined && name !== undefined && refKey !== undefined)
      out.resourcePolicy = { policySourceRef: { kind, name, key: refKey }, ...(block !== undefined ? { blockPublicPolicy: block } : {}) };
  }
  return out;
}
