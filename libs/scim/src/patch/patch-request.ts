import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';
import { isPlainObject, type ComplexValue } from '../resource/attribute-value-coercion.js';
import { PATCH_OP_SCHEMA_URN } from '../schema/schema-urns.js';

export type PatchOperationType = 'add' | 'replace' | 'remove';

export interface PatchOperation {
  readonly op: PatchOperationType;
  readonly path?: string;
  /** Whether the operation carried a `value` member at all (null counts: it asks to clear). */
  readonly hasValue: boolean;
  readonly value: unknown;
}

const OPERATION_TYPES: readonly PatchOperationType[] = ['add', 'replace', 'remove'];

/**
 * Validates a PatchOp message (RFC 7644 §3.5.2). Member names and `op` values are matched case-insensitively:
 * Entra ID sends "Add"/"Replace"/"Remove" and Microsoft asks servers not to require an exact case.
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) {
    throw ScimError.invalidSyntax(`A PATCH body must be a JSON object (a PatchOp message), but got ${describeValue(body)}.`);
  }
  assertPatchOpSchema(memberIgnoringCase(body, 'schemas'));
  const operations = memberIgnoringCase(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax('A PATCH body needs a non-empty "Operations" array.');
  }
  return operations.map(parseOperation);
}

function assertPatchOpSchema(schemas: unknown): void {
  const listed = Array.isArray(schemas) && schemas.some((schema) => typeof schema === 'string' && schema.toLowerCase() === PATCH_OP_SCHEMA_URN.toLowerCase());
  if (!listed) {
    throw ScimError.invalidSyntax(`A PATCH body must list "${PATCH_OP_SCHEMA_URN}" in "schemas", but got ${describeValue(schemas)}.`);
  }
}

function parseOperation(raw: unknown, index: number): PatchOperation {
  const label = `Operations[${index}]`;
  if (!isPlainObject(raw)) throw ScimError.invalidSyntax(`${label} must be an object, but got ${describeValue(raw)}.`);
  const op = parseOperationType(memberIgnoringCase(raw, 'op'), label);
  const path = parsePath(memberIgnoringCase(raw, 'path'), label);
  const hasValue = hasMemberIgnoringCase(raw, 'value');
  if (op !== 'remove' && !hasValue) {
    throw ScimError.invalidSyntax(`${label} ("${op}") needs a "value" member.`);
  }
  return { op, ...(path === undefined ? {} : { path }), hasValue, value: memberIgnoringCase(raw, 'value') };
}

function parseOperationType(raw: unknown, label: string): PatchOperationType {
  const op = typeof raw === 'string' ? raw.toLowerCase() : undefined;
  const known = OPERATION_TYPES.find((type) => type === op);
  if (known) return known;
  throw ScimError.invalidSyntax(`${label}.op must be "add", "replace" or "remove", but got ${describeValue(raw)}.`);
}

function parsePath(raw: unknown, label: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw ScimError.invalidSyntax(`${label}.path must be a string, but got ${describeValue(raw)}.`);
  if (raw.trim() === '') throw ScimError.invalidPath(`${label}.path is empty; omit it to target the whole resource.`);
  return raw;
}

function memberIgnoringCase(object: ComplexValue, name: string): unknown {
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

function hasMemberIgnoringCase(object: ComplexValue, name: string): boolean {
  return Object.keys(object).some((candidate) => candidate.toLowerCase() === name.toLowerCase());
}
