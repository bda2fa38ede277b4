/** What every guardrail rule reads: the model, its placement, the identity facts and the access matrix. */
import type { Construct } from 'constructs';
import type { IdentityFacts } from '../../identity/plan.js';
import type { AccessMatrix } from '../access.js';
import type { Placement } from '../../resolve/placement.js';
import type { EffectiveSettings } from './model.js';

export interface RuleContext {
  readonly root: Construct;
  readonly placement: Placement;
  readonly identity: IdentityFacts;
  readonly access: AccessMatrix;
  readonly settings: EffectiveSettings;
  /** Refresh-interval bounds in milliseconds (NaN when a bound is invalid). */
  readonly min: number;
  readonly max: number;
  /** Construct path of each Space and ESO cluster, by name. */
  readonly spacePath: ReadonlyMap<string, string>;
  readonly clusterPath: ReadonlyMap<string, string>;
}
