import type { AttributeDefinition, SchemaDefinition } from './attribute-definition.js';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user-schema.js';
import { GROUP_SCHEMA } from './group-schema.js';
import { SCHEMA_SCHEMA_URN } from './schema-urns.js';
import { USER_SCHEMA } from './user-schema.js';

/** Every schema the gateway serves from `/Schemas`, in the order RFC 7643 §8.7.1 lists them. */
export const SERVED_SCHEMAS: readonly SchemaDefinition[] = [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA];

export interface RenderedAttribute {
  name: string;
  type: string;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: RenderedAttribute[];
}

export interface SchemaResource {
  schemas: [typeof SCHEMA_SCHEMA_URN];
  id: string;
  name: string;
  description: string;
  attributes: RenderedAttribute[];
  meta: { resourceType: 'Schema'; location: string };
}

/** The `/Schemas` resources (RFC 7643 §7), located under `baseUrl` (e.g. `https://host/scim/v2`). */
export function renderSchemaResources(baseUrl: string): SchemaResource[] {
  return SERVED_SCHEMAS.map((schema) => renderSchemaResource(schema, baseUrl));
}

export function renderSchemaResource(schema: SchemaDefinition, baseUrl: string): SchemaResource {
  return {
    schemas: [SCHEMA_SCHEMA_URN],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(renderAttribute),
    meta: { resourceType: 'Schema', location: `${baseUrl.replace(/\/+$/, '')}/Schemas/${schema.id}` },
  };
}

function renderAttribute(attribute: AttributeDefinition): RenderedAttribute {
  return {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
    caseExact: attribute.caseExact,
    mutability: attribute.mutability,
    returned: attribute.returned,
    uniqueness: attribute.uniqueness,
    ...(attribute.canonicalValues ? { canonicalValues: [...attribute.canonicalValues] } : {}),
    ...(attribute.referenceTypes ? { referenceTypes: [...attribute.referenceTypes] } : {}),
    ...(attribute.subAttributes ? { subAttributes: attribute.subAttributes.map(renderAttribute) } : {}),
  };
}
