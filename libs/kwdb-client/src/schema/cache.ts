// A per-client cache of real table schemas, filled on first use.

import type { TableSchema } from '../types';

export class SchemaCache {
  private readonly schemas = new Map<string, TableSchema>();

  get(table: string): TableSchema | undefined {
    return this.schemas.get(table);
  }

  set(schema: TableSchema): TableSchema {
    this.schemas.set(schema.name, schema);
    return schema;
  }

  /** Forgets one table, or every table. */
  forget(table?: string): void {
    if (table === undefined) this.schemas.clear();
    else this.schemas.delete(table);
  }
}
