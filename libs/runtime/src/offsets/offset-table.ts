// The in-memory view of the offsets topic: latest value per (connector, table) wins; a null
// value removes the entry. Pure; OffsetStore feeds it from Kafka.
import { parseOffsetKey, parseOffsetValue, type SourceOffset } from './offset-record';

export type OffsetApplyResult = 'updated' | 'deleted' | 'ignored';

export class OffsetTable {
  private readonly byConnector = new Map<string, Map<string, SourceOffset>>();

  /** Applies one record; foreign keys are ignored; a malformed value throws OffsetRecordError. */
  apply(key: string, value: string | null): OffsetApplyResult {
    const parsed = parseOffsetKey(key);
    if (parsed === undefined) return 'ignored';
    const offset = parseOffsetValue(value);
    const tables = this.byConnector.get(parsed.connector) ?? new Map<string, SourceOffset>();
    if (offset === null) tables.delete(parsed.table);
    else tables.set(parsed.table, offset);
    if (tables.size === 0) this.byConnector.delete(parsed.connector);
    else this.byConnector.set(parsed.connector, tables);
    return offset === null ? 'deleted' : 'updated';
  }

  /** A copy of the connector's offsets by table ("<db>.<table>"). */
  offsets(connector: string): Map<string, SourceOffset> {
    return new Map(this.byConnector.get(connector) ?? []);
  }
}
