import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { PG_POOL } from '#roster/platform';
import { AggregateStore } from '#roster/write-model';
import { deleteNode } from '../../domain/node.js';
import { causationOf, modifyNode, type ModifiedNode } from '../node-modification.js';
import { DeleteNodeCommand } from './delete-node.command.js';

@CommandHandler(DeleteNodeCommand)
export class DeleteNodeHandler implements ICommandHandler<DeleteNodeCommand, ModifiedNode> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
  ) {}

  execute(command: DeleteNodeCommand): Promise<ModifiedNode> {
    const { tailnetId, nodeId } = command;
    return modifyNode(this.pool, this.store, { tailnetId, nodeId }, (current) => deleteNode(tailnetId, nodeId, current, causationOf(command)));
  }
}
