import type pg from 'pg';
import { reusedPlans } from '#roster/platform';

/** The rows a list query matches: `from` is a table and its alias, `where` a condition with the tailnet as $1. */
export type ListMatches = { from: string; alias: string; where: string; params: unknown[]; reusePlan: boolean };

/**
 * totalResults of a list. A first page that is not full already holds every match, so the count costs no second
 * query — the common case, since IdPs look resources up by a unique attribute before creating them.
 */
export async function totalOf(
  pool: pg.Pool,
  { from, alias, where, params, reusePlan }: ListMatches,
  page: { startIndex: number; count: number; rowsOnPage: number },
): Promise<number> {
  if (page.startIndex === 1 && page.rowsOnPage < page.count) return page.rowsOnPage;
  const text = `SELECT count(*) AS total FROM ${from} WHERE ${alias}.tailnet_id = $1 AND (${where})`;
  const { rows } = await pool.query<{ total: string }>(reusedPlans.statement(text, params, reusePlan));
  return Number(rows[0].total);
}
