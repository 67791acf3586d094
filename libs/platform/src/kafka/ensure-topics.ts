import type { Kafka } from 'kafkajs';
import { LOG_TOPIC_CONFIG, type Topics } from '#roster/events';

/** Creates the log topics if missing. Creating an existing topic is not an error, so every service may call it. */
export async function ensureTopics(kafka: Kafka, topics: Topics, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = Object.values(topics).filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor: -1,
        configEntries: LOG_TOPIC_CONFIG,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
