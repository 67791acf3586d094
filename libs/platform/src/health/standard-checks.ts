import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { ReadinessCheck } from './readiness.js';

export function postgresCheck(pool: pg.Pool): ReadinessCheck {
  return { name: 'postgres', check: async () => (await pool.query('SELECT 1')).rowCount === 1 };
}

export function kafkaCheck(kafka: Kafka): ReadinessCheck {
  return {
    name: 'kafka',
    check: async () => {
      const admin = kafka.admin({ retry: { retries: 0 } });
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return { brokers: cluster.brokers.length };
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
  };
}
