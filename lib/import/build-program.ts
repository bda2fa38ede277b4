/**
 * From the reconstructed {@link TopologySpec} to the {@link Program} that declares it with the
 * public API, as README and main.ts use it: environments first, then each Space with its groups
 * (planes, stores, secrets), then each ESO cluster. Placeholders are marked with comments.
 */
import { NIL_UUID } from './infer.js';
import { arr, call, construct, lit, newProgram, obj, opt, ref, value, type Expr, type Program, type Statement } from './program.js';
import { EXTERNAL_SECRET_SPEC_DEFAULTS, isDefault } from './defaults.js';
import {
  MISSING_SELECTOR_LABEL,
  type ClusterSpec,
  type EnvironmentSpec,
  type GroupSpec,
  type IdentityPlaceholder,
  type PlaneSpec,
  type ProviderSpec,
  type SecretBody,
  type Selection,
  type SpaceSpec,
  type TopologySpec,
} from './topology.js';

/**
 * A placeholder workload identity: values nobody has, numbered so that no two Spaces or clusters
 * share a made-up principal (a cluster name, a managed identity, a GKE workload pool); roles per
 * plane on AWS.
 */
function placeholderIdentity({ cloud, index, tenantId, irsa }: IdentityPlaceholder, forCluster: boolean): Expr {
  const name = `replace-me-${index}`;
  if (cloud === 'aws' && irsa)
    return call(
      'SpaceIdentity',
      'awsIrsa',
      obj([
        ['accountId', lit('000000000000')],
        ['oidcIssuer', lit(`https://${name}.invalid`)],
        ['trustPolicyMaxChars', lit(4096)],
      ]),
    );
  if (cloud === 'aws')
    return call(
      'SpaceIdentity',
      'awsPodIdentity',
      obj([
        ['accountId', lit('000000000000')],
        ['clusterName', lit(name)],
        ['roleScope', forCluster ? undefined : lit('plane')],
      ]),
    );
  if (cloud === 'azure')
    return call(
      'SpaceIdentity',
      'azureWorkloadIdentity',
      value({
        tenantId: tenantId ?? NIL_UUID,
        clientId: `${NIL_UUID.slice(0, 24)}${String(index).padStart(12, '0')}`,
        subscriptionId: NIL_UUID,
        resourceGroup: 'replace-me',
        identityName: name,
        oidcIssuer: `https://${name}.invalid/`,
      }),
    );
  return call('SpaceIdentity', 'gcpWorkloadIdentity', value({ projectId: name, projectNumber: `9998${String(index).padStart(8, '0')}` }));
}

const PLACEHOLDER_COMMENT = 'PLACEHOLDER identity: the YAML does not describe it. Replace its values before using the Helm values and IAM.';

/**
 * Construct ids unique within each scope: the name, else name-kind, else numbered. An id never has
 * a `/` (constructs turn it into `--`, which could collide), is never empty and never the name of an
 * Object.prototype property; the name prop then carries the name.
 */
class Ids {
  private readonly used = new Map<string, Set<string>>();
  public claim(scope: string, rawName: string, kindWord: string): string {
    let taken = this.used.get(scope);
    if (!taken) {
      taken = new Set();
      this.used.set(scope, taken);
    }
    const name = rawName.replace(/\//g, '-') || kindWord;
    // constructs keeps children in a plain object: an id such as "constructor" or "__proto__" is "taken".
    const free = (x: string): boolean => !taken.has(x) && !(x in Object.prototype);
    let id = name;
    if (!free(id)) id = `${name}-${kindWord}`;
    for (let i = 2; !free(id); i++) id = `${name}-${kindWord}-${i}`;
    taken.add(id);
    return id;
  }
}

class Builder {
  public readonly program: Program = newProgram();
  private readonly ids = new Ids();
  private readonly envs = new Map<EnvironmentSpec, Statement>();
  private readonly planes = new Map<PlaneSpec, Statement>();

  private add(s: Omit<Statement, 'referenced' | 'comments'> & { comments?: string[] }): Statement {
    const st: Statement = { ...s, referenced: false, comments: s.comments ?? [] };
    this.program.statements.push(st);
    return st;
  }

