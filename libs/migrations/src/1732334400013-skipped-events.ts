import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events an operator told a projection to pass over (`roster projection skip`): an event it cannot apply would
 * otherwise hold up every event behind it on its partition for good. Kept outside the projections' schemas, so a
 * replay, which rebuilds a projection into a fresh schema, passes over the same events. `value` is the message as
 * it is on the log, byte for byte, for whoever repairs what the event should have done.
 */
export class SkippedEvents1732334400013 implements MigrationInterface {
  name = 'SkippedEvents1732334400013';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE SCHEMA IF NOT EXISTS projector');
    await runner.query(`
      CREATE TABLE projector.skipped_events (
        projection text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        log_offset bigint NOT NULL,
        event_id text,
        event_type text,
        tailnet_id text,
        value bytea,
        reason text NOT NULL,
        operator text NOT NULL,
        skipped_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, topic, partition, log_offset)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE projector.skipped_events');
    await runner.query('DROP SCHEMA projector');
  }
}
