import { posix } from 'node:path';
import { shellCommand } from '../private/shell.js';
import { AZURE_FEDERATED_AUDIENCE, AZURE_MAX_FEDERATED_CREDENTIALS, principalIdCommand, type AzurePlanDocuments } from './azure.js';

/** The README of `spaces/<space>/iam/azure/` (`clusters/<cluster>/iam/azure/`): what the files are and the equivalent `az` commands. */
export function azureReadme(docs: AzurePlanDocuments): string {
  const id = docs.identity;
  const p = id.props;
  const lines: string[] = [];
  const code = (cmds: readonly string[]): void => {
    lines.push('```sh', cmds.join('\n\n'), '```', '');
  };

  const sa = docs.owner.serviceAccount;
  if (sa) {
    lines.push(
      `# Azure workload identity of the ESO controller of cluster "${docs.owner.name}"`,
      '',
      'Generated from the secrets topology; edit the topology, not these files.',
      '',
      `The ESO Helm values give ESO's controller service account \`${sa.namespace}/${sa.serviceAccount}\` the client ID of the`,
      `user-assigned managed identity \`${p.identityName}\` (annotation \`azure.workload.identity/client-id\`, pod label`,
      `\`azure.workload.identity/use: "true"\`; see \`${docs.owner.helmValues}\`). One federated credential trusts that service`,
      "account; the identity is granted what the cluster's external secrets read and its push secrets write. Stores",
      'use `authType: WorkloadIdentity` without a `serviceAccountRef`, so ESO uses the token mounted into its own pod.',
      '',
      '| file | content |',
      '| --- | --- |',
      '| `managed-identity.json` | the identity: client ID, resource ID, principal (object) ID or how to look it up |',
      `| \`federated-credentials.json\` | the federated credential of ESO's service account (${docs.credentialCount} of at most ${AZURE_MAX_FEDERATED_CREDENTIALS} per identity, over every Space and cluster that uses it) |`,
    );
  } else {
    lines.push(
      `# Azure workload identity of Space "${docs.owner.name}"`,
      '',
      'Generated from the secrets topology; edit the topology, not these files.',
      '',
      `The Spaces Helm values give the shared-secrets controller one client ID per Space (annotation`,
      '`azure.workload.identity/client-id` on the service account `external-secrets-controller`, pod label',
      `\`azure.workload.identity/use: "true"\`; see \`${docs.owner.helmValues}\`). Every control plane of the`,
      `Space therefore authenticates as the same user-assigned managed identity, \`${p.identityName}\`, and can`,
      'read everything granted below: give planes that must not share access (e.g. prod and dev) their own',
      'Space, or stores with their own static credentials. Stores use `authType: WorkloadIdentity` without a',
      '`serviceAccountRef`, so ESO uses the token mounted into its own pod.',
      '',
      '| file | content |',
      '| --- | --- |',
      '| `managed-identity.json` | the identity: client ID, resource ID, principal (object) ID or how to look it up |',
      `| \`federated-credentials.json\` | one federated credential per plane host namespace that reads secrets (${docs.credentialCount} of at most ${AZURE_MAX_FEDERATED_CREDENTIALS} per identity) |`,
    );
  }
  if (docs.roleAssignments.length > 0)
    lines.push(
      '| `role-assignments.json` | Azure RBAC role assignments on Key Vault secrets (or whole vaults where `dataFrom.find` is used) |',
    );
  if (docs.accessPolicies.length > 0)
    lines.push('| `access-policies.json` | access policy entries for vaults in the access-policy permission model |');
  if (p.crossplane)
    lines.push('| `crossplane/` | the identity and its federated credentials as Crossplane managed resources (provider-upjet-azure) |');
  lines.push('');

  lines.push('## 1. Principal ID', '');
  if (p.principalId) {
    lines.push('Role assignments and access policies name the identity by its principal (object) ID:', '');
    code([`PRINCIPAL_ID=${p.principalId}`]);
  } else {
    lines.push(
      'The topology does not set `principalId`, so the JSON files carry the ARM expression that reads it; with the',
      'CLI, look it up first (or set `principalId` on the identity):',
      '',
    );
    code([`PRINCIPAL_ID="$(${principalIdCommand(id)})"`]);
  }

  lines.push(`## 2. Federated credentials (${docs.credentials.length})`, '');
  if (docs.credentials.length === 0) {
    lines.push('No control plane reads secrets through this identity yet: it needs no federated credential.', '');
  } else {
    lines.push(
      sa
        ? "The subject is ESO's controller service account. The issuer must equal the"
        : 'One per plane host namespace; the subject is the ESO service account there. The issuer must equal the',
      "cluster's issuer URL character for character (trailing slash included).",
      '',
    );
    code(
      docs.credentials.map((c) =>
        shellCommand('az identity federated-credential create', [
          ['--name', c.name],
          ['--identity-name', p.identityName],
          ['--resource-group', p.resourceGroup],
          ['--subscription', p.subscriptionId],
          ['--issuer', c.issuer],
          ['--subject', c.subject],
          ['--audiences', AZURE_FEDERATED_AUDIENCE],
        ]),
      ),
    );
  }

  lines.push('## 3. Key Vault access', '');
  if (docs.roleAssignments.length === 0 && docs.accessPolicies.length === 0) {
    lines.push(
      sa
        ? 'No external secret or push secret uses Key Vault through this identity yet: nothing to grant.'
        : 'No shared secret reads Key Vault through this identity yet: nothing to grant.',
      '',
    );
  }
  if (docs.roleAssignments.length > 0) {
    lines.push(
      `Vaults with Azure RBAC: "Key Vault Secrets User" on each secret the ${sa ? 'external' : 'shared'} secrets name (and "Key Vault`,
      `Reader" on each key or certificate they name). Where a${sa ? 'n external' : ' shared'} secret uses \`dataFrom.find\`, ESO lists the`,
      "vault's secrets, which only an assignment on the whole vault allows.",
      '',
    );
    if (docs.roleAssignments.some((r) => r.roleDefinitionName.endsWith('Officer'))) {
      lines.push(
        'Push secrets: "Key Vault Secrets Officer" (keys: "Key Vault Crypto Officer", certificates: "Key Vault',
        'Certificates Officer") on each pushed object; it reads, writes and deletes that object only. A role',
        'assignment can only be scoped to an object that exists: create each pushed secret once before assigning',
        '(`az keyvault secret set --vault-name <vault> --name <name> --value placeholder --tags managed-by=external-secrets`;',
        'ESO only overwrites secrets tagged `managed-by=external-secrets`).',
        '',
      );
    }
    code(
      docs.roleAssignments.map((r) =>
        shellCommand('az role assignment create', [
          '--assignee-object-id "$PRINCIPAL_ID"',
          ['--assignee-principal-type', 'ServicePrincipal'],
          ['--role', r.roleDefinitionId.split('/').pop() ?? ''],
          ['--scope', r.scope],
        ]),
      ),
    );
  }
  if (docs.accessPolicies.length > 0) {
    lines.push(
      'Vaults with access policies: an access policy applies to the whole vault. `get` reads the named objects;',
      '`list` is added only where a secret uses `dataFrom.find`; `set` / `import` (and `delete` for',
      '`deletionPolicy: Delete`) only where a push secret writes to the vault.',
      '',
    );
    code(
      docs.accessPolicies.map((a) => {
        const m = a.resourceId ? /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(a.resourceId) : null;
        const args: (readonly [string, string] | string)[] = [['--name', a.vaultName]];
        if (m?.[1] && m[2]) args.push(['--resource-group', m[2]], ['--subscription', m[1]]);
        args.push('--object-id "$PRINCIPAL_ID"');
        if (a.permissions.secrets) args.push(`--secret-permissions ${a.permissions.secrets.join(' ')}`);
        if (a.permissions.keys) args.push(`--key-permissions ${a.permissions.keys.join(' ')}`);
        if (a.permissions.certificates) args.push(`--certificate-permissions ${a.permissions.certificates.join(' ')}`);
        return shellCommand('az keyvault set-policy', args);
      }),
    );
  }

  lines.push(
    '## 4. Roll out',
    '',
    `Apply the Helm values of \`${posix.dirname(docs.owner.helmValues)}/\`, then restart ${sa ? "ESO's controller" : 'the shared-secrets controllers'}: the workload identity`,
    'webhook injects the token only into pods created after the annotation and label are set.',
    '',
  );
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
