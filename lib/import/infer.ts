/**
 * What the YAML does not say but a topology needs, inferred or made up (and listed):
 *
 * 1. planes of groups whose ControlPlanes are not in the input, made up so that every selector
 *    reaches one (not emitted: the group gets `manageControlPlanes: false`);
 * 2. environments, from the environment label of the planes and from selectors that are exactly
 *    one environment's labels;
 * 3. selections (`Planes.inEnvironments`, `named`, `matching`), a secret's left out when it is its
 *    store's;
 * 4. the namespaces inside each plane: those the selectors name, and made-up ones with labels that
 *    the label selectors match;
 * 5. each environment's refresh interval, the one most of its secrets use (they leave theirs out,
 *    as synth gives them their environment's);
 * 6. each Space's and cluster's cloud, and placeholders for what workload identity needs (the
 *    identity itself, control plane IDs, GCP project numbers).
 */
import { type Cloud, type LabelSelector, type SpacesSelector } from '../index.js';
import { DEFAULT_MAX_REFRESH, DEFAULT_MIN_REFRESH } from '../analysis/guardrails.js';
import { matchesSpacesSelector, normalizeSelector } from '../model/selectors.js';
import { checkDnsLabel, parseGoDuration } from '../model/validation.js';
import { displayQuoted } from './escape.js';
import type { ItemList } from './items.js';
import type { Reconstruction } from './reconstruct.js';
import {
  MISSING_SELECTOR_LABEL,
  type EnvironmentSpec,
  type GroupSpec,
  type IdentityPlaceholder,
  type Labels,
  type PlaneSpec,
  type ProviderSpec,
  type SecretSpec,
  type Selection,
  type SpaceSpec,
  type StoreSpec,
} from './topology.js';
import { NAME_LABEL, copyLabels, nameFromLabels, satisfyAll, setLabel } from './witness.js';

/** The selector that stands in for a missing one: a label no real plane or namespace carries. */
const MISSING: SpacesSelector = { labelSelectors: [{ matchLabels: MISSING_SELECTOR_LABEL }] };

/** Completes the topology of `rec` in place (see the module comment). */
export function infer(rec: Reconstruction, items: ItemList): void {
  const groups = rec.topology.spaces.flatMap((s) => s.groups);
  const selectors = (o: StoreSpec | SecretSpec): { planes: SpacesSelector; namespaces: SpacesSelector } => {
    const raw = rec.raw.get(o) ?? {};
    const store = 'store' in o ? rec.raw.get(o.store) : undefined;
    return { planes: raw.planes ?? (store ? (store.planes ?? MISSING) : MISSING), namespaces: raw.namespaces ?? MISSING };
  };
  for (const g of groups) if (!g.manageControlPlanes) inventPlanes(g, selectors, items);
  for (const g of groups) if (g.manageControlPlanes) namedPlanes(g, selectors, items);
  const envs = inferEnvironments(rec, groups);
  for (const g of groups) assignSelections(g, rec, envs, items);
  for (const g of groups) inferNamespaces(g, selectors, items);
  inferRefreshIntervals(groups, envs, selectors);
  // Placeholders are unique over the whole topology: two Spaces must not share a made-up principal.
  const placeholders = new Placeholders();
  for (const space of rec.topology.spaces) placeholdersOfSpace(space, rec.options.cloud, selectors, placeholders, items);
  for (const c of rec.topology.clusters) {
    const stores = c.stores.map((s) => s.provider);
    c.cloud = cloudOf(stores, rec.options.cloud, `cluster ${c.name}`, items);
    if (stores.some((p) => !p.credentials)) {
      c.identity = placeholders.identity(c.cloud, stores);
      items.review(`EsoCluster ${c.name}`, undefined, PLACEHOLDER_IDENTITY);
    }
    identityPlaceholders(stores, `EsoCluster ${c.name}`, placeholders, items);
  }
}

const PLACEHOLDER_IDENTITY =
  'stores without credentials use the workload identity, which the YAML does not describe: a placeholder identity with values nobody has is declared; replace them before using the generated Helm values and IAM';

