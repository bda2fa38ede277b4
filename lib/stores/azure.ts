import { quoteValue } from '../private/terminal.js';
import { keyVaultModel } from '../backends/azure.js';
import type { BackendAccessModel } from '../backends/backend.js';
import { SharedSecretStoreSpecProviderAzurekvAuthType, type SharedSecretStoreSpecProvider } from '../../imports/spaces.upbound.io.js';
import { AzureIdentity, type SpaceIdentity } from '../model/space-identity.js';
import { checkUuid } from '../model/validation.js';
import type { StaticCredentials } from './credentials.js';
import { SecretStoreProvider, type FindSupport } from './provider.js';
import { AZURE_KEY_VAULT_OBJECT_NAME, AZURE_KEY_VAULT_RESOURCE_ID, AZURE_KEY_VAULT_URL } from '../private/cloud-ids.js';
import { isOneOf } from '../private/lists.js';
import { typedProps, typeProblemsOf } from '../model/typed.js';
import { AzureKeyVaultPropsSchema } from './props.js';

/** How the vault authorizes data-plane access; decides the IAM output (role assignment or access policy). */
export type KeyVaultAuthorization = (typeof KEY_VAULT_AUTHORIZATIONS)[number];
/** The permission models of a Key Vault. */
export const KEY_VAULT_AUTHORIZATIONS = ['rbac', 'access-policy'] as const;

/** Props of {@link AzureKeyVault}. */
export interface AzureKeyVaultProps {
  /** Vault URL, e.g. `https://my-vault.vault.azure.net`. */
  readonly vaultUrl: string;
  /**
   * Microsoft Entra tenant ID (UUID). Required with static credentials.
   * @default the tenant of the Space's Azure identity
   */
  readonly tenantId?: string;
  /**
   * Service-principal credentials. Without them the store uses the Space's workload identity.
   * @default the Space's workload identity
   */
  readonly credentials?: StaticCredentials;
  /**
   * Resource ID of the vault (`/subscriptions/.../providers/Microsoft.KeyVault/vaults/<name>`), the
   * scope of role assignments.
   * @default unknown
   */
  readonly resourceId?: string;
  /**
   * The vault's permission model.
   * @default 'rbac'
   */
  readonly authorization?: KeyVaultAuthorization;
}

/** Azure Key Vault. */
export class AzureKeyVault extends SecretStoreProvider {
  public readonly cloud = 'azure' as const;
  public readonly displayName = 'Azure Key Vault';
  public readonly findSupport: FindSupport = { path: false, name: true, tags: true, pathAlone: false };
  public readonly vaultUrl: string;
  public readonly tenantId?: string;
  public readonly credentials?: StaticCredentials;
  public readonly resourceId?: string;
  public readonly authorization: KeyVaultAuthorization;

  public constructor(props: AzureKeyVaultProps) {
    super();
    props = typedProps<AzureKeyVaultProps>(this, AzureKeyVaultPropsSchema, props, { vaultUrl: '' });
    this.vaultUrl = props.vaultUrl;
    this.tenantId = props.tenantId;
    this.credentials = props.credentials;
    this.resourceId = props.resourceId;
    this.authorization = props.authorization ?? 'rbac';
  }

  /** The vault's name, from its URL. */
  public get vaultName(): string {
    return AZURE_KEY_VAULT_URL.exec(this.vaultUrl)?.[1] ?? this.vaultUrl;
  }

  public toSpacesProvider(identity: SpaceIdentity | undefined): SharedSecretStoreSpecProvider {
    if (this.credentials) {
      return {
        azurekv: {
          vaultUrl: this.vaultUrl,
          tenantId: this.tenantId,
          authType: SharedSecretStoreSpecProviderAzurekvAuthType.SERVICE_PRINCIPAL,
          authSecretRef: { clientId: this.credentials.ref('clientId'), clientSecret: this.credentials.ref('clientSecret') },
        },
      };
    }
    // Workload identity: the controller's service account carries the client-id annotation and its
    // pod the azure.workload.identity/use label (Helm values), so ESO uses its own federated token.
    return {
      azurekv: {
        vaultUrl: this.vaultUrl,
        tenantId: this.tenantId ?? (identity instanceof AzureIdentity ? identity.props.tenantId : undefined),
        authType: SharedSecretStoreSpecProviderAzurekvAuthType.WORKLOAD_IDENTITY,
      },
    };
  }

  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const out: string[] = [];
    if (this.vaultUrl === undefined) out.push('vaultUrl is required: set the vault URL, e.g. "https://my-vault.vault.azure.net".');
    else if (!AZURE_KEY_VAULT_URL.test(this.vaultUrl))
      out.push(
        `vaultUrl ${quoteValue(this.vaultUrl)} is not a Key Vault URL: use "https://<vault-name>.vault.azure.net" (3-24 letters, digits and '-').`,
      );
    if (this.tenantId !== undefined) {
      const t = checkUuid(this.tenantId, 'tenantId');
      if (t) out.push(t);
    }
    if (this.credentials && this.tenantId === undefined)
      out.push('tenantId is required with service-principal credentials: set tenantId to the Entra tenant (a UUID).');
    if (this.credentials && this.credentials.cloud !== 'azure')
      out.push(
        `credentials are ${this.credentials.cloud} credentials: use StaticCredentials.azureServicePrincipal(...) for Azure Key Vault.`,
      );
    if (this.credentials) out.push(...this.credentials.check());
    if (!isOneOf(KEY_VAULT_AUTHORIZATIONS, this.authorization))
      out.push(`authorization ${quoteValue(this.authorization)} is not a Key Vault permission model: use "rbac" or "access-policy".`);
    if (this.resourceId !== undefined && !AZURE_KEY_VAULT_RESOURCE_ID.test(this.resourceId)) {
      out.push(
        `resourceId ${quoteValue(this.resourceId, 300)} is not a Key Vault resource ID: use "/subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>".`,
      );
    } else if (this.resourceId !== undefined && AZURE_KEY_VAULT_URL.test(this.vaultUrl ?? '')) {
      const named = this.resourceId.split('/').pop() ?? '';
      if (named.toLowerCase() !== this.vaultName.toLowerCase()) {
        out.push(
          `resourceId ${quoteValue(this.resourceId, 300)} names vault "${named}", but vaultUrl ${quoteValue(this.vaultUrl)} is vault "${this.vaultName}": role assignments would go to the wrong vault; use the resource ID of "${this.vaultName}" (az keyvault show --name ${this.vaultName} --query id --output tsv).`,
        );
      }
    }
    return out;
  }

  public checkRemoteKey(key: string): string | undefined {
    const name = key.replace(/^(secret|key|cert)\//, '');
    if (AZURE_KEY_VAULT_OBJECT_NAME.test(name)) return undefined;
    return `${quoteValue(key)} is not a Key Vault object name: use 1-127 letters, digits and '-', optionally prefixed with "secret/", "key/" or "cert/".`;
  }

  public describe(): string {
    return `${this.displayName} (${this.vaultName})`;
  }

  public accessModel(): BackendAccessModel {
    return keyVaultModel({ vaultName: this.vaultName, base: this.resourceId ?? this.vaultUrl.toLowerCase(), description: this.describe() });
  }
}
