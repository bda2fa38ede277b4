import { App } from 'cdk8s';
import { checkModel, checkedContext } from './compile/check.js';
import type { SynthContext } from './compile/context.js';
import { emitAll, MemorySink } from './compile/emit.js';
import { cloneJson } from './compile/patch-ops.js';
import { identityStage, targetsStage } from './compile/stages.js';
import { isSynthesizer, type Synthesizer } from './compile/synthesizer.js';
import { TopologyError, type Problem } from './model/errors.js';
import { cdk8sStdoutFiles, isCdk8sStdoutRun } from './output/cdk8s-stdout.js';
import { OutputError, openOutput, type StagedDirectory } from './output/writer.js';
import { constructsOf, withTreeListed } from './model/find.js';
import { ReviewReport } from './report/report.js';
import { EXIT_CROSS_ENVIRONMENT } from './report/report-diff.js';
import { writeAtomically } from './output/writer.js';
import type { Placement } from './resolve/placement.js';
import type { EmittedObjects } from './model/patch.js';
import type { IConstruct } from 'constructs';
import { OutputLayout } from './output/layout.js';
import { byKey } from './private/order.js';
import { parseProps } from './private/props.js';
import { TopologyAppPropsSchema } from './output/props.js';
import { recordTypeProblems, registerRoot } from './model/typed.js';

/** Props of a {@link TopologyApp}. */
export interface TopologyAppProps {
  /**
   * Output directory.
   * @default $CDK8S_OUTDIR, else "dist"
   */
  readonly outdir?: string;
  /**
   * Synthesizers that run in addition to the built-in ones (targets, identity, report). Opt-in
   * features that are constructs (e.g. GitOps wiring) register themselves by being in the tree.
   * @default none
   */
  readonly synthesizers?: readonly Synthesizer[];
  /**
   * How the Kubernetes objects are laid out in files: one file per object, or one multi-document
   * file per manifest directory (cdk8s's own default is a file per chart). Both are deterministic
   * and have a kustomization in every manifest directory.
   * @default OutputLayout.FILE_PER_OBJECT
   */
  readonly layout?: OutputLayout;
}

/** A Kubernetes object of the output and the file it is written to. */
export interface ManifestEntry {
  /** Path relative to the output directory. */
  readonly path: string;
  /** The object, as it is written. */
  readonly object: Record<string, unknown>;
}

/** The result of compiling a topology: the synthesis context, objects and every output file. */
export interface Compilation {
  /** Everything computed from the model: placement, identity plans, access matrix, guardrails, target objects, Helm values. */
  readonly context: SynthContext;
  /** Where every store and secret lands (the context's placement). */
  readonly placement: Placement;
  /** Every Kubernetes object with its file, sorted by path (then in file order: a group file holds several). */
  readonly manifests: readonly ManifestEntry[];
  /** Every output file (manifests, kustomizations, artifacts), sorted by path. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * The root of a secrets topology. Build the model below it (Environments, Spaces, Groups,
 * ControlPlanes, SecretStores, SharedSecrets) and call `synth()`.
 *
 * Unlike `cdk8s.App#synth`, synthesis validates the whole model first (every problem at once,
 * nothing written on error), renders each object to its own file under `<space>/groups/<group>/`
 * (or each directory's objects to one file: `layout`), and replaces the output directory
 * atomically. Same model, same bytes.
 */
export class TopologyApp extends App implements EmittedObjects {
  /** Returns the TopologyApp at the root of `c`'s construct tree. Throws when the root is not a TopologyApp. */
  public static of(c: IConstruct): TopologyApp {
    const root = c.node.root;
    if (root instanceof TopologyApp) return root;
    throw new Error(`${c.node.path || '(root)'} is not in a TopologyApp's tree: create the topology with a TopologyApp as its root.`);
  }

  /** How the Kubernetes objects are laid out in files. */
  public readonly layout: OutputLayout;
  private readonly extraSynthesizers: Synthesizer[];

  public constructor(props: TopologyAppProps = {}) {
    const parsed = parseProps<TopologyAppProps>(TopologyAppPropsSchema, props, {});
    super({ outdir: parsed.value.outdir });
    recordTypeProblems(this, parsed.problems);
    registerRoot(this);
    this.extraSynthesizers = [...(parsed.value.synthesizers ?? [])];
    this.layout = parsed.value.layout ?? OutputLayout.FILE_PER_OBJECT;
  }

  /** Adds a synthesizer that runs at its stage. */
  public addSynthesizer(synthesizer: Synthesizer): this {
    this.extraSynthesizers.push(synthesizer);
    return this;
  }

