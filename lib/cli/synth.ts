/** `secrets-topology synth`: run the app into the output directory and say what it wrote. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_JSON } from '../report/report.js';
import type { Command } from './command.js';
import { EXIT } from './exit-codes.js';
import { outputName } from './freshness.js';
import { outputTotals, sizeText } from './output-tree.js';
import { PROJECT_OPTIONS, loadProject } from './project.js';
import { runApp } from './run-app.js';

/** Spaces and planes, from the summary of the report the synthesis wrote (when it wrote one). */
function reportCounts(outdir: string): { spaces: number; planes: number } | undefined {
  const file = join(outdir, REPORT_JSON);
  if (!existsSync(file)) return undefined;
  try {
    const s = (JSON.parse(readFileSync(file, 'utf8')) as { summary?: { spaces?: unknown; planes?: unknown } }).summary;
    return typeof s?.spaces === 'number' && typeof s.planes === 'number' ? { spaces: s.spaces, planes: s.planes } : undefined;
  } catch {
    return undefined;
  }
}

function count(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

export const synthCommand: Command = {
  name: 'synth',
  summary: 'Synthesize the topology into the output directory (dist/)',
  description: [
    'Runs the app ("app" in cdk8s.yaml, e.g. npx tsx main.ts) with CDK8S_OUTDIR set to the output',
    'directory, which synthesis replaces as a whole (or leaves as it was when the topology has',
    'problems). Ends with one summary line on stdout: Spaces, planes, objects, files, bytes and',
    'seconds. On a terminal, a run longer than two seconds shows its progress on stderr.',
  ].join('\n'),
  options: PROJECT_OPTIONS,
  exitCodes: [EXIT.ok, EXIT.failed, EXIT.crossEnvironment, EXIT.usage],
  async run(args, io) {
    const project = loadProject(io.cwd, args);
    const started = Date.now();
    await runApp(project, project.outputPath, io, 'synth');
    const seconds = (Date.now() - started) / 1000;
    const totals = outputTotals(project.outputPath);
    const topology = reportCounts(project.outputPath);
    const parts = [
      ...(topology ? [count(topology.spaces, 'Space'), count(topology.planes, 'plane')] : []),
      count(totals.objects, 'object'),
      count(totals.files, 'file'),
      sizeText(totals.bytes),
    ];
    io.stdout.write(`synth: ${parts.join(', ')} in ${outputName(project)} (${seconds.toFixed(1)} s)\n`);
    return EXIT.ok;
  },
};
