import type pg from 'pg';
import type { Causation } from '#roster/events';
import { isRosterId } from '#roster/events';
import { AggregateStore, VersionConflictError } from '#roster/write-model';
import { NodeNotFoundError } from '../domain/node.errors.js';
import type { NodeChange, NodeState } from '../domain/node.js';
import { NODES_PROJECTION } from './nodes-projection-name.js';

const ATTEMPTS = 5;

export type ModifiedNode = { nodeId: string; version: number; state: NodeState };

/**
 * Loads a node, lets `decide` work out the change, and saves it with optimistic concurrency, deciding again on
 * the fresh state when someone else got there first: the expiry projector records expiries and revocations on the
 * same aggregates.
 */
export async function modifyNode(
  pool: pg.Pool,
  store: AggregateStore,
  { tailnetId, nodeId }: { tailnetId: string; nodeId: string },
  decide: (current: { version: number; state: NodeState }) => Promise<NodeChange> | NodeChange,
): Promise<ModifiedNode> {
  if (!isRosterId(nodeId)) throw new NodeNotFoundError(nodeId);
  for (let attempt = 1; ; attempt++) {
    const current = await store.load<NodeState>(pool, tailnetId, nodeId);
    if (!current || current.aggregateType !== 'Node' || current.state.deleted) throw new NodeNotFoundError(nodeId);
    const change = await decide(current);
    if (change.events.length === 0) return { nodeId, version: current.version, state: current.state };
    const version = current.version + change.events.length;
    try {
      const release = change.state.deleted ? { scope: 'nodeIp', key: current.state.ipv4 } : undefined;
      await store.commit(pool, { ...current, version, state: change.state }, current.version, change.events, { release }, { fences: [NODES_PROJECTION] });
      return { nodeId, version, state: change.state };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

export function causationOf(command: { actor: Causation['actor']; correlationId: string }): Causation {
  return { actor: command.actor, correlationId: command.correlationId, time: new Date().toISOString() };
}
