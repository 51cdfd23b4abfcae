package dev.nines.tsdb.storage;

/**
 * A cursor over selected series: {@link #next()} advances, {@link #at()} is the current series. Any
 * error that stopped the cursor early is reported by {@link #error()}, never swallowed.
 */
public interface SeriesSet {
  /** Advances to the next series; false when there are no more. */
  boolean next();

  /** The current series; valid after {@link #next()} returned true. */
  Series at();

  /** The error that ended iteration early, or null. */
  default RuntimeException error() {
    return null;
  }

  /** A set with no series. */
  static SeriesSet empty() {
    return new SeriesSet() {
      @Override
      public boolean next() {
        return false;
      }

      @Override
      public Series at() {
        throw new IllegalStateException("empty series set");
      }
    };
  }
}
