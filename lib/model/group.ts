import { Chart, type JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { findAll, membersOf } from './find.js';
import { Space } from './space.js';
import { checkDnsLabel, checkLabels } from './validation.js';
import { GroupPropsSchema } from './props.js';
import { checkConstructArgs, constructArgs, typedProps, containerOf } from './typed.js';
import { addJsonPatches, emittedObjectsOf, type ObjectSelector } from './patch.js';

/** Props of a {@link Group}. */
export interface GroupProps {
  /**
   * Name of the group, which is its namespace on the Space's host cluster.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Emit the group's `Namespace` (labelled `spaces.upbound.io/group: "true"`).
   * @default true
   */
  readonly manageNamespace?: boolean;
  /**
   * Emit a `ControlPlane` object per plane, carrying the labels the selectors rely on, so that
   * labels and selectors come from the same source.
   * @default true
   */
  readonly manageControlPlanes?: boolean;
  /**
   * Require every control plane of the group to belong to an environment.
   * @default true
   */
  readonly requireEnvironment?: boolean;
  /**
   * Extra labels on the group's Namespace.
   * @default none
   */
  readonly namespaceLabels?: Record<string, string>;
}

/**
 * A control-plane group of a Space: a namespace of the host cluster holding control planes and
 * the Shared* objects that select them. Shared* objects only select planes of their own group.
 * A Group is a cdk8s `Chart`: its objects are synthesized into `<space>/groups/<group>/`.
 */
export class Group extends Chart {
  /** Returns all groups below `scope`, in construct-tree order. */
  public static all(scope: Construct): Group[] {
    return findAll(scope, Group);
  }

  /** Returns the group that contains `c` (or is `c`). Throws when `c` is not inside a Group. */
  public static of(c: Construct): Group {
    const group = Group.tryOf(c);
    if (!group) throw new Error(`${c.node.path} is not inside a Group: create it with a Group as scope.`);
    return group;
  }

  /** The group that contains `c` (or is `c`), or undefined. */
  public static tryOf(c: Construct | undefined): Group | undefined {
    for (let s: Construct | undefined = c; s; s = s.node.scope) {
      if (isGroup(s)) return s;
    }
    return undefined;
  }

  /** Group name = host namespace. */
  public readonly name: string;
  /** The Space this group belongs to. */
  public readonly space: Space;
  /** Whether the group's Namespace is emitted. */
  public readonly manageNamespace: boolean;
  /** Whether ControlPlane objects are emitted. */
  public readonly manageControlPlanes: boolean;
  /** Whether every plane needs an environment. */
  public readonly requireEnvironment: boolean;
  /** Extra labels on the Namespace. */
  public readonly namespaceLabels: Readonly<Record<string, string>>;

  public constructor(scope: Space, id: string, props: GroupProps = {}) {
    super(...constructArgs(scope, id), { disableResourceNameHashes: true });
    checkConstructArgs(this, scope, id, 'a Space');
    props = typedProps<GroupProps>(this, GroupPropsSchema, props, {});
    this.name = props.name ?? this.node.id;
    this.space = containerOf(this, 'a Group', 'Space', Space.tryOf(this.node.scope));
    this.manageNamespace = props.manageNamespace ?? true;
    this.manageControlPlanes = props.manageControlPlanes ?? true;
    this.requireEnvironment = props.requireEnvironment ?? true;
    this.namespaceLabels = { ...(props.namespaceLabels ?? {}) };
    this.node.addValidation({
      validate: () => {
        const out: string[] = [];
        const name = checkDnsLabel(this.name, 'group name (a namespace of the host cluster)');
        if (name) out.push(name);
        out.push(...checkLabels({ ...this.namespaceLabels }, 'namespaceLabels'));
        return out;
      },
    });
  }

  /**
   * The Kubernetes objects of this group as they are written (after JSON patches): its Namespace,
   * ControlPlanes, SharedSecretStores and SharedExternalSecrets, in output order. So
   * `Testing.synth(group)` (cdk8s) returns them too. Validates the whole topology first: throws a
   * TopologyError listing every problem.
   */
  public override toJson(): Record<string, unknown>[] {
    return emittedObjectsOf(this);
  }

  /** Members of this group of the given type (not those of nested groups). */
  public members<T extends Construct>(type: abstract new (...args: never[]) => T): T[] {
    return membersOf(this, type, Group.of);
  }

  /**
   * Adds JSON patches (RFC 6902, made with cdk8s's `JsonPatch`) to every Kubernetes object this
   * construct emits (its Namespace). They are applied in order before anything is checked or written. A
   * patch may add labels and annotations only (see the README's "Escape hatch"); anything else is
   * refused with a problem.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    addJsonPatches(this, undefined, ops);
  }

  /** Adds JSON patches to the objects of this construct that `select` matches (see {@link Group.addJsonPatch}). */
  public addJsonPatchTo(select: ObjectSelector, ...ops: JsonPatch[]): void {
    addJsonPatches(this, select, ops);
  }
}

function isGroup(c: Construct): c is Group {
  return c instanceof Group;
}
