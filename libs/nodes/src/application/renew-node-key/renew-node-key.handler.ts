import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { PG_POOL } from '#roster/platform';
import { AggregateStore } from '#roster/write-model';
import { renewNodeKey } from '../../domain/node.js';
import { keyExpiryDaysOf } from '../key-expiry-setting.js';
import { causationOf, modifyNode, type ModifiedNode } from '../node-modification.js';
import { loadOwnerFacts } from '../owner-facts.js';
import { RenewNodeKeyCommand } from './renew-node-key.command.js';

@CommandHandler(RenewNodeKeyCommand)
export class RenewNodeKeyHandler implements ICommandHandler<RenewNodeKeyCommand, ModifiedNode> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  async execute(command: RenewNodeKeyCommand): Promise<ModifiedNode> {
    const { tailnetId, nodeId, nodeKey } = command;
    const keyExpiryDays = await keyExpiryDaysOf(this.pool, tailnetId);
    return modifyNode(this.pool, this.store, { tailnetId, nodeId }, async (current) => {
      // A user deleted from the IdP still has an aggregate (marked deleted), so its facts load.
      const owner = current.state.ownerUserId ? await loadOwnerFacts(this.pool, tailnetId, current.state.ownerUserId) : null;
      return renewNodeKey(tailnetId, nodeId, current, { owner, nodeKey, keyExpiryDays }, causationOf(command));
    });
  }
}
