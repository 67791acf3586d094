import type { Queryable } from '#roster/write-model';

/** The tailnet's key duration for new and re-authenticated node keys, in days (Tailscale: 180 by default). */
export async function keyExpiryDaysOf(db: Queryable, tailnetId: string): Promise<number> {
  const { rows } = await db.query<{ days: number }>('SELECT devices_key_duration_days AS days FROM control.tailnets WHERE id = $1', [tailnetId]);
  if (rows.length === 0) throw new Error(`tailnet ${tailnetId} does not exist`);
  return rows[0].days;
}
