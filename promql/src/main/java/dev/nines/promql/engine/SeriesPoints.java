package dev.nines.promql.engine;

import dev.nines.common.Labels;
import java.util.Arrays;

/**
 * One series of a range vector or range-query result: labels and points in time order. The
 * accessors return the arrays without copying, and they may be shared (the series of a range-query
 * result with a value at every step share one timestamps array): nobody modifies them.
 */
public final class SeriesPoints {
  private final Labels labels;
  private final long[] timestamps;
  private final double[] values;

  /** A series; the arrays must have the same length and be in increasing time order. */
  public SeriesPoints(Labels labels, long[] timestamps, double[] values) {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
    this.labels = labels;
    this.timestamps = timestamps;
    this.values = values;
  }

  /** The series' labels. */
  public Labels labels() {
    return labels;
  }

  /** The number of points. */
  public int size() {
    return timestamps.length;
  }

  /** The timestamp of the i-th point, in milliseconds. */
  public long timestamp(int i) {
    return timestamps[i];
  }

  /** The value of the i-th point. */
  public double value(int i) {
    return values[i];
  }

  /** The timestamps (not a copy). */
  public long[] timestamps() {
    return timestamps;
  }

  /** The values (not a copy). */
  public double[] values() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesPoints s
        && labels.equals(s.labels)
        && Arrays.equals(timestamps, s.timestamps)
        && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return labels.hashCode() * 31 + Arrays.hashCode(timestamps);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(labels.toString()).append(" [");
    for (int i = 0; i < timestamps.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(values[i]).append(" @").append(timestamps[i]);
    }
    return b.append(']').toString();
  }
}
