package dev.nines.slo.service;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.slo.budget.Buckets;
import dev.nines.slo.rules.RuleGenerator;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads an SLO's recorded event buckets ({@code slo:events_total:increase5m} and {@code
 * slo:events_error:increase5m}) from storage into {@link Buckets}: one select per metric, straight
 * from the tsdb's seam, no PromQL. A window of 30 days reads 8,640 samples per series. When the
 * SLI's queries keep labels (several series per SLO), buckets with the same time are summed. NaN
 * samples (stale markers) are skipped.
 */
public final class BucketReader {
  private BucketReader() {}

  /** The buckets of the SLO {@code sloId} whose times lie in {@code (fromMillis, toMillis]}. */
  public static Buckets read(Queryable storage, String sloId, long fromMillis, long toMillis) {
    long from = fromMillis + 1;
    try (Querier q = storage.querier(from, toMillis)) {
      TreeMap<Long, double[]> byTime = new TreeMap<>();
      collect(q, RuleGenerator.EVENTS_TOTAL, sloId, from, toMillis, byTime, 0);
      collect(q, RuleGenerator.EVENTS_ERROR, sloId, from, toMillis, byTime, 1);
      long[] times = new long[byTime.size()];
      double[] good = new double[times.length];
      double[] total = new double[times.length];
      int i = 0;
      for (var e : byTime.entrySet()) {
        times[i] = e.getKey();
        double t = e.getValue()[0];
        double bad = Math.min(Math.max(e.getValue()[1], 0), Math.max(t, 0));
        total[i] = Math.max(t, 0);
        good[i] = total[i] - bad;
        i++;
      }
      return new Buckets(times, good, total);
    }
  }

  /** The times of the SLO's total-events buckets in {@code (fromMillis, toMillis]}, ascending. */
  public static long[] times(Queryable storage, String sloId, long fromMillis, long toMillis) {
    long from = fromMillis + 1;
    try (Querier q = storage.querier(from, toMillis)) {
      TreeMap<Long, double[]> byTime = new TreeMap<>();
      collect(q, RuleGenerator.EVENTS_TOTAL, sloId, from, toMillis, byTime, 0);
      return byTime.keySet().stream().mapToLong(Long::longValue).toArray();
    }
  }

  private static void collect(
      Querier q,
      String metric,
      String sloId,
      long from,
      long to,
      TreeMap<Long, double[]> byTime,
      int slot) {
    List<LabelMatcher> matchers =
        List.of(
            LabelMatcher.of(LabelMatcher.Type.EQUAL, Labels.METRIC_NAME, metric),
            LabelMatcher.of(LabelMatcher.Type.EQUAL, "slo", sloId));
    SeriesSet set = q.select(false, SelectHints.range(from, to), matchers);
    SampleIterator it = null;
    while (set.next()) {
      it = set.at().iterator(it);
      int kind = it.seek(from);
      while (kind == SampleIterator.FLOAT && it.timestamp() <= to) {
        double v = it.value();
        if (!Double.isNaN(v)) {
          double[] cell = byTime.computeIfAbsent(it.timestamp(), t -> new double[2]);
          cell[slot] += v;
        }
        kind = it.next();
      }
    }
    if (set.error() != null) {
      throw set.error();
    }
  }
}
