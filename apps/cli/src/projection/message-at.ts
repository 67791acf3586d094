import { randomBytes } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { CliUsageError } from '../shared/cli-usage-error.js';

const READ_TIMEOUT_MS = 30_000;

/** The message at one offset of one partition, as it is on the log; a usage error if the log holds no such offset. */
export async function readMessageAt(kafka: Kafka, topic: string, partition: number, offset: bigint): Promise<KafkaMessage> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const bounds = offsets.find((o) => o.partition === partition);
  if (!bounds) throw new CliUsageError(`${topic} has no partition ${partition} (it has ${offsets.length})`);
  if (offset < BigInt(bounds.low) || offset >= BigInt(bounds.high)) {
    throw new CliUsageError(`partition ${partition} of ${topic} holds offsets ${bounds.low} to ${BigInt(bounds.high) - 1n}, not ${offset}`);
  }
  const consumer = kafka.consumer({ groupId: `roster-cli-message-reader-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic });
    return await new Promise<KafkaMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading partition ${partition}, offset ${offset} of ${topic}`)), READ_TIMEOUT_MS);
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const found = batch.partition === partition ? batch.messages.find((message) => BigInt(message.offset) === offset) : undefined;
          if (!found) return;
          clearTimeout(timer);
          resolve(found);
        },
      });
      consumer.seek({ topic, partition, offset: offset.toString() });
    });
  } finally {
    await consumer.disconnect();
  }
}
