import { inject } from 'vitest';
import { Stack, type ServiceName } from '#roster/testkit';

/**
 * A fresh, isolated stack for one end-to-end test file, on the infrastructure the global set-up provided; `env`
 * overrides the services' environment; `services` replaces the default gateway and directory projector.
 */
export function startStack(name: string, env: NodeJS.ProcessEnv = {}, services?: ServiceName[]): Promise<Stack> {
  return Stack.start(`e2e_${name}`, { databaseUrl: inject('databaseUrl'), brokers: inject('kafkaBrokers') }, env, services);
}

/** Polls `probe` until it returns a value `accept` likes, or fails after `timeoutMs` with the last value seen. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await probe();
  }
  return last;
}
