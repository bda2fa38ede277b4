/**
 * The declarative runtime schemas of the target props (see `model/props.ts`): checked by each
 * construct before it reads its props. Types only; which Spaces a ProviderConfig names and which
 * management policy sets Crossplane supports are checked afterwards.
 */
import { expecting, z } from '../private/props.js';
import { stringMap } from '../model/props.js';

export const CloudSpaceObjectsPropsSchema = z.strictObject({
  providerConfigs: expecting(stringMap, 'an object of Space names to ProviderConfig names, e.g. { "cloud-eu": "cloud-eu" }').optional(),
  managementPolicies: expecting(
    z.array(expecting(z.string(), 'a management action (a string, e.g. "Observe")')),
    'a list of management actions, e.g. ["*"] or ["Observe", "Create", "Update", "LateInitialize"]',
  ).optional(),
});
