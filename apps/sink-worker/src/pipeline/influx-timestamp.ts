// Workaround for a gap between libs/formats and libs/kwdb-client (reported): a line_influxdb batch
// names its timestamp column LINE_INFLUXDB_TIMESTAMP (''), meaning "the table's first column", but
// kwdb-client's batch check looks the name up literally and rejects '' as an unknown column. Until
// kwdb-client maps it, the sink renames '' to the real first column of the existing table, and
// stamps rows that had no timestamp with the time they were received (InfluxDB's rule).
import { LINE_INFLUXDB_TIMESTAMP, type Batch, type Row } from '@kwdb-connect/formats';

/**
 * @param timestampColumnOf the real first column of a table, or undefined when the table does not
 *   exist (the batch is then left as is and the client reports TABLE_NOT_FOUND per record)
 */
export async function resolveInfluxTimestamps(
  batches: Batch[],
  timestampColumnOf: (table: string) => Promise<string | undefined>,
  nowNs: () => bigint,
): Promise<Batch[]> {
  const out: Batch[] = [];
  for (const batch of batches) {
    const first = batch.columns[0];
    if (first === undefined || first.name !== LINE_INFLUXDB_TIMESTAMP) {
      out.push(batch);
      continue;
    }
    const real = await timestampColumnOf(batch.table);
    if (real === undefined) {
      out.push(batch);
      continue;
    }
    const stamp = nowNs();
    const rows = batch.rows.map((row) => {
      const copy: Row = { ...row };
      const ts = copy[LINE_INFLUXDB_TIMESTAMP];
      delete copy[LINE_INFLUXDB_TIMESTAMP];
      copy[real] = ts === undefined ? stamp : ts;
      return copy;
    });
    out.push({ ...batch, columns: [{ ...first, name: real }, ...batch.columns.slice(1)], rows });
  }
  return out;
}
