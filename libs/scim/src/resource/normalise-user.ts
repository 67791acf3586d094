import type { ComplexValue } from './attribute-value-coercion.js';
import { assertMultiValuedRules } from './multi-valued-rules.js';
import { normaliseAttributes, withSchemas, type NormaliseOptions } from './normalise-attributes.js';
import type { ScimUser } from './scim-resource.js';
import { assertEmailShapedUserName } from './user-name-rule.js';

/** The canonical User to store for a POST (`create`) or PUT (`replace`) body sent by Entra ID, Okta or any client. */
export function normaliseUser(body: unknown, options: NormaliseOptions): ScimUser {
  return userFromAttributes(normaliseAttributes('User', body, options));
}

/** Enforces the User rules on attributes that are already canonical, and adds `schemas`. */
export function userFromAttributes(attributes: ComplexValue): ScimUser {
  assertEmailShapedUserName(attributes['userName']);
  assertMultiValuedRules('User', attributes);
  return withSchemas('User', attributes) as unknown as ScimUser;
}
