package dev.nines.tsdb.storage;

/**
 * A cursor over one series' samples in increasing time order, allocating nothing per sample. {@link
 * #next()} and {@link #seek(long)} return the kind of sample now under the cursor, or {@link #NONE}
 * at the end. Float samples come first; histogram kinds will be added as new constants.
 */
public interface SampleIterator {
  /** No sample: the iterator is exhausted. */
  int NONE = 0;

  /** A float sample: read {@link #timestamp()} and {@link #value()}. */
  int FLOAT = 1;

  /** Advances to the next sample. */
  int next();

  /**
   * Advances to the first sample at or after {@code t}; stays put when the current sample is
   * already there. Never moves backwards.
   */
  int seek(long t);

  /** The current sample's timestamp in milliseconds. */
  long timestamp();

  /**
   * The current sample's value, bit for bit as written (the stale marker NaN {@code
   * 0x7ff0000000000002} comes back as written).
   */
  double value();
}
