/**
 * The secrets-topology compiler: constructs that model secret stores, secrets, Upbound Spaces
 * control planes and environments, and compile them to Spaces Shared* objects (or plain ESO and
 * Sveltos objects), Helm values, least-privilege cloud IAM, GitOps wiring and a review report.
 */
export * from './app.js';
export * from './errors.js';
export * from './synthesizer.js';
export * from './model/constants.js';
export * from './model/control-plane.js';
export * from './model/environment.js';
export * from './model/find.js';
export * from './model/ownership.js';
export * from './model/group.js';
export * from './model/selection.js';
export * from './model/selectors.js';
export * from './model/space.js';
export * from './model/validation.js';
export * from './stores/aws.js';
export * from './stores/azure.js';
export * from './stores/credentials.js';
export * from './stores/gcp.js';
export * from './stores/provider.js';
export * from './stores/secret-store.js';
export * from './secrets/external-secret-spec.js';
export * from './secrets/shared-secret.js';
export * from './analysis/placement.js';
export * from './analysis/checks.js';
export * from './identity/helm-values.js';
export * from './identity/identity-synthesizer.js';
export * from './identity/plan.js';
export * from './identity/space-identity.js';
export * from './targets/cloud-spaces-object.js';
export * from './targets/cloud-spaces.js';
export * from './targets/eso-target.js';
export * from './targets/eso.js';
export * from './targets/spaces-target.js';
export * from './targets/spaces.js';
export * from './targets/sveltos.js';
export * from './delivery/argo-cd.js';
export * from './delivery/flux.js';
export * from './delivery/kustomize.js';
export * from './delivery/protection.js';
export * from './delivery/units.js';
export * from './analysis/access.js';
export * from './analysis/guardrails.js';
export * from './analysis/projection.js';
export * from './output/file-artifact.js';
export * from './output/render.js';
export * from './output/report-diff.js';
export * from './output/report-markdown.js';
export * from './output/report.js';
export * from './output/writer.js';
