import { defineAttribute, type SchemaDefinition } from './attribute-definition.js';
import { GROUP_SCHEMA_URN } from './schema-urns.js';

/** The core Group schema of RFC 7643 §4.2 and §8.7.1, with the characteristics Roster enforces. */
export const GROUP_SCHEMA: SchemaDefinition = {
  id: GROUP_SCHEMA_URN,
  name: 'Group',
  description: 'Group',
  attributes: [
    // Required and unique because the policy file refers to synced groups by name (Entra also demands uniqueness).
    defineAttribute('displayName', 'string', 'A human-readable name for the Group. May contain spaces but not "@".', {
      required: true,
      uniqueness: 'server',
    }),
    defineAttribute('members', 'complex', 'A list of members of the Group.', {
      multiValued: true,
      subAttributes: [
        defineAttribute('value', 'string', 'Identifier of the member of this Group.', {
          caseExact: true,
          mutability: 'immutable',
        }),
        defineAttribute('$ref', 'reference', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          mutability: 'immutable',
          referenceTypes: ['User', 'Group'],
        }),
        defineAttribute('display', 'string', 'A human-readable name for the member.'),
        defineAttribute('type', 'string', 'A label indicating the type of resource, e.g., "User" or "Group".', {
          mutability: 'immutable',
          canonicalValues: ['User', 'Group'],
        }),
      ],
    }),
  ],
};
