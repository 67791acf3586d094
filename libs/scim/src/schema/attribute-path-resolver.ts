import { findAttributeByName, findSubAttribute, type AttributeDefinition, type SchemaDefinition } from './attribute-definition.js';
import { COMMON_ATTRIBUTES } from './common-attributes.js';
import { RESOURCE_TYPES, type ScimResourceType } from './resource-types.js';

export interface ResolvedAttributePath {
  /** The schema that defines the attribute; common attributes (id, externalId, meta) count as core. */
  readonly schema: SchemaDefinition;
  /** Extension attributes live under their schema URN in a resource; core ones at the top level. */
  readonly isExtension: boolean;
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
  /** `name.givenName`, `emails.value`, or `<extension urn>:employeeNumber`, spelled as the schema spells it. */
  readonly canonicalPath: string;
  /** The canonical path of the attribute itself, without the sub-attribute (`name`, `emails`). */
  readonly attributePath: string;
}

/**
 * Resolves an attribute path as SCIM clients write it (RFC 7644 §3.10): any letter case, optionally qualified by
 * the core or an extension schema URN, optionally with one sub-attribute. Unqualified names are looked up in the
 * core schema first and then in the extensions, because Entra ID queries `manager eq "…"` without the URN.
 * Returns undefined for paths the resource type does not define, so each caller can raise its own scimType.
 */
export function resolveAttributePath(resourceType: ScimResourceType, path: string): ResolvedAttributePath | undefined {
  const qualified = splitSchemaQualifier(resourceType, path);
  if (qualified === undefined) return undefined;
  const [attributeName, subAttributeName, ...rest] = qualified.relativePath.split('.');
  if (attributeName === undefined || rest.length > 0) return undefined;
  const candidates = qualified.schema ? [qualified.schema] : schemasInLookupOrder(resourceType);
  for (const schema of candidates) {
    const attribute = findAttributeIn(resourceType, schema, attributeName);
    if (attribute) return resolveSubAttribute(resourceType, schema, attribute, subAttributeName);
  }
  return undefined;
}

function splitSchemaQualifier(
  resourceType: ScimResourceType,
  path: string,
): { schema?: SchemaDefinition; relativePath: string } | undefined {
  if (!path.toLowerCase().startsWith('urn:')) return { relativePath: path };
  const schema = schemasInLookupOrder(resourceType).find((candidate) =>
    path.toLowerCase().startsWith(`${candidate.id.toLowerCase()}:`),
  );
  return schema ? { schema, relativePath: path.slice(schema.id.length + 1) } : undefined;
}

function schemasInLookupOrder(resourceType: ScimResourceType): SchemaDefinition[] {
  const { coreSchema, extensions } = RESOURCE_TYPES[resourceType];
  return [coreSchema, ...extensions];
}

function findAttributeIn(
  resourceType: ScimResourceType,
  schema: SchemaDefinition,
  name: string,
): AttributeDefinition | undefined {
  const isCore = schema === RESOURCE_TYPES[resourceType].coreSchema;
  return findAttributeByName(schema.attributes, name) ?? (isCore ? findAttributeByName(COMMON_ATTRIBUTES, name) : undefined);
}

function resolveSubAttribute(
  resourceType: ScimResourceType,
  schema: SchemaDefinition,
  attribute: AttributeDefinition,
  subAttributeName: string | undefined,
): ResolvedAttributePath | undefined {
  const isExtension = schema !== RESOURCE_TYPES[resourceType].coreSchema;
  const attributePath = isExtension ? `${schema.id}:${attribute.name}` : attribute.name;
  if (subAttributeName === undefined) {
    return { schema, isExtension, attribute, canonicalPath: attributePath, attributePath };
  }
  const subAttribute = findSubAttribute(attribute, subAttributeName);
  if (!subAttribute) return undefined;
  return {
    schema,
    isExtension,
    attribute,
    subAttribute,
    canonicalPath: `${attributePath}.${subAttribute.name}`,
    attributePath,
  };
}
