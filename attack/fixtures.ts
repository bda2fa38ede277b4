/** Shared fixture pieces for the attack scripts (public API only). */
import {
  AwsSecretsManager,
  ControlPlane,
  Environment,
  Group,
  Namespaces,
  SecretOwnership,
  SpaceIdentity,
  type TopologyApp,
} from '../lib/index.js';

export const ACCOUNT = '111122223333';
export const ACCOUNT2 = '444455556666';
export const REGION = 'eu-central-1';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SUBSCRIPTION = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
export const APPS = Namespaces.named('apps');
export const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export type Envs = { dev: Environment; prod: Environment };
export function envs(app: TopologyApp, opts: { prodOwns?: SecretOwnership[]; devOwns?: SecretOwnership[] } = {}): Envs {
  return {
    dev: new Environment(app, 'dev', opts.devOwns ? { owns: opts.devOwns } : {}),
    prod: new Environment(app, 'prod', { production: true, ...(opts.prodOwns ? { owns: opts.prodOwns } : {}) }),
  };
}

export function podIdentity(extra: Record<string, unknown> = {}): SpaceIdentity {
  return SpaceIdentity.awsPodIdentity({ accountId: ACCOUNT, clusterName: 'spaces', region: REGION, ...extra } as never);
}

export function irsa(id = 'ABCDEF0123456789', extra: Record<string, unknown> = {}): SpaceIdentity {
  return SpaceIdentity.awsIrsa({ accountId: ACCOUNT, oidcIssuer: `https://oidc.eks.${REGION}.amazonaws.com/id/${id}`, ...extra } as never);
}

export function twoPlanes(
  group: Group,
  e: Envs,
  n = 1,
  opts: { dev?: object; prod?: object } = {},
): { dev: ControlPlane; prod: ControlPlane } {
  return {
    dev: new ControlPlane(group, `dev-${n}`, { environment: e.dev, controlPlaneId: uuid(n * 2), namespaces: ['apps'], ...opts.dev }),
    prod: new ControlPlane(group, `prod-${n}`, {
      environment: e.prod,
      controlPlaneId: uuid(n * 2 + 1),
      namespaces: ['apps'],
      ...opts.prod,
    }),
  };
}

export function sm(extra: Record<string, unknown> = {}): AwsSecretsManager {
  return new AwsSecretsManager({ region: REGION, ...extra } as never);
}
