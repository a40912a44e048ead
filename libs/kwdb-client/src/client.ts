// KwdbClient: the one object the workers use. It owns a bounded pg pool, the
// detected dialect and a cache of real table schemas.

import type { Batch, Row } from '@kwdb-connect/formats';
import type pg from 'pg';
import type { KwdbClientConfig } from './connection/config';
import { openPool } from './connection/connect';
import type { CreateDatabaseOptions, Dialect } from './dialects/dialect';
import { kwdbDialect } from './dialects/kwdb';
import { postgresDialect } from './dialects/postgres';
import { TableNotFoundError, classifyError } from './errors';
import { validateIdentifier, type DialectName } from './identifiers';
import { checkCursor, cursorAfter } from './introspection/cursor';
import { SchemaCache } from './schema/cache';
import type { CoerceFn } from './schema/check';
import { defaultCoerce } from './schema/coerce';
import { withStatedLengths } from './schema/lengths';
import { additionsFromBatch, tableFromBatch } from './schema/definition';
import { nowNs } from './schema/timestamp-column';
import type { Cursor, ReadResult, TableSchema, WriteResult } from './types';
import { writeBatches } from './writer';

const DIALECTS: Record<DialectName, Dialect> = { kwdb: kwdbDialect, postgres: postgresDialect };

export interface KwdbClientOptions {
  /** Converts line_influxdb written values to real column types; defaults to formats' `coerceValue`. */
  coerce?: CoerceFn;
  /** Epoch nanoseconds stamped on line_influxdb rows without a timestamp; defaults to the clock (ms resolution). */
  now?: () => bigint;
}

