// One claimed table: read pages after its cursor, emit them, store the cursor, repeat.
// A query every query.interval.ms, or at once again while the table is behind. Database and
// Kafka errors are retried with backoff (nothing is skipped: the cursor only moves after Kafka
// acknowledged the page); a dropped table ends the loop without failing the task. A record larger
// than its topic's max.message.bytes fails the task (errors.tolerance=none) or is skipped (all).
import { FormatError, type Protocol, type Precision, type Row } from '@kwdb-connect/formats';
import {
  KwdbClientError,
  TableNotFoundError,
  type Cursor,
  type KwdbClient,
  type TableSchema,
} from '@kwdb-connect/kwdb-client';
import type { Logger, SourceOffset } from '@kwdb-connect/runtime';
import type { ErrorKind, SourceMetrics } from '../metrics';
import type { EmitOutcome, Emitter } from '../produce/emitter';
import { oversizedRecords, recordBytes } from '../produce/record-size';
import { messagePrecision, toMessages, type OutMessage } from '../produce/records';
import { olderThanRetention, type TopicLimits } from '../produce/retention';
import { decodeCursor, encodeCursor, primaryTagTypes } from './cursor-codec';
import { delayCutoff, planPage } from './page';
import { permanentError, recordTooLargeError, type TooLargeRecord } from './step-error';

export interface TableLoopSettings {
  fetchMaxRows: number;
  queryIntervalMs: number;
  delayMs: number;
  format: Protocol;
  /** timestamp.precision when the user set it. */
  precision: Precision | undefined;
  /** exactly.once.source.support=enabled: pages are transactions of the fenced claim producer. */
  exactlyOnce: boolean;
  /** record.timestamp: the Kafka timestamp of a record, produce time or the row's time. */
  recordTimestamp: 'produce_time' | 'row_time';
  /**
   * errors.tolerance: `all` skips rows the format cannot express and records larger than the
   * topic's max.message.bytes; `none` fails the task.
   */
  tolerateEncodeErrors: boolean;
}

export interface TableLoopContext {
  client: KwdbClient;
  /**
   * The emitter for a table's pages. Exactly-once: fences the previous owner of the table's claim
   * (ADR 0011) before it resolves, so it must be called before the cursor is read.
   */
  emitterFor(table: string): Promise<Emitter>;
  /** The claim's producer behind `emitter` was fenced: forget it (a new one is made on demand). */
  onFenced(table: string, emitter: Emitter): Promise<void>;
  /** Records that the task produced to `topic` (topic tracking, GET /connectors/{name}/topics). */
  topicUsed(topic: string): void;
  metrics: SourceMetrics;
  logger: Logger;
  settings: TableLoopSettings;
  /** `<db>.<table>`: the table's key in the offsets topic. */
  tableKey(table: string): string;
  /** The topic of a table (throws SourceWorkerError for an illegal name). */
  topicFor(table: string): string;
  /** Creates the topic when missing; returns its max.message.bytes and retention.ms. */
  ensureTopic(topic: string): Promise<TopicLimits>;
  /** The stored cursor of a table, read to the end of the offsets topic. */
  storedCursor(table: string): Promise<SourceOffset | undefined>;
  /** Where a table without a stored cursor starts (timestamp.initial or every row). */
  initialCursor: Cursor | null;
  stillOwns(table: string, generation: number): boolean;
  onDropped(table: string): void;
  onFatal(error: unknown): void;
}

/** What survives a loop between generations while the task keeps the table. */
export interface TableState {
  table: string;
  schema?: TableSchema;
  topic?: string;
  /** The topic's max.message.bytes, read when the topic was ensured. */
  maxMessageBytes?: number;
  /** The topic's retention.ms (undefined: unlimited), for the record.timestamp=row_time warning. */
  retentionMs?: number | undefined;
  /** Whether the row_time retention warning was logged for this table. */
  retentionWarned?: boolean;
  /** undefined: not loaded from the offsets topic yet. */
  cursor?: Cursor | null;
  /**
   * At-least-once: `cursor` is that of a page Kafka acknowledged but whose cursor write was
   * abandoned (a generation change in between). It is stored at the next poll that finds nothing
   * new, so the offsets topic catches up even when no later row comes.
   */
  cursorUnstored?: boolean;
}

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

export class TableLoop {
  private stopped = false;
  private wake: (() => void) | undefined;
  private done: Promise<void> = Promise.resolve();
  private failures = 0;

  /** Set by prepare() (after fencing); undefined again after a fence or a failed page. */
  private emitter: Emitter | undefined;

  constructor(
    private readonly ctx: TableLoopContext,
    readonly state: TableState,
    readonly generation: number,
    /**
     * At-least-once only: wait before the first read of a table just taken over, so the rebalances
     * that follow a start settle before a page goes out (a page sent in a generation that ends
     * before its cursor is stored is sent again). Not a safety mechanism: exactly-once fences.
     */
    private readonly settleMs = 0,
  ) {}

  start(): void {
    this.done = this.run();
  }

