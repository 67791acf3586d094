/** A user as the read model holds it, ready to be rendered as a SCIM resource. */
export type UserView = {
  id: string;
  attributes: Record<string, unknown>;
  version: number;
  created: string;
  lastModified: string;
};

export type UserRow = { id: string; resource: Record<string, unknown>; version: number; created_at: Date; last_modified: Date };

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    attributes: row.resource,
    version: row.version,
    created: row.created_at.toISOString(),
    lastModified: row.last_modified.toISOString(),
  };
}
