import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { MEMBERSHIP_OUTBOX } from '#roster/membership';

const DRAIN_TIMEOUT_MS = 10_000;

export class MembershipExportError extends Error {}

export type MembershipSnapshot = {
  tailnetId: string;
  /** Continue from here: every public event before these offsets is in the snapshot, none after. */
  position: { topic: string; offsets: Record<string, string> };
  groups: Array<{
    groupId: string;
    name: string;
    /** The group's last sequence number in the snapshot; the next event of the group carries sequence + 1. */
    sequence: number;
    memberCount: number;
    members: Array<{ userId: string; userName: string; active: boolean }>;
  }>;
};

/**
 * A snapshot of a tailnet's group membership with the position on the public topic it corresponds to. The
 * membership projector is held between two batches (its next one waits on the checkpoint table's lock) until
 * its outbox has drained onto the topic; the topic's end offsets then mark exactly the events the snapshot
 * already reflects. Reads are not blocked; the projector resumes when the snapshot is taken.
 */
export async function exportMembership(pool: pg.Pool, kafka: Kafka, topic: string, tailnetId: string): Promise<MembershipSnapshot> {
  const client = await pool.connect();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    await client.query(`SET LOCAL lock_timeout = '${DRAIN_TIMEOUT_MS}ms'`);
    await client.query('LOCK TABLE membership.projector_checkpoints IN EXCLUSIVE MODE').catch((error: { code?: string }) => {
      throw error.code === '42P01' ? new MembershipExportError('the membership projection does not exist yet: start membership-projector') : error;
    });
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      const { rows } = await client.query<{ waiting: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${MEMBERSHIP_OUTBOX}) AS waiting`);
      if (!rows[0].waiting) break;
      if (Date.now() > deadline) throw new MembershipExportError('the membership outbox did not drain in 10 s: is membership-projector publishing?');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const offsets = await admin.fetchTopicOffsets(topic);
    const { rows } = await client.query<MembershipSnapshot['groups'][number]>(
      `SELECT g.id AS "groupId", g.name, g.sequence::int AS sequence, g.member_count AS "memberCount",
              coalesce(json_agg(json_build_object('userId', u.id, 'userName', u.user_name, 'active', u.active) ORDER BY u.user_name)
                         FILTER (WHERE u.id IS NOT NULL), '[]') AS members
         FROM membership.groups g
         LEFT JOIN membership.members m ON m.tailnet_id = g.tailnet_id AND m.group_id = g.id
         LEFT JOIN membership.users u ON u.tailnet_id = m.tailnet_id AND u.id = m.user_id
        WHERE g.tailnet_id = $1
        GROUP BY g.id, g.name, g.sequence, g.member_count
        ORDER BY g.name, g.id`,
      [tailnetId],
    );
    await client.query('COMMIT');
    return {
      tailnetId,
      position: { topic, offsets: Object.fromEntries(offsets.sort((a, b) => a.partition - b.partition).map((o) => [String(o.partition), o.high])) },
      groups: rows,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
    await admin.disconnect().catch(() => undefined);
  }
}
