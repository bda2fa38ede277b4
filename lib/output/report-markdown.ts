/**
 * `REPORT.md`: the review report for a person reading a pull request. Rendered from the same
 * {@link ReportData} as `report.json`, so both always agree.
 */
import { ANY_NAMESPACE, principalKindWord, type AccessEntry, type AccessPath, type PrincipalAccess } from '../analysis/access.js';
import { flattenAccess, type ReportData, type ReportFinding } from './report.js';

/** Largest number of edges drawn in one Mermaid diagram; larger Spaces get a note instead. */
export const MERMAID_MAX_EDGES = 400;

/**
 * Largest number of plane × remote secret rows in the access tables. Above it, each environment
 * shows per-plane counts and only its cross-environment pairs (every pair stays in report.json).
 */
export const MARKDOWN_MAX_ACCESS_ROWS = 2000;

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Escapes text for a Markdown table cell (pipes, newlines). */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** How a list of namespaces is shown: `any namespace`, `team-a, team-b`, or `—`. */
export function namespaceText(ns: readonly string[]): string {
  if (ns.length === 0) return '—';
  if (ns.includes(ANY_NAMESPACE)) return 'any namespace';
  return ns.join(', ');
}

/** The text of one access path in a table (the grants are in the identities section). */
export function pathText(p: AccessPath): string {
  const from = p.namespaces.includes(ANY_NAMESPACE) ? '' : ` (from ${p.namespaces.join(', ')})`;
  return `${p.description}${from}`;
}

/** Readable namespaces of an entry: the union over its paths. */
function readableNamespaces(e: AccessEntry): string[] {
  if (e.paths.some((p) => p.namespaces.includes(ANY_NAMESPACE))) return [ANY_NAMESPACE];
  return [...new Set(e.paths.flatMap((p) => p.namespaces))].sort();
}

/**
 * One row of the access table, with the cells: plane, secret, remote secret, delivered to,
 * readable from, through. The first three cells identify the pair.
 */
export function accessRow(e: AccessEntry): string[] {
  const flag = e.crossEnvironment ? ` ⚠ cross-environment (secret of ${e.secretEnvironments.join(', ') || 'no environment'})` : '';
  return [
    cell(e.plane),
    cell(e.secretName),
    code(cell(e.remote.ref)),
    cell(namespaceText(e.delivered)),
    cell(e.readable ? `${namespaceText(readableNamespaces(e))}${flag}` : 'no: ESO cannot read it'),
    cell(e.paths.map(pathText).join('; ') || '—'),
  ];
}

function findingLine(f: ReportFinding): string {
  return `- **${f.rule}** at ${code(f.path || '(app)')}: ${f.message}`;
}

