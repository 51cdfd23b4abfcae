package dev.nines.slo.service;

import dev.nines.common.Labels;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.Result;
import dev.nines.promql.engine.SeriesPoints;
import dev.nines.rules.file.GroupSpec;
import dev.nines.rules.file.RuleSpec;
import dev.nines.slo.rules.RuleGenerator;
import dev.nines.tsdb.storage.Queryable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/*
 * Design notes.
 *
 * A new SLO's bucket group starts writing 5-minute buckets when it is loaded, so without help its
 * 30-day budget would count from that moment. The backfill evaluates the same bucket rules at the
 * past instants the group would have evaluated at, over the SLO's window, from the raw samples the
 * tsdb already holds, and writes the results as recorded samples.
 *
 *  - Instants: the live group evaluates at lastBoundary + k * 5m (its phase comes from the rule
 *    manager's evalTimestamp), so the backfill takes lastBoundary, lastBoundary - 5m, ... back to the
 *    window's start. Past and live buckets then tile time without overlap or gap.
 *  - Only where nothing is recorded: a bucket b holds (b - 5m, b]; it is computed only when no
 *    recorded bucket s lies within 5 minutes of it (|s - b| < 5m), so a restart, whose live buckets
 *    are already stored, fills only the downtime, and nothing is ever counted twice.
 *  - One range query per rule (step 5m, split below the engine's 11,000 points) instead of one
 *    instant query per bucket; the result series get the recording rule's name and labels, as the
 *    rule manager would give them.
 *  - The samples are older than the head accepts, so they go through a Sink, which the server backs
 *    with the tsdb's block import.
 *
 * Threshold SLIs: their buckets count the good flag that the SLI group records at each of its
 * evaluations (slo:sli_threshold_good:bool), which does not exist for the past. backfillFlags
 * first computes the flag the same way at the instants the SLI group would have evaluated at (its
 * own interval and phase), before the first flag it recorded, and writes it; the bucket backfill
 * then reads those flags like live ones.
 */

/** Computes the past event buckets of an SLO from stored samples and writes them. */
public final class BucketBackfill {
  private static final long BUCKET = RuleGenerator.BUCKET.toMillis();
  private static final int MAX_STEPS = 8_000;

  private BucketBackfill() {}

  /** Where backfilled samples go: the tsdb's block import in the server. */
  @FunctionalInterface
  public interface Sink {
    /** Writes every sample of every series; all or nothing. */
    void write(List<Series> series) throws IOException;
  }

  /**
   * Samples of one recorded series.
   *
   * @param labels the series, with its metric name
   * @param times sample times, ascending
   * @param values one value per time
   */
  public record Series(Labels labels, long[] times, double[] values) {}

  /**
   * Backfills the buckets of one SLO.
   *
   * @param engine evaluates the bucket rules
   * @param storage the raw samples, and the buckets already recorded
   * @param sink where the new buckets go
   * @param sloId the SLO
   * @param buckets the SLO's generated bucket group
   * @param lastBoundary the live group's evaluation instant at or before now: the newest bucket
   *     filled
   * @param windowMillis how far back to fill: buckets ending after {@code lastBoundary -
   *     windowMillis}
   * @return the number of buckets written (of all events; instants without data give none)
   */
  public static int backfill(
      Engine engine,
      Queryable storage,
      Sink sink,
      String sloId,
      GroupSpec buckets,
      long lastBoundary,
      long windowMillis)
      throws IOException {
    long first = lastBoundary - (Math.max(windowMillis, BUCKET) / BUCKET - 1) * BUCKET;
    long[] recorded = BucketReader.times(storage, sloId, first - BUCKET, lastBoundary + BUCKET);
    List<Long> missing = new ArrayList<>();
    int j = 0;
    for (long b = first; b <= lastBoundary; b += BUCKET) {
      while (j < recorded.length && recorded[j] <= b - BUCKET) {
        j++;
      }
      boolean covered = j < recorded.length && recorded[j] < b + BUCKET;
      if (!covered) {
        missing.add(b);
      }
    }
    if (missing.isEmpty()) {
      return 0;
    }
    long lo = missing.getFirst();
    long hi = missing.getLast();
    long[] wanted = missing.stream().mapToLong(Long::longValue).toArray();
    Map<Labels, Growing> out = new LinkedHashMap<>();
    for (RuleSpec r : buckets.rules()) {
      if (!(r instanceof RuleSpec.Recording rec)) {
        continue;
      }
      for (long start = lo; start <= hi; start += (long) MAX_STEPS * BUCKET) {
        long end = Math.min(hi, start + (long) (MAX_STEPS - 1) * BUCKET);
        if (engine.rangeQuery(storage, rec.expr(), start, end, BUCKET) instanceof Result.Matrix m) {
          collect(m, rec, buckets, wanted, out);
        }
      }
    }
    List<Series> series = series(out);
    if (!series.isEmpty()) {
      sink.write(series);
    }
    int written = 0;
    for (Series s : series) {
      if (s.labels().metricName().equals(RuleGenerator.EVENTS_TOTAL)) {
        written += s.times().length;
      }
    }
    return written;
  }

