import { inject } from 'vitest';
import { Stack, type ServiceName } from '#roster/testkit';

/**
 * A fresh, isolated stack for one end-to-end test file, on the infrastructure the global set-up provided; `env`
 * overrides the services' environment; `services` replaces the default gateway + directory projector.
 */
export function startStack(name: string, env: NodeJS.ProcessEnv = {}, services?: ServiceName[]): Promise<Stack> {
  return Stack.start(`e2e_${name}`, { databaseUrl: inject('databaseUrl'), brokers: inject('kafkaBrokers') }, env, services);
}
