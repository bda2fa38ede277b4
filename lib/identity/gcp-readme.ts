import { shellCommand } from './azure-gcp-common.js';
import { GCP_MAX_CONDITION_OPERATORS, GCP_MAX_CONDITIONAL_BINDINGS_PER_ROLE_MEMBER, GCP_MAX_POLICY_MEMBERS } from './gcp-conditions.js';
import type { GcpBinding, GcpPlanDocuments } from './gcp.js';

/** The `--condition` flag value of gcloud for a binding (`None` for an unconditional one). */
export function gcloudCondition(b: GcpBinding): string {
  const c = b.condition;
  return c ? `expression=${c.expression},title=${c.title},description=${c.description}` : 'None';
}

/** The README of `spaces/<space>/iam/gcp/`: what the files are and the equivalent `gcloud` commands. */
export function gcpReadme(docs: GcpPlanDocuments): string {
  const id = docs.identity;
  const impersonation = id.mode === 'gcp-impersonation';
  const lines: string[] = [];
  const code = (cmds: readonly string[]): void => {
    lines.push('```sh', cmds.join('\n\n'), '```', '');
  };

  lines.push(`# GCP workload identity of Space "${docs.space.name}"`, '', 'Generated from the secrets topology; edit the topology, not these files.', '');
  if (impersonation) {
    lines.push(
      `Mode \`gcp-impersonation\`: the Spaces Helm values annotate the shared-secrets controller with one Google`,
      `service account per Space (\`iam.gke.io/gcp-service-account: ${id.serviceAccountEmail}\`, see`,
      '`../../helm/spaces-values.yaml`). Each plane that reads secrets may impersonate it',
      '(`roles/iam.workloadIdentityUser` for its ESO service account), and the service account is granted what',
      "all of them read together: planes of one Space share this access. Give planes that must not share access",
      '(e.g. prod and dev) their own Space, or use `gcp-principal`.',
      '',
    );
  } else {
    lines.push(
      'Mode `gcp-principal`: no Helm annotation; each plane\'s ESO service account is its own IAM principal',
      `(\`principal://iam.googleapis.com/projects/${id.projectNumber}/locations/global/workloadIdentityPools/${id.workloadPool}/subject/ns/<host namespace>/sa/external-secrets-controller\`),`,
      'so each plane is granted exactly the secrets delivered to it: a dev plane cannot read a prod secret.',
      '',
    );
  }

  lines.push('| file | content |', '| --- | --- |');
  for (const p of docs.projects) {
    lines.push(`| \`${p.projectId}/iam-policy-bindings.json\` | bindings to add to project \`${p.projectId}\` (${p.bindings.length} binding(s), ${p.memberCount.toLocaleString('en-US')} of at most ${GCP_MAX_POLICY_MEMBERS.toLocaleString('en-US')} principals per policy) |`);
  }
  if (docs.serviceAccountBinding) lines.push(`| \`service-account-iam-policy.json\` | binding to add to the IAM policy of \`${id.serviceAccountEmail}\` |`);
  if (id.crossplane) lines.push('| `crossplane/` | the same IAM as provider-upjet-gcp `ProjectIAMMember` / `ServiceAccountIAMMember` resources |');
  lines.push('');

  lines.push(
    '## How to read the bindings',
    '',
    '- **These are the bindings to ADD, not a complete policy.** Do not pass a file to `set-iam-policy` as it is:',
    "  that would remove every other binding of the project. Run the commands below, or merge the bindings into",
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

  for (const p of docs.projects) {
    lines.push(`## Project \`${p.projectId}\` (number ${p.projectNumber})`, '');
    const cmds: string[] = [];
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
  if (docs.projects.length === 0) lines.push('No shared secret reads Secret Manager through this identity yet: nothing to grant.', '');

  if (impersonation) {
    lines.push(`## Service account \`${id.serviceAccountEmail}\``, '');
    if (docs.serviceAccountBinding) {
      lines.push('Lets the ESO service account of each plane that reads secrets impersonate the Google service account:', '');
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
