/**
 * The exit codes of the `secrets-topology` command, defined once (README and `--help` list them
 * from here).
 */
import { EXIT_CROSS_ENVIRONMENT } from '../report/report-diff.js';

/** Exit codes by meaning. */
export const EXIT = {
  /** Success (`review`: the change adds no read access across environments). */
  ok: 0,
  /** Failure: the topology has problems, the app failed, or another error (said on stderr). */
  failed: 1,
  /**
   * `review`: the change adds read access across environments; every command that synthesizes:
   * the topology is valid but refused for what it grants (findings of the access analysis only).
   */
  crossEnvironment: EXIT_CROSS_ENVIRONMENT,
  /** `check`, `review`: the output directory is out of date with the topology. */
  outOfDate: 3,
  /** Usage: an unknown command or option, a missing or extra argument. */
  usage: 64,
} as const;

/** An exit code of the command. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each exit code means, for `--help` and the README. */
export const EXIT_MEANINGS: ReadonlyArray<readonly [code: ExitCode, meaning: string]> = [
  [EXIT.ok, 'success'],
  [EXIT.failed, 'failure: the topology has problems, the app failed, or another error (said on stderr)'],
  [
    EXIT.crossEnvironment,
    'review: the change adds read access across environments; synth, check, review: synthesis refused the topology for what it grants (findings of the access analysis only: read access across environments, a credentials Secret reused across environments, an IAM role or Crossplane object two owners write, a store whose readers it cannot decide)',
  ],
  [EXIT.outOfDate, 'check, review: the output directory (dist/) is out of date with the topology'],
  [EXIT.usage, 'usage: an unknown command or option, a missing or extra argument'],
];

/**
 * A failure the command reports as one message on stderr (never a stack trace) with its exit
 * code. The message says what is wrong and what to do.
 */
export class CliError extends Error {
  public constructor(
    message: string,
    public readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
