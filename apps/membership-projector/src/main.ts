import 'reflect-metadata';
import { Counter } from 'prom-client';
import { MembershipProjection, MembershipPublisher } from '#roster/membership';
import { migrations } from '#roster/migrations';
import { mainProjectorService } from '#roster/projector';

/** Feeds the public membership topic from the internal log: projection + outbox in one process. */
mainProjectorService({
  name: 'membership-projector',
  defaultPort: 8084,
  schema: 'membership',
  defaultLingerMs: 250,
  // Downstream services read a feed that trails the log by design; on a shared host the gateway goes first.
  defaultNiceness: 10,
  migrations,
  build: ({ logger, metrics, pool, kafka, topics }) => {
    const published = new Counter({ name: 'roster_membership_events_published_total', help: 'Public membership events sent', registers: [metrics.registry] });
    const failures = new Counter({ name: 'roster_membership_publish_failures_total', help: 'Membership publish batches retried', registers: [metrics.registry] });
    const publisher = new MembershipPublisher(pool, kafka, topics.membership, logger.child({ component: 'membership-publisher' }), {
      published: (count) => published.inc(count),
      failed: () => failures.inc(),
    });
    return {
      projection: new MembershipProjection(),
      // Each applied batch may have left public events in the outbox.
      projectorMetrics: (standard) => ({
        ...standard,
        applied: (projection, count, seconds) => {
          standard.applied(projection, count, seconds);
          publisher.nudge();
        },
      }),
      start: () => publisher.start(),
      stop: () => publisher.stop(),
    };
  },
});
