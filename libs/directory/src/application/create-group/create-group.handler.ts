import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { normaliseGroup } from '#roster/scim';
import { AggregateStore, ClaimTakenError } from '#roster/write-model';
import { GroupNameTakenError } from '../../domain/directory.errors.js';
import { createGroup, groupNameClaim } from '../../domain/group.js';
import { PG_POOL } from '../directory.tokens.js';
import { assertMembersExist, groupTargetOf, liveUsers, type ModifiedGroup } from '../group-modification.js';
import { CreateGroupCommand } from './create-group.command.js';

@CommandHandler(CreateGroupCommand)
export class CreateGroupHandler implements ICommandHandler<CreateGroupCommand, ModifiedGroup> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  async execute({ tailnetId, body, actor, correlationId }: CreateGroupCommand): Promise<ModifiedGroup> {
    const target = groupTargetOf(normaliseGroup(body, { mode: 'create' }));
    assertMembersExist(target.members, await liveUsers(this.pool, tailnetId, target.members));
    const { state, events } = createGroup(tailnetId, target, { actor, correlationId, time: new Date().toISOString() });
    const groupId = events[0].aggregateId;
    try {
      await this.store.commit(this.pool, { aggregateId: groupId, tailnetId, aggregateType: 'Group', version: events.length, state }, 0, events, {
        claim: groupNameClaim(state.displayName),
      });
    } catch (error) {
      if (error instanceof ClaimTakenError) throw new GroupNameTakenError(state.displayName);
      throw error;
    }
    return { groupId, version: events.length, state };
  }
}
