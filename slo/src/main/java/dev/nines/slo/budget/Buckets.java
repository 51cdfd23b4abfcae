package dev.nines.slo.budget;

/**
 * Event buckets of one SLO: parallel arrays of bucket end times, good events and all events, in
 * time order. A bucket holds the events of the period that ends at its time (5 minutes for the
 * buckets the generated rules record).
 *
 * @param times bucket end times, milliseconds since the epoch, ascending
 * @param good good events per bucket
 * @param total all events per bucket, at least {@code good}
 */
public record Buckets(long[] times, double[] good, double[] total) {
  /** Creates buckets; the arrays must have one length and times must ascend. */
  public Buckets {
    if (times.length != good.length || times.length != total.length) {
      throw new IllegalArgumentException("times, good and total must have the same length");
    }
    for (int i = 1; i < times.length; i++) {
      if (times[i] < times[i - 1]) {
        throw new IllegalArgumentException("bucket times must ascend, at index " + i);
      }
    }
  }

  /** The number of buckets. */
  public int size() {
    return times.length;
  }

  /** Sums good and total events of the buckets ending in {@code (fromMillis, toMillis]}. */
  public Counts sum(long fromMillis, long toMillis) {
    double g = 0;
    double t = 0;
    for (int i = 0; i < times.length; i++) {
      if (times[i] > fromMillis && times[i] <= toMillis) {
        g += good[i];
        t += total[i];
      }
    }
    return new Counts(g, t);
  }

  /**
   * Good and total events.
   *
   * @param good good events
   * @param total all events
   */
  public record Counts(double good, double total) {
    /** The bad events: {@code total - good}, never negative. */
    public double errors() {
      return Math.max(0, total - good);
    }
  }
}
