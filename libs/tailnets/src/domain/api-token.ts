import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type ApiTokenKind = 'scim' | 'admin';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 12;
const SECRET_LENGTH = 40;
const TOKEN_PATTERN = /^rstr-(scim|admin)-([0-9A-Za-z]{12})-([0-9A-Za-z]{40})$/;

function randomBase62(length: number): string {
  // Rejection sampling keeps every character uniformly likely (256 is not a multiple of 62).
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export type IssuedToken = { id: string; kind: ApiTokenKind; token: string; secretHash: Buffer };

/**
 * A token is `rstr-<kind>-<id>-<secret>`: the id finds the stored row, the secret (~238 bits) proves possession.
 * Only a SHA-256 of the secret is stored; with that much entropy a slow hash adds nothing.
 */
export function issueToken(kind: ApiTokenKind): IssuedToken {
  const id = randomBase62(ID_LENGTH);
  const secret = randomBase62(SECRET_LENGTH);
  return { id, kind, token: `rstr-${kind}-${id}-${secret}`, secretHash: hashSecret(secret) };
}

export function parseToken(token: string): { kind: ApiTokenKind; id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  return { kind: match[1] as ApiTokenKind, id: match[2], secret: match[3] };
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}
