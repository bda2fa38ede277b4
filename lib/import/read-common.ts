/**
 * Reading the parts Spaces and plain ESO objects share: metadata, selectors, the provider block of
 * a store with its credentials, and the ExternalSecret spec (data, dataFrom, target, refresh).
 */
import type {
  DataFromFind,
  DataFromRewrite,
  DataFromSource,
  LabelSelector,
  LabelSelectorRequirement,
  SecretData,
  SecretTarget,
  SpacesSelector,
} from '../index.js';
import { ARGOCD_SYNC_OPTIONS } from '../delivery/argo-cd.js';
import { FLUX_PRUNE_ANNOTATION } from '../delivery/flux.js';
import { EXTERNAL_SECRET_SPEC_DEFAULTS, PROVIDER_DEFAULTS, isDefault } from './defaults.js';
import type { ItemList } from './items.js';
import { fieldPath, type Reader } from './reader.js';
import type { CredentialsSpec, Labels, PlainValue, ProviderSpec, SecretBody } from './topology.js';
import { unmappedReason } from './unmapped.js';
import { SHARED_SECRETS_SERVICE_ACCOUNT } from '../model/constants.js';

/** Where the reading of one input object reports to. */
export interface ReadContext {
  readonly items: ItemList;
  /** Display name of the object, e.g. `SharedSecretStore platform/aws-sm`. */
  readonly object: string;
  /** `file#document`. */
  readonly source: string;
  /** Field paths listed as unmapped for this object (the equivalence check does not list them again). */
  readonly unmappedPaths: string[];
}

/** Lists a field as unmapped. */
export function unmapped(ctx: ReadContext, field: string, reason: string): void {
  ctx.items.unmapped(ctx.object, field, reason, ctx.source);
  ctx.unmappedPaths.push(field);
}

/** Lists every field the readers did not read, and every field of the wrong type, as unmapped. */
export function finishObject(ctx: ReadContext, root: Reader): void {
  for (const f of root.unread()) unmapped(ctx, f.path, `${unmappedReason(f.path)} (${f.shape}; not imported)`);
  for (const f of root.badFields()) unmapped(ctx, f.path, `expected ${f.expected}, got ${f.shape}: not imported`);
}

/** Metadata fields the API server sets: never part of a topology, skipped silently. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp'];

/**
 * Annotations that say nothing about the topology: kubectl's last applied configuration (it may
 * even hold Secret data) and the protection annotations GitOps delivery adds to group Namespaces
 * and ControlPlanes (re-declare the delivery construct to get them back).
 */
const IGNORED_ANNOTATIONS: Readonly<Record<string, string>> = {
  'kubectl.kubernetes.io/last-applied-configuration': 'written by kubectl apply',
  [ARGOCD_SYNC_OPTIONS]: 'added by ArgoCdDelivery (protectControlPlanes); declare the delivery to get it back',
  [FLUX_PRUNE_ANNOTATION]: 'added by FluxDelivery (protectControlPlanes); declare the delivery to get it back',
};

/** Whether an annotation is one the import drops by design (see {@link IGNORED_ANNOTATIONS}). */
export function isIgnoredAnnotation(key: string): boolean {
  return Object.hasOwn(IGNORED_ANNOTATIONS, key);
}

/**
 * Reads `metadata`: skips server fields and ignored annotations (a GitOps annotation is noted) and
 * lists other annotations as unmapped. Labels are left to the caller (read them from the returned
 * reader where the kind maps them; otherwise they are listed as unmapped).
 */
