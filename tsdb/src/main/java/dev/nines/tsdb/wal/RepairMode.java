package dev.nines.tsdb.wal;

/** What replay does about corruption that is not a torn tail. */
public enum RepairMode {
  /** Stop and throw {@link WalCorruptionException}; change nothing on disk. */
  STRICT,
  /**
   * Move the damaged bytes into {@code corrupt/}, rewrite the segment without them, log, count, and
   * continue with the records after the damage.
   */
  MOVE_ASIDE
}
