// `COPY ... FROM STDIN` with node-postgres, for the benchmark's ceiling: a pg "submittable" (the
// interface pg-copy-streams uses) that sends the given chunks of COPY text and resolves with the
// server's row count. No dependency: pg's Connection already has copyData/copyDone.
import type pg from 'pg';

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

class CopyFrom {
  private rowCount = 0;
  private error: Error | undefined;
  readonly done: Promise<number>;
  private settle!: (error: Error | undefined, rows: number) => void;

  constructor(
    readonly text: string,
    private readonly chunks: Buffer[],
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (error, rows) => (error ? reject(error) : resolve(rows));
    });
  }

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.chunks) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text: string }): void {
    this.rowCount = Number(/(\d+)$/.exec(message.text)?.[1] ?? 0);
  }

  handleError(error: Error): void {
    this.error = error;
  }

  handleReadyForQuery(): void {
    this.settle(this.error, this.rowCount);
  }

  handleEmptyQuery(): void {}
}

/** Runs `COPY <target> FROM STDIN` with the chunks as its data; returns the rows copied. */
export async function copyFrom(client: pg.Client, target: string, chunks: Buffer[]): Promise<number> {
  const copy = new CopyFrom(`COPY ${target} FROM STDIN`, chunks);
  void client.query(copy as unknown as pg.QueryConfig);
  return copy.done;
}
