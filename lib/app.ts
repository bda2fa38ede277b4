import { App } from 'cdk8s';
import type { Construct } from 'constructs';
import { checkTopology } from './analysis/checks.js';
import { Placement } from './analysis/placement.js';
import { Kustomize } from './delivery/kustomize.js';
import { GuardrailsSynthesizer } from './analysis/guardrails.js';
import { ReviewReport } from './output/report.js';
import { TopologyError, type Problem } from './errors.js';
import { IdentitySynthesizer } from './identity/identity-synthesizer.js';
import { FileArtifact } from './output/file-artifact.js';
import { toYaml } from './output/render.js';
import { writeAtomically } from './output/writer.js';
import { isSynthesizer, type OutputSink, type SynthContext, type Synthesizer } from './synthesizer.js';
import { SpacesTarget } from './targets/spaces-target.js';

/** Props of a {@link TopologyApp}. */
export interface TopologyAppProps {
  /**
   * Output directory.
   * @default $CDK8S_OUTDIR, else "dist"
   */
  readonly outdir?: string;
  /**
   * Synthesizers that run in addition to the built-in ones (Spaces target, kustomize). Opt-in
   * features that are constructs (e.g. GitOps wiring) register themselves by being in the tree.
   * @default none
   */
  readonly synthesizers?: readonly Synthesizer[];
}

/** A Kubernetes object of the output and the file it is written to. */
export interface ManifestEntry {
  /** Path relative to the output directory. */
  readonly path: string;
  /** The object, as it is written. */
  readonly object: Record<string, unknown>;
}

/** The result of compiling a topology: placement, objects and every output file. */
export interface Compilation {
  /** Where every store and secret lands. */
  readonly placement: Placement;
  /** Every Kubernetes object with its file, sorted by path. */
  readonly manifests: readonly ManifestEntry[];
  /** Every output file (manifests, kustomizations, artifacts), sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  /** Facts published by synthesizers (e.g. the identity plans), by key. */
  readonly facts: ReadonlyMap<string, unknown>;
}

/**
 * The root of a secrets topology. Build the model below it (Environments, Spaces, Groups,
 * ControlPlanes, SecretStores, SharedSecrets) and call `synth()`.
 *
 * Unlike `cdk8s.App#synth`, synthesis validates the whole model first (every problem at once,
 * nothing written on error), renders each object to its own file under `<space>/groups/<group>/`,
 * and replaces the output directory atomically. Same model, same bytes.
 */
export class TopologyApp extends App {
  private readonly extraSynthesizers: Synthesizer[];
  private compiled?: Compilation;

  public constructor(props: TopologyAppProps = {}) {
    super({ outdir: props.outdir });
    this.extraSynthesizers = [...(props.synthesizers ?? [])];
  }

  /** Adds a synthesizer that runs at its stage. */
  public addSynthesizer(synthesizer: Synthesizer): this {
    this.extraSynthesizers.push(synthesizer);
    return this;
  }

  /** The synthesizers in run order: by stage, then built-ins, extras, and constructs in tree order. */
  public get synthesizers(): Synthesizer[] {
    const all: Synthesizer[] = [
      new SpacesTarget(),
      new IdentitySynthesizer(),
      new Kustomize(),
      new GuardrailsSynthesizer(),
      new ReviewReport(),
      ...this.extraSynthesizers,
      ...this.node.findAll().filter(isSynthesizer),
    ];
    return all.map((s, i) => ({ s, i })).sort((a, b) => a.s.stage - b.s.stage || a.i - b.i).map(({ s }) => s);
  }

  /**
   * Every problem of the model: each construct's own checks, the topology-wide checks and those of
   * the synthesizers. Empty when the model can be synthesized.
   */
  public problems(): Problem[] {
    return this.check().problems;
  }

  /**
   * Validates the model and renders every output file in memory. Throws a {@link TopologyError}
   * listing every problem when the model is invalid. The result is computed once.
   */
  public compile(): Compilation {
    if (this.compiled) return this.compiled;
    const { ctx, problems, synthesizers } = this.check();
    if (problems.length > 0 || !ctx) throw new TopologyError(problems);

    const files = new Map<string, string>();
    const manifests = new Map<string, Record<string, unknown>>();
    const claim = (path: string, owner: Construct): void => {
      if (files.has(path)) throw new TopologyError([{ path: owner.node.path, message: `output file "${path}" is produced twice: rename one of the objects.` }]);
    };
    const sink: OutputSink = {
      files,
      manifests,
      addManifest(path, object, owner) {
        claim(path, owner);
        files.set(path, toYaml(object));
        manifests.set(path, object);
      },
      addFile(path, content, owner) {
        claim(path, owner);
        files.set(path, content);
      },
    };
    for (const s of synthesizers) s.emit(ctx, sink);
    for (const artifact of FileArtifact.all(this)) sink.addFile(artifact.path, artifact.render(), artifact);

    this.compiled = {
      placement: ctx.placement,
      facts: ctx.facts,
      manifests: [...manifests.entries()].sort(byKey).map(([path, object]) => ({ path, object })),
      files: new Map([...files.entries()].sort(byKey)),
    };
    return this.compiled;
  }

  /**
   * Compiles the topology and replaces the output directory with the result. On a model error,
   * prints every problem (no stack trace) to stderr, sets a non-zero exit code and writes nothing.
   */
  public override synth(): void {
    let compilation: Compilation;
    try {
      compilation = this.compile();
    } catch (e) {
      if (e instanceof TopologyError) {
        process.stderr.write(`${e.message}\n`);
        process.exitCode = 1;
        return;
      }
      throw e;
    }
    writeAtomically(this.outdir, compilation.files);
  }

  /**
   * Runs every check: each construct's own first, then placement, the topology-wide checks and
   * the synthesizers' checks. When the constructs' own checks already found problems, a later stage
   * may fail on the values they reject (e.g. a number where a name goes); those problems are then
   * the report. A failure with no such problem is a bug and is thrown as is.
   */
  private check(): { ctx?: SynthContext; problems: Problem[]; synthesizers: Synthesizer[] } {
    const problems: Problem[] = [];
    for (const c of this.node.findAll()) {
      let messages: string[];
      try {
        messages = c.node.validate();
      } catch (e) {
        const why = e instanceof Error ? e.message : 'unknown error';
        messages = [`a prop has a value of the wrong type, so the construct could not be checked (${why}): compare its props with their documented types.`];
      }
      for (const message of messages) problems.push({ path: c.node.path, message });
    }
    const synthesizers = this.synthesizers;
    try {
      const ctx: SynthContext = { root: this, placement: Placement.compute(this), facts: new Map() };
      const later = [...checkTopology(this, ctx.placement)];
      for (const s of synthesizers) later.push(...(s.check?.(ctx) ?? []));
      return { ctx, problems: [...problems, ...later], synthesizers };
    } catch (e) {
      if (problems.length === 0) throw e;
      return { problems, synthesizers };
    }
  }
}

function byKey<T>([a]: [string, T], [b]: [string, T]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
