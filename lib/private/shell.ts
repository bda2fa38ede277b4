/**
 * The one quoting of words for a POSIX shell, used by every generated command line (the Helm
 * `--set` flags and the `az` / `gcloud` commands of the IAM READMEs).
 */

/** Characters a word may consist of to be written as it is: none of them is special to a POSIX shell. */
const PLAIN_WORD = /^[A-Za-z0-9_./:=@,+%-]+$/;

/** Quotes a word for a POSIX shell: as it is when every character is plain, else in single quotes. */
export function shellQuote(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A shell command, one argument per line after the first, joined with ` \`. Pairs are a flag and
 * its value (quoted); plain strings are written as they are (e.g. `--object-id "$PRINCIPAL_ID"`).
 */
export function shellCommand(head: string, args: readonly (readonly [string, string] | string)[]): string {
  const parts = [head, ...args.map((a) => (typeof a === 'string' ? a : `${a[0]} ${shellQuote(a[1])}`))];
  return parts.join(' \\\n  ');
}
