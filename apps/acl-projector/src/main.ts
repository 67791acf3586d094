import 'reflect-metadata';
import { Histogram } from 'prom-client';
import { AclProjection, createAclTables, loadAclState, TailnetAcls } from '#roster/acl-projection';
import { migrations } from '#roster/migrations';
import { inTransaction } from '#roster/platform';
import { mainProjectorService } from '#roster/projector';
import { AclHttpModule } from './acl-http.module.js';

const SCHEMA = 'acl';

/**
 * The ACL projector: the tailnets' users, groups, memberships, nodes and policies in its tables and in memory;
 * answers checks, packet filters and policy status from memory. One replica (see docs/architecture.md).
 */
mainProjectorService({
  name: 'acl-projector',
  defaultPort: 8083,
  schema: SCHEMA,
  // Checks answer from memory and wait for nothing; a lone membership change is never delayed.
  defaultLingerMs: 250,
  // It answers checks, and a membership change must reach them within 50 ms: at niceness 10 the bench's p99 of
  // that went from 35-55 ms to 61-86 ms, so it keeps the gateway's priority.
  defaultNiceness: 0,
  migrations,
  build: async ({ logger, metrics, pool }) => {
    // Memory first, from the tables, then the log from the checkpoint those tables were committed with.
    const acls = new TailnetAcls(logger.child({ component: 'acl-state' }));
    await inTransaction(pool, async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
      await client.query(`SET LOCAL search_path TO ${SCHEMA}, public`);
      await createAclTables(client);
    });
    const started = performance.now();
    const loaded = await loadAclState(pool, SCHEMA, acls);
    logger.info({ ...loaded, ms: Math.round(performance.now() - started) }, 'ACL state loaded');

    // From the command that recorded an event to checks seeing it: the check API's freshness.
    const eventAge = new Histogram({
      name: 'roster_acl_event_age_seconds',
      help: 'Time from an event being recorded to the ACL state in memory reflecting it',
      buckets: [0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 5, 60],
      registers: [metrics.registry],
    });
    return {
      projection: new AclProjection(acls, (events) => {
        const now = Date.now();
        for (const event of events) eventAge.observe((now - Date.parse(event.time)) / 1000);
      }),
      httpModule: (checks) => AclHttpModule.register({ metrics, checks, acls, pool, logger }),
    };
  },
});
