import { TopologyApp, TopologyError, type Compilation } from '../../lib/index.js';

/** Builds a model with `build` in a fresh app and compiles it (nothing is written). */
export function compile(build: (app: TopologyApp) => unknown, outdir = '/nonexistent'): Compilation {
  const app = new TopologyApp({ outdir });
  build(app);
  return app.compile();
}

/** The problems of a model as `path: message` lines; empty when it compiles. */
export function problems(build: (app: TopologyApp) => unknown): string[] {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  build(app);
  try {
    app.compile();
    return [];
  } catch (e) {
    if (e instanceof TopologyError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
}
