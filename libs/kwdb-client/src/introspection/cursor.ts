// The source's cursor: (timestamp, primary tags) of the last row read.

import type { Row } from '@kwdb-connect/formats';
import { keyColumns } from '../schema/check';
import type { Cursor, TableSchema } from '../types';

/** The cursor just after `row` of a table. */
export function cursorAfter(schema: TableSchema, row: Row): Cursor {
  const [ts, ...primaryTags] = keyColumns(schema).map((c) => row[c.name] ?? null);
  return { ts: ts as bigint, primaryTags };
}

/** Checks a cursor against a table: the primary tag values must match the table's primary tags. */
export function checkCursor(schema: TableSchema, cursor: Cursor): void {
  const expected = keyColumns(schema).length - 1;
  if (cursor.primaryTags !== undefined && cursor.primaryTags.length !== expected) {
    throw new RangeError(
      `cursor for table "${schema.name}" has ${cursor.primaryTags.length} primary tag value(s); the table has ${expected}`,
    );
  }
}
