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
  DEFINITION_FOR_UPDATE_SQL,
  UPDATE_DEFINITION_SQL,
  addColumnsSql,
  addToDefinition,
  copyFromSql,
  createMetadataTableSql,
  createTableSql,
  groupByGiven,
  lockSql,
  pgCopyBinary,
  readAfterSql,
  recordTableSql,
  rowFromPg,
  unnestInsertSql,
  unnestParams,
  type RecordedDefinition,
} from './sql';
import { quoteIdentifier } from '../../identifiers';
import { copyRows, policyFor, refusedByServer } from './copy';

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

  async addColumns(pool, schema, additions) {
    // The pattern of createTable: one transaction under the DDL advisory lock, so concurrent
    // writers adding the same columns queue; ADD COLUMN IF NOT EXISTS and the definition merge
    // (names already recorded are skipped) make the second one a no-op.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(lockSql());
      for (const sql of addColumnsSql(schema, additions)) await client.query(sql);
      await client.query(createMetadataTableSql());
      const r = await client.query<{ definition: RecordedDefinition }>(DEFINITION_FOR_UPDATE_SQL, [
        schema.name,
      ]);
      const recorded = r.rows[0]?.definition;
      // A table without a recorded definition (made by hand) keeps none: its columns are read from the catalogs.
      if (recorded) {
        const definition = addToDefinition(recorded, additions);
        await client.query(UPDATE_DEFINITION_SQL, [schema.name, JSON.stringify(definition)]);
      }
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
    // One statement per set of given columns, so a row never overwrites a column it does not give.
    let acknowledged = 0;
    const policy = policyFor(pool);
    for (const { given, rows: group } of groupByGiven(schema, rows)) {
      // COPY first. A key already in the table (a replay, a row arriving in parts) makes the server
      // refuse the whole COPY; the rows then go through the upsert (ADR 0002, item 5).
      if (policy.copyFirst(schema.name)) {
        try {
          acknowledged += await copyRows(
            pool,
            copyFromSql(schema, given),
            pgCopyBinary(schema, group, given),
          );
          continue;
        } catch (e) {
          if (!refusedByServer(e)) throw e;
          policy.conflicted(schema.name);
        }
      }
      const text = unnestInsertSql(schema, given);
      const values = unnestParams(schema, group, given);
      const r = await pool.query({ name: statementName(text), text, values });
      acknowledged += r.rowCount ?? 0;
    }
    return acknowledged;
  },

  async readAfter(pool, schema, cursor, limit, until) {
    const { text, values } = readAfterSql(schema, cursor, limit, until);
    const r = await pool.query<Record<string, unknown>>({ name: statementName(text), text, values });
    return r.rows.map((raw) => rowFromPg(schema, raw));
  },
};
