import { describe, expect, it, beforeAll } from 'vitest';

import {
  AZURE_FEDERATED_AUDIENCE,
  AZURE_MAX_FEDERATED_CREDENTIALS,
  KEY_VAULT_READER,
  KEY_VAULT_SECRETS_USER,
  federatedCredentialName,
  keyVaultObject,
} from '../lib/identity/azure.js';
import { azureCrossplaneManifests } from '../lib/identity/azure-crossplane.js';
import { stableUuid } from '../lib/private/hash.js';
import { spaceOwner } from '../lib/identity/workload.js';
import {
  AzureIdentity,
  AzureKeyVault,
  ControlPlane,
  Environment,
  Group,
  Namespaces,
  Planes,
  SecretStore,
  SharedSecret,
  Space,
  SpaceIdentity,
  TopologyApp,
} from '../lib/index.js';
import {
  AZ_CLIENT,
  AZ_ISSUER,
  AZ_PRINCIPAL,
  AZ_SUBSCRIPTION,
  AZ_TENANT,
  DEV_PLANE_ID,
  PROD_PLANE_ID,
  azureIdentityProps,
  azureManyPlanes,
  azureTopology,
  planAzureOf,
  vaultId,
} from './fixtures/azure-topologies.js';
import { CrdValidator, describeWithCrds, parseManifests } from './support/crd-schemas.js';

const DIR = 'spaces/azure-we/iam/azure';
const IDENTITY_ID = `/subscriptions/${AZ_SUBSCRIPTION}/resourceGroups/rg-spaces-we/providers/Microsoft.ManagedIdentity/userAssignedIdentities/spaces-shared-secrets`;

/** What the tests read: the files of a plan or of a compilation. */
type Output = { files: ReadonlyMap<string, string> };

function json<T = unknown>(c: Output, path: string): T {
  const text = c.files.get(path);
  if (text === undefined) throw new Error(`no file ${path}; files: ${[...c.files.keys()].filter((k) => k.includes('/iam/')).join(', ')}`);
  return JSON.parse(text) as T;
}

interface RoleAssignment {
  name: string;
  scope: string;
  roleDefinitionId: string;
  roleDefinitionName: string;
  principalId: string;
  principalType: string;
  neededBy: string[];
}

/** The Azure plan of a topology (planner alone: other stages and guardrails do not run). */
function planOf(t: { app: TopologyApp; space: Space }) {
  const plan = planAzureOf(t.app, t.space);
  return { ...plan, files: plan.fileMap };
}

