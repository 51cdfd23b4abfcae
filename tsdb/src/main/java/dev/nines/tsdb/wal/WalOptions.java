package dev.nines.tsdb.wal;

import java.time.Duration;
import java.util.Objects;

/**
 * The configuration of a WAL writer, validated on construction.
 *
 * @param maxSegmentBytes the size at which a segment is closed and the next started
 * @param fsyncPolicy when appends are forced to disk
 * @param batchInterval the least time between two group fsyncs under {@link FsyncPolicy#BATCH}
 */
public record WalOptions(long maxSegmentBytes, FsyncPolicy fsyncPolicy, Duration batchInterval) {
  /** The default segment size, 128 MiB. */
  public static final long DEFAULT_MAX_SEGMENT_BYTES = 128L << 20;

  /** The smallest segment size accepted, 1 KiB. */
  public static final long MIN_SEGMENT_BYTES = 1024;

  /** The largest segment size accepted, 1 GiB. */
  public static final long MAX_SEGMENT_BYTES = 1L << 30;

  /** The default group-commit interval, 10 ms. */
  public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(10);

  /** Validates the options, naming the field at fault. */
  public WalOptions {
    Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
    Objects.requireNonNull(batchInterval, "batchInterval");
    if (maxSegmentBytes < MIN_SEGMENT_BYTES || maxSegmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "maxSegmentBytes must be between "
              + MIN_SEGMENT_BYTES
              + " and "
              + MAX_SEGMENT_BYTES
              + ", got "
              + maxSegmentBytes);
    }
    if (batchInterval.isNegative() || batchInterval.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException(
          "batchInterval must be between 0 and 10s, got " + batchInterval);
    }
  }

  /** The defaults: 128 MiB segments, {@link FsyncPolicy#BATCH} every 10 ms. */
  public static WalOptions defaults() {
    return new WalOptions(DEFAULT_MAX_SEGMENT_BYTES, FsyncPolicy.BATCH, DEFAULT_BATCH_INTERVAL);
  }

  /** These options with another fsync policy. */
  public WalOptions withFsyncPolicy(FsyncPolicy policy) {
    return new WalOptions(maxSegmentBytes, policy, batchInterval);
  }

  /** These options with another segment size. */
  public WalOptions withMaxSegmentBytes(long bytes) {
    return new WalOptions(bytes, fsyncPolicy, batchInterval);
  }

  /** These options with another group-commit interval. */
  public WalOptions withBatchInterval(Duration interval) {
    return new WalOptions(maxSegmentBytes, fsyncPolicy, interval);
  }
}
