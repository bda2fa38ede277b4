/** `secrets-topology explain <plane> <remote secret>`: why a plane can (or cannot) read a remote secret. */
import { explainAccess, findPlanes, findRemoteSecrets, type AccessView, type Explanation } from './access-query.js';
import type { Command } from './command.js';
import { CliError, EXIT } from './exit-codes.js';
import { PROJECT_OPTIONS } from './project.js';
import { REPORT_OPTION, accessViewFor } from './report-source.js';
import { terminalText as t } from '../private/terminal.js';
import { noSuchRemote } from './who-can-read.js';
import { quoteValue } from '../private/terminal.js';

/** The plane a query names; an error naming the candidates when none or several. */
function planeOf(view: AccessView, query: string): { key: string; environment: string } {
  const found = findPlanes(view, query);
  if (found.length === 1) return found[0];
  if (found.length > 1)
    throw new CliError(
      `${quoteValue(query)} names ${found.length} planes: ${found.map((p) => t(p.key)).join(', ')}; name one as <space>/<group>/<plane>.`,
    );
  const q = query.toLowerCase();
  const similar = view.planes.filter((p) => p.key.toLowerCase().includes(q)).slice(0, 5);
  throw new CliError(
    `no plane of the topology is named ${quoteValue(query)} (<space>/<group>/<plane>, or its name when unique)${similar.length > 0 ? `; similar: ${similar.map((p) => t(p.key)).join(', ')}` : ''}.`,
  );
}

/** The explanations as text. */
export function explanationText(list: readonly Explanation[]): string {
  const out: string[] = [];
  for (const x of list) {
    const verdict = x.readable ? (x.crossEnvironment ? 'can read it, across environments' : 'can read it') : 'cannot read it';
    out.push(`${t(x.plane)} (${t(x.environment)}) and ${t(x.remote.ref)} (${t(x.remote.resource)}): ${verdict}.`);
    for (const b of x.because) out.push(`  - ${t(b)}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Why a plane can (or cannot) read a remote secret',
  arguments: ['<plane>', '<remote secret>'],
  description: [
    'Says whether the topology delivers the remote secret to the plane, whether the plane can read it',
    'anyway (with hand-made ESO objects) and through what: a store with static credentials, or a',
    'principal its ESO can act as and the grant that matches; and whether that crosses environments.',
    'Name the plane as <space>/<group>/<plane> (or its name when unique), the remote secret as',
    'who-can-read takes it. Reads a fresh synthesis of the topology, or the report --report names.',
  ].join('\n'),
  options: { ...REPORT_OPTION, json: { type: 'boolean', description: 'Print the answer as JSON.' }, ...PROJECT_OPTIONS },
  exitCodes: [EXIT.ok, EXIT.failed, EXIT.usage],
  async run(args, io) {
    const [planeQuery, remoteQuery] = args.positionals as [string, string];
    const view = await accessViewFor(args, io, 'explain');
    const plane = planeOf(view, planeQuery);
    if (findRemoteSecrets(view, remoteQuery).length === 0) throw noSuchRemote(view, remoteQuery);
    const answer = explainAccess(view, plane, remoteQuery);
    io.stdout.write(args.values.json === true ? `${JSON.stringify(answer, null, 2)}\n` : explanationText(answer));
    return EXIT.ok;
  },
};
