package dev.nines.promql.engine;

/**
 * What one query cost, as Prometheus's {@code stats} response field reports it: phase timings and
 * sample counts. The caller creates one per query, passes it to the engine, and reads it after the
 * query returns. Not thread-safe.
 *
 * <p>{@link #totalQueryableSamples()} counts, as Prometheus does, every sample a selector
 * contributes at every step: one per series and step for an instant selector, and the samples in
 * each step's window for a range selector or subquery (so a sample inside several windows counts
 * once per window). {@link #peakSamples()} is the most samples the query held at once by the
 * engine's own accounting (the same count {@code maxSamples} limits), which may differ from
 * Prometheus's peak for the same query because the two engines hold intermediate results
 * differently.
 */
public final class QueryStats {
  long preparationNanos;
  long innerEvalNanos;
  long resultSortNanos;
  long totalQueryableSamples;
  long peakSamples;

  /** An empty collector. */
  public QueryStats() {}

  /** Parsing and setting up the query, in nanoseconds. */
  public long preparationNanos() {
    return preparationNanos;
  }

  /** Evaluating the expression, storage reads included, in nanoseconds. */
  public long innerEvalNanos() {
    return innerEvalNanos;
  }

  /** Sorting and packing the result, in nanoseconds. */
  public long resultSortNanos() {
    return resultSortNanos;
  }

  /** Preparation, evaluation and sorting together, in nanoseconds. */
  public long evalTotalNanos() {
    return preparationNanos + innerEvalNanos + resultSortNanos;
  }

  /** Samples read from storage, summed over every step (Prometheus's totalQueryableSamples). */
  public long totalQueryableSamples() {
    return totalQueryableSamples;
  }

  /** The most samples held at once (Prometheus's peakSamples). */
  public long peakSamples() {
    return peakSamples;
  }
}
