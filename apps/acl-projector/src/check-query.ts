import type { AccessQuestion, Endpoint } from '#roster/acl';
import { z } from 'zod';
import type { TailnetAcl } from '#roster/acl-projection';

/** The check API's query is malformed; the message says which parameter and why. */
export class InvalidCheckQueryError extends Error {}

const CHECK_QUERY = z.object({
  src: z.string().trim().min(1, 'give the source: a user email, a node id or an IP'),
  dst: z.string().trim().min(1, 'give the destination: a user email, a node id or an IP'),
  port: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port <= 65535, 'must be between 0 and 65535'),
  proto: z
    .string()
    .regex(/^[a-z0-9-]{1,16}$/i, 'must be a protocol name or number')
    .optional(),
});

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * `?src=&dst=&port=&proto=` as an AccessQuestion. Each endpoint is an IP (v4, or v6 — anything with a colon), a user
 * by email (anything with an `@`), or else a node id. An email that is not a user of the tailnet is answered as an
 * unknown user by the evaluator, not as bad input.
 */
export function checkQuestion(query: unknown, tailnet: TailnetAcl): AccessQuestion | { denied: string } {
  const parsed = CHECK_QUERY.safeParse(query ?? {});
  if (!parsed.success) {
    throw new InvalidCheckQueryError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; '));
  }
  const { src, dst, port, proto } = parsed.data;
  const source = endpointOf(src, tailnet, 'source');
  if (typeof source === 'string') return { denied: source };
  const destination = endpointOf(dst, tailnet, 'destination');
  if (typeof destination === 'string') return { denied: destination };
  return { src: source, dst: destination, port, ...(proto === undefined ? {} : { proto }) };
}

function endpointOf(text: string, tailnet: TailnetAcl, role: string): Endpoint | string {
  if (IPV4.test(text) || text.includes(':')) return { ip: text };
  if (!text.includes('@')) return { node: text };
  const user = tailnet.world.userByEmail(text);
  return user === undefined ? `${role} user ${text.toLowerCase()} is not an active user of this tailnet` : { user: user.id };
}
