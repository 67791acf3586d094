import type { Admin } from 'kafkajs';
import { CliUsageError } from '../shared/cli-usage-error.js';

export class InvalidReplayOptionError extends CliUsageError {}

/** `--until`: an ISO 8601 time, or log offsets as `<partition>:<offset>[,<partition>:<offset>…]`. */
export type ReplayUntil = { kind: 'time'; time: Date; label: string } | { kind: 'offsets'; offsets: Map<number, bigint>; label: string };

export function parseUntil(value: string): ReplayUntil {
  if (/^\d+:\d+(,\d+:\d+)*$/.test(value)) {
    const offsets = new Map(value.split(',').map((pair) => pair.split(':')).map(([p, o]) => [Number(p), BigInt(o)] as const));
    return { kind: 'offsets', offsets, label: `o${[...offsets].map(([p, o]) => `${p}_${o}`).join('_')}` };
  }
  const time = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) {
    throw new InvalidReplayOptionError(`--until expects an ISO 8601 time (2026-11-23T06:00:00Z) or offsets (0:1200,3:877), got "${value}"`);
  }
  const label = `t${time.toISOString().replace(/[-:.TZ]/g, '').slice(0, 17)}`;
  return { kind: 'time', time, label };
}

/**
 * The offset to stop before on every partition. For a time, that is the first message the log received at or
 * after it (Kafka's own index of append times): the state a projector caught up with the log had at that moment.
 * Partitions an offsets list leaves out are rebuilt to their current head.
 */
export async function untilOffsets(admin: Admin, topic: string, until: ReplayUntil): Promise<Map<number, bigint>> {
  const heads = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.high)]));
  if (until.kind === 'offsets') {
    return new Map([...heads].map(([partition, high]) => {
      const wanted = until.offsets.get(partition);
      return [partition, wanted === undefined || wanted > high ? high : wanted];
    }));
  }
  const atTime = await admin.fetchTopicOffsetsByTimestamp(topic, until.time.getTime());
  return new Map(atTime.map(({ partition, offset }) => [partition, BigInt(offset) < 0n ? heads.get(partition)! : BigInt(offset)]));
}
