/** Applies opt-outs to findings: the most specific scope that covers a finding wins, and uses are counted. */
import { cmp } from '../../private/order.js';
import type { Finding, OptOut, RawFinding } from './model.js';

/** Whether `scope` (a construct path) is `path` or one of its ancestors. */
function covers(scope: string, path: string): boolean {
  return scope === '' || path === scope || path.startsWith(`${scope}/`);
}

/** The opt-outs of a topology, with what each has covered so far. */
export class OptOutIndex {
  private readonly used: Map<OptOut, Set<string>>;

  public constructor(public readonly optOuts: readonly OptOut[]) {
    this.used = new Map(optOuts.map((o) => [o, new Set<string>()]));
  }

  /** The opt-out covering a finding (most specific scope first), without recording a use. */
  public covering(rule: string, paths: readonly string[]): OptOut | undefined {
    return this.optOuts
      .filter((o) => o.rule === rule && paths.some((p) => covers(o.scope, p)))
      .sort((a, b) => b.scope.length - a.scope.length || cmp(a.scope, b.scope))[0];
  }

  /** Records that `o` covers the finding `subject`. */
  public use(o: OptOut | undefined, subject: string): void {
    if (o) this.used.get(o)?.add(subject);
  }

  /** A finding with the opt-out that covers it, the use recorded. */
  public apply(f: RawFinding): Finding {
    const o = this.covering(f.rule, f.paths);
    this.use(o, f.subject);
    return o ? { ...f, optOut: o } : f;
  }

  /** Subjects an opt-out covered, sorted. */
  public covered(o: OptOut): string[] {
    return [...(this.used.get(o) ?? [])].sort();
  }
}
