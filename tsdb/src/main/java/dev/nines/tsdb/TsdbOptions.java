package dev.nines.tsdb;

import dev.nines.tsdb.wal.WalOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * The configuration of an embedded tsdb: WAL, chunking, out-of-order window, limits and
 * checkpointing. Validated once on construction ({@link #validate()} names the field at fault),
 * read-only afterwards. See {@code docs/tsdb.md}.
 *
 * @param wal the write-ahead log's segment size and fsync policy
 * @param samplesPerChunk samples after which the head cuts a chunk (default 120)
 * @param chunkRange the time window no chunk crosses, aligned to the epoch (default 2 h); the block
 *     range
 * @param outOfOrderWindow how far behind a series' newest sample a late sample is still accepted;
 *     zero refuses every late sample
 * @param maxLabelNameBytes the most UTF-8 bytes in a label name
 * @param maxLabelValueBytes the most UTF-8 bytes in a label value
 * @param maxLabelsPerSeries the most labels in one series, {@code __name__} included
 * @param maxSeries the most series in the head; 0 for no limit
 * @param maxSeriesPerMetric the most series with one metric name; 0 for no limit
 * @param nameValidation which metric and label names are valid
 * @param checkpointAfterSegments the number of finished WAL segments after the last checkpoint that
 *     triggers the next checkpoint
 * @param retention how long blocks are kept: a block whose end is older than the newest block's end
 *     minus this is deleted; zero keeps blocks forever (by time)
 * @param retentionBytes the most bytes blocks, WAL and head chunk files ({@code chunks_head/}) may
 *     take together; the oldest blocks are deleted until they fit; 0 for no limit
 * @param compactionInterval how often the background compactor looks for a head block to cut,
 *     blocks to compact and blocks to delete; zero runs no compactor (only explicit calls)
 * @param maxOutOfOrderSamplesPerSeries the most samples one series' out-of-order buffer holds
 *     (default 1,024, 16 bytes each); a late sample beyond it is refused with {@code
 *     OUT_OF_ORDER_CAP}
 */
public record TsdbOptions(
    WalOptions wal,
    int samplesPerChunk,
    Duration chunkRange,
    Duration outOfOrderWindow,
    int maxLabelNameBytes,
    int maxLabelValueBytes,
    int maxLabelsPerSeries,
    long maxSeries,
    long maxSeriesPerMetric,
    NameValidation nameValidation,
    int checkpointAfterSegments,
    Duration retention,
    long retentionBytes,
    Duration compactionInterval,
    int maxOutOfOrderSamplesPerSeries) {

  /** Which names Prometheus accepts for metrics and labels. */
  public enum NameValidation {
    /** Any non-empty, valid UTF-8 name: the Prometheus 3 default. */
    UTF8,
    /**
     * The classic rules: metric names {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names {@code
     * [a-zA-Z_][a-zA-Z0-9_]*}.
     */
    LEGACY
  }

  /** Validates the options on construction. */
  public TsdbOptions {
    validate(
        wal,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
  }

  /**
   * The defaults: WAL defaults, 120-sample chunks in 2 h ranges, no OOO window (and a cap of 1,024
   * late samples per series once one is set), no series limit.
   */
  public static TsdbOptions defaults() {
    return new TsdbOptions(
        WalOptions.defaults(),
        120,
        Duration.ofHours(2),
        Duration.ZERO,
        1024,
        4096,
        64,
        0,
        0,
        NameValidation.UTF8,
        3,
        Duration.ofDays(15),
        0,
        Duration.ofMinutes(1),
        1024);
  }

  /**
   * Checks every field and throws {@link IllegalArgumentException} with a message naming the first
   * field at fault; returns these options. Construction already calls it.
   */
  public TsdbOptions validate() {
    validate(
        wal,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
    return this;
  }

  private static void validate(
      WalOptions wal,
      int samplesPerChunk,
      Duration chunkRange,
      Duration outOfOrderWindow,
      int maxLabelNameBytes,
      int maxLabelValueBytes,
      int maxLabelsPerSeries,
      long maxSeries,
      long maxSeriesPerMetric,
      NameValidation nameValidation,
      int checkpointAfterSegments,
      Duration retention,
      long retentionBytes,
      Duration compactionInterval,
      int maxOutOfOrderSamplesPerSeries) {
    Objects.requireNonNull(wal, "wal");
    check(
        maxOutOfOrderSamplesPerSeries >= 1,
        "maxOutOfOrderSamplesPerSeries must be at least 1, got " + maxOutOfOrderSamplesPerSeries);
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(compactionInterval, "compactionInterval");
    check(!retention.isNegative(), "retention must not be negative, got " + retention);
    check(
        retentionBytes >= 0,
        "retentionBytes must be 0 (no limit) or positive, got " + retentionBytes);
    check(
        !compactionInterval.isNegative(),
        "compactionInterval must not be negative, got " + compactionInterval);
    Objects.requireNonNull(chunkRange, "chunkRange");
    Objects.requireNonNull(outOfOrderWindow, "outOfOrderWindow");
    Objects.requireNonNull(nameValidation, "nameValidation");
    check(
        samplesPerChunk >= 1 && samplesPerChunk <= 0xffff,
        "samplesPerChunk must be between 1 and 65535, got " + samplesPerChunk);
    check(chunkRange.toMillis() >= 1, "chunkRange must be at least 1ms, got " + chunkRange);
    check(
        !outOfOrderWindow.isNegative(),
        "outOfOrderWindow must not be negative, got " + outOfOrderWindow);
    check(maxLabelNameBytes >= 1, "maxLabelNameBytes must be at least 1, got " + maxLabelNameBytes);
    check(
        maxLabelValueBytes >= 1,
        "maxLabelValueBytes must be at least 1, got " + maxLabelValueBytes);
    check(
        maxLabelsPerSeries >= 1,
        "maxLabelsPerSeries must be at least 1, got " + maxLabelsPerSeries);
    check(maxSeries >= 0, "maxSeries must be 0 (no limit) or positive, got " + maxSeries);
    check(
        maxSeriesPerMetric >= 0,
        "maxSeriesPerMetric must be 0 (no limit) or positive, got " + maxSeriesPerMetric);
    check(
        checkpointAfterSegments >= 1,
        "checkpointAfterSegments must be at least 1, got " + checkpointAfterSegments);
    // The largest series the limits allow must fit in one WAL record: uvarint lengths take at most
    // 5 bytes each for these sizes, the ref 8, the label count 5.
    long largestSeries =
        (long) maxLabelsPerSeries * (maxLabelNameBytes + maxLabelValueBytes + 10L) + 13;
    check(
        largestSeries <= wal.maxSegmentBytes() - 9,
        "maxLabelsPerSeries * (maxLabelNameBytes + maxLabelValueBytes) allows series of up to "
            + largestSeries
            + " bytes, more than one WAL segment (wal.maxSegmentBytes "
            + wal.maxSegmentBytes()
            + ") holds; lower the label limits or raise the segment size");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** These options with another WAL configuration. */
  public TsdbOptions withWal(WalOptions w) {
    return new TsdbOptions(
        w,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
  }

  /** These options with another out-of-order window. */
  public TsdbOptions withOutOfOrderWindow(Duration window) {
    return new TsdbOptions(
        wal,
        samplesPerChunk,
        chunkRange,
        window,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
  }

  /** These options with other label limits. */
  public TsdbOptions withLabelLimits(int nameBytes, int valueBytes, int labelsPerSeries) {
    return new TsdbOptions(
        wal,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        nameBytes,
        valueBytes,
        labelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
  }

  /** These options with other series limits (0 for none). */
  public TsdbOptions withSeriesLimits(long total, long perMetric) {
    return new TsdbOptions(
        wal,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        total,
        perMetric,
        nameValidation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
  }

  /** These options with another name validation scheme. */
  public TsdbOptions withNameValidation(NameValidation validation) {
    return new TsdbOptions(
        wal,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        validation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
  }

  /** These options with another checkpoint trigger. */
  public TsdbOptions withCheckpointAfterSegments(int segments) {
    return new TsdbOptions(
        wal,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        segments,
        retention,
        retentionBytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
  }

  /** These options with other retention limits (zero for none). */
  public TsdbOptions withRetention(Duration time, long bytes) {
    return new TsdbOptions(
        wal,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        checkpointAfterSegments,
        time,
        bytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
  }

  /** These options with another compactor interval (zero: no background compactor). */
  public TsdbOptions withCompactionInterval(Duration interval) {
    return new TsdbOptions(
        wal,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        interval,
        maxOutOfOrderSamplesPerSeries);
  }

  /** These options with another block range (the chunk range: no chunk crosses it). */
  public TsdbOptions withChunkRange(Duration range) {
    return new TsdbOptions(
        wal,
        samplesPerChunk,
        range,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        compactionInterval,
        maxOutOfOrderSamplesPerSeries);
  }

  /** These options with another cap on each series' out-of-order buffer. */
  public TsdbOptions withMaxOutOfOrderSamplesPerSeries(int max) {
    return new TsdbOptions(
        wal,
        samplesPerChunk,
        chunkRange,
        outOfOrderWindow,
        maxLabelNameBytes,
        maxLabelValueBytes,
        maxLabelsPerSeries,
        maxSeries,
        maxSeriesPerMetric,
        nameValidation,
        checkpointAfterSegments,
        retention,
        retentionBytes,
        compactionInterval,
        max);
  }
}
