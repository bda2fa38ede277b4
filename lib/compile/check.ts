/**
 * The check phase: each construct's own validations, then the context (whose steps add the
 * topology-wide problems), then every stage's `check` over the complete context. Nothing is
 * written unless all of them pass.
 */
import type { Construct } from 'constructs';
import { TopologyError, type Problem } from '../model/errors.js';
import { constructsOf } from '../model/find.js';
import { hasJsonPatches } from '../model/patch.js';
import { buildContext, type SynthContext } from './context.js';
import { Patcher } from './patch.js';
import type { OutputSink, Synthesizer } from './synthesizer.js';

/** The context of a synthesis of `root` (when it could be built), and every problem of the model. */
export function checkModel(root: Construct, stages: readonly Synthesizer[]): { ctx?: SynthContext; problems: Problem[] } {
  const problems = constructProblems(root);
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
 * Every construct's own validations. A validation that throws (a prop of the wrong type at run
 * time, e.g. a number where a name goes) is reported as a problem of its construct.
 */
function constructProblems(root: Construct): Problem[] {
  const problems: Problem[] = [];
  for (const c of constructsOf(root)) {
    let messages: string[];
    try {
      messages = c.node.validate();
    } catch (e) {
      const why = e instanceof Error ? e.message : 'unknown error';
      messages = [
        `a prop has a value of the wrong type, so the construct could not be checked (${why}): compare its props with their documented types.`,
      ];
    }
    for (const message of messages) problems.push({ path: c.node.path, message });
  }
  return problems;
}
