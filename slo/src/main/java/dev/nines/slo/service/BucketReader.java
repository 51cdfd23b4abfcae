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
import java.util.Arrays;
import java.util.List;

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
      Column all = column(q, RuleGenerator.EVENTS_TOTAL, sloId, from, toMillis);
      Column bad = column(q, RuleGenerator.EVENTS_ERROR, sloId, from, toMillis);
      // Both columns over the union of their times; a time missing from one counts 0 there.
      Column both = Column.merge(all, bad, true);
      long[] times = Arrays.copyOf(both.times, both.n);
      double[] good = new double[both.n];
      double[] total = new double[both.n];
      for (int i = 0; i < both.n; i++) {
        double t = both.values[i];
        double e = both.second[i];
        total[i] = Math.max(t, 0);
        good[i] = total[i] - Math.min(Math.max(e, 0), total[i]);
      }
      return new Buckets(times, good, total);
    }
  }

  /** The times of the SLO's total-events buckets in {@code (fromMillis, toMillis]}, ascending. */
  public static long[] times(Queryable storage, String sloId, long fromMillis, long toMillis) {
    return times(storage, RuleGenerator.EVENTS_TOTAL, sloId, fromMillis, toMillis);
  }

  /**
   * The times of the SLO's recorded {@code metric} in {@code (fromMillis, toMillis]}, ascending.
   */
  public static long[] times(
      Queryable storage, String metric, String sloId, long fromMillis, long toMillis) {
    long from = fromMillis + 1;
    try (Querier q = storage.querier(from, toMillis)) {
      Column c = column(q, metric, sloId, from, toMillis);
      return Arrays.copyOf(c.times, c.n);
    }
  }

  /** The samples of {@code metric} for the SLO, summed by time over its series. */
  private static Column column(Querier q, String metric, String sloId, long from, long to) {
    List<LabelMatcher> matchers =
        List.of(
            LabelMatcher.of(LabelMatcher.Type.EQUAL, Labels.METRIC_NAME, metric),
            LabelMatcher.of(LabelMatcher.Type.EQUAL, "slo", sloId));
    SeriesSet set = q.select(false, SelectHints.range(from, to), matchers);
    SampleIterator it = null;
    Column sum = new Column(0);
    while (set.next()) {
      it = set.at().iterator(it);
      Column one = new Column(64);
      int kind = it.seek(from);
      while (kind == SampleIterator.FLOAT && it.timestamp() <= to) {
        double v = it.value();
        if (!Double.isNaN(v)) {
          one.add(it.timestamp(), v, 0);
        }
        kind = it.next();
      }
      sum = sum.n == 0 ? one : Column.merge(sum, one, false);
    }
    if (set.error() != null) {
      throw set.error();
    }
    return sum;
  }

  /** Samples in ascending time order: a value, and a second value when two columns are joined. */
  private static final class Column {
    long[] times;
    double[] values;
    double[] second;
    int n;

    Column(int capacity) {
      times = new long[capacity];
      values = new double[capacity];
      second = new double[capacity];
    }

    void add(long t, double v, double w) {
      if (n == times.length) {
        int size = Math.max(16, n * 2);
        times = Arrays.copyOf(times, size);
        values = Arrays.copyOf(values, size);
        second = Arrays.copyOf(second, size);
      }
      times[n] = t;
      values[n] = v;
      second[n] = w;
      n++;
    }

    /**
     * The union of two columns' times. Values at the same time are added; with {@code join}, the
     * second column's values go to {@link #second} instead.
     */
    static Column merge(Column a, Column b, boolean join) {
      Column out = new Column(a.n + b.n);
      int i = 0;
      int j = 0;
      while (i < a.n || j < b.n) {
        long ta = i < a.n ? a.times[i] : Long.MAX_VALUE;
        long tb = j < b.n ? b.times[j] : Long.MAX_VALUE;
        long t = Math.min(ta, tb);
        double va = ta == t ? a.values[i++] : 0;
        double vb = tb == t ? b.values[j++] : 0;
        if (join) {
          out.add(t, va, vb);
        } else {
          out.add(t, va + vb, 0);
        }
      }
      return out;
    }
  }
}
