// Reading a table's real schema on PostgreSQL: the catalogs say which columns
// exist, their storage type, nullability and primary key; the recorded
// definition (kwdb_connect_tables) adds KWDB types, lengths, tags and precision.

import type { KwdbType } from '@kwdb-connect/formats';
import { precisionOfDigits } from '../../timestamps';
import type { TableColumn, TableSchema, TableTag } from '../../types';
import type { RecordedDefinition } from './sql';
import { METADATA_TABLE } from './sql';

export interface CatalogColumn {
  name: string;
  /** format_type() output, e.g. `timestamp(3) with time zone`, `character varying(20)`. */
  type: string;
  notNull: boolean;
}

/** Columns of a table in attribute order; $1 is the quoted table name. */
export const CATALOG_COLUMNS_SQL =
  'SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull" ' +
  'FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ' +
  'ORDER BY a.attnum';

/** Primary key columns in key order; $1 is the quoted table name. */
export const CATALOG_PRIMARY_KEY_SQL =
  'SELECT a.attname AS name FROM pg_catalog.pg_index i ' +
  'JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) ' +
  'WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)';

export const DEFINITION_SQL = `SELECT definition FROM ${METADATA_TABLE} WHERE table_name = $1`;

export const METADATA_PRESENT_SQL = `SELECT to_regclass('${METADATA_TABLE}') IS NOT NULL AS present`;

/** Tables with a recorded definition that still exist, by name. */
export const LIST_TABLES_SQL =
  `SELECT m.table_name FROM ${METADATA_TABLE} m ` +
  `WHERE to_regclass(quote_ident(m.table_name)) IS NOT NULL ORDER BY m.table_name`;

/** KWDB type and length of a PostgreSQL type, for columns without a recorded definition. */
export function kwdbTypeOfPg(pgType: string): { type: KwdbType; length?: number; digits?: number } {
  const m = /^([a-z ]+?)(?:\((\d+)\))?( with(?:out)? time zone)?$/.exec(pgType);
  const base = (m?.[1] ?? pgType) + (m?.[3] ?? '');
  const n = m?.[2] === undefined ? undefined : Number(m[2]);
  switch (base) {
    case 'smallint':
      return { type: 'INT2' };
    case 'integer':
      return { type: 'INT4' };
    case 'bigint':
      return { type: 'INT8' };
    case 'real':
      return { type: 'FLOAT4' };
    case 'double precision':
      return { type: 'FLOAT8' };
    case 'boolean':
      return { type: 'BOOL' };
    case 'bytea':
      return { type: 'VARBYTES' };
    case 'timestamp with time zone':
      return { type: 'TIMESTAMPTZ', digits: n ?? 6 };
    case 'timestamp without time zone':
      return { type: 'TIMESTAMP', digits: n ?? 6 };
    case 'character varying':
      return n === undefined ? { type: 'VARCHAR' } : { type: 'NVARCHAR', length: n }; // PostgreSQL counts characters
    case 'character':
      return { type: 'NCHAR', length: n ?? 1 };
    default:
      return { type: 'VARCHAR' }; // text and anything else: read and written as text
  }
}

function fromCatalog(c: CatalogColumn): TableColumn {
  const { type, length } = kwdbTypeOfPg(c.type);
  return { name: c.name, type, nullable: !c.notNull, ...(length === undefined ? {} : { length }) };
}

/**
 * Merges catalog facts with the recorded definition. Recorded columns that no
 * longer exist are left out; columns added by hand are data columns typed from
 * the catalog. Without a recorded definition, the first column is the
 * timestamp and the other primary key columns are the primary tags.
 */
export function schemaFromCatalog(
  name: string,
  catalog: CatalogColumn[],
  primaryKey: string[],
  recorded: RecordedDefinition | undefined,
): TableSchema | undefined {
  if (catalog.length === 0) return undefined;
  const byName = new Map(catalog.map((c) => [c.name, c]));
  if (recorded) {
    const used = new Set<string>();
    const columns: TableColumn[] = [];
    const tags: TableTag[] = [];
    for (const def of recorded.columns) {
      const c = byName.get(def.name);
      if (!c) continue;
      used.add(def.name);
      columns.push({ ...def, nullable: !c.notNull });
    }
    for (const def of recorded.tags) {
      const c = byName.get(def.name);
      if (!c) continue;
      used.add(def.name);
      tags.push({ ...def, nullable: !c.notNull });
    }
    for (const c of catalog) if (!used.has(c.name)) columns.push(fromCatalog(c));
    return { name, precision: recorded.precision, columns, tags };
  }
  const [first, ...others] = catalog;
  const ts = kwdbTypeOfPg(first!.type);
  const precision = ts.digits === undefined ? 'ms' : precisionOfDigits(ts.digits);
  const pk = new Set(primaryKey.slice(1));
  return {
    name,
    precision,
    columns: [fromCatalog(first!), ...others.filter((c) => !pk.has(c.name)).map(fromCatalog)],
    tags: primaryKey.slice(1).map((n) => ({ ...fromCatalog(byName.get(n)!), primary: true })),
  };
}
