package dev.nines.tsdb.storage;

import dev.nines.common.Labels;

/** One series as a query sees it: its labels and an iterator over its samples in time order. */
public interface Series {
  /** The series' labels, including {@code __name__}. */
  Labels labels();

  /**
   * An iterator over the samples, positioned before the first one. {@code reuse}, when not null, is
   * an iterator from an earlier call that the implementation may reset and hand back, so that
   * walking many series allocates one iterator.
   */
  SampleIterator iterator(SampleIterator reuse);
}
