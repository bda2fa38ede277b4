import type { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { findAll } from '../model/find.js';
import { Group } from '../model/group.js';
import type { Namespaces, Planes } from '../model/selection.js';
import { checkDnsLabel, checkDnsSubdomain, checkGoDuration, checkLabels, checkSecretKey, quote } from '../model/validation.js';
import type { SecretStoreProvider } from '../stores/provider.js';
import type { SecretStore } from '../stores/secret-store.js';
import { checkDataFromEntry, checkPolicyCombination } from './eso-webhook.js';
import { re2Problem } from '../private/regexp.js';
import { checkConstructArgs, constructArgs, typedProps, containerOf } from '../model/typed.js';
import { SharedSecretPropsSchema } from './props.js';
import { addJsonPatches, type ObjectSelector } from '../model/patch.js';
import { quoteValue } from '../private/terminal.js';

/** How ESO decodes a remote value (`decodingStrategy`). */
export const DECODING_STRATEGIES = ['Auto', 'Base64', 'Base64URL', 'None'] as const;
/** A {@link DECODING_STRATEGIES} member. */
export type DecodingStrategy = (typeof DECODING_STRATEGIES)[number];
/** Whether ESO owns, orphans, merges into or never creates the target Secret (`target.creationPolicy`). */
export const CREATION_POLICIES = ['Owner', 'Orphan', 'Merge', 'None'] as const;
/** A {@link CREATION_POLICIES} member. */
export type CreationPolicy = (typeof CREATION_POLICIES)[number];
/** What ESO does with the target Secret when the remote secret is deleted (`target.deletionPolicy`). */
export const DELETION_POLICIES = ['Delete', 'Merge', 'Retain'] as const;
/** A {@link DELETION_POLICIES} member. */
export type DeletionPolicy = (typeof DELETION_POLICIES)[number];
/** How a template's data is combined with the fetched data (`target.template.mergePolicy`). */
export const MERGE_POLICIES = ['Replace', 'Merge'] as const;
/** A {@link MERGE_POLICIES} member. */
export type MergePolicy = (typeof MERGE_POLICIES)[number];
/** When ESO refreshes the target Secret (`refreshPolicy`). */
export const REFRESH_POLICIES = ['Periodic', 'OnChange', 'CreatedOnce'] as const;
/** A {@link REFRESH_POLICIES} member. */
export type RefreshPolicy = (typeof REFRESH_POLICIES)[number];

/**
 * What ESO reads of a remote secret (`remoteRef.metadataPolicy`): `None`, the value; `Fetch`, its
 * metadata (AWS: the tags, as JSON, or the one tag `property` names) instead of the value.
 */
export const METADATA_POLICIES = ['None', 'Fetch'] as const;
/** A {@link METADATA_POLICIES} member. */
export type MetadataPolicy = (typeof METADATA_POLICIES)[number];

/** One key of the target Secret, read from the backend. */
export interface SecretData {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** Name (or path) of the secret in the backend. */
  readonly remoteKey: string;
  /**
   * JSON property inside the remote secret (gjson path), e.g. `password` or `db.user`.
   * @default the whole value
   */
  readonly property?: string;
  /**
   * Version of the remote secret (AWS: a version stage such as `AWSPREVIOUS`, or `uuid/<id>`).
   * @default the current version
   */
  readonly version?: string;
  /** @default 'None' */
  readonly decodingStrategy?: DecodingStrategy;
  /**
   * `Fetch` reads the remote secret's tags instead of its value (all of them as JSON, or the tag
   * `property` names); AWS stores only, and the IAM then grants the tag read alone
   * (`secretsmanager:DescribeSecret`, `ssm:ListTagsForResource`), not the value.
   * @default 'None': the value
   */
  readonly metadataPolicy?: MetadataPolicy;
}

/**
 * One rewrite of the keys a `dataFrom` entry produces (ESO `dataFrom[].rewrite[]`, applied in
 * order): a regular expression replacement (Go RE2; `target` may use `$1`, `${name}`), or a Go
 * template over the key (`{{ .value }}`).
 */
export type DataFromRewrite =
  { readonly regexp: { readonly source: string; readonly target: string } } | { readonly transform: { readonly template: string } };

/** Extract every property of one JSON remote secret into the target. */
export interface DataFromExtract {
  /** Name of the remote secret. */
  readonly key: string;
  /** @default the whole value */
  readonly property?: string;
  /** @default the current version */
  readonly version?: string;
}

/** Find remote secrets by name pattern, tags or path prefix and copy them all. */
export interface DataFromFind {
  /** Key prefix (AWS) under which to search. @default none */
  readonly path?: string;
  /** Regular expression on secret names. @default none */
  readonly nameRegexp?: string;
  /** Tags every found secret must carry. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Rewrites of a bulk source's keys. */
export interface DataFromRewrites {
  /** Rewrites of the keys the source produces, in order. @default none: the keys as the backend names them */
  readonly rewrite?: readonly DataFromRewrite[];
}

/** Bulk sources of the target Secret. */
export type DataFromSource = ({ readonly extract: DataFromExtract } | { readonly find: DataFromFind }) & DataFromRewrites;

/** Template of the target Secret (ESO template engine v2). Never put secret values here. */
export interface SecretTemplate {
  /** Secret type, e.g. `kubernetes.io/dockerconfigjson`. @default 'Opaque' */
  readonly type?: string;
  /** @default 'Replace' */
  readonly mergePolicy?: MergePolicy;
  /** Templated keys, e.g. `{ url: 'postgres://{{ .user }}@db' }`. @default none */
  readonly data?: Readonly<Record<string, string>>;
  /** Labels and annotations of the Secret. @default none */
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
}

/** The Kubernetes Secret ESO writes in each reached namespace. */
export interface SecretTarget {
  /** @default the shared secret's name */
  readonly name?: string;
  /** @default 'Owner' */
  readonly creationPolicy?: CreationPolicy;
  /** @default 'Retain' */
  readonly deletionPolicy?: DeletionPolicy;
  /** @default false */
  readonly immutable?: boolean;
  /** @default none */
  readonly template?: SecretTemplate;
}

/** What a secret reads, common to every target (Spaces shared secrets, plain ESO external secrets). */
export interface SecretSourceProps {
  /** Keys read one by one. @default none */
  readonly data?: readonly SecretData[];
  /** Bulk sources. @default none */
  readonly dataFrom?: readonly DataFromSource[];
  /** @default 'Periodic' */
  readonly refreshPolicy?: RefreshPolicy;
}

/** Props of a {@link SharedSecret}. */
export interface SharedSecretProps extends SecretSourceProps {
  /**
   * Name of the SharedExternalSecret and of the ClusterExternalSecret projected into each plane.
   * @default the construct id
   */
  readonly name?: string;
  /** The store the secret is read from; must be in the same group. */
  readonly store: SecretStore;
  /** The Secret written in each namespace. @default a Secret named like the shared secret */
  readonly target?: SecretTarget;
  /**
   * How often ESO re-reads the backend (Go duration; `0s` reads once).
   * @default the shortest refresh interval of the environments of the reached planes
   */
  readonly refreshInterval?: string;
  /** Planes that get the secret. @default the store's planes */
  readonly planes?: Planes;
  /** Namespaces the Secret is written to. @default the store's namespaces */
  readonly namespaces?: Namespaces;
}

/**
 * A secret distributed from a store to control planes. Compiles to a Spaces
 * `SharedExternalSecret`, projected as a `ClusterExternalSecret` into each reached plane; ESO
 * then writes the Secret into each reached namespace.
 */
export class SharedSecret extends Construct {
  /** Returns all shared secrets below `scope`, in construct-tree order. */
  public static all(scope: Construct): SharedSecret[] {
    return findAll(scope, SharedSecret);
  }

  /** Secret name. */
  public readonly name: string;
  /** The group holding the secret. */
  public readonly group: Group;
  /** Its store. */
  public readonly store: SecretStore;
  /** Explicit refresh interval, if any. */
  public readonly refreshInterval?: string;
  /** Refresh policy, if set. */
  public readonly refreshPolicy?: RefreshPolicy;
  /** Target Secret settings. */
  public readonly target: SecretTarget;
  private readonly _planes?: Planes;
  private readonly _namespaces?: Namespaces;
  private readonly _data: SecretData[] = [];
  private readonly _dataFrom: DataFromSource[] = [];

  public constructor(scope: Group, id: string, props: SharedSecretProps) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'a Group');
    props = typedProps<SharedSecretProps>(this, SharedSecretPropsSchema, props, {} as unknown as SharedSecretProps);
    this.name = props.name ?? this.node.id;
    this.group = containerOf(this, 'a SharedSecret', 'Group', Group.tryOf(this.node.scope));
    this.store = props.store;
    this.refreshInterval = props.refreshInterval;
    this.refreshPolicy = props.refreshPolicy;
    this.target = props.target ?? {};
    this._planes = props.planes;
    this._namespaces = props.namespaces;
    for (const d of props.data ?? []) this.addData(d);
    for (const d of props.dataFrom ?? []) this.addDataFrom(d);
    this.node.addValidation({ validate: () => this.validateProps() });
  }

  /** Adds a key read from the backend. */
  public addData(data: SecretData): this {
    this._data.push({ ...data });
    return this;
  }

  /** Adds a bulk source. */
  public addDataFrom(source: DataFromSource): this {
    this._dataFrom.push(source);
    return this;
  }

  /** Keys read one by one. */
  public get data(): readonly SecretData[] {
    return this._data;
  }

  /** Bulk sources. */
  public get dataFrom(): readonly DataFromSource[] {
    return this._dataFrom;
  }

  /** Planes reached (the store's unless set). */
  public get planes(): Planes {
    return this._planes ?? this.store.planes;
  }

  /** Whether the secret declares planes of its own (narrowing its store's). */
  public get narrowsPlanes(): boolean {
    return this._planes !== undefined;
  }

  /** Namespaces reached (the store's unless set). */
  public get namespaces(): Namespaces {
    return this._namespaces ?? this.store.namespaces;
  }

  /** Name of the Secret written in each namespace. */
  public get targetName(): string {
    return this.target.name ?? this.name;
  }

  /** True when any source searches the backend (`dataFrom.find`). */
  public get usesFind(): boolean {
    return this._dataFrom.some((d) => 'find' in d);
  }

  private validateProps(): string[] {
    const out: string[] = [];
    const name = checkDnsLabel(this.name, 'secret name');
    if (name) out.push(name);
    if (this.store.node.root !== this.node.root) {
      out.push(
        `store "${this.store.name}" (${this.store.node.path}) belongs to another TopologyApp: a synthesis sees only its own app's constructs; use a store of this app's group "${this.group.name}".`,
      );
    } else if (this.store.group !== this.group) {
      out.push(
        `store "${this.store.name}" is in group "${this.store.group.name}" (Space "${this.store.group.space.name}"), but the secret is in group "${this.group.name}": a SharedExternalSecret can only use stores projected into its own group's planes; create a store in "${this.group.name}".`,
      );
    }
    if (this._planes) out.push(...this._planes.check(this.group).map((m) => `planes: ${m}`));
    if (this._namespaces) out.push(...this._namespaces.check().map((m) => `namespaces: ${m}`));
    out.push(...checkSecretSource(this.name, this.store.provider, this._data, this._dataFrom));
    out.push(...checkSecretTarget(this.target));
    out.push(...checkRefresh(this.refreshInterval));
    return out;
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its SharedExternalSecret). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link SharedSecret.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}

