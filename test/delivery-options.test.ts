/**
 * The delivery options of issue 16: Flux's chart registry credentials (`secretRef`) and Helm
 * install/upgrade remediation and CRD policy; Argo CD's inline base values (checked against the
 * keys the generated values own) and value files; the ApplicationSet output (one list generator
 * per Space or cluster), whose generated Applications are exactly the Applications of the default
 * output. Every object is validated against its CRD's schema and CEL rules.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildGitOps, type GitOpsOptions } from '../examples/gitops.js';
import {
  ArgoCdDelivery,
  FLUX_CRD_POLICIES,
  FLUX_INSTALL_DEFAULTS,
  FLUX_UPGRADE_DEFAULTS,
  FLUX_UPGRADE_REMEDIATIONS,
  type Compilation,
  type FluxHelmInstallOptions,
  type FluxHelmUpgradeOptions,
  TopologyApp,
} from '../lib/index.js';
import { compile, problems } from './support/compile.js';
import { CrdValidator, describeWithCrds } from './support/crd-schemas.js';

type Json = Record<string, any>;

const objectsOf = (out: Compilation, kind: string): Json[] => out.manifests.filter((m) => m.object.kind === kind).map((m) => m.object);
const named = (out: Compilation, kind: string, name: string): Json => {
  const found = objectsOf(out, kind).find((o) => o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const flux = (options: GitOpsOptions = {}) => compile((app) => buildGitOps(app, 'flux', options));
const argo = (options: GitOpsOptions = {}) => compile((app) => buildGitOps(app, 'argocd', options));
const fluxProblems = (options: GitOpsOptions) => problems((app) => buildGitOps(app, 'flux', options));
const argoProblems = (options: GitOpsOptions) => problems((app) => buildGitOps(app, 'argocd', options));

// ---------------------------------------------------------------------------------------------
// Flux

describe('Flux: chart registry credentials', () => {
  it('puts the Secret name in spec.secretRef of the OCIRepository (Spaces chart), and nothing by default', () => {
    expect(named(flux({ secretRef: 'spaces-registry' }), 'OCIRepository', 'aws-eu-spaces').spec.secretRef).toEqual({
      name: 'spaces-registry',
    });
    expect(named(flux(), 'OCIRepository', 'aws-eu-spaces').spec.secretRef).toBeUndefined();
    // The ESO chart (an HTTPS Helm repository) has its own setting: none here.
    expect(named(flux({ secretRef: 'spaces-registry' }), 'HelmRepository', 'tools-external-secrets').spec.secretRef).toBeUndefined();
  });

  it('an HTTPS Helm repository (the ESO chart) gets it in HelmRepository.spec.secretRef', () => {
    const out = flux({ esoSecretRef: 'eso-charts' });
    expect(named(out, 'HelmRepository', 'tools-external-secrets').spec.secretRef).toEqual({ name: 'eso-charts' });
    expect(named(out, 'OCIRepository', 'aws-eu-spaces').spec.secretRef).toBeUndefined();
    expect(fluxProblems({ esoSecretRef: 'Eso Charts' })).toEqual([
      expect.stringMatching(/^flux: esoChart\.secretRef \(10 characters, not shown/),
    ]);
  });

  it('refuses a value that is not a Secret name, without ever repeating it (it may be a credential)', () => {
    const tokens = [
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      '{"auths":{"xpkg.upbound.io":{"auth":"dXNlcjpwYXNz"}}}',
      'user:password',
      'Spaces-Registry',
      ' acme-registry',
      'acme-registry\n',
      '',
      'a'.repeat(254),
    ];
    for (const secretRef of tokens) {
      const found = fluxProblems({ secretRef });
      expect(found, secretRef).toEqual([
        expect.stringMatching(/^flux: spacesChart\.secretRef \(\d+ characters, not shown: it may be a credential\)/),
      ]);
      if (secretRef.trim() !== '') expect(found[0]).not.toContain(secretRef.trim());
    }
    // A value of another type is a type problem of the props schema; secretRef is never repeated there either.
    expect(fluxProblems({ secretRef: 42 as unknown as string })).toEqual([
      'flux: spacesChart.secretRef has the wrong type: expected a string, got 42 (a number); quote it (e.g. "42"): values are not converted.',
    ]);
  });

  it('property: no problem message contains a rejected secretRef', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 60 }).filter((s) => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s) && s.trim().length >= 6),
        (secretRef) => {
          const found = fluxProblems({ secretRef });
          expect(found).toHaveLength(1);
          expect(found[0]).not.toContain(secretRef);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('Flux: HelmRelease install and upgrade settings', () => {
  it('defaults: 3 retries each, roll back the last failed upgrade, keep a failed first install, CRDs CreateReplace', () => {
    const hr = named(flux(), 'HelmRelease', 'aws-eu-spaces');
    expect(hr.spec.install).toEqual({
      createNamespace: true,
      crds: 'CreateReplace',
      remediation: { retries: 3, remediateLastFailure: false },
    });
    expect(hr.spec.upgrade).toEqual({
      cleanupOnFail: true,
      crds: 'CreateReplace',
      remediation: { remediateLastFailure: true, retries: 3, strategy: 'rollback' },
    });
    // The ESO release gets the same defaults.
    expect(named(flux(), 'HelmRelease', 'tools-external-secrets').spec.upgrade).toEqual(hr.spec.upgrade);
    expect(FLUX_INSTALL_DEFAULTS).toEqual({ retries: 3, remediateLastFailure: false, crds: 'CreateReplace' });
    expect(FLUX_UPGRADE_DEFAULTS).toEqual({
      retries: 3,
      remediateLastFailure: true,
      strategy: 'rollback',
      cleanupOnFail: true,
      crds: 'CreateReplace',
    });
  });

  it('writes the given settings, each on its own (the others keep their defaults)', () => {
    const hr = named(
      flux({
        install: { retries: -1, crds: 'Skip' },
        upgrade: { strategy: 'uninstall', cleanupOnFail: false, remediateLastFailure: false },
      }),
      'HelmRelease',
      'aws-eu-spaces',
    );
    expect(hr.spec.install).toEqual({ createNamespace: true, crds: 'Skip', remediation: { retries: -1, remediateLastFailure: false } });
    expect(hr.spec.upgrade).toEqual({
      cleanupOnFail: false,
      crds: 'CreateReplace',
      remediation: { remediateLastFailure: false, retries: 3, strategy: 'uninstall' },
    });
  });

  it('refuses bad values with the setting path and the fix', () => {
    const T = 'flux: spacesChart.';
    const cases: [GitOpsOptions, string][] = [
      [
        { install: { retries: 1.5 } },
        `${T}install.retries has the wrong type: expected a whole number, got 1.5 (a number); give a whole number.`,
      ],
      [
        { upgrade: { retries: -2 } },
        'flux: spacesChart.upgrade.retries -2 is not a number of retries: use a whole number from 0 (no retry), or -1 to retry forever.',
      ],
      [
        { upgrade: { retries: '3' as unknown as number } },
        `${T}upgrade.retries has the wrong type: expected a whole number, got "3" (a string); write the number without quotes.`,
      ],
      [
        { install: { retries: Number.NaN } },
        `${T}install.retries has the wrong type: expected a whole number, got NaN (a number); give a whole number.`,
      ],
      [
        { install: { crds: 'createreplace' as never } },
        `${T}install.crds "createreplace" is not supported: expected one of "Skip", "Create", "CreateReplace"; use one of those.`,
      ],
      [
        { upgrade: { strategy: 'Rollback' as never } },
        `${T}upgrade.strategy "Rollback" is not supported: expected one of "rollback", "uninstall"; use one of those.`,
      ],
      [
        { upgrade: { cleanupOnFail: 'yes' as never } },
        `${T}upgrade.cleanupOnFail has the wrong type: expected a boolean (true or false), got "yes" (a string); write true or false without quotes ("yes" is a string, and not converted).`,
      ],
      [
        { install: { retry: 3 } as FluxHelmInstallOptions },
        `${T}install.retry is not a known prop (props are checked strictly: a misspelt prop would be ignored silently): did you mean "retries"? Rename it.`,
      ],
      [
        { install: { strategy: 'rollback' } as FluxHelmInstallOptions },
        `${T}install.strategy is not a known prop (props are checked strictly: a misspelt prop would be ignored silently): remove it; the props here are "crds", "remediateLastFailure", "retries".`,
      ],
      [
        { upgrade: 3 as unknown as FluxHelmUpgradeOptions },
        `${T}upgrade has the wrong type: expected an object, got 3 (a number); give an object.`,
      ],
      [
        { upgrade: { retries: -1, remediateLastFailure: true } },
        'flux: spacesChart.upgrade sets remediateLastFailure with retries -1: with unlimited retries there is no last failure to remediate; set a number of retries, or remove remediateLastFailure.',
      ],
    ];
    for (const [options, message] of cases) expect(fluxProblems(options), JSON.stringify(options)).toEqual([message]);
  });

  it('escapes control characters of a bad value in the message', () => {
    const [message] = fluxProblems({ install: { crds: 'Skip\u001b[2J' as never } });
    expect(message).toContain('"Skip\\u001b[2J"');
    expect(message).not.toContain('\u001b');
  });
});

describeWithCrds('Flux options validate against the Flux CRDs (schema and CEL rules)', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['flux'] });
  });

  it('property: any valid install/upgrade settings give a HelmRelease and OCIRepository the CRDs accept', () => {
    const install = fc.record(
      { retries: fc.integer({ min: 0, max: 10 }), remediateLastFailure: fc.boolean(), crds: fc.constantFrom(...FLUX_CRD_POLICIES) },
      { requiredKeys: [] },
    );
    const upgrade = fc.record(
      {
        retries: fc.integer({ min: -1, max: 10 }),
        strategy: fc.constantFrom(...FLUX_UPGRADE_REMEDIATIONS),
        cleanupOnFail: fc.boolean(),
        crds: fc.constantFrom(...FLUX_CRD_POLICIES),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(install, upgrade, fc.constantFrom(undefined, 'spaces-registry', 'upbound.pull-secret'), (i, u, secretRef) => {
        const out = flux({ install: i, upgrade: u, secretRef });
        const objects = [...objectsOf(out, 'HelmRelease'), ...objectsOf(out, 'OCIRepository'), ...objectsOf(out, 'HelmRepository')];
        expect(objects.flatMap((o) => v.validate(o))).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });

  it('the CRD itself rejects what the checks refuse (an unknown CRD policy, a fractional retry count)', () => {
    const hr = structuredClone(named(flux(), 'HelmRelease', 'aws-eu-spaces'));
    hr.spec.install.crds = 'createreplace';
    hr.spec.upgrade.remediation.retries = 1.5;
    const errors = v.validate(hr).join('\n');
    expect(errors).toContain('/spec/install/crds must be equal to one of the allowed values');
    expect(errors).toContain('/spec/upgrade/remediation/retries must be integer');
  });
});

// ---------------------------------------------------------------------------------------------
// Argo CD: the user's base values

describe('Argo CD: the Spaces release takes the user base values and the generated values', () => {
  it('inline values go to helm.valuesObject; value files come first, the generated file last', () => {
    const app = named(argo({ values: { account: 'acme', ingress: { host: 'spaces.acme.example' } } }), 'Application', 'aws-eu-spaces');
    const helm = app.spec.sources[0].helm;
    expect(helm.valuesObject).toEqual({ account: 'acme', ingress: { host: 'spaces.acme.example' } });
    expect(helm.valueFiles).toEqual(['$values/platform/spaces-base-values.yaml', '$values/dist/spaces/aws-eu/helm/spaces-values.yaml']);
    expect(named(argo(), 'Application', 'aws-eu-spaces').spec.sources[0].helm.valuesObject).toBeUndefined();
  });

  it('values may add keys next to and below the generated ones (Helm merges maps)', () => {
    expect(
      argoProblems({
        values: {
          features: { alpha: { other: { enabled: true } } },
          controlPlanes: { sharedSecrets: { resources: { limits: { memory: '256Mi' } } } },
        },
      }),
    ).toEqual([]);
  });

  it('refuses a key the generated values set: the inline values would override the topology', () => {
    const file = 'spaces/aws-eu/helm/spaces-values.yaml';
    const expected = (key: string) =>
      `argocd: spacesChart.values sets ${key}, which the generated values set (${file}): Argo CD applies inline values over every values file, so this one would override the topology. Remove it from values; change the topology instead (or, for a setting of your own below it, use a values file in valueFiles, which the generated file overrides).`;
    expect(argoProblems({ values: { features: { alpha: { sharedSecrets: { enabled: false } } } } })).toEqual([
      expected('features.alpha.sharedSecrets.enabled'),
    ]);
    // The same value is refused too: when the topology changes, the inline copy would win silently.
    expect(argoProblems({ values: { features: { alpha: { sharedSecrets: { enabled: true } } } } })).toEqual([
      expected('features.alpha.sharedSecrets.enabled'),
    ]);
    // A key with dots (the IRSA annotation) is shown quoted.
    expect(
      argoProblems({
        values: { controlPlanes: { sharedSecrets: { serviceAccount: { customAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:x' } } } } },
      }),
    ).toEqual([expected('controlPlanes.sharedSecrets.serviceAccount.customAnnotations["eks.amazonaws.com/role-arn"]')]);
    // Replacing a map the generated values set keys in (null deletes it in Helm; a scalar replaces it).
    expect(argoProblems({ values: { features: null } })).toEqual([expected('features')]);
    expect(argoProblems({ values: { features: { alpha: 'off' } } })).toEqual([expected('features.alpha')]);
    // A map the generated values set empty is theirs as a whole (the controller pod's labels).
    expect(argoProblems({ values: { controlPlanes: { sharedSecrets: { pod: { customLabels: { team: 'a' } } } } } })).toEqual([
      expected('controlPlanes.sharedSecrets.pod.customLabels'),
    ]);
    // Every conflict is listed.
    expect(argoProblems({ values: { features: { alpha: { sharedSecrets: 1 } }, controlPlanes: 'x' } })).toHaveLength(2);
  });

  it('checks the ESO release the same way', () => {
    const out = compile((app) => {
      buildGitOps(app, 'argocd');
    });
    const generated = parse(out.files.get('clusters/tools/helm/eso-values.yaml') ?? '') as Json;
    expect(generated.serviceAccount.name).toBe('external-secrets');
    const found = argoProblems({ esoValues: { serviceAccount: { name: 'eso' }, replicaCount: 2 } });
    expect(found).toEqual([
      expect.stringMatching(
        /^argocd: esoChart\.values sets serviceAccount\.name, which the generated values set \(clusters\/tools\/helm\/eso-values\.yaml\)/,
      ),
    ]);
  });

  it('refuses values that are not plain data, naming the key', () => {
    const cyclic: Json = { a: {} };
    cyclic.a.self = cyclic.a;
    const deep: Json = {};
    let at = deep;
    for (let i = 0; i < 70; i++) at = at.x = {};
    const cases: [unknown, string][] = [
      [
        ['account'],
        'argocd: spacesChart.values has the wrong type: expected an object of Helm values, e.g. { account: "acme" }, got a list of 1 item; give an object of Helm values, e.g. { account: "acme" }.',
      ],
      [
        'account: acme',
        'argocd: spacesChart.values has the wrong type: expected an object of Helm values, e.g. { account: "acme" }, got "account: acme" (a string); give an object of Helm values, e.g. { account: "acme" }.',
      ],
      [{ a: undefined }, 'argocd: spacesChart.values.a is undefined: remove the key, or use null to unset a chart default.'],
      [
        { a: { b: Number.POSITIVE_INFINITY } },
        'argocd: spacesChart.values.a.b is Infinity, which YAML and JSON cannot carry: use a finite number or a string.',
      ],
      [
        { a: [1, Number.NaN] },
        'argocd: spacesChart.values.a[1] is NaN, which YAML and JSON cannot carry: use a finite number or a string.',
      ],
      [
        { when: new Date(0) },
        'argocd: spacesChart.values.when is a Date, not plain data: use objects, lists, strings, numbers, booleans or null.',
      ],
      [
        { f: () => 1 },
        'argocd: spacesChart.values.f is a function, not plain data: use objects, lists, strings, numbers, booleans or null.',
      ],
      [
        { 'a.b': { c: 1n } },
        'argocd: spacesChart.values["a.b"].c is a bigint, not plain data: use objects, lists, strings, numbers, booleans or null.',
      ],
      [
        cyclic,
        'argocd: spacesChart.values.a.self refers back to a value that contains it (a cycle): Helm values are a tree; copy the value instead.',
      ],
      [
        JSON.parse('{"__proto__": {"polluted": true}}'),
        'argocd: spacesChart.values has a key "__proto__", which JavaScript objects do not keep as data: rename it.',
      ],
      [
        JSON.parse('{"a": {"__proto__": 1}}'),
        'argocd: spacesChart.values.a has a key "__proto__", which JavaScript objects do not keep as data: rename it.',
      ],
    ];
    for (const [values, message] of cases) expect(argoProblems({ values: values as Record<string, unknown> })).toEqual([message]);
    expect(argoProblems({ values: deep })).toEqual([expect.stringContaining('is nested more than 64 levels deep')]);
    // A shared (not cyclic) value is fine: it is a DAG, written twice.
    const shared = { host: 'a' };
    expect(argoProblems({ values: { x: shared, y: shared } })).toEqual([]);
  });

  it('refuses value files that are not plain repository paths', () => {
    const found = argoProblems({
      valueFiles: ['../secrets.yaml', '$values/x.yaml', '', 'a\\b.yaml', 'ok/base.yaml', 'x\u0007.yaml'],
    });
    expect(found).toEqual([
      'argocd: spacesChart.valueFiles[0] "../secrets.yaml" must be a plain path from the repository root (no "$" reference, "..", "\\" or control characters): it is read as "$values/<path>" from this repository, e.g. "platform/spaces-base-values.yaml".',
      'argocd: spacesChart.valueFiles[1] "$values/x.yaml" must be a plain path from the repository root (no "$" reference, "..", "\\" or control characters): it is read as "$values/<path>" from this repository, e.g. "platform/spaces-base-values.yaml".',
      'argocd: spacesChart.valueFiles[2] "" must be a path from the repository root, e.g. "platform/spaces-base-values.yaml".',
      'argocd: spacesChart.valueFiles[3] "a\\\\b.yaml" must be a plain path from the repository root (no "$" reference, "..", "\\" or control characters): it is read as "$values/<path>" from this repository, e.g. "platform/spaces-base-values.yaml".',
      'argocd: spacesChart.valueFiles[5] "x\\u0007.yaml" must be a plain path from the repository root (no "$" reference, "..", "\\" or control characters): it is read as "$values/<path>" from this repository, e.g. "platform/spaces-base-values.yaml".',
    ]);
    // A path of another type is a type problem of the props schema (reported alone: the other checks would read it).
    expect(argoProblems({ valueFiles: ['ok/base.yaml', 3 as unknown as string] })).toEqual([
      'argocd: spacesChart.valueFiles[1] has the wrong type: expected a string, got 3 (a number); quote it (e.g. "3"): values are not converted.',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Argo CD: ApplicationSet

/** What the ApplicationSet controller does with a list generator and a Go template of `{{.key}}` fields. */
function generate(set: Json): Json[] {
  expect(set.spec.goTemplate).toBe(true);
  expect(set.spec.generators).toHaveLength(1);
  const elements = set.spec.generators[0].list.elements as Record<string, string>[];
  const fill = (v: unknown, e: Record<string, string>): unknown => {
    if (typeof v === 'string')
      return v.replace(/\{\{\.([A-Za-z]+)\}\}/g, (_, k: string) => {
        if (!(k in e)) throw new Error(`missingkey=error: ${k}`);
        return e[k];
      });
    if (Array.isArray(v)) return v.map((x) => fill(x, e));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, e)]));
    return v;
  };
  return elements.map((e) => {
    const t = fill(set.spec.template, e) as Json;
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { ...t.metadata, namespace: set.metadata.namespace },
      spec: t.spec,
    };
  });
}

