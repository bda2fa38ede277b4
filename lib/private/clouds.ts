/** The clouds a Space, a store or an identity can be on. */
export const CLOUDS = ['aws', 'azure', 'gcp'] as const;

/** A cloud: `aws`, `azure` or `gcp`. */
export type Cloud = (typeof CLOUDS)[number];
