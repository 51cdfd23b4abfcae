package dev.nines.tsdb.wal;

import java.io.IOException;

/**
 * Damage in the WAL that is not the torn tail of a crash: a bad record in an older segment, a bad
 * record followed by good ones, a record that does not decode, or a missing segment. Carries the
 * segment number and the byte offset of the bad record within it.
 */
public final class WalCorruptionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int segment;
  private final long offset;
  private final String reason;

  /** Creates the exception for damage at {@code offset} in segment {@code segment}. */
  public WalCorruptionException(int segment, long offset, String reason) {
    super(
        "WAL corruption in segment "
            + Segments.name(segment)
            + " at byte "
            + offset
            + ": "
            + reason);
    this.segment = segment;
    this.offset = offset;
    this.reason = reason;
  }

  /** The sequence number of the damaged segment. */
  public int segment() {
    return segment;
  }

  /** The byte offset of the first bad record within the segment. */
  public long offset() {
    return offset;
  }

  /** What is wrong, without the location. */
  public String reason() {
    return reason;
  }
}
