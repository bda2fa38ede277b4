/**
 * `REPORT.md`: the review report for a person reading a pull request. Rendered from the same
 * {@link ReportData} as `report.json`, so both always agree.
 */
import { ANY_NAMESPACE, principalKindWord, type AccessEntry, type AccessPath, type PrincipalAccess } from '../analysis/access.js';
import { inlineCode, markdownText, tableCell, tableCode } from '../output/escape/markdown.js';
import { environmentDiagram, spaceDiagram } from './report-mermaid.js';
import { planeExpander } from './report-projection.js';
import { flattenAccess, type ReportData, type ReportFinding } from './report.js';
import { cmp } from '../private/order.js';

/**
 * Largest number of plane × remote secret rows in the access tables. Above it, each environment
 * shows per-plane counts and only its cross-environment pairs (every pair stays in report.json).
 */
export const MARKDOWN_MAX_ACCESS_ROWS = 2000;

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
    tableCell(e.plane),
    tableCell(e.secretName),
    tableCode(e.remote.ref),
    tableCell(namespaceText(e.delivered)),
    tableCell(e.readable ? `${namespaceText(readableNamespaces(e))}${flag}` : 'no: ESO cannot read it'),
    tableCell(e.paths.map(pathText).join('; ') || '—'),
  ];
}

function findingLine(f: ReportFinding): string {
  return `- **${markdownText(f.rule)}** at ${inlineCode(f.path || '(app)')}: ${markdownText(f.message)}`;
}

