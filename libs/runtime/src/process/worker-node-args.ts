// The Node.js flags a worker process runs with (the local supervisor passes them; a container
// sets them in NODE_OPTIONS). One place, so the supervisor, the benchmarks and the docs agree.
//
// Sink workers: a 160 MiB old-space limit. V8 grows the old generation lazily up to a limit it
// derives from the machine's memory, so a sink worker catching up held 186-199 MB RSS with about
// 30 MB live; with the limit V8 collects earlier: 130-141 MB at the same throughput. It must stay
// well above KWDB_CONNECT_MAX_BUFFERED_BYTES (default 64 MiB); raise both together.
//
// Source workers: no flag. A catch-up page is fetch.max.rows rows (10,000 in the benchmark) and
// their records; under a 160-1,024 MiB limit old-generation collections cost 15-25 % of catch-up
// rows/s, and the source has no memory aim. docs/adr/0010-worker-heap-limit.md has the numbers.

export type WorkerKind = 'sink' | 'source';

/** The sink worker's V8 old-space limit in MiB. */
export const SINK_WORKER_HEAP_MB = 160;

/** Node flags for a worker process of `kind`, placed before the script path. */
export function workerNodeArgs(kind: WorkerKind): string[] {
  return kind === 'sink' ? [`--max-old-space-size=${SINK_WORKER_HEAP_MB}`] : [];
}
