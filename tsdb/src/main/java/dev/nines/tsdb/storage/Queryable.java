package dev.nines.tsdb.storage;

/** Something that can open a {@link Querier} over a time range: the read side of storage. */
@FunctionalInterface
public interface Queryable {
  /**
   * Opens a querier for samples with {@code mint <= t <= maxt} (milliseconds). The querier sees a
   * consistent view of the data and must be closed.
   */
  Querier querier(long mint, long maxt);
}
