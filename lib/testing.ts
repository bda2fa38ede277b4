/**
 * Testing helpers in the style of cdk8s's `Testing`: an app that writes to a temporary directory,
 * and a construct's emitted Kubernetes objects as plain JSON (after its JSON patches), to assert on
 * in unit tests without synthesizing to disk.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IConstruct } from 'constructs';
import { TopologyApp, type TopologyAppProps } from './app.js';
import { sortProblems, type Problem } from './model/errors.js';

/** Testing helpers for secrets topologies (see cdk8s's `Testing`). */
export class TopologyTesting {
  /**
   * A {@link TopologyApp} for tests, whose output directory is a new temporary directory unless
   * `props.outdir` says otherwise.
   */
  public static app(props: TopologyAppProps = {}): TopologyApp {
    const given: unknown = props;
    // Props that are not an object (null, a string, a list) are the app's props problem, as for
    // `new TopologyApp`: never read (null has no outdir) nor spread (a string's characters are no props).
    if (given === null || typeof given !== 'object' || Array.isArray(given)) return new TopologyApp(props);
    // Only a missing outdir gets the temporary directory: a null one is a wrong value, reported as such.
    return new TopologyApp({
      ...props,
      outdir: props.outdir !== undefined ? props.outdir : mkdtempSync(join(tmpdir(), 'secrets-topology.')),
    });
  }

  /**
   * The Kubernetes objects `construct` and the constructs below it emit, as they are written (after
   * JSON patches), in output-path order: a SecretStore's SharedSecretStore, a Group's Namespace,
   * ControlPlanes and Shared* objects, an ArgoCdDelivery's Applications, the app's every object.
   * Validates the whole topology first: throws a `TopologyError` listing every problem.
   */
  public static synth(construct: IConstruct): Record<string, unknown>[] {
    return TopologyApp.of(construct).objectsOf(construct);
  }

  /**
   * The problems of the topology at `construct` or below it (every problem, for the app), sorted
   * by path then message. Empty when there is none.
   */
  public static problems(construct: IConstruct): Problem[] {
    const path = construct.node.path;
    return sortProblems(TopologyApp.of(construct).problems()).filter(
      (p) => path === '' || p.path === path || p.path.startsWith(`${path}/`),
    );
  }

  private constructor() {}
}
