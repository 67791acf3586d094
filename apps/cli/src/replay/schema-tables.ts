import type pg from 'pg';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** The projection's own tables in a schema (its checkpoints are bookkeeping, not state). */
export async function stateTables(db: Queryable, schema: string): Promise<string[]> {
  const { rows } = await db.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'projector_checkpoints' ORDER BY tablename`,
    [schema],
  );
  return rows.map((row) => row.tablename);
}

export async function schemaExists(db: Queryable, schema: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  return rows.length > 0;
}

async function primaryKey(db: Queryable, schema: string, table: string): Promise<string[]> {
  const { rows } = await db.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = format('%I.%I', $1::text, $2::text)::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`,
    [schema, table],
  );
  return rows.map((row) => row.attname);
}

export type TableDiff = { table: string; rows: number; added: number; changed: number; removed: number };

/**
 * Rows of `candidate` absent from `reference` (added), present in both under the same primary key with other
 * values (changed), and only in `reference` (removed), table by table.
 */
export async function diffSchemas(db: Queryable, candidate: string, reference: string): Promise<TableDiff[]> {
  const tables = [...new Set([...(await stateTables(db, candidate)), ...(await stateTables(db, reference))])].sort();
  const diffs: TableDiff[] = [];
  for (const table of tables) {
    const inCandidate = await schemaHasTable(db, candidate, table);
    const inReference = await schemaHasTable(db, reference, table);
    if (!inCandidate || !inReference) {
      const count = await rowCount(db, inCandidate ? candidate : reference, table);
      diffs.push({ table, rows: inCandidate ? count : 0, added: inCandidate ? count : 0, changed: 0, removed: inReference ? count : 0 });
      continue;
    }
    const key = await primaryKey(db, candidate, table);
    const join = key.map((column) => `c."${column}" = r."${column}"`).join(' AND ');
    const { rows } = await db.query<{ rows: number; added: number; changed: number; removed: number }>(
      `SELECT count(*) FILTER (WHERE c.present) ::int AS rows,
              count(*) FILTER (WHERE c.present AND r.present IS NULL)::int AS added,
              count(*) FILTER (WHERE c.present AND r.present AND c.whole IS DISTINCT FROM r.whole)::int AS changed,
              count(*) FILTER (WHERE c.present IS NULL AND r.present)::int AS removed
         FROM (SELECT t.*, true AS present, t::text AS whole FROM "${candidate}"."${table}" t) c
         FULL JOIN (SELECT t.*, true AS present, t::text AS whole FROM "${reference}"."${table}" t) r ON ${join}`,
    );
    diffs.push({ table, ...rows[0] });
  }
  return diffs;
}

async function schemaHasTable(db: Queryable, schema: string, table: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [schema, table]);
  return rows.length > 0;
}

async function rowCount(db: Queryable, schema: string, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${table}"`);
  return rows[0].n;
}