  /** Stops after the page in flight (its cursor is stored or abandoned, never half-done). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
  }

  private get log(): Logger {
    return this.ctx.logger;
  }

  private async run(): Promise<void> {
    const { table } = this.state;
    try {
      if (this.settleMs > 0) await this.sleep(this.settleMs);
      while (!this.stopped && this.ctx.stillOwns(table, this.generation)) {
        let behind = false;
        const ok = await this.attempt('query', async () => {
          if (this.emitter === undefined || this.state.cursor === undefined) await this.prepare();
          behind = await this.once();
          return true;
        });
        if (this.stopped) break;
        if (!ok) continue; // attempt slept its backoff
        if (!behind) await this.sleep(this.ctx.settings.queryIntervalMs);
      }
    } catch (error) {
      if (error instanceof TableNotFoundError) {
        this.log.info({ table }, 'table no longer exists; stopped reading it');
        this.ctx.onDropped(table);
        return;
      }
      this.ctx.onFatal(error);
    }
  }

  /**
   * Runs one step; transient errors are counted, logged and slept off (false); permanent ones
   * are thrown (`permanentError`).
   */
  private async attempt(kind: ErrorKind, step: () => Promise<boolean>): Promise<boolean> {
    try {
      const result = await step();
      this.failures = 0;
      return result;
    } catch (error) {
      const permanent = permanentError(error, { table: this.state.table, topic: this.state.topic });
      if (permanent !== undefined) throw permanent;
      const phase: ErrorKind = error instanceof KwdbClientError ? kind : 'produce';
      this.ctx.metrics.error(phase);
      const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures);
      this.failures += 1;
      this.log.warn(
        { table: this.state.table, err: error, retryInMs: wait },
        `transient ${phase} error; retrying`,
      );
      await this.sleep(wait);
      return false;
    }
  }

  /**
   * Schema, topic, emitter and cursor of the table. The emitter comes first: under exactly-once
   * it fences the claim's previous owner, so the cursor read after it is final (ADR 0011).
   */
  private async prepare(): Promise<void> {
    const { state, ctx } = this;
    state.schema ??= await ctx.client.describeTable(state.table);
    if (state.topic === undefined || state.maxMessageBytes === undefined) {
      const topic = ctx.topicFor(state.table);
      const limits = await ctx.ensureTopic(topic);
      state.maxMessageBytes = limits.maxMessageBytes;
      state.retentionMs = limits.retentionMs;
      state.topic = topic;
    }
    if (this.emitter === undefined) {
      this.emitter = await ctx.emitterFor(state.table);
      // Exactly-once: after the fence the stored cursor is final; read it again. At-least-once
      // keeps the cursor of what Kafka acknowledged while this task kept the table.
      if (ctx.settings.exactlyOnce) state.cursor = undefined;
    }
    if (state.cursor === undefined) {
      const stored = await ctx.storedCursor(state.table);
      state.cursor =
        stored === undefined ? ctx.initialCursor : decodeCursor(stored, primaryTagTypes(state.schema));
      this.log.info(
        {
          table: state.table,
          topic: state.topic,
          cursorTs: state.cursor?.ts.toString() ?? null,
          stored: stored !== undefined,
        },
        'table claimed; reading after its cursor',
      );
    }
  }

  /** One query and its page. Returns whether the table is behind (query again at once). */
  private async once(): Promise<boolean> {
    const { state, ctx } = this;
    const schema = state.schema!;
    const settings = ctx.settings;
    const previous = state.cursor ?? null;
    const started = performance.now();
    // timestamp.delay.interval.ms: rows newer than now - delay are not read (readAfter's inclusive until).
    const until = delayCutoff(Date.now(), settings.delayMs);
    const { rows } = await ctx.client.readAfter(
      state.table,
      previous,
      settings.fetchMaxRows,
      until === undefined ? {} : { until },
    );
    ctx.metrics.queryDuration((performance.now() - started) / 1000);
    ctx.metrics.rowsPolled(state.table, rows.length);
    const plan = planPage(schema, rows, previous, settings.fetchMaxRows);
    if (plan.rows.length === 0) {
      if (state.cursorUnstored === true && previous !== null) await this.storeCursor(previous);
      return false;
    }

    const precision = messagePrecision(settings.format, schema.precision, settings.precision);
    const { messages, errors } = toMessages(
      schema,
      plan.rows,
      settings.format,
      precision,
      settings.recordTimestamp,
    );
    if (settings.recordTimestamp === 'row_time') this.warnIfPastRetention(plan.rows[0]!, schema);
    /** A page row's timestamp in ns, for errors and logs. */
    const rowTsOf = (row: number): string => String(plan.rows[row]![schema.columns[0]!.name]);
    for (const { row, error } of errors) {
      ctx.metrics.error('encode');
      const rowTs = rowTsOf(row);
      if (!settings.tolerateEncodeErrors) {
        throw new FormatError({
          code: error.code,
          message: `table ${state.table}, row with timestamp ${rowTs} ns cannot be written as ${settings.format}: ${error.message}`,
        });
      }
      this.log.warn(
        { table: state.table, rowTs, err: error },
        'row skipped: the format cannot express it (errors.tolerance=all)',
      );
    }

    const sendable = this.withoutOversized(messages, rowTsOf);
    let outcome: EmitOutcome;
    try {
      outcome = await this.emitter!.emit(
        {
          tableKey: ctx.tableKey(state.table),
          topic: state.topic!,
          messages: sendable,
          cursor: encodeCursor(plan.cursor!),
          maxMessageBytes: state.maxMessageBytes!,
        },
        () => ctx.stillOwns(state.table, this.generation),
      );
    } catch (error) {
      // Whether the page was stored is unknown (e.g. a commit whose answer was lost): the stored
      // cursor is the truth, so it is read again before the next page.
      state.cursor = undefined;
      throw error;
    }
    if (outcome === 'fenced') {
      // A newer owner of the claim (or the broker's transaction timeout) ended this producer's
      // epoch: the page was not committed. If the table is still ours, the next page fences anew
      // and reads the stored cursor again.
      this.log.warn(
        { table: state.table },
        'stale commit refused: the claim was fenced by a newer producer; the page was not stored',
      );
      ctx.metrics.error('claims');
      const fenced = this.emitter!;
      this.emitter = undefined;
      state.cursor = undefined;
      await ctx.onFenced(state.table, fenced);
      return false;
    }
    // Kafka acknowledged the records (committed them, under exactly-once): they count as produced,
    // their topic as used and their rows as emitted (source lag), whether or not the cursor is
    // stored after them.
    const acknowledged = (): void => {
      if (sendable.length > 0) ctx.topicUsed(state.topic!);
      ctx.metrics.produced(state.topic!, sendable.length);
      ctx.metrics.emitted(state.table, plan.cursor!.ts);
    };
    if (outcome === 'abandoned' && !settings.exactlyOnce) {
      // At-least-once: Kafka acknowledged the records; resuming after them loses nothing if this
      // task keeps the table (its state is forgotten when the table goes to another task).
      state.cursor = plan.cursor;
      state.cursorUnstored = true;
      acknowledged();
    }
    if (outcome === 'abandoned') {
      this.log.info(
        { table: state.table },
        'table released while a page was in flight; its cursor was not stored',
      );
      this.stopped = true;
      return false;
    }
    state.cursor = plan.cursor;
    state.cursorUnstored = false;
    acknowledged();
    ctx.metrics.cursorStored();
    return plan.behind;
  }

  /** Writes the cursor alone (a page without records), for `cursorUnstored`. */
  private async storeCursor(cursor: Cursor): Promise<void> {
    const { state, ctx } = this;
    const outcome = await this.emitter!.emit(
      {
        tableKey: ctx.tableKey(state.table),
        topic: state.topic!,
        messages: [],
        cursor: encodeCursor(cursor),
        maxMessageBytes: state.maxMessageBytes!,
      },
      () => ctx.stillOwns(state.table, this.generation),
    );
    if (outcome !== 'stored') return; // the table moved on again: the next owner decides
    state.cursorUnstored = false;
    ctx.metrics.cursorStored();
  }

  /**
   * The page's records its topic can accept. A larger one fails the task (errors.tolerance=none)
   * or is skipped, logged and counted (all); the cursor still moves past a skipped one.
   */
  private withoutOversized(messages: OutMessage[], rowTs: (row: number) => string): OutMessage[] {
    const { state, ctx } = this;
    const oversized = oversizedRecords(messages, state.maxMessageBytes!);
    for (const index of oversized) {
      const message = messages[index]!;
      const record: TooLargeRecord = {
        table: state.table,
        topic: state.topic!,
        rowTs: rowTs(message.row),
        key: message.key,
        bytes: recordBytes(message),
        maxMessageBytes: state.maxMessageBytes!,
      };
      ctx.metrics.error('encode');
      if (!ctx.settings.tolerateEncodeErrors) throw recordTooLargeError(record);
      this.log.warn(
        record,
        "record skipped: larger than the topic's max.message.bytes (errors.tolerance=all)",
      );
    }
    if (oversized.length === 0) return messages;
    const skip = new Set(oversized);
    return messages.filter((_, index) => !skip.has(index));
  }

  /** record.timestamp=row_time: warns once per table when its rows are older than the topic's retention. */
  private warnIfPastRetention(oldest: Row, schema: TableSchema): void {
    const { state } = this;
    if (state.retentionWarned) return;
    const rowMs = Number((oldest[schema.columns[0]!.name] as bigint) / 1_000_000n);
    if (!olderThanRetention(rowMs, Date.now(), state.retentionMs)) return;
    state.retentionWarned = true;
    this.log.warn(
      {
        table: state.table,
        topic: state.topic,
        rowTime: new Date(rowMs).toISOString(),
        retentionMs: state.retentionMs,
      },
      "record.timestamp=row_time: this table's rows are older than the topic's retention.ms; the broker deletes " +
        'them soon after they are produced (use record.timestamp=produce_time or raise retention.ms)',
    );
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
