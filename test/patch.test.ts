/**
 * The escape hatch: `addJsonPatch` / `addJsonPatchTo` (cdk8s's JsonPatch) on the constructs that
 * emit Kubernetes objects. A patch may add labels and annotations; everything the access analysis,
 * the guardrails or the report read (names, namespaces, selectors, providers, store references,
 * remote keys, refresh intervals, the labels selectors match) is refused with a problem naming the
 * construct, the object and the operation, whatever the operation and however the pointer is
 * spelled; nothing is written then.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildGitOps } from '../examples/gitops.js';
import { buildSveltos } from '../examples/sveltos.js';
import {
  ArgoCdDelivery,
  CloudSpaceObjects,
  ControlPlane,
  EsoExternalSecret,
  FluxDelivery,
  Group,
  SecretStore,
  SharedSecret,
  SveltosSecretDistribution,
  TopologyApp,
  TopologyError,
  TopologyTesting,
} from '../lib/index.js';
import { minimal } from './fixtures/topologies.js';
import { synthCaptured } from './support/output-dirs.js';

type Json = Record<string, any>;

/** The minimal topology with `patch` applied to its constructs; the problems (`path: message`), or the compilation's objects. */
function withPatches(patch: (t: ReturnType<typeof minimal>) => void): {
  problems: string[];
  app: TopologyApp;
  t: ReturnType<typeof minimal>;
} {
  const app = new TopologyApp({ outdir: '/nonexistent' });
  const t = minimal(app);
  patch(t);
  return { problems: app.problems().map((p) => `${p.path}: ${p.message}`), app, t };
}

/** The single problem of a patched minimal topology. */
function refusal(patch: (t: ReturnType<typeof minimal>) => void): string {
  const { problems } = withPatches(patch);
  expect(problems).toHaveLength(1);
  return problems[0];
}

const object = (c: IConstruct, kind?: string): Json => {
  const all = TopologyTesting.synth(c).filter((o) => kind === undefined || o.kind === kind);
  expect(all).toHaveLength(1);
  return all[0];
};