export class KwdbClient {
  private readonly cache = new SchemaCache();
  /** describeTable's view of each cached schema (stated lengths), so a cached schema is returned as one object. */
  private readonly described = new WeakMap<TableSchema, TableSchema>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly impl: Dialect,
    /** The database every statement runs in (connection.database). */
    readonly database: string,
    /** `SELECT version()` of the server. */
    readonly serverVersion: string,
    /** Rows per INSERT statement (batch.size). */
    readonly batchSize: number,
    private readonly coerce: CoerceFn,
    private readonly now: () => bigint,
  ) {}

  /** Connects (connection.attempts tries, connection.backoff.ms apart) and detects the dialect. */
  static async connect(config: KwdbClientConfig, options: KwdbClientOptions = {}): Promise<KwdbClient> {
    const { pool, dialect, version, config: resolved } = await openPool(config);
    return new KwdbClient(
      pool,
      DIALECTS[dialect],
      resolved.database,
      version,
      resolved.batchSize,
      options.coerce ?? defaultCoerce,
      options.now ?? nowNs,
    );
  }

  get dialect(): DialectName {
    return this.impl.name;
  }

  /**
   * The real schema of the batch's table, creating the table when it is
   * missing and the batch's format allows it (`batch.canCreateTable`), and
   * adding the value columns and ordinary tags it lacks when the batch's format
   * allows that (`batch.canAddColumns`, OpenTSDB; never primary tags).
   * Throws TableNotFoundError, TableDefinitionError, SchemaMismatchError or
   * IdentifierError (permanent), or a retriable error.
   */
  async ensureTable(batch: Batch): Promise<TableSchema> {
    const name = validateIdentifier(batch.table, 'table', this.impl.name);
    const schema =
      this.cache.get(name) ??
      (await this.run(async () => {
        let found = await this.impl.describeTable(this.pool, name);
        if (!found) {
          if (!batch.canCreateTable) {
            throw new TableNotFoundError(name, 'this message format cannot create tables; create it first');
          }
          await this.impl.createTable(this.pool, tableFromBatch(batch, this.impl.name));
          found = await this.impl.describeTable(this.pool, name);
          if (!found) throw new TableNotFoundError(name, 'it was created but cannot be read back');
        }
        return this.cache.set(found);
      }));
    if (!batch.canAddColumns) return schema;
    const additions = additionsFromBatch(batch, schema, this.impl.name);
    if (additions.columns.length === 0 && additions.tags.length === 0) return schema;
    return this.run(async () => {
      await this.impl.addColumns(this.pool, schema, additions);
      const altered = await this.impl.describeTable(this.pool, name);
      if (!altered) {
        this.cache.forget(name);
        throw new TableNotFoundError(name, 'it was dropped while columns were added');
      }
      return this.cache.set(altered);
    });
  }

  /**
   * Writes batches (each checked against its real table, created if allowed),
   * at most batch.size rows per statement. Returns the rows written and the
   * rows rejected with a permanent per-record error. Throws only retriable
   * errors (the caller may retry the whole call: writes are idempotent).
   */
  async write(batches: Batch | Batch[]): Promise<WriteResult> {
    const list = Array.isArray(batches) ? batches : [batches];
    return this.run(() =>
      writeBatches(
        {
          pool: this.pool,
          dialect: this.impl,
          batchSize: this.batchSize,
          coerce: this.coerce,
          schemaFor: (batch) => this.ensureTable(batch),
          forget: (table) => this.cache.forget(table),
          now: this.now,
        },
        list,
      ),
    );
  }

  /** Creates a database (`CREATE TS DATABASE` on kwdb). Only call it when the user asked for it. */
  async createDatabase(name: string, options: CreateDatabaseOptions = {}): Promise<void> {
    validateIdentifier(name, 'database', this.impl.name);
    await this.run(() => this.impl.createDatabase(this.pool, name, options));
  }

  /** Tables of the database the source can read (kwdb: time-series tables; postgres: recorded tables). */
  async listTables(): Promise<string[]> {
    return this.run(() => this.impl.listTables(this.pool));
  }

  /**
   * The real schema of a table, from the schema cache the writes use (read on first use;
   * `forgetSchema` makes the next call read it again), with `length` on every column and tag as
   * json_kaiwudb states it (schema/lengths.ts: TIMESTAMP 64, INT8 64, INT4 32, INT2 16, FLOAT4 32,
   * FLOAT8 64, BOOL 1, VARCHAR(n) n, ...). Throws TableNotFoundError when the table does not exist.
   */
  async describeTable(table: string): Promise<TableSchema> {
    const schema = await this.schemaOf(table);
    let described = this.described.get(schema);
    if (described === undefined) {
      described = withStatedLengths(schema);
      this.described.set(schema, described);
    }
    return described;
  }

  /**
   * At most `limit` rows after `cursor` (null: from the first row) in
   * (timestamp, primary tags) order, and the cursor to continue from.
   * `options.until` (epoch ns): only rows with timestamp <= until (INCLUSIVE), pushed into the
   * query (both dialects), e.g. now - timestamp.delay.interval.ms. Throws TableNotFoundError when
   * the table does not exist or was dropped (its cached schema is forgotten).
   */
  async readAfter(
    table: string,
    cursor: Cursor | null,
    limit: number,
    options: { until?: bigint } = {},
  ): Promise<ReadResult> {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const schema = await this.schemaOf(table);
    if (cursor) checkCursor(schema, cursor);
    let rows: Row[];
    try {
      rows = await this.run(
        () => this.impl.readAfter(this.pool, schema, cursor, limit, options.until),
        schema.name,
      );
    } catch (error) {
      if (error instanceof TableNotFoundError) this.cache.forget(schema.name);
      throw error;
    }
    const last = rows[rows.length - 1];
    return { rows, cursor: last ? cursorAfter(schema, last) : cursor };
  }

  /** The cached real schema (as stored: lengths only where the table declares them). */
  private async schemaOf(table: string): Promise<TableSchema> {
    const name = validateIdentifier(table, 'table', this.impl.name);
    const cached = this.cache.get(name);
    if (cached) return cached;
    return this.run(async () => {
      const schema = await this.impl.describeTable(this.pool, name);
      if (!schema) throw new TableNotFoundError(name);
      return this.cache.set(schema);
    }, name);
  }

  /** Forgets cached schemas (one table, or all), e.g. after a table was altered. */
  forgetSchema(table?: string): void {
    this.cache.forget(table);
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Every driver error leaves this class classified (`table`: the one table the action reads). */
  private async run<T>(action: () => Promise<T>, table?: string): Promise<T> {
    try {
      return await action();
    } catch (e) {
      throw classifyError(e, table === undefined ? {} : { table });
    }
  }
}
