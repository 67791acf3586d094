/**
 * Every Kafka topic Roster writes, in one place. The internal log is the system of record: it is never compacted
 * and never expires, so any read model can be rebuilt from offset 0.
 *
 * A namespace prefixes every name (empty in production) so several isolated Roster stacks can share one
 * cluster, as the end-to-end tests do.
 */
export function topicsFor(namespace: string) {
  return {
    /** Every domain event of every tailnet, keyed by tailnet id so one tailnet's events are totally ordered. */
    tailnetEvents: `${namespace}roster.tailnet-events.v1`,
    /**
     * The public membership feed for other teams (a contract: libs/contracts, docs/events.md), keyed by group id
     * so one group's events stay in order; written only by the membership projector.
     */
    membership: `${namespace}roster.membership.v1`,
  };
}

export type Topics = ReturnType<typeof topicsFor>;

export const LOG_TOPIC_CONFIG = [
  { name: 'retention.ms', value: '-1' },
  { name: 'retention.bytes', value: '-1' },
  { name: 'cleanup.policy', value: 'delete' },
  { name: 'min.insync.replicas', value: '1' },
];
