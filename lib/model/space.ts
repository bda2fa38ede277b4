import { Construct } from 'constructs';
import type { SpaceIdentity } from './space-identity.js';
import { findAll } from './find.js';
import { checkDnsLabel } from './validation.js';
import { SpacePropsSchema } from './props.js';
import { checkConstructArgs, constructArgs, typedProps } from './typed.js';
import { isOneOf } from '../private/lists.js';
import { quoteValue } from '../private/terminal.js';

/** The clouds a Space's (or an ESO cluster's) host cluster can run on. */
export const CLOUDS = ['aws', 'azure', 'gcp'] as const;
/** Cloud a Space's host cluster runs on. */
export type Cloud = (typeof CLOUDS)[number];

/** The ways a Space can be run. */
export const SPACE_HOSTINGS = ['self-hosted', 'cloud'] as const;
/** How a Space is run. */
export type SpaceHosting = (typeof SPACE_HOSTINGS)[number];

/** Props of a {@link Space}. */
export interface SpaceProps {
  /**
   * Name of the Space; the directory of its output under `dist/`.
   * @default the construct id
   */
  readonly name?: string;
  /** Cloud the Space's host cluster runs on (EKS, AKS or GKE). */
  readonly cloud: Cloud;
  /**
   * Self-hosted (Connected or Disconnected) Space, or an Upbound Cloud Space. Cloud Spaces accept
   * only static credentials for secret stores.
   * @default 'self-hosted'
   */
  readonly hosting?: SpaceHosting;
  /**
   * Workload identity of the Space's shared-secrets controller. Stores declared without static
   * credentials authenticate with it.
   * @default none: every store must carry static credentials
   */
  readonly identity?: SpaceIdentity;
}

/**
 * One Upbound Spaces installation (its host cluster). Holds groups; owns the workload identity of
 * its shared-secrets controller.
 */
export class Space extends Construct {
  /** Returns all Spaces below `scope`, in construct-tree order. */
  public static all(scope: Construct): Space[] {
    return findAll(scope, Space);
  }

  /** Returns the Space that contains `c`. Throws when `c` is not inside a Space. */
  public static of(c: Construct): Space {
    const space = Space.tryOf(c);
    if (!space) throw new Error(`${c.node.path} is not inside a Space: create it with a Space (or a Group of a Space) as scope.`);
    return space;
  }

  /** The Space that contains `c`, or undefined. */
  public static tryOf(c: Construct | undefined): Space | undefined {
    for (let s: Construct | undefined = c; s; s = s.node.scope) {
      if (s instanceof Space) return s;
    }
    return undefined;
  }

  /** Name of the Space. */
  public readonly name: string;
  /** Cloud of the host cluster. */
  public readonly cloud: Cloud;
  /** Self-hosted or Cloud Space. */
  public readonly hosting: SpaceHosting;
  /** Workload identity of the shared-secrets controller, if any. */
  public readonly identity?: SpaceIdentity;

  public constructor(scope: Construct, id: string, props: SpaceProps) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'the TopologyApp');
    props = typedProps<SpaceProps>(this, SpacePropsSchema, props, { cloud: 'aws' });
    this.name = props.name ?? this.node.id;
    this.cloud = props.cloud;
    this.hosting = props.hosting ?? 'self-hosted';
    this.identity = props.identity;
    this.node.addValidation({
      validate: () => {
        const out: string[] = [];
        const name = checkDnsLabel(this.name, 'Space name');
        if (name) out.push(name);
        if (!isOneOf(CLOUDS, this.cloud)) {
          out.push(`cloud ${quoteValue(this.cloud)} is not supported: use "aws", "azure" or "gcp".`);
        }
        if (!isOneOf(SPACE_HOSTINGS, this.hosting)) {
          out.push(`hosting ${quoteValue(this.hosting)} is not supported: use "self-hosted" or "cloud".`);
        }
        if (this.identity && this.hosting === 'cloud') {
          out.push(
            `a Cloud Space cannot use workload identity (Upbound Cloud Spaces accept only static credentials): remove "identity" or set hosting: "self-hosted".`,
          );
        }
        if (this.identity && this.identity.cloud !== this.cloud) {
          out.push(
            `identity ${this.identity.describe()} is for ${this.identity.cloud}, but the Space runs on ${this.cloud}: use an identity of the Space's own cloud.`,
          );
        }
        return out;
      },
    });
  }
}
