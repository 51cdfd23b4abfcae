package dev.nines.tsdb.wal;

import dev.nines.tsdb.Label;
import java.util.List;

/**
 * One series as the WAL logs it: the head's reference and the series' labels.
 *
 * @param ref the head's identifier for the series
 * @param labels the labels of the series, in the order the head keeps them
 */
public record SeriesRecord(long ref, List<Label> labels) {
  /** Copies the labels. */
  public SeriesRecord {
    labels = List.copyOf(labels);
  }
}
