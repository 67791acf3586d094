import { inject } from 'vitest';
import { Stack } from '#roster/testkit';

/** A fresh, isolated stack for one end-to-end test file, on the infrastructure the global set-up provided. */
export function startStack(name: string): Promise<Stack> {
  return Stack.start(`e2e_${name}`, { databaseUrl: inject('databaseUrl'), brokers: inject('kafkaBrokers') });
}
