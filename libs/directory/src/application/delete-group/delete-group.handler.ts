import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { AggregateStore } from '#roster/write-model';
import { deleteGroup } from '../../domain/group.js';
import { PG_POOL } from '../directory.tokens.js';
import { modifyGroup, type ModifiedGroup } from '../group-modification.js';
import { DeleteGroupCommand } from './delete-group.command.js';

@CommandHandler(DeleteGroupCommand)
export class DeleteGroupHandler implements ICommandHandler<DeleteGroupCommand, ModifiedGroup> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  execute({ target, actor, correlationId }: DeleteGroupCommand): Promise<ModifiedGroup> {
    const causation = { actor, correlationId, time: new Date().toISOString() };
    return modifyGroup(this.pool, this.store, target, causation, (current) => deleteGroup(target.tailnetId, target.groupId, current, causation));
  }
}
