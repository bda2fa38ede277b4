/**
 * Cloud Spaces delivery: an Upbound Cloud Space's API has no watch, so Argo CD cannot sync it
 * directly. Each `SharedSecretStore` / `SharedExternalSecret` of a Cloud Space is wrapped in a
 * provider-kubernetes `Object`, which a control plane (running provider-kubernetes with a
 * `ProviderConfig` for the Cloud Space) applies.
 */
import type { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import type { Problem } from '../model/errors.js';
import { Group } from '../model/group.js';
import { Space } from '../model/space.js';
import { checkDnsSubdomain } from '../model/validation.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';
import { managementPoliciesProblem, wrapInObject, type ManagementPolicy } from './cloud-spaces-object.js';
import { cloudObjectPath } from '../output/layout.js';
import { constructsOf, findAll } from '../model/find.js';
import { isOneOf } from '../private/lists.js';
import type { Manifest } from '../output/manifest.js';
import { addJsonPatches, type ObjectSelector } from '../model/patch.js';
import { checkConstructArgs, constructArgs, typedProps } from '../model/typed.js';
import { CloudSpaceObjectsPropsSchema } from './props.js';

/** The kinds wrapped for a Cloud Space. */
export const WRAPPED_KINDS = ['SharedSecretStore', 'SharedExternalSecret'] as const;

/** Props of {@link CloudSpaceObjects}. */
export interface CloudSpaceObjectsProps {
  /**
   * Name of the provider-kubernetes `ProviderConfig` per Cloud Space (by Space name); it holds the
   * Cloud Space's kubeconfig (e.g. from `up ctx <org>/<space> -f kubeconfig.yaml`).
   * @default the Space's name
   */
  readonly providerConfigs?: Readonly<Record<string, string>>;
  /**
   * Crossplane management policies of the Objects: one of the combinations Crossplane supports
   * (`SUPPORTED_MANAGEMENT_POLICIES`), not empty (that pauses the Objects).
   * @default ['*'] (create, update and delete the wrapped object)
   */
  readonly managementPolicies?: readonly ManagementPolicy[];
}

/**
 * Wraps the Shared* objects of every Cloud Space (`hosting: 'cloud'`) into provider-kubernetes
 * `Object`s under `spaces/<space>/cloud-objects/<group>/`, with a kustomization per group and one
 * per Space (`spaces/<space>/cloud-objects/kustomization.yaml`). Apply that directory to the
 * control plane that runs provider-kubernetes (by hand, or with Argo CD / Flux).
 *
 * Part of the Cloud Spaces target when it is in the construct tree; the GitOps constructs create
 * one with the defaults when none exists ({@link CloudSpaceObjects.ensure}).
 */
export class CloudSpaceObjects extends Construct {
  /** The instance in the tree of `scope`, or a new one with default props at the root. */
  public static ensure(scope: Construct): CloudSpaceObjects {
    const root = scope.node.root;
    const found = constructsOf(root).find((c): c is CloudSpaceObjects => c instanceof CloudSpaceObjects);
    return found ?? new CloudSpaceObjects(root, 'cloud-space-objects');
  }

  /** Every instance below `scope`, in construct-tree order. */
  public static all(scope: Construct): CloudSpaceObjects[] {
    return findAll(scope, CloudSpaceObjects);
  }

  /** Name of the Object wrapping `kind/name` of a group: `<space>.<group>.<kind>.<name>` (unambiguous: the parts are DNS labels). */
  public static objectName(group: Group, kind: string, name: string): string {
    return `${group.space.name}.${group.name}.${kind.toLowerCase()}.${name}`;
  }

  private readonly providerConfigs: Readonly<Record<string, string>>;
  private readonly managementPolicies?: readonly ManagementPolicy[];

  public constructor(scope: Construct, id: string, props: CloudSpaceObjectsProps = {}) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'the TopologyApp');
    props = typedProps<CloudSpaceObjectsProps>(this, CloudSpaceObjectsPropsSchema, props, {});
    this.providerConfigs = { ...(props.providerConfigs ?? {}) };
    this.managementPolicies = props.managementPolicies;
  }

  /** ProviderConfig used for a Space. */
  public providerConfigFor(space: Space): string {
    return this.providerConfigs[space.name] ?? space.name;
  }

  /** Problems: ProviderConfigs of unknown or self-hosted Spaces, invalid names, too long Object names, unsupported management policies. */
  public check(root: Construct): Problem[] {
    const out: Problem[] = [];
    const policies = this.managementPolicies === undefined ? undefined : managementPoliciesProblem(this.managementPolicies);
    if (policies !== undefined) out.push({ path: this.node.path, message: policies });
    const spaces = new Map(Space.all(root).map((s) => [s.name, s]));
    for (const [name, pc] of Object.entries(this.providerConfigs)) {
      const space = spaces.get(name);
      if (!space)
        out.push({
          path: this.node.path,
          message: `providerConfigs names Space "${name}", which does not exist: use one of ${[...spaces.keys()].map((s) => `"${s}"`).join(', ') || '(no Spaces)'}.`,
        });
      else if (space.hosting !== 'cloud')
        out.push({
          path: this.node.path,
          message: `providerConfigs names Space "${name}", which is self-hosted: only Cloud Spaces (hosting: "cloud") are wrapped; remove the entry.`,
        });
      const m = checkDnsSubdomain(pc, `ProviderConfig name for Space "${name}"`);
      if (m) out.push({ path: this.node.path, message: m });
    }
    for (const space of [...spaces.values()].filter((s) => s.hosting === 'cloud')) {
      for (const group of Group.all(space)) {
        const objects: { c: Construct; kind: string; name: string }[] = [
          ...group.members(SecretStore).map((c) => ({ c, kind: 'SharedSecretStore', name: c.name })),
          ...group.members(SharedSecret).map((c) => ({ c, kind: 'SharedExternalSecret', name: c.name })),
        ];
        for (const { c, kind, name } of objects) {
          const objName = CloudSpaceObjects.objectName(group, kind, name);
          if (objName.length > 253)
            out.push({
              path: c.node.path,
              message: `the provider-kubernetes Object wrapping ${kind} "${name}" would be named "${objName}" (${objName.length} characters, at most 253): shorten the Space, group or object name.`,
            });
        }
      }
    }
    return out;
  }

  /** The Objects wrapping the Shared* objects of a group of a Cloud Space (`objects`: the group's Spaces objects, as written). */
  public wrap(group: Group, objects: readonly Manifest[]): Manifest[] {
    const space = group.space;
    return objects
      .filter((m) => isOneOf(WRAPPED_KINDS, m.object.kind))
      .map(({ object: manifest }) => {
        const kind = String(manifest.kind);
        const name = String((manifest.metadata as { name?: unknown } | undefined)?.name);
        const object = wrapInObject({
          name: CloudSpaceObjects.objectName(group, kind, name),
          labels: {
            'app.kubernetes.io/managed-by': 'secrets-topology',
            'secrets-topology/space': space.name,
            'secrets-topology/group': group.name,
          },
          manifest,
          providerConfig: this.providerConfigFor(space),
          managementPolicies: this.managementPolicies,
        });
        return { path: cloudObjectPath(group, kind, name), object, owner: this };
      });
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (the provider-kubernetes Objects wrapping each Cloud Space group's objects). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link CloudSpaceObjects.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}
