import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { AggregateStore } from '#roster/write-model';
import { deleteUser } from '../../domain/user.js';
import { PG_POOL } from '../directory.tokens.js';
import { modifyUser, type ModifiedUser } from '../user-modification.js';
import { DeleteUserCommand } from './delete-user.command.js';

@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand, ModifiedUser> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  execute({ target, actor, correlationId }: DeleteUserCommand): Promise<ModifiedUser> {
    const time = new Date().toISOString();
    return modifyUser(this.pool, this.store, target, (current) =>
      deleteUser(target.tailnetId, target.userId, current, { actor, correlationId, time }),
    );
  }
}
