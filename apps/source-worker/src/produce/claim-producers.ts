// Exactly-once fencing per claim (docs/adr/0011-source-claim-fencing.md).
//
// Every claims partition (ADR 0008) has its own transactional.id, `<connector>-source-claim-<p>`,
// whoever owns it. A task that takes over a partition first runs InitProducerId with that id
// (`fence`): the transaction coordinator bumps the producer epoch, aborts the previous owner's open
// transaction (or lets a commit already decided finish: kafkajs retries CONCURRENT_TRANSACTIONS
// until it has), and refuses every later send or commit of the previous owner with
// INVALID_PRODUCER_EPOCH. Only then does the new owner read the partition's tables' cursors, to the
// high watermark (ADR 0009): whatever the old owner committed is in them, nothing else can follow.
//
// Resource cost: one producer (one broker connection set) per claims partition that holds a table
// this task reads, created when its first table is taken, closed when the claims are revoked.
import type { Kafka, Producer } from 'kafkajs';
import type { Logger, OffsetStore } from '@kwdb-connect/runtime';
import { TransactionalEmitter, type BeforeCommit } from './emitter';

/** transaction.timeout.ms of the claim producers: a page's transaction lasts far less. */
export const TRANSACTION_TIMEOUT_MS = 20_000;

/** The transactional.id of a claims partition: the claim's, not the task's. */
export function claimTransactionalId(connector: string, partition: number): string {
  return `${connector}-source-claim-${partition}`;
}

export interface ClaimProducersOptions {
  kafka: Kafka;
  offsets: OffsetStore;
  connector: string;
  logger: Logger;
  /** Test seam: runs after the ownership check, right before a transaction's commit. */
  beforeCommit?: BeforeCommit;
  /** transaction.timeout.ms; default TRANSACTION_TIMEOUT_MS. */
  transactionTimeoutMs?: number;
}

interface ClaimProducer {
  producer: Producer;
  /** The claims generation the fence was made for; a later generation fences again. */
  generation: number;
  /** Resolves once InitProducerId with the claim's id has fenced the previous owner. */
  fenced: Promise<TransactionalEmitter>;
  /** Set when `fenced` resolved. */
  emitter?: TransactionalEmitter;
}

export class ClaimProducers {
  private readonly byPartition = new Map<number, ClaimProducer>();

  constructor(private readonly options: ClaimProducersOptions) {}

  /** Number of open claim producers (for tests and logs). */
  get size(): number {
    return this.byPartition.size;
  }

  /**
   * Fences the previous owner of `partition` (once per claims generation) and returns the emitter
   * whose transactions use the claim's id. Concurrent callers share one InitProducerId.
   */
  async fence(partition: number, generation: number): Promise<TransactionalEmitter> {
    const existing = this.byPartition.get(partition);
    if (existing !== undefined && existing.generation === generation) return existing.fenced;
    if (existing !== undefined) await this.discard(partition, existing);
    if (this.byPartition.has(partition)) return this.fence(partition, generation);
    const { kafka, offsets, connector, logger, beforeCommit } = this.options;
    const transactionalId = claimTransactionalId(connector, partition);
    const producer = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.options.transactionTimeoutMs ?? TRANSACTION_TIMEOUT_MS,
    });
    const fenced = (async () => {
      await producer.connect();
      // kafkajs sends InitProducerId for a transactional id only when the first transaction
      // begins. An empty transaction makes it happen now; ending it sends nothing (no partitions).
      const empty = await producer.transaction();
      await empty.abort();
      logger.info({ partition, transactionalId }, 'claim fenced: previous owner can no longer commit');
      return new TransactionalEmitter(producer, offsets, connector, beforeCommit);
    })();
    const entry: ClaimProducer = { producer, generation, fenced };
    this.byPartition.set(partition, entry);
    void fenced.then(
      (emitter) => (entry.emitter = emitter),
      () => undefined,
    );
    // A failed fence is forgotten so the next attempt starts over with a new producer.
    fenced.catch(() => this.discard(partition, entry));
    return fenced;
  }

  /**
   * Closes the producer behind `emitter` after the broker said it was fenced (a newer owner, or
   * the transaction timed out); a producer already made in its place is kept.
   */
  async discardFenced(partition: number, emitter: unknown): Promise<void> {
    const entry = this.byPartition.get(partition);
    if (entry !== undefined && entry.emitter === emitter) await this.discard(partition, entry);
  }

  /** Closes the producers of generations before `generation` (claims revoked or reassigned). */
  async closeOlderThan(generation: number): Promise<void> {
    const old = [...this.byPartition.entries()].filter(([, entry]) => entry.generation < generation);
    await Promise.all(old.map(([p, entry]) => this.discard(p, entry)));
  }

  /** Closes every producer (the task stops). */
  async closeAll(): Promise<void> {
    await this.closeOlderThan(Number.POSITIVE_INFINITY);
  }

  private async discard(partition: number, entry: ClaimProducer): Promise<void> {
    if (this.byPartition.get(partition) === entry) this.byPartition.delete(partition);
    await entry.producer.disconnect().catch(() => undefined);
  }
}
