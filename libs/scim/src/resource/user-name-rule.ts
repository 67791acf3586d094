import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';

// local@domain.tld: dot-separated atoms of RFC 5322 "atext" (which includes + and ') before the @, then at least
// two DNS labels, the last starting with a letter. Letters and digits may be non-ASCII (internationalised mail).
const EMAIL_ADDRESS =
  /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}[\p{L}\p{N}-]*$/u;

const WHY_EMAIL =
  "userName must be the user's email address, because Roster matches SSO logins on it " +
  '(in Okta, set the application username format to Email; in Entra ID, map userName to the user\'s email or UPN).';

export function isEmailAddress(text: string): boolean {
  return EMAIL_ADDRESS.test(text);
}

/** Roster keys users by the address their SSO login presents, so a userName that is not one could never log in. */
export function assertEmailShapedUserName(userName: unknown): asserts userName is string {
  if (userName === undefined) {
    throw ScimError.invalidValue(`userName is required. ${WHY_EMAIL}`);
  }
  if (typeof userName !== 'string' || !isEmailAddress(userName)) {
    throw ScimError.invalidValue(`userName ${describeValue(userName)} is not an email address. ${WHY_EMAIL}`);
  }
}
