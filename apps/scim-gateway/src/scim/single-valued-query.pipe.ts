import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ScimError } from '#roster/scim';

/** The query parameters SCIM defines for its endpoints (RFC 7644 §3.4.2, §3.9). */
const SCIM_QUERY_PARAMETERS = ['filter', 'startIndex', 'count', 'sortBy', 'sortOrder', 'attributes', 'excludedAttributes'];

/**
 * Fastify hands over a query parameter given twice (`?filter=a&filter=b`) as an array. Each SCIM parameter takes
 * one value (a list of attributes is one comma-separated value), so a repeated one is a 400 that names it rather
 * than a guess at which was meant. Parameters SCIM does not define are ignored, repeated or not.
 */
@Injectable()
export class SingleValuedQueryPipe implements PipeTransform {
  transform(value: unknown, { type, data }: ArgumentMetadata): unknown {
    if (type !== 'query') return value;
    if (data !== undefined) return once(data, value);
    for (const name of SCIM_QUERY_PARAMETERS) once(name, (value as Record<string, unknown> | undefined)?.[name]);
    return value;
  }
}

function once(name: string, value: unknown): unknown {
  if (Array.isArray(value)) throw ScimError.of('invalidValue', `the query parameter ${name} was given ${value.length} times; give it once`);
  return value;
}
