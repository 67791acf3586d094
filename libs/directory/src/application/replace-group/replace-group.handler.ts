import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { normaliseGroup } from '#roster/scim';
import { AggregateStore } from '#roster/write-model';
import { PG_POOL } from '../directory.tokens.js';
import { groupTargetOf, modifyGroup, type ModifiedGroup } from '../group-modification.js';
import { ReplaceGroupCommand } from './replace-group.command.js';

@CommandHandler(ReplaceGroupCommand)
export class ReplaceGroupHandler implements ICommandHandler<ReplaceGroupCommand, ModifiedGroup> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  execute({ target, body, actor, correlationId }: ReplaceGroupCommand): Promise<ModifiedGroup> {
    const desired = groupTargetOf(normaliseGroup(body, { mode: 'replace', id: target.groupId }));
    return modifyGroup(this.pool, this.store, target, { actor, correlationId, time: new Date().toISOString() }, () => desired);
  }
}