/** Problems of a secret's sources (`data` and `dataFrom`) for `provider`; shared by every target. */
export function checkSecretSource(
  name: string,
  provider: SecretStoreProvider | undefined,
  data: readonly SecretData[],
  dataFrom: readonly DataFromSource[],
): string[] {
  const out: string[] = [];
  if (data.length === 0 && dataFrom.length === 0) {
    out.push(`secret "${name}" has no data: add data entries ({ secretKey, remoteKey }) or a dataFrom source (extract or find).`);
  }
  const checkKey = (key: string, where: string): void => {
    if (key.length === 0) out.push(`${where} is empty: name the secret in the backend.`);
    else {
      const m = provider?.checkRemoteKey(key);
      if (m) out.push(`${where}: ${m}`);
    }
  };
  const keys = new Set<string>();
  for (const d of data) {
    const k = checkSecretKey(d.secretKey);
    if (k) out.push(`data: ${k}`);
    if (keys.has(d.secretKey))
      out.push(`data: secretKey "${d.secretKey}" is used twice: each key of the target Secret must come from one entry.`);
    keys.add(d.secretKey);
    checkKey(d.remoteKey, `data["${d.secretKey}"].remoteKey`);
    if (d.metadataPolicy === 'Fetch' && provider && provider.cloud !== 'aws')
      out.push(
        `data["${d.secretKey}"].metadataPolicy "Fetch" is not supported with ${provider.displayName} here (the generated IAM covers the tag reads of the AWS providers only): read the value (metadataPolicy "None"), or read the tags from an AWS store.`,
      );
  }
  dataFrom.forEach((src, i) => {
    const entry = checkDataFromEntry(src, i);
    if (entry) out.push(entry);
    else if ('extract' in src) checkKey(src.extract.key, `dataFrom[${i}].extract.key`);
    else if ('find' in src) out.push(...checkFind(src.find, provider, `dataFrom[${i}].find`));
    if (!entry) out.push(...checkRewrites((src as DataFromRewrites).rewrite, `dataFrom[${i}].rewrite`));
  });
  return out;
}

