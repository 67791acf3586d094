import type pg from 'pg';

/**
 * totalResults of a list. A first page that is not full already holds every match, so the count costs no second
 * query — the common case, since IdPs look resources up by a unique attribute before creating them.
 */
export async function totalOf(
  pool: pg.Pool,
  from: string,
  alias: string,
  whereSql: string,
  params: unknown[],
  startIndex: number,
  count: number,
  rowsOnPage: number,
): Promise<number> {
  if (startIndex === 1 && rowsOnPage < count) return rowsOnPage;
  const { rows } = await pool.query<{ total: string }>(
    `SELECT count(*) AS total FROM ${from} WHERE ${alias}.tailnet_id = $1 AND (${whereSql})`,
    params,
  );
  return Number(rows[0].total);
}
