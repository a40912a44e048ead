import { describe, expect, it } from '@jest/globals';
import type { Batch, ColumnDef, TagDef } from '@kwdb-connect/formats';
import { IdentifierError, SchemaMismatchError, TableDefinitionError } from '../errors';
import { additionsFromBatch, tableFromBatch } from './definition';

const ts: ColumnDef = { name: 'ts', type: 'TIMESTAMPTZ', length: 64 };
const v: ColumnDef = { name: 'v', type: 'FLOAT8' };
const pt: TagDef = { name: 'dev', type: 'VARCHAR', primary: true, nullable: false };
const batch = (columns: ColumnDef[], tags: TagDef[], precision: Batch['precision'] = 'ms'): Batch => ({
  table: 't',
  columns,
  tags,
  rows: [],
  precision,
  canCreateTable: true,
});

describe('tableFromBatch (KWDB CREATE TABLE rules, ts-table.md)', () => {
  it('applies KWDB defaults: primary VARCHAR 64, VARCHAR 254, NVARCHAR 63, CHAR 1, VARBYTES 254', () => {
    const schema = tableFromBatch(
      batch(
        [
          ts,
          { name: 'a', type: 'VARCHAR' },
          { name: 'b', type: 'NVARCHAR' },
          { name: 'c', type: 'CHAR' },
          { name: 'd', type: 'VARBYTES' },
        ],
        [pt, { name: 'x', type: 'INT4', primary: false, nullable: true }],
        's',
      ),
      'kwdb',
    );
    expect(schema).toEqual({
      name: 't',
      precision: 'ms',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ', nullable: false },
        { name: 'a', type: 'VARCHAR', length: 254, nullable: true },
        { name: 'b', type: 'NVARCHAR', length: 63, nullable: true },
        { name: 'c', type: 'CHAR', length: 1, nullable: true },
        { name: 'd', type: 'VARBYTES', length: 254, nullable: true },
      ],
      tags: [
        { name: 'dev', type: 'VARCHAR', length: 64, nullable: false, primary: true },
        { name: 'x', type: 'INT4', nullable: true, primary: false },
      ],
    });
  });

  it('accepts four primary tags of allowed types (the docs example: INT2, VARCHAR(128), CHAR(1023), NCHAR(254))', () => {
    const tags: TagDef[] = [
      { name: 'a', type: 'INT2', primary: true, nullable: false },
      { name: 'b', type: 'VARCHAR', length: 128, primary: true, nullable: false },
      { name: 'c', type: 'CHAR', length: 1023, primary: true, nullable: false },
      { name: 'd', type: 'NCHAR', length: 254, primary: true, nullable: false },
    ];
    expect(tableFromBatch(batch([ts, v], tags), 'kwdb').tags.map((t) => t.length)).toEqual([
      undefined,
      128,
      1023,
      254,
    ]);
  });

  it.each([
    {
      name: 'first column not a timestamp',
      columns: [v, ts],
      tags: [pt],
      rule: /first column "v" must be TIMESTAMP/,
    },
    { name: 'only a timestamp', columns: [ts], tags: [pt], rule: /at least one column besides/ },
    { name: 'no tags', columns: [ts, v], tags: [], rule: /1 to 128 tags/ },
    {
      name: 'no primary tag',
      columns: [ts, v],
      tags: [{ ...pt, primary: false, nullable: true }],
      rule: /at least one primary tag/,
    },
    {
      name: 'five primary tags',
      columns: [ts, v],
      tags: [1, 2, 3, 4, 5].map((i) => ({ ...pt, name: `p${i}` })),
      rule: /max number of primary tags is 4/,
    },
    {
      name: 'nullable primary tag',
      columns: [ts, v],
      tags: [{ ...pt, nullable: true }],
      rule: /can not be a nullable tag as primary tag/,
    },
    {
      name: 'FLOAT8 primary tag',
      columns: [ts, v],
      tags: [{ ...pt, type: 'FLOAT8' as const }],
      rule: /FLOAT8 is not supported for primary tag/,
    },
    {
      name: 'VARBYTES primary tag',
      columns: [ts, v],
      tags: [{ ...pt, type: 'VARBYTES' as const }],
      rule: /VARBYTES is not supported for primary tag/,
    },
    {
      name: 'primary VARCHAR over 128',
      columns: [ts, v],
      tags: [{ ...pt, length: 129 }],
      rule: /length 129 is outside 1..128/,
    },
    {
      name: 'NVARCHAR tag',
      columns: [ts, v],
      tags: [pt, { name: 'n', type: 'NVARCHAR' as const, primary: false, nullable: true }],
      rule: /cannot be NVARCHAR/,
    },
    {
      name: 'TIMESTAMP tag',
      columns: [ts, v],
      tags: [pt, { name: 'n', type: 'TIMESTAMP' as const, primary: false, nullable: true }],
      rule: /cannot be TIMESTAMP/,
    },
    {
      name: 'GEOMETRY tag',
      columns: [ts, v],
      tags: [pt, { name: 'n', type: 'GEOMETRY' as const, primary: false, nullable: true }],
      rule: /cannot be GEOMETRY/,
    },
    {
      name: 'VARCHAR over 65534',
      columns: [ts, { name: 's', type: 'VARCHAR' as const, length: 65535 }],
      tags: [pt],
      rule: /outside 1..65534/,
    },
    {
      name: 'CHAR over 1023',
      columns: [ts, { name: 's', type: 'CHAR' as const, length: 1024 }],
      tags: [pt],
      rule: /outside 1..1023/,
    },
    {
      name: 'NCHAR over 254',
      columns: [ts, { name: 's', type: 'NCHAR' as const, length: 255 }],
      tags: [pt],
      rule: /outside 1..254/,
    },
    { name: 'duplicate name', columns: [ts, v], tags: [{ ...pt, name: 'v' }], rule: /"v" is used twice/ },
  ])('refuses $name', ({ columns, tags, rule }) => {
    const b = batch(columns, tags);
    expect(() => tableFromBatch(b, 'kwdb')).toThrow(TableDefinitionError);
    expect(() => tableFromBatch(b, 'kwdb')).toThrow(rule);
  });

  it('refuses invalid names with IdentifierError', () => {
    expect(() => tableFromBatch(batch([ts, { name: '温度', type: 'FLOAT8' }], [pt]), 'kwdb')).toThrow(
      IdentifierError,
    );
    expect(() => tableFromBatch({ ...batch([ts, v], [pt]), table: 'a"b' }, 'postgres')).toThrow(
      IdentifierError,
    );
  });
});

