import type { FastifyRequest } from 'fastify';

/** Far more than any SCIM resource or PATCH needs (a manager inside a PATCH value is six levels down). */
const MAX_BODY_NESTING = 32;

/**
 * A body whose objects and arrays nest deeper than MAX_BODY_NESTING. Every walk of a parsed value (normalising it,
 * describing it in an error, fingerprinting it) recurses; ten thousand nested arrays in a PATCH value exhausted
 * the stack and answered 500. Refused once, at the edge, nothing past it has to guard its own recursion.
 */
export class TooDeeplyNestedError extends Error {
  readonly statusCode = 400;

  constructor() {
    super(`the request body nests objects and arrays more than ${MAX_BODY_NESTING} levels deep`);
  }
}

type Done = (error: Error | null, body?: unknown) => void;
type TextParser = (request: FastifyRequest, body: string, done: Done) => void;

/** `parse` (a JSON parser of Fastify's), refusing a body nested deeper than MAX_BODY_NESTING. */
export function refusingDeepNesting(parse: TextParser): TextParser {
  return (request, body, done) =>
    parse(request, body, (error, parsed) => done(error ?? (nestsDeeperThan(parsed, MAX_BODY_NESTING) ? new TooDeeplyNestedError() : null), parsed));
}

/** Whether `value` nests objects and arrays more than `levels` deep; it never recurses further than that. */
export function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) return value.some((item) => nestsDeeperThan(item, levels - 1));
  for (const key in value) if (nestsDeeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  return false;
}
