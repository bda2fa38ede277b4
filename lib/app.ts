import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { fromYaml } from './output/render.js';
import { unsafeOutputDirectory } from './output/outdir.js';
import { StagedDirectory, renderFile, writeAtomically, type FileContent } from './output/writer.js';
import { constructsOf, withTreeListed } from './model/find.js';
import { isSynthesizer, Stage, type OutputSink, type SynthContext, type Synthesizer } from './synthesizer.js';
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
    return withTreeListed(() => this.check().problems);
  }

  /**
   * Validates the model and renders every output file in memory. Throws a {@link TopologyError}
   * listing every problem when the model is invalid. The result is computed once.
   */
  public compile(): Compilation {
    return withTreeListed(() => this.compileListed());
  }

  private compileListed(): Compilation {
    if (this.compiled) return this.compiled;
    const checked = this.checked();
    const { ctx } = checked;
    const files = new Map<string, string>();
    const { manifests } = this.emitAll(
      checked,
      { write: (p, content) => void files.set(p, renderFile(content)), read: (p) => files.get(p) },
      true,
    );
    this.compiled = {
      placement: ctx.placement,
      facts: ctx.facts,
      manifests: [...manifests.entries()].sort(byKey).map(([path, object]) => ({ path, object })),
      files: new Map([...files.entries()].sort(byKey)),
    };
    return this.compiled;
  }

  /**
   * Validates the model and replaces the output directory with the result. Files are written to a
   * staging directory as they are rendered (their text is not kept in memory) and swapped in at
   * the end, so the output directory holds the complete old or the complete new output. On a model
   * error, prints every problem (no stack trace) to stderr, sets a non-zero exit code and writes
   * nothing.
   */
  public override synth(): void {
    withTreeListed(() => this.synthListed());
  }

  private synthListed(): void {
    try {
      // The output directory is checked before anything else, and reported with the model's problems.
      const unsafe = unsafeOutputDirectory(this.outdir);
      if (unsafe) throw new TopologyError([{ path: '', message: unsafe }, ...this.check().problems]);
      if (this.compiled) {
        writeAtomically(this.outdir, this.compiled.files);
        return;
      }
      const checked = this.checked();
      const { ctx } = checked;
      const staged = new StagedDirectory(this.outdir);
      let manifests: ReadonlyMap<string, Record<string, unknown>>;
      let paths: ReadonlySet<string>;
      try {
        ({ manifests, paths } = this.emitAll(checked, staged, false));
        staged.commit();
      } catch (e) {
        staged.abort();
        throw e;
      }
      // A later compile() returns this result; the files and objects are read back from the
      // output directory when asked for (they are not kept in memory).
      const outdir = staged.target;
      const read = (p: string): string => readFileSync(join(outdir, p), 'utf8');
      let files: Map<string, string> | undefined;
      let entries: ManifestEntry[] | undefined;
      this.compiled = {
        placement: ctx.placement,
        facts: ctx.facts,
        get manifests() {
          entries ??= [...manifests.keys()].sort().map((path) => ({ path, object: fromYaml(read(path)) as Record<string, unknown> }));
          return entries;
        },
        get files() {
          files ??= new Map([...paths].sort().map((p) => [p, read(p)]));
          return files;
        },
      };
    } catch (e) {
      if (!(e instanceof TopologyError)) throw e;
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
    }
  }

  /** The checked synthesis context; throws a {@link TopologyError} listing every problem. */
  private checked(): { ctx: SynthContext; synthesizers: Synthesizer[] } {
    const { ctx, problems, synthesizers } = this.check();
    if (problems.length > 0 || !ctx) throw new TopologyError(problems);
    return { ctx, synthesizers };
  }

  /**
   * Runs every synthesizer's emit and the file artifacts into `files`; returns the manifests (by
   * path) and every path written. Refuses a path produced twice.
   */
  private emitAll(
    { ctx, synthesizers }: { ctx: SynthContext; synthesizers: Synthesizer[] },
    files: FileStore,
    keepObjects: boolean,
  ): { manifests: ReadonlyMap<string, Record<string, unknown>>; paths: ReadonlySet<string> } {
    const objects = new Map<string, Record<string, unknown>>();
    const manifestPaths = new Set<string>();
    const text = (p: string): string => files.read(p) ?? '';
    const manifests = keepObjects ? objects : new ReadBackMap(manifestPaths, (p) => fromYaml(text(p)) as Record<string, unknown>);
    const paths = new Set<string>();
    const add = (path: string, content: FileContent, owner: Construct): void => {
      if (paths.has(path))
        throw new TopologyError([
          { path: owner.node.path, message: `output file "${path}" is produced twice: rename one of the objects.` },
        ]);
      files.write(path, content);
      paths.add(path);
    };
    const sink: OutputSink = {
      files: new ReadBackMap(paths, text),
      manifests,
      addManifest(path, object, owner) {
        add(path, { yaml: object }, owner);
        manifestPaths.add(path);
        if (keepObjects) objects.set(path, object);
      },
      addFile: add,
      addJsonFile(path, value, owner) {
        add(path, { json: value }, owner);
      },
    };
    for (const s of synthesizers) s.emit(ctx, sink);
    for (const artifact of FileArtifact.all(this)) sink.addFile(artifact.path, artifact.render(), artifact);
    return { manifests, paths };
  }

  /**
   * Runs every check: each construct's own first, then placement, the topology-wide checks and
   * the synthesizers' checks. When the constructs' own checks already found problems, a later stage
   * may fail on the values they reject (e.g. a number where a name goes); those problems are then
   * the report. A failure with no such problem is a bug and is thrown as is.
   */
  private check(): { ctx?: SynthContext; problems: Problem[]; synthesizers: Synthesizer[] } {
    const problems: Problem[] = [];
    for (const c of constructsOf(this)) {
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
    const synthesizers = this.synthesizers;
    try {
      const ctx: SynthContext = { root: this, placement: Placement.compute(this), facts: new Map() };
      const later = [...checkTopology(this, ctx.placement)];
      for (const s of synthesizers) {
        // The analysis stages (guardrails, report) judge a valid model only: on a model with other
        // problems their findings would be consequences of the mistakes (issue: spurious findings).
        if (s.stage >= Stage.REPORT && problems.length + later.length > 0) continue;
        later.push(...(s.check?.(ctx) ?? []));
      }
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

/** Where emitted files go: a map in memory ({@link TopologyApp.compile}) or a staging directory. */
interface FileStore {
  /** Writes a file: its text, or a value to render as YAML or as report-layout JSON. */
  write(path: string, content: FileContent): void;
  /** The text of a file written earlier. */
  read(path: string): string | undefined;
}

/**
 * A read-only map over a set of paths whose values are read when asked for: the `files` and
 * `manifests` views synthesizers get when the output is written as it is rendered.
 */
class ReadBackMap<V> implements ReadonlyMap<string, V> {
  public constructor(
    private readonly paths: ReadonlySet<string>,
    private readonly read: (path: string) => V,
  ) {}
  public get size(): number {
    return this.paths.size;
  }
  public has(path: string): boolean {
    return this.paths.has(path);
  }
  public get(path: string): V | undefined {
    return this.paths.has(path) ? this.read(path) : undefined;
  }
  public *keys(): MapIterator<string> {
    yield* this.paths;
  }
  public *entries(): MapIterator<[string, V]> {
    for (const p of this.paths) yield [p, this.read(p)];
  }
  public *values(): MapIterator<V> {
    for (const p of this.paths) yield this.read(p);
  }
  public [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
  public forEach(f: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) f(v, k, this);
  }
}