describe('additionsFromBatch (KWDB ADD COLUMN / ADD TAG rules, ts-column.md, ts-label.md)', () => {
  const table = tableFromBatch(batch([ts, v], [pt]), 'kwdb');
  const adding = (columns: ColumnDef[], tags: TagDef[]): Batch => ({
    ...batch(columns, tags),
    canAddColumns: true,
  });

  it('lists the value columns and ordinary tags the table lacks, nullable, with KWDB default lengths', () => {
    expect(
      additionsFromBatch(
        adding(
          [ts, v, { name: 'w', type: 'VARCHAR' }, { name: 'n', type: 'INT8' }],
          [pt, { name: 'dc', type: 'VARCHAR', primary: false, nullable: false }],
        ),
        table,
        'kwdb',
      ),
    ).toEqual({
      columns: [
        { name: 'w', type: 'VARCHAR', length: 254, nullable: true },
        { name: 'n', type: 'INT8', nullable: true },
      ],
      // KWDB cannot add NOT NULL tags: added tags are always nullable.
      tags: [{ name: 'dc', type: 'VARCHAR', length: 254, nullable: true, primary: false }],
    });
  });

  it('adds nothing when the table has everything, and never the timestamp column', () => {
    expect(
      additionsFromBatch(adding([{ name: 'time', type: 'TIMESTAMPTZ' }, v], [pt]), table, 'kwdb'),
    ).toEqual({
      columns: [],
      tags: [],
    });
  });

  it('refuses a primary tag the table lacks with a SchemaMismatchError (primary tags cannot be added)', () => {
    const other: TagDef = { name: 'site', type: 'VARCHAR', primary: true, nullable: false };
    expect(() => additionsFromBatch(adding([ts, v], [pt, other]), table, 'kwdb')).toThrow(
      SchemaMismatchError,
    );
    expect(() => additionsFromBatch(adding([ts, v], [pt, other]), table, 'kwdb')).toThrow(
      'table "t", column "site": expected the table\'s primary tags ("dev"), found a primary tag the table does not have (primary tags cannot be added)',
    );
  });

  it.each([
    {
      name: 'a GEOMETRY tag',
      tags: [pt, { name: 'g', type: 'GEOMETRY' as const, primary: false, nullable: true }],
      columns: [ts, v],
      rule: /cannot be GEOMETRY/,
    },
    {
      name: 'VARCHAR over 65534',
      tags: [pt],
      columns: [ts, v, { name: 's', type: 'VARCHAR' as const, length: 65535 }],
      rule: /outside 1..65534/,
    },
  ])('refuses $name', ({ columns, tags, rule }) => {
    expect(() => additionsFromBatch(adding(columns, tags), table, 'kwdb')).toThrow(TableDefinitionError);
    expect(() => additionsFromBatch(adding(columns, tags), table, 'kwdb')).toThrow(rule);
  });

  it('refuses an invalid name with IdentifierError', () => {
    expect(() =>
      additionsFromBatch(adding([ts, v, { name: 'a"b', type: 'INT4' }], [pt]), table, 'postgres'),
    ).toThrow(IdentifierError);
  });
});
