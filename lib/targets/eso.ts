/**
 * Emission of the plain ESO target: `external-secrets.io/v1` stores and secrets, `v1alpha1`
 * PushSecrets and the ESO chart values, under `clusters/<cluster>/`.
 *
 * Provider blocks are not mapped here: the store's {@link SecretStoreProvider} renders the Spaces
 * provider (the ESO provider schema Spaces embeds), which is converted to plain JSON with the
 * generated `toJson_SharedSecretStoreSpecProvider` and placed into the ESO object as it is.
 */
import * as eso from '../../imports/external-secrets.io.js';
import { toJson_SharedSecretStoreSpecProvider } from '../../imports/spaces.upbound.io.js';
import { canonicalManifest } from '../output/manifest.js';
import { esoClusterRole } from '../eso/aws-role.js';
import { AwsIdentity, AzureIdentity, GcpIdentity } from '../model/space-identity.js';
import type { LabelSelector } from '../model/selectors.js';
import { sortKeys } from '../output/render.js';
import type { HelmValuesFile } from '../output/helm-values.js';
import { enumValue, externalSecretSpecJson } from '../secrets/external-secret-spec.js';
import type { Manifest } from '../output/manifest.js';
import type { EsoCluster, EsoExternalSecret, EsoPushSecret, EsoSecretStore } from '../eso/cluster.js';
import { clusterObjectPath, esoValuesPath } from '../output/layout.js';
import { pushMetadataJson } from '../eso/push-metadata.js';

/** Label every object of this target carries. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'secrets-topology' } as const;

/** A plain JSON object. */
type Json = Record<string, unknown>;

function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The provider block of a store as plain ESO JSON. Workload identity on a plain cluster is ESO's
 * own: the controller's service account is annotated (Helm values), so AWS needs no `auth` block
 * (the default credential chain reads the IRSA / Pod Identity token), Azure uses
 * `authType: WorkloadIdentity` without a service-account reference, GCP uses ambient credentials.
 * For a ClusterSecretStore every Secret reference gets the credentials namespace (ESO requires it).
 */
export function esoProviderJson(store: EsoSecretStore): Json {
  const identity = store.cluster.identity;
  // The Spaces rendering of AWS IRSA references the Spaces controller's service account by name;
  // on a plain cluster the controller's own credentials are used instead.
  const spacesProvider = store.provider.toSpacesProvider(identity instanceof AwsIdentity ? undefined : identity);
  const json = toJson_SharedSecretStoreSpecProvider(spacesProvider) ?? {};
  if (store.kind === 'ClusterSecretStore') {
    addNamespaceToSecretRefs(json, store.credentialsNamespace);
    // A store's own service account: ESO requires its namespace on a ClusterSecretStore.
    const ref = (((json.aws as Json | undefined)?.auth as Json | undefined)?.jwt as Json | undefined)?.serviceAccountRef;
    if (isJson(ref) && ref.namespace === undefined) ref.namespace = store.credentialsNamespace;
  }
  return sortKeys(json);
}

/** Adds `namespace` to every `{ name, key }` Secret reference below `node` (in place). */
function addNamespaceToSecretRefs(node: unknown, namespace: string): void {
  if (Array.isArray(node)) {
    for (const n of node) addNamespaceToSecretRefs(n, namespace);
    return;
  }
  if (!isJson(node)) return;
  if (typeof node.name === 'string' && typeof node.key === 'string' && node.namespace === undefined) node.namespace = namespace;
  for (const v of Object.values(node)) addNamespaceToSecretRefs(v, namespace);
}

/** Label selectors of a namespace selection; names become one `kubernetes.io/metadata.name In` expression. */
export function namespaceLabelSelectors(sel: {
  readonly names?: readonly string[];
  readonly labelSelectors?: readonly LabelSelector[];
}): Json[] {
  const out: Json[] = [];
  if (sel.names && sel.names.length > 0) {
    out.push({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...sel.names] }] });
  }
  for (const l of sel.labelSelectors ?? []) out.push(labelSelectorJson(l));
  return out;
}

