import { describe, expect, it } from '@jest/globals';
import type { TableSchema } from '../types';
import { statedLength, withStatedLengths } from './lengths';

describe('stated lengths (json_kaiwudb, the guide source output example)', () => {
  it.each([
    ['TIMESTAMP', undefined, 64],
    ['TIMESTAMPTZ', undefined, 64],
    ['INT8', undefined, 64],
    ['INT4', undefined, 32],
    ['INT2', undefined, 16],
    ['FLOAT4', undefined, 32],
    ['FLOAT8', undefined, 64],
    ['BOOL', undefined, 1],
    ['VARCHAR', 254, 254],
    ['VARCHAR', 20, 20],
    ['VARCHAR', undefined, 254],
    ['NCHAR', 10, 10],
    ['NVARCHAR', undefined, 63],
    ['CHAR', undefined, 1],
    ['VARBYTES', 4, 4],
    ['GEOMETRY', undefined, undefined],
  ] as const)('%s (declared %s) -> %s', (type, length, stated) => {
    expect(statedLength(length === undefined ? { type } : { type, length })).toBe(stated);
  });

  it("gives the guide's cpu_kaiwudb_tb lengths to every column and tag, and leaves the input alone", () => {
    const schema: TableSchema = {
      name: 'cpu_kaiwudb_tb',
      precision: 'ms',
      columns: [
        { name: 'k_timestamp', type: 'TIMESTAMP', nullable: false },
        { name: 'usage_user', type: 'INT8', nullable: true },
      ],
      tags: [
        { name: 'id', type: 'INT8', nullable: false, primary: true },
        { name: 'hostname', type: 'VARCHAR', length: 254, nullable: false, primary: false },
      ],
    };
    const copy = structuredClone(schema);
    expect(withStatedLengths(schema)).toEqual({
      ...schema,
      columns: [
        { name: 'k_timestamp', type: 'TIMESTAMP', length: 64, nullable: false },
        { name: 'usage_user', type: 'INT8', length: 64, nullable: true },
      ],
      tags: [
        { name: 'id', type: 'INT8', length: 64, nullable: false, primary: true },
        { name: 'hostname', type: 'VARCHAR', length: 254, nullable: false, primary: false },
      ],
    });
    expect(schema).toEqual(copy);
  });
});