// ---------------------------------------------------------------------------------------------
// 1. Planes

type SelectorsOf = (o: StoreSpec | SecretSpec) => { planes: SpacesSelector; namespaces: SpacesSelector };

function matches(sel: SpacesSelector, name: string, labels: Readonly<Labels>): boolean {
  return matchesSpacesSelector(sel, name, labels);
}

function inventPlanes(group: GroupSpec, selectorsOf: SelectorsOf, items: ItemList): void {
  const planes = group.planes;
  const taken = new Set<string>();
  for (const o of [...group.stores, ...group.secrets]) for (const n of selectorsOf(o).planes.names ?? []) taken.add(n);
  const reached = (sel: SpacesSelector): PlaneSpec[] => planes.filter((p) => matches(sel, p.name, p.labels));
  const plane = (name: string, labels: Labels): PlaneSpec => {
    let p = planes.find((x) => x.name === name);
    if (!p) {
      p = { name, labels, namespaces: new Map(), invented: true };
      planes.push(p);
    }
    return p;
  };
  const witness = (sels: readonly SpacesSelector[]): void => {
    const nameLists = sels.filter((s) => (s.names ?? []).length > 0).map((s) => s.names ?? []);
    const name = nameLists.length > 0 ? nameLists[0]?.find((n) => nameLists.every((l) => l.includes(n))) : undefined;
    if (nameLists.length > 0 && name === undefined) return;
    const existing = name !== undefined ? planes.find((p) => p.name === name) : undefined;
    const labels = satisfyAll(sels, existing?.labels ?? {});
    if (!labels) return;
    if (existing) existing.labels = labels;
    else plane(name ?? nameFromLabels(labels, 'plane', taken), labels);
  };
  for (const s of group.stores) {
    const sel = selectorsOf(s).planes;
    if (reached(sel).length > 0) continue;
    if (sel.names) for (const n of sel.names) plane(n, {});
    else witness([sel]);
  }
  for (let round = 0; round < 3; round++) {
    for (const x of group.secrets) {
      const own = selectorsOf(x).planes;
      const store = selectorsOf(x.store).planes;
      const mine = reached(own);
      if (!mine.some((p) => matches(store, p.name, p.labels))) witness([own, store]);
      // A made-up plane the secret reaches must be one its store reaches too.
      for (const p of reached(own)) {
        if (!p.invented || matches(store, p.name, p.labels)) continue;
        const fit = satisfyAll([store], p.labels);
        if (fit) p.labels = fit;
      }
    }
  }
  for (const p of planes.filter((x) => x.invented))
    items.note(
      `ControlPlane ${group.name}/${p.name}`,
      undefined,
      'not in the input: declared so that the selectors reach a plane (synth checks that they do); not emitted (the group has manageControlPlanes: false)',
    );
}

/**
 * Planes a selector names that the input does not declare, in a group whose ControlPlanes it has:
 * declared (Planes.named takes planes, not names), so synth writes their ControlPlanes too.
 */
