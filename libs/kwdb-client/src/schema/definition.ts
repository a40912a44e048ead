// Turns a batch's column and tag definitions into the schema of a table to
// create, enforcing KWDB's CREATE TABLE rules for both dialects (so the
// postgres dialect refuses what KWDB would refuse). The rules themselves are in kwdb-rules.ts.

import type { Batch, ColumnDef, TagDef } from '@kwdb-connect/formats';
import { SchemaMismatchError, TableDefinitionError } from '../errors';
import { validateIdentifier, type DialectName } from '../identifiers';
import type { TableAdditions, TableColumn, TableSchema, TableTag } from '../types';
import { DEFAULT_LENGTH, MAX_LENGTH, PRIMARY_FORBIDDEN, TABLE_LIMITS, TAG_FORBIDDEN } from '../kwdb-rules';

const {
  maxColumns: MAX_COLUMNS,
  maxTags: MAX_TAGS,
  maxPrimaryTags: MAX_PRIMARY_TAGS,
  primaryVarcharDefault: PRIMARY_VARCHAR_DEFAULT,
  primaryVarcharMax: PRIMARY_VARCHAR_MAX,
} = TABLE_LIMITS;

/** Length of a text/bytes column (default applied, maximum checked); undefined for other types. */
function lengthOf(
  table: string,
  def: ColumnDef,
  defaultLength?: number,
  maxLength?: number,
): number | undefined {
  const fallback = defaultLength ?? DEFAULT_LENGTH[def.type];
  if (fallback === undefined) return undefined;
  const length = def.length ?? fallback;
  const max = maxLength ?? MAX_LENGTH[def.type] ?? Infinity;
  if (!Number.isInteger(length) || length < 1 || length > max) {
    throw new TableDefinitionError(table, `${def.name}: ${def.type} length ${length} is outside 1..${max}`);
  }
  return length;
}

/** The table a batch describes, or a TableDefinitionError / IdentifierError naming the broken rule. */
export function tableFromBatch(batch: Batch, dialect: DialectName): TableSchema {
  const table = validateIdentifier(batch.table, 'table', dialect);
  const fail = (message: string): never => {
    throw new TableDefinitionError(table, message);
  };
  const [first] = batch.columns;
  if (!first) return fail('a table needs a timestamp column');
  if (first.type !== 'TIMESTAMP' && first.type !== 'TIMESTAMPTZ') {
    fail(`the first column "${first.name}" must be TIMESTAMP or TIMESTAMPTZ, not ${first.type}`);
  }
  if (batch.columns.length < 2) fail('a table needs at least one column besides the timestamp');
  if (batch.columns.length > MAX_COLUMNS) fail(`a table has at most ${MAX_COLUMNS} columns`);
  if (batch.tags.length < 1 || batch.tags.length > MAX_TAGS) fail(`a table needs 1 to ${MAX_TAGS} tags`);

  const seen = new Set<string>();
  const named = (def: ColumnDef, kind: 'column' | 'tag'): string => {
    validateIdentifier(def.name, kind, dialect, table);
    if (seen.has(def.name)) fail(`the name "${def.name}" is used twice`);
    seen.add(def.name);
    return def.name;
  };

  const columns: TableColumn[] = batch.columns.map((def, i) => {
    const column: TableColumn = { name: named(def, 'column'), type: def.type, nullable: i !== 0 };
    const length = lengthOf(table, def);
    if (length !== undefined) column.length = length;
    return column;
  });

  const tags: TableTag[] = batch.tags.map((def: TagDef) => {
    const name = named(def, 'tag');
    if (TAG_FORBIDDEN.includes(def.type)) fail(`tag "${name}" cannot be ${def.type}`);
    const tag: TableTag = {
      name,
      type: def.type,
      nullable: def.nullable && !def.primary,
      primary: def.primary,
    };
    if (def.primary) {
      if (def.nullable) fail(`tag "${name}" can not be a nullable tag as primary tag`);
      if (PRIMARY_FORBIDDEN.includes(def.type))
        fail(`data type ${def.type} is not supported for primary tag "${name}"`);
    }
    const varcharPrimary = def.primary && def.type === 'VARCHAR';
    const length = varcharPrimary
      ? lengthOf(table, def, PRIMARY_VARCHAR_DEFAULT, PRIMARY_VARCHAR_MAX)
      : lengthOf(table, def);
    if (length !== undefined) tag.length = length;
    return tag;
  });

  const primaries = tags.filter((t) => t.primary).length;
  if (primaries < 1) fail('a table needs at least one primary tag');
  if (primaries > MAX_PRIMARY_TAGS) fail(`the max number of primary tags is ${MAX_PRIMARY_TAGS}`);
  const precision = batch.precision === 's' ? 'ms' : batch.precision;
  return { name: table, precision, columns, tags };
}

/**
 * The value columns and ordinary tags of a batch that its existing table lacks (a batch with
 * `canAddColumns`, OpenTSDB), as nullable definitions to add with KWDB's rules for ADD COLUMN /
 * ADD TAG (reference/kwdb.md section 1, "ALTER / DROP": one per statement, no primary tags, no
 * NOT NULL tags). The batch's first column is its timestamp and is never added. A primary tag the
 * table lacks is a SchemaMismatchError: primary tags are fixed when the table is created.
 */
export function additionsFromBatch(batch: Batch, schema: TableSchema, dialect: DialectName): TableAdditions {
  const fail = (message: string): never => {
    throw new TableDefinitionError(schema.name, message);
  };
  const existing = new Set([...schema.columns, ...schema.tags].map((c) => c.name));
  const additions: TableAdditions = { columns: [], tags: [] };
  for (const def of batch.columns.slice(1)) {
    if (existing.has(def.name)) continue;
    existing.add(def.name);
    const column: TableColumn = {
      name: validateIdentifier(def.name, 'column', dialect, schema.name),
      type: def.type,
      nullable: true,
    };
    const length = lengthOf(schema.name, def);
    if (length !== undefined) column.length = length;
    additions.columns.push(column);
  }
  for (const def of batch.tags) {
    if (existing.has(def.name)) continue;
    if (def.primary) {
      const primaries = schema.tags.filter((t) => t.primary).map((t) => `"${t.name}"`);
      throw new SchemaMismatchError(
        schema.name,
        def.name,
        `the table's primary tags (${primaries.join(', ')})`,
        'a primary tag the table does not have (primary tags cannot be added)',
      );
    }
    existing.add(def.name);
    if (TAG_FORBIDDEN.includes(def.type)) fail(`tag "${def.name}" cannot be ${def.type}`);
    const tag: TableTag = {
      name: validateIdentifier(def.name, 'tag', dialect, schema.name),
      type: def.type,
      nullable: true,
      primary: false,
    };
    const length = lengthOf(schema.name, def);
    if (length !== undefined) tag.length = length;
    additions.tags.push(tag);
  }
  if (schema.columns.length + additions.columns.length > MAX_COLUMNS)
    fail(`a table has at most ${MAX_COLUMNS} columns`);
  if (schema.tags.length + additions.tags.length > MAX_TAGS) fail(`a table has at most ${MAX_TAGS} tags`);
  return additions;
}
