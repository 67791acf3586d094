import { defineAttribute, type SchemaDefinition } from './attribute-definition.js';
import { ENTERPRISE_USER_SCHEMA_URN } from './schema-urns.js';

/** The Enterprise User extension of RFC 7643 §4.3 and §8.7.1. */
export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA_URN,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    defineAttribute('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.'),
    defineAttribute('costCenter', 'string', 'Identifies the name of a cost center.'),
    defineAttribute('organization', 'string', 'Identifies the name of an organization.'),
    defineAttribute('division', 'string', 'Identifies the name of a division.'),
    defineAttribute('department', 'string', 'Identifies the name of a department.'),
    defineAttribute('manager', 'complex', "The User's manager.", {
      subAttributes: [
        defineAttribute('value', 'string', 'The id of the SCIM resource representing the User\'s manager.', {
          caseExact: true,
        }),
        defineAttribute('$ref', 'reference', "The URI of the SCIM resource representing the User's manager.", {
          referenceTypes: ['User'],
        }),
        defineAttribute('displayName', 'string', "The displayName of the User's manager.", {
          mutability: 'readOnly',
        }),
      ],
    }),
  ],
};
