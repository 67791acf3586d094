import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { PG_POOL } from '#roster/platform';
import { AggregateStore } from '#roster/write-model';
import { setNodeTags, validateTags } from '../../domain/node.js';
import { causationOf, modifyNode, type ModifiedNode } from '../node-modification.js';
import { TAG_PERMISSION, type TagPermission } from '../tag-permission.js';
import { SetNodeTagsCommand } from './set-node-tags.command.js';

@CommandHandler(SetNodeTagsCommand)
export class SetNodeTagsHandler implements ICommandHandler<SetNodeTagsCommand, ModifiedNode> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
    @Inject(TAG_PERMISSION) private readonly tagPermission: TagPermission,
  ) {}

  async execute(command: SetNodeTagsCommand): Promise<ModifiedNode> {
    const { tailnetId, nodeId, tags } = command;
    await this.tagPermission.assertMayApply(tailnetId, { adminKey: true }, validateTags(tags));
    return modifyNode(this.pool, this.store, { tailnetId, nodeId }, (current) => setNodeTags(tailnetId, nodeId, current, tags, causationOf(command)));
  }
}