describe('Azure workload identity: documents', () => {
  let c: ReturnType<typeof planOf>;
  beforeAll(() => {
    c = planOf(azureTopology());
    expect(c.problems).toEqual([]);
  });

  it('writes the files under spaces/<space>/iam/azure/', () => {
    const files = [...c.files.keys()].filter((k) => k.startsWith(`${DIR}/`)).sort();
    expect(files).toEqual([
      `${DIR}/README.md`,
      `${DIR}/access-policies.json`,
      `${DIR}/federated-credentials.json`,
      `${DIR}/managed-identity.json`,
      `${DIR}/role-assignments.json`,
    ]);
  });

  it('puts the client ID annotation and the "true" pod label (a string) into the Helm values', () => {
    expect(c.serviceAccountAnnotations).toEqual({ 'azure.workload.identity/client-id': AZ_CLIENT });
    expect(c.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    // End to end (a one-environment Space, so that no guardrail objects).
    const all = azureManyPlanes(2).app.compile();
    const values = all.files.get('spaces/azure-big/helm/spaces-values.yaml') ?? '';
    expect(values).toContain(`azure.workload.identity/client-id: ${AZ_CLIENT}`);
    expect(values).toContain('azure.workload.identity/use: "true"');
    const flags = all.files.get('spaces/azure-big/helm/helm-set-flags.txt') ?? '';
    expect(flags).toContain(
      `--set-string 'controlPlanes.sharedSecrets.serviceAccount.customAnnotations.azure\\.workload\\.identity/client-id=${AZ_CLIENT}'`,
    );
    expect(flags).toContain(`--set-string 'controlPlanes.sharedSecrets.pod.customLabels.azure\\.workload\\.identity/use=true'`);
  });

  it('describes the managed identity, with the principal-ID lookup when principalId is not set', () => {
    const mi = json<Record<string, unknown>>(c, `${DIR}/managed-identity.json`);
    expect(mi).toMatchObject({
      name: 'spaces-shared-secrets',
      resourceGroup: 'rg-spaces-we',
      subscriptionId: AZ_SUBSCRIPTION,
      tenantId: AZ_TENANT,
      clientId: AZ_CLIENT,
      oidcIssuer: AZ_ISSUER,
      resourceId: IDENTITY_ID,
      federatedCredentials: { count: 2, limit: 20 },
    });
    expect(mi.principalId).toBeUndefined();
    expect(mi.principalIdLookup).toEqual({
      azCli: `az identity show --name spaces-shared-secrets --resource-group rg-spaces-we --subscription ${AZ_SUBSCRIPTION} --query principalId --output tsv`,
      armExpression: `[reference(resourceId('${AZ_SUBSCRIPTION}', 'rg-spaces-we', 'Microsoft.ManagedIdentity/userAssignedIdentities', 'spaces-shared-secrets'), '2023-01-31').principalId]`,
    });
  });

  it('trusts each plane that reads a secret with one federated credential (issuer, subject, audience)', () => {
    const creds = json<
      { name: string; issuer: string; subject: string; audiences: string[]; controlPlane: { plane: string; hostNamespace: string } }[]
    >(c, `${DIR}/federated-credentials.json`);
    expect(creds.map((x) => x.name)).toEqual(['azure-we-data-data-dev-1', 'azure-we-data-data-prod-1']);
    expect(creds[0]).toEqual({
      name: 'azure-we-data-data-dev-1',
      issuer: AZ_ISSUER,
      subject: `system:serviceaccount:mxp-${DEV_PLANE_ID}-system:external-secrets-controller`,
      audiences: ['api://AzureADTokenExchange'],
      controlPlane: {
        space: 'azure-we',
        group: 'data',
        plane: 'data-dev-1',
        environment: 'dev',
        hostNamespace: `mxp-${DEV_PLANE_ID}-system`,
      },
    });
    expect(creds[1]?.subject).toBe(`system:serviceaccount:mxp-${PROD_PLANE_ID}-system:external-secrets-controller`);
    // data-staging-1 gets a store but no secret: it is not trusted.
    expect(creds.some((x) => x.controlPlane.plane === 'data-staging-1')).toBe(false);
    for (const x of creds) {
      expect(x.issuer).toBe(AZ_ISSUER); // exactly as given, trailing slash kept
      expect(x.audiences).toEqual([AZURE_FEDERATED_AUDIENCE]);
      expect(x.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
    }
  });

  it('scopes "Key Vault Secrets User" to single secrets when every key is named, and reads certificates with "Key Vault Reader"', () => {
    const ra = json<RoleAssignment[]>(c, `${DIR}/role-assignments.json`);
    const prod = ra.filter((r) => r.scope.startsWith(vaultId('kv-data-prod')));
    expect(prod.map((r) => [r.scope.slice(vaultId('kv-data-prod').length), r.roleDefinitionName])).toEqual([
      ['/certificates/ingress', 'Key Vault Reader'],
      ['/secrets/warehouse-admin', 'Key Vault Secrets User'], // "secret/warehouse-admin": the prefix is ESO's object type
      ['/secrets/warehouse-dsn', 'Key Vault Secrets User'],
    ]);
    const dsn = prod.find((r) => r.scope.endsWith('/secrets/warehouse-dsn'));
    expect(dsn).toEqual({
      name: stableUuid(
        `${vaultId('kv-data-prod').toLowerCase()}/secrets/warehouse-dsn|${KEY_VAULT_SECRETS_USER.id}|${IDENTITY_ID.toLowerCase()}`,
      ),
      scope: `${vaultId('kv-data-prod')}/secrets/warehouse-dsn`,
      roleDefinitionId: `/subscriptions/${AZ_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
      roleDefinitionName: 'Key Vault Secrets User',
      principalId: `[reference(resourceId('${AZ_SUBSCRIPTION}', 'rg-spaces-we', 'Microsoft.ManagedIdentity/userAssignedIdentities', 'spaces-shared-secrets'), '2023-01-31').principalId]`,
      principalType: 'ServicePrincipal',
      description: 'External Secrets of Space "azure-we": read secret "warehouse-dsn"',
      neededBy: ['azure-we/data/warehouse-dsn'],
    });
    expect(prod.find((r) => r.scope.endsWith('/certificates/ingress'))?.roleDefinitionId).toMatch(
      new RegExp(`/roleDefinitions/${KEY_VAULT_READER.id}$`),
    );
    expect(dsn?.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('scopes the assignment to the whole vault when a secret uses dataFrom.find', () => {
    const ra = json<RoleAssignment[]>(c, `${DIR}/role-assignments.json`);
    const dev = ra.filter((r) => r.scope.startsWith(vaultId('kv-data-dev')));
    expect(dev).toHaveLength(1);
    expect(dev[0]).toMatchObject({
      scope: vaultId('kv-data-dev'),
      roleDefinitionName: 'Key Vault Secrets User',
      neededBy: ['azure-we/data/etl-config'],
    });
  });

  it('writes an access policy (get; list only with find) for vaults in the access-policy model', () => {
    const ap = json<Record<string, unknown>[]>(c, `${DIR}/access-policies.json`);
    expect(ap).toEqual([
      {
        vaultName: 'kv-legacy',
        vaultUrl: 'https://kv-legacy.vault.azure.net',
        tenantId: AZ_TENANT,
        objectId: `[reference(resourceId('${AZ_SUBSCRIPTION}', 'rg-spaces-we', 'Microsoft.ManagedIdentity/userAssignedIdentities', 'spaces-shared-secrets'), '2023-01-31').principalId]`,
        permissions: { secrets: ['get'] },
        neededBy: ['azure-we/data/legacy-token'],
      },
    ]);
  });

  it('writes the equivalent az commands in the README', () => {
    const readme = c.files.get(`${DIR}/README.md`) ?? '';
    expect(readme).toContain('PRINCIPAL_ID="$(az identity show --name spaces-shared-secrets');
    expect(readme).toContain(
      [
        'az identity federated-credential create \\',
        '  --name azure-we-data-data-prod-1 \\',
        '  --identity-name spaces-shared-secrets \\',
        '  --resource-group rg-spaces-we \\',
        `  --subscription ${AZ_SUBSCRIPTION} \\`,
        `  --issuer ${AZ_ISSUER} \\`,
        `  --subject system:serviceaccount:mxp-${PROD_PLANE_ID}-system:external-secrets-controller \\`,
        '  --audiences api://AzureADTokenExchange',
      ].join('\n'),
    );
    expect(readme).toContain(
      [
        'az role assignment create \\',
        '  --assignee-object-id "$PRINCIPAL_ID" \\',
        '  --assignee-principal-type ServicePrincipal \\',
        '  --role 4633458b-17de-408a-b874-0445c86b69e6 \\',
        `  --scope ${vaultId('kv-data-prod')}/secrets/warehouse-dsn`,
      ].join('\n'),
    );
    expect(readme).toContain(
      ['az keyvault set-policy \\', '  --name kv-legacy \\', '  --object-id "$PRINCIPAL_ID" \\', '  --secret-permissions get'].join('\n'),
    );
    expect(readme).toContain('2 of at most 20 per identity');
  });

  it('publishes the managed identity as a principal with its planes and grants', () => {
    const p = c.principals.find((x) => x.id === IDENTITY_ID);
    expect(p).toBeDefined();
    expect(p?.kind).toBe('azure-managed-identity');
    expect(p?.environment).toBeUndefined(); // dev and prod share it
    expect(p?.planes.map((s) => s.plane)).toEqual(['data-dev-1', 'data-prod-1']);
    expect(p?.stores).toEqual(['azure-we/data/kv-dev', 'azure-we/data/kv-legacy', 'azure-we/data/kv-prod']);
    const g = p?.grants ?? [];
    expect(g.find((x) => x.resource === `${vaultId('kv-data-prod')}/secrets/warehouse-dsn`)).toEqual({
      access: 'read',
      resource: `${vaultId('kv-data-prod')}/secrets/warehouse-dsn`,
      neededBy: ['azure-we/data/warehouse-dsn'],
    });
    const list = g.find((x) => x.access === 'list');
    expect(list?.resource).toBe(vaultId('kv-data-dev'));
    expect(list?.wider).toMatch(/dataFrom\.find/);
    expect(g.find((x) => x.resource === 'https://kv-legacy.vault.azure.net')?.wider).toMatch(/whole vault/);
  });

  it('is deterministic: the same model gives the same bytes and facts', () => {
    const again = planOf(azureTopology());
    expect([...again.files]).toEqual([...c.files]);
    expect(again.principals).toEqual(c.principals);
  });
});

describe('Azure workload identity: variants', () => {
  it('uses the principalId when given (no lookup) in files and commands', () => {
    const c = planOf(azureTopology({ identity: { principalId: AZ_PRINCIPAL } }));
    const mi = json<Record<string, unknown>>(c, `${DIR}/managed-identity.json`);
    expect(mi.principalId).toBe(AZ_PRINCIPAL);
    expect(mi.principalIdLookup).toBeUndefined();
    expect(json<RoleAssignment[]>(c, `${DIR}/role-assignments.json`).every((r) => r.principalId === AZ_PRINCIPAL)).toBe(true);
    expect(json<{ objectId: string }[]>(c, `${DIR}/access-policies.json`)[0]?.objectId).toBe(AZ_PRINCIPAL);
    expect(c.files.get(`${DIR}/README.md`)).toContain(`PRINCIPAL_ID=${AZ_PRINCIPAL}`);
  });

  it('adds list to the access policy when a secret of an access-policy vault uses find', () => {
    const t = azureTopology();
    new SharedSecret(t.group, 'legacy-all', {
      store: t.kvLegacy,
      planes: Planes.named(t.prod),
      dataFrom: [{ find: { tags: { app: 'legacy' } } }],
    });
    new SharedSecret(t.group, 'legacy-key', {
      store: t.kvLegacy,
      planes: Planes.named(t.prod),
      data: [{ secretKey: 'jwk', remoteKey: 'key/signing' }],
    });
    const c = planOf(t);
    const ap = json<{ permissions: Record<string, string[]>; neededBy: string[] }[]>(c, `${DIR}/access-policies.json`)[0];
    expect(ap?.permissions).toEqual({ secrets: ['get', 'list'], keys: ['get'] });
    expect(ap?.neededBy).toEqual(['azure-we/data/legacy-all', 'azure-we/data/legacy-key', 'azure-we/data/legacy-token']);
    expect(c.files.get(`${DIR}/README.md`)).toContain('  --secret-permissions get list \\\n  --key-permissions get');
  });

  it('reports a missing vault resourceId on the store (RBAC vault), saying how to get it', () => {
    const t = azureTopology({ omitProdResourceId: true });
    const problems = planOf(t).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(t.kvProd.node.path);
    expect(problems[0]?.message).toMatch(/resourceId is not set/);
    expect(problems[0]?.message).toContain(
      '"/subscriptions/<subscription>/resourceGroups/<resource group>/providers/Microsoft.KeyVault/vaults/kv-data-prod"',
    );
    expect(problems[0]?.message).toContain('az keyvault show --name kv-data-prod --query id');
  });

  it("refuses a store tenant other than the identity's, and a resourceId of another vault", () => {
    const t = azureTopology();
    const other = new SecretStore(t.group, 'kv-other', {
      provider: new AzureKeyVault({
        vaultUrl: 'https://kv-other.vault.azure.net',
        tenantId: '11111111-2222-4333-8444-555555555555',
        resourceId: vaultId('kv-data-prod'),
      }),
      planes: Planes.named(t.prod),
      namespaces: Namespaces.named('etl'),
    });
    expect(planOf(t).problems.map((p) => [p.path, p.message.replace(/:.*/, '')])).toEqual([
      [
        other.node.path,
        'store "kv-other" sets tenantId "11111111-2222-4333-8444-555555555555", but it authenticates with the managed identity "spaces-shared-secrets" of tenant "72f988bf-86f1-41af-91ab-2d7cd011db47", and a managed identity gets tokens only in its own tenant',
      ],
    ]);
    const own = other.node.validate().join('\n');
    expect(own).toContain(
      `resourceId "${vaultId('kv-data-prod')}" names vault "kv-data-prod", but vaultUrl "https://kv-other.vault.azure.net" is vault "kv-other"`,
    );
  });

  it('reports a plane without host namespace on the plane path', () => {
    const t = azureTopology({ stagingWithoutId: true });
    const problems = planOf(t).problems;
    expect(problems.map((p) => p.path)).toEqual([t.staging.node.path]);
    expect(problems[0]?.message).toMatch(/host namespace is unknown/);
    expect(problems[0]?.message).toMatch(/set "controlPlaneId" .* or "hostNamespace"/);
  });

  it('accepts 20 federated credentials and refuses 21, naming the limit, the count and the way out', () => {
    expect(azureManyPlanes(AZURE_MAX_FEDERATED_CREDENTIALS).app.problems()).toEqual([]);
    const c20 = azureManyPlanes(20).app.compile();
    expect(JSON.parse(c20.files.get('spaces/azure-big/iam/azure/federated-credentials.json') ?? '[]')).toHaveLength(20);

    const { app, space } = azureManyPlanes(21);
    const problems = app.problems();
    expect(planOf({ app, space }).problems).toEqual(problems);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(space.node.path);
    expect(problems[0]?.message).toMatch(/would need 21 federated identity credentials/);
    expect(problems[0]?.message).toMatch(/at most 20 per user-assigned managed identity/);
    expect(problems[0]?.message).toMatch(/serve fewer planes .* or split the planes across Spaces/);
  });

  it('counts the credentials of every Space that shares the managed identity', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const prod = new Environment(app, 'prod');
    for (const [si, name] of ['east', 'west'].entries()) {
      const space = new Space(app, name, { cloud: 'azure', identity: SpaceIdentity.azureWorkloadIdentity(azureIdentityProps()) });
      const group = new Group(space, 'g');
      for (let i = 1; i <= 11; i++) {
        new ControlPlane(group, `p${i}`, {
          environment: prod,
          controlPlaneId: `00000000-0000-4000-8000-${(si * 100 + i).toString(16).padStart(12, '0')}`,
          namespaces: ['apps'],
        });
      }
      const store = new SecretStore(group, 'kv', {
        provider: new AzureKeyVault({ vaultUrl: 'https://kv-shared.vault.azure.net', resourceId: vaultId('kv-shared') }),
        planes: Planes.inEnvironments(prod),
        namespaces: Namespaces.named('apps'),
      });
      new SharedSecret(group, 's', { store, data: [{ secretKey: 'k', remoteKey: 's' }] });
    }
    const problems = Space.all(app).flatMap((space) => planOf({ app, space }).problems);
    expect(problems.map((p) => p.path)).toEqual(['east', 'west']);
    expect(problems[0]?.message).toMatch(/22 federated identity credentials .* over Spaces "east" and "west"/);
  });

  it('validates the identity props with messages that quote the value and say the fix', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const space = new Space(app, 'bad', {
      cloud: 'azure',
      identity: SpaceIdentity.azureWorkloadIdentity({
        tenantId: 'not-a-uuid',
        clientId: '5e1f8a3b2c4d4e6f8a9b0c1d2e3f4a5b',
        subscriptionId: AZ_SUBSCRIPTION,
        resourceGroup: 'rg.',
        identityName: '-x',
        oidcIssuer: 'http://issuer.example/',
        principalId: 'nope',
      }),
    });
    const messages = planOf({ app, space }).problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toHaveLength(6);
    expect(messages.every((m) => m.startsWith('bad: identity: '))).toBe(true);
    const all = messages.join('\n');
    expect(all).toContain('"not-a-uuid" is not a valid tenantId');
    expect(all).toContain('"5e1f8a3b2c4d4e6f8a9b0c1d2e3f4a5b" is not a valid clientId');
    expect(all).toContain('(e.g. "5e1f8a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b")');
    expect(all).toContain('oidcIssuer "http://issuer.example/" has the scheme "http": use a URL starting with "https://"');
    expect(all).toContain('identityName "-x" is not a managed identity name');
    expect(all).toContain('resourceGroup "rg." is not a resource group name');
    expect(all).toContain('"nope" is not a valid principalId');
  });

  it('renders the store with authType WorkloadIdentity, the tenant and no serviceAccountRef', () => {
    const c = azureManyPlanes(1).app.compile();
    const store = c.manifests.find((m) => m.object.kind === 'SharedSecretStore' && (m.object.metadata as { name: string }).name === 'kv');
    const provider = (store?.object.spec as { provider: { azurekv: Record<string, unknown> } }).provider.azurekv;
    expect(provider).toEqual({ authType: 'WorkloadIdentity', tenantId: AZ_TENANT, vaultUrl: 'https://kv-fleet.vault.azure.net' });
  });
});

describe('Azure helpers', () => {
  it('reads ESO object prefixes of remote keys', () => {
    expect(keyVaultObject('db')).toEqual({ kind: 'secrets', name: 'db' });
    expect(keyVaultObject('secret/db')).toEqual({ kind: 'secrets', name: 'db' });
    expect(keyVaultObject('key/signing')).toEqual({ kind: 'keys', name: 'signing' });
    expect(keyVaultObject('cert/tls')).toEqual({ kind: 'certificates', name: 'tls' });
  });

  it('names federated credentials deterministically within 120 characters', () => {
    const long = { space: 's'.repeat(63), group: 'g'.repeat(63), plane: 'p'.repeat(63) };
    const name = federatedCredentialName(long);
    expect(name).toHaveLength(120);
    expect(name).toMatch(/^s{63}-g{47}-[0-9a-f]{8}$/);
    expect(federatedCredentialName(long)).toBe(name);
    expect(federatedCredentialName({ ...long, plane: `${'p'.repeat(62)}q` })).not.toBe(name);
    expect(federatedCredentialName({ space: 'a', group: 'b', plane: 'c' })).toBe('a-b-c');
  });
});

describeWithCrds('Azure workload identity: Crossplane output (provider-upjet-azure CRDs)', () => {
  let v: CrdValidator;
  beforeAll(async () => {
    v = await CrdValidator.load({ include: ['crossplane-providers/azure'] });
  });

  it('emits a UserAssignedIdentity and FederatedIdentityCredentials that validate', () => {
    const c = planOf(azureTopology({ identity: { crossplane: true } }));
    const uai = parseManifests(c.files.get(`${DIR}/crossplane/user-assigned-identity.yaml`) ?? '');
    const fics = parseManifests(c.files.get(`${DIR}/crossplane/federated-identity-credentials.yaml`) ?? '');
    expect(uai).toHaveLength(1);
    expect(fics).toHaveLength(2);
    for (const o of [...uai, ...fics]) expect(v.validate(o)).toEqual([]);
    expect(uai[0]).toMatchObject({
      kind: 'UserAssignedIdentity',
      metadata: { annotations: { 'crossplane.io/external-name': 'spaces-shared-secrets' } },
      spec: { forProvider: { name: 'spaces-shared-secrets', resourceGroupName: 'rg-spaces-we' }, managementPolicies: ['Observe'] },
    });
    expect(fics[1]).toMatchObject({
      apiVersion: 'managedidentity.azure.upbound.io/v1beta1',
      kind: 'FederatedIdentityCredential',
      metadata: { name: 'azure-we-data-data-prod-1', annotations: { 'crossplane.io/external-name': 'azure-we-data-data-prod-1' } },
      spec: {
        forProvider: {
          audience: ['api://AzureADTokenExchange'],
          issuer: AZ_ISSUER,
          subject: `system:serviceaccount:mxp-${PROD_PLANE_ID}-system:external-secrets-controller`,
          userAssignedIdentityId: IDENTITY_ID,
        },
      },
    });
  });

  it('manages the identity fully when its location is given', () => {
    const t = azureTopology({ identity: { crossplane: true, location: 'westeurope' } });
    const id = t.space.identity as AzureIdentity;
    const c = planOf(t);
    const [uai] = azureCrossplaneManifests({
      identity: id,
      owner: spaceOwner(t.space),
      credentials: [],
      roleAssignments: [],
      accessPolicies: [],
      credentialCount: 0,
    });
    expect(uai?.objects[0]).toMatchObject({ spec: { forProvider: { location: 'westeurope' } } });
    expect((uai?.objects[0]?.spec as Record<string, unknown>).managementPolicies).toBeUndefined();
    for (const o of parseManifests(c.files.get(`${DIR}/crossplane/user-assigned-identity.yaml`) ?? '')) expect(v.validate(o)).toEqual([]);
  });
});
