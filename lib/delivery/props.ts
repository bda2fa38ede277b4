/**
 * The declarative runtime schemas of the delivery props (see `model/props.ts`): checked by
 * `ArgoCdDelivery` and `FluxDelivery` before they read their props. Types only; URLs, repository
 * paths, chart versions, names, durations and the content of Helm values are checked afterwards.
 */
import { expecting, z } from '../private/props.js';
import { oneOf, stringList, wholeNumber } from '../model/props.js';
import { DELIVERY_GRANULARITIES } from './units.js';
import { FLUX_CRD_POLICIES, FLUX_UPGRADE_REMEDIATIONS } from './flux.js';

const str = z.string();

/** What every Helm chart a delivery installs takes. */
const helmChartShape = () => ({
  repository: str.optional(),
  chart: str.optional(),
  version: str,
  releaseName: str.optional(),
  namespace: str.optional(),
});

/** Helm values given inline: an object (its content is checked as plain data afterwards). */
const helmValues = expecting(z.record(z.string(), z.unknown()), 'an object of Helm values, e.g. { account: "acme" }');

const argoCdChart = expecting(
  z.strictObject({ ...helmChartShape(), valueFiles: stringList.optional(), values: helmValues.optional() }),
  'a chart { version, repository, chart, releaseName, namespace, valueFiles, values }',
);

const argoCdDestination = expecting(
  z.strictObject({ server: str.optional(), name: str.optional() }),
  'a destination { server } or { name }',
);

export const ArgoCdDeliveryPropsSchema = z.lazy(() =>
  z.strictObject({
    repoUrl: str,
    targetRevision: str.optional(),
    path: str.optional(),
    project: str.optional(),
    namespace: str.optional(),
    destinations: expecting(
      z.record(z.string(), argoCdDestination),
      'an object of Space or cluster names to destinations, e.g. { "eks-eu": { server: "https://kubernetes.default.svc" } }',
    ),
    granularity: oneOf(DELIVERY_GRANULARITIES).optional(),
    automated: z.boolean().optional(),
    prune: z.boolean().optional(),
    selfHeal: z.boolean().optional(),
    serverSideApply: z.boolean().optional(),
    protectControlPlanes: z.boolean().optional(),
    spacesChart: argoCdChart.optional(),
    esoChart: argoCdChart.optional(),
    applicationSet: z.boolean().optional(),
  }),
);

const fluxRemediation = () => ({ retries: wholeNumber.optional(), remediateLastFailure: z.boolean().optional() });

const fluxChart = z.lazy(() =>
  expecting(
    z.strictObject({
      ...helmChartShape(),
      valuesFrom: expecting(
        z.array(z.strictObject({ kind: oneOf(['ConfigMap', 'Secret']), name: str, valuesKey: str.optional() })),
        'a list of values references { kind: "ConfigMap" | "Secret", name, valuesKey }',
      ).optional(),
      values: helmValues.optional(),
      secretRef: str.optional(),
      install: z.strictObject({ ...fluxRemediation(), crds: oneOf(FLUX_CRD_POLICIES).optional() }).optional(),
      upgrade: z
        .strictObject({
          ...fluxRemediation(),
          strategy: oneOf(FLUX_UPGRADE_REMEDIATIONS).optional(),
          cleanupOnFail: z.boolean().optional(),
          crds: oneOf(FLUX_CRD_POLICIES).optional(),
        })
        .optional(),
    }),
    'a chart { version, repository, chart, releaseName, namespace, valuesFrom, values, secretRef, install, upgrade }',
  ),
);

export const FluxDeliveryPropsSchema = z.lazy(() =>
  z.strictObject({
    url: str,
    ref: expecting(
      z.strictObject({ branch: str.optional(), tag: str.optional(), commit: str.optional() }),
      'a Git reference { branch }, { tag } or { commit }',
    ).optional(),
    secretRef: str.optional(),
    path: str.optional(),
    namespace: str.optional(),
    targets: expecting(
      z.record(z.string(), z.strictObject({ kubeConfigSecret: str.optional(), kubeConfigKey: str.optional() })),
      'an object of Space or cluster names to targets, e.g. { "eks-eu": {} }',
    ),
    granularity: oneOf(DELIVERY_GRANULARITIES).optional(),
    prune: z.boolean().optional(),
    protectControlPlanes: z.boolean().optional(),
    interval: str.optional(),
    sourceInterval: str.optional(),
    spacesChart: fluxChart.optional(),
    esoChart: fluxChart.optional(),
  }),
);
