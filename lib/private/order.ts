/** The one ordering of strings used for deterministic output: by UTF-16 code units, as `<` compares. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