  /** `{ name }` when the construct id differs from the name. */
  private nameProp(id: string, name: string): ReadonlyArray<readonly [string, Expr | undefined]> {
    return id === name ? [] : [['name', lit(name)]];
  }

  public build(t: TopologySpec): Program {
    t.environments.forEach((e, i) => this.environment(e, i === 0));
    for (const s of t.spaces) this.space(s);
    for (const c of t.clusters) this.cluster(c);
    return this.program;
  }

  private environment(e: EnvironmentSpec, first: boolean): void {
    const id = this.ids.claim('', e.name, 'env');
    const defaultLabels = Object.keys(e.labels).length === 1 && e.labels.environment === e.name;
    const props = obj([
      ...this.nameProp(id, e.name),
      ['labels', defaultLabels ? undefined : value(e.labels)],
      ['production', e.production ? lit(true) : undefined],
      ['refreshInterval', opt(e.refreshInterval)],
    ]);
    const args = [ref(this.program.app), lit(id), ...(props.k === 'obj' && props.entries.length > 0 ? [props] : [])];
    this.envs.set(
      e,
      this.add({
        expr: construct('Environment', ...args),
        name: e.name,
        kindWord: 'env',
        path: id,
        section: first,
        comments: first ? ['Environments (from the environment label of the control planes and selectors).'] : [],
      }),
    );
  }

  private space(s: SpaceSpec): void {
    const id = this.ids.claim('', s.name, 'space');
    const st = this.add({
      expr: construct(
        'Space',
        ref(this.program.app),
        lit(id),
        obj([
          ...this.nameProp(id, s.name),
          ['cloud', lit(s.cloud)],
          ['hosting', s.hosting === 'cloud' ? lit('cloud') : undefined],
          ['identity', s.identity ? placeholderIdentity(s.identity, false) : undefined],
        ]),
      ),
      name: s.name,
      kindWord: 'space',
      object: `Space ${s.name}`,
      path: id,
      section: true,
      comments: s.identity ? [PLACEHOLDER_COMMENT] : [],
    });
    for (const g of s.groups) this.group(g, st, id);
  }

  private group(g: GroupSpec, space: Statement, spacePath: string): void {
    const id = this.ids.claim(spacePath, g.name, 'group');
    const path = `${spacePath}/${id}`;
    const requireEnvironment = g.planes.every((p) => p.environment !== undefined);
    const props = obj([
      ...this.nameProp(id, g.name),
      ['manageNamespace', g.manageNamespace ? undefined : lit(false)],
      ['manageControlPlanes', g.manageControlPlanes ? undefined : lit(false)],
      ['requireEnvironment', requireEnvironment ? undefined : lit(false)],
      ['namespaceLabels', Object.keys(g.namespaceLabels).length > 0 ? value(g.namespaceLabels) : undefined],
    ]);
    const comments: string[] = [];
    if (!g.manageNamespace) comments.push('The input has no Namespace of this group: it is not emitted (manageNamespace: false).');
    if (!g.manageControlPlanes) comments.push('The input has no ControlPlane of this group: the planes below are made up and not emitted.');
    const group = this.add({
      expr: construct('Group', ref(space), lit(id), ...(props.k === 'obj' && props.entries.length > 0 ? [props] : [])),
      name: g.name,
      kindWord: 'group',
      object: `group ${g.name}`,
      path,
      section: true,
      comments,
    });
    for (const p of g.planes) this.plane(p, group, path, g.name);
    const stores = new Map<object, Statement>();
    for (const s of g.stores) {
      const sid = this.ids.claim(path, s.name, 'store');
      stores.set(
        s,
        this.add({
          expr: construct(
            'SecretStore',
            ref(group),
            lit(sid),
            obj([
              ...this.nameProp(sid, s.name),
              ['provider', this.provider(s.provider)],
              ['planes', this.planesOf(s.planes, g)],
              ['namespaces', this.namespacesOf(s.namespaces)],
              ['refreshInterval', opt(s.refreshInterval)],
              ['retry', opt(s.retry)],
            ]),
          ),
          name: s.name,
          kindWord: 'store',
          object: s.object,
          path: `${path}/${sid}`,
          comments: this.placeholderComments(s.provider),
        }),
      );
    }
    for (const x of g.secrets) {
      const xid = this.ids.claim(path, x.name, 'secret');
      this.add({
        expr: construct(
          'SharedSecret',
          ref(group),
          lit(xid),
          obj([
            ...this.nameProp(xid, x.name),
            ['store', ref(stores.get(x.store) as Statement)],
            ['planes', x.planes ? this.planesOf(x.planes, g) : undefined],
            ['namespaces', x.namespaces ? this.namespacesOf(x.namespaces) : undefined],
            ...this.body(x, false),
          ]),
        ),
        name: x.name,
        kindWord: 'secret',
        object: x.object,
        path: `${path}/${xid}`,
      });
    }
  }

