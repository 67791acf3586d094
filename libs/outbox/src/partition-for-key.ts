import { Partitioners } from 'kafkajs';

const javaCompatible = Partitioners.DefaultPartitioner();

/**
 * The partition Kafka's default (murmur2) partitioner would choose for a key. The relay pins each message to it
 * explicitly so it knows, after a failure, which partition's tail to inspect.
 */
export function partitionForKey(topic: string, key: string, partitionCount: number): number {
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  return javaCompatible({ topic, partitionMetadata, message: { key, value: null } });
}