describe('accepted patches', () => {
  it('adds an annotation to an object that has none (the map is created) and a label, keys sorted', () => {
    const { problems, t } = withPatches(({ store, secret }) => {
      store.addJsonPatch(JsonPatch.add('/metadata/annotations/example.com~1owner', 'team-a'));
      secret.addJsonPatch(
        JsonPatch.add('/metadata/labels/team', 'a'),
        JsonPatch.add('/metadata/labels/cost-center', '42'),
        JsonPatch.add('/metadata/annotations', { 'example.com/z': '1', 'example.com/a': '2' }),
      );
    });
    expect(problems).toEqual([]);
    expect(object(t.store).metadata).toEqual({ annotations: { 'example.com/owner': 'team-a' }, name: 'sm-prod', namespace: 'platform' });
    const meta = object(t.secret).metadata;
    expect(Object.keys(meta)).toEqual(['annotations', 'labels', 'name', 'namespace']);
    expect(Object.keys(meta.labels)).toEqual(['cost-center', 'team']);
    expect(Object.keys(meta.annotations)).toEqual(['example.com/a', 'example.com/z']);
  });

  it('applies test, copy, move, replace and remove within what may change, in order', () => {
    const { problems, t } = withPatches(({ store }) => {
      store.addJsonPatch(
        JsonPatch.test('/spec/provider/aws/region', 'eu-central-1'),
        JsonPatch.copy('/spec/provider/aws/region', '/metadata/annotations/example.com~1region'),
        JsonPatch.add('/metadata/annotations/example.com~1tmp', 'x'),
        JsonPatch.move('/metadata/annotations/example.com~1tmp', '/metadata/labels/moved'),
        JsonPatch.replace('/metadata/labels/moved', 'y'),
        JsonPatch.add('/metadata/labels/gone', 'z'),
        JsonPatch.remove('/metadata/labels/gone'),
      );
    });
    expect(problems).toEqual([]);
    expect(object(t.store).metadata).toEqual({
      annotations: { 'example.com/region': 'eu-central-1' },
      labels: { moved: 'y' },
      name: 'sm-prod',
      namespace: 'platform',
    });
  });

  it('leaves an object as it was when the patches add a key and remove it again', () => {
    const before = object(minimal(new TopologyApp({ outdir: '/nonexistent' })).store);
    const { t } = withPatches(({ store }) => {
      store.addJsonPatch(JsonPatch.add('/metadata/labels/a', 'b'), JsonPatch.remove('/metadata/labels/a'));
    });
    expect(object(t.store)).toEqual(before);
  });

  it('writes the patched objects (synth), and only they differ from the unpatched output', () => {
    const plain = new TopologyApp({ outdir: '/nonexistent' });
    minimal(plain);
    const { app, t } = withPatches(({ secret }) => secret.addJsonPatch(JsonPatch.add('/metadata/annotations/example.com~1x', 'y')));
    const a = plain.compile().files;
    const b = app.compile().files;
    const changed = [...b.keys()].filter((k) => a.get(k) !== b.get(k));
    expect(changed).toEqual([[...b.keys()].find((k) => k.includes('sharedexternalsecret-db'))]);
    expect(parse(b.get(changed[0]) ?? '').metadata.annotations).toEqual({ 'example.com/x': 'y' });
    expect(t.secret.node.path).toBe('eks/platform/db');
  });

  it("allows adding an Argo CD sync wave, the one key of a controller's domain that only orders a sync", () => {
    const { problems } = withPatches(({ store }) =>
      store.addJsonPatch(JsonPatch.add('/metadata/annotations/argocd.argoproj.io~1sync-wave', '5')),
    );
    expect(problems).toEqual([]);
  });

  it('treats __proto__ and constructor as ordinary keys (no prototype is touched)', () => {
    const { problems } = withPatches(({ store }) => {
      store.addJsonPatch(JsonPatch.add('/metadata/annotations/__proto__', 'polluted'));
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/annotation key/);
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.add('/metadata/labels/__proto__', { polluted: 'yes' })))).toMatch(
      /not a string/,
    );
    expect(({} as Json).polluted).toBeUndefined();
    const ok = withPatches(({ store }) => store.addJsonPatch(JsonPatch.add('/metadata/annotations/constructor', 'c')));
    expect(ok.problems).toEqual([]);
    expect(object(ok.t.store).metadata.annotations).toEqual({ constructor: 'c' });
  });
});

