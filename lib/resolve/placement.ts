import type { Construct } from 'constructs';
import { ControlPlane, type PlaneNamespace } from '../model/control-plane.js';
import { Group } from '../model/group.js';
import { matchesSpacesSelector, type SpacesSelector } from '../model/selectors.js';
import { SharedSecret } from '../secrets/shared-secret.js';
import { SecretStore } from '../stores/secret-store.js';
import { cmp } from '../private/order.js';

/** The namespaces of one plane that an object reaches. */
export interface PlaneReach {
  /** The plane. */
  readonly plane: ControlPlane;
  /** Names of the reached namespaces in that plane, sorted. */
  readonly namespaces: readonly string[];
}

/** A plane with its labels and namespaces computed once (the getters copy and sort on each call). */
interface PlaneFacts {
  readonly plane: ControlPlane;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespaces: readonly PlaneNamespace[];
}

/** The planes of a group, sorted by name. */
function planesOf(group: Group): PlaneFacts[] {
  return group
    .members(ControlPlane)
    .sort((a, b) => cmp(a.name, b.name))
    .map((plane) => ({ plane, labels: plane.labels, namespaces: plane.namespaces }));
}

/**
 * Evaluates a pair of Spaces selectors against planes and their declared namespaces, with the
 * Spaces semantics: a plane matches if its name is listed or any label selector matches its
 * labels; likewise each namespace inside a matched plane.
 */
function reachAmong(planes: readonly PlaneFacts[], planeSelector: SpacesSelector, namespaceSelector: SpacesSelector): PlaneReach[] {
  return planes
    .filter((p) => matchesSpacesSelector(planeSelector, p.plane.name, p.labels))
    .map(({ plane, namespaces }) => ({
      plane,
      namespaces: namespaces.filter((ns) => matchesSpacesSelector(namespaceSelector, ns.name, ns.labels ?? {})).map((ns) => ns.name),
    }));
}

/** Plain-data form of one object's placement, for reports and tests. */
export interface PlacementRecord {
  readonly kind: 'SharedSecretStore' | 'SharedExternalSecret';
  readonly space: string;
  readonly group: string;
  readonly name: string;
  readonly path: string;
  readonly planes: ReadonlyArray<{ readonly plane: string; readonly environment?: string; readonly namespaces: readonly string[] }>;
}

/**
 * Where every store and secret of a topology lands: for each, the planes its derived
 * `controlPlaneSelector` matches and, in each, the namespaces its `namespaceSelector` matches.
 * Computed from the emitted selectors, so it is what Spaces will do, not what was meant.
 */
export class Placement {
  /** Computes the placement of every store and secret below `scope`. */
  public static compute(scope: Construct): Placement {
    // The planes of each group are listed once, and each distinct pair of selectors of a group is
    // evaluated once (secrets mostly share their store's): listing a group's members per object
    // made placement quadratic in the size of a group.
    const groups = new Map<Group, { planes: PlaneFacts[]; reach: Map<string, PlaneReach[]> }>();
    const reachOf = (group: Group, planes: SpacesSelector, namespaces: SpacesSelector): PlaneReach[] => {
      let g = groups.get(group);
      if (!g) {
        g = { planes: planesOf(group), reach: new Map() };
        groups.set(group, g);
      }
      const key = JSON.stringify([planes, namespaces]);
      let r = g.reach.get(key);
      if (!r) {
        r = reachAmong(g.planes, planes, namespaces);
        g.reach.set(key, r);
      }
      return [...r];
    };
    const stores = new Map<SecretStore, PlaneReach[]>();
    const secrets = new Map<SharedSecret, PlaneReach[]>();
    for (const s of SecretStore.all(scope)) {
      if (s.planes && s.namespaces) stores.set(s, reachOf(s.group, s.planes.toSelector(), s.namespaces.toSelector()));
    }
    for (const s of SharedSecret.all(scope)) {
      if (s.store?.planes && s.store.namespaces) secrets.set(s, reachOf(s.group, s.planes.toSelector(), s.namespaces.toSelector()));
    }
    return new Placement(stores, secrets);
  }

  private constructor(
    private readonly stores: ReadonlyMap<SecretStore, PlaneReach[]>,
    private readonly secrets: ReadonlyMap<SharedSecret, PlaneReach[]>,
  ) {}

  /** Planes and namespaces a store reaches. */
  public ofStore(store: SecretStore): readonly PlaneReach[] {
    return this.stores.get(store) ?? [];
  }

  /** Planes and namespaces a secret reaches. */
  public ofSecret(secret: SharedSecret): readonly PlaneReach[] {
    return this.secrets.get(secret) ?? [];
  }

  /** Every placement as plain data, sorted by space, group, kind and name. */
  public toRecords(): PlacementRecord[] {
    const rec = (kind: PlacementRecord['kind'], o: SecretStore | SharedSecret, reach: readonly PlaneReach[]): PlacementRecord => ({
      kind,
      space: o.group.space.name,
      group: o.group.name,
      name: o.name,
      path: o.node.path,
      planes: reach.map((r) => ({ plane: r.plane.name, environment: r.plane.environment?.name, namespaces: [...r.namespaces] })),
    });
    return [
      ...[...this.stores].map(([s, r]) => rec('SharedSecretStore', s, r)),
      ...[...this.secrets].map(([s, r]) => rec('SharedExternalSecret', s, r)),
    ].sort((a, b) => cmp(a.space, b.space) || cmp(a.group, b.group) || cmp(a.kind, b.kind) || cmp(a.name, b.name));
  }
}