/**
 * Problems of a `dataFrom` entry's rewrites, one kind each (the types were checked by the props
 * schema, `secrets/props.ts`): a `{ regexp: { source, target } }` or a `{ transform: { template } }`.
 */
function checkRewrites(rewrite: readonly DataFromRewrite[] | undefined, where: string): string[] {
  const out: string[] = [];
  (rewrite ?? []).forEach((r, j) => {
    const at = `${where}[${j}]`;
    const given = r as { readonly regexp?: { source: string; target: string }; readonly transform?: { template: string } };
    const kinds = (['regexp', 'transform'] as const).filter((k) => given[k] !== undefined);
    if (kinds.length !== 1) {
      out.push(
        `${at} must set exactly one of regexp ({ source, target }) or transform ({ template })${kinds.length > 1 ? ` (it sets ${kinds.join(' and ')}: split it into two rewrites, applied in order)` : ''}.`,
      );
      return;
    }
    if (given.regexp) {
      const source = given.regexp.source;
      if (source === '') out.push(`${at}.regexp.source must be a non-empty regular expression (Go RE2), got "".`);
      else {
        const problem = re2Problem(source);
        if (problem !== undefined)
          out.push(`${at}.regexp.source ${quote(source)} is not a regular expression (ESO compiles it with Go's RE2 syntax): ${problem}.`);
      }
    } else if (given.transform && given.transform.template.trim() === '') {
      out.push(
        `${at}.transform.template must be a non-empty Go template over the key, e.g. "{{ .value | upper }}", got ${quote(given.transform.template)}.`,
      );
    }
  });
  return out;
}

