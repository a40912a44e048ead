// Helpers for config-api's integration tests: an HTTP client for the real server, polling, and a
// log capture to check that no password ever reaches a log line.
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '@kwdb-connect/runtime';
import { waitFor } from '../src/demo/guide-flow';

export const FAKE_WORKER = join(import.meta.dirname, 'fake-worker.mjs');
export const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples');

export function example(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, unknown>;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export function client(baseUrl: () => string) {
  return async function call(method: string, path: string, body?: unknown, raw?: string): Promise<Reply> {
    const init: RequestInit = { method, headers: { 'Content-Type': 'application/json' } };
    if (raw !== undefined) init.body = raw;
    else if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(baseUrl() + path, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
}

/** Polls `probe` until it returns a value (not undefined) or the time is up (20 s by default). */
export function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  return waitFor(probe, what, timeoutMs);
}

/** A logger whose lines are kept in memory. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}
