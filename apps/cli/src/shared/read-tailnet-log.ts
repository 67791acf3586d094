import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeEvent, type LoggedEvent } from '#roster/events';
import { partitionForKey } from '#roster/outbox';

/**
 * Every event of one tailnet on the log, from offset 0 up to the head at the time of the call, in log order.
 * A tailnet's events are all on one partition (keyed by tailnet id); only that one is waited for.
 */
export async function readTailnetLog(kafka: Kafka, topic: string, tailnetId: string): Promise<LoggedEvent[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  // The relay pins every event to the partition Kafka's default partitioner picks for its tailnet id.
  const partition = partitionForKey(topic, tailnetId, offsets.length);
  const head = offsets.find((o) => o.partition === partition);
  const events: LoggedEvent[] = [];
  if (!head || BigInt(head.high) <= BigInt(head.low)) return events;
  const end = BigInt(head.high);
  const consumer = kafka.consumer({ groupId: `roster-cli-log-reader-${randomBytes(4).toString('hex')}`, maxBytesPerPartition: 8 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const finished = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out reading the log')), 120_000);
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (batch.partition !== partition) return;
        for (const message of batch.messages) {
          if (BigInt(message.offset) >= end) break;
          if (message.key?.toString() === tailnetId) events.push(decodeEvent(message, batch.partition));
        }
        if (BigInt(batch.messages[batch.messages.length - 1]?.offset ?? -1) + 1n >= end) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  try {
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return events.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
}
