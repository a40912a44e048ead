// Which offset of a partition is safe to commit. Kafka commits "the next offset to read": committing
// N says every record below N is done (written, or dead-lettered under errors.tolerance=all).

/**
 * The offset to commit for one partition's batch: one past the last record of the longest prefix of
 * done records. `undefined` when the first record is not done (nothing new may be committed).
 * @param offsets the batch's offsets in ascending order (decimal strings)
 * @param isDone whether the record at each index is done
 */
export function safeCommitOffset(
  offsets: readonly string[],
  isDone: (index: number) => boolean,
): string | undefined {
  let last = -1;
  while (last + 1 < offsets.length && isDone(last + 1)) last += 1;
  if (last < 0) return undefined;
  return (BigInt(offsets[last]!) + 1n).toString();
}

/** The consumer lag of a partition: high watermark minus the next offset to read, never below 0. */
export function partitionLag(highWatermark: string, nextOffset: string): number {
  const lag = BigInt(highWatermark) - BigInt(nextOffset);
  return lag > 0n ? Number(lag) : 0;
}
