/**
 * The declarative runtime schemas of the arguments of `Guardrails.allow`, `configure` and `assume`
 * (see `model/props.ts`), checked when they are called. Types only: which rules and assumptions
 * exist, and that a reason is not blank, are checked when the opt-outs are collected (with the
 * list of known ids in the message).
 */
import { Construct } from 'constructs';
import { expecting, instanceOf, z } from '../../private/props.js';

const str = z.string();

/** The scope of an opt-out, or the app of a setting: a construct of the topology. */
export const guardrailScope = instanceOf(() => Construct, 'a construct of the topology (the app, a Space, Group, plane, store or secret)');

export const GuardrailsAllowArgs = z.strictObject({
  scope: guardrailScope,
  rule: expecting(z.union([str, z.array(str)]), 'a rule id or a list of rule ids (strings)'),
  reason: str,
});

export const GuardrailsAssumeArgs = z.strictObject({
  app: guardrailScope,
  assumption: expecting(str, 'an assumption id (a string)'),
  reason: str,
});

export const GuardrailSettingsSchema = z.strictObject({
  minRefreshInterval: str.optional(),
  maxRefreshInterval: str.optional(),
  /** Removed: named with its replacement when set (see `collectSettings`). */
  access: z.unknown().optional(),
});

export const GuardrailsConfigureArgs = z.strictObject({ app: guardrailScope, settings: GuardrailSettingsSchema });
