package dev.nines.tsdb.wal;

/**
 * One damaged spot that replay found and dealt with.
 *
 * @param segment the segment number (within the checkpoint directory if {@code inCheckpoint})
 * @param offset the byte offset of the first bad byte
 * @param length how many bytes were cut out
 * @param kind whether it was a torn tail (truncated) or corruption (moved aside)
 * @param reason what was wrong
 * @param inCheckpoint whether the segment belongs to a checkpoint
 */
public record WalDamage(
    int segment, long offset, long length, Kind kind, String reason, boolean inCheckpoint) {
  /** The kinds of damage. */
  public enum Kind {
    /** The remains of an interrupted write at the end of the newest segment; truncated. */
    TORN_TAIL,
    /** Bad bytes elsewhere; moved into {@code corrupt/}. */
    CORRUPTION,
    /** A segment number missing after a checkpoint; nothing to move. */
    MISSING_SEGMENT
  }
}
