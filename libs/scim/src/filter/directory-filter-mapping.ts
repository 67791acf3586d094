import { ENTERPRISE_USER_SCHEMA_URN } from '../schema/schema-urns.js';
import type { ColumnMapping, ColumnSpec, FilterMapping } from './filter-mapping.js';

const text = (sql: string, indexed = false): ColumnMapping => ({ kind: 'column', sql, type: 'string', caseExact: false, indexed });
const identifier = (sql: string, indexed = false): ColumnMapping => ({ kind: 'column', sql, type: 'string', caseExact: true, indexed });
const column = (sql: string, type: ColumnSpec['type'], indexed = false): ColumnMapping => ({ kind: 'column', sql, type, caseExact: true, indexed });
const INDEXED = true;
const enterprise = (attribute: string) => `${ENTERPRISE_USER_SCHEMA_URN}:${attribute}`;

/**
 * Users in the directory read model: `directory.users u`, emails in `directory.user_emails e`. Identifiers
 * (id, externalId, manager) compare case-exactly; every other string ignores case, as RFC 7643 defines them.
 * INDEXED marks the attributes whose indexes directory-tables.ts creates.
 */
export const DIRECTORY_USER_FILTER_MAPPING: FilterMapping = {
  resourceType: 'User',
  attributes: {
    id: column('u.id', 'uuid', INDEXED),
    externalId: identifier('u.external_id', INDEXED),
    userName: text('u.user_name', INDEXED),
    active: column('u.active', 'boolean'),
    displayName: text('u.display_name', INDEXED),
    nickName: text('u.nick_name'),
    title: text('u.title'),
    userType: text('u.user_type'),
    preferredLanguage: text('u.preferred_language', INDEXED),
    locale: text('u.locale'),
    timezone: text('u.timezone'),
    'name.givenName': text('u.given_name', INDEXED),
    'name.familyName': text('u.family_name', INDEXED),
    'name.formatted': text('u.formatted_name', INDEXED),
    'name.middleName': text('u.middle_name'),
    'meta.created': column('u.created_at', 'dateTime'),
    'meta.lastModified': column('u.last_modified', 'dateTime'),
    emails: {
      kind: 'children',
      from: 'directory.user_emails e',
      correlate: 'e.tailnet_id = u.tailnet_id AND e.user_id = u.id',
      subAttributes: {
        value: { sql: 'e.value', type: 'string', caseExact: false, indexed: true },
        type: { sql: 'e.type', type: 'string', caseExact: false },
        primary: { sql: 'e."primary"', type: 'boolean', caseExact: true },
        display: { sql: 'e.display', type: 'string', caseExact: false },
      },
      defaultSubAttribute: 'value',
    },
    [enterprise('employeeNumber')]: text('u.employee_number'),
    [enterprise('department')]: text('u.department'),
    [enterprise('organization')]: text('u.organization'),
    [enterprise('division')]: text('u.division'),
    [enterprise('costCenter')]: text('u.cost_center'),
    // Entra checks the manager with `manager eq "<id>"`, i.e. without naming the sub-attribute.
    [enterprise('manager')]: identifier('u.manager_id'),
    [enterprise('manager.value')]: identifier('u.manager_id'),
  },
};

const MEMBER_USER_NAME = '(SELECT mu.user_name FROM directory.users mu WHERE mu.tailnet_id = m.tailnet_id AND mu.id = m.user_id)';

/** Groups in the directory read model: `directory.groups g`, members in `directory.group_members m`. */
export const DIRECTORY_GROUP_FILTER_MAPPING: FilterMapping = {
  resourceType: 'Group',
  attributes: {
    id: column('g.id', 'uuid', INDEXED),
    externalId: identifier('g.external_id', INDEXED),
    displayName: text('g.display_name', INDEXED),
    'meta.created': column('g.created_at', 'dateTime'),
    'meta.lastModified': column('g.last_modified', 'dateTime'),
    members: {
      kind: 'children',
      from: 'directory.group_members m',
      correlate: 'm.tailnet_id = g.tailnet_id AND m.group_id = g.id',
      subAttributes: {
        value: { sql: 'm.user_id', type: 'uuid', caseExact: true, indexed: true },
        // A member's display is its user's userName, which the member row does not hold.
        display: { sql: MEMBER_USER_NAME, type: 'string', caseExact: false },
      },
      defaultSubAttribute: 'value',
    },
  },
};
