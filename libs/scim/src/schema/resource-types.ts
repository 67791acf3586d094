import type { SchemaDefinition } from './attribute-definition.js';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user-schema.js';
import { GROUP_SCHEMA } from './group-schema.js';
import { USER_SCHEMA } from './user-schema.js';

export type ScimResourceType = 'User' | 'Group';

export interface ResourceTypeDefinition {
  readonly name: ScimResourceType;
  readonly coreSchema: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
}

export const RESOURCE_TYPES: Readonly<Record<ScimResourceType, ResourceTypeDefinition>> = {
  User: { name: 'User', coreSchema: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] },
  Group: { name: 'Group', coreSchema: GROUP_SCHEMA, extensions: [] },
};

/** Schema URIs are compared case-insensitively, like attribute names (RFC 7643 §2.1). */
export function findExtensionSchema(resourceType: ScimResourceType, urn: string): SchemaDefinition | undefined {
  const wanted = urn.toLowerCase();
  return RESOURCE_TYPES[resourceType].extensions.find((schema) => schema.id.toLowerCase() === wanted);
}
