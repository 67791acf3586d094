import { createServer } from 'node:http';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { decodeMembershipEvent } from '#roster/contracts';
import { applyMembershipEvent, createMemberTables } from './member-table.js';

/**
 * An example downstream service: keeps a table of group members from the public membership topic alone, the
 * way another team would (kafkajs + PostgreSQL, no Roster internals). Offsets are committed to Kafka after the
 * database commit, so a crash redelivers and the (group, sequence) check drops what was already applied.
 */
const env = process.env;
const schema = env.SUBSCRIBER_SCHEMA ?? 'membership_subscriber';
if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid SUBSCRIBER_SCHEMA ${schema}`);
const namespace = env.KAFKA_TOPIC_NAMESPACE ?? '';
const topic = `${namespace}roster.membership.v1`;

async function main() {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/roster', max: 2 });
  await createMemberTables(pool, schema);
  const kafka = new Kafka({ clientId: 'membership-subscriber-example', brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','), logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId: `${namespace}membership-subscriber-example`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let applied = 0;
  let duplicates = 0;
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const message of batch.messages) {
          const outcome = await applyMembershipEvent(client, schema, decodeMembershipEvent(message));
          if (outcome === 'duplicate') duplicates++;
          else applied++;
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      resolveOffset(batch.messages[batch.messages.length - 1].offset);
      await heartbeat();
    },
  });

  const port = Number(env.PORT ?? 8090);
  const server = createServer((request, response) => {
    const healthy = request.url === '/healthz' || request.url === '/readyz';
    response.writeHead(healthy ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(healthy ? { status: 'ok', applied, duplicates } : { error: 'not found' }));
  });
  server.listen(port, '0.0.0.0');
  const shutdown = async () => {
    server.close();
    await consumer.disconnect();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
