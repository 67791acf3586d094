import { defineAttribute, type SchemaDefinition } from './attribute-definition.js';
import { labelledValueSubAttributes } from './multi-valued-sub-attributes.js';
import { USER_SCHEMA_URN } from './schema-urns.js';

const name = defineAttribute('name', 'complex', "The components of the user's real name.", {
  subAttributes: [
    defineAttribute('formatted', 'string', "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display."),
    defineAttribute('familyName', 'string', 'The family name of the User, or last name in most Western languages.'),
    defineAttribute('givenName', 'string', 'The given name of the User, or first name in most Western languages.'),
    defineAttribute('middleName', 'string', 'The middle name(s) of the User.'),
    defineAttribute('honorificPrefix', 'string', 'The honorific prefix(es) of the User, or title in most Western languages.'),
    defineAttribute('honorificSuffix', 'string', 'The honorific suffix(es) of the User, or suffix in most Western languages.'),
  ],
});

const addressSubAttributes = [
  defineAttribute('formatted', 'string', 'The full mailing address, formatted for display or use with a mailing label.'),
  defineAttribute('streetAddress', 'string', 'The full street address component.'),
  defineAttribute('locality', 'string', 'The city or locality component.'),
  defineAttribute('region', 'string', 'The state or region component.'),
  defineAttribute('postalCode', 'string', 'The zip code or postal code component.'),
  defineAttribute('country', 'string', 'The country name component.'),
  defineAttribute('type', 'string', "A label indicating the attribute's function, e.g., 'work' or 'home'.", {
    canonicalValues: ['work', 'home', 'other'],
  }),
  defineAttribute('primary', 'boolean', "A Boolean value indicating the 'primary' or preferred address."),
];

const groupMembershipSubAttributes = [
  defineAttribute('value', 'string', "The identifier of the User's group.", { mutability: 'readOnly' }),
  defineAttribute('$ref', 'reference', "The URI of the corresponding 'Group' resource to which the user belongs.", {
    mutability: 'readOnly',
    referenceTypes: ['User', 'Group'],
  }),
  defineAttribute('display', 'string', 'A human-readable name, primarily used for display purposes.', {
    mutability: 'readOnly',
  }),
  defineAttribute('type', 'string', "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.", {
    mutability: 'readOnly',
    canonicalValues: ['direct', 'indirect'],
  }),
];

/** The core User schema of RFC 7643 §4.1 and §8.7.1. */
export const USER_SCHEMA: SchemaDefinition = {
  id: USER_SCHEMA_URN,
  name: 'User',
  description: 'User Account',
  attributes: [
    defineAttribute('userName', 'string', "Unique identifier for the User. Roster requires the user's email address, because SSO logins are matched on it.", {
      required: true,
      uniqueness: 'server',
    }),
    name,
    defineAttribute('displayName', 'string', 'The name of the User, suitable for display to end-users.'),
    defineAttribute('nickName', 'string', 'The casual way to address the user in real life.'),
    defineAttribute('profileUrl', 'reference', "A fully qualified URL pointing to a page representing the User's online profile.", {
      referenceTypes: ['external'],
    }),
    defineAttribute('title', 'string', "The user's title, such as \"Vice President\"."),
    defineAttribute('userType', 'string', 'Used to identify the relationship between the organization and the user.'),
    defineAttribute('preferredLanguage', 'string', "Indicates the User's preferred written or spoken language."),
    defineAttribute('locale', 'string', "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations."),
    defineAttribute('timezone', 'string', "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'."),
    defineAttribute('active', 'boolean', "A Boolean value indicating the User's administrative status."),
    defineAttribute('password', 'string', "The User's cleartext password. Roster authenticates through SSO and never stores it.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    defineAttribute('emails', 'complex', 'Email addresses for the user.', {
      multiValued: true,
      subAttributes: labelledValueSubAttributes({
        valueDescription: 'Email addresses for the user.',
        canonicalTypes: ['work', 'home', 'other'],
      }),
    }),
    defineAttribute('phoneNumbers', 'complex', 'Phone numbers for the User.', {
      multiValued: true,
      subAttributes: labelledValueSubAttributes({
        valueDescription: 'Phone number of the User.',
        canonicalTypes: ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
      }),
    }),
    defineAttribute('ims', 'complex', 'Instant messaging addresses for the User.', {
      multiValued: true,
      subAttributes: labelledValueSubAttributes({
        valueDescription: 'Instant messaging address for the User.',
        canonicalTypes: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
      }),
    }),
    defineAttribute('photos', 'complex', 'URLs of photos of the User.', {
      multiValued: true,
      subAttributes: labelledValueSubAttributes({
        valueDescription: 'URL of a photo of the User.',
        valueType: 'reference',
        referenceTypes: ['external'],
        canonicalTypes: ['photo', 'thumbnail'],
      }),
    }),
    defineAttribute('addresses', 'complex', 'A physical mailing address for this User.', {
      multiValued: true,
      subAttributes: addressSubAttributes,
    }),
    defineAttribute('groups', 'complex', 'A list of groups to which the user belongs, either through direct membership or through nested groups.', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: groupMembershipSubAttributes,
    }),
    defineAttribute('entitlements', 'complex', 'A list of entitlements for the User that represent a thing the User has.', {
      multiValued: true,
      subAttributes: labelledValueSubAttributes({ valueDescription: 'The value of an entitlement.' }),
    }),
    defineAttribute('roles', 'complex', 'A list of roles for the User that collectively represent who the User is.', {
      multiValued: true,
      subAttributes: labelledValueSubAttributes({ valueDescription: 'The value of a role.' }),
    }),
    defineAttribute('x509Certificates', 'complex', 'A list of certificates issued to the User.', {
      multiValued: true,
      subAttributes: labelledValueSubAttributes({ valueDescription: 'The value of an X.509 certificate.', valueType: 'binary' }),
    }),
  ],
};
