/**
 * The testing helpers: TopologyTesting.synth returns a construct's emitted objects (and those of the
 * constructs below it) as written, after JSON patches; Group.toJson makes cdk8s's own
 * Testing.synth(group) return the group's objects; TopologyApp.of finds the root.
 */
import { existsSync, rmSync } from 'node:fs';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ArgoCdDelivery, TopologyApp, TopologyError, TopologyTesting } from '../lib/index.js';
import { minimal } from './fixtures/topologies.js';

type Json = Record<string, any>;

describe('TopologyTesting', () => {
  it("returns a construct's own objects, as written", () => {
    const t = minimal(TopologyTesting.app());
    const store = TopologyTesting.synth(t.store) as Json[];
    expect(store.map((o) => [o.kind, o.metadata.name])).toEqual([['SharedSecretStore', 'sm-prod']]);
    const written = t.app.compile().manifests.find((m) => m.path.endsWith('sharedsecretstore-sm-prod.yaml'));
    expect(store[0]).toEqual(written?.object);
    expect(TopologyTesting.synth(t.secret).map((o) => o.kind)).toEqual(['SharedExternalSecret']);
    expect(TopologyTesting.synth(t.prodPlane).map((o) => o.kind)).toEqual(['ControlPlane']);
  });

  it('returns the objects of every construct below a scope, in output-path order; the app: every object', () => {
    const t = minimal(TopologyTesting.app());
    expect(TopologyTesting.synth(t.group).map((o) => `${String(o.kind)}/${String((o.metadata as Json).name)}`)).toEqual([
      'ControlPlane/dev-1',
      'ControlPlane/prod-1',
      'Namespace/platform',
      'SharedExternalSecret/db',
      'SharedSecretStore/sm-prod',
    ]);
    expect(TopologyTesting.synth(t.space)).toEqual(TopologyTesting.synth(t.group));
    expect(TopologyTesting.synth(t.app)).toEqual(t.app.compile().manifests.map((m) => m.object));
    expect(TopologyTesting.synth(t.dev)).toEqual([]);
  });

  it('sees patches and constructs added after an earlier call, and returns copies', () => {
    const t = minimal(TopologyTesting.app());
    const first = TopologyTesting.synth(t.store) as Json[];
    first[0].metadata.name = 'mutated';
    t.store.addJsonPatch(JsonPatch.add('/metadata/labels/team', 'a'));
    const second = TopologyTesting.synth(t.store) as Json[];
    expect(second[0].metadata).toEqual({ labels: { team: 'a' }, name: 'sm-prod', namespace: 'platform' });
  });

  it("includes a GitOps construct's objects (made at emit)", () => {
    const t = minimal(TopologyTesting.app());
    const argo = new ArgoCdDelivery(t.app, 'argocd', {
      repoUrl: 'https://github.com/acme/platform.git',
      destinations: { eks: { server: 'https://kubernetes.default.svc' } },
    });
    expect(TopologyTesting.synth(argo).map((o) => o.kind)).toEqual(['Application']);
  });

  it('throws a TopologyError listing every problem; problems() lists those at or below a construct', () => {
    const t = minimal(TopologyTesting.app());
    t.store.addJsonPatch(JsonPatch.replace('/metadata/name', 'x'));
    t.secret.addJsonPatch(JsonPatch.replace('/metadata/name', 'x'));
    expect(() => TopologyTesting.synth(t.prodPlane)).toThrow(TopologyError);
    expect(TopologyTesting.problems(t.store).map((p) => p.path)).toEqual(['eks/platform/sm-prod']);
    expect(TopologyTesting.problems(t.group).map((p) => p.path)).toEqual(['eks/platform/db', 'eks/platform/sm-prod']);
    expect(TopologyTesting.problems(t.app)).toHaveLength(2);
    expect(TopologyTesting.problems(t.prodPlane)).toEqual([]);
  });

  it('app() writes to a new temporary directory unless told otherwise', () => {
    const a = TopologyTesting.app();
    const b = TopologyTesting.app();
    expect(a.outdir).not.toBe(b.outdir);
    expect(existsSync(a.outdir)).toBe(true);
    expect(TopologyTesting.app({ outdir: '/nonexistent' }).outdir).toBe('/nonexistent');
    rmSync(a.outdir, { recursive: true });
    rmSync(b.outdir, { recursive: true });
  });

  it('app() with a null outdir: a problem of the app (not replaced by a temporary directory)', () => {
    const app = TopologyTesting.app({ outdir: null as unknown as string });
    expect(app.problems().map((p) => `${p.path || '(app)'}: ${p.message}`)).toEqual([
      expect.stringMatching(/^\(app\): outdir has the wrong type: expected a string, got null/),
    ]);
  });

  it('app() with props that are not an object: a problem of the app, as for new TopologyApp (never a TypeError, never ignored)', () => {
    for (const props of [null, 'x', 8080, ['outdir']]) {
      const app = TopologyTesting.app(props as unknown as undefined);
      expect(
        app.problems().map((p) => `${p.path || '(app)'}: ${p.message}`),
        JSON.stringify(props),
      ).toEqual([expect.stringMatching(/^\(app\): props has the wrong type: expected an object, got /)]);
    }
  });
});

describe('Group.toJson and cdk8s Testing.synth', () => {
  it("returns the group's objects (a Group is a cdk8s Chart)", () => {
    const t = minimal(new TopologyApp({ outdir: '/nonexistent' }));
    expect(t.group).toBeInstanceOf(Chart);
    expect(Testing.synth(t.group)).toEqual(TopologyTesting.synth(t.group));
    expect(t.group.toJson()).toHaveLength(5);
  });
});

describe('TopologyApp.of', () => {
  it('finds the app at the root of any construct, and says so when there is none', () => {
    const t = minimal(new TopologyApp({ outdir: '/nonexistent' }));
    expect(TopologyApp.of(t.secret)).toBe(t.app);
    expect(TopologyApp.of(t.app)).toBe(t.app);
    const stray = new Construct(new Construct(undefined as never, 'root'), 'x');
    expect(() => TopologyApp.of(stray)).toThrow(/root\/x is not in a TopologyApp's tree/);
    expect(() => TopologyTesting.synth(stray)).toThrow(/not in a TopologyApp's tree/);
  });
});
