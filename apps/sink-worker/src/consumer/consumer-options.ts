// kafkajs consumer settings derived from the connector config and the worker environment. Pure.
import type { ConsumerConfig, ConsumerRunConfig } from 'kafkajs';

/** Kafka Connect names a sink connector's consumer group `connect-<connector name>`. */
export function groupIdFor(connectorName: string): string {
  return `connect-${connectorName}`;
}

/** How many partitions' batches are processed at once: decode of one overlaps the database write of another. */
export const PARTITIONS_CONSUMED_CONCURRENTLY = 3;

export interface FetchBounds {
  /** Bytes of one fetch response (all partitions). */
  maxBytes: number;
  /** Bytes per partition in one fetch response. */
  maxBytesPerPartition: number;
}

/** One fetch gets this fraction of KWDB_CONNECT_MAX_BUFFERED_BYTES (see fetchBounds). */
export const FETCH_SHARE_OF_BUFFER = 16;

/**
 * Memory bound. kafkajs keeps a whole fetch response (its messages, and our SinkRecord views of
 * them) alive until every partition batch of it is written, so that is what the budget bounds:
 * one fetch gets 1/16 of KWDB_CONNECT_MAX_BUFFERED_BYTES (default 64 MiB -> 4 MiB). The rest of
 * the budget is what those bytes cost as message objects and copies, plus the garbage V8 keeps
 * until its next old-generation collection. Decoded rows are bounded separately (about
 * batch.size rows per partition in flight, pipeline/process-records.ts). A partition gets a third
 * of a fetch, so a full fetch is one equal batch per PARTITIONS_CONSUMED_CONCURRENTLY lane: kafkajs
 * fetches again only when every batch of a fetch is written, and with 1 MiB per partition (the cap
 * until issue 17's fourth round) a 4 MiB fetch was four batches on three lanes, the fourth written
 * alone while two lanes and the next fetch waited (3.8 % more rows/s without the cap, mean of six
 * paired runs, docs/benchmarks.md). Measured before: with 4 MiB fetches a 1M-row catch-up peaked
 * at 186-196 MB RSS at the throughput of 6 MiB ones (202-205 MB); 2 MiB fetches (806-record
 * partition batches) lost 10-15 % of the throughput.
 */
export function fetchBounds(maxBufferedBytes: number): FetchBounds {
  const maxBytes = Math.max(1024, Math.floor(maxBufferedBytes / FETCH_SHARE_OF_BUFFER));
  const perPartition = Math.floor(maxBytes / PARTITIONS_CONSUMED_CONCURRENTLY);
  return { maxBytes, maxBytesPerPartition: Math.max(1024, perPartition) };
}

export function consumerConfig(connectorName: string, maxBufferedBytes: number): ConsumerConfig {
  const bounds = fetchBounds(maxBufferedBytes);
  return {
    groupId: groupIdFor(connectorName),
    maxBytes: bounds.maxBytes,
    maxBytesPerPartition: bounds.maxBytesPerPartition,
    // Latency: the broker answers a fetch after at most 100 ms even when little data is waiting.
    maxWaitTimeInMs: 100,
    // A killed replica's partitions move after at most 10 s (the retry loop heartbeats during outages).
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    rebalanceTimeout: 60_000,
    // Kafka Connect's sink consumers use read_committed semantics only with EOS producers; plain reads here.
    readUncommitted: false,
    retry: { retries: 10 },
  };
}

export function runConfig(eachBatch: NonNullable<ConsumerRunConfig['eachBatch']>): ConsumerRunConfig {
  return {
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
    eachBatch,
  };
}
