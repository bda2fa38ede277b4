/**
 * Why a field of the input has no place in the topology: the fields the model knows it lacks
 * (several are planned, issue 16), each with its reason, and a general reason for the rest.
 */

/** A field pattern (list indices written `[]`) and why it is not mapped. */
const REASONS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /\.provider\.aws\.auth\.jwt$/,
    "auth.jwt other than { serviceAccountRef: { name } } of a SharedSecretStore (a namespace, audiences, or a plain ESO store's service account) has no prop: StoreIdentity.awsIrsa({ serviceAccount }) takes the name alone on a Space; otherwise the store uses the Space's or cluster's workload identity",
  ],
  [
    /\.provider\.azurekv\.serviceAccountRef$/,
    "per-store service-account auth (serviceAccountRef) has no prop yet (issue 16): the store uses the Space's or cluster's workload identity",
  ],
  [
    /\.provider\.gcpsm\.auth\.workloadIdentity(Federation)?$/,
    "per-store workload identity has no prop yet (issue 16): the store uses the Space's or cluster's workload identity",
  ],
  [
    /\.dataFrom\[\]\.(extract|find)\.metadataPolicy$/,
    'metadataPolicy of dataFrom has no prop: only data entries read tags (metadataPolicy Fetch)',
  ],
  [/\.sourceRef$/, 'generators and sourceRef have no prop: only store references are modeled'],
  [/\.conversionStrategy$/, 'conversionStrategy has no prop: only the default (Default) is mapped'],
  [/\.dataFrom\[\]\.(extract|find)\.decodingStrategy$/, 'decodingStrategy of dataFrom has no prop: only the default (None) is mapped'],
  [/\.nullBytePolicy$/, 'nullBytePolicy has no prop: ESO applies its default'],
  [/\.target\.template\.templateFrom$/, 'templateFrom has no prop: only inline template data is modeled'],
  [/\.target\.template\.engineVersion$/, 'only template engine v2 is emitted'],
  [/\.target\.manifest$/, 'target.manifest (a non-Secret target) has no prop'],
  [/^spec\.syncWindows$/, 'syncWindows has no prop'],
  [/^spec\.(secretStoreName|externalSecretName)$/, "the projected object always carries the Shared* object's own name"],
  [/^spec\.(secretStoreMetadata|externalSecretMetadata)$/, 'metadata of the projected object has no prop'],
  [/^spec\.refreshTime$/, 'refreshTime has no prop: ESO applies its default'],
  [
    /^spec\.conditions\[\]\.namespaceRegexes$/,
    'namespace regular expressions cannot be expressed with Namespaces.named or Namespaces.matching',
  ],
  [
    /^spec\.data\[\]\.metadata(\.|$)/,
    'PushSecret metadata other than the AWS PushSecretMetadata fields the model has (kmsKeyID, tags, ...) has no prop',
  ],
  [/^spec\.controller$/, 'the ESO controller class has no prop'],
  [/^metadata\.(labels|annotations)(\.|$)/, 'the model emits no labels or annotations of its own on this kind'],
  [/^metadata\.(finalizers|ownerReferences)$/, 'set by controllers, not part of a topology'],
];

/** The generic reason. */
export const NO_PROP = 'the model has no prop for this field';

/** Why a field (e.g. `spec.dataFrom[2].rewrite`) is not mapped. */
export function unmappedReason(path: string): string {
  const general = path.replace(/\[\d+\]/g, '[]');
  return REASONS.find(([re]) => re.test(general))?.[1] ?? NO_PROP;
}
