package dev.nines.tsdb.wal;

import java.util.List;

/**
 * What a replay read and what damage it dealt with; the counters become self metrics.
 *
 * @param checkpoint the number of the checkpoint replayed first, or -1 if none
 * @param segmentsRead segments read, checkpoint segments included
 * @param seriesRecords SERIES entries handed to the handler
 * @param sampleRecords SAMPLES records handed to the handler
 * @param samples samples handed to the handler
 * @param bytesRead bytes of valid records read
 * @param tailTruncations torn tails truncated
 * @param bytesTruncated bytes cut off by those truncations
 * @param corruptionsRepaired corrupt ranges moved aside (or missing segments skipped)
 * @param bytesMovedAside bytes moved into {@code corrupt/}
 * @param damages every damaged spot, in the order found
 */
public record ReplayResult(
    int checkpoint,
    int segmentsRead,
    long seriesRecords,
    long sampleRecords,
    long samples,
    long bytesRead,
    int tailTruncations,
    long bytesTruncated,
    int corruptionsRepaired,
    long bytesMovedAside,
    List<WalDamage> damages) {
  /** Copies the damage list. */
  public ReplayResult {
    damages = List.copyOf(damages);
  }
}
