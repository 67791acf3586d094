/**
 * A user as the read model holds it, ready to be rendered as a SCIM resource. The attributes stay the JSON text
 * PostgreSQL holds: a list page of 200 users is answered by splicing `id` and `meta` into that text, where parsing
 * it and serialising it again cost the gateway most of a page's CPU.
 */
export type StoredUser = {
  id: string;
  attributesJson: string;
  version: number;
  created: string;
  lastModified: string;
};

/** RFC 3339 in UTC with milliseconds, exactly as `Date.prototype.toISOString` writes it. */
const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The select list that reads a `directory.users u` row as a StoredUser (see storedUserOf). */
export const STORED_USER_COLUMNS = `u.id, u.resource::text AS attributes_json, u.version, ${isoUtc('u.created_at')} AS created, ${isoUtc('u.last_modified')} AS last_modified`;

export type StoredUserRow = { id: string; attributes_json: string; version: number; created: string; last_modified: string };

export function storedUserOf(row: StoredUserRow): StoredUser {
  return { id: row.id, attributesJson: row.attributes_json, version: row.version, created: row.created, lastModified: row.last_modified };
}
