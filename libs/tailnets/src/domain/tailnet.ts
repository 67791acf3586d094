/** A tailnet's identity domain: the `@<domain>` of synced groups in the policy file (`group:sales@example.com`). */
export function normaliseIdentityDomain(domain: string | undefined): string | null {
  if (domain === undefined || domain === '') return null;
  const lowered = domain.trim().toLowerCase();
  if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(lowered)) {
    throw new InvalidTailnetError(`"${domain}" is not a domain name (expected something like example.com)`);
  }
  return lowered;
}

export function validateTailnetName(name: string): string {
  const trimmed = name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/.test(trimmed)) {
    throw new InvalidTailnetError(
      `"${name}" is not a valid tailnet name (1–63 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit)`,
    );
  }
  return trimmed;
}

export class InvalidTailnetError extends Error {}
export class TailnetNotFoundError extends Error {}
export class TailnetExistsError extends Error {}
