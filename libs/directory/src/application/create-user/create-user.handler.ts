import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { inTransaction, isUniqueViolation } from '#roster/platform';
import { normaliseUser } from '#roster/scim';
import { AggregateStore } from '#roster/write-model';
import { UserNameTakenError } from '../../domain/directory.errors.js';
import { createUser, userNameKey } from '../../domain/user.js';
import { PG_POOL } from '../directory.tokens.js';
import { CreateUserCommand, type CreatedUser } from './create-user.command.js';

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, CreatedUser> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  async execute({ tailnetId, body, actor, correlationId }: CreateUserCommand): Promise<CreatedUser> {
    const attributes = normaliseUser(body, { mode: 'create' });
    const { state, events } = createUser(tailnetId, attributes, { actor, correlationId, time: new Date().toISOString() });
    const userId = events[0].aggregateId;
    try {
      await inTransaction(this.pool, async (client) => {
        // The claim on the name is what makes two concurrent creates of one userName yield one 201 and one 409.
        await client.query(
          'INSERT INTO writes.user_names (tailnet_id, user_name_key, user_id) VALUES ($1, $2, $3)',
          [tailnetId, userNameKey(state.userName), userId],
        );
        await this.store.commit(client, { aggregateId: userId, tailnetId, aggregateType: 'User', version: 1, state }, 0, events);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'user_names_pkey')) throw new UserNameTakenError(state.userName);
      throw error;
    }
    return { userId, version: 1, attributes: state.attributes, created: state.created };
  }
}
