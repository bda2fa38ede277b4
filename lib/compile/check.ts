/**
 * The check phase: each construct's own validations, then the context (whose steps add the
 * topology-wide problems), then every stage's `check` over the complete context. Nothing is
 * written unless all of them pass.
 */
import type { Construct } from 'constructs';
import { TopologyError, type Problem } from '../model/errors.js';
import { constructsOf } from '../model/find.js';
import { typeProblemsOf } from '../model/typed.js';
import { quoteValue } from '../private/terminal.js';
import { hasJsonPatches } from '../model/patch.js';
import { buildContext, type SynthContext } from './context.js';
import { Patcher } from './patch.js';
import type { OutputSink, Synthesizer } from './synthesizer.js';

/** The context of a synthesis of `root` (when it could be built), and every problem of the model. */
export function checkModel(root: Construct, stages: readonly Synthesizer[]): { ctx?: SynthContext; problems: Problem[] } {
  const { problems, typed } = constructProblems(root);
  // Props of the wrong types: the topology-wide checks would read them; their problems are the report.
  if (typed) return { problems };
  const patcher = new Patcher();
  const ctx = buildContext(root, problems, patcher);
  if (!ctx) return { problems };
  try {
    for (const s of stages) problems.push(...(s.check?.(ctx) ?? []));
    // The JSON patches of stages that are constructs (Argo CD, Flux): their objects are made at
    // emit, so they are made here once, into nothing, to check the patches with everything else.
    if (problems.length === 0) for (const s of stages) if (isPatchedConstruct(s)) s.emit(ctx, patchingSink(s, patcher));
  } catch (e) {
    // As in the context's steps: with problems already found, a check failing on the values they
    // reject adds nothing to the report; without, the failure is a bug.
    if (problems.length === 0) throw e;
  }
  problems.push(...patcher.problems, ...(problems.length === 0 ? patcher.unmatchedProblems(root) : []));
  return { ctx, problems };
}

/** Whether a stage is a construct with JSON patches (its own objects get them). */
export function isPatchedConstruct(s: Synthesizer): s is Synthesizer & Construct {
  return typeof (s as Partial<Construct>).node === 'object' && hasJsonPatches(s as unknown as Construct);
}

/**
 * A sink that applies `stage`'s JSON patches to the objects it adds as their owner, and passes
 * everything to `next` (by default: nowhere).
 */
export function patchingSink(stage: Construct, patcher: Patcher, next?: OutputSink): OutputSink {
  return {
    addManifest(path, object, owner) {
      const patched = owner === stage ? patcher.patch(owner, object) : object;
      next?.addManifest(path, patched, owner);
    },
    addFile(path, content, owner) {
      next?.addFile(path, content, owner);
    },
    addJsonFile(path, value, owner) {
      next?.addJsonFile(path, value, owner);
    },
  };
}

/** The context of a synthesis of `root`; throws a {@link TopologyError} listing every problem. */
export function checkedContext(root: Construct, stages: readonly Synthesizer[]): SynthContext {
  const { ctx, problems } = checkModel(root, stages);
  if (problems.length > 0 || !ctx) throw new TopologyError(problems);
  return ctx;
}

/**
 * Every construct's own validations. A construct whose props (or constructor arguments) had the
 * wrong types reports those type problems instead (its other checks would read the wrong values).
 * A validation that throws (a construct reading another construct's ill-typed values) adds nothing
 * when other problems were found: fixing those is the way on; without, it is reported as a
 * problem of its construct.
 */
function constructProblems(root: Construct): { problems: Problem[]; typed: boolean } {
  const problems: Problem[] = [];
  let typed = false;
  const thrown: Problem[] = [];
  for (const c of constructsOf(root)) {
    const typedProblems = typeProblemsOf(c);
    if (typedProblems.length > 0) {
      for (const message of typedProblems) problems.push({ path: c.node.path, message });
      typed = true;
      continue;
    }
    try {
      for (const message of c.node.validate()) problems.push({ path: c.node.path, message });
    } catch (e) {
      const why = e instanceof Error ? e.message : 'unknown error';
      thrown.push({
        path: c.node.path,
        message: `a prop has a value of the wrong type, so the construct could not be checked (${quoteValue(why)}): compare its props with their documented types.`,
      });
    }
  }
  return { problems: problems.length > 0 ? problems : thrown, typed };
}
