import type { TestProject } from 'vitest/node';
import { ensureInfra } from '../../deploy/local/infra.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    databaseUrl: string;
    /** Whether the tests may stop and start the broker (true for the project's own local broker). */
    kafkaControllable: boolean;
  }
}

/**
 * Real infrastructure, started once for the whole run: KAFKA_BROKERS / DATABASE_URL when set, else Testcontainers
 * when a container runtime exists, else the project's own local broker and the local PostgreSQL.
 */
export default async function setup(project: TestProject) {
  const kafkaControllable = !process.env.KAFKA_BROKERS;
  const { brokers, databaseUrl } = await ensureInfra({ preferContainers: true });
  project.provide('kafkaBrokers', brokers);
  project.provide('databaseUrl', databaseUrl);
  project.provide('kafkaControllable', kafkaControllable);
}
