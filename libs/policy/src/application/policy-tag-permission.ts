import type pg from 'pg';
import { compilePolicy, parsePolicy, tailnetIdentityDomain, World } from '#roster/acl';
import { TagsNotPermittedError, type TagPermission, type TagRequester } from '#roster/nodes';
import { loadDirectoryLogins } from '../infrastructure/directory-world.js';
import type { TailnetPolicies } from './tailnet-policies.js';

/**
 * Tag ownership from the tailnet's current policy, as Tailscale applies it: a tag must be defined in `tagOwners`;
 * an admin API key may then apply it, a user only if the tag's owners include them (by login, group or autogroup).
 * Only the requesting user and their groups are loaded, not the whole directory.
 */
export class PolicyTagPermission implements TagPermission {
  constructor(
    private readonly pool: pg.Pool,
    private readonly policies: TailnetPolicies,
    private readonly directoryCaughtUp: (tailnetId: string) => Promise<void>,
  ) {}

  async assertMayApply(tailnetId: string, requester: TagRequester, tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const parsed = parsePolicy((await this.policies.current(tailnetId)).policy);
    // Stored policies were validated when written; one that no longer parses defines no tags.
    const defined = new Set(parsed.ok ? parsed.policy.tagOwners.map((ownership) => ownership.tag) : []);
    const undefinedTags = tags.filter((tag) => !defined.has(tag)).map((tag) => ({ tag, reason: 'not defined in the policy file\'s tagOwners' }));
    if (undefinedTags.length > 0) throw new TagsNotPermittedError(undefinedTags);
    if (!('userId' in requester) || !parsed.ok) return;
    await this.directoryCaughtUp(tailnetId);
    const approval = compilePolicy(parsed.policy, await this.requesterWorld(tailnetId, requester.userId)).mayApplyTags({ user: requester.userId }, tags);
    if (!approval.allowed) throw new TagsNotPermittedError(approval.refused);
  }

  private async requesterWorld(tailnetId: string, userId: string): Promise<World> {
    const [tailnet, users, groups] = await Promise.all([
      this.pool.query<{ domain: string | null }>('SELECT domain FROM control.tailnets WHERE id = $1', [tailnetId]),
      loadDirectoryLogins(this.pool, tailnetId, userId),
      this.pool.query<{ id: string; display_name: string }>(
        `SELECT g.id, g.display_name FROM directory.groups g
           JOIN directory.group_members m ON m.tailnet_id = g.tailnet_id AND m.group_id = g.id
          WHERE g.tailnet_id = $1 AND m.user_id = $2`,
        [tailnetId, userId],
      ),
    ]);
    const world = new World(tailnetIdentityDomain(tailnetId, tailnet.rows[0]?.domain ?? null));
    for (const user of users) world.upsertUser(user);
    for (const group of groups.rows) {
      world.upsertGroup({ id: group.id, displayName: group.display_name });
      if (users.length > 0) world.addMember(group.id, userId);
    }
    return world;
  }
}
