import { terminalText } from '../private/terminal.js';
import { cmp } from '../private/order.js';

/** One mistake in the topology: where it is and what to do about it. */
export interface Problem {
  /** Construct path of the offending construct, e.g. `aws-eu/platform/db-password`. */
  readonly path: string;
  /** What is wrong, quoting the value received, and how to fix it. */
  readonly message: string;
  /**
   * Set on a finding of the access analysis: a guardrail error (e.g. read access across
   * environments), an IAM name two owners write, a store whose readers the analysis cannot decide.
   * A synthesis refused for such findings alone exits with 2, as a review that adds access across
   * environments does.
   */
  readonly access?: true;
}

/**
 * The model cannot be synthesized. Carries every problem found, so a user fixes them all in one
 * round. Raised before anything is written.
 */
export class TopologyError extends Error {
  /** Problems sorted by path, then message. */
  public readonly problems: readonly Problem[];

  public constructor(problems: readonly Problem[]) {
    const sorted = sortProblems(problems);
    super(formatProblems(sorted));
    this.name = 'TopologyError';
    this.problems = sorted;
  }

  /** Every problem is a finding of the access analysis ({@link Problem.access}): the model is valid, what it grants is not. */
  public get accessOnly(): boolean {
    return this.problems.length > 0 && this.problems.every((p) => p.access === true);
  }
}

/** Sort problems deterministically and drop exact duplicates. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of [...problems].sort((a, b) => cmp(a.path, b.path) || cmp(a.message, b.message))) {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/**
 * The text a user sees: a count, then one line per problem, `path: message`. Printed to a
 * terminal, so control characters in a path or message (a value a user wrote) are shown escaped.
 */
export function formatProblems(problems: readonly Problem[]): string {
  const n = problems.length;
  const head = `${n} problem${n === 1 ? '' : 's'} in the secrets topology; nothing was written:`;
  return [head, ...problems.map((p) => `  - ${terminalText(p.path || '(app)')}: ${terminalText(p.message)}`)].join('\n');
}
