import { ERROR_SCHEMA_URN } from '../schema/schema-urns.js';

/** The `scimType` values of RFC 7644 §3.12 (Table 9) that this library can report. */
export type ScimErrorType =
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'invalidValue'
  | 'noTarget'
  | 'mutability'
  | 'uniqueness'
  | 'tooMany'
  | 'invalidVers';

/** The HTTP status RFC 7644 §3.12 pairs with each scimType. */
const STATUS_BY_SCIM_TYPE: Readonly<Record<ScimErrorType, number>> = {
  invalidFilter: 400,
  invalidSyntax: 400,
  invalidPath: 400,
  invalidValue: 400,
  noTarget: 400,
  mutability: 400,
  uniqueness: 409,
  tooMany: 400,
  invalidVers: 400,
};

/** The SCIM error response body (RFC 7644 §3.12); `status` is a string on the wire. */
export interface ScimErrorResponse {
  schemas: [typeof ERROR_SCHEMA_URN];
  status: string;
  scimType?: ScimErrorType;
  detail: string;
}

/**
 * A failure a SCIM client caused and can act on. Everything this library rejects is one of these, so the gateway
 * can answer it verbatim instead of guessing a status from a message.
 */
export class ScimError extends Error {
  override readonly name = 'ScimError';

  constructor(
    readonly status: number,
    readonly scimType: ScimErrorType | undefined,
    readonly detail: string,
  ) {
    super(detail);
  }

  static of(scimType: ScimErrorType, detail: string): ScimError {
    return new ScimError(STATUS_BY_SCIM_TYPE[scimType], scimType, detail);
  }

  static invalidFilter(detail: string): ScimError {
    return ScimError.of('invalidFilter', detail);
  }

  static invalidSyntax(detail: string): ScimError {
    return ScimError.of('invalidSyntax', detail);
  }

  static invalidPath(detail: string): ScimError {
    return ScimError.of('invalidPath', detail);
  }

  static invalidValue(detail: string): ScimError {
    return ScimError.of('invalidValue', detail);
  }

  static noTarget(detail: string): ScimError {
    return ScimError.of('noTarget', detail);
  }

  static mutability(detail: string): ScimError {
    return ScimError.of('mutability', detail);
  }

  toResponse(): ScimErrorResponse {
    return {
      schemas: [ERROR_SCHEMA_URN],
      status: String(this.status),
      ...(this.scimType === undefined ? {} : { scimType: this.scimType }),
      detail: this.detail,
    };
  }
}

export function isScimError(error: unknown): error is ScimError {
  return error instanceof ScimError;
}
