/**
 * The CEL rules of the pinned CRDs, evaluated by the engine through {@link CrdValidator}: each rule
 * family accepts a valid object and rejects a crafted invalid one with the rule's own message
 * (Spaces selectors and ControlPlane, ESO stores and PushSecret, Flux, Sveltos, the Crossplane
 * providers' required-parameter rules and the provider-kubernetes Object). Also: every rule of
 * every CRD in the folder compiles, and docs/cel-rules.md lists them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CelRules, type RuleInfo } from './support/cel.js';
import { CrdValidator, crdsDir, describeWithCrds } from './support/crd-schemas.js';

type Json = Record<string, unknown>;

/** A CRD object with `metadata.name` (and a namespace for namespaced kinds). */
function object(apiVersion: string, kind: string, spec: Json, namespace: string | undefined = 'ns', name = 'x'): Json {
  return { apiVersion, kind, metadata: namespace === undefined ? { name } : { name, namespace }, spec };
}

describeWithCrds('the CEL rules of the pinned CRDs, evaluated on valid and crafted invalid objects', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({
      include: ['spaces/v1.17', 'external-secrets', 'flux', 'sveltos', 'crossplane-providers'],
    });
  });

  /** The one error of `obj`, which must be the CEL failure `text` (no schema error). */
  const rejects = (obj: Json, text: string) => expect(v.validate(obj)).toEqual([`${String(obj.kind)}/x: ${text}`]);

  // --- Spaces ------------------------------------------------------------------------------

  const SELECTOR_MESSAGE = 'either names or a labelSelector must be specified';
  const sharedSecretStore = (controlPlaneSelector: Json, namespaceSelector: Json = { names: ['default'] }) =>
    object('spaces.upbound.io/v1alpha1', 'SharedSecretStore', {
      controlPlaneSelector,
      namespaceSelector,
      provider: { aws: { service: 'SecretsManager', region: 'eu-central-1' } },
    });
  const sharedExternalSecret = (namespaceSelector: Json) =>
    object('spaces.upbound.io/v1alpha1', 'SharedExternalSecret', {
      controlPlaneSelector: { names: ['p'] },
      namespaceSelector,
      externalSecretSpec: { secretStoreRef: { name: 's', kind: 'ClusterSecretStore' } },
    });

  it('Spaces selectors: names or labelSelectors must be non-empty (both kinds, both selectors)', () => {
    expect(v.validate(sharedSecretStore({ names: ['p'] }))).toEqual([]);
    expect(v.validate(sharedSecretStore({ labelSelectors: [{ matchLabels: { env: 'prod' } }] }))).toEqual([]);
    expect(v.validate(sharedSecretStore({ names: [], labelSelectors: [{}] }))).toEqual([]);
    rejects(
      sharedSecretStore({ names: [], labelSelectors: [] }),
      `spec.controlPlaneSelector: Invalid value: "object": ${SELECTOR_MESSAGE}`,
    );
    rejects(
      sharedSecretStore({ labelSelectors: [] }),
      `spec.controlPlaneSelector: Invalid value: "object": no such key: names evaluating rule: ${SELECTOR_MESSAGE}`,
    );
    // false && <error> is false in CEL: the message, not the missing key.
    rejects(sharedSecretStore({ names: ['p'] }, {}), `spec.namespaceSelector: Invalid value: "object": ${SELECTOR_MESSAGE}`);
    expect(v.validate(sharedExternalSecret({ labelSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] }))).toEqual([]);
    rejects(
      sharedExternalSecret({ names: [] }),
      `spec.namespaceSelector: Invalid value: "object": no such key: labelSelectors evaluating rule: ${SELECTOR_MESSAGE}`,
    );
  });

  it('Spaces selectors, property: the rule holds exactly when names or labelSelectors is a non-empty list', () => {
    const list = <T>(item: fc.Arbitrary<T>) => fc.option(fc.array(item, { maxLength: 2 }), { nil: undefined });
    const selector = fc.record(
      { names: list(fc.constantFrom('a', 'b')), labelSelectors: list(fc.constant({ matchLabels: { env: 'prod' } })) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(selector, (sel) => {
        const expected = (sel.names?.length ?? 0) > 0 || (sel.labelSelectors?.length ?? 0) > 0;
        const errors = v.validate(sharedSecretStore(sel));
        expect(errors.length === 0).toBe(expected);
        if (!expected) expect(errors).toEqual([expect.stringContaining(SELECTOR_MESSAGE)]);
      }),
      { numRuns: 60 },
    );
  });

  it('Spaces SharedSecretStore provider: exactly one doppler auth', () => {
    const doppler = (auth: Json) =>
      object('spaces.upbound.io/v1alpha1', 'SharedSecretStore', {
        controlPlaneSelector: { names: ['p'] },
        namespaceSelector: { names: ['default'] },
        provider: { doppler: { auth } },
      });
    const secretRef = { dopplerToken: { name: 'doppler', key: 'token' } };
    const oidcConfig = { identity: 'id', serviceAccountRef: { name: 'sa' } };
    expect(v.validate(doppler({ secretRef }))).toEqual([]);
    rejects(
      doppler({ secretRef, oidcConfig }),
      `spec.provider.doppler.auth: Invalid value: "object": Exactly one of 'secretRef' or 'oidcConfig' must be specified`,
    );
  });

  const controlPlane = (name: string, spec: Json) => ({
    ...object('spaces.upbound.io/v1beta1', 'ControlPlane', spec),
    metadata: { name, namespace: 'ns' },
  });

  it('Spaces ControlPlane: name length (a rule at the resource root), version format (matches), pinned version, restore source', () => {
    expect(v.validate(controlPlane('x', { crossplane: { version: '1.20.1-up.1', autoUpgrade: { channel: 'None' } } }))).toEqual([]);
    expect(v.validate(controlPlane('p'.repeat(63), { crossplane: {} }))).toEqual([]);
    expect(v.validate(controlPlane('p'.repeat(64), { crossplane: {} }))).toEqual([
      `ControlPlane/${'p'.repeat(64)}: <root>: Invalid value: "object": control plane name cannot exceed 63 characters`,
    ]);
    rejects(
      controlPlane('x', { crossplane: { version: 'v1.20.1' } }),
      `spec.crossplane.version: Invalid value: "string": The version must not start with a leading 'v'`,
    );
    // An empty version fails both rules: the one on spec and the one on the version itself.
    expect(v.validate(controlPlane('x', { crossplane: { version: '', autoUpgrade: { channel: 'None' } } }))).toEqual([
      `ControlPlane/x: spec: Invalid value: "object": "version" cannot be empty when upgrade channel is "None"`,
      `ControlPlane/x: spec.crossplane.version: Invalid value: "string": The version must not start with a leading 'v'`,
    ]);
    rejects(
      controlPlane('x', { crossplane: {}, restore: { source: { kind: 'Secret', name: 'b' } } }),
      'spec.restore.source: Invalid value: "object": source must be a reference to a Backup or BackupSchedule (v1alpha1)',
    );
  });

  it('Spaces transition rules (immutability) are skipped on create and counted', () => {
    const before = v.celTally.rules().filter((r) => r.crd.includes('SharedSecretStore') && r.transition);
    const skippedBefore = before.reduce((n, r) => n + r.skipped, 0);
    const store = sharedSecretStore({ names: ['p'] });
    (store.spec as Json).secretStoreName = 'renamed';
    expect(v.validate(store)).toEqual([]);
    const after = v.celTally.rules().filter((r) => r.crd.includes('SharedSecretStore') && r.transition);
    expect(after.map((r) => [r.at, r.source.message]).sort()).toEqual([
      ['.spec', 'secretStoreName is immutable'],
      ['.spec.secretStoreName', 'value is immutable'],
    ]);
    expect(after.reduce((n, r) => n + r.skipped, 0) - skippedBefore).toBe(2);
    expect(after.every((r) => r.evaluated === 0)).toBe(true);
  });

  // --- External Secrets Operator -----------------------------------------------------------

  const store = (provider: Json) => object('external-secrets.io/v1', 'SecretStore', { provider });

  it('ESO stores: reserved session tag keys (in on a map), at most one of auth/authRef (filter), exactly one openBao auth', () => {
    const aws = (customSessionTags: Json) => store({ aws: { service: 'SecretsManager', region: 'eu-central-1', customSessionTags } });
    expect(v.validate(aws({ team: 'a' }))).toEqual([]);
    rejects(
      aws({ team: 'a', esoNamespace: 'x' }),
      'spec.provider.aws.customSessionTags: Invalid value: "object": customSessionTags cannot contain automatically injected reserved keys: esoNamespace, esoStoreName, esoStoreKind',
    );
    const crd = (extra: Json) => store({ crd: { resource: { group: 'g', version: 'v1', kind: 'K' }, ...extra } });
    const auth = { serviceAccount: { name: 'sa' } };
    const authRef = { name: 'kubeconfig', key: 'config' };
    expect(v.validate(crd({ auth }))).toEqual([]);
    expect(v.validate(crd({ authRef }))).toEqual([]);
    rejects(crd({ auth, authRef }), 'spec.provider.crd: Invalid value: "object": at most one of the fields in [auth authRef] may be set');
    rejects(crd({}), 'spec.provider.crd: Invalid value: "object": one of auth or authRef is required');
    const bao = (a: Json) => store({ openBao: { server: 'https://bao', auth: a } });
    const tokenSecretRef = { name: 't', key: 'token' };
    expect(v.validate(bao({ tokenSecretRef }))).toEqual([]);
    rejects(
      bao({ tokenSecretRef, userPass: { path: 'userpass', username: 'u' } }),
      'spec.provider.openBao.auth: Invalid value: "object": exactly one of the fields in [appRole tokenSecretRef userPass] must be set',
    );
    rejects(
      bao({}),
      'spec.provider.openBao.auth: Invalid value: "object": exactly one of the fields in [appRole tokenSecretRef userPass] must be set',
    );
  });

  it('ESO stores: secretserver value or secretRef (has() != has()), token or username and password', () => {
    const ss = (creds: Json) => store({ secretserver: { serverURL: 'https://ss', ...creds } });
    expect(v.validate(ss({ token: { value: 't' } }))).toEqual([]);
    expect(v.validate(ss({ username: { value: 'u' }, password: { secretRef: { name: 'p', key: 'k' } } }))).toEqual([]);
    rejects(ss({ token: {} }), 'spec.provider.secretserver.token: Invalid value: "object": exactly one of value or secretRef must be set');
    rejects(
      ss({ username: { value: 'u' } }),
      'spec.provider.secretserver: Invalid value: "object": either token, or both username and password, must be set',
    );
  });

  const pushSecret = (dataTo: Json[]) =>
    object('external-secrets.io/v1alpha1', 'PushSecret', {
      selector: { secret: { name: 's' } },
      secretStoreRefs: [{ name: 'store' }],
      dataTo,
    });

  it('ESO PushSecret: each dataTo entry (a list item) and each of its rewrites (a nested list item)', () => {
    expect(
      v.validate(
        pushSecret([
          { storeRef: { name: 'store' } },
          { storeRef: { labelSelector: { matchLabels: { a: 'b' } } }, rewrite: [{ regexp: { source: 'a', target: 'b' } }] },
        ]),
      ),
    ).toEqual([]);
    rejects(
      pushSecret([{ storeRef: { name: 'store' } }, { remoteKey: 'k' }]),
      'spec.dataTo[1]: Invalid value: "object": storeRef must specify either name or labelSelector',
    );
    rejects(
      pushSecret([{ storeRef: { name: 'store' }, remoteKey: 'k', rewrite: [{ regexp: { source: 'a', target: 'b' } }] }]),
      'spec.dataTo[0]: Invalid value: "object": remoteKey and rewrite are mutually exclusive: rewrite is only supported in per-key mode (without remoteKey)',
    );
    rejects(
      pushSecret([{ storeRef: { name: 'store' }, rewrite: [{ regexp: { source: 'a', target: 'b' } }, {}] }]),
      'spec.dataTo[0].rewrite[1]: Invalid value: "object": exactly one of regexp or transform must be set',
    );
  });

  // --- Flux, Sveltos -------------------------------------------------------------------------

  it('Flux: kubeConfig needs exactly one ref; HelmRelease chart xor chartRef; GitRepository serviceAccountName only for aws/azure', () => {
    const ks = (kubeConfig: Json) =>
      object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', {
        interval: '10m',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'repo' },
        kubeConfig,
      });
    expect(v.validate(ks({ secretRef: { name: 'kc' } }))).toEqual([]);
    rejects(
      ks({}),
      'spec.kubeConfig: Invalid value: "object": exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified',
    );
    rejects(
      ks({ secretRef: { name: 'kc' }, configMapRef: { name: 'kc' } }),
      'spec.kubeConfig: Invalid value: "object": exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified',
    );
    const hr = (spec: Json) => object('helm.toolkit.fluxcd.io/v2', 'HelmRelease', { interval: '10m', ...spec });
    const chartRef = { kind: 'OCIRepository', name: 'spaces' };
    const chart = { spec: { chart: 'spaces', sourceRef: { kind: 'HelmRepository', name: 'upbound' } } };
    expect(v.validate(hr({ chartRef }))).toEqual([]);
    rejects(hr({ chartRef, chart }), 'spec: Invalid value: "object": either chart or chartRef must be set');
    rejects(
      hr({ chartRef, upgrade: { strategy: { name: 'RemediateOnFailure', retryInterval: '1m' } } }),
      `spec.upgrade.strategy: Invalid value: "object": .retryInterval can only be set when .name is 'RetryOnFailure'`,
    );
    const git = (spec: Json) =>
      object('source.toolkit.fluxcd.io/v1', 'GitRepository', { interval: '1m', url: 'https://git.example.com/r', ...spec });
    expect(v.validate(git({ provider: 'azure', serviceAccountName: 'sa' }))).toEqual([]);
    rejects(
      git({ serviceAccountName: 'sa' }),
      `spec: Invalid value: "object": serviceAccountName can only be set when provider is 'azure' or 'aws'`,
    );
  });

  it('Sveltos ClusterProfile: helm charts from http/oci need name, version and repository name (ternary, startsWith)', () => {
    const profile = (helmCharts: Json[]) => object('config.projectsveltos.io/v1beta1', 'ClusterProfile', { helmCharts }, undefined);
    const chart = {
      repositoryURL: 'https://charts.external-secrets.io',
      repositoryName: 'eso',
      chartName: 'eso/external-secrets',
      chartVersion: '2.9.0',
      releaseName: 'eso',
      releaseNamespace: 'eso',
    };
    expect(v.validate(profile([chart]))).toEqual([]);
    rejects(profile([chart, { ...chart, chartVersion: '' }]), 'spec.helmCharts[1]: Invalid value: "object": ChartVersion must be defined');
    // A repository URL that is neither http nor oci: the ternaries take their `true` branch.
    expect(v.validate(profile([{ ...chart, repositoryURL: 'file:///charts', chartVersion: '' }]))).toEqual([]);
  });

  // --- Crossplane providers ------------------------------------------------------------------

  it('Crossplane managed resources: required parameters unless management policies exclude Create and Update (default ["*"])', () => {
    const role = (spec: Json) => object('iam.aws.upbound.io/v1beta1', 'Role', spec, undefined);
    expect(v.validate(role({ forProvider: { assumeRolePolicy: '{}' } }))).toEqual([]);
    expect(v.validate(role({ forProvider: {}, initProvider: { assumeRolePolicy: '{}' } }))).toEqual([]);
    expect(v.validate(role({ forProvider: {}, managementPolicies: ['Observe'] }))).toEqual([]);
    rejects(role({ forProvider: {} }), 'spec: Invalid value: "object": spec.forProvider.assumeRolePolicy is a required parameter');
    rejects(
      role({ forProvider: {}, managementPolicies: ['Observe', 'Update'] }),
      'spec: Invalid value: "object": spec.forProvider.assumeRolePolicy is a required parameter',
    );
    const member = (apiVersion: string, forProvider: Json) => object(apiVersion, 'ProjectIAMMember', { forProvider }, undefined);
    expect(
      v.validate(member('cloudplatform.gcp.upbound.io/v1beta2', { member: 'user:a@example.com', role: 'roles/viewer', project: 'p' })),
    ).toEqual([]);
    rejects(
      member('cloudplatform.gcp.upbound.io/v1beta2', { member: 'user:a@example.com', project: 'p' }),
      'spec: Invalid value: "object": spec.forProvider.role is a required parameter',
    );
    const fic = (forProvider: Json) => object('managedidentity.azure.m.upbound.io/v1beta1', 'FederatedIdentityCredential', { forProvider });
    rejects(
      fic({ audience: ['api://AzureADTokenExchange'], issuer: 'https://issuer' }),
      'spec: Invalid value: "object": spec.forProvider.subject is a required parameter',
    );
  });

  it('Crossplane PodIdentityAssociation: the property "namespace" is __namespace__ in CEL', () => {
    const pia = (forProvider: Json, initProvider?: Json) =>
      object(
        'eks.aws.upbound.io/v1beta1',
        'PodIdentityAssociation',
        { forProvider: { region: 'eu-central-1', ...forProvider }, ...(initProvider ? { initProvider } : {}) },
        undefined,
      );
    expect(v.validate(pia({ namespace: 'mxp-1-system', serviceAccount: 'external-secrets-controller' }))).toEqual([]);
    expect(v.validate(pia({ serviceAccount: 'external-secrets-controller' }, { namespace: 'mxp-1-system' }))).toEqual([]);
    rejects(
      pia({ serviceAccount: 'external-secrets-controller' }),
      'spec: Invalid value: "object": spec.forProvider.namespace is a required parameter',
    );
  });

  it('provider-kubernetes Object: celQuery must be set for DeriveFromCelQuery (readiness.policy defaults to SuccessfulCreate)', () => {
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } };
    const obj = (readiness?: Json) =>
      object('kubernetes.crossplane.io/v1alpha2', 'Object', { forProvider: { manifest }, ...(readiness ? { readiness } : {}) }, undefined);
    expect(v.validate(obj())).toEqual([]);
    expect(v.validate(obj({}))).toEqual([]);
    expect(v.validate(obj({ policy: 'DeriveFromCelQuery', celQuery: 'object.status.ready == true' }))).toEqual([]);
    rejects(
      obj({ policy: 'DeriveFromCelQuery', celQuery: '' }),
      'spec.readiness: Invalid value: "object": celQuery must be set if policy is DeriveFromCelQuery',
    );
    rejects(
      obj({ policy: 'DeriveFromCelQuery' }),
      'spec.readiness: Invalid value: "object": no such key: celQuery evaluating rule: celQuery must be set if policy is DeriveFromCelQuery',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Inventory of every rule in the CRD folder (also the reference-only and unserved versions)
// ---------------------------------------------------------------------------------------------

interface CrdRules {
  readonly file: string;
  readonly crd: string;
  readonly served: boolean;
  readonly rules: readonly RuleInfo[];
}

function inventory(dir: string): CrdRules[] {
  const files = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : n.endsWith('.yaml') ? [join(d, n)] : []));
  return files(dir).flatMap((path) => {
    const crd = parse(readFileSync(path, 'utf8')) as { spec: { group: string; names: { kind: string }; versions: Json[] } };
    return crd.spec.versions.map((version) => {
      const name = `${crd.spec.group}/${String(version.name)} ${crd.spec.names.kind}`;
      const schema = (version.schema as { openAPIV3Schema: Json }).openAPIV3Schema;
      return { file: relative(dir, path), crd: name, served: version.served === true, rules: CelRules.compile(schema, name).rules };
    });
  });
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function renderInventory(crds: readonly CrdRules[]): string {
  const all = crds.flatMap((c) => c.rules);
  const functions = [...new Set(all.flatMap((r) => r.functions))].sort();
  const macros = [...new Set(all.flatMap((r) => r.macros))].sort();
  const lines = [
    '# CEL rules of the pinned CRDs',
    '',
    'Every `x-kubernetes-validations` rule of every CRD in `../shared/crds` (all versions, also the',
    'reference-only folders), with what it uses. Generated by `test/cel-crds.test.ts`',
    '(`npx vitest run test/cel-crds.test.ts -u` rewrites it). The conformance tests evaluate these rules',
    'on every emitted object with `test/support/cel.ts`; transition rules (they read `oldSelf`) cannot run',
    'on create and are counted as skipped.',
    '',
    `- ${all.length} rules (${new Set(all.map((r) => r.source.rule)).size} distinct) in ${crds.filter((c) => c.rules.length > 0).length} CRD versions; ` +
      `${all.filter((r) => r.transition).length} transition rules.`,
    `- Functions and operators: ${functions.map((f) => `\`${f}\``).join(', ')}.`,
    `- Macros: ${macros.map((m) => `\`${m}\``).join(', ')}.`,
    '- Kubernetes CEL libraries (lists, strings, regex, URLs, IPs, quantities, optionals, ...): none used.',
    '- `messageExpression`, `fieldPath`, `reason`, `optionalOldSelf`: none used (the evaluator supports the first three;',
    '  an `optionalOldSelf` rule would fail to compile: the engine has no optional types).',
  ];
  for (const c of crds.filter((x) => x.rules.length > 0)) {
    lines.push(
      '',
      `## ${c.crd}${c.served ? '' : ' (not served)'}`,
      '',
      `\`${c.file}\``,
      '',
      '| at | rule | message | uses | on create |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const r of c.rules) {
      const uses = [...r.macros.map((m) => `${m}()`), ...r.functions].join(' ');
      lines.push(
        `| \`${r.at || '(root)'}\` | \`${cell(r.source.rule)}\` | ${cell(r.source.message ?? '')} | ${cell(uses)} | ${r.transition ? 'skipped (oldSelf)' : 'evaluated'} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

describeWithCrds('inventory of the CEL rules in the CRD folder', () => {
  it('every rule compiles; they use the standard library only; docs/cel-rules.md lists them', async () => {
    const crds = inventory(crdsDir());
    const all = crds.flatMap((c) => c.rules);
    expect(all.length).toBeGreaterThanOrEqual(100);
    expect(all.filter((r) => r.transition).every((r) => /oldSelf/.test(r.source.rule))).toBe(true);
    expect([...new Set(all.flatMap((r) => r.functions))].sort()).toEqual([
      '!',
      '!=',
      '&&',
      '<=',
      '==',
      '>',
      '>=',
      '?:',
      'in',
      'matches',
      'size',
      'startsWith',
      '||',
    ]);
    expect([...new Set(all.flatMap((r) => r.macros))].sort()).toEqual(['filter', 'has']);
    for (const r of all) {
      expect(r.source.messageExpression ?? r.source.fieldPath ?? r.source.reason ?? r.source.optionalOldSelf).toBeUndefined();
    }
    await expect(renderInventory(crds)).toMatchFileSnapshot('../docs/cel-rules.md');
  });
});
