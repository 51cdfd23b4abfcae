package dev.nines.tsdb.storage;

import dev.nines.common.Labels;

/**
 * A batch of samples written as one unit: nothing is visible or durable until {@link #commit()}
 * returns, and {@link #rollback()} discards the batch. Not thread-safe; one writer per appender.
 */
public interface Appender {
  /**
   * Adds a sample to the batch.
   *
   * @param ref the series reference returned by an earlier append for the same labels, or 0; it
   *     saves the label lookup on the hot path
   * @return the series reference, for the next append to the same series
   * @throws AppendException when the sample is refused (out of order, too old, over a limit); the
   *     batch stays usable for the samples after it
   */
  long append(long ref, Labels labels, long timestamp, double value) throws AppendException;

  /**
   * Makes the batch durable (under the configured fsync policy) and visible to queries. When it
   * returns, the samples are acknowledged.
   */
  void commit();

  /** Discards the batch. */
  void rollback();
}