describe('refused: what the access analysis reads', () => {
  const cases: [string, (t: ReturnType<typeof minimal>) => void, RegExp][] = [
    [
      'replace the provider',
      ({ store }) => store.addJsonPatch(JsonPatch.replace('/spec/provider/aws/region', 'us-east-1')),
      /would change \/spec\/provider\/aws\/region: patching it changes who can read what/,
    ],
    [
      'add auth to the provider',
      ({ store }) => store.addJsonPatch(JsonPatch.add('/spec/provider/aws/auth', { secretRef: {} })),
      /\/spec\/provider\/aws\/auth/,
    ],
    ['remove the provider', ({ store }) => store.addJsonPatch(JsonPatch.remove('/spec/provider')), /would change \/spec\/provider/],
    [
      'replace the control-plane selector',
      ({ store }) => store.addJsonPatch(JsonPatch.replace('/spec/controlPlaneSelector', { names: ['dev-1'] })),
      /\/spec\/controlPlaneSelector/,
    ],
    [
      'add a selector label',
      ({ store }) => store.addJsonPatch(JsonPatch.add('/spec/controlPlaneSelector/labelSelectors/-', { matchLabels: {} })),
      /labelSelectors\/-/,
    ],
    [
      'widen the namespace selector',
      ({ secret }) => secret.addJsonPatch(JsonPatch.add('/spec/namespaceSelector/names/0', 'kube-system')),
      /namespaceSelector\/names\/0/,
    ],
    [
      'append a remote key',
      ({ secret }) =>
        secret.addJsonPatch(JsonPatch.add('/spec/externalSecretSpec/data/-', { secretKey: 'x', remoteRef: { key: 'dev/x' } })),
      /externalSecretSpec\/data\/-/,
    ],
    [
      'replace a remote key',
      ({ secret }) => secret.addJsonPatch(JsonPatch.replace('/spec/externalSecretSpec/data/0/remoteRef/key', 'dev/db')),
      /remoteRef\/key/,
    ],
    [
      'point at another store',
      ({ secret }) => secret.addJsonPatch(JsonPatch.replace('/spec/externalSecretSpec/secretStoreRef/name', 'other')),
      /secretStoreRef\/name/,
    ],
    [
      'change the refresh interval',
      ({ secret }) => secret.addJsonPatch(JsonPatch.replace('/spec/externalSecretSpec/refreshInterval', '1s')),
      /refreshInterval/,
    ],
    [
      'rename the object',
      ({ secret }) => secret.addJsonPatch(JsonPatch.replace('/metadata/name', 'other')),
      /\/metadata\/name: an object's name and namespace are where it lands/,
    ],
    [
      'move the object to another namespace',
      ({ store }) => store.addJsonPatch(JsonPatch.replace('/metadata/namespace', 'other')),
      /\/metadata\/namespace/,
    ],
    ['remove the namespace', ({ store }) => store.addJsonPatch(JsonPatch.remove('/metadata/namespace')), /\/metadata\/namespace/],
    ['replace the whole object', ({ store }) => store.addJsonPatch(JsonPatch.replace('', {})), /the whole object/],
    [
      'move the provider into an annotation',
      ({ store }) => store.addJsonPatch(JsonPatch.move('/spec/provider', '/metadata/annotations/x')),
      /move from "\/spec\/provider".*would change \/spec\/provider/,
    ],
    [
      'move a label onto the selector',
      ({ store }) =>
        store.addJsonPatch(JsonPatch.add('/metadata/labels/x', 'y'), JsonPatch.move('/metadata/labels', '/spec/namespaceSelector')),
      /\/spec\/namespaceSelector/,
    ],
    [
      'copy onto the selector',
      ({ store }) => store.addJsonPatch(JsonPatch.copy('/spec/namespaceSelector', '/spec/controlPlaneSelector')),
      /\/spec\/controlPlaneSelector/,
    ],
    [
      'copy an object into an annotation',
      ({ store }) => store.addJsonPatch(JsonPatch.copy('/spec/provider', '/metadata/annotations/x')),
      /annotations has "x" set to \{"aws"/,
    ],
    ['owner references', ({ store }) => store.addJsonPatch(JsonPatch.add('/metadata/ownerReferences', [])), /\/metadata\/ownerReferences/],
    ['finalizers', ({ store }) => store.addJsonPatch(JsonPatch.add('/metadata/finalizers', ['x'])), /\/metadata\/finalizers/],
    ['the kind', ({ store }) => store.addJsonPatch(JsonPatch.replace('/kind', 'ClusterSecretStore')), /would change \/kind/],
  ];
  for (const [name, patch, message] of cases) {
    it(name, () => {
      const p = refusal(patch);
      expect(p).toMatch(message);
      expect(p).toMatch(/^eks\/platform\/(sm-prod|db): JSON patch(es on| 1, operation \d)/);
    });
  }

  it('reads JSON-pointer escapes as keys: ~1 is a key with a slash, not a path step', () => {
    // "/metadata~1labels/x" is the key "metadata/labels" of the object, not metadata.labels.
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.add('/metadata~1labels', 'x')))).toMatch(/would change \/metadata~1labels/);
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.add('/metadata/annotations~1x', 'y')))).toMatch(
      /would change \/metadata\/annotations~1x/,
    );
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.add('/spec~1provider', 'y')))).toMatch(/would change \/spec~1provider/);
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.add('/metadata/labels~0/x', 'y')))).toMatch(
      /would change \/metadata\/labels~0/,
    );
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.add('/metadata/labels/x~2', 'y')))).toMatch(
      /has a path that has "~" not followed by 0 or 1/,
    );
  });

  it('refuses paths below a label or annotation value', () => {
    expect(
      refusal(({ store }) =>
        store.addJsonPatch(JsonPatch.add('/metadata/annotations/a', 'b'), JsonPatch.add('/metadata/annotations/a/b', 'c')),
      ),
    ).toMatch(/inside a label or annotation value/);
  });

  it("refuses labels of a ControlPlane (selectors match them) and of a group's Namespace", () => {
    expect(refusal(({ devPlane }) => devPlane.addJsonPatch(JsonPatch.add('/metadata/labels/tier', 'gold')))).toMatch(
      /^eks\/platform\/dev-1: JSON patches on ControlPlane "dev-1" in namespace "platform": label "tier" on a ControlPlane: .*Set it with the ControlPlane's labels prop instead/,
    );
    expect(refusal(({ prodPlane }) => prodPlane.addJsonPatch(JsonPatch.replace('/metadata/labels/region', 'us')))).toMatch(
      /label "region" is written by the compiler \("eu-central-1"\) and cannot be changed/,
    );
    expect(withPatches(({ prodPlane }) => prodPlane.addJsonPatch(JsonPatch.remove('/metadata/labels'))).problems).toEqual([
      expect.stringMatching(/label "environment" is written by the compiler \("prod"\) and cannot be removed/),
      expect.stringMatching(/label "region" is written by the compiler \("eu-central-1"\) and cannot be removed/),
    ]);
    expect(refusal(({ group }) => group.addJsonPatch(JsonPatch.add('/metadata/labels/team', 'a')))).toMatch(/Group's namespaceLabels prop/);
    // Annotations of a ControlPlane are not matched by anything: they may be added.
    expect(
      withPatches(({ devPlane }) => devPlane.addJsonPatch(JsonPatch.add('/metadata/annotations/example.com~1a', 'b'))).problems,
    ).toEqual([]);
  });

  it('refuses to change or remove a key the compiler wrote, also by replacing the whole map', () => {
    const p = withPatches(({ group }) => group.addJsonPatch(JsonPatch.replace('/metadata/labels', { team: 'a' }))).problems;
    expect(p.join('\n')).toMatch(/label "spaces.upbound.io\/group" is written by the compiler \("true"\) and cannot be removed/);
  });

  const reserved = [
    'argocd.argoproj.io/sync-options',
    'argocd.argoproj.io/hook',
    'kustomize.toolkit.fluxcd.io/prune',
    'crossplane.io/paused',
    'crossplane.io/external-name',
    'config.kubernetes.io/local-config',
    'kustomize.config.k8s.io/behavior',
    'eks.amazonaws.com/role-arn',
    'iam.gke.io/gcp-service-account',
    'azure.workload.identity/client-id',
    'external-secrets.io/disable-maintenance-checks',
    'spaces.upbound.io/group',
    'helm.sh/resource-policy',
    'projectsveltos.io/x',
    'secrets-topology/target',
  ];
  for (const key of reserved) {
    it(`refuses the controller key ${key} (annotation and label)`, () => {
      const esc = key.replace(/~/g, '~0').replace(/\//g, '~1');
      expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add(`/metadata/annotations/${esc}`, 'x')))).toMatch(
        /a domain read by a controller or tool of the output/,
      );
      expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add(`/metadata/labels/${esc}`, 'x')))).toMatch(
        /a domain read by a controller or tool of the output/,
      );
    });
  }

  it('refuses malformed keys and values (what the API server would reject)', () => {
    expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add('/metadata/labels/Argoproj.IO~1hook', 'x')))).toMatch(/label key/);
    expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add('/metadata/labels/a', 'not a label value')))).toMatch(/label "a"/);
    expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add('/metadata/labels/a', 'x'.repeat(64))))).toMatch(/label "a"/);
    expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add('/metadata/annotations/a', 3)))).toMatch(
      /has "a" set to 3, not a string/,
    );
    expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add('/metadata/annotations/a', null)))).toMatch(/not a string/);
    expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add('/metadata/labels', 'x')))).toMatch(
      /metadata.labels is "x", not a map/,
    );
    expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add('/metadata/annotations/a', 'x'.repeat(300 * 1024))))).toMatch(
      /over Kubernetes' limit of 262144/,
    );
    expect(refusal(({ secret }) => secret.addJsonPatch(JsonPatch.add('/metadata/annotations/a\nb', 'x')))).toMatch(/annotation key/);
  });
});

