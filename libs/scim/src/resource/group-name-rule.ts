import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';

/**
 * The policy file names a synced group as `group:<name>@<domain>`, so an "@" inside the name would make that
 * reference ambiguous. Spaces are fine.
 */
export function assertValidGroupDisplayName(displayName: unknown): asserts displayName is string {
  if (displayName === undefined) {
    throw ScimError.invalidValue('displayName is required: it is the name the policy file uses for the group.');
  }
  if (typeof displayName !== 'string' || displayName.includes('@')) {
    throw ScimError.invalidValue(
      `displayName ${describeValue(displayName)} contains "@". Synced group names may not contain "@" because the ` +
        'policy file refers to them as group:<name>@<domain>.',
    );
  }
}
