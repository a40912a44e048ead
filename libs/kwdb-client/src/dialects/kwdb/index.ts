// The kwdb dialect: thin I/O around the builders of sql.ts. Statements are
// sent as plain text (simple query protocol, no parameters) and never inside
// BEGIN/COMMIT: KWDB refuses TS DDL in explicit transactions and the FAQ
// reports the same for batched TS writes (reference/kwdb.md sections 1 and 3).

import pg from 'pg';
import type { Dialect } from '../dialect';
import {
  LIST_TABLES_SQL,
  addColumnsSql,
  createDatabaseSql,
  createTableSql,
  describeSql,
  insertSql,
  readAfterSql,
  rowFromKwdb,
  schemaFromShow,
  type ShowColumnsRow,
  type ShowTagsRow,
} from './sql';

/** PostgreSQL type OIDs KWDB sends for TIMESTAMPTZ and TIMESTAMP columns (pgwire/types.go). */
const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;

/**
 * Type parsers for readAfter: timestamps arrive as the server's text, untouched (node-pg would
 * make a JS Date of them, which holds only milliseconds); every other type as node-pg parses it.
 */
export const RAW_TIMESTAMP_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID || oid === TIMESTAMP_OID
      ? (text: string) => text
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

const isAlreadyExists = (e: unknown): boolean => /already exists/i.test(String((e as Error)?.message));
const isUndefinedTable = (e: unknown): boolean => (e as { code?: string })?.code === '42P01';

export const kwdbDialect: Dialect = {
  name: 'kwdb',

  async createDatabase(pool, name, options) {
    await pool.query(createDatabaseSql(name, options));
  },

  async createTable(pool, schema) {
    // IF NOT EXISTS, and "already exists" from a concurrent creator is success
    // (the pattern of KWDB/kwdb-tsbs pkg/targets/kwdb/creator.go).
    try {
      await pool.query(createTableSql(schema));
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  },

  async addColumns(pool, schema, additions) {
    // One statement each, never in a transaction (TS DDL); "already exists": a concurrent writer added it.
    for (const sql of addColumnsSql(schema, additions)) {
      try {
        await pool.query(sql);
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
  },

  async describeTable(pool: pg.Pool, table) {
    const sql = describeSql(table);
    try {
      const columns = await pool.query<ShowColumnsRow>(sql.columns);
      const tags = await pool.query<ShowTagsRow>(sql.tags);
      return schemaFromShow(table, columns.rows, tags.rows);
    } catch (e) {
      if (isUndefinedTable(e)) return undefined;
      throw e;
    }
  },

  async listTables(pool) {
    const r = await pool.query<{ table_name: string }>(LIST_TABLES_SQL);
    return r.rows.map((row) => row.table_name);
  },

  async insert(pool, schema, rows) {
    const r = await pool.query(insertSql(schema, rows));
    return r.rowCount ?? 0;
  },

  async readAfter(pool, schema, cursor, limit, until) {
    const r = await pool.query<Record<string, unknown>>({
      text: readAfterSql(schema, cursor, limit, until),
      types: RAW_TIMESTAMP_TYPES,
    });
    return r.rows.map((raw) => rowFromKwdb(schema, raw));
  },
};