function principalSection(p: PrincipalAccess): string[] {
  const out = [`### ${principalKindWord(p.kind)} ${inlineCode(p.id)}`, ''];
  if (p.cluster)
    out.push(
      `ESO cluster ${inlineCode(p.cluster.cluster)}: its controller ${inlineCode(`${p.cluster.namespace}/${p.cluster.serviceAccount}`)} acts as it (no control plane can).`,
      '',
    );
  else
    out.push(
      `Space ${inlineCode(p.space ?? '')}${p.environment ? `, dedicated to environment ${inlineCode(p.environment)}` : ''}. Planes that can act as it: ${p.planes.map(inlineCode).join(', ') || 'none'} (environments: ${markdownText(p.planeEnvironments.join(', ')) || 'none'}).`,
      '',
    );
  if (p.grants.length > 0) {
    out.push(
      ...table(
        ['access', 'resource', 'condition', 'needed by', 'note'],
        p.grants.map((g) => [
          tableCell(g.access),
          tableCode(g.resource),
          g.condition ? tableCode(g.condition) : '—',
          tableCell(g.neededBy.join(', ') || '—'),
          tableCell((g as { wider?: string }).wider ?? '—'),
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
        p.reads.map((r) => [tableCode(r.resource), tableCell(r.secret), tableCell(r.environments.join(', ') || '—'), tableCode(r.grant)]),
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
    `Generated from the topology by secrets-topology (report schema ${data.schemaVersion}); the same facts are in ${inlineCode('report.json')}. Do not edit: change the topology and synthesize again.`,
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
    `Guardrail settings: refresh interval between ${inlineCode(data.settings.minRefreshInterval)} and ${inlineCode(data.settings.maxRefreshInterval)}; store references outside the projection ${data.settings.storeRefBypass ? 'assumed possible' : 'assumed impossible'}; namespaces ${data.settings.openNamespaces === false ? 'limited to the declared ones' : 'open to plane users'}.`,
    '',
    '## Assumptions',
    '',
    ...data.assumptions.map((a) => `- ${markdownText(a)}`),
    '',
    ...((data.assumed ?? []).length === 0
      ? ['No weaker assumption is named: the analysis runs under the conservative defaults (docs/threat-model.md).', '']
      : [
          'Weaker assumptions named in the topology (`Guardrails.assume`):',
          '',
          ...(data.assumed ?? []).map((a) => `- ${inlineCode(a.id)}: ${markdownText(a.reason)}`),
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
        [...perPlane].map(([k, c]) => [tableCell(k), String(c.delivered), String(c.readable), String(c.cross)]),
      ),
      '',
    );
    const cross = rows.filter((e) => e.crossEnvironment);
    if (cross.length > 0) out.push(`Readable across environments in ${inlineCode(name)}:`, '', ...table(head, cross.map(accessRow)), '');
  };
  for (const env of data.environments) {
    const rows = byEnv.get(env.name) ?? [];
    out.push(`### Environment ${inlineCode(env.name)}${env.production ? ' (production)' : ''}`, '');
    out.push(
      `Planes: ${env.planes.map(inlineCode).join(', ') || 'none'}. Default refresh interval ${inlineCode(env.refreshInterval)}.`,
      '',
    );
    if (rows.length === 0) {
      out.push('No secret is delivered to or readable by its planes.', '');
      continue;
    }
    envSection(env.name, rows);
  }
  const known = new Set(data.environments.map((e) => e.name));
  for (const [env, rows] of [...byEnv].sort(([a], [b]) => cmp(a, b))) {
    if (known.has(env)) continue;
    out.push(`### Environment ${inlineCode(env)}`, '');
    envSection(env, rows);
  }
  const shared = data.access.remotes.filter((r) => r.sharedWith !== undefined && r.sharedWith.length > 0);
  if (shared.length > 0) {
    out.push(
      '### Shared secrets',
      '',
      'Declared shared by their owners (`SecretOwnership` `.sharedWith(...)`): planes of the environments named read them without a cross-environment finding.',
      '',
      ...table(
        ['remote secret', 'secret', 'owned by', 'shared with'],
        shared.map((r) => [
          inlineCode(r.ref),
          tableCell(r.secret),
          tableCell(r.environments.join(', ')),
          tableCell((r.sharedWith ?? []).map((e) => (e === '*' ? 'every environment' : e)).join(', ')),
        ]),
      ),
      '',
    );
  }

  out.push(
    '## Flow: stores → secrets → planes',
    '',
    'By environment: solid arrows count the deliveries (plane × remote secret), dotted arrows the pairs readable across environments (opted out).',
    '',
    ...environmentDiagram(data, access),
    '',
    'Per Space: solid arrows are deliveries (labelled with the namespaces, or counting the secrets); planes marked ⚠ can read secrets of another environment (see the tables above).',
    '',
  );
  const spaces = [...new Set([...data.stores.map((x) => x.space), ...data.planes.map((x) => x.space)])].sort();
  const crossPlanes = new Set(access.filter((e) => e.crossEnvironment).map((e) => e.plane));
  for (const sp of spaces) out.push(`### Space ${inlineCode(sp)}`, '', ...spaceDiagram(data, crossPlanes, sp), '');

  out.push('## What Spaces creates in each plane', '');
  if (!full) {
    out.push('_Counts per plane (the objects are in report.json)._', '');
    out.push(
      ...table(
        ['plane', 'environment', 'ClusterSecretStores', 'ClusterExternalSecrets'],
        data.planes.map((p) => [
          tableCell(p.key),
          tableCell(p.environment ?? 'no environment'),
          String(p.storesByNamespaces.reduce((n, g) => n + g.paths.length, 0)),
          String(p.secretsByNamespaces.reduce((n, g) => n + g.paths.length, 0)),
        ]),
      ),
      '',
    );
  }
  const expand = planeExpander(data);
  for (const p of full ? data.planes.map(expand) : []) {
    out.push(`### ${inlineCode(p.key)} (${markdownText(p.environment ?? 'no environment')}${p.production ? ', production' : ''})`, '');
    const rows: string[][] = [
      ...p.clusterSecretStores.map((c) => [
        'ClusterSecretStore',
        tableCell(c.name),
        tableCell(`provider.upboundspaces.storeRef.name: ${c.provider.upboundspaces.storeRef.name}; ${c.backend}; ${c.auth}`),
        tableCell(namespaceText(c.namespaces)),
      ]),
      ...p.clusterExternalSecrets.map((c) => [
        'ClusterExternalSecret',
        tableCell(c.name),
        tableCell(`store ${c.store} → Secret ${c.target}, refresh ${c.refreshInterval}`),
        tableCell(namespaceText(c.namespaces)),
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
          `${principalKindWord(p.kind)} ${tableCode(p.id)}`,
          tableCell(p.cluster ? `ESO cluster ${p.cluster.cluster}` : (p.space ?? '')),
          String(p.planes.length),
          tableCell(p.planeEnvironments.join(', ') || '—'),
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
          tableCell(o.rule),
          tableCode(o.scope || '(app)'),
          tableCell(o.reason),
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
      ...data.allowed.map(
        (f) => `${findingLine(f)} _(opted out at ${inlineCode(f.optOut?.scope || '(app)')}: ${markdownText(f.optOut?.reason ?? '')})_`,
      ),
      '',
    );
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
