package dev.nines.tsdb.wal;

import dev.nines.common.Labels;
import java.util.Objects;

/**
 * One series as the WAL logs it: the head's reference and the series' labels.
 *
 * @param ref the head's identifier for the series
 * @param labels the labels of the series, written in their sorted order
 */
public record SeriesRecord(long ref, Labels labels) {
  /** Checks that the labels are present. */
  public SeriesRecord {
    Objects.requireNonNull(labels, "labels");
  }
}
