// The `length` of every column and tag as the json_kaiwudb format states it (the guide's source
// output example, spec/kafka-connector-guide.md "KaiwuDB JSON Format" and the source section:
// `{"name":"k_timestamp","type":"TIMESTAMP","length":64}`, `{"name":"id","type":"INT8","length":64}`,
// `{"name":"hostname","type":"VARCHAR","length":254}`): bits for the fixed-size types, the declared
// size (bytes or characters) for CHAR/NCHAR/VARCHAR/NVARCHAR/VARBYTES, KWDB's default size when
// none is known (a hand-made PostgreSQL `text` column). GEOMETRY has no size in KWDB and gets none.
// Pure.

import type { KwdbType } from '@kwdb-connect/formats';
import type { TableColumn, TableSchema } from '../types';
import { DEFAULT_LENGTH } from '../kwdb-rules';

/** Bit widths of the fixed-size types, as the guide's messages show them. */
export const FIXED_LENGTH: Partial<Record<KwdbType, number>> = {
  TIMESTAMP: 64,
  TIMESTAMPTZ: 64,
  INT2: 16,
  INT4: 32,
  INT8: 64,
  FLOAT4: 32,
  FLOAT8: 64,
  BOOL: 1,
};

/** The length json_kaiwudb states for a column: bits, declared size, or KWDB's default size. */
export function statedLength(column: Pick<TableColumn, 'type' | 'length'>): number | undefined {
  return FIXED_LENGTH[column.type] ?? column.length ?? DEFAULT_LENGTH[column.type];
}

function withLength<C extends TableColumn>(column: C): C {
  const length = statedLength(column);
  return length === undefined || length === column.length ? column : { ...column, length };
}

/** A copy of the schema with `length` on every column and tag (GEOMETRY excepted). */
export function withStatedLengths(schema: TableSchema): TableSchema {
  return {
    ...schema,
    columns: schema.columns.map(withLength),
    tags: schema.tags.map(withLength),
  };
}