/** A label selector as plain JSON (undefined parts left out). */
export function labelSelectorJson(l: LabelSelector): Json {
  const out: Json = {};
  if (l.matchLabels && Object.keys(l.matchLabels).length > 0) out.matchLabels = { ...l.matchLabels };
  if (l.matchExpressions && l.matchExpressions.length > 0) {
    out.matchExpressions = l.matchExpressions.map((e) =>
      e.values && e.values.length > 0 ? { key: e.key, operator: e.operator, values: [...e.values] } : { key: e.key, operator: e.operator },
    );
  }
  return out;
}

function metadata(name: string, namespace?: string): { name: string; namespace?: string; labels: Record<string, string> } {
  return namespace === undefined ? { name, labels: { ...MANAGED_BY } } : { name, namespace, labels: { ...MANAGED_BY } };
}

/** The `SecretStore` or `ClusterSecretStore` of a store. */
export function storeManifest(store: EsoSecretStore): Json {
  const provider = esoProviderJson(store);
  if (store.kind === 'SecretStore') {
    const m = eso.SecretStore.manifest({
      metadata: metadata(store.name, store.namespace),
      spec: {
        provider: {},
        refreshInterval:
          store.refreshInterval !== undefined ? eso.SecretStoreSpecRefreshInterval.fromNumber(store.refreshInterval) : undefined,
      },
    }) as Json;
    return canonicalManifest(withSpec(m, { provider }));
  }
  const sel = store.namespaces?.toSelector() ?? {};
  const conditions: Json[] = [];
  if (sel.names && sel.names.length > 0) conditions.push({ namespaces: [...sel.names] });
  for (const l of sel.labelSelectors ?? []) conditions.push({ namespaceSelector: labelSelectorJson(l) });
  const m = eso.ClusterSecretStore.manifest({
    metadata: metadata(store.name),
    spec: {
      provider: {},
      refreshInterval:
        store.refreshInterval !== undefined ? eso.ClusterSecretStoreSpecRefreshInterval.fromNumber(store.refreshInterval) : undefined,
    },
  }) as Json;
  return canonicalManifest(withSpec(m, { provider, conditions }));
}

function withSpec(manifest: Json, extra: Json): Json {
  const spec = isJson(manifest.spec) ? manifest.spec : {};
  return { ...manifest, spec: sortKeys({ ...spec, ...extra }) };
}

/** The ESO `ExternalSecret` spec (plain JSON) of a secret: the same mapping as the Spaces target's. */
export function esoExternalSecretSpec(secret: EsoExternalSecret): Json {
  return sortKeys(
    externalSecretSpecJson({
      storeName: secret.store.name,
      storeKind: secret.store.kind,
      refreshInterval: secret.refreshInterval,
      refreshPolicy: secret.refreshPolicy,
      target: secret.target,
      targetName: secret.targetName,
      data: secret.data,
      dataFrom: secret.dataFrom,
    }),
  );
}

/** The `ExternalSecret` or `ClusterExternalSecret` of a secret. */
export function externalSecretManifest(secret: EsoExternalSecret): Json {
  const spec = esoExternalSecretSpec(secret);
  if (secret.kind === 'ExternalSecret') {
    return canonicalManifest({ ...(eso.ExternalSecret.manifest({ metadata: metadata(secret.name, secret.namespace) }) as Json), spec });
  }
  const m = eso.ClusterExternalSecret.manifest({
    metadata: metadata(secret.name),
    spec: { externalSecretSpec: {}, externalSecretName: secret.name },
  }) as Json;
  return canonicalManifest(
    withSpec(m, { externalSecretSpec: spec, namespaceSelectors: namespaceLabelSelectors(secret.namespaces?.toSelector() ?? {}) }),
  );
}

