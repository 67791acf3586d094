import { z } from 'zod';

/** The request body or query does not have the documented shape; the message names the field and the problem. */
export class InvalidAdminRequestError extends Error {}

/** Validates an admin API body (or query) against its schema, turning zod's issues into one readable message. */
export function parseAdminInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`);
  throw new InvalidAdminRequestError(problems.join('; '));
}
