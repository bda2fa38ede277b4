/** Service account of the ESO that Spaces runs in every control plane's host namespace. */
export const SHARED_SECRETS_SERVICE_ACCOUNT = 'external-secrets-controller';

/** Label that marks a host namespace as a Spaces group. */
export const GROUP_LABEL = 'spaces.upbound.io/group';
