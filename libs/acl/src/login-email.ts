const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The login by which a policy names a synced user. The SCIM `userName` is the login both IdPs send (an email or a
 * UPN, unique in the tailnet); a userName that is not email-shaped falls back to the primary email, and a user with
 * neither gets an address no policy can name, so they still count for groups and `autogroup:member`.
 */
export function loginEmailOf(userId: string, userName: string, emails: readonly { value: string; primary?: boolean }[]): string {
  if (EMAIL.test(userName)) return userName.toLowerCase();
  const email = emails.find((candidate) => candidate.primary && EMAIL.test(candidate.value)) ?? emails.find((candidate) => EMAIL.test(candidate.value));
  return email ? email.value.toLowerCase() : `${userId}@unnamed.invalid`;
}
