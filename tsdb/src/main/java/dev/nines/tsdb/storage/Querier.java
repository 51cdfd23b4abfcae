package dev.nines.tsdb.storage;

import dev.nines.common.LabelMatcher;
import java.util.List;

/**
 * A read view of storage over a fixed time range: series selected by label matchers, and the label
 * names and values present. Holds resources (file maps, read locks) until closed.
 */
public interface Querier extends AutoCloseable {
  /**
   * The series matching every matcher, with their samples inside the querier's range.
   *
   * @param sorted whether the caller needs the series in {@link dev.nines.common.Labels} order
   * @param hints what the caller will do with the data; storage may use it or ignore it
   */
  SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers);

  /** Sorted label names of the series that match all matchers (every series when none). */
  List<String> labelNames(List<LabelMatcher> matchers);

  /** Sorted values of one label among the series that match all matchers (all when none). */
  List<String> labelValues(String name, List<LabelMatcher> matchers);

  @Override
  void close();
}
