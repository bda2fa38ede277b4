import { ControlPlane } from '../model/control-plane.js';
import type { Space } from '../model/space.js';
import { helmSetArgument } from '../output/escape/helm.js';
import { sortKeys } from '../output/render.js';
import type { HelmValuesFile } from '../output/helm-values.js';
import type { IdentityPlan } from './plan.js';
import { shellQuote } from '../private/shell.js';
import { spacesValuesPath } from '../output/layout.js';

/** Helm value path of the shared-secrets controller's service-account annotations. */
export const SA_ANNOTATIONS_PATH = 'controlPlanes.sharedSecrets.serviceAccount.customAnnotations';
/** Helm value path of the shared-secrets controller's pod labels. */
export const POD_LABELS_PATH = 'controlPlanes.sharedSecrets.pod.customLabels';

/** The Spaces chart values a Space needs for shared secrets and its workload identity. */
export function spacesValues(space: Space, plan: IdentityPlan): Record<string, unknown> {
  const alpha: Record<string, unknown> = { sharedSecrets: { enabled: true } };
  if (ControlPlane.all(space).some((p) => p.explicitHostNamespace)) alpha.hostNamespace = { enabled: true };
  return sortKeys({
    features: { alpha },
    controlPlanes: {
      sharedSecrets: {
        serviceAccount: { customAnnotations: { ...plan.serviceAccountAnnotations } },
        pod: { customLabels: { ...plan.podLabels } },
      },
    },
  });
}

/**
 * The same values as `helm upgrade` flags, one per line. `--set-string` keeps values such as
 * `"true"` strings, as Kubernetes labels and annotations require; keys and values are escaped for
 * Helm's parser (a `,` in a role ARN would otherwise start another key), then quoted for the shell.
 */
export function helmSetFlags(space: Space, plan: IdentityPlan): string {
  const lines = ['--set features.alpha.sharedSecrets.enabled=true'];
  if (ControlPlane.all(space).some((p) => p.explicitHostNamespace)) lines.push('--set features.alpha.hostNamespace.enabled=true');
  for (const [path, values] of [
    [SA_ANNOTATIONS_PATH, plan.serviceAccountAnnotations],
    [POD_LABELS_PATH, plan.podLabels],
  ] as const) {
    for (const [k, v] of Object.entries(values).sort()) {
      lines.push(`--set-string ${shellQuote(helmSetArgument([...path.split('.'), k], v))}`);
    }
  }
  return `${lines.join(' \\\n  ')}\n`;
}

/** The Spaces chart values file of a self-hosted Space, with a header saying what it is for. */
export function spacesHelmValues(space: Space, plan: IdentityPlan): HelmValuesFile {
  const path = spacesValuesPath(space);
  return {
    path,
    values: spacesValues(space, plan),
    header: [
      `Upbound Spaces Helm values for Space "${space.name}": shared secrets and the workload`,
      'identity of the shared-secrets controller. Generated; edit the topology instead.',
      `helm upgrade spaces <chart> -n upbound-system --reuse-values -f ${path}`,
    ],
  };
}
