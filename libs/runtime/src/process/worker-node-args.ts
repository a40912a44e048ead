// The Node.js flags every worker process runs with (the local supervisor passes them; a container
// sets them in NODE_OPTIONS). One place, so the supervisor, the benchmark and the docs agree.
//
// Why a heap limit: V8 grows the old generation lazily up to a limit it derives from the machine's
// memory, so a sink worker catching up held 186-199 MB RSS with only ~30 MB live. With the limit
// at 160 MiB, V8 collects earlier: peak RSS 130-139 MB at the same throughput (docs/benchmarks.md,
// sink-worker, "heap limit"; docs/adr/0010-worker-heap-limit.md). The limit must stay well above
// KWDB_CONNECT_MAX_BUFFERED_BYTES (default 64 MiB); raise both together.

/** The worker's V8 old-space limit in MiB. */
export const DEFAULT_WORKER_HEAP_MB = 160;

/** Node flags for a worker process, placed before the script path. */
export function workerNodeArgs(heapMb: number = DEFAULT_WORKER_HEAP_MB): string[] {
  if (!Number.isInteger(heapMb) || heapMb < 64) {
    throw new RangeError(`a worker heap limit must be a whole number of MiB, at least 64; got ${heapMb}`);
  }
  return [`--max-old-space-size=${heapMb}`];
}
