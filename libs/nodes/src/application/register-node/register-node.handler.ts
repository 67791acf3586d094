import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { PG_POOL } from '#roster/platform';
import { AggregateStore, ClaimTakenError } from '#roster/write-model';
import { AddressSpaceExhaustedError } from '../../domain/node.errors.js';
import { registerNode, validateTags } from '../../domain/node.js';
import { randomTailnetAddress } from '../../domain/tailnet-address.js';
import { keyExpiryDaysOf } from '../key-expiry-setting.js';
import { causationOf, type ModifiedNode } from '../node-modification.js';
import { NODES_PROJECTION } from '../nodes-projection-name.js';
import { loadOwnerFacts } from '../owner-facts.js';
import { TAG_PERMISSION, type TagPermission } from '../tag-permission.js';
import { RegisterNodeCommand } from './register-node.command.js';

// With 4 million addresses, eight collisions in a row mean the tailnet is all but full.
const ADDRESS_ATTEMPTS = 8;

@CommandHandler(RegisterNodeCommand)
export class RegisterNodeHandler implements ICommandHandler<RegisterNodeCommand, ModifiedNode> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
    @Inject(TAG_PERMISSION) private readonly tagPermission: TagPermission,
  ) {}

  async execute(command: RegisterNodeCommand): Promise<ModifiedNode> {
    const { tailnetId, input } = command;
    const owner = input.user === undefined ? null : await loadOwnerFacts(this.pool, tailnetId, input.user);
    // Malformed tags are the caller's 400 before they are anyone's 403.
    await this.tagPermission.assertMayApply(tailnetId, owner ? { userId: owner.userId } : { adminKey: true }, validateTags(input.tags));
    const keyExpiryDays = await keyExpiryDaysOf(this.pool, tailnetId);
    const causation = causationOf(command);
    for (let attempt = 1; attempt <= ADDRESS_ATTEMPTS; attempt++) {
      const { state, events } = registerNode(tailnetId, { ...input, owner, ipv4: randomTailnetAddress(), keyExpiryDays }, causation);
      const nodeId = events[0].aggregateId;
      try {
        // The claim on the address is what keeps two concurrent registrations from sharing one.
        await this.store.commit(this.pool, { aggregateId: nodeId, tailnetId, aggregateType: 'Node', version: 1, state }, 0, events,
          { claim: { scope: 'nodeIp', key: state.ipv4 } }, { fences: [NODES_PROJECTION] });
        return { nodeId, version: 1, state };
      } catch (error) {
        if (!(error instanceof ClaimTakenError)) throw error;
      }
    }
    throw new AddressSpaceExhaustedError();
  }
}