/** Mermaid-safe label text. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function mermaid(data: ReportData, crossPairs: readonly AccessEntry[], space: string): string[] {
  const ids = new Map<string, string>();
  const id = (kind: string, key: string): string => {
    const k = `${kind}\u0000${key}`;
    let v = ids.get(k);
    if (!v) {
      v = `${kind}${ids.size}`;
      ids.set(k, v);
    }
    return v;
  };
  const lines: string[] = [];
  const edges: string[] = [];
  const stores = data.stores.filter((s) => s.space === space);
  const secrets = data.secrets.filter((s) => s.space === space);
  const planes = data.planes.filter((p) => p.space === space);
  const groups = [...new Set([...stores.map((s) => s.group), ...secrets.map((s) => s.group), ...planes.map((p) => p.group)])].sort();
  for (const g of groups) {
    lines.push(`  subgraph ${id('g', g)}["group ${label(g)}"]`);
    for (const s of stores.filter((x) => x.group === g))
      lines.push(`    ${id('st', s.path)}[("store ${label(s.name)}<br/>${label(s.backend)}")]`);
    for (const s of secrets.filter((x) => x.group === g)) lines.push(`    ${id('se', s.path)}["secret ${label(s.name)}"]`);
    for (const p of planes.filter((x) => x.group === g))
      lines.push(`    ${id('pl', p.key)}{{"${label(p.plane)} (${label(p.environment ?? 'no environment')})"}}`);
    lines.push('  end');
  }
  for (const s of secrets) edges.push(`  ${id('st', s.store)} --> ${id('se', s.path)}`);
  for (const p of planes) {
    for (const x of p.clusterExternalSecrets) {
      if (x.namespaces.length === 0) continue;
      edges.push(`  ${id('se', x.secret)} -->|${label(x.namespaces.join(', '))}| ${id('pl', p.key)}`);
    }
  }
  const cross = new Set<string>();
  for (const e of crossPairs) {
    if (!ids.has(`se\u0000${e.secret}`) || !ids.has(`pl\u0000${e.plane}`)) continue;
    const k = `${e.secret}\u0000${e.plane}`;
    if (cross.has(k)) continue;
    cross.add(k);
    edges.push(`  ${id('se', e.secret)} -.->|cross-environment| ${id('pl', e.plane)}`);
  }
  if (edges.length > MERMAID_MAX_EDGES)
    return [
      `_The diagram of Space ${code(space)} has ${edges.length} edges (more than ${MERMAID_MAX_EDGES}); see the tables and report.json._`,
    ];
  return ['```mermaid', 'flowchart LR', ...lines, ...edges, '```'];
}

function principalSection(p: PrincipalAccess): string[] {
  const out = [`### ${principalKindWord(p.kind)} ${code(p.id)}`, ''];
  if (p.cluster)
    out.push(
      `ESO cluster ${code(p.cluster.cluster)}: its controller ${code(`${p.cluster.namespace}/${p.cluster.serviceAccount}`)} acts as it (no control plane can).`,
      '',
    );
  else
    out.push(
      `Space ${code(p.space ?? '')}${p.environment ? `, dedicated to environment ${code(p.environment)}` : ''}. Planes that can act as it: ${p.planes.map(code).join(', ') || 'none'} (environments: ${p.planeEnvironments.join(', ') || 'none'}).`,
      '',
    );
  if (p.grants.length > 0) {
    out.push(
      ...table(
        ['access', 'resource', 'condition', 'needed by', 'note'],
        p.grants.map((g) => [
          g.access,
          code(cell(g.resource)),
          g.condition ? code(cell(g.condition)) : '—',
          cell(g.neededBy.join(', ') || '—'),
          cell((g as { wider?: string }).wider ?? '—'),
        ]),
      ),
      '',
    );
  } else {
    out.push('No grants published.', '');
  }
  if (p.reads.length > 0) {
    out.push(
      'It can read:',
      '',
      ...table(
        ['remote secret', 'secret', 'environments', 'grant'],
        p.reads.map((r) => [code(cell(r.resource)), cell(r.secret), cell(r.environments.join(', ') || '—'), code(cell(r.grant))]),
      ),
      '',
    );
  } else {
    out.push('It can read none of the remote secrets of the model.', '');
  }
  return out;
}

/** Options of {@link renderReportMarkdown}. */
export interface ReportMarkdownOptions {
  /**
   * Largest number of pair rows in the access tables (see {@link MARKDOWN_MAX_ACCESS_ROWS}).
   * @default MARKDOWN_MAX_ACCESS_ROWS
   */
  readonly maxAccessRows?: number;
  /**
   * The access pairs of `data`, when the caller has them already (the access matrix of the same
   * synthesis): saves joining them back from the compact form.
   * @default flattenAccess(data)
   */
  readonly access?: readonly AccessEntry[];
}

