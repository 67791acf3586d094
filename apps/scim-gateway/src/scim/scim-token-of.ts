/**
 * The SCIM token in an Authorization header, in each form an IdP may send it: `Bearer <token>`; the bare token,
 * which Okta sends when set to a plain header value; or HTTP Basic with the token as the password (Okta's Basic
 * Auth option), whatever the user name.
 */
export function scimTokenOf(header: string | undefined): string {
  const value = (header ?? '').trim();
  const bearer = /^Bearer(?:\s+(.*))?$/i.exec(value);
  if (bearer) return (bearer[1] ?? '').trim();
  const basic = /^Basic\s+(.*)$/i.exec(value);
  if (!basic) return value;
  const credentials = Buffer.from(basic[1].trim(), 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  return colon < 0 ? '' : credentials.slice(colon + 1);
}
