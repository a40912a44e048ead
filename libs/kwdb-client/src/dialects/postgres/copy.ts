// The postgres dialect's first try of a write: one binary COPY of the rows (ADR 0002, item 5).
// A COPY costs the server about a third less CPU than the upsert (no unnest, no conflict check),
// but fails as a whole when a key is already in the table: then the dialect sends the upsert,
// and CopyPolicy sends that table's next writes straight to the upsert for a while.

import type pg from 'pg';
import { serverSqlState } from '../../errors';

/**
 * After a COPY into a table met a key already there, that many writes of the table go straight to
 * the upsert before COPY is tried again. A table being replayed, or whose rows arrive in parts
 * (the OpenTSDB formats send one metric per record), does not pay a failed COPY per write.
 */
export const UPSERTS_AFTER_CONFLICT = 64;

/** Per table: whether a write tries COPY first. A decision only; the dialect does the I/O. */
export class CopyPolicy {
  private readonly upsertsLeft = new Map<string, number>();

  constructor(private readonly upsertsAfterConflict = UPSERTS_AFTER_CONFLICT) {}

  /** True when this write of `table` tries COPY first; counts a write that does not. */
  copyFirst(table: string): boolean {
    const left = this.upsertsLeft.get(table);
    if (left === undefined) return true;
    if (left <= 1) this.upsertsLeft.delete(table);
    else this.upsertsLeft.set(table, left - 1);
    return false;
  }

  /** The server refused a COPY into `table` (mostly: it met a key already there). */
  conflicted(table: string): void {
    this.upsertsLeft.set(table, this.upsertsAfterConflict);
  }
}

const policies = new WeakMap<pg.Pool, CopyPolicy>();

/** The policy of the tables written through `pool` (one database). */
export function policyFor(pool: pg.Pool): CopyPolicy {
  let policy = policies.get(pool);
  if (!policy) policies.set(pool, (policy = new CopyPolicy()));
  return policy;
}

/**
 * The server refused the COPY: nothing of it was written, and the upsert is sent instead, whose
 * outcome is the write's (the reference behaviour). Above all unique_violation (23505, a key
 * already in the table), but also whatever else the server may refuse in a COPY that the upsert
 * accepts or reports in its own words. A lost connection is not a refusal: it is thrown.
 */
export function refusedByServer(e: unknown): boolean {
  return serverSqlState(e) !== undefined;
}

/** The calls on node-postgres's connection that a COPY FROM STDIN makes (not in its type declarations). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * One `COPY ... FROM STDIN` with all its data at hand, as a node-postgres Submittable. The query,
 * the data and CopyDone go out together, without waiting for the server's CopyInResponse: one
 * round trip per write instead of two. That is safe with PostgreSQL: if the server refuses the
 * COPY before reading the data (no such table, say), it answers ErrorResponse and ReadyForQuery,
 * and then ignores the CopyData and CopyDone it reads outside a COPY (postgres.c, "Accept but
 * ignore these messages"); the next query on the session comes after them on the socket.
 * `callback` gets the rows copied once the server is ready again, or the error (after which
 * node-postgres reports nothing more to this query). Written here rather than taken from
 * pg-copy-streams, a Writable stream: a stream whose write waits for 'drain' when the server
 * already refused the COPY (a key already in the table) then sends CopyDone on a connection it
 * has dropped, and throws.
 */
class CopyIn implements pg.Submittable {
  private rows = 0;

  constructor(
    readonly text: string,
    private readonly data: Buffer,
    readonly callback: (error: Error | null, rows?: number) => void,
  ) {}

  submit(connection: pg.Connection): void {
    const copy = connection as unknown as CopyConnection;
    copy.query(this.text);
    copy.sendCopyFromChunk(this.data);
    copy.endCopyFrom();
  }

  /** The data went out with the query (submit). */
  handleCopyInResponse(): void {}

  handleCommandComplete(message: { text?: string }): void {
    const match = /^COPY (\d+)$/.exec(message.text ?? '');
    if (match) this.rows = Number(match[1]);
  }

  handleReadyForQuery(): void {
    this.callback(null, this.rows);
  }

  handleError(error: Error): void {
    this.callback(error);
  }
}

/**
 * Sends `data` (a whole binary COPY stream) with `sql` on a client of the pool; the rows copied.
 * As pool.query does: while the client is out, a lost connection is an error of this call (the
 * client's 'error' event is listened to), and the client is then released as broken, so the pool
 * drops it. A server error (such as a key already there) leaves the session usable: kept.
 */
export async function copyRows(pool: pg.Pool, sql: string, data: Buffer): Promise<number> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error): void => {
    lost = error;
  };
  client.on('error', onError);
  try {
    return await new Promise<number>((resolve, reject) => {
      client.query(new CopyIn(sql, data, (error, rows) => (error ? reject(error) : resolve(rows ?? 0))));
    });
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}
