import { ControlPlane } from '../model/control-plane.js';
import type { Space } from '../model/space.js';
import { helmSetArgument } from '../output/escape/helm.js';
import { sortKeys, toYaml } from '../output/render.js';
import type { IdentityPlan } from './plan.js';

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

/** Quotes a word for a POSIX shell. */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
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

/** The values file, with a header saying what it is for. */
export function spacesValuesFile(space: Space, plan: IdentityPlan): string {
  const header = [
    `# Upbound Spaces Helm values for Space "${space.name}": shared secrets and the workload`,
    '# identity of the shared-secrets controller. Generated; edit the topology instead.',
    `# helm upgrade spaces <chart> -n upbound-system --reuse-values -f spaces/${space.name}/helm/spaces-values.yaml`,
  ].join('\n');
  return `${header}\n${toYaml(spacesValues(space, plan))}`;
}
