// Sends one page of records and stores the table's cursor, only after Kafka acknowledged them.
//
// - AtLeastOnceEmitter (exactly.once.source.support=disabled, the default): records with
//   acks=all, then the cursor. A crash between the two re-sends, after restart, at most the
//   records produced since the table's last stored cursor: one page (<= fetch.max.rows rows).
// - TransactionalEmitter (enabled): records and cursor in one Kafka transaction of the producer
//   with transactional.id `<connector>-source-<task>`; read_committed consumers see each row once.
//   A restarted task with the same id fences its zombie (initTransactions bumps the epoch); an
//   abandoned transaction of a dead task is aborted by the broker after transaction.timeout.ms.
//
// In both, the cursor is only stored while this task still owns the table (`stillOwned`);
// a transaction whose table was lost meanwhile is aborted.
import type { Message, Producer } from 'kafkajs';
import type { OffsetStore, SourceOffset } from '@kwdb-connect/runtime';
import type { OutMessage } from './records';

export interface Page {
  /** Offsets-topic table key `<db>.<table>`. */
  tableKey: string;
  topic: string;
  messages: OutMessage[];
  cursor: SourceOffset;
}

export type EmitOutcome = 'stored' | 'abandoned';

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

export class AtLeastOnceEmitter implements Emitter {
  constructor(
    private readonly producer: Producer,
    private readonly offsets: OffsetStore,
    private readonly connector: string,
  ) {}

  async emit(page: Page, stillOwned: () => boolean): Promise<EmitOutcome> {
    if (page.messages.length > 0) {
      await this.producer.send({ topic: page.topic, acks: -1, messages: kafkaMessages(page.messages) });
    }
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
      if (page.messages.length > 0) {
        await transaction.send({ topic: page.topic, acks: -1, messages: kafkaMessages(page.messages) });
      }
      await this.offsets.write(this.connector, page.tableKey, page.cursor, { transaction });
      if (!stillOwned()) {
        await transaction.abort();
        return 'abandoned';
      }
      await transaction.commit();
      return 'stored';
    } catch (error) {
      if (transaction.isActive()) await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}
