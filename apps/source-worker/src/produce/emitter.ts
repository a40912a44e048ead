// Sends one page of records and stores the table's cursor, only after Kafka acknowledged them.
//
// - AtLeastOnceEmitter (exactly.once.source.support=disabled, the default): records with
//   acks=all, then the cursor. A crash between the two re-sends, after restart, at most the
//   records produced since the table's last stored cursor: one page (<= fetch.max.rows rows).
// - TransactionalEmitter (enabled): records and cursor in one Kafka transaction of the producer
//   of the table's claim, transactional.id `<connector>-source-claim-<partition>`
//   (`claim-producers.ts`, ADR 0011); read_committed consumers see each row once. The next owner
//   of the claim fences this producer before it reads the cursor, so a commit that comes too late
//   is refused by the broker (outcome `fenced`) instead of duplicating rows.
//
// In both, the cursor is only stored while this task still owns the table (`stillOwned`);
// a transaction whose table was lost meanwhile is aborted.
import type { Message, Producer } from 'kafkajs';
import { isFencedError } from './fenced';
import type { OffsetStore, SourceOffset } from '@kwdb-connect/runtime';
import { recordBytes } from './record-size';
import type { OutMessage } from './records';

export interface Page {
  /** Offsets-topic table key `<db>.<table>`. */
  tableKey: string;
  topic: string;
  messages: OutMessage[];
  cursor: SourceOffset;
  /** The topic's max.message.bytes: no produce request carries a larger batch. */
  maxMessageBytes: number;
}

/**
 * stored: records and cursor written; abandoned: the table was lost before the cursor was stored;
 * fenced: the claim's next owner fenced this producer, the broker refused the transaction.
 */
export type EmitOutcome = 'stored' | 'abandoned' | 'fenced';

/** Test seam: awaited after the last ownership check, right before the transaction commits. */
export type BeforeCommit = (page: Page) => Promise<void>;

export interface Emitter {
  emit(page: Page, stillOwned: () => boolean): Promise<EmitOutcome>;
}

function kafkaMessages(messages: OutMessage[]): Message[] {
  return messages.map((m) =>
    m.timestamp === undefined
      ? { key: m.key, value: m.value }
      : { key: m.key, value: m.value, timestamp: m.timestamp },
  );
}

/**
 * Bytes of records per produce request. kafkajs puts all messages of one send for one partition
 * into one record batch and never splits it; the broker refuses a batch above the topic's
 * max.message.bytes (default 1 MiB) with MESSAGE_TOO_LARGE, so a page of fetch.max.rows records
 * is sent in chunks of at most this many bytes, or the topic's max.message.bytes when smaller
 * (`recordBytes` per record: key + value + overhead).
 */
export const MAX_SEND_BYTES = 512 * 1024;

/** Splits messages into consecutive chunks of at most `maxBytes` (a larger single record is its own chunk). */
export function chunkMessages<M extends { key: string; value: string }>(
  messages: M[],
  maxBytes = MAX_SEND_BYTES,
): M[][] {
  const chunks: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = recordBytes(m);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Sends a page's records in order, chunk after chunk (acks=all), no chunk above the topic's limit. */
async function sendAll(sender: Pick<Producer, 'send'>, page: Page): Promise<void> {
  for (const chunk of chunkMessages(page.messages, Math.min(MAX_SEND_BYTES, page.maxMessageBytes))) {
    await sender.send({ topic: page.topic, acks: -1, messages: kafkaMessages(chunk) });
  }
}

export class AtLeastOnceEmitter implements Emitter {
  constructor(
    private readonly producer: Producer,
    private readonly offsets: OffsetStore,
    private readonly connector: string,
  ) {}

  async emit(page: Page, stillOwned: () => boolean): Promise<EmitOutcome> {
    await sendAll(this.producer, page);
    if (!stillOwned()) return 'abandoned';
    await this.offsets.write(this.connector, page.tableKey, page.cursor);
    return 'stored';
  }
}

export class TransactionalEmitter implements Emitter {
  /** One transaction at a time per producer: pages of all tables queue here. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly producer: Producer,
    private readonly offsets: OffsetStore,
    private readonly connector: string,
    private readonly beforeCommit?: BeforeCommit,
  ) {}

  emit(page: Page, stillOwned: () => boolean): Promise<EmitOutcome> {
    const run = this.queue.then(() => this.emitNow(page, stillOwned));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async emitNow(page: Page, stillOwned: () => boolean): Promise<EmitOutcome> {
    if (!stillOwned()) return 'abandoned';
    const transaction = await this.producer.transaction();
    try {
      await sendAll(transaction, page);
      await this.offsets.write(this.connector, page.tableKey, page.cursor, { transaction });
      if (!stillOwned()) {
        await transaction.abort();
        return 'abandoned';
      }
      await this.beforeCommit?.(page);
      await transaction.commit();
      return 'stored';
    } catch (error) {
      if (transaction.isActive()) await transaction.abort().catch(() => undefined);
      if (isFencedError(error)) return 'fenced';
      throw error;
    }
  }
}