describe('refused: patches that do not apply', () => {
  it('names a path that does not exist, without a stack trace', () => {
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.remove('/metadata/labels/nope')))).toMatch(
      /^eks\/platform\/sm-prod: JSON patch 1, operation 1 \(remove "\/metadata\/labels\/nope"\) on SharedSecretStore "sm-prod" in namespace "platform" does not apply: \/metadata\/labels\/nope does not exist/,
    );
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.replace('/metadata/annotations/nope', 'x')))).toMatch(/does not exist/);
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.test('/spec/nothing', 'x')))).toMatch(/\/spec\/nothing does not exist/);
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.copy('/spec/nothing', '/metadata/annotations/x')))).toMatch(
      /\/spec\/nothing does not exist/,
    );
    expect(refusal(({ store }) => store.addJsonPatch(JsonPatch.test('/spec/provider/aws/region', 'us-east-1')))).toMatch(
      /is not the one tested/,
    );
  });

  it('applies a call all or nothing: a failing operation drops the call', () => {
    const { problems } = withPatches(({ store }) =>
      store.addJsonPatch(JsonPatch.add('/metadata/labels/a', 'b'), JsonPatch.test('/metadata/labels/a', 'c')),
    );
    expect(problems).toHaveLength(1);
  });

  it('reports operations a JS caller made by hand, and bad selectors', () => {
    const bad = (op: unknown): string => refusal(({ store }) => store.addJsonPatch(op as JsonPatch));
    expect(bad({ op: 'frob', path: '/metadata/labels/a' })).toMatch(/has op "frob", not one of "add", "remove"/);
    expect(bad({ op: 'add', path: 'metadata/labels/a', value: 'b' })).toMatch(/does not start with "\/"/);
    expect(bad({ op: 'add', path: '/metadata/labels/a' })).toMatch(/value that is not JSON data/);
    expect(bad({ op: 'add', path: '/metadata/labels/a', value: () => 1 })).toMatch(/value that is not JSON data/);
    expect(bad({ op: 'move', path: '/metadata/labels/a' })).toMatch(/has a from that is not a string/);
    // Not an object at all: a type problem of the call's arguments, named when it is made.
    expect(bad('add')).toMatch(
      /^eks\/platform\/sm-prod: addJsonPatch call 1: operation 1 has the wrong type: expected a JsonPatch .*got "add" \(a string\)/,
    );
    expect(bad(null)).toMatch(/addJsonPatch call 1: operation 1 has the wrong type: expected a JsonPatch .*got null/);
    // A plain { op, path, value } object is taken as it is (what JsonPatch holds).
    expect(
      withPatches(({ store }) => store.addJsonPatch({ op: 'add', path: '/metadata/labels/a', value: 'b' } as unknown as JsonPatch))
        .problems,
    ).toEqual([]);
    expect(refusal(({ store }) => store.addJsonPatchTo({ kind: 7 } as never, JsonPatch.add('/metadata/labels/a', 'b')))).toMatch(
      /addJsonPatchTo call 1: select\.kind has the wrong type: expected a string, got 7 \(a number\)/,
    );
    expect(refusal(({ store }) => store.addJsonPatchTo('x' as never, JsonPatch.add('/metadata/labels/a', 'b')))).toMatch(
      /addJsonPatchTo call 1: select has the wrong type: expected an object selector \{ kind, name, namespace \} \(each a string\), got "x" \(a string\)/,
    );
    // The next variants: a list as selector, a null selector, a selector name of another type, an operation list inside a list.
    expect(refusal(({ store }) => store.addJsonPatchTo(['SharedSecretStore'] as never, JsonPatch.add('/metadata/labels/a', 'b')))).toMatch(
      /select has the wrong type: .*got a list of 1 item/,
    );
    expect(refusal(({ store }) => store.addJsonPatchTo(null as never, JsonPatch.add('/metadata/labels/a', 'b')))).toMatch(
      /select has the wrong type: .*got null/,
    );
    expect(refusal(({ store }) => store.addJsonPatchTo({ name: { a: 1 } } as never, JsonPatch.add('/metadata/labels/a', 'b')))).toMatch(
      /select\.name has the wrong type: expected a string, got an object with key "a"/,
    );
    expect(bad([JsonPatch.add('/metadata/labels/a', 'b')])).toMatch(
      /operation 1 has the wrong type: expected a JsonPatch .*got a list of 1 item/,
    );
  });

  it('refuses a selector that matches none of the construct’s objects, and a construct that emits nothing', () => {
    expect(refusal(({ store }) => store.addJsonPatchTo({ kind: 'SharedSecretStor' }, JsonPatch.add('/metadata/labels/a', 'b')))).toMatch(
      /JSON patch 1 selects \{"kind":"SharedSecretStor"\}, which matches none of this construct's objects \(SharedSecretStore "sm-prod" in namespace "platform"\)/,
    );
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const t = minimal(app);
    const g = new Group(t.space, 'empty', { manageNamespace: false });
    g.addJsonPatch(JsonPatch.add('/metadata/labels/a', 'b'));
    expect(app.problems().map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^eks\/empty: JSON patch 1 applies to nothing: this construct emits no Kubernetes object/),
    ]);
  });

  it('stops synthesis with exit 1 and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'patch-'));
    try {
      const app = new TopologyApp({ outdir: join(dir, 'dist') });
      const t = minimal(app);
      t.store.addJsonPatch(JsonPatch.replace('/spec/provider/aws/region', 'us-east-1'));
      const { stderr, exitCode } = synthCaptured(app);
      expect(exitCode).toBe(1);
      expect(stderr).toMatch(/1 problem in the secrets topology; nothing was written:\n {2}- eks\/platform\/sm-prod: JSON patch 1/);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows control characters of a hostile path escaped in messages', () => {
    const p = refusal(({ store }) => store.addJsonPatch(JsonPatch.replace('/spec/\u001b[2Jx\nfake', 'y')));
    const e = new TopologyError([{ path: 'eks/platform/sm-prod', message: p.slice(p.indexOf(': ') + 2) }]);
    expect(e.message).not.toMatch(/[\u001b]/);
    expect(e.message.split('\n')).toHaveLength(2);
  });
});

