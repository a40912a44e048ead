// Limits that turn oversized input into clear errors instead of memory or CPU exhaustion.

export interface Limits {
  /** Largest message accepted, in bytes (UTF-8). Kafka's default max.message.bytes is about 1 MiB. */
  maxMessageBytes: number;
  /** Most rows (data points, lines) one message may hold. */
  maxRows: number;
  /** Most data columns one table definition may have (KWDB: 4096). */
  maxColumns: number;
  /** Most tags one table definition may have (KWDB: 128). */
  maxTags: number;
  /** Longest table, column or tag name, in UTF-8 bytes (KWDB: 128). */
  maxNameBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxMessageBytes: 16 * 1024 * 1024,
  maxRows: 100_000,
  maxColumns: 4096,
  maxTags: 128,
  maxNameBytes: 128,
});

/** The limits to apply: the defaults (shared, frozen) overridden by the caller's. */
export function resolveLimits(limits: Partial<Limits> | undefined): Readonly<Limits> {
  return limits === undefined ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, ...limits };
}

/** KWDB: at most 4 primary tags per table. */
export const MAX_PRIMARY_TAGS = 4;