/** The `PushSecret` of a push secret. */
export function pushSecretManifest(push: EsoPushSecret): Json {
  const E = eso;
  return canonicalManifest(
    eso.PushSecret.manifest({
      metadata: metadata(push.name, push.namespace),
      spec: {
        refreshInterval: push.refreshInterval,
        deletionPolicy: enumValue(E.PushSecretSpecDeletionPolicy, push.deletionPolicy),
        updatePolicy: enumValue(E.PushSecretSpecUpdatePolicy, push.updatePolicy),
        secretStoreRefs: [{ name: push.store.name, kind: enumValue(E.PushSecretSpecSecretStoreRefsKind, push.store.kind) }],
        selector: { secret: { name: push.secretName } },
        data: push.data.map((d) => ({
          match: { secretKey: d.secretKey, remoteRef: { remoteKey: d.remoteKey, property: d.property } },
          metadata: d.metadata ? pushMetadataJson(d.metadata) : undefined,
        })),
      },
    }) as Json,
  );
}

/** Service-account annotations and pod labels ESO's controller needs for the cluster's identity. */
export function esoIdentityMetadata(cluster: EsoCluster): { annotations: Record<string, string>; podLabels: Record<string, string> } {
  const id = cluster.identity;
  if (id instanceof AwsIdentity && id.mode === 'aws-irsa') {
    // The role the identity stage generates for the cluster (clusters/<c>/iam/aws/).
    return { annotations: { 'eks.amazonaws.com/role-arn': esoClusterRole(cluster, id).arn }, podLabels: {} };
  }
  if (id instanceof AzureIdentity) {
    return {
      annotations: { 'azure.workload.identity/client-id': id.props.clientId },
      podLabels: { 'azure.workload.identity/use': 'true' },
    };
  }
  if (id instanceof GcpIdentity && id.mode === 'gcp-impersonation' && id.serviceAccountEmail) {
    return { annotations: { 'iam.gke.io/gcp-service-account': id.serviceAccountEmail }, podLabels: {} };
  }
  // EKS Pod Identity (an association for the service account) and GCP principal identifiers
  // (IAM bindings on the Kubernetes service account) need nothing on the service account.
  return { annotations: {}, podLabels: {} };
}

/** The ESO chart values of a cluster (`serviceAccount.annotations`, `podLabels`). */
export function esoValues(cluster: EsoCluster): Json {
  const { annotations, podLabels } = esoIdentityMetadata(cluster);
  return sortKeys({
    serviceAccount: { create: true, name: cluster.serviceAccountName, annotations },
    podLabels,
  });
}

/** The ESO chart values file of a cluster, with a header saying what it is for. */
export function esoHelmValues(cluster: EsoCluster): HelmValuesFile {
  const path = esoValuesPath(cluster);
  return {
    path,
    values: esoValues(cluster),
    header: [
      `External Secrets Operator Helm values for cluster "${cluster.name}": the workload identity of`,
      "ESO's controller service account. Generated; edit the topology instead.",
      `helm upgrade --install external-secrets external-secrets/external-secrets -n ${cluster.namespace} --reuse-values -f ${path}`,
    ],
  };
}

/** The objects of an ESO cluster (stores, secrets, push secrets), with their files. */
export function esoClusterObjects(cluster: EsoCluster): Manifest[] {
  return [
    ...cluster.stores.map((s) => ({ path: clusterObjectPath(cluster, s.kind, s.name, s.namespace), object: storeManifest(s), owner: s })),
    ...cluster.externalSecrets.map((s) => ({
      path: clusterObjectPath(cluster, s.kind, s.name, s.namespace),
      object: externalSecretManifest(s),
      owner: s,
    })),
    ...cluster.pushSecrets.map((p) => ({
      path: clusterObjectPath(cluster, 'PushSecret', p.name, p.namespace),
      object: pushSecretManifest(p),
      owner: p,
    })),
  ];
}
