package dev.nines.promql.engine;

import dev.nines.tsdb.storage.Queryable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one query's evaluators share: storage, options, the query's own start and end (for {@code @
 * start()} and {@code @ end()}), the deadline, the sample budget, reusable sample buffers and the
 * annotations collected so far.
 */
final class QueryContext {
  final Queryable queryable;
  final EngineOptions options;
  final long lookback;
  final long queryStart;
  final long queryEnd;
  final long queryStep;
  private final long deadlineNanos;
  private final Set<String> warnings = new LinkedHashSet<>();
  private final Set<String> infos = new LinkedHashSet<>();
  private long currentSamples;
  private long peakSamples;
  private long queryableSamples;
  private long charged;
  private int checks;

  /** Reusable buffers for the samples of one series of a range selector. */
  long[] tsBuf = new long[256];

  double[] vsBuf = new double[256];

  QueryContext(
      Queryable queryable,
      EngineOptions options,
      long lookback,
      long queryStart,
      long queryEnd,
      long queryStep) {
    this.queryable = queryable;
    this.options = options;
    this.lookback = lookback;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.queryStep = queryStep;
    this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
  }

  /** Fails the query when it is past its deadline or its thread was interrupted. */
  void checkDeadline() {
    if (Thread.currentThread().isInterrupted()) {
      throw new QueryException(QueryException.Kind.CANCELED, QueryException.CANCELLED);
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new QueryException(QueryException.Kind.TIMEOUT, QueryException.TIMED_OUT);
    }
  }

  /** Calls {@link #checkDeadline()} every 256th time, for inner loops. */
  void tick() {
    if ((++checks & 0xff) == 0) {
      checkDeadline();
    }
  }

  /** Takes samples from the budget; fails the query when it is exceeded. */
  void addSamples(long n) {
    charged += n;
    currentSamples += n;
    if (currentSamples > peakSamples) {
      peakSamples = currentSamples;
    }
    if (currentSamples > options.maxSamples()) {
      throw new QueryException(QueryException.Kind.EXECUTION, QueryException.TOO_MANY_SAMPLES);
    }
  }

  /** Counts samples read from storage for a step (Prometheus's totalQueryableSamples). */
  void addQueryable(long n) {
    queryableSamples += n;
  }

  /** Every sample ever taken from the budget by this query, released or not. */
  long samplesCharged() {
    return charged;
  }

  long queryableSamples() {
    return queryableSamples;
  }

  void resetQueryable(long n) {
    queryableSamples = n;
  }

  /** Copies the sample counts into a stats collector. */
  void fillStats(QueryStats stats) {
    stats.totalQueryableSamples = queryableSamples;
    stats.peakSamples = peakSamples;
  }

  /** Gives samples back to the budget once they are no longer held. */
  void releaseSamples(long n) {
    currentSamples -= n;
  }

  void warn(String text) {
    warnings.add(text);
  }

  void info(String text) {
    infos.add(text);
  }

  List<String> warnings() {
    return List.copyOf(new ArrayList<>(warnings));
  }

  List<String> infos() {
    return List.copyOf(new ArrayList<>(infos));
  }

  void ensureBuffers(int n) {
    if (tsBuf.length < n) {
      int size = Math.max(n, tsBuf.length * 2);
      tsBuf = java.util.Arrays.copyOf(tsBuf, size);
      vsBuf = java.util.Arrays.copyOf(vsBuf, size);
    }
  }
}
