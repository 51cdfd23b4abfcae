package dev.nines.tsdb.storage;

/**
 * A sample that storage refused, with the reason as a category callers count and branch on, and a
 * message naming the series.
 */
public final class AppendException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a sample was refused; each is counted under its own label in self metrics. */
  public enum Reason {
    /** Older than the newest sample of its series and outside the out-of-order window. */
    OUT_OF_ORDER,
    /** Same timestamp as the newest sample of its series, with a different value. */
    DUPLICATE_TIMESTAMP,
    /** Older than what the head still accepts at all (before the oldest block boundary). */
    TOO_OLD,
    /** A label name or value too long, too many labels, or an invalid name. */
    INVALID_LABELS,
    /** The global or per-metric series limit is reached. */
    SERIES_LIMIT,
    /**
     * Inside the out-of-order window, but the series' out-of-order buffer already holds {@code
     * maxOutOfOrderSamplesPerSeries} samples.
     */
    OUT_OF_ORDER_CAP
  }

  private final Reason reason;

  public AppendException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The category of the refusal. */
  public Reason reason() {
    return reason;
  }
}
