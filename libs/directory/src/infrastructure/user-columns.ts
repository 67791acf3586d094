import type { UserAttributes } from '#roster/events';

export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Email = { value?: unknown; type?: unknown; primary?: unknown; display?: unknown };

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The filterable columns of a user row, taken from its canonical SCIM attributes. */
export function userColumns(attributes: UserAttributes): Record<UserColumnName, string | boolean | null> {
  const name = (attributes.name ?? {}) as Record<string, unknown>;
  const enterprise = (attributes[ENTERPRISE_USER] ?? {}) as Record<string, unknown>;
  const manager = enterprise.manager as { value?: unknown } | undefined;
  return {
    user_name: attributes.userName,
    external_id: text(attributes.externalId),
    active: attributes.active !== false,
    display_name: text(attributes.displayName),
    nick_name: text(attributes.nickName),
    title: text(attributes.title),
    user_type: text(attributes.userType),
    preferred_language: text(attributes.preferredLanguage),
    locale: text(attributes.locale),
    timezone: text(attributes.timezone),
    given_name: text(name.givenName),
    family_name: text(name.familyName),
    formatted_name: text(name.formatted),
    middle_name: text(name.middleName),
    employee_number: text(enterprise.employeeNumber),
    department: text(enterprise.department),
    organization: text(enterprise.organization),
    division: text(enterprise.division),
    cost_center: text(enterprise.costCenter),
    manager_id: text(manager?.value),
  };
}

export const USER_COLUMN_NAMES = [
  'user_name',
  'external_id',
  'active',
  'display_name',
  'nick_name',
  'title',
  'user_type',
  'preferred_language',
  'locale',
  'timezone',
  'given_name',
  'family_name',
  'formatted_name',
  'middle_name',
  'employee_number',
  'department',
  'organization',
  'division',
  'cost_center',
  'manager_id',
] as const;

export type UserColumnName = (typeof USER_COLUMN_NAMES)[number];

export function userEmails(attributes: UserAttributes) {
  const emails = Array.isArray(attributes.emails) ? (attributes.emails as Email[]) : [];
  return emails
    .filter((email) => typeof email.value === 'string')
    .map((email, ordinal) => ({
      ordinal,
      value: email.value as string,
      type: text(email.type),
      primary: email.primary === true,
      display: text(email.display),
    }));
}