/** Renders `REPORT.md`. */
export function renderReportMarkdown(data: ReportData, options: ReportMarkdownOptions = {}): string {
  const s = data.summary;
  const out: string[] = [
    '# Secrets topology: review report',
    '',
    `Generated from the topology by secrets-topology (report schema ${data.schemaVersion}); the same facts are in ${code('report.json')}. Do not edit: change the topology and synthesize again.`,
    '',
    '## Summary',
    '',
    ...table(
      ['what', 'count'],
      [
        ['Spaces', String(s.spaces)],
        ['groups', String(s.groups)],
        ['control planes', String(s.planes)],
        ['environments', String(s.environments)],
        ['stores', String(s.stores)],
        ['shared secrets', String(s.secrets)],
        ['remote secrets read', String(s.remoteSecrets)],
        ['delivered (plane × remote secret)', String(s.deliveredPairs)],
        ['readable (plane × remote secret)', String(s.readablePairs)],
        ['readable but not delivered', String(s.readableNotDelivered)],
        ['readable across environments', String(s.crossEnvironmentPairs)],
        ['cloud principals', String(s.principals)],
        ['warnings', String(s.warnings)],
        ['opt-outs', String(s.optOuts)],
        ['findings covered by opt-outs', String(s.allowed)],
      ],
    ),
    '',
    `Guardrail settings: refresh interval between ${code(data.settings.minRefreshInterval)} and ${code(data.settings.maxRefreshInterval)}; store references outside the projection ${data.settings.storeRefBypass ? 'assumed possible' : 'assumed impossible'}; namespaces ${data.settings.openNamespaces === false ? 'limited to the declared ones' : 'open to plane users'}.`,
    '',
    '## Assumptions',
    '',
    ...data.assumptions.map((a) => `- ${a}`),
    '',
    ...((data.assumed ?? []).length === 0
      ? ['No weaker assumption is named: the analysis runs under the conservative defaults (docs/threat-model.md).', '']
      : [
          'Weaker assumptions named in the topology (`Guardrails.assume`):',
          '',
          ...(data.assumed ?? []).map((a) => `- ${code(a.id)}: ${a.reason}`),
          '',
        ]),
    '## Access by environment',
    '',
    '"Delivered to" is what the topology writes; "readable from" is where the plane\'s ESO could read the remote secret if someone created ESO objects by hand, and "through" says how.',
    '',
  ];

  const access = options.access ?? flattenAccess(data);
  const byEnv = new Map<string, AccessEntry[]>();
  for (const e of access) {
    const list = byEnv.get(e.environment);
    if (list) list.push(e);
    else byEnv.set(e.environment, [e]);
  }
  const max = options.maxAccessRows ?? MARKDOWN_MAX_ACCESS_ROWS;
  const full = access.length <= max;
  if (!full) {
    out.push(
      `_The topology has ${access.length} plane × remote secret pairs (more than ${max}): each environment shows counts per plane and every pair readable across environments; report.json has every pair._`,
      '',
    );
  }
  const head = ['plane', 'secret', 'remote secret', 'delivered to', 'readable from', 'through'];
  const envSection = (name: string, rows: readonly AccessEntry[]): void => {
    if (full) {
      out.push(...table(head, rows.map(accessRow)), '');
      return;
    }
    const perPlane = new Map<string, { delivered: number; readable: number; cross: number }>();
    for (const e of rows) {
      const c = perPlane.get(e.plane) ?? { delivered: 0, readable: 0, cross: 0 };
      if (e.delivered.length > 0) c.delivered++;
      if (e.readable) c.readable++;
      if (e.crossEnvironment) c.cross++;
      perPlane.set(e.plane, c);
    }
    out.push(
      ...table(
        ['plane', 'delivered pairs', 'readable pairs', 'readable across environments'],
        [...perPlane].map(([k, c]) => [cell(k), String(c.delivered), String(c.readable), String(c.cross)]),
      ),
      '',
    );
    const cross = rows.filter((e) => e.crossEnvironment);
    if (cross.length > 0) out.push(`Readable across environments in ${code(name)}:`, '', ...table(head, cross.map(accessRow)), '');
  };
  for (const env of data.environments) {
    const rows = byEnv.get(env.name) ?? [];
    out.push(`### Environment ${code(env.name)}${env.production ? ' (production)' : ''}`, '');
    out.push(`Planes: ${env.planes.map(code).join(', ') || 'none'}. Default refresh interval ${code(env.refreshInterval)}.`, '');
    if (rows.length === 0) {
      out.push('No secret is delivered to or readable by its planes.', '');
      continue;
    }
    envSection(env.name, rows);
  }
  const known = new Set(data.environments.map((e) => e.name));
  for (const [env, rows] of [...byEnv].sort(([a], [b]) => cmp(a, b))) {
    if (known.has(env)) continue;
    out.push(`### Environment ${code(env)}`, '');
    envSection(env, rows);
  }

  out.push(
    '## Flow: stores → secrets → planes',
    '',
    'Solid arrows: delivery (labelled with the namespaces). Dotted arrows: readable across environments (opted out).',
    '',
  );
  const spaces = [...new Set([...data.stores.map((x) => x.space), ...data.planes.map((x) => x.space)])].sort();
  const crossPairs = access.filter((e) => e.crossEnvironment);
  for (const sp of spaces) out.push(`### Space ${code(sp)}`, '', ...mermaid(data, crossPairs, sp), '');

  out.push('## What Spaces creates in each plane', '');
  if (!full) {
    out.push('_Counts per plane (the objects are in report.json)._', '');
    out.push(
      ...table(
        ['plane', 'environment', 'ClusterSecretStores', 'ClusterExternalSecrets'],
        data.planes.map((p) => [
          cell(p.key),
          cell(p.environment ?? 'no environment'),
          String(p.clusterSecretStores.length),
          String(p.clusterExternalSecrets.length),
        ]),
      ),
      '',
    );
  }
  for (const p of full ? data.planes : []) {
    out.push(`### ${code(p.key)} (${p.environment ?? 'no environment'}${p.production ? ', production' : ''})`, '');
    const rows: string[][] = [
      ...p.clusterSecretStores.map((c) => [
        'ClusterSecretStore',
        cell(c.name),
        cell(`provider.upboundspaces.storeRef.name: ${c.provider.upboundspaces.storeRef.name}; ${c.backend}; ${c.auth}`),
        cell(namespaceText(c.namespaces)),
      ]),
      ...p.clusterExternalSecrets.map((c) => [
        'ClusterExternalSecret',
        cell(c.name),
        cell(`store ${c.store} → Secret ${c.target}, refresh ${c.refreshInterval}`),
        cell(namespaceText(c.namespaces)),
      ]),
    ];
    if (rows.length === 0) out.push('Nothing is projected into this plane.', '');
    else out.push(...table(['kind', 'name', 'details', 'namespaces'], rows), '');
  }

  out.push('## Identities', '');
  if (data.principals.length === 0) out.push('No cloud principal was published by the identity stage.', '');
  else if (!full) {
    out.push('_Counts per principal (grants and what each can read are in report.json)._', '');
    out.push(
      ...table(
        ['principal', 'Space', 'planes', 'environments of its planes', 'grants', 'remote secrets it can read'],
        data.principals.map((p) => [
          `${principalKindWord(p.kind)} ${code(cell(p.id))}`,
          cell(p.cluster ? `ESO cluster ${p.cluster.cluster}` : (p.space ?? '')),
          String(p.planes.length),
          cell(p.planeEnvironments.join(', ') || '—'),
          String(p.grants.length),
          String(p.reads.length),
        ]),
      ),
      '',
    );
  } else {
    for (const p of data.principals) out.push(...principalSection(p));
  }

  out.push('## Warnings', '');
  if (data.warnings.length === 0) out.push('None.', '');
  else out.push(...data.warnings.map(findingLine), '');

  out.push('## Opt-outs', '');
  if (data.optOuts.length === 0) {
    out.push('None.', '');
  } else {
    out.push(
      ...table(
        ['rule', 'scope', 'reason', 'covers'],
        data.optOuts.map((o) => [
          o.rule,
          code(o.scope || '(app)'),
          cell(o.reason),
          o.covers.length === 0 ? 'nothing' : `${o.covers.length} finding${o.covers.length === 1 ? '' : 's'}`,
        ]),
      ),
      '',
    );
  }
  if (data.allowed.length > 0) {
    out.push(
      'Findings covered by an opt-out:',
      '',
      ...data.allowed.map((f) => `${findingLine(f)} _(opted out at ${code(f.optOut?.scope || '(app)')}: ${f.optOut?.reason ?? ''})_`),
      '',
    );
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
