/**
 * The rules ESO's admission webhook enforces on an `ExternalSecret` (external-secrets v2.9,
 * `apis/externalsecrets/v1/externalsecret_validator.go`) that the CRD schema does not: a model that
 * breaks one would be written, then refused by the cluster (or, for a `ClusterExternalSecret` or a
 * Spaces `SharedExternalSecret`, accepted and then fail in every namespace it reaches). Checked at
 * synth for every target that renders an ExternalSecret spec (Spaces, plain ESO, Sveltos).
 *
 * The webhook's rules and where each is enforced here:
 * - `deletionPolicy: Delete` with `creationPolicy: Merge` or `None`, and `deletionPolicy: Merge`
 *   with `creationPolicy: None`: {@link checkPolicyCombination};
 * - a `dataFrom` entry must set one of `extract`, `find` (or `sourceRef`, which the model does not
 *   offer), and never two of `extract`, `find`, `generatorRef`: {@link checkDataFromEntry};
 * - `data` or `dataFrom` must be set, and `secretKey`s of `data` are unique (the webhook checks the
 *   latter with `deletionPolicy: Retain`; the model always): in `checkSecretSource`.
 *
 * ESO v2.9 has no webhook for `PushSecret`: its rules are the CRD's validations (enums, patterns
 * and CEL rules), which the conformance tests evaluate against the real CRD.
 */

/** The `target.creationPolicy` values. */
export type CreationPolicy = 'Owner' | 'Orphan' | 'Merge' | 'None';
/** The `target.deletionPolicy` values. */
export type DeletionPolicy = 'Delete' | 'Merge' | 'Retain';

/** Combinations the webhook refuses, with why and the fix (ESO's own reason in the first words). */
const REFUSED_POLICIES: readonly { creation: CreationPolicy; deletion: DeletionPolicy; why: string }[] = [
  {
    creation: 'Merge',
    deletion: 'Delete',
    why: 'deletionPolicy "Delete" deletes a Secret the controller does not own (creationPolicy "Merge" writes into an existing one): set creationPolicy "Owner", or deletionPolicy "Retain" or "Merge".',
  },
  {
    creation: 'None',
    deletion: 'Delete',
    why: 'deletionPolicy "Delete" deletes a Secret the controller does not own (creationPolicy "None" writes none): set creationPolicy "Owner", or deletionPolicy "Retain".',
  },
  {
    creation: 'None',
    deletion: 'Merge',
    why: 'deletionPolicy "Merge" needs a Secret to merge with, and creationPolicy "None" writes none: set deletionPolicy "Retain", or creationPolicy "Owner" or "Merge".',
  },
];

/**
 * The problem of a creation / deletion policy pair that ESO's webhook refuses, or undefined. The
 * policies default as in ESO (`Owner`, `Retain`).
 */
export function checkPolicyCombination(creation: string | undefined, deletion: string | undefined): string | undefined {
  const c = creation ?? 'Owner';
  const d = deletion ?? 'Retain';
  const refused = REFUSED_POLICIES.find((r) => r.creation === c && r.deletion === d);
  return refused && `target: creationPolicy "${c}" with deletionPolicy "${d}" is refused by ESO's webhook: ${refused.why}`;
}

/** The kinds of source a `dataFrom` entry may set, exactly one each. */
const DATA_FROM_KINDS = ['extract', 'find'] as const;

/**
 * The problem of one `dataFrom` entry (at index `i`) as ESO's webhook sees it, or undefined: it must
 * set exactly one of `extract` and `find` (a plain object each). With both, ESO refuses the object;
 * the model must not pick one and drop the other. A member present with the value undefined counts
 * as set.
 */
export function checkDataFromEntry(entry: unknown, i: number): string | undefined {
  const where = `dataFrom[${i}]`;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return `${where} must be { extract: {...} } or { find: {...} }.`;
  // A member that is present counts, even when undefined: every consumer of the model asks `'find' in entry`.
  const set = DATA_FROM_KINDS.filter((k) => k in entry);
  if (set.length > 1)
    return `${where} sets both extract and find, which ESO's webhook refuses ("extract, find, or generatorRef cannot be set at the same time"): split it into two dataFrom entries, { extract: {...} } and { find: {...} }.`;
  const kind = set[0];
  const value = kind === undefined ? undefined : (entry as Record<string, unknown>)[kind];
  if (kind === undefined || value === null || typeof value !== 'object' || Array.isArray(value))
    return `${where} must be { extract: {...} } or { find: {...} }.`;
  return undefined;
}