  private plane(p: PlaneSpec, group: Statement, groupPath: string, groupName: string): void {
    const id = this.ids.claim(groupPath, p.name, 'plane');
    const namespaces = [...p.namespaces.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, labels]) => (Object.keys(labels).length > 0 ? value({ name, labels }) : lit(name)));
    const comments: string[] = [];
    if (p.invented) comments.push('Not in the input: made up so that the selectors reach a plane.');
    if (p.idPlaceholder) comments.push("PLACEHOLDER controlPlaneId: set the plane's status.controlPlaneID.");
    const env = p.environment ? this.envs.get(p.environment) : undefined;
    this.planes.set(
      p,
      this.add({
        expr: construct(
          'ControlPlane',
          ref(group),
          lit(id),
          obj([
            ...this.nameProp(id, p.name),
            ['environment', env ? ref(env) : undefined],
            ['labels', Object.keys(p.labels).length > 0 ? value(p.labels) : undefined],
            ['controlPlaneId', opt(p.controlPlaneId)],
            ['hostNamespace', opt(p.hostNamespace)],
            ['namespaces', namespaces.length > 0 ? arr(namespaces) : undefined],
          ]),
        ),
        name: p.name,
        kindWord: 'plane',
        object: p.object ?? `ControlPlane ${groupName}/${p.name}`,
        path: `${groupPath}/${id}`,
        comments,
      }),
    );
  }

  private placeholderComments(p: ProviderSpec): string[] {
    return p.placeholders.length > 0 ? [`PLACEHOLDER ${p.placeholders.join(', ')}: the YAML does not say; set the real value.`] : [];
  }

  private provider(p: ProviderSpec): Expr {
    const credentials = p.credentials ? call('StaticCredentials', p.credentials.factory, value(p.credentials.props)) : undefined;
    const identity =
      p.storeServiceAccount !== undefined ? call('StoreIdentity', 'awsIrsa', value({ serviceAccount: p.storeServiceAccount })) : undefined;
    return construct(
      p.type,
      obj([...Object.entries(p.props).map(([k, v]) => [k, value(v)] as const), ['credentials', credentials], ['identity', identity]]),
    );
  }

  private missing(on: 'Planes' | 'Namespaces'): Expr {
    return call(on, 'matching', value({ matchLabels: MISSING_SELECTOR_LABEL }));
  }

  private planesOf(s: Selection, g: GroupSpec): Expr {
    switch (s.kind) {
      case 'environments':
        return call('Planes', 'inEnvironments', ...s.environments.map((e) => ref(this.envs.get(e) as Statement)));
      case 'named':
        return call(
          'Planes',
          'named',
          ...s.names.map((n) => {
            const plane = g.planes.find((p) => p.name === n);
            const st = plane ? this.planes.get(plane) : undefined;
            if (!st) throw new Error(`import: plane "${n}" of group "${g.name}" was not declared`);
            return ref(st);
          }),
        );
      case 'matching':
        return call('Planes', 'matching', ...s.selectors.map(value));
      case 'missing':
        return this.missing('Planes');
    }
  }

  private namespacesOf(s: Selection): Expr {
    switch (s.kind) {
      case 'named':
        return call('Namespaces', 'named', ...s.names.map(lit));
      case 'matching':
        return call('Namespaces', 'matching', ...s.selectors.map(value));
      default:
        return this.missing('Namespaces');
    }
  }

  /** Props of what a secret reads and writes (the ESO model's refresh default is the ESO default, so it is left out there). */
  private body(b: SecretBody, eso: boolean): Array<readonly [string, Expr | undefined]> {
    const refresh =
      eso && b.refreshInterval !== undefined && isDefault(EXTERNAL_SECRET_SPEC_DEFAULTS, 'refreshInterval', b.refreshInterval)
        ? undefined
        : b.refreshInterval;
    return [
      ['refreshInterval', opt(refresh)],
      ['refreshPolicy', opt(b.refreshPolicy)],
      ['target', opt(b.target)],
      ['data', b.data.length > 0 ? value(b.data) : undefined],
      ['dataFrom', b.dataFrom.length > 0 ? value(b.dataFrom) : undefined],
    ];
  }

  private cluster(c: ClusterSpec): void {
    const id = this.ids.claim('', c.name, 'cluster');
    const cluster = this.add({
      expr: construct(
        'EsoCluster',
        ref(this.program.app),
        lit(id),
        obj([
          ...this.nameProp(id, c.name),
          ['cloud', lit(c.cloud)],
          ['identity', c.identity ? placeholderIdentity(c.identity, true) : undefined],
        ]),
      ),
      name: c.name,
      kindWord: 'cluster',
      object: `EsoCluster ${c.name}`,
      path: id,
      section: true,
      comments: c.identity ? [PLACEHOLDER_COMMENT] : [],
    });
    const stores = new Map<object, Statement>();
    for (const s of c.stores) {
      const sid = this.ids.claim(id, s.name, 'store');
      stores.set(
        s,
        this.add({
          expr: construct(
            'EsoSecretStore',
            ref(cluster),
            lit(sid),
            obj([
              ...this.nameProp(sid, s.name),
              ['provider', this.provider(s.provider)],
              ['namespace', opt(s.namespace)],
              ['namespaces', s.namespaces ? this.namespacesOf(s.namespaces) : undefined],
              ['credentialsNamespace', opt(s.credentialsNamespace)],
              ['refreshInterval', opt(s.refreshInterval)],
            ]),
          ),
          name: s.name,
          kindWord: 'store',
          object: s.object,
          path: `${id}/${sid}`,
          comments: this.placeholderComments(s.provider),
        }),
      );
    }
    for (const x of c.externalSecrets) {
      const xid = this.ids.claim(id, x.name, 'secret');
      this.add({
        expr: construct(
          'EsoExternalSecret',
          ref(cluster),
          lit(xid),
          obj([
            ...this.nameProp(xid, x.name),
            ['store', ref(stores.get(x.store) as Statement)],
            ['namespace', x.namespace !== undefined && x.namespace !== x.store.namespace ? lit(x.namespace) : undefined],
            ['namespaces', x.namespaces ? this.namespacesOf(x.namespaces) : undefined],
            ...this.body(x, true),
          ]),
        ),
        name: x.name,
        kindWord: 'secret',
        object: x.object,
        path: `${id}/${xid}`,
      });
    }
    for (const p of c.pushSecrets) {
      const pid = this.ids.claim(id, p.name, 'push');
      this.add({
        expr: construct(
          'EsoPushSecret',
          ref(cluster),
          lit(pid),
          obj([
            ...this.nameProp(pid, p.name),
            ['store', ref(stores.get(p.store) as Statement)],
            ['namespace', p.namespace !== p.store.namespace ? lit(p.namespace) : undefined],
            ['secretName', lit(p.secretName)],
            ['data', value(p.data)],
            ['refreshInterval', opt(p.refreshInterval)],
            ['deletionPolicy', opt(p.deletionPolicy)],
            ['updatePolicy', opt(p.updatePolicy)],
          ]),
        ),
        name: p.name,
        kindWord: 'push',
        object: p.object,
        path: `${id}/${pid}`,
      });
    }
  }
}

/** The program declaring `t`. */
export function buildProgram(t: TopologySpec): Program {
  return new Builder().build(t);
}

/** Adds `Guardrails.allow(<statement>, rule, reason)` at the end of the program. */
export function addOptOut(program: Program, target: Statement, rule: string, reason: string): void {
  program.statements.push({
    expr: call('Guardrails', 'allow', ref(target), lit(rule), lit(reason)),
    name: 'allow',
    kindWord: 'allow',
    referenced: false,
    comments: [],
    section: !program.statements.some((s) => s.expr.k === 'call' && s.expr.on === 'Guardrails'),
  });
}
