import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { messagePosition } from '#roster/events';

const TAIL_READ_TIMEOUT_MS = 30_000;

/**
 * Reads the log position (the CloudEvents `position` attribute) of the last message of each given partition. Used
 * only on the relay's recovery path, to learn which outbox rows a failed or interrupted send did in fact deliver.
 * Returns 0n for an empty partition.
 */
export async function readLastPositions(kafka: Kafka, topic: string, partitions: number[]): Promise<Map<number, bigint>> {
  const result = new Map<number, bigint>();
  const admin = kafka.admin();
  await admin.connect();
  let wanted: Map<number, string>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    wanted = new Map();
    for (const { partition, high, low } of offsets) {
      if (!partitions.includes(partition)) continue;
      if (BigInt(high) > BigInt(low)) wanted.set(partition, (BigInt(high) - 1n).toString());
      else result.set(partition, 0n);
    }
  } finally {
    await admin.disconnect();
  }
  if (wanted.size === 0) return result;

  const groupId = `roster-relay-tail-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading the tail of ${topic}`)), TAIL_READ_TIMEOUT_MS);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (wanted.get(partition) !== message.offset) return;
            result.set(partition, messagePosition(message) ?? 0n);
            wanted.delete(partition);
            if (wanted.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .then(() => {
          for (const [partition, offset] of wanted) consumer.seek({ topic, partition, offset });
        }, reject);
    });
  } finally {
    await consumer.disconnect();
    const admin2 = kafka.admin();
    await admin2.connect();
    await admin2.deleteGroups([groupId]).catch(() => undefined);
    await admin2.disconnect();
  }
  return result;
}
