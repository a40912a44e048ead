import { describe, expect, it } from '@jest/globals';
import type { TableSchema } from '@kwdb-connect/kwdb-client';
import { messagePrecision, recordTimestamp, toMessages } from './records';

const schema: TableSchema = {
  name: 'cpu',
  precision: 'ms',
  columns: [
    { name: 'k_timestamp', type: 'TIMESTAMP', length: 64, nullable: false },
    { name: 'usage_user', type: 'INT8', length: 64, nullable: true },
  ],
  tags: [
    { name: 'id', type: 'INT8', length: 64, nullable: false, primary: true },
    { name: 'hostname', type: 'VARCHAR', length: 254, nullable: false, primary: false },
  ],
};

describe('messagePrecision', () => {
  const cases = [
    {
      name: 'json_kaiwudb follows the table',
      format: 'json_kaiwudb',
      table: 'ns',
      configured: undefined,
      out: 'ns',
    },
    {
      name: 'line_influxdb follows the table',
      format: 'line_influxdb',
      table: 'us',
      configured: undefined,
      out: 'us',
    },
    { name: 'json_opentsdb: ms', format: 'json_opentsdb', table: 'ns', configured: undefined, out: 'ms' },
    { name: 'line_opentsdb: ms', format: 'line_opentsdb', table: 'ms', configured: undefined, out: 'ms' },
    {
      name: 'timestamp.precision set: it wins',
      format: 'json_kaiwudb',
      table: 'ns',
      configured: 's',
      out: 's',
    },
  ] as const;
  for (const c of cases)
    it(c.name, () => expect(messagePrecision(c.format, c.table, c.configured)).toBe(c.out));
});

describe('recordTimestamp', () => {
  it('ns -> ms text', () => expect(recordTimestamp(1705962142224999999n)).toBe('1705962142224'));
  it('before 1970: none', () => expect(recordTimestamp(-1n)).toBeUndefined());
});

describe('toMessages', () => {
  it('record.timestamp=produce_time (default): no record timestamp, the producer stamps its time', () => {
    const rows = [{ k_timestamp: 1705962142224000000n, usage_user: 1n, id: 1n, hostname: 'a' }];
    expect(toMessages(schema, rows, 'json_kaiwudb', 'ms').messages[0]!.timestamp).toBeUndefined();
  });
  it('one json_kaiwudb record per row, keyed by table and primary tag, INT8 exact, row_time = row ms', () => {
    const rows = [
      { k_timestamp: 1705962142224000000n, usage_user: 1n, id: 647470401348904608n, hostname: 'a' },
      { k_timestamp: 1705962142225000000n, usage_user: 2n, id: 647470401348904608n, hostname: 'a' },
    ];
    const { messages, errors } = toMessages(schema, rows, 'json_kaiwudb', 'ms', 'row_time');
    expect(errors).toEqual([]);
    expect(messages).toHaveLength(2);
    expect(messages[0]!.key).toBe('["cpu","647470401348904608"]');
    expect(messages[0]!.timestamp).toBe('1705962142224');
    expect(messages[1]!.timestamp).toBe('1705962142225');
    expect(messages[0]!.value).toContain('"id":647470401348904608');
    expect(messages[0]!.value).toContain('"k_timestamp":1705962142224');
    expect(messages[0]!.value).toContain('"isPrimary":true');
  });
  it('a row the format cannot express is an error, the others are messages', () => {
    const rows = [
      { k_timestamp: 1705962142224000001n, usage_user: 1n, id: 1n, hostname: 'a' },
      { k_timestamp: 1705962142224000000n, usage_user: 1n, id: 2n, hostname: 'b' },
    ];
    const { messages, errors } = toMessages(schema, rows, 'json_kaiwudb', 'ms');
    expect(errors.map((e) => [e.row, e.error.code])).toEqual([[0, 'FORMAT_NOT_REPRESENTABLE']]);
    expect(messages).toHaveLength(1);
  });
});
