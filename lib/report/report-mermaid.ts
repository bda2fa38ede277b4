/**
 * The Mermaid diagrams of `REPORT.md`, readable at any size:
 * - one diagram of the whole topology by environment: what each environment's secrets are
 *   delivered to, and which environments' planes can read them across environments, one edge per
 *   environment pair with its count (so opting out of the cross-environment guardrail adds at most
 *   one edge per pair, never one per plane and secret);
 * - one diagram per Space: its stores, secrets and planes with the deliveries while they are few
 *   ({@link MERMAID_MAX_NODES}, {@link MERMAID_MAX_EDGES}); beyond, its planes drawn per group and
 *   environment and the deliveries per store; beyond that, the first nodes, with a note of what
 *   was left out. Planes that can read across environments are marked, not joined by more edges.
 */
import { mermaidLabel } from '../output/escape/markdown.js';
import { NO_ENVIRONMENT, type AccessEntry } from '../analysis/access.js';
import type { ReportData } from './report.js';
import { cmp } from '../private/order.js';

/** Most nodes drawn in the diagram of one Space. */
export const MERMAID_MAX_NODES = 60;
/** Most edges drawn in the diagram of one Space. */
export const MERMAID_MAX_EDGES = 120;

function count(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** Short node ids, one per key. */
function nodeIds(): (kind: string, key: string) => string {
  const ids = new Map<string, string>();
  return (kind, key) => {
    const k = `${kind}\u0000${key}`;
    let v = ids.get(k);
    if (!v) {
      v = `${kind}${ids.size}`;
      ids.set(k, v);
    }
    return v;
  };
}

function block(lines: readonly string[]): string[] {
  return ['```mermaid', 'flowchart LR', ...lines, '```'];
}

const CROSS_STYLE = '  classDef cross stroke:#d33,stroke-width:3px';

/**
 * The diagram by environment: per environment a node for the remote secrets that belong to it and
 * one for its planes; a solid edge per environment with the delivered pairs, a dotted edge per
 * (secret environment, plane environment) pair with the pairs readable across environments.
 */
export function environmentDiagram(data: ReportData, access: readonly AccessEntry[]): string[] {
  const id = nodeIds();
  const remotes = new Map<string, Set<string>>();
  const delivered = new Map<string, number>();
  const cross = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (const e of access) {
    for (const env of e.secretEnvironments) {
      const set = remotes.get(env) ?? new Set<string>();
      set.add(`${e.secret}\u0000${e.remote.ref}`);
      remotes.set(env, set);
    }
    if (e.delivered.length > 0) bump(delivered, e.environment);
    if (e.crossEnvironment) for (const env of e.secretEnvironments) bump(cross, `${env}\u0000${e.environment}`);
  }
  const envs = [...new Set([...data.environments.map((e) => e.name), ...remotes.keys()])].sort(cmp);
  const planes = new Map(data.environments.map((e) => [e.name, e.planes.length]));
  const lines: string[] = [];
  for (const env of envs) {
    const name = env === NO_ENVIRONMENT ? 'no environment' : env;
    lines.push(`  ${id('s', env)}[("secrets of ${mermaidLabel(name)}<br/>${count(remotes.get(env)?.size ?? 0, 'remote secret')}")]`);
    lines.push(`  ${id('p', env)}{{"planes of ${mermaidLabel(name)}<br/>${count(planes.get(env) ?? 0, 'plane')}"}}`);
  }
  for (const env of envs) {
    const n = delivered.get(env);
    if (n) lines.push(`  ${id('s', env)} -->|${count(n, 'delivery', 'deliveries')}| ${id('p', env)}`);
  }
  const crossPlanes = new Set<string>();
  for (const [k, n] of [...cross].sort(([a], [b]) => cmp(a, b))) {
    const [from, to] = k.split('\u0000') as [string, string];
    crossPlanes.add(to);
    lines.push(`  ${id('s', from)} -.->|⚠ ${count(n, 'pair')} readable across environments| ${id('p', to)}`);
  }
  if (crossPlanes.size > 0)
    lines.push(
      CROSS_STYLE,
      `  class ${[...crossPlanes]
        .sort(cmp)
        .map((e) => id('p', e))
        .join(',')} cross`,
    );
  return block(lines);
}

/** The diagram of one Space, at the most detailed level that fits, with a note of what it leaves out. */
export function spaceDiagram(data: ReportData, crossPlanes: ReadonlySet<string>, space: string): string[] {
  const stores = data.stores.filter((s) => s.space === space);
  const secrets = data.secrets.filter((s) => s.space === space);
  const planes = data.planes.filter((p) => p.space === space);
  const groups = [...new Set([...stores.map((s) => s.group), ...secrets.map((s) => s.group), ...planes.map((p) => p.group)])].sort(cmp);
  const storeOf = new Map(secrets.map((s) => [s.path, s.store]));

  // Level 1: every store, secret and plane, an edge per delivery.
  const deliveries = planes.flatMap((p) =>
    p.secretsByNamespaces
      .filter((g) => g.namespaces.length > 0)
      .flatMap((g) => g.paths.map((secret) => ({ plane: p, secret, namespaces: g.namespaces }))),
  );
  const nodes = stores.length + secrets.length + planes.length;
  if (nodes <= MERMAID_MAX_NODES && secrets.length + deliveries.length <= MERMAID_MAX_EDGES) {
    const id = nodeIds();
    const lines: string[] = [];
    for (const g of groups) {
      lines.push(`  subgraph ${id('g', g)}["group ${mermaidLabel(g)}"]`);
      for (const s of stores.filter((x) => x.group === g))
        lines.push(`    ${id('st', s.path)}[("store ${mermaidLabel(s.name)}<br/>${mermaidLabel(s.backend)}")]`);
      for (const s of secrets.filter((x) => x.group === g)) lines.push(`    ${id('se', s.path)}["secret ${mermaidLabel(s.name)}"]`);
      for (const p of planes.filter((x) => x.group === g)) {
        const mark = crossPlanes.has(p.key) ? ' ⚠ reads across environments' : '';
        lines.push(`    ${id('pl', p.key)}{{"${mermaidLabel(p.plane)} (${mermaidLabel(p.environment ?? 'no environment')})${mark}"}}`);
      }
      lines.push('  end');
    }
    for (const s of secrets) lines.push(`  ${id('st', s.store)} --> ${id('se', s.path)}`);
    for (const d of deliveries)
      lines.push(`  ${id('se', d.secret)} -->|${mermaidLabel(d.namespaces.join(', '))}| ${id('pl', d.plane.key)}`);
    const marked = planes.filter((p) => crossPlanes.has(p.key)).map((p) => id('pl', p.key));
    if (marked.length > 0) lines.push(CROSS_STYLE, `  class ${marked.join(',')} cross`);
    return block(lines);
  }

  // Level 2: stores, and the planes of each group and environment; an edge per store and planes node.
  const id = nodeIds();
  const planeSets = new Map<string, { group: string; env: string; planes: string[]; cross: number }>();
  const edges = new Map<string, { store: string; set: string; secrets: Set<string> }>();
  for (const p of planes) {
    const env = p.environment ?? NO_ENVIRONMENT;
    const key = `${p.group}\u0000${env}`;
    const set = planeSets.get(key) ?? { group: p.group, env, planes: [], cross: 0 };
    set.planes.push(p.key);
    if (crossPlanes.has(p.key)) set.cross++;
    planeSets.set(key, set);
    for (const g of p.secretsByNamespaces) {
      if (g.namespaces.length === 0) continue;
      for (const secret of g.paths) {
        const store = storeOf.get(secret) ?? '';
        const e = edges.get(`${store}\u0000${key}`) ?? { store, set: key, secrets: new Set<string>() };
        e.secrets.add(secret);
        edges.set(`${store}\u0000${key}`, e);
      }
    }
  }
  let drawnGroups = 0;
  const drawnStores = new Set<string>();
  const drawnSets = new Set<string>();
  const lines: string[] = [];
  let budget = MERMAID_MAX_NODES;
  for (const g of groups) {
    const gs = stores.filter((x) => x.group === g);
    const sets = [...planeSets.entries()].filter(([, s]) => s.group === g).sort(([a], [b]) => cmp(a, b));
    if (gs.length + sets.length > budget) break;
    budget -= gs.length + sets.length;
    drawnGroups++;
    for (const s of gs) drawnStores.add(s.path);
    for (const [key] of sets) drawnSets.add(key);
    lines.push(`  subgraph ${id('g', g)}["group ${mermaidLabel(g)}"]`);
    for (const s of gs) lines.push(`    ${id('st', s.path)}[("store ${mermaidLabel(s.name)}<br/>${mermaidLabel(s.backend)}")]`);
    for (const [key, s] of sets) {
      const env = s.env === NO_ENVIRONMENT ? 'no environment' : s.env;
      const mark = s.cross > 0 ? `<br/>⚠ ${s.cross} read across environments` : '';
      lines.push(`    ${id('ps', key)}{{"${count(s.planes.length, 'plane')} of ${mermaidLabel(env)}${mark}"}}`);
    }
    lines.push('  end');
  }
  const drawnEdges = [...edges.values()]
    .filter((e) => drawnStores.has(e.store) && drawnSets.has(e.set))
    .sort((a, b) => cmp(a.store, b.store) || cmp(a.set, b.set));
  const shownEdges = drawnEdges.slice(0, MERMAID_MAX_EDGES);
  for (const e of shownEdges) lines.push(`  ${id('st', e.store)} -->|${count(e.secrets.size, 'secret')}| ${id('ps', e.set)}`);
  const marked = [...planeSets.entries()].filter(([k, s]) => s.cross > 0 && drawnSets.has(k));
  if (marked.length > 0) lines.push(CROSS_STYLE, `  class ${marked.map(([k]) => id('ps', k)).join(',')} cross`);

  const left: string[] = [];
  if (drawnGroups < groups.length) left.push(count(groups.length - drawnGroups, 'group'));
  if (drawnStores.size < stores.length) left.push(count(stores.length - drawnStores.size, 'store'));
  if (drawnSets.size < planeSets.size)
    left.push(`the planes of ${count(planeSets.size - drawnSets.size, 'group and environment', 'groups and environments')}`);
  if (shownEdges.length < edges.size) left.push(count(edges.size - shownEdges.length, 'edge'));
  const note = [
    `_Space \`${space}\` has ${count(stores.length, 'store')}, ${count(secrets.length, 'secret')}, ${count(planes.length, 'plane')} and ${count(deliveries.length, 'delivery', 'deliveries')} (more than ${MERMAID_MAX_NODES} nodes or ${MERMAID_MAX_EDGES} edges): its planes are drawn per group and environment, and each edge counts the secrets a store delivers to them.${left.length > 0 ? ` Left out: ${left.join(', ')}; every pair is in report.json.` : ''}_`,
    '',
  ];
  return [...note, ...block(lines)];
}
