package dev.nines.tsdb.storage;

/**
 * What a select is for, so storage can skip data: the time range really needed, the query step, the
 * function applied and its range (all in milliseconds; 0 or null when unknown).
 */
public record SelectHints(long start, long end, long step, String function, long range) {
  /** Hints that say only the time range. */
  public static SelectHints range(long start, long end) {
    return new SelectHints(start, end, 0, null, 0);
  }
}
