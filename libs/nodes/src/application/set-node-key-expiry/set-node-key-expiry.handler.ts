import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { PG_POOL } from '#roster/platform';
import { AggregateStore } from '#roster/write-model';
import { setKeyExpiryDisabled } from '../../domain/node.js';
import { causationOf, modifyNode, type ModifiedNode } from '../node-modification.js';
import { SetNodeKeyExpiryCommand } from './set-node-key-expiry.command.js';

@CommandHandler(SetNodeKeyExpiryCommand)
export class SetNodeKeyExpiryHandler implements ICommandHandler<SetNodeKeyExpiryCommand, ModifiedNode> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  execute(command: SetNodeKeyExpiryCommand): Promise<ModifiedNode> {
    const { tailnetId, nodeId, keyExpiryDisabled } = command;
    return modifyNode(this.pool, this.store, { tailnetId, nodeId }, (current) =>
      setKeyExpiryDisabled(tailnetId, nodeId, current, keyExpiryDisabled, causationOf(command)),
    );
  }
}
