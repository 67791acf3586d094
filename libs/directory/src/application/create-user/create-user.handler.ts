import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { normaliseUser } from '#roster/scim';
import { AggregateStore, ClaimTakenError } from '#roster/write-model';
import { UserNameTakenError } from '../../domain/directory.errors.js';
import { createUser, userNameClaim } from '../../domain/user.js';
import { PG_POOL } from '../directory.tokens.js';
import { CreateUserCommand, type CreatedUser } from './create-user.command.js';

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, CreatedUser> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  async execute({ tailnetId, body, actor, correlationId }: CreateUserCommand): Promise<CreatedUser> {
    // A spread gives the interface an index signature, which the event's open attribute map requires.
    const attributes = { ...normaliseUser(body, { mode: 'create' }) };
    const { state, events } = createUser(tailnetId, attributes, { actor, correlationId, time: new Date().toISOString() });
    const userId = events[0].aggregateId;
    try {
      // The claim on the name is what makes two concurrent creates of one userName yield one 201 and one 409.
      await this.store.commit(this.pool, { aggregateId: userId, tailnetId, aggregateType: 'User', version: 1, state }, 0, events, {
        claim: userNameClaim(state.userName),
      });
    } catch (error) {
      if (error instanceof ClaimTakenError) throw new UserNameTakenError(state.userName);
      throw error;
    }
    return { userId, version: 1, attributes: state.attributes, created: state.created };
  }
}
