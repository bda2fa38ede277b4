/**
 * What a command sees of its process: working directory, environment and output streams. The
 * real process by default ({@link processIo}); tests pass their own.
 */

/** An output stream. */
export interface CliStream {
  write(text: string): unknown;
  /** Whether it is a terminal (progress is shown only there). */
  readonly isTTY?: boolean;
}

/** The process a command runs in. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: CliStream;
  readonly stderr: CliStream;
}

/** The real process. */
export function processIo(): CliIo {
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
}
