import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';
import { isPlainObject, type ComplexValue } from './attribute-value-coercion.js';
import { assertValidGroupDisplayName } from './group-name-rule.js';
import { normaliseAttributes, withSchemas, type NormaliseOptions } from './normalise-attributes.js';
import type { GroupMember, ScimGroup } from './scim-resource.js';

/** The canonical Group to store for a POST (`create`) or PUT (`replace`) body. */
export function normaliseGroup(body: unknown, options: NormaliseOptions): ScimGroup {
  return groupFromAttributes(normaliseAttributes('Group', body, options));
}

/** Enforces the Group rules on attributes that are already canonical, and adds `schemas`. */
export function groupFromAttributes(attributes: ComplexValue): ScimGroup {
  assertValidGroupDisplayName(attributes['displayName']);
  const members = normaliseMembers(attributes['members']);
  return withSchemas('Group', members ? { ...attributes, members } : attributes) as unknown as ScimGroup;
}

/**
 * Members are stored as `{value, display?}`: `$ref` and `type` are derivable, and listing a user twice means the
 * same as listing them once (the first mention wins).
 */
function normaliseMembers(items: unknown): GroupMember[] | undefined {
  if (!Array.isArray(items)) return undefined;
  const seen = new Set<string>();
  const members: GroupMember[] = [];
  for (const item of items) {
    if (!isPlainObject(item)) continue;
    assertUserMember(item);
    const { value, display } = item;
    if (typeof value !== 'string' || seen.has(value)) continue;
    seen.add(value);
    members.push(typeof display === 'string' ? { value, display } : { value });
  }
  return members;
}

/** Only users can be members: access rules resolve group members to users, and nested groups are not synced. */
function assertUserMember(item: Record<string, unknown>): void {
  const type = item['type'];
  if (typeof type === 'string' && type.toLowerCase() !== 'user') {
    throw ScimError.invalidValue(
      `members value ${describeValue(item['value'])} has type ${describeValue(type)}; Roster groups contain users only, ` +
        'nested groups are not supported.',
    );
  }
}