  /**
   * Backfills a threshold SLI's good flag at the instants its SLI group would have evaluated at:
   * {@code lastEval - k * interval} after {@code fromMillis}, and before the first flag already
   * recorded, so that live and past flags never overlap.
   *
   * @param sli the SLO's generated SLI group, whose first rule records the flag
   * @param lastEval the live SLI group's evaluation instant at or before now
   * @param intervalMillis the SLI group's interval
   * @param fromMillis how far back to fill
   * @return the number of flags written
   */
  public static int backfillFlags(
      Engine engine,
      Queryable storage,
      Sink sink,
      String sloId,
      GroupSpec sli,
      long lastEval,
      long intervalMillis,
      long fromMillis)
      throws IOException {
    RuleSpec.Recording flag = null;
    for (RuleSpec r : sli.rules()) {
      if (r instanceof RuleSpec.Recording rec
          && rec.record().equals(RuleGenerator.THRESHOLD_GOOD)) {
        flag = rec;
      }
    }
    if (flag == null || intervalMillis <= 0 || lastEval <= fromMillis) {
      return 0;
    }
    long first = lastEval - (lastEval - fromMillis - 1) / intervalMillis * intervalMillis;
    long[] recorded =
        BucketReader.times(storage, RuleGenerator.THRESHOLD_GOOD, sloId, fromMillis, lastEval);
    long last = lastEval;
    if (recorded.length > 0) {
      long k = (lastEval - recorded[0]) / intervalMillis + 1; // instants at or after the first flag
      last = lastEval - k * intervalMillis;
    }
    Map<Labels, Growing> out = new LinkedHashMap<>();
    for (long start = first; start <= last; start += (long) MAX_STEPS * intervalMillis) {
      long end = Math.min(last, start + (long) (MAX_STEPS - 1) * intervalMillis);
      if (engine.rangeQuery(storage, flag.expr(), start, end, intervalMillis)
          instanceof Result.Matrix m) {
        collect(m, flag, sli, null, out);
      }
    }
    List<Series> series = series(out);
    if (!series.isEmpty()) {
      sink.write(series);
    }
    return series.stream().mapToInt(x -> x.times().length).sum();
  }

  /**
   * Adds the points of a range query's result to {@code out} under the labels the recording rule
   * gives them, at the {@code wanted} times only (all when null).
   */
  private static void collect(
      Result.Matrix m,
      RuleSpec.Recording rule,
      GroupSpec group,
      long @Nullable [] wanted,
      Map<Labels, Growing> out) {
    for (SeriesPoints p : m.series()) {
      Labels labels = recordedLabels(p.labels(), rule, group.labels());
      Growing g = out.computeIfAbsent(labels, l -> new Growing());
      for (int i = 0; i < p.size(); i++) {
        double v = p.value(i);
        if (!Double.isNaN(v)
            && (wanted == null || Arrays.binarySearch(wanted, p.timestamp(i)) >= 0)) {
          g.add(p.timestamp(i), v);
        }
      }
    }
  }

  private static List<Series> series(Map<Labels, Growing> out) {
    List<Series> series = new ArrayList<>(out.size());
    for (Map.Entry<Labels, Growing> e : out.entrySet()) {
      Growing g = e.getValue();
      if (g.size > 0) {
        series.add(
            new Series(
                e.getKey(), Arrays.copyOf(g.times, g.size), Arrays.copyOf(g.values, g.size)));
      }
    }
    return series;
  }

  /** The labels a recording rule gives a result series: its own, the rule's, its name. */
  static Labels recordedLabels(Labels result, RuleSpec.Recording rule, Map<String, String> group) {
    Labels.Builder b = result.toBuilder().delete(Labels.METRIC_NAME);
    Map<String, String> all = new LinkedHashMap<>(group);
    all.putAll(rule.labels());
    for (Map.Entry<String, String> e : all.entrySet()) {
      if (e.getValue().isEmpty()) {
        b.delete(e.getKey());
      } else {
        b.set(e.getKey(), e.getValue());
      }
    }
    return b.set(Labels.METRIC_NAME, rule.record()).build();
  }

  private static final class Growing {
    long[] times = new long[64];
    double[] values = new double[64];
    int size;

    void add(long t, double v) {
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      times[size] = t;
      values[size] = v;
      size++;
    }
  }
}
