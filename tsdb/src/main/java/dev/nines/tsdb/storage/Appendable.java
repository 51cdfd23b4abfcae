package dev.nines.tsdb.storage;

/** Something that hands out {@link Appender}s: the write side of storage. */
@FunctionalInterface
public interface Appendable {
  /** A new appender; each writer (scrape, remote-write request) uses its own. */
  Appender appender();
}
