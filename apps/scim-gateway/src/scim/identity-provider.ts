/** Which IdP sent a request, from its User-Agent, so the log records who made each change. */
export function identityProviderOf(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  if (/okta/i.test(userAgent)) return 'okta';
  if (/azure|microsoft|aad|entra/i.test(userAgent)) return 'entra-id';
  return undefined;
}
