import { defineAttribute, type AttributeDefinition } from './attribute-definition.js';
import type { ResolvedAttributePath } from './attribute-path-resolver.js';

/** `id`, `externalId` and `meta` (RFC 7643 §3.1): part of every resource but of no schema's attribute list. */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  defineAttribute('id', 'string', 'A unique identifier for a SCIM resource as defined by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  defineAttribute('externalId', 'string', 'A String that is an identifier for the resource as defined by the provisioning client.', {
    caseExact: true,
  }),
  defineAttribute('meta', 'complex', 'A complex attribute containing resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      defineAttribute('resourceType', 'string', 'The name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      defineAttribute('created', 'dateTime', 'The "DateTime" that the resource was added to the service provider.', {
        mutability: 'readOnly',
      }),
      defineAttribute('lastModified', 'dateTime', 'The most recent DateTime that the details of this resource were updated at the service provider.', {
        mutability: 'readOnly',
      }),
      defineAttribute('location', 'reference', 'The URI of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      defineAttribute('version', 'string', 'The version of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
  }),
];

/** Whether a resolved path is the resource's own `id`, which the server assigns and clients may only echo. */
export function isResourceId(resolved: ResolvedAttributePath): boolean {
  return !resolved.isExtension && resolved.attribute.name === 'id' && resolved.subAttribute === undefined;
}
