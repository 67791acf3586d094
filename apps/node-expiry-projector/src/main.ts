import 'reflect-metadata';
import { migrations } from '#roster/migrations';
import { KeyExpirySweeper, NODES_PROJECTION, NodeExpiryMetrics, NodesProjection } from '#roster/nodes';
import { offsetClock } from '#roster/platform';
import { mainProjectorService } from '#roster/projector';

/**
 * The node-key expiry projector: keeps every node's access state from user and node events, records the access
 * owners' suspensions take away and give back, and records key expiries when they fall due. Replicas are safe:
 * the log's partitions are shared out among them, and expiries are recorded once whichever sweeper gets there.
 */
mainProjectorService({
  name: 'node-expiry-projector',
  defaultPort: 8082,
  schema: NODES_PROJECTION,
  // Device reads wait for it only after a device write, rare beside an IdP's sync cycle: a shorter linger.
  defaultLingerMs: 100,
  // As the linger: it trails an IdP's sync by design, so on a shared host the gateway's requests go first.
  defaultNiceness: 10,
  migrations,
  build: ({ config, logger, metrics, pool }) => {
    const sweeper = new KeyExpirySweeper(
      pool,
      offsetClock(config.clockOffsetMs),
      logger.child({ component: 'key-expiry-sweeper' }),
      new NodeExpiryMetrics(metrics.registry, pool),
      { batchSize: config.nodeExpirySweepBatch },
    );
    return {
      projection: new NodesProjection(() => sweeper.nodesChanged()),
      start: () => sweeper.start(),
      stop: () => sweeper.stop(),
    };
  },
});
