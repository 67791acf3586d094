import type pg from 'pg';
import { loginEmailOf, tailnetIdentityDomain, World, type UserInput } from '#roster/acl';

/**
 * The tailnet's users, synced groups and memberships as the directory read model has them, as an ACL World, for
 * validating a policy write. Nodes are not part of it: validation never depends on them (tests describe tags and
 * addresses, not devices).
 */
export async function loadDirectoryWorld(pool: pg.Pool, tailnetId: string): Promise<World> {
  const [tailnet, users, groups, members] = await Promise.all([
    pool.query<{ domain: string | null }>('SELECT domain FROM control.tailnets WHERE id = $1', [tailnetId]),
    loadDirectoryLogins(pool, tailnetId),
    pool.query<{ id: string; display_name: string }>('SELECT id, display_name FROM directory.groups WHERE tailnet_id = $1', [tailnetId]),
    pool.query<{ group_id: string; user_id: string }>('SELECT group_id, user_id FROM directory.group_members WHERE tailnet_id = $1', [tailnetId]),
  ]);
  const world = new World(tailnetIdentityDomain(tailnetId, tailnet.rows[0]?.domain ?? null));
  for (const user of users) world.upsertUser(user);
  for (const group of groups.rows) world.upsertGroup({ id: group.id, displayName: group.display_name });
  for (const member of members.rows) {
    if (world.user(member.user_id) && world.group(member.group_id)) world.addMember(member.group_id, member.user_id);
  }
  return world;
}

/** The tailnet's users (or one of them) as the ACL sees them: id, login and whether the IdP suspended them. */
export async function loadDirectoryLogins(pool: pg.Pool, tailnetId: string, userId?: string): Promise<UserInput[]> {
  const { rows } = await pool.query<{ id: string; user_name: string; active: boolean; emails: { value: string; primary: boolean }[] | null }>(
    `SELECT u.id, u.user_name, u.active,
            (SELECT json_agg(json_build_object('value', e.value, 'primary', e."primary") ORDER BY e.ordinal)
               FROM directory.user_emails e WHERE e.tailnet_id = u.tailnet_id AND e.user_id = u.id) AS emails
       FROM directory.users u WHERE u.tailnet_id = $1 AND ($2::uuid IS NULL OR u.id = $2)`,
    [tailnetId, userId ?? null],
  );
  return rows.map((user) => ({ id: user.id, email: loginEmailOf(user.id, user.user_name, user.emails ?? []), state: user.active ? 'active' : 'suspended' }));
}
