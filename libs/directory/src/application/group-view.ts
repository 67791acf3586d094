import type pg from 'pg';

/** A group as the read model holds it, ready to be rendered as a SCIM resource. */
export type GroupView = {
  id: string;
  displayName: string;
  externalId: string | null;
  /** Absent when the caller excluded members (Entra's `excludedAttributes=members`): they are never loaded then. */
  members?: { value: string; display: string }[];
  version: number;
  created: string;
  lastModified: string;
};

type GroupRow = { id: string; display_name: string; external_id: string | null; version: number; created_at: Date; last_modified: Date };

export const GROUP_COLUMNS = 'g.id, g.display_name, g.external_id, g.version, g.created_at, g.last_modified';

/** Turns group rows into views, loading the members of all of them in one query when they are wanted. */
export async function toGroupViews(pool: pg.Pool, tailnetId: string, rows: GroupRow[], withMembers: boolean): Promise<GroupView[]> {
  const members = withMembers ? await membersOf(pool, tailnetId, rows.map((row) => row.id)) : undefined;
  return rows.map((row) => ({
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id,
    ...(members ? { members: members.get(row.id) ?? [] } : {}),
    version: row.version,
    created: row.created_at.toISOString(),
    lastModified: row.last_modified.toISOString(),
  }));
}

async function membersOf(pool: pg.Pool, tailnetId: string, groupIds: string[]) {
  const byGroup = new Map<string, { value: string; display: string }[]>();
  if (groupIds.length === 0) return byGroup;
  const { rows } = await pool.query<{ group_id: string; user_id: string; user_name: string }>({
    name: 'directory-group-members',
    text: `SELECT m.group_id, m.user_id, u.user_name
             FROM directory.group_members m
             JOIN directory.users u ON u.tailnet_id = m.tailnet_id AND u.id = m.user_id
            WHERE m.tailnet_id = $1 AND m.group_id = ANY($2::uuid[])
            ORDER BY m.group_id, u.user_name`,
    values: [tailnetId, groupIds],
  });
  for (const row of rows) {
    const list = byGroup.get(row.group_id) ?? [];
    list.push({ value: row.user_id, display: row.user_name });
    byGroup.set(row.group_id, list);
  }
  return byGroup;
}
