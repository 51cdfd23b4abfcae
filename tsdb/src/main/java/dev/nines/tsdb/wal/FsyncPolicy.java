package dev.nines.tsdb.wal;

/**
 * When the WAL writer forces appended records to stable storage, and so what an acknowledged append
 * survives. {@code docs/formats/wal.md} states each promise.
 */
public enum FsyncPolicy {
  /** Every append returns only after an fsync that covers it; concurrent appends share fsyncs. */
  ALWAYS,
  /**
   * Group commit: a background flusher fsyncs at most once per batch interval and every append
   * returns after the fsync that covers it.
   */
  BATCH,
  /**
   * Appends return once the data is in the OS page cache: safe against a process kill, not against
   * power loss.
   */
  NONE
}
