// The written policy: load it, check a host against it, apply its waivers.
export { loadPolicy, POLICY_SCHEMA, POLICY_RULE_IDS, SEVERITIES } from './load.js';
export { PolicyError, type PolicyErrorKind } from './errors.js';
export { checkPolicy } from './check.js';
export { applyWaivers, isExpired, type WaiverResult } from './waivers.js';
export { inRanges, isCalendarDate } from './match.js';
export type * from './policy.js';