describe('Argo CD: one ApplicationSet per Space or cluster', () => {
  let plain: Compilation;
  let sets: Compilation;
  beforeAll(() => {
    plain = argo();
    sets = argo({ applicationSet: true });
  });

  it('replaces the directory Applications with one ApplicationSet per target; the Helm releases stay Applications', () => {
    expect(objectsOf(sets, 'ApplicationSet').map((s) => s.metadata.name)).toEqual(['aws-eu', 'tools', 'upbound-us']);
    expect(
      objectsOf(sets, 'Application')
        .map((a) => a.metadata.name)
        .sort(),
    ).toEqual(['aws-eu-spaces', 'tools-external-secrets']);
    expect(parse(sets.files.get('argocd/kustomization.yaml') ?? '').resources).toEqual([
      'application-aws-eu-spaces.yaml',
      'application-tools-external-secrets.yaml',
      'applicationset-aws-eu.yaml',
      'applicationset-tools.yaml',
      'applicationset-upbound-us.yaml',
    ]);
  });

  it('generates exactly the Applications of the default output (names, paths, destinations, sync policy)', () => {
    const generated = objectsOf(sets, 'ApplicationSet').flatMap(generate);
    const helmReleases = new Set(['aws-eu-spaces', 'tools-external-secrets']);
    const expected = objectsOf(plain, 'Application').filter((a) => !helmReleases.has(a.metadata.name));
    const byName = (a: Json, b: Json) => (a.metadata.name as string).localeCompare(b.metadata.name as string);
    expect(generated.sort(byName)).toEqual(expected.sort(byName));
  });

  it('one element per group of a Space with several groups; namespaces only where the directories have one', () => {
    const out = compile((app) => {
      buildGitOps(app, 'argocd', { applicationSet: true });
    });
    const space = named(out, 'ApplicationSet', 'aws-eu');
    expect(space.spec.generators[0].list.elements).toEqual([
      { name: 'aws-eu-platform', namespace: 'platform', path: 'dist/spaces/aws-eu/groups/platform' },
    ]);
    expect(space.spec.template.spec.destination.namespace).toBe('{{.namespace}}');
    const cloud = named(out, 'ApplicationSet', 'upbound-us');
    expect(cloud.spec.generators[0].list.elements).toEqual([
      { name: 'upbound-us-apps', path: 'dist/spaces/upbound-us/cloud-objects/apps' },
    ]);
    expect(cloud.spec.template.spec.destination).toEqual({ name: 'delivery-cp' });
    expect(space.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
  });

  it('keeps delivered objects when the ApplicationSet is deleted only while protectControlPlanes is on', () => {
    const set = (protectControlPlanes: boolean) =>
      new ArgoCdDelivery(new TopologyApp({ outdir: '/nonexistent' }), 'argocd', {
        repoUrl: 'https://github.com/acme/platform-secrets.git',
        destinations: { x: { name: 'x' } },
        protectControlPlanes,
      }).applicationSet('x', [{ target: 'x', targetKind: 'cluster', name: 'x', dir: 'clusters/x', owner: new TopologyApp() }]);
    expect(set(false).spec).not.toHaveProperty('syncPolicy');
    expect((set(true).spec as Json).syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
  });

  it('refuses an applicationSet that is not a boolean', () => {
    expect(argoProblems({ applicationSet: 'yes' as unknown as boolean })).toEqual([
      'argocd: applicationSet has the wrong type: expected a boolean (true or false), got "yes" (a string); write true or false without quotes ("yes" is a string, and not converted).',
    ]);
  });
});

describeWithCrds('Argo CD options validate against the Argo CD CRDs (schema and CEL rules)', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['argo-cd'] });
  });

  it('ApplicationSets, the Applications they generate, and the Helm Application with inline values', () => {
    const out = argo({ applicationSet: true, values: { account: 'acme', ingress: { host: 'spaces.acme.example' }, list: [1, 'a', null] } });
    const sets = objectsOf(out, 'ApplicationSet');
    expect(sets.length).toBe(3);
    const errors = [...sets, ...sets.flatMap(generate), ...objectsOf(out, 'Application')].flatMap((o) => v.validate(o));
    expect(errors).toEqual([]);
    // A broken ApplicationSet is caught.
    const broken = structuredClone<Json>(sets[0] ?? {});
    broken.spec.syncPolicy.applicationsSync = 'always';
    delete broken.spec.template.spec.project;
    const found = v.validate(broken).join('\n');
    expect(found).toContain('/spec/syncPolicy/applicationsSync must be equal to one of the allowed values');
    expect(found).toContain("/spec/template/spec must have required property 'project'");
  });
});
