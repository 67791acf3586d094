import { ScimError } from '#roster/scim';

export const MAX_PAGE_SIZE = 200;

/**
 * An integer query parameter. One too large to hold exactly means "past the end" (or, negative, "before the
 * start"), which is what the largest safe integer says to PostgreSQL too: it has no bigint for 10^20.
 */
function integerParameter(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw ScimError.of('invalidValue', `${name} must be an integer, got "${raw}"`);
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : Math.sign(value) * Number.MAX_SAFE_INTEGER;
}

/** RFC 7644 §3.4.2.4: startIndex below 1 means 1; a negative count means 0; count is capped at the advertised maximum. */
export function pagingOf(query: { startIndex?: string; count?: string }) {
  const startIndex = Math.max(1, integerParameter('startIndex', query.startIndex) ?? 1);
  const count = Math.min(MAX_PAGE_SIZE, Math.max(0, integerParameter('count', query.count) ?? MAX_PAGE_SIZE));
  return { startIndex, count };
}
