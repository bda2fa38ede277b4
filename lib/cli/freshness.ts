/**
 * Whether the committed output directory is current: what `check` reports and what `review` makes
 * sure of before it compares anything.
 */
import { compareTrees, sameTrees, type TreeDifference } from './output-tree.js';
import type { Project } from './project.js';

/** Most differing files a message lists. */
const MAX_LISTED = 40;

/** How the output directory is named in messages: as configured, with a trailing slash. */
export function outputName(project: Project): string {
  return `${project.output.replace(/\/+$/, '')}/`;
}

/** The differences between the project's output directory and a fresh synthesis in `fresh`. */
export function staleness(project: Project, fresh: string): TreeDifference | undefined {
  const d = compareTrees(fresh, project.outputPath);
  return sameTrees(d) ? undefined : d;
}

/** The message for an output directory that is out of date: how many files, which, and the fix. */
export function outOfDateMessage(project: Project, d: TreeDifference): string {
  const name = outputName(project);
  const rows = [
    ...d.changed.map((f) => `  differs:               ${f}`),
    ...d.missing.map((f) => `  missing in ${name}:${' '.repeat(Math.max(1, 11 - name.length))}${f}`),
    ...d.extra.map((f) => `  not produced any more: ${f}`),
  ];
  const n = rows.length;
  const listed = n > MAX_LISTED ? [...rows.slice(0, MAX_LISTED), `  ... and ${n - MAX_LISTED} more`] : rows;
  return [
    `${name} is out of date with the topology: ${n} file${n === 1 ? '' : 's'} differ${n === 1 ? 's' : ''} from what it synthesizes to.`,
    ...listed,
    `Run \`npx secrets-topology synth\` and commit ${name}.`,
  ].join('\n');
}
