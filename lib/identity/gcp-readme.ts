import { shellCommand } from '../private/shell.js';
import { GCP_MAX_CONDITION_OPERATORS, GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER, GCP_MAX_POLICY_MEMBERS } from './gcp-conditions.js';
import { workloadPrincipal, type GcpBinding, type GcpPlanDocuments } from './gcp.js';

/** The `--condition` flag value of gcloud for a binding (`None` for an unconditional one). */
export function gcloudCondition(b: GcpBinding): string {
  const c = b.condition;
  return c ? `expression=${c.expression},title=${c.title},description=${c.description}` : 'None';
}

/** The README of `spaces/<space>/iam/gcp/` (`clusters/<cluster>/iam/gcp/`): what the files are and the equivalent `gcloud` commands. */
export function gcpReadme(docs: GcpPlanDocuments): string {
  const id = docs.identity;
  const impersonation = id.mode === 'gcp-impersonation';
  const lines: string[] = [];
  const code = (cmds: readonly string[]): void => {
    lines.push('```sh', cmds.join('\n\n'), '```', '');
  };

  const sa = docs.owner.serviceAccount;
  if (sa) {
    lines.push(
      `# GCP workload identity of the ESO controller of cluster "${docs.owner.name}"`,
      '',
      'Generated from the secrets topology; edit the topology, not these files.',
      '',
    );
    lines.push(
      impersonation
        ? `Mode \`gcp-impersonation\`: the ESO Helm values annotate ESO's controller service account \`${sa.namespace}/${sa.serviceAccount}\` with the Google service account \`${id.serviceAccountEmail}\` (see \`${docs.owner.helmValues}\`); the service account \`${sa.namespace}/${sa.serviceAccount}\` may impersonate it (\`roles/iam.workloadIdentityUser\`), and it is granted what the cluster's external secrets read and its push secrets write.`
        : `Mode \`gcp-principal\`: no Helm annotation; ESO's controller service account is the IAM principal \`${workloadPrincipal(id, sa.namespace, sa.serviceAccount)}\`, granted what the cluster's external secrets read and its push secrets write.`,
      '',
    );
  } else {
    lines.push(
      `# GCP workload identity of Space "${docs.owner.name}"`,
      '',
      'Generated from the secrets topology; edit the topology, not these files.',
      '',
    );
    if (impersonation) {
      lines.push(
        `Mode \`gcp-impersonation\`: the Spaces Helm values annotate the shared-secrets controller with one Google`,
        `service account per Space (\`iam.gke.io/gcp-service-account: ${id.serviceAccountEmail}\`, see`,
        `\`${docs.owner.helmValues}\`). Each plane that reads secrets may impersonate it`,
        '(`roles/iam.workloadIdentityUser` for its ESO service account), and the service account is granted what',
        'all of them read together: planes of one Space share this access. Give planes that must not share access',
        '(e.g. prod and dev) their own Space, or use `gcp-principal`.',
        '',
      );
    } else {
      lines.push(
        "Mode `gcp-principal`: no Helm annotation; each plane's ESO service account is its own IAM principal",
        `(\`principal://iam.googleapis.com/projects/${id.projectNumber}/locations/global/workloadIdentityPools/${id.workloadPool}/subject/ns/<host namespace>/sa/external-secrets-controller\`),`,
        'so each plane is granted exactly the secrets delivered to it: a dev plane cannot read a prod secret.',
        '',
      );
    }
  }

  lines.push('| file | content |', '| --- | --- |');
  for (const p of docs.projects) {
    lines.push(
      `| \`${p.projectId}/iam-policy-bindings.json\` | bindings to add to project \`${p.projectId}\` (${p.bindings.length} binding(s), ${p.memberCount.toLocaleString('en-US')} of at most ${GCP_MAX_POLICY_MEMBERS.toLocaleString('en-US')} principals per policy) |`,
    );
  }
  for (const r of docs.customRoles)
    lines.push(
      `| \`${r.projectId}/custom-role-${r.roleId}.json\` | the custom role \`${r.name}\` push secrets need (create, read labels${r.includedPermissions.includes('secretmanager.secrets.delete') ? ', delete' : ''}) |`,
    );
  if (docs.serviceAccountBinding)
    lines.push(`| \`service-account-iam-policy.json\` | binding to add to the IAM policy of \`${id.serviceAccountEmail}\` |`);
  if (id.crossplane)
    lines.push('| `crossplane/` | the same IAM as provider-upjet-gcp `ProjectIAMMember` / `ServiceAccountIAMMember` resources |');
  lines.push('');

  lines.push(
    '## How to read the bindings',
    '',
    '- **These are the bindings to ADD, not a complete policy.** Do not pass a file to `set-iam-policy` as it is:',
    '  that would remove every other binding of the project. Run the commands below, or merge the bindings into',
    '  the current policy (`gcloud projects get-iam-policy <project> --format=json`, keep its `etag`, set',
    '  `version: 3`, then `gcloud projects set-iam-policy <project> policy.json`).',
    '- `version: 3`: the bindings are conditional, and conditional bindings need policy version 3.',
    '- `roles/secretmanager.secretAccessor` grants `secretmanager.versions.access`, checked on',
    '  `projects/<number>/secrets/<id>/versions/<version>`. Each condition OR-s',
    '  `resource.name.startsWith("projects/<number>/secrets/<id>/")` for the named secrets. The trailing slash',
    '  makes the match exact: without it the prefix of secret `db` would also match the versions of `db-admin`.',
    '  IAM names Secret Manager resources by project number, hence `projectNumber` on every store.',
    '- `dataFrom.find` with a name pattern that starts with `^` and literal text (e.g. `^looker-api-`) becomes the',
    '  prefix `projects/<number>/secrets/looker-api-` (no slash: every secret ID starting with it). A find by tags',
    `  only, or by an unanchored pattern, reads every secret of the project. A find also lists the project's`,
    `  secrets, which needs \`${id.listRole}\` on the project (unconditional: listing is checked on the project).`,
    `- Limits: at most ${GCP_MAX_CONDITION_OPERATORS} logical operators per condition (so at most ${GCP_MAX_CONDITION_OPERATORS + 1} prefixes; longer lists are`,
    `  split into parts "(i/n)"), at most ${GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER} conditional bindings of one role to one principal, and at most`,
    `  ${GCP_MAX_POLICY_MEMBERS.toLocaleString('en-US')} principals per policy, counting every occurrence in every binding and the project's existing bindings.`,
    '',
  );
  if (docs.customRoles.length > 0) {
    lines.push(
      '- Push secrets: ESO reads the latest version of a pushed secret first (so it is among the `secretAccessor`',
      '  prefixes), adds versions with `roles/secretmanager.secretVersionAdder`, and creates the secret, reads its',
      '  `managed-by` label and (with `deletionPolicy: Delete`) deletes it with the custom role `externalSecretsPush`',
      '  (create it first from `custom-role-externalSecretsPush.json`). Both bindings are conditioned on',
      '  `resource.name == "projects/<number>/secrets/<id>"` for exactly the pushed secrets. If your organization',
      '  refuses to create a secret under that condition, create each pushed secret once yourself',
      '  (`gcloud secrets create <id> --project <project> --replication-policy automatic --labels managed-by=external-secrets`);',
      '  ESO only writes to secrets labelled `managed-by=external-secrets`.',
      '',
    );
  }

  for (const p of docs.projects) {
    lines.push(`## Project \`${p.projectId}\` (number ${p.projectNumber})`, '');
    const cmds: string[] = [];
    for (const r of docs.customRoles.filter((x) => x.projectId === p.projectId)) {
      cmds.push(
        `gcloud iam roles create ${r.roleId} --project ${r.projectId} --file ${r.projectId}/custom-role-${r.roleId}.json\n# on later changes: gcloud iam roles update ${r.roleId} --project ${r.projectId} --file ${r.projectId}/custom-role-${r.roleId}.json`,
      );
    }
    for (const b of p.bindings) {
      for (const member of b.members) {
        cmds.push(
          shellCommand(`gcloud projects add-iam-policy-binding ${p.projectId}`, [
            ['--member', member],
            ['--role', b.role],
            ['--condition', gcloudCondition(b)],
          ]),
        );
      }
    }
    code(cmds);
  }
  if (docs.projects.length === 0)
    lines.push(
      sa
        ? 'No external secret or push secret uses Secret Manager through this identity yet: nothing to grant.'
        : 'No shared secret reads Secret Manager through this identity yet: nothing to grant.',
      '',
    );

  if (impersonation) {
    lines.push(`## Service account \`${id.serviceAccountEmail}\``, '');
    if (docs.serviceAccountBinding) {
      lines.push(
        sa
          ? "Lets ESO's controller service account impersonate the Google service account:"
          : 'Lets the ESO service account of each plane that reads secrets impersonate the Google service account:',
        '',
      );
      code(
        docs.serviceAccountBinding.members.map((member) =>
          shellCommand(`gcloud iam service-accounts add-iam-policy-binding ${id.serviceAccountEmail ?? ''}`, [
            ['--role', docs.serviceAccountBinding?.role ?? ''],
            ['--member', member],
          ]),
        ),
      );
    } else {
      lines.push('No plane reads secrets through it yet: no plane may impersonate it.', '');
    }
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