  /** The synthesizers in run order: by stage, then built-ins, extras, and constructs in tree order. */
  public get synthesizers(): Synthesizer[] {
    const all: Synthesizer[] = [
      targetsStage,
      identityStage,
      new ReviewReport(),
      ...this.extraSynthesizers,
      ...constructsOf(this).filter(isSynthesizer),
    ];
    return all
      .map((s, i) => ({ s, i }))
      .sort((a, b) => a.s.stage - b.s.stage || a.i - b.i)
      .map(({ s }) => s);
  }

  /**
   * Every problem of the model: each construct's own checks, the topology-wide checks and those of
   * the synthesizers. Empty when the model can be synthesized.
   */
  public problems(): Problem[] {
    return withTreeListed(() => checkModel(this, this.synthesizers).problems);
  }

  /**
   * Validates the model and renders every output file in memory. Throws a {@link TopologyError}
   * listing every problem when the model is invalid. Computed from the tree as it is at the call
   * (nothing is cached: a construct added after a first compile or synth is in the next one).
   */
  public compile(): Compilation {
    return withTreeListed(() => {
      const synthesizers = this.synthesizers;
      const context = checkedContext(this, synthesizers);
      const sink = new MemorySink();
      const emitted = emitAll(context, synthesizers, sink, undefined, this.layout);
      return {
        context,
        placement: context.placement,
        manifests: [...emitted.manifests].sort().flatMap((path) => (sink.objects.get(path) ?? []).map((object) => ({ path, object }))),
        files: new Map([...sink.files].sort(byKey)),
      };
    });
  }

  /**
   * The Kubernetes objects that `scope` and the constructs below it emit (the app: every object),
   * as they are written, after their JSON patches, in output-path order; copies. Validates the
   * whole model first and throws a {@link TopologyError} listing every problem. Computed afresh on
   * every call, so patches and constructs added since are seen. Objects a construct elsewhere
   * makes of them (a Cloud Space's wrappers, made by `CloudSpaceObjects`) are that construct's.
   */
  public objectsOf(scope: IConstruct): Record<string, unknown>[] {
    return withTreeListed(() => {
      const inScope = new Set<IConstruct>(constructsOf(scope));
      const synthesizers = this.synthesizers;
      const context = checkedContext(this, synthesizers);
      const found: [string, Record<string, unknown>][] = [];
      emitAll(context, synthesizers, { write: () => undefined }, (path, object, owner) => {
        if (inScope.has(owner)) found.push([path, object]);
      });
      return found.sort(byKey).map(([, object]) => cloneJson(object));
    });
  }

  /**
   * Validates the model and replaces the output directory with the result. Files are written to a
   * staging directory as they are rendered (their text is not kept in memory) and swapped in at
   * the end, so the output directory holds the complete old or the complete new output. On a model
   * error or a file-system failure ({@link OutputError}), prints every problem (no stack trace) to
   * stderr, sets a non-zero exit code (2 when every problem is a finding of the access analysis,
   * {@link Problem.access}; else 1) and leaves the output directory as it was. Under
   * `cdk8s synth --stdout`, writes the Kubernetes objects as one YAML stream for the CLI to print.
   */
  public override synth(): void {
    withTreeListed(() => {
      try {
        this.synthListed();
      } catch (e) {
        if (!(e instanceof TopologyError) && !(e instanceof OutputError)) throw e;
        process.stderr.write(`${e.message}\n`);
        // 2 for a valid model refused only for what it grants (as a review that adds such access).
        process.exitCode = e instanceof TopologyError && e.accessOnly ? EXIT_CROSS_ENVIRONMENT : 1;
      }
    });
  }

  private synthListed(): void {
    if (isCdk8sStdoutRun(this.outdir)) {
      writeAtomically(this.outdir, cdk8sStdoutFiles(this.compile().manifests));
      return;
    }
    const synthesizers = this.synthesizers;
    // The output directory is opened before anything else (its lock, the recovery of a crashed
    // run, the safe-output-directory rule: reported with the model's problems).
    const staged = openOutput(this.outdir, () => checkModel(this, synthesizers).problems);
    emitInto(staged, () => emitAll(checkedContext(this, synthesizers), synthesizers, staged, undefined, this.layout));
  }
}

/** Runs `emit` into a staged directory and commits it; on any failure the staging is dropped and the output left as it was. */
function emitInto<T>(staged: StagedDirectory, emit: () => T): T {
  try {
    const result = emit();
    staged.commit();
    return result;
  } catch (e) {
    staged.abort();
    throw e;
  }
}
