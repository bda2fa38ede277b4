/**
 * The Sveltos target: a `ClusterProfile` (config.projectsveltos.io/v1beta1) per distribution and
 * its template ConfigMap (`projectsveltos.io/template: "true"`), which reads the Secret ESO writes
 * in the management cluster through `templateResourceRefs` (`getResource "<identifier>"`).
 */
import * as sveltos from '../../imports/config.projectsveltos.io.js';
import type { SveltosSecretDistribution } from '../eso/sveltos.js';
import { configMapManifest } from '../output/core-objects.js';
import { clusterObjectPath } from '../output/layout.js';
import { canonicalManifest, type Manifest } from '../output/manifest.js';
import { MANAGED_BY, labelSelectorJson } from './eso.js';

/** Annotation that makes Sveltos treat a referenced ConfigMap's content as a template. */
export const SVELTOS_TEMPLATE_ANNOTATION = 'projectsveltos.io/template';

/** Identifier of the source Secret in the template (`getResource "SourceSecret"`). */
export const SOURCE_IDENTIFIER = 'SourceSecret';

/** The template of a distribution: a Secret with the source's type and data, rendered per managed cluster. */
export function sveltosTemplate(d: SveltosSecretDistribution): string {
  const src = `(getResource "${SOURCE_IDENTIFIER}")`;
  return [
    `# Sveltos template: a copy of Secret ${d.sourceNamespace}/${d.secret.targetName} of management cluster "${d.cluster.name}".`,
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${d.targetName}`,
    `  namespace: ${d.targetNamespace}`,
    `type: {{ ${src}.type | default "Opaque" | toJson }}`,
    `data: {{ ${src}.data | toJson }}`,
    '',
  ].join('\n');
}

/** The template ConfigMap of a distribution (core v1, built with cdk8s-plus). */
export function sveltosConfigMap(d: SveltosSecretDistribution): Record<string, unknown> {
  return configMapManifest({
    name: d.configMapName,
    namespace: d.sourceNamespace,
    labels: { ...MANAGED_BY },
    annotations: { [SVELTOS_TEMPLATE_ANNOTATION]: 'true' },
    data: { 'secret.yaml': sveltosTemplate(d) },
  });
}

/** The ClusterProfile of a distribution. */
export function sveltosClusterProfile(d: SveltosSecretDistribution): Record<string, unknown> {
  const S = sveltos;
  return canonicalManifest(
    sveltos.ClusterProfile.manifest({
      metadata: { name: d.name, labels: { ...MANAGED_BY } },
      spec: {
        clusterSelector: labelSelectorJson(d.clusterSelector),
        syncMode: Object.values(S.ClusterProfileSpecSyncMode).find((m) => m === d.syncMode),
        templateResourceRefs: [
          {
            identifier: SOURCE_IDENTIFIER,
            resource: { apiVersion: 'v1', kind: 'Secret', name: d.secret.targetName, namespace: d.sourceNamespace },
          },
        ],
        policyRefs: [{ kind: S.ClusterProfileSpecPolicyRefsKind.CONFIG_MAP, name: d.configMapName, namespace: d.sourceNamespace }],
      },
    }) as Record<string, unknown>,
  );
}

/** The ClusterProfile and its template ConfigMap of a distribution, in the management cluster's directory. */
export function sveltosManifests(d: SveltosSecretDistribution): Manifest[] {
  return [
    { path: clusterObjectPath(d.cluster, 'ClusterProfile', d.name), object: sveltosClusterProfile(d), owner: d },
    {
      path: clusterObjectPath(d.cluster, 'ConfigMap', d.configMapName, d.sourceNamespace),
      object: sveltosConfigMap(d),
      owner: d,
    },
  ];
}
