import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { normaliseUser } from '#roster/scim';
import { AggregateStore } from '#roster/write-model';
import { updateUser } from '../../domain/user.js';
import { PG_POOL } from '../directory.tokens.js';
import { modifyUser, type ModifiedUser } from '../user-modification.js';
import { ReplaceUserCommand } from './replace-user.command.js';

@CommandHandler(ReplaceUserCommand)
export class ReplaceUserHandler implements ICommandHandler<ReplaceUserCommand, ModifiedUser> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  execute({ target, body, actor, correlationId }: ReplaceUserCommand): Promise<ModifiedUser> {
    const attributes = { ...normaliseUser(body, { mode: 'replace', id: target.userId }) };
    const time = new Date().toISOString();
    return modifyUser(this.pool, this.store, target, (current) =>
      updateUser(target.tailnetId, target.userId, current, attributes, { actor, correlationId, time }),
    );
  }
}