function namedPlanes(group: GroupSpec, selectorsOf: SelectorsOf, items: ItemList): void {
  for (const o of [...group.stores, ...group.secrets]) {
    for (const n of selectorsOf(o).planes.names ?? []) {
      if (group.planes.some((p) => p.name === n)) continue;
      group.planes.push({ name: n, labels: {}, namespaces: new Map(), invented: true });
      items.review(
        `ControlPlane ${group.name}/${n}`,
        undefined,
        `not in the input, but ${o.object} selects it by name: declared, so synth also writes its ControlPlane; remove the name from the selector or add the plane's labels and environment`,
        o.source,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Environments

const PRODUCTION = /^(prod|production|prd)(-|$)/;

function inferEnvironments(rec: Reconstruction, groups: readonly GroupSpec[]): Map<string, EnvironmentSpec> {
  const key = rec.options.environmentLabel;
  const names = new Set<string>();
  const valid = (v: string | undefined): v is string => v !== undefined && checkDnsLabel(v, 'environment') === undefined;
  for (const g of groups) {
    for (const p of g.planes) if (valid(p.labels[key])) names.add(p.labels[key]);
    for (const o of [...g.stores, ...g.secrets]) {
      for (const l of rec.raw.get(o)?.planes?.labelSelectors ?? []) {
        const v = environmentOf(l, key);
        if (valid(v)) names.add(v);
      }
    }
  }
  const envs = new Map<string, EnvironmentSpec>();
  for (const name of [...names].sort()) {
    const labels: Labels = {};
    setLabel(labels, key, name);
    const env: EnvironmentSpec = { name, labels, production: PRODUCTION.test(name) };
    envs.set(name, env);
    rec.topology.environments.push(env);
  }
  for (const g of groups) {
    for (const p of g.planes) {
      const env = envs.get(p.labels[key] ?? '');
      if (!env) continue;
      p.environment = env;
      const own = copyLabels(p.labels);
      Reflect.deleteProperty(own, key);
      p.labels = own;
    }
  }
  return envs;
}

/** The environment a label selector is exactly, `{ matchLabels: { <key>: <env> } }`, if any. */
function environmentOf(l: LabelSelector, key: string): string | undefined {
  const labels = Object.entries(l.matchLabels ?? {});
  if ((l.matchExpressions ?? []).length > 0 || labels.length !== 1 || labels[0]?.[0] !== key) return undefined;
  return labels[0]?.[1];
}

// ---------------------------------------------------------------------------------------------
// 3. Selections

function planeSelection(raw: SpacesSelector | undefined, envs: ReadonlyMap<string, EnvironmentSpec>, key: string): Selection {
  if (!raw) return { kind: 'missing' };
  if (raw.names) return { kind: 'named', names: [...raw.names] };
  const selectors = raw.labelSelectors ?? [];
  const byEnv = selectors.map((l) => envs.get(environmentOf(l, key) ?? ''));
  if (byEnv.every((e): e is EnvironmentSpec => e !== undefined)) return { kind: 'environments', environments: [...new Set(byEnv)] };
  return { kind: 'matching', selectors };
}

function namespaceSelection(raw: SpacesSelector | undefined): Selection {
  if (!raw) return { kind: 'missing' };
  if (raw.names) return { kind: 'named', names: [...raw.names] };
  return { kind: 'matching', selectors: raw.labelSelectors ?? [] };
}

function sameSelector(a: SpacesSelector | undefined, b: SpacesSelector | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(normalizeSelector(a)) === JSON.stringify(normalizeSelector(b));
}

function assignSelections(group: GroupSpec, rec: Reconstruction, envs: ReadonlyMap<string, EnvironmentSpec>, items: ItemList): void {
  const key = rec.options.environmentLabel;
  const missing = (o: StoreSpec | SecretSpec, field: string): void =>
    items.review(
      o.object,
      field,
      `absent or empty (the Spaces API requires names or labelSelectors): the import declares a selector of the label ${Object.keys(MISSING_SELECTOR_LABEL)[0]}, which nothing carries, so nothing is distributed until you write one`,
      o.source,
    );
  for (const s of group.stores) {
    const raw = rec.raw.get(s) ?? {};
    s.planes = planeSelection(raw.planes, envs, key);
    s.namespaces = namespaceSelection(raw.namespaces);
    if (!raw.planes) missing(s, 'spec.controlPlaneSelector');
    if (!raw.namespaces) missing(s, 'spec.namespaceSelector');
  }
  for (const x of group.secrets) {
    const raw = rec.raw.get(x) ?? {};
    const store = rec.raw.get(x.store) ?? {};
    if (!raw.planes) missing(x, 'spec.controlPlaneSelector');
    if (!raw.namespaces) missing(x, 'spec.namespaceSelector');
    x.planes = sameSelector(raw.planes, store.planes) ? undefined : planeSelection(raw.planes, envs, key);
    x.namespaces = sameSelector(raw.namespaces, store.namespaces) ? undefined : namespaceSelection(raw.namespaces);
  }
  for (const p of group.planes)
    if (!p.environment && !p.invented && p.labels[key] !== undefined) {
      items.note(
        `ControlPlane ${group.name}/${p.name}`,
        `metadata.labels.${key}`,
        `${displayQuoted(p.labels[key] ?? '')} is not a valid environment name: the plane has no environment, the label is kept`,
      );
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Namespaces inside planes

function inferNamespaces(group: GroupSpec, selectorsOf: SelectorsOf, items: ItemList): void {
  const made = new Set<string>();
  const labelsOf = (p: PlaneSpec): Labels => ({ ...(p.environment?.labels ?? {}), ...p.labels });
  const nsMatches = (sel: SpacesSelector, name: string, labels: Labels): boolean => {
    const all = copyLabels(labels);
    setLabel(all, NAME_LABEL, name);
    return matches(sel, name, all);
  };
  /** Makes `sel` reach a namespace of `p` that `within` (the store's namespaces) also allows. */
  const ensure = (p: PlaneSpec, sel: SpacesSelector, within?: SpacesSelector): void => {
    const ok = (n: string, l: Labels): boolean => nsMatches(sel, n, l) && (!within || nsMatches(within, n, l));
    if (sel.names) {
      for (const n of sel.names) {
        const labels = p.namespaces.get(n) ?? {};
        if (!p.namespaces.has(n)) p.namespaces.set(n, labels);
        if (within && !nsMatches(within, n, labels) && !within.names) {
          const fit = satisfyAll([within], { ...labels, [NAME_LABEL]: n });
          if (fit && fit[NAME_LABEL] === n) p.namespaces.set(n, withoutName(fit));
        }
      }
      return;
    }
    if ([...p.namespaces].some(([n, l]) => ok(n, l))) return;
    const constraints = within && !within.names ? [sel, within] : [sel];
    for (const n of within?.names ?? [undefined]) {
      const base: Labels = n === undefined ? {} : { ...(p.namespaces.get(n) ?? {}), [NAME_LABEL]: n };
      const fit = satisfyAll(constraints, base);
      if (!fit) continue;
      const name = fit[NAME_LABEL] ?? nameFromLabels(fit, 'namespace', new Set(p.namespaces.keys()));
      if (checkDnsLabel(name, 'namespace') !== undefined) continue;
      if (!p.namespaces.has(name)) made.add(`${p.name}/${name}`);
      p.namespaces.set(name, withoutName(fit));
      return;
    }
  };
  for (const s of group.stores) {
    const { planes, namespaces } = selectorsOf(s);
    for (const p of group.planes) if (matches(planes, p.name, labelsOf(p))) ensure(p, namespaces);
  }
  for (const x of group.secrets) {
    const { planes, namespaces } = selectorsOf(x);
    const store = selectorsOf(x.store);
    for (const p of group.planes) if (matches(planes, p.name, labelsOf(p))) ensure(p, namespaces, store.namespaces);
  }
  if (made.size > 0)
    items.note(
      `group ${group.name}`,
      undefined,
      `namespaces inside control planes are not in Shared* YAML: the planes declare the namespaces the selectors name, and made-up ones the label selectors match (${[...made].sort().slice(0, 5).join(', ')}${made.size > 5 ? ', ...' : ''}); they only serve synth's checks and report`,
    );
}

function withoutName(labels: Labels): Labels {
  const out = copyLabels(labels);
  Reflect.deleteProperty(out, NAME_LABEL);
  return out;
}

// ---------------------------------------------------------------------------------------------
// 5. Refresh intervals

/** ESO's refresh interval when a secret has none. */
const ESO_DEFAULT_REFRESH = '1h';

function inferRefreshIntervals(groups: readonly GroupSpec[], envs: ReadonlyMap<string, EnvironmentSpec>, selectorsOf: SelectorsOf): void {
  const ms = (d: string): number => parseGoDuration(d) ?? Number.NaN;
  const reach = new Map<SecretSpec, EnvironmentSpec[] | undefined>();
  for (const g of groups)
    for (const x of g.secrets) {
      const planes = g.planes.filter((p) => matches(selectorsOf(x).planes, p.name, { ...(p.environment?.labels ?? {}), ...p.labels }));
      // A plane without environment gets no environment default: the secret keeps its own interval.
      reach.set(x, planes.every((p) => p.environment) ? [...new Set(planes.map((p) => p.environment as EnvironmentSpec))] : undefined);
    }
  for (const env of envs.values()) {
    // Only an interval within the guardrail's default bounds becomes an environment's default: a
    // secret read once (0s) keeps its own, it does not make its whole environment read once.
    const counts = new Map<string, number>();
    for (const [x, e] of reach) {
      const value = x.refreshInterval ?? ESO_DEFAULT_REFRESH;
      const d = ms(value);
      if (e?.length === 1 && e[0] === env && d >= ms(DEFAULT_MIN_REFRESH) && d <= ms(DEFAULT_MAX_REFRESH))
        counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    // The most used; on a tie ESO's default (no environment interval), then the shorter.
    const isDefault = (v: string): number => (ms(v) === ms(ESO_DEFAULT_REFRESH) ? 0 : 1);
    const best = [...counts].sort(([a, n], [b, m]) => m - n || isDefault(a) - isDefault(b) || ms(a) - ms(b) || (a < b ? -1 : 1))[0]?.[0];
    if (best !== undefined && ms(best) !== ms(ESO_DEFAULT_REFRESH)) env.refreshInterval = best;
  }
  for (const [x, e] of reach) {
    const value = x.refreshInterval ?? ESO_DEFAULT_REFRESH;
    // What synth gives a secret without its own: the shortest of its planes' environments' intervals.
    const effective =
      e && e.length > 0 ? Math.min(...e.map((env) => ms(env.refreshInterval ?? ESO_DEFAULT_REFRESH))) : ms(ESO_DEFAULT_REFRESH);
    x.refreshInterval = e !== undefined && effective === ms(value) ? undefined : value;
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Clouds and placeholders

const CLOUDS: readonly Cloud[] = ['aws', 'azure', 'gcp'];

/** The nil UUID, in placeholder IDs. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** The cloud of a Space or cluster: the option, else its workload-identity stores', else its stores' (most), else AWS. */
function cloudOf(providers: readonly ProviderSpec[], option: Cloud | undefined, what: string, items: ItemList): Cloud {
  if (option) return option;
  const identity = [...new Set(providers.filter((p) => !p.credentials).map((p) => p.cloud))];
  if (identity.length === 1) return identity[0];
  const count = (c: Cloud): number => providers.filter((p) => p.cloud === c).length;
  const best = [...CLOUDS].sort((a, b) => count(b) - count(a))[0];
  if (count(best) === 0) {
    items.note(what, undefined, 'its cloud is not in the YAML and no store says it: aws is assumed (--cloud)');
    return 'aws';
  }
  return best;
}

/** Hands out placeholder values, each unique in the topology. */
class Placeholders {
  private ids = 0;
  private identities = 0;
  private readonly projectNumbers = new Map<string, string>();

  /** A control plane ID nobody has: `00000000-0000-0000-0000-<n>`. */
  public controlPlaneId(): string {
    return `00000000-0000-0000-0000-${String(++this.ids).padStart(12, '0')}`;
  }

  /** A placeholder identity of a cloud; on Azure in the tenant its stores name (a managed identity works in its own tenant only). */
  public identity(cloud: Cloud, providers: readonly ProviderSpec[]): IdentityPlaceholder {
    const index = ++this.identities;
    const tenants = [...new Set(providers.filter((p) => !p.credentials && p.cloud === 'azure').map((p) => p.props.tenantId))];
    const tenantId = tenants.length === 1 && typeof tenants[0] === 'string' ? tenants[0] : undefined;
    if (cloud === 'azure' && tenantId !== undefined) return { cloud, index, tenantId };
    // IRSA when the AWS stores on the identity carry the documented service-account reference.
    const aws = providers.filter((p) => !p.credentials && p.cloud === 'aws');
    if (cloud === 'aws' && aws.length > 0 && aws.every((p) => p.storeAuth === 'service-account-ref' || p.storeServiceAccount !== undefined))
      return { cloud, index, irsa: true };
    return { cloud, index };
  }

  /** A project number nobody has, one per GCP project. */
  public projectNumber(projectId: string): string {
    let n = this.projectNumbers.get(projectId);
    if (!n) {
      n = `9999${String(this.projectNumbers.size + 1).padStart(8, '0')}`;
      this.projectNumbers.set(projectId, n);
    }
    return n;
  }
}

function placeholdersOfSpace(
  space: SpaceSpec,
  option: Cloud | undefined,
  selectorsOf: SelectorsOf,
  placeholders: Placeholders,
  items: ItemList,
): void {
  const stores = space.groups.flatMap((g) => g.stores);
  space.cloud = cloudOf(
    stores.map((s) => s.provider),
    option,
    `Space ${space.name}`,
    items,
  );
  const identityStores = stores.filter((s) => !s.provider.credentials);
  if (identityStores.length === 0 || space.hosting === 'cloud') return;
  space.identity = placeholders.identity(
    space.cloud,
    identityStores.map((s) => s.provider),
  );
  items.review(`Space ${space.name}`, undefined, PLACEHOLDER_IDENTITY);
  const planes: string[] = [];
  for (const g of space.groups) {
    for (const p of g.planes) {
      if (p.hostNamespace || p.controlPlaneId) continue;
      const labels = { ...(p.environment?.labels ?? {}), ...p.labels };
      if (!identityStores.some((s) => g.stores.includes(s) && matches(selectorsOf(s).planes, p.name, labels))) continue;
      p.controlPlaneId = placeholders.controlPlaneId();
      p.idPlaceholder = true;
      planes.push(`${g.name}/${p.name}`);
    }
  }
  if (planes.length > 0)
    items.review(
      `Space ${space.name}`,
      undefined,
      `control planes served by workload identity need their controlPlaneId (status.controlPlaneID), which the YAML does not have: placeholders are declared for ${planes.slice(0, 5).join(', ')}${planes.length > 5 ? `, ... (${planes.length})` : ''}; set the real IDs (kubectl get controlplane <name> -n <group> -o jsonpath='{.status.controlPlaneID}')`,
    );
  identityPlaceholders(
    stores.map((s) => s.provider),
    `Space ${space.name}`,
    placeholders,
    items,
  );
}

/**
 * What a store on workload identity needs beyond the YAML: GCP the project number (IAM conditions
 * name it), Azure the vault's resource ID (the scope of role assignments). Placeholders, listed.
 */
function identityPlaceholders(providers: readonly ProviderSpec[], what: string, placeholders: Placeholders, items: ItemList): void {
  const vaults: string[] = [];
  for (const p of providers) {
    if (p.type !== 'AzureKeyVault' || p.credentials || p.props.resourceId !== undefined) continue;
    const vault = /^https:\/\/([a-zA-Z0-9-]{3,24})\./.exec(String(p.props.vaultUrl ?? ''))?.[1] ?? 'replace-me';
    p.props.resourceId = `/subscriptions/${NIL_UUID}/resourceGroups/replace-me/providers/Microsoft.KeyVault/vaults/${vault}`;
    p.placeholders.push('resourceId');
    vaults.push(vault);
  }
  if (vaults.length > 0)
    items.review(
      what,
      undefined,
      `Azure stores on workload identity need their vault's resource ID (the scope of the role assignments), which the YAML does not have: placeholders are declared for ${vaults.map((v) => displayQuoted(v)).join(', ')}; set the real IDs (az keyvault show --name <vault> --query id --output tsv)`,
    );
  const projects = new Set<string>();
  for (const p of providers) {
    if (p.type !== 'GcpSecretManager' || p.credentials || p.props.projectNumber !== undefined) continue;
    const project = String(p.props.projectId ?? '');
    p.props.projectNumber = placeholders.projectNumber(project);
    p.placeholders.push('projectNumber');
    projects.add(project);
  }
  if (projects.size > 0)
    items.review(
      what,
      undefined,
      `GCP stores on workload identity need their project's number, which the YAML does not have: placeholders are declared for ${[...projects].map((k) => displayQuoted(k)).join(', ')}; set the real numbers (gcloud projects describe <project> --format='value(projectNumber)')`,
    );
}
