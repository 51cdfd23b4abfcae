package dev.nines.server.api;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.Series;
import dev.nines.tsdb.storage.SeriesSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/*
 * Design notes. Prometheus answers /api/v1/status/tsdb from its head's index statistics. Nines
 * computes the same numbers through the storage seam: one select of every series (__name__=~".+")
 * over all time, counting per metric name, per label name (distinct values and their bytes) and per
 * name=value pair, then keeping the top `limit` of each. The head's time range is read from the
 * samples themselves (first and last of each series), which costs a pass over them; chunkCount is
 * not visible through the seam and is reported as 0. This is an on-demand status page, not a hot
 * path.
 */

/** The cardinality statistics of {@code /api/v1/status/tsdb}. */
final class TsdbStatus {
  private TsdbStatus() {}

  /** One entry of a top-N list. */
  record Stat(String name, long value) {}

  /** The head's summary. */
  record HeadStats(
      long numSeries, long numLabelPairs, long chunkCount, long minTime, long maxTime) {}

  /** The whole answer, in Prometheus's field order. */
  record Status(
      HeadStats headStats,
      List<Stat> seriesCountByMetricName,
      List<Stat> labelValueCountByLabelName,
      List<Stat> memoryInBytesByLabelName,
      List<Stat> seriesCountByLabelValuePair) {}

  static Status compute(Queryable queryable, int limit) {
    Map<String, long[]> byMetric = new HashMap<>();
    Map<String, Set<String>> valuesByName = new HashMap<>();
    Map<String, long[]> byPair = new HashMap<>();
    long numSeries = 0;
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    try (Querier q = queryable.querier(Params.MIN_TIME, Params.MAX_TIME)) {
      SeriesSet set =
          q.select(
              false,
              SelectHints.range(Params.MIN_TIME, Params.MAX_TIME),
              List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, Labels.METRIC_NAME, ".+")));
      SampleIterator it = null;
      while (set.next()) {
        Series s = set.at();
        Labels labels = s.labels();
        numSeries++;
        String name = labels.metricName();
        if (name != null) {
          byMetric.computeIfAbsent(name, k -> new long[1])[0]++;
        }
        for (int i = 0; i < labels.size(); i++) {
          valuesByName.computeIfAbsent(labels.name(i), k -> new HashSet<>()).add(labels.value(i));
          byPair.computeIfAbsent(labels.name(i) + "=" + labels.value(i), k -> new long[1])[0]++;
        }
        it = s.iterator(it);
        boolean first = true;
        long last = Long.MIN_VALUE;
        while (it.next() != SampleIterator.NONE) {
          long t = it.timestamp();
          if (first) {
            minTime = Math.min(minTime, t);
            first = false;
          }
          last = t;
        }
        if (!first) {
          maxTime = Math.max(maxTime, last);
        }
      }
      RuntimeException error = set.error();
      if (error != null) {
        throw error;
      }
    }
    long pairs = byPair.size();
    Map<String, Long> valueCounts = new LinkedHashMap<>();
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (Map.Entry<String, Set<String>> e : valuesByName.entrySet()) {
      valueCounts.put(e.getKey(), (long) e.getValue().size());
      long b = 0;
      for (String v : e.getValue()) {
        b += v.getBytes(StandardCharsets.UTF_8).length;
      }
      bytes.put(e.getKey(), b);
    }
    return new Status(
        new HeadStats(numSeries, pairs, 0, minTime, maxTime),
        top(counts(byMetric), limit),
        top(valueCounts, limit),
        top(bytes, limit),
        top(counts(byPair), limit));
  }

  private static Map<String, Long> counts(Map<String, long[]> m) {
    Map<String, Long> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, v[0]));
    return out;
  }

  /** The {@code limit} largest entries, largest first, ties by name. */
  private static List<Stat> top(Map<String, Long> m, int limit) {
    List<Stat> all = new ArrayList<>();
    m.forEach((k, v) -> all.add(new Stat(k, v)));
    all.sort(Comparator.comparingLong(Stat::value).reversed().thenComparing(Stat::name));
    return all.size() > limit ? new ArrayList<>(all.subList(0, limit)) : all;
  }
}
