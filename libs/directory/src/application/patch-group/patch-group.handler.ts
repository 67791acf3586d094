import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { applyGroupPatch, GROUP_SCHEMA_URN, type ScimGroup } from '#roster/scim';
import { AggregateStore } from '#roster/write-model';
import { PG_POOL } from '../directory.tokens.js';
import { groupTargetOf, modifyGroup, type ModifiedGroup } from '../group-modification.js';
import { PatchGroupCommand } from './patch-group.command.js';

@CommandHandler(PatchGroupCommand)
export class PatchGroupHandler implements ICommandHandler<PatchGroupCommand, ModifiedGroup> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  execute({ target, body, actor, correlationId }: PatchGroupCommand): Promise<ModifiedGroup> {
    return modifyGroup(this.pool, this.store, target, { actor, correlationId, time: new Date().toISOString() }, ({ state }) => {
      const current: ScimGroup = {
        schemas: [GROUP_SCHEMA_URN],
        id: target.groupId,
        displayName: state.displayName,
        ...(state.externalId === null ? {} : { externalId: state.externalId }),
        ...(state.members.length > 0 ? { members: state.members.map((value) => ({ value })) } : {}),
      };
      return groupTargetOf(applyGroupPatch(current, body).resource);
    });
  }
}
