import { quoteValue } from '../private/terminal.js';
import type { AccessModelContext, BackendAccessModel } from '../backends/backend.js';
import { secretManagerModel } from '../backends/gcp.js';
import type { SharedSecretStoreSpecProvider } from '../../imports/spaces.upbound.io.js';
import type { SpaceIdentity } from '../model/space-identity.js';
import type { StaticCredentials } from './credentials.js';
import { SecretStoreProvider, type FindSupport } from './provider.js';
import { GCP_PROJECT_ID, GCP_PROJECT_NUMBER, GCP_REGION, GCP_SECRET_ID } from '../private/cloud-ids.js';
import { typedProps, typeProblemsOf } from '../model/typed.js';
import { GcpSecretManagerPropsSchema } from './props.js';

/** Props of {@link GcpSecretManager}. */
export interface GcpSecretManagerProps {
  /** Project ID that holds the secrets. */
  readonly projectId: string;
  /**
   * Project number of that project (digits); IAM conditions name secrets by it.
   * @default unknown (required for workload identity)
   */
  readonly projectNumber?: string;
  /**
   * Location of regional secrets.
   * @default global secrets
   */
  readonly location?: string;
  /**
   * Service-account key. Without it the store uses the Space's GKE workload identity.
   * @default the Space's workload identity
   */
  readonly credentials?: StaticCredentials;
}

/** Google Cloud Secret Manager. */
export class GcpSecretManager extends SecretStoreProvider {
  public readonly cloud = 'gcp' as const;
  public readonly displayName = 'GCP Secret Manager';
  public readonly findSupport: FindSupport = { path: false, name: true, tags: true, pathAlone: false };
  public readonly projectId: string;
  public readonly projectNumber?: string;
  public readonly location?: string;
  public readonly credentials?: StaticCredentials;

  public constructor(props: GcpSecretManagerProps) {
    super();
    props = typedProps<GcpSecretManagerProps>(this, GcpSecretManagerPropsSchema, props, { projectId: '' });
    this.projectId = props.projectId;
    this.projectNumber = props.projectNumber;
    this.location = props.location;
    this.credentials = props.credentials;
  }

  public toSpacesProvider(_identity: SpaceIdentity | undefined): SharedSecretStoreSpecProvider {
    // With GKE workload identity ESO uses the pod's ambient credentials: no auth block.
    return {
      gcpsm: {
        projectId: this.projectId,
        location: this.location,
        auth: this.credentials ? { secretRef: { secretAccessKeySecretRef: this.credentials.ref('serviceAccountKey') } } : undefined,
      },
    };
  }

  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const out: string[] = [];
    if (this.projectId === undefined) out.push('projectId is required: set the GCP project that holds the secrets, e.g. "acme-prod".');
    else if (!GCP_PROJECT_ID.test(this.projectId))
      out.push(
        `projectId ${quoteValue(this.projectId)} is not a GCP project ID: use 6-30 lowercase letters, digits and '-', starting with a letter.`,
      );
    if (this.projectNumber !== undefined && !GCP_PROJECT_NUMBER.test(this.projectNumber))
      out.push(
        `projectNumber ${quoteValue(this.projectNumber)} is not a GCP project number: use the digits shown by "gcloud projects describe ${this.projectId} --format='value(projectNumber)'".`,
      );
    if (this.location !== undefined && !GCP_REGION.test(this.location))
      out.push(`location ${quoteValue(this.location)} is not a GCP region: use e.g. "europe-west1".`);
    if (this.credentials && this.credentials.cloud !== 'gcp')
      out.push(
        `credentials are ${this.credentials.cloud} credentials: use StaticCredentials.gcpServiceAccountKey(...) for GCP Secret Manager.`,
      );
    if (this.credentials) out.push(...this.credentials.check());
    return out;
  }

  public checkRemoteKey(key: string): string | undefined {
    if (GCP_SECRET_ID.test(key)) return undefined;
    return `${quoteValue(key)} is not a Secret Manager secret ID: use 1-255 letters, digits, '_' and '-'.`;
  }

  public describe(): string {
    return `${this.displayName} (${this.projectId}${this.location ? `, ${this.location}` : ''})`;
  }

  public accessModel(ctx: AccessModelContext): BackendAccessModel {
    const { projectId, projectNumber, location } = this;
    return secretManagerModel({ projectId, projectNumber, location, description: this.describe() }, ctx);
  }
}
