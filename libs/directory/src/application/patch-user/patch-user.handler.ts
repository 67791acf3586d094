import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { applyPatch, type ScimUser } from '#roster/scim';
import { AggregateStore } from '#roster/write-model';
import { updateUser } from '../../domain/user.js';
import { PG_POOL } from '../directory.tokens.js';
import { modifyUser, type ModifiedUser } from '../user-modification.js';
import { PatchUserCommand } from './patch-user.command.js';

@CommandHandler(PatchUserCommand)
export class PatchUserHandler implements ICommandHandler<PatchUserCommand, ModifiedUser> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  execute({ target, body, actor, correlationId }: PatchUserCommand): Promise<ModifiedUser> {
    const time = new Date().toISOString();
    return modifyUser(this.pool, this.store, target, (current) => {
      const before = { ...current.state.attributes, id: target.userId } as unknown as ScimUser;
      const { resource, changed } = applyPatch('User', before, body);
      if (!changed) return { state: current.state, events: [] };
      const { id: _id, meta: _meta, ...attributes } = resource;
      return updateUser(target.tailnetId, target.userId, current, { ...attributes }, { actor, correlationId, time });
    });
  }
}
