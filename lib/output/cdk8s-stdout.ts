/**
 * `cdk8s synth --stdout`. The cdk8s CLI (2.x) runs the app with `CDK8S_OUTDIR` set to a fresh
 * temporary directory (`<tmpdir>/cdk8s-XXXXXX`), then pipes every `*.yaml` file below it to its
 * stdout, all at once and without document separators (cdk8s-team/cdk8s-cli#943), and deletes the
 * directory. Our output has many YAML files, some of which (kustomizations, Helm values) are not
 * Kubernetes objects, so the printed text would not be one parseable stream. In such a run, synth
 * writes one file instead: every Kubernetes object as one multi-document YAML stream.
 *
 * The CLI gives the app no sign of `--stdout` other than that directory, so a run is taken for one
 * when `CDK8S_OUTDIR` is the app's output directory, directly in the temporary directory, named as
 * the CLI names it, and empty. (The CLI also deletes the `output` of cdk8s.yaml before a `--stdout`
 * run; leave `output` out of cdk8s.yaml, it defaults to `dist`.)
 */
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { toYaml } from './render.js';

/** The one file of a `--stdout` run. */
export const CDK8S_STDOUT_FILE = 'manifests.yaml';

/** How the CLI names its temporary output directory (Node's mkdtemp: six letters or digits). */
const CLI_TEMP_DIR = /^cdk8s-[A-Za-z0-9]{6}$/;

/** Whether this synth runs under `cdk8s synth --stdout` with `outdir` as the app's output directory. */
export function isCdk8sStdoutRun(outdir: string): boolean {
  if (process.env.CDK8S_OUTDIR === undefined || process.env.CDK8S_OUTDIR !== outdir) return false;
  const dir = resolve(outdir);
  if (!CLI_TEMP_DIR.test(basename(dir))) return false;
  try {
    return realpathSync(dirname(dir)) === realpathSync(tmpdir()) && lstatSync(dir).isDirectory() && readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

/** The files of a `--stdout` run: every object, sorted by its path in a normal output, as one YAML stream. */
export function cdk8sStdoutFiles(manifests: Iterable<{ readonly path: string; readonly object: unknown }>): Map<string, string> {
  let text = '';
  for (const m of manifests) text += `---\n# ${JSON.stringify(m.path)}\n${toYaml(m.object)}`;
  return new Map([[CDK8S_STDOUT_FILE, text]]);
}
