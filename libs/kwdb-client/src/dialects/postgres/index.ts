// The postgres dialect: thin I/O around the builders of sql.ts and catalog.ts.

import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ident } from '../../identifiers';
import type { Dialect } from '../dialect';
import {
  CATALOG_COLUMNS_SQL,
  CATALOG_PRIMARY_KEY_SQL,
  DEFINITION_SQL,
  LIST_TABLES_SQL,
  METADATA_PRESENT_SQL,
  schemaFromCatalog,
  type CatalogColumn,
} from './catalog';
import {
  createMetadataTableSql,
  createTableSql,
  lastRowPerKey,
  lockSql,
  readAfterSql,
  recordTableSql,
  rowFromPg,
  unnestInsertSql,
  unnestParams,
  type RecordedDefinition,
} from './sql';
import { quoteIdentifier } from '../../identifiers';

/** A stable prepared-statement name per statement text (pg prepares it once per connection). */
function statementName(text: string): string {
  return `kwdb_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

async function metadataPresent(pool: pg.Pool): Promise<boolean> {
  const r = await pool.query<{ present: boolean }>(METADATA_PRESENT_SQL);
  return r.rows[0]?.present === true;
}

export const postgresDialect: Dialect = {
  name: 'postgres',

  async createDatabase(pool, name) {
    try {
      await pool.query(`CREATE DATABASE ${ident(name, 'database', 'postgres')}`);
    } catch (e) {
      if ((e as { code?: string }).code !== '42P04') throw e; // duplicate_database: already there
    }
  },

  async createTable(pool, schema) {
    // One transaction under one advisory lock: concurrent creators wait, then
    // find the table (IF NOT EXISTS) and the recorded definition (DO NOTHING).
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(lockSql());
      await client.query(createMetadataTableSql());
      await client.query(createTableSql(schema));
      await client.query(recordTableSql(schema));
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  },

  async describeTable(pool, table) {
    const quoted = quoteIdentifier(table);
    const columns = await pool.query<CatalogColumn>(CATALOG_COLUMNS_SQL, [quoted]);
    if (columns.rows.length === 0) return undefined;
    const key = await pool.query<{ name: string }>(CATALOG_PRIMARY_KEY_SQL, [quoted]);
    let recorded: RecordedDefinition | undefined;
    if (await metadataPresent(pool)) {
      const r = await pool.query<{ definition: RecordedDefinition }>(DEFINITION_SQL, [table]);
      recorded = r.rows[0]?.definition;
    }
    return schemaFromCatalog(
      table,
      columns.rows,
      key.rows.map((r) => r.name),
      recorded,
    );
  },

  async listTables(pool) {
    if (!(await metadataPresent(pool))) return [];
    const r = await pool.query<{ table_name: string }>(LIST_TABLES_SQL);
    return r.rows.map((row) => row.table_name);
  },

  async insert(pool, schema, rows) {
    const text = unnestInsertSql(schema);
    const unique = lastRowPerKey(schema, rows);
    const r = await pool.query({ name: statementName(text), text, values: unnestParams(schema, unique) });
    return r.rowCount ?? 0;
  },

  async readAfter(pool, schema, cursor, limit) {
    const { text, values } = readAfterSql(schema, cursor, limit);
    const r = await pool.query<Record<string, unknown>>({ name: statementName(text), text, values });
    return r.rows.map((raw) => rowFromPg(schema, raw));
  },
};