describe('objects of the other targets and of the GitOps constructs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'patch-gitops-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("patches a Cloud Space's objects before they are wrapped, and the wrappers themselves", () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    buildGitOps(app, 'argocd');
    const cloudStore = SecretStore.all(app).find((s) => s.group.space.hosting === 'cloud');
    expect(cloudStore).toBeDefined();
    cloudStore?.addJsonPatch(JsonPatch.add('/metadata/annotations/example.com~1a', 'b'));
    const wrappers = CloudSpaceObjects.all(app)[0];
    wrappers.addJsonPatchTo(
      { kind: 'Object', name: `upbound-us.apps.sharedsecretstore.${cloudStore?.name ?? ''}` },
      JsonPatch.add('/metadata/labels/team', 'x'),
    );
    const objects = TopologyTesting.synth(wrappers) as Json[];
    const wrapped = objects.find((o) => o.spec.forProvider.manifest.kind === 'SharedSecretStore');
    expect(wrapped?.spec.forProvider.manifest.metadata.annotations).toEqual({ 'example.com/a': 'b' });
    expect(wrapped?.metadata.labels.team).toBe('x');
    expect(objects.filter((o) => o.metadata.labels.team === 'x')).toHaveLength(1);
    // The wrapped manifest is the written SharedSecretStore.
    expect(wrapped?.spec.forProvider.manifest).toEqual(TopologyTesting.synth(cloudStore as SecretStore)[0]);
  });

  for (const tool of ['argocd', 'flux'] as const) {
    it(`patches ${tool} objects as they are emitted, selected by kind and name, and refuses their specs`, () => {
      const app = new TopologyApp({ outdir: '/nonexistent' });
      buildGitOps(app, tool);
      const delivery = app.node
        .findAll()
        .find((c): c is ArgoCdDelivery | FluxDelivery => c instanceof ArgoCdDelivery || c instanceof FluxDelivery);
      expect(delivery).toBeDefined();
      const d = delivery as ArgoCdDelivery | FluxDelivery;
      const first = TopologyTesting.synth(d)[0] as Json;
      d.addJsonPatchTo({ kind: first.kind, name: first.metadata.name }, JsonPatch.add('/metadata/annotations/example.com~1a', 'b'));
      const after = TopologyTesting.synth(d) as Json[];
      expect(after.filter((o) => o.metadata.annotations?.['example.com/a'] === 'b')).toHaveLength(1);
      expect(app.compile().manifests.filter((m) => (m.object as Json).metadata.annotations?.['example.com/a'] === 'b')).toHaveLength(1);
      d.addJsonPatchTo({ kind: first.kind, name: first.metadata.name }, JsonPatch.replace('/spec/path', 'other'));
      d.addJsonPatchTo({ kind: 'Nope' }, JsonPatch.add('/metadata/labels/a', 'b'));
      const messages = TopologyTesting.problems(d).map((p) => p.message);
      expect(messages).toEqual([
        expect.stringMatching(/^JSON patch 2, operation 1 \(replace "\/spec\/path"\)/),
        expect.stringMatching(/^JSON patch 3 selects \{"kind":"Nope"\}, which matches none of this construct's objects/),
      ]);
      expect(() => TopologyTesting.synth(d)).toThrow(TopologyError);
    });
  }

  it('patches Sveltos and plain ESO objects, selected by kind', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    buildSveltos(app);
    const dist = app.node.findAll().find((c): c is SveltosSecretDistribution => c instanceof SveltosSecretDistribution);
    const es = app.node.findAll().find((c): c is EsoExternalSecret => c instanceof EsoExternalSecret);
    dist?.addJsonPatchTo({ kind: 'ConfigMap' }, JsonPatch.add('/metadata/labels/example.com~1a', 'b'));
    es?.addJsonPatch(JsonPatch.add('/metadata/annotations/example.com~1a', 'b'));
    const objects = TopologyTesting.synth(dist as SveltosSecretDistribution) as Json[];
    expect(objects.map((o) => [o.kind, o.metadata.labels?.['example.com/a']])).toEqual([
      ['ClusterProfile', undefined],
      ['ConfigMap', 'b'],
    ]);
    expect((TopologyTesting.synth(es as EsoExternalSecret)[0] as Json).metadata.annotations).toEqual({ 'example.com/a': 'b' });
    es?.addJsonPatch(JsonPatch.replace('/spec/secretStoreRef/name', 'other'));
    expect(TopologyTesting.problems(es as EsoExternalSecret).map((p) => p.message)).toEqual([
      expect.stringMatching(/secretStoreRef\/name/),
    ]);
  });

  it('has addJsonPatch on every construct class that emits objects', () => {
    for (const cls of [
      Group,
      ControlPlane,
      SecretStore,
      SharedSecret,
      CloudSpaceObjects,
      ArgoCdDelivery,
      FluxDelivery,
      SveltosSecretDistribution,
      EsoExternalSecret,
    ]) {
      expect(typeof cls.prototype.addJsonPatch, cls.name).toBe('function');
      expect(typeof cls.prototype.addJsonPatchTo, cls.name).toBe('function');
    }
  });
});