function checkFind(find: DataFromFind, provider: SecretStoreProvider | undefined, where: string): string[] {
  const out: string[] = [];
  const support = provider?.findSupport;
  const hasTags = find.tags !== undefined && Object.keys(find.tags).length > 0;
  if (find.path === undefined && find.nameRegexp === undefined && !hasTags) {
    out.push(`${where} has no criteria: set path, nameRegexp or tags (an empty find reads every secret the store can see).`);
  }
  if (find.path !== undefined && provider && support && !support.path) {
    out.push(`${where}.path is not supported by ${provider.displayName}: use nameRegexp or tags.`);
  } else if (find.path !== undefined && provider && support && !support.pathAlone && find.nameRegexp === undefined && !hasTags) {
    out.push(
      `${where} has only a path (${quoteValue(find.path)}): ${provider.displayName} also needs nameRegexp or tags (ESO refuses a bare path); add nameRegexp: ".*" to read everything under the path.`,
    );
  }
  if (typeof find.path === 'string' && find.path.startsWith('!') && provider && support?.pathNegation) {
    out.push(
      `${where}.path ${quoteValue(find.path)} starts with "!", which ${provider.displayName} reads as a negation (ESO passes the path to its name filter as is): ESO would fetch every secret whose name does NOT start with ${quoteValue(find.path.slice(1))}, and the access analysis cannot bound that. Use a path the wanted names start with (a name prefix), or nameRegexp.`,
    );
  }
  if (find.nameRegexp !== undefined) {
    const problem = re2Problem(find.nameRegexp);
    if (problem !== undefined)
      out.push(
        `${where}.nameRegexp ${quote(find.nameRegexp)} is not a regular expression (ESO compiles it with Go's RE2 syntax): fix its brackets and escapes, or escape special characters with \\ to match them literally (e.g. "^prod/db\\."); RE2 says: ${problem} (https://github.com/google/re2/wiki/Syntax).`,
      );
  }
  return out;
}

/** Problems of a target Secret's settings; shared by every target. */
export function checkSecretTarget(t: SecretTarget): string[] {
  const out: string[] = [];
  if (t.name !== undefined) {
    const n = checkDnsSubdomain(t.name, 'target Secret name');
    if (n) out.push(`target.name: ${n}`);
  }
  const policies = checkPolicyCombination(t.creationPolicy, t.deletionPolicy);
  if (policies) out.push(policies);
  if (t.template?.metadata?.labels) out.push(...checkLabels({ ...t.template.metadata.labels }, 'target.template.metadata.labels'));
  for (const k of Object.keys(t.template?.data ?? {})) {
    const m = checkSecretKey(k);
    if (m) out.push(`target.template.data: ${m}`);
  }
  return out;
}

/**
 * Problems of a refresh interval (Go duration); shared by every target. The refresh policy is one
 * of {@link REFRESH_POLICIES} by the props schema.
 */
export function checkRefresh(refreshInterval: string | undefined): string[] {
  if (refreshInterval === undefined) return [];
  const d = checkGoDuration(refreshInterval);
  return d ? [`refreshInterval: ${d}`] : [];
}
