import { ApiObject, App } from 'cdk8s';
import { checkTopology } from './analysis/checks.js';
import { Placement } from './analysis/placement.js';
import { TopologyError, type Problem } from './errors.js';
import { Group } from './model/group.js';
import { Space } from './model/space.js';
import { FileArtifact } from './output/file-artifact.js';
import { toYaml } from './output/render.js';
import { writeAtomically } from './output/writer.js';
import { emitSpacesObjects } from './targets/spaces.js';

/** Props of a {@link TopologyApp}. */
export interface TopologyAppProps {
  /**
   * Output directory.
   * @default $CDK8S_OUTDIR, else "dist"
   */
  readonly outdir?: string;
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
  /** Every Kubernetes object with its file. */
  readonly manifests: readonly ManifestEntry[];
  /** Every output file (manifests, kustomizations, artifacts), sorted by path. */
  readonly files: ReadonlyMap<string, string>;
}

const KUSTOMIZATION = 'kustomization.yaml';

/**
 * The root of a secrets topology. Build the model below it (Environments and Spaces, Groups,
 * ControlPlanes, SecretStores, SharedSecrets) and call `synth()`.
 *
 * Unlike `cdk8s.App#synth`, synthesis validates the whole model first (every problem at once,
 * nothing written on error), renders each object to its own file under `<space>/groups/<group>/`,
 * and replaces the output directory atomically. Same model, same bytes.
 */
export class TopologyApp extends App {
  private compiled?: Compilation;

  public constructor(props: TopologyAppProps = {}) {
    super({ outdir: props.outdir });
  }

  /** Every problem of the model: each construct's own checks and the topology-wide checks. */
  public problems(placement: Placement = Placement.compute(this)): Problem[] {
    const out: Problem[] = [];
    for (const c of this.node.findAll()) {
      for (const message of c.node.validate()) out.push({ path: c.node.path, message });
    }
    out.push(...checkTopology(this, placement));
    return out;
  }

  /**
   * Validates the model and renders every output file in memory. Throws a {@link TopologyError}
   * listing every problem when the model is invalid. The result is computed once.
   */
  public compile(): Compilation {
    if (this.compiled) return this.compiled;
    const placement = Placement.compute(this);
    const problems = this.problems(placement);
    if (problems.length > 0) throw new TopologyError(problems);

    const files = new Map<string, string>();
    const add = (path: string, content: string, owner: string): void => {
      if (files.has(path)) throw new TopologyError([{ path: owner, message: `output file "${path}" is produced twice: rename one of the objects.` }]);
      files.set(path, content);
    };

    const manifests: ManifestEntry[] = [];
    for (const space of Space.all(this)) {
      const groupDirs: string[] = [];
      for (const group of Group.all(space)) {
        const dir = `${space.name}/groups/${group.name}`;
        const names: string[] = [];
        for (const obj of emitSpacesObjects(group, placement)) {
          const json = obj.toJson() as Record<string, unknown>;
          const file = manifestFileName(obj);
          add(`${dir}/${file}`, toYaml(json), obj.node.path);
          manifests.push({ path: `${dir}/${file}`, object: json });
          names.push(file);
        }
        add(`${dir}/${KUSTOMIZATION}`, kustomization(names), group.node.path);
        groupDirs.push(`groups/${group.name}`);
      }
      add(`${space.name}/${KUSTOMIZATION}`, kustomization(groupDirs), space.node.path);
    }
    for (const artifact of FileArtifact.all(this)) add(artifact.path, artifact.render(), artifact.node.path);

    const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    manifests.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.compiled = { placement, manifests, files: sorted };
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
}

/** `namespace.yaml` for the group Namespace, else `<kind>-<name>.yaml`; unique inside a group directory. */
function manifestFileName(obj: ApiObject): string {
  if (obj.kind === 'Namespace') return 'namespace.yaml';
  return `${obj.kind.toLowerCase()}-${obj.name}.yaml`;
}

/** A kustomize `Kustomization` listing `resources` in sorted order. */
function kustomization(resources: readonly string[]): string {
  return toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...resources].sort(),
  });
}
