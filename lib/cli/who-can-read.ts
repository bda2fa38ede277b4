/** `secrets-topology who-can-read <remote secret>`: the planes, principals and paths that can read it. */
import { principalKindWord } from '../analysis/access.js';
import { findRemoteSecrets, similarRemoteSecrets, whoCanRead, type AccessView, type PlaneAccess, type WhoCanRead } from './access-query.js';
import type { Command } from './command.js';
import { CliError, EXIT } from './exit-codes.js';
import { PROJECT_OPTIONS } from './project.js';
import { REPORT_OPTION, accessViewFor } from './report-source.js';
import { terminalText as t } from '../private/terminal.js';
import { quoteValue } from '../private/terminal.js';

/** Namespaces as a phrase. */
export function namespacesText(ns: readonly string[]): string {
  if (ns.includes('*')) return 'any namespace';
  return ns.length === 0 ? 'no namespace' : ns.map(t).join(', ');
}

/** The error for a remote secret nothing matches, with similar names. */
export function noSuchRemote(view: AccessView, query: string): CliError {
  const similar = similarRemoteSecrets(view, query);
  return new CliError(
    `no remote secret of the topology is named ${quoteValue(query)} (by name, ARN or resource, id, or shared secret path)${similar.length > 0 ? `; similar: ${similar.map(t).join(', ')}` : ''}.`,
  );
}

function planesCount(n: number): string {
  return `${n} plane${n === 1 ? '' : 's'}`;
}

function planeLines(a: PlaneAccess): string[] {
  const out = [`  ${t(a.plane)} (${t(a.environment)})${a.crossEnvironment ? '  ⚠ across environments' : ''}`];
  out.push(a.delivered.length > 0 ? `    delivered to ${namespacesText(a.delivered)}` : '    not delivered');
  if (!a.readable) out.push('    cannot read it');
  for (const p of a.paths) out.push(`    can read it from ${namespacesText(p.namespaces)} through ${t(p.description)}`);
  return out;
}

/** The answer as text. */
export function whoCanReadText(r: WhoCanRead): string {
  const out: string[] = [];
  for (const remote of r.remotes) {
    const planes = r.planes.filter((p) => p.remote === remote.id);
    const count = (f: (p: PlaneAccess) => boolean): number => planes.filter(f).length;
    out.push(
      `${t(remote.ref)} (${remote.kind === 'find' ? 'find' : 'key'} of shared secret ${t(remote.secret)}${remote.matchedBy.startsWith('find') ? `, a ${t(remote.matchedBy)}` : ''})`,
      `  resource: ${t(remote.resource)}`,
      `  belongs to: ${remote.environments.map(t).join(', ') || 'no environment (delivered nowhere)'}`,
      `  delivered to ${planesCount(count((p) => p.delivered.length > 0))}, readable by ${planesCount(count((p) => p.readable))} (${count((p) => p.crossEnvironment)} across environments)`,
    );
    for (const p of planes) out.push(...planeLines(p).map((l) => `  ${l}`));
    out.push('');
  }
  out.push(r.principals.length > 0 ? 'Principals that can read it:' : 'No published principal can read it.');
  for (const p of r.principals) {
    out.push(`  ${principalKindWord(p.kind)} ${t(p.id)} (${t(p.usedBy)})`);
    for (const g of [...new Set(p.grants.map((x) => x.grant))]) out.push(`    grant ${t(g)}`);
    out.push(`    planes that can act as it: ${p.planes.map(t).join(', ') || 'none'}`);
  }
  return `${out.join('\n')}\n`;
}

export const whoCanReadCommand: Command = {
  name: 'who-can-read',
  summary: 'Which planes and principals can read a remote secret, and through what',
  arguments: ['<remote secret>'],
  description: [
    'Lists every plane that receives or can read the remote secret (delivered to which namespaces,',
    'readable from which, through which store, credentials or principal) and every principal that can',
    'read it, from the same access matrix as report.json. Name the remote secret by its name or key',
    '(prod/db), its ARN (with or without the 6-character suffix) or resource name, its report id, or',
    'the construct path of its shared secret; `find`s that cover it are listed too.',
    '',
    'Reads a fresh synthesis of the topology, or the report --report names.',
  ].join('\n'),
  options: { ...REPORT_OPTION, json: { type: 'boolean', description: 'Print the answer as JSON.' }, ...PROJECT_OPTIONS },
  exitCodes: [EXIT.ok, EXIT.failed, EXIT.usage],
  async run(args, io) {
    const query = args.positionals[0];
    const view = await accessViewFor(args, io, 'who-can-read');
    if (findRemoteSecrets(view, query).length === 0) throw noSuchRemote(view, query);
    const answer = whoCanRead(view, query);
    io.stdout.write(args.values.json === true ? `${JSON.stringify(answer, null, 2)}\n` : whoCanReadText(answer));
    return EXIT.ok;
  },
};