export function readMetadata(root: Reader, ctx: ReadContext): Reader | undefined {
  root.skip('apiVersion', 'kind', 'status');
  const m = root.object('metadata');
  if (!m) return undefined;
  m.skip('name', 'namespace', ...SERVER_METADATA);
  const annotations = m.value.annotations;
  if (annotations && typeof annotations === 'object' && !Array.isArray(annotations)) {
    const keys = Object.keys(annotations);
    const ignored = keys.filter(isIgnoredAnnotation);
    for (const k of ignored) {
      if (k !== 'kubectl.kubernetes.io/last-applied-configuration')
        ctx.items.note(ctx.object, `metadata.annotations.${k}`, IGNORED_ANNOTATIONS[k] ?? '', ctx.source);
    }
    if (ignored.length === keys.length) m.skip('annotations');
    else {
      for (const k of keys.filter((k) => !isIgnoredAnnotation(k)))
        unmapped(ctx, `metadata.annotations.${k}`, `${unmappedReason('metadata.annotations')}: not imported`);
      m.skip('annotations');
    }
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Selectors

const OPERATORS: readonly LabelSelectorRequirement['operator'][] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A Kubernetes label selector; requirements without key or operator are dropped (and listed). */
export function readLabelSelector(r: Reader): LabelSelector {
  const matchLabels = r.stringMap('matchLabels');
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const e of r.objects('matchExpressions') ?? []) {
    const key = e.string('key');
    const operator = e.oneOf('operator', OPERATORS);
    const values = e.stringList('values');
    if (key === undefined || operator === undefined) continue;
    matchExpressions.push(values && values.length > 0 ? { key, operator, values } : { key, operator });
  }
  const out: { matchLabels?: Labels; matchExpressions?: LabelSelectorRequirement[] } = {};
  if (matchLabels && Object.keys(matchLabels).length > 0) out.matchLabels = matchLabels;
  if (matchExpressions.length > 0) out.matchExpressions = matchExpressions;
  return out;
}

/**
 * A Spaces selector (`names` or `labelSelectors`), or undefined when absent or empty. The model
 * never mixes names and label selectors (the Spaces API does not say how they combine): with both,
 * the names are kept (the narrower reading) and the label selectors listed as unmapped.
 */
export function readSpacesSelector(r: Reader | undefined, ctx: ReadContext): SpacesSelector | undefined {
  if (!r) return undefined;
  const names = r.stringList('names') ?? [];
  const selectors = (r.objects('labelSelectors') ?? []).map(readLabelSelector);
  if (names.length > 0 && selectors.length > 0) {
    unmapped(
      ctx,
      fieldPath(r.path, 'labelSelectors'),
      'names and labelSelectors in one selector: the model never mixes them (the Spaces API does not say how they combine); the names are kept, the label selectors are not imported',
    );
    return { names };
  }
  if (names.length > 0) return { names };
  if (selectors.length > 0) return { labelSelectors: selectors };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Providers

/** What the provider block of a store gives: the provider, or why the store cannot be imported. */
export type ProviderRead =
  { readonly provider: ProviderSpec; readonly credentialsNamespace?: string } | { readonly failure: string; readonly field: string };

/** One `{ name, key[, namespace] }` reference to a key of a Kubernetes Secret. */
interface KeyRef {
  readonly name: string;
  readonly key: string;
  readonly namespace?: string;
}

function readKeyRef(r: Reader | undefined, allowNamespace: boolean): KeyRef | undefined {
  if (!r) return undefined;
  const name = r.string('name');
  const key = r.string('key');
  const namespace = allowNamespace ? r.string('namespace') : undefined;
  if (name === undefined || key === undefined) return undefined;
  return namespace === undefined ? { name, key } : { name, key, namespace };
}

/**
 * Static credentials from the key references of one provider, by role (`accessKeyId`, ...). All
 * references must name one Secret (and one namespace), as the model keeps one Secret per store;
 * the keys that differ from the factory's defaults become its key props.
 */
function credentialsFrom(
  factory: CredentialsSpec['factory'],
  refs: ReadonlyArray<readonly [role: string, ref: KeyRef | undefined, keyProp: string, defaultKey: string, required: boolean]>,
): { credentials: CredentialsSpec; namespace?: string } | { failure: string } {
  const present = refs.filter(([, ref]) => ref !== undefined);
  const missing = refs.filter(([, ref, , , required]) => ref === undefined && required).map(([role]) => role);
  if (missing.length > 0) return { failure: `the credentials have no complete reference for ${missing.join(', ')} (name and key)` };
  const secrets = new Set(present.map(([, ref]) => ref?.name));
  const namespaces = new Set(present.map(([, ref]) => ref?.namespace));
  if (secrets.size !== 1 || namespaces.size !== 1)
    return { failure: 'the credentials reference keys of more than one Secret: the model takes the keys of one Secret per store' };
  const first = present[0]?.[1] as KeyRef;
  const props: Record<string, string> = { secretName: first.name };
  for (const [, ref, keyProp, defaultKey] of present) if (ref && ref.key !== defaultKey) props[keyProp] = ref.key;
  return { credentials: { factory, props }, namespace: first.namespace };
}

/**
 * Whether `auth` is exactly the documented IRSA reference of a SharedSecretStore,
 * `jwt.serviceAccountRef: { name: external-secrets-controller }`, which the model emits for an IRSA
 * Space (its default `storeAuth`); it is then read.
 */
function readDocumentedJwt(auth: Reader | undefined): boolean {
  if (jwtServiceAccount(auth) !== SHARED_SECRETS_SERVICE_ACCOUNT) return false;
  auth?.skip('jwt');
  return true;
}

/**
 * The service account of `auth` when it is exactly `jwt.serviceAccountRef: { name }` (no namespace,
 * no audiences, nothing else): the form the model emits for the documented reference and for a
 * store's own identity (`StoreIdentity.awsIrsa`).
 */
function jwtServiceAccount(auth: Reader | undefined): string | undefined {
  // Looked at through the raw values: reading a field through the reader marks it as mapped.
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const a: unknown = auth?.value;
  const jwt = isObject(a) && Object.keys(a).length === 1 ? a.jwt : undefined;
  const ref = isObject(jwt) && Object.keys(jwt).length === 1 ? jwt.serviceAccountRef : undefined;
  if (!isObject(ref) || Object.keys(ref).length !== 1 || typeof ref.name !== 'string') return undefined;
  return ref.name;
}

function readAws(p: Reader, service: 'SecretsManager' | 'ParameterStore', allowNamespace: boolean, spaces: boolean): ProviderRead {
  p.skip('service');
  const props: Record<string, PlainValue> = {};
  const region = p.string('region');
  if (region !== undefined) props.region = region;
  const role = p.string('role');
  if (role !== undefined) props.role = role;
  const type = service === 'SecretsManager' ? 'AwsSecretsManager' : 'AwsParameterStore';
  const sm = service === 'SecretsManager' ? p.object('secretsManager') : undefined;
  if (sm) {
    const force = sm.boolean('forceDeleteWithoutRecovery');
    if (force !== undefined) props.forceDeleteWithoutRecovery = force;
    const days = sm.integer('recoveryWindowInDays');
    if (days !== undefined) props.recoveryWindowInDays = days;
  }
  const auth = p.object('auth');
  if (spaces && readDocumentedJwt(auth))
    return { provider: { type, cloud: 'aws', props, placeholders: [], storeAuth: 'service-account-ref' } };
  const own = spaces ? jwtServiceAccount(auth) : undefined;
  if (own !== undefined) {
    auth?.skip('jwt');
    return { provider: { type, cloud: 'aws', props, placeholders: [], storeServiceAccount: own } };
  }
  const secretRef = auth?.object('secretRef');
  if (!secretRef) return { provider: { type, cloud: 'aws', props, placeholders: [] } };
  const c = credentialsFrom('awsAccessKey', [
    ['accessKeyId', readKeyRef(secretRef.object('accessKeyIDSecretRef'), allowNamespace), 'accessKeyIdKey', 'access-key', true],
    [
      'secretAccessKey',
      readKeyRef(secretRef.object('secretAccessKeySecretRef'), allowNamespace),
      'secretAccessKeyKey',
      'secret-access-key',
      true,
    ],
    ['sessionToken', readKeyRef(secretRef.object('sessionTokenSecretRef'), allowNamespace), 'sessionTokenKey', '', false],
  ]);
  if ('failure' in c) return { failure: c.failure, field: secretRef.path };
  // A session token key is a prop only when present (the default is none).
  return { provider: { type, cloud: 'aws', props, credentials: c.credentials, placeholders: [] }, credentialsNamespace: c.namespace };
}

function readAzure(p: Reader, allowNamespace: boolean): ProviderRead {
  const props: Record<string, PlainValue> = {};
  const vaultUrl = p.string('vaultUrl');
  if (vaultUrl !== undefined) props.vaultUrl = vaultUrl;
  const tenantId = p.string('tenantId');
  if (tenantId !== undefined) props.tenantId = tenantId;
  const environmentType = p.string('environmentType');
  if (environmentType !== undefined && !isDefault(PROVIDER_DEFAULTS, 'azurekv.environmentType', environmentType))
    return {
      failure: `environmentType is not PublicCloud: the model knows the public cloud only`,
      field: fieldPath(p.path, 'environmentType'),
    };
  const authType = p.oneOf('authType', ['ServicePrincipal', 'WorkloadIdentity', 'ManagedIdentity'] as const) ?? 'ServicePrincipal';
  if (authType === 'ManagedIdentity')
    return {
      failure:
        'authType ManagedIdentity (a managed identity of the node or pod) has no prop: the model uses service principals or the workload identity',
      field: fieldPath(p.path, 'authType'),
    };
  if (authType === 'WorkloadIdentity') return { provider: { type: 'AzureKeyVault', cloud: 'azure', props, placeholders: [] } };
  const ref = p.object('authSecretRef');
  const c = credentialsFrom('azureServicePrincipal', [
    ['clientId', readKeyRef(ref?.object('clientId'), allowNamespace), 'clientIdKey', 'ClientID', true],
    ['clientSecret', readKeyRef(ref?.object('clientSecret'), allowNamespace), 'clientSecretKey', 'ClientSecret', true],
  ]);
  if ('failure' in c) return { failure: c.failure, field: fieldPath(p.path, 'authSecretRef') };
  return {
    provider: { type: 'AzureKeyVault', cloud: 'azure', props, credentials: c.credentials, placeholders: [] },
    credentialsNamespace: c.namespace,
  };
}

function readGcp(p: Reader, allowNamespace: boolean): ProviderRead {
  const props: Record<string, PlainValue> = {};
  const projectId = p.string('projectID');
  if (projectId !== undefined) props.projectId = projectId;
  const location = p.string('location');
  if (location !== undefined) props.location = location;
  const secretRef = p.object('auth')?.object('secretRef');
  if (!secretRef) return { provider: { type: 'GcpSecretManager', cloud: 'gcp', props, placeholders: [] } };
  const c = credentialsFrom('gcpServiceAccountKey', [
    [
      'serviceAccountKey',
      readKeyRef(secretRef.object('secretAccessKeySecretRef'), allowNamespace),
      'key',
      'secret-access-credentials',
      true,
    ],
  ]);
  if ('failure' in c) return { failure: c.failure, field: secretRef.path };
  return {
    provider: { type: 'GcpSecretManager', cloud: 'gcp', props, credentials: c.credentials, placeholders: [] },
    credentialsNamespace: c.namespace,
  };
}

/** The providers the model has, by their key in the ESO provider block. */
const PROVIDER_KEYS: readonly string[] = ['aws', 'azurekv', 'gcpsm'];

/**
 * The provider of a store's `spec.provider`. `allowNamespace`: Secret references may name a
 * namespace (ClusterSecretStores of plain ESO clusters); all must name the same one.
 */
export function readProvider(spec: Reader, allowNamespace: boolean, spaces = false): ProviderRead {
  const field = fieldPath(spec.path, 'provider');
  const p = spec.object('provider');
  if (!p) return { failure: 'the store has no provider', field };
  const keys = Object.keys(p.value).filter((k) => p.has(k));
  if (keys.length !== 1)
    return { failure: `the provider block has ${keys.length} providers (${keys.join(', ')}); a store has exactly one`, field };
  const key = keys[0];
  if (key === 'upboundspaces')
    return {
      failure: 'a store Spaces projected into a control plane (provider upboundspaces): import the SharedSecretStore it points to instead',
      field: fieldPath(field, key),
    };
  if (!PROVIDER_KEYS.includes(key))
    return {
      failure: `provider "${key}" is not modeled (the model has AWS Secrets Manager, AWS Parameter Store, Azure Key Vault and GCP Secret Manager)`,
      field: fieldPath(field, key),
    };
  const block = p.object(key) as Reader;
  if (key === 'azurekv') return readAzure(block, allowNamespace);
  if (key === 'gcpsm') return readGcp(block, allowNamespace);
  const service = block.oneOf('service', ['SecretsManager', 'ParameterStore'] as const);
  if (service === undefined)
    return { failure: 'provider aws has no service SecretsManager or ParameterStore', field: fieldPath(block.path, 'service') };
  return readAws(block, service, allowNamespace, spaces);
}

// ---------------------------------------------------------------------------------------------
// ExternalSecret spec

/**
 * Reads a field that the model does not have, accepting it only with its default value; any other
 * value stays unread (listed as unmapped).
 */
function defaultOnly(r: Reader, key: string, specPath: string): void {
  if (r.has(key) && isDefault(EXTERNAL_SECRET_SPEC_DEFAULTS, specPath, r.value[key])) r.skip(key);
}

const DECODING = ['Auto', 'Base64', 'Base64URL', 'None'] as const;

function readData(d: Reader, i: number): SecretData | undefined {
  const secretKey = d.string('secretKey');
  const ref = d.object('remoteRef');
  if (secretKey === undefined || !ref) return undefined;
  const base = `data[${i}].remoteRef`;
  const remoteKey = ref.string('key');
  if (remoteKey === undefined) return undefined;
  const out: { -readonly [K in keyof SecretData]: SecretData[K] } = { secretKey, remoteKey };
  const property = ref.string('property');
  if (property !== undefined) out.property = property;
  const version = ref.string('version');
  if (version !== undefined) out.version = version;
  const decoding = ref.oneOf('decodingStrategy', DECODING);
  if (decoding !== undefined) out.decodingStrategy = decoding;
  defaultOnly(ref, 'conversionStrategy', `${base}.conversionStrategy`);
  const metadataPolicy = ref.oneOf('metadataPolicy', ['None', 'Fetch'] as const);
  if (metadataPolicy === 'Fetch') out.metadataPolicy = metadataPolicy;
  return out;
}

/** The `regexp` and `transform` rewrites of a dataFrom entry; undefined (left unread) when any is another kind. */
function readRewrites(d: Reader): DataFromRewrite[] | undefined {
  const list = d.objects('rewrite');
  if (!list) return undefined;
  const out: DataFromRewrite[] = [];
  for (const r of list) {
    const keys = Object.keys(r.value);
    const regexp = keys.length === 1 ? r.object('regexp') : undefined;
    const transform = keys.length === 1 && !regexp ? r.object('transform') : undefined;
    const source = regexp?.string('source');
    const target = regexp?.string('target');
    const template = transform?.string('template');
    if (source !== undefined && target !== undefined) out.push({ regexp: { source, target } });
    else if (template !== undefined) out.push({ transform: { template } });
    else return undefined;
  }
  return out;
}

function readDataFrom(d: Reader, i: number, ctx: ReadContext): DataFromSource | undefined {
  const source = readDataFromSource(d, i, ctx);
  if (!source || !d.has('rewrite')) return source;
  const rewrite = readRewrites(d);
  if (rewrite === undefined) {
    unmapped(ctx, fieldPath(d.path, 'rewrite'), 'a rewrite other than regexp or transform (merge) has no prop: the entry is not imported');
    d.skip('rewrite');
    return undefined;
  }
  return { ...source, rewrite };
}

function readDataFromSource(d: Reader, i: number, ctx: ReadContext): DataFromSource | undefined {
  const extract = d.has('extract') ? d.object('extract') : undefined;
  const find = d.has('find') ? d.object('find') : undefined;
  if (extract && find) {
    unmapped(ctx, `${d.path}`, 'extract and find in one dataFrom entry (ESO refuses it): not imported');
    d.skip('extract', 'find');
    return undefined;
  }
  if (extract) {
    const base = `dataFrom[${i}].extract`;
    const key = extract.string('key');
    if (key === undefined) return undefined;
    const e: { key: string; property?: string; version?: string } = { key };
    const property = extract.string('property');
    if (property !== undefined) e.property = property;
    const version = extract.string('version');
    if (version !== undefined) e.version = version;
    for (const k of ['conversionStrategy', 'decodingStrategy', 'metadataPolicy']) defaultOnly(extract, k, `${base}.${k}`);
    return { extract: e };
  }
  if (find) {
    const base = `dataFrom[${i}].find`;
    const f: { -readonly [K in keyof DataFromFind]: DataFromFind[K] } = {};
    const path = find.string('path');
    if (path !== undefined) f.path = path;
    const regexp = find.object('name')?.string('regexp');
    if (regexp !== undefined) f.nameRegexp = regexp;
    const tags = find.stringMap('tags');
    if (tags !== undefined) f.tags = tags;
    for (const k of ['conversionStrategy', 'decodingStrategy']) defaultOnly(find, k, `${base}.${k}`);
    return { find: f };
  }
  return undefined;
}

function readTarget(t: Reader, objectName: string): SecretTarget | undefined {
  const out: { -readonly [K in keyof SecretTarget]: SecretTarget[K] } = {};
  const name = t.string('name');
  if (name !== undefined && name !== objectName) out.name = name;
  const creation = t.oneOf('creationPolicy', ['Owner', 'Orphan', 'Merge', 'None'] as const);
  if (creation !== undefined && creation !== 'Owner') out.creationPolicy = creation;
  const deletion = t.oneOf('deletionPolicy', ['Delete', 'Merge', 'Retain'] as const);
  if (deletion !== undefined && deletion !== 'Retain') out.deletionPolicy = deletion;
  const immutable = t.boolean('immutable');
  if (immutable !== undefined) out.immutable = immutable;
  const tpl = t.object('template');
  if (tpl) {
    const template: { -readonly [K in keyof NonNullable<SecretTarget['template']>]: NonNullable<SecretTarget['template']>[K] } = {};
    defaultOnly(tpl, 'engineVersion', 'target.template.engineVersion');
    const type = tpl.string('type');
    if (type !== undefined) template.type = type;
    const merge = tpl.oneOf('mergePolicy', ['Replace', 'Merge'] as const);
    if (merge !== undefined) template.mergePolicy = merge;
    const data = tpl.stringMap('data');
    if (data !== undefined) template.data = data;
    const meta = tpl.object('metadata');
    if (meta) {
      const labels = meta.stringMap('labels');
      const annotations = meta.stringMap('annotations');
      const m: { labels?: Labels; annotations?: Labels } = {};
      if (labels) m.labels = labels;
      if (annotations) m.annotations = annotations;
      template.metadata = m;
    }
    out.template = template;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A store reference of an ExternalSecret spec. */
export interface StoreRef {
  readonly name: string;
  readonly kind: 'SecretStore' | 'ClusterSecretStore';
}

/**
 * Reads an ESO `ExternalSecretSpec` (plain, or the `externalSecretSpec` of a Shared/Cluster
 * external secret). Entries the model cannot express are left unread (listed as unmapped).
 */
export function readExternalSecretSpec(es: Reader, objectName: string, ctx: ReadContext): { body: SecretBody; storeRef?: StoreRef } {
  const ref = es.object('secretStoreRef');
  const storeName = ref?.string('name');
  const storeKind = ref?.oneOf('kind', ['SecretStore', 'ClusterSecretStore'] as const) ?? 'SecretStore';
  const refreshInterval = es.string('refreshInterval');
  const refreshPolicy = es.oneOf('refreshPolicy', ['Periodic', 'OnChange', 'CreatedOnce'] as const);
  const target = es.object('target');
  const data: SecretData[] = [];
  (es.objects('data') ?? []).forEach((d, i) => {
    const entry = readData(d, i);
    if (entry) data.push(entry);
  });
  const dataFrom: DataFromSource[] = [];
  (es.objects('dataFrom') ?? []).forEach((d, i) => {
    const entry = readDataFrom(d, i, ctx);
    if (entry) dataFrom.push(entry);
  });
  const body: { -readonly [K in keyof SecretBody]: SecretBody[K] } = { data, dataFrom };
  if (refreshInterval !== undefined) body.refreshInterval = refreshInterval;
  if (refreshPolicy !== undefined) body.refreshPolicy = refreshPolicy;
  const t = target ? readTarget(target, objectName) : undefined;
  if (t) body.target = t;
  return { body, storeRef: storeName !== undefined ? { name: storeName, kind: storeKind } : undefined };
}
