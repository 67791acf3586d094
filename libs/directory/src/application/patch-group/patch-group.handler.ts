import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { applyPatch, GROUP_SCHEMA_URN, memberIdsNamedBy, patchNamedMembers, type ScimGroup } from '#roster/scim';
import { AggregateStore } from '#roster/write-model';
import { PG_POOL } from '../directory.tokens.js';
import { groupTargetOf, liveUsers, modifyGroup, type ModifiedGroup } from '../group-modification.js';
import { PatchGroupCommand } from './patch-group.command.js';

@CommandHandler(PatchGroupCommand)
export class PatchGroupHandler implements ICommandHandler<PatchGroupCommand, ModifiedGroup> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  async execute({ target, body, actor, correlationId }: PatchGroupCommand): Promise<ModifiedGroup> {
    const time = new Date().toISOString();
    // Which of the members a batch names are users is looked up before the group is locked, where concurrent
    // batches of one group wait for each other. (Checked under the lock, a user deleted meanwhile is no more
    // excluded: user rows are not locked either way.)
    const named = memberIdsNamedBy(body);
    const live = named && (await liveUsers(this.pool, target.tailnetId, named));
    return modifyGroup(this.pool, this.store, target, { actor, correlationId, time }, ({ state, memberIndex }) => {
      const group = (members: readonly string[]): ScimGroup => ({
        schemas: [GROUP_SCHEMA_URN],
        id: target.groupId,
        displayName: state.displayName,
        ...(state.externalId === null ? {} : { externalId: state.externalId }),
        ...(members.length > 0 ? { members: members.map((value) => ({ value })) } : {}),
      });
      // Members are stored as the users' ids, which are lowercase, and patchNamedMembers picks the named ones out
      // ignoring case: handing it only those is what it does itself, without a pass over the whole group.
      const patch = live && patchNamedMembers(group(memberIndex().membersAmong(named.map((id) => id.toLowerCase()))), body);
      if (!patch) return groupTargetOf(applyPatch('Group', group(state.members), body).resource);
      const { resource, added, removed } = patch;
      return { displayName: resource.displayName, externalId: resource.externalId ?? null, added, removed, live };
    });
  }
}
