/**
 * The one emit path of a synthesis: the stages write through an {@link OutputSink} into a
 * {@link FileSink} (in memory for `compile()`, a staging directory for `synth()`); then the
 * kustomizations of every manifest directory and the user's file artifacts are added. A path
 * that leaves the output directory or collides with another is refused. The stages name each
 * object's file-per-object path; in the {@link OutputLayout.FILE_PER_GROUP} layout the objects of
 * a directory are written together, in the order of those paths, to its one group file.
 */
import type { Construct } from 'constructs';
import { TopologyError } from '../model/errors.js';
import { FileArtifact } from '../output/file-artifact.js';
import { renderFile, type FileContent } from '../output/file-content.js';
import { kustomizations } from '../output/kustomize.js';
import { directoryOf, groupManifestPath, OutputLayout } from '../output/layout.js';
import { unsafeOutputPath } from '../output/outdir.js';
import { OutputPaths } from '../output/output-path.js';
import { byKey, cmp } from '../private/order.js';
import { isPatchedConstruct, patchingSink } from './check.js';
import type { SynthContext } from './context.js';
import { Patcher } from './patch.js';
import type { OutputSink, Synthesizer } from './synthesizer.js';

/** Where emitted files go. `StagedDirectory` is one; {@link MemorySink} the other. */
export interface FileSink {
  /** Writes a file: its text, or a value to render as YAML or as report-layout JSON. */
  write(path: string, content: FileContent): void;
}

/** The paths an emit produced. */
export interface Emitted {
  /** Every file. */
  readonly paths: ReadonlySet<string>;
  /** The files that hold a Kubernetes object. */
  readonly manifests: ReadonlySet<string>;
}

/** Sees each Kubernetes object as it is written, with the construct it comes from. */
export type ManifestObserver = (path: string, object: Record<string, unknown>, owner: Construct) => void;

/**
 * Runs every stage's `emit` in order, then writes the objects (in the group layout), the
 * kustomizations and the file artifacts, into `sink`; `observe` sees each Kubernetes object as it
 * is emitted, with its file-per-object path.
 */
export function emitAll(
  ctx: SynthContext,
  stages: readonly Synthesizer[],
  sink: FileSink,
  observe?: ManifestObserver,
  layout: OutputLayout = OutputLayout.FILE_PER_OBJECT,
): Emitted {
  const paths = new Set<string>();
  const manifests = new Set<string>();
  const claimed = new OutputPaths();
  // Group layout: the objects of each directory by their file-per-object path (claimed apart, so
  // that two objects of one name still collide, while no file is made at that path).
  const grouped = new Map<string, { path: string; object: Record<string, unknown>; owner: Construct }[]>();
  const objectPaths = new OutputPaths();
  const add = (path: string, content: FileContent, owner: Construct): void => {
    // A path that leaves the output directory, or one that collides with another (exactly, by case
    // or Unicode form, or a file where a directory is needed), is its construct's problem.
    const problem = unsafeOutputPath(path) ?? claimed.claim(path);
    if (problem) throw new TopologyError([{ path: owner.node.path, message: problem }]);
    sink.write(path, content);
    paths.add(path);
  };
  const out: OutputSink = {
    addManifest(path, object, owner) {
      if (layout === OutputLayout.FILE_PER_OBJECT) {
        add(path, { yaml: object }, owner);
        manifests.add(path);
      } else {
        const problem = unsafeOutputPath(path) ?? objectPaths.claim(path);
        if (problem) throw new TopologyError([{ path: owner.node.path, message: problem }]);
        const dir = directoryOf(path);
        let objects = grouped.get(dir);
        if (!objects) grouped.set(dir, (objects = []));
        objects.push({ path, object, owner });
      }
      observe?.(path, object, owner);
    },
    addFile: add,
    addJsonFile(path, value, owner) {
      add(path, { json: value }, owner);
    },
  };
  for (const stage of stages) {
    if (!isPatchedConstruct(stage)) {
      stage.emit(ctx, out);
      continue;
    }
    // The stage's own objects with its JSON patches (checked with the model: a refusal here is a bug).
    const patcher = new Patcher();
    stage.emit(ctx, patchingSink(stage, patcher, out));
    if (patcher.problems.length > 0) throw new TopologyError(patcher.problems);
  }
  for (const [dir, objects] of [...grouped].sort(byKey)) {
    objects.sort((a, b) => cmp(a.path, b.path));
    const file = groupManifestPath(dir);
    add(file, { yamlDocuments: objects.map((o) => o.object) }, objects[0].owner);
    manifests.add(file);
  }
  for (const [path, text] of kustomizations(manifests, ctx.kustomizeRoots)) out.addFile(path, text, ctx.root);
  for (const artifact of FileArtifact.all(ctx.root)) out.addFile(artifact.path, artifact.render(), artifact);
  return { paths, manifests };
}

/** A {@link FileSink} in memory: the text of every file, and the objects of the manifests as they were given. */
export class MemorySink implements FileSink {
  /** File texts by path. */
  public readonly files = new Map<string, string>();
  /** Objects of the files written as `{ yaml }` or `{ yamlDocuments }`, by path, in file order. */
  public readonly objects = new Map<string, readonly Record<string, unknown>[]>();

  public write(path: string, content: FileContent): void {
    this.files.set(path, renderFile(content));
    if (typeof content === 'object' && 'yaml' in content) this.objects.set(path, [content.yaml]);
    if (typeof content === 'object' && 'yamlDocuments' in content) this.objects.set(path, content.yamlDocuments);
  }
}
