/** `secrets-topology check`: is the committed output directory what the topology synthesizes to? */
import type { Command } from './command.js';
import { EXIT } from './exit-codes.js';
import { outOfDateMessage, outputName, staleness } from './freshness.js';
import { listFiles } from './output-tree.js';
import { PROJECT_OPTIONS, loadProject } from './project.js';
import { withFreshSynthesis } from './run-app.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check that the output directory (dist/) is what the topology synthesizes to',
  description: [
    'Synthesizes the topology into a temporary directory and compares it, file by file and byte for',
    'byte, with the output directory (in CI: the committed dist/). When they differ, lists the files',
    'and exits with 3: run `secrets-topology synth` and commit the output.',
  ].join('\n'),
  options: PROJECT_OPTIONS,
  exitCodes: [EXIT.ok, EXIT.failed, EXIT.crossEnvironment, EXIT.outOfDate, EXIT.usage],
  async run(args, io) {
    const project = loadProject(io.cwd, args);
    return withFreshSynthesis(project, io, 'check', async (fresh) => {
      const d = staleness(project, fresh);
      if (d) {
        io.stderr.write(`check: ${outOfDateMessage(project, d)}\n`);
        return EXIT.outOfDate;
      }
      io.stdout.write(`check: ${outputName(project)} is up to date (${listFiles(fresh).length} files).\n`);
      return EXIT.ok;
    });
  },
};
