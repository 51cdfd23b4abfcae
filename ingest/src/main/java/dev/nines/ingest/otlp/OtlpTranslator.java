package dev.nines.ingest.otlp;

import com.google.protobuf.ByteString;
import dev.nines.common.Labels;
import dev.nines.ingest.otlp.PrometheusNames.Kind;
import dev.nines.ingest.remotewrite.IngestStats;
import dev.nines.ingest.remotewrite.RefusalReason;
import dev.nines.ingest.remotewrite.Refusals;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appender;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Translates OTLP metrics into Prometheus samples and appends them, following Prometheus's OTLP
 * receiver: names by {@link PrometheusNames}; {@code service.name} (prefixed by {@code
 * service.namespace/} when set) → {@code job}; {@code service.instance.id} → {@code instance};
 * other resource attributes → one {@code target_info} series per resource (value 1, at the newest
 * data point's timestamp), and, when configured, promoted onto every series.
 *
 * <ul>
 *   <li>gauge → gauge; cumulative monotonic sum → counter ({@code _total}); cumulative
 *       non-monotonic sum → gauge;
 *   <li>cumulative explicit-bucket histogram → classic histogram: {@code _bucket{le}} (cumulative,
 *       {@code +Inf} = count), {@code _count}, {@code _sum} (when present);
 *   <li>summary → {@code {quantile}}, {@code _sum}, {@code _count};
 *   <li>delta (or unspecified) temporality and exponential histograms are refused, per metric,
 *       naming it; data points flagged "no recorded value" become stale markers.
 * </ul>
 *
 * <p>Refusals are counted in OTLP data points (what {@code partial_success.rejected_data_points}
 * reports): a data point counts once even when several of its samples were refused. Exemplars are
 * counted and dropped. Scope name and version are not turned into labels. Not thread-safe; one per
 * request.
 */
final class OtlpTranslator {
  /** The stale marker NaN, bit for bit. */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private static final String SERVICE_NAME = "service.name";
  private static final String SERVICE_NAMESPACE = "service.namespace";
  private static final String SERVICE_INSTANCE_ID = "service.instance.id";
  private static final int FLAG_NO_RECORDED_VALUE = 1;

  private final Appender app;
  private final Refusals refusals;
  private final IngestStats stats;
  private final Set<String> promote;
  private final Labels.Builder b = Labels.builder();
  private long written;
  private long exemplars;

  // Per resource.
  private @Nullable String job;
  private @Nullable String instance;
  private final List<String[]> promoted = new ArrayList<>();

  // Per data point: whether one of its samples was already refused.
  private boolean pointRefused;

  OtlpTranslator(
      Appender app, Refusals refusals, IngestStats stats, Set<String> promoteResourceAttributes) {
    this.app = app;
    this.refusals = refusals;
    this.stats = stats;
    this.promote = promoteResourceAttributes;
  }

  /** Samples written so far. */
  long written() {
    return written;
  }

  /** Exemplars seen (and dropped) so far. */
  long exemplars() {
    return exemplars;
  }

  /** The number of Prometheus samples a request translates to, for the rate limit. */
  static long countSamples(ExportMetricsServiceRequest req) {
    long n = 0;
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n +=
              switch (m.getDataCase()) {
                case GAUGE -> m.getGauge().getDataPointsCount();
                case SUM -> m.getSum().getDataPointsCount();
                case HISTOGRAM -> {
                  long h = 0;
                  for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                    h += p.getExplicitBoundsCount() + 3L;
                  }
                  yield h;
                }
                case SUMMARY -> {
                  long s = 0;
                  for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
                    s += p.getQuantileValuesCount() + 2L;
                  }
                  yield s;
                }
                case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
                case DATA_NOT_SET -> 0;
              };
        }
      }
    }
    return n;
  }

  /** Translates and appends everything in the request. */
  void write(ExportMetricsServiceRequest req) {
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      writeResource(rm);
    }
  }

  private void writeResource(ResourceMetrics rm) {
    List<KeyValue> attrs = rm.getResource().getAttributesList();
    String serviceName = null;
    String namespace = null;
    job = null;
    instance = null;
    promoted.clear();
    int nonIdentifying = 0;
    for (KeyValue kv : attrs) {
      switch (kv.getKey()) {
        case SERVICE_NAME -> serviceName = stringOf(kv.getValue());
        case SERVICE_NAMESPACE -> namespace = stringOf(kv.getValue());
        case SERVICE_INSTANCE_ID -> instance = stringOf(kv.getValue());
        default -> {
          nonIdentifying++;
          if (promote.contains(kv.getKey())) {
            promoted.add(
                new String[] {PrometheusNames.labelName(kv.getKey()), stringOf(kv.getValue())});
          }
        }
      }
    }
    if (serviceName != null) {
      job = namespace == null || namespace.isEmpty() ? serviceName : namespace + "/" + serviceName;
    }
    long newest = Long.MIN_VALUE;
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      for (Metric m : sm.getMetricsList()) {
        newest = Math.max(newest, writeMetric(m));
      }
    }
    if (newest != Long.MIN_VALUE && nonIdentifying > 0 && (job != null || instance != null)) {
      writeTargetInfo(attrs, newest);
    }
  }

  /** Appends one metric's points; returns the newest timestamp written (ms), or MIN_VALUE. */
  private long writeMetric(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> writeNumbers(m, m.getGauge().getDataPointsList(), Kind.GAUGE);
      case SUM -> {
        if (m.getSum().getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          refuseMetric(m, RefusalReason.DELTA_TEMPORALITY, m.getSum().getDataPointsCount());
          yield Long.MIN_VALUE;
        }
        Kind kind =
            m.getSum().getIsMonotonic() ? Kind.MONOTONIC_COUNTER : Kind.NON_MONOTONIC_COUNTER;
        yield writeNumbers(m, m.getSum().getDataPointsList(), kind);
      }
      case HISTOGRAM -> {
        if (m.getHistogram().getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          refuseMetric(m, RefusalReason.DELTA_TEMPORALITY, m.getHistogram().getDataPointsCount());
          yield Long.MIN_VALUE;
        }
        yield writeHistograms(m);
      }
      case SUMMARY -> writeSummaries(m);
      case EXPONENTIAL_HISTOGRAM -> {
        refuseMetric(
            m,
            RefusalReason.EXPONENTIAL_HISTOGRAM,
            m.getExponentialHistogram().getDataPointsCount());
        yield Long.MIN_VALUE;
      }
      case DATA_NOT_SET -> Long.MIN_VALUE;
    };
  }

  private @Nullable String nameOrRefuse(Metric m, Kind kind, int points) {
    String name = PrometheusNames.metricName(m.getName(), m.getUnit(), kind);
    if (name.isEmpty() || name.chars().allMatch(c -> c == '_')) {
      refusals.refuse(RefusalReason.INVALID_DATA_POINT, new MetricRef(m, "no usable name"), points);
      return null;
    }
    return name;
  }

  private long writeNumbers(Metric m, List<NumberDataPoint> points, Kind kind) {
    String name = nameOrRefuse(m, kind, points.size());
    if (name == null) {
      return Long.MIN_VALUE;
    }
    long newest = Long.MIN_VALUE;
    for (NumberDataPoint p : points) {
      exemplars += p.getExemplarsCount();
      long t = millis(p.getTimeUnixNano());
      double v;
      if ((p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0) {
        v = STALE_NAN;
      } else {
        v =
            switch (p.getValueCase()) {
              case AS_DOUBLE -> p.getAsDouble();
              case AS_INT -> (double) p.getAsInt();
              case VALUE_NOT_SET -> Double.NaN;
            };
      }
      pointRefused = false;
      baseLabels(p.getAttributesList());
      b.set(Labels.METRIC_NAME, name);
      append(b.build(), t, v);
      newest = Math.max(newest, t);
    }
    return newest;
  }

  private long writeHistograms(Metric m) {
    List<HistogramDataPoint> points = m.getHistogram().getDataPointsList();
    String name = nameOrRefuse(m, Kind.HISTOGRAM, points.size());
    if (name == null) {
      return Long.MIN_VALUE;
    }
    String bucketName = name + "_bucket";
    long newest = Long.MIN_VALUE;
    for (HistogramDataPoint p : points) {
      exemplars += p.getExemplarsCount();
      long t = millis(p.getTimeUnixNano());
      boolean stale = (p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0;
      pointRefused = false;
      baseLabels(p.getAttributesList());
      if (p.hasSum()) {
        b.set(Labels.METRIC_NAME, name + "_sum");
        append(b.build(), t, stale ? STALE_NAN : p.getSum());
      }
      b.set(Labels.METRIC_NAME, name + "_count");
      append(b.build(), t, stale ? STALE_NAN : (double) p.getCount());
      b.set(Labels.METRIC_NAME, bucketName);
      long cumulative = 0;
      int buckets = Math.min(p.getExplicitBoundsCount(), p.getBucketCountsCount());
      for (int i = 0; i < buckets; i++) {
        cumulative += p.getBucketCounts(i);
        b.set("le", PrometheusNames.formatFloat(p.getExplicitBounds(i)));
        append(b.build(), t, stale ? STALE_NAN : (double) cumulative);
      }
      b.set("le", "+Inf");
      append(b.build(), t, stale ? STALE_NAN : (double) p.getCount());
      newest = Math.max(newest, t);
    }
    return newest;
  }

  private long writeSummaries(Metric m) {
    List<SummaryDataPoint> points = m.getSummary().getDataPointsList();
    String name = nameOrRefuse(m, Kind.SUMMARY, points.size());
    if (name == null) {
      return Long.MIN_VALUE;
    }
    long newest = Long.MIN_VALUE;
    for (SummaryDataPoint p : points) {
      long t = millis(p.getTimeUnixNano());
      boolean stale = (p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0;
      pointRefused = false;
      baseLabels(p.getAttributesList());
      b.set(Labels.METRIC_NAME, name + "_sum");
      append(b.build(), t, stale ? STALE_NAN : p.getSum());
      b.set(Labels.METRIC_NAME, name + "_count");
      append(b.build(), t, stale ? STALE_NAN : (double) p.getCount());
      b.set(Labels.METRIC_NAME, name);
      for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
        b.set("quantile", PrometheusNames.formatFloat(q.getQuantile()));
        append(b.build(), t, stale ? STALE_NAN : q.getValue());
      }
      newest = Math.max(newest, t);
    }
    return newest;
  }

  private void writeTargetInfo(List<KeyValue> attrs, long t) {
    pointRefused = false;
    b.reset();
    addAttributes(attrs, true);
    if (job != null) {
      b.set("job", job);
    }
    if (instance != null) {
      b.set("instance", instance);
    }
    b.set(Labels.METRIC_NAME, "target_info");
    append(b.build(), t, 1);
  }

  /** Resets the builder to a data point's labels: attributes, promoted ones, job and instance. */
  private void baseLabels(List<KeyValue> attrs) {
    b.reset();
    addAttributes(attrs, false);
    for (String[] p : promoted) {
      if (b.get(p[0]) == null) {
        b.set(p[0], p[1]);
      }
    }
    if (job != null) {
      b.set("job", job);
    }
    if (instance != null) {
      b.set("instance", instance);
    }
  }

  /**
   * Adds attributes as labels, in key order so that keys colliding after sanitising ("a.b" and
   * "a_b") join their values with ";" in a stable order, as Prometheus does.
   */
  private void addAttributes(List<KeyValue> attrs, boolean skipIdentifying) {
    List<KeyValue> sorted = attrs;
    if (attrs.size() > 1) {
      sorted = new ArrayList<>(attrs);
      sorted.sort(Comparator.comparing(KeyValue::getKey));
    }
    for (KeyValue kv : sorted) {
      String key = kv.getKey();
      if (skipIdentifying
          && (key.equals(SERVICE_NAME)
              || key.equals(SERVICE_NAMESPACE)
              || key.equals(SERVICE_INSTANCE_ID))) {
        continue;
      }
      String name = PrometheusNames.labelName(key);
      if (name.isEmpty()) {
        continue;
      }
      String value = stringOf(kv.getValue());
      String existing = b.get(name);
      b.set(name, existing == null ? value : existing + ";" + value);
    }
  }

  private void append(Labels labels, long t, double v) {
    try {
      app.append(0, labels, t, v);
      written++;
    } catch (AppendException e) {
      if (!pointRefused) {
        pointRefused = true;
        refusals.refuse(RefusalReason.of(e.reason()), labels, 1);
      }
    }
  }

  private void refuseMetric(Metric m, RefusalReason reason, int points) {
    refusals.refuse(reason, new MetricRef(m, ""), points);
  }

  private static long millis(long unixNano) {
    return Math.floorDiv(unixNano, 1_000_000L);
  }

  /** An attribute value as Prometheus writes it into a label. */
  static String stringOf(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> PrometheusNames.formatFloat(v.getDoubleValue());
      case BYTES_VALUE -> base64(v.getBytesValue());
      case ARRAY_VALUE, KVLIST_VALUE -> {
        StringBuilder out = new StringBuilder();
        json(v, out);
        yield out.toString();
      }
      // A string-table index only means something inside an OTLP profiles dictionary.
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> "";
    };
  }

  private static String base64(ByteString bytes) {
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static void json(AnyValue v, StringBuilder out) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> OtlpHandler.jsonString(v.getStringValue(), out);
      case BYTES_VALUE -> OtlpHandler.jsonString(base64(v.getBytesValue()), out);
      case BOOL_VALUE, INT_VALUE, DOUBLE_VALUE -> out.append(stringOf(v));
      case ARRAY_VALUE -> {
        out.append('[');
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          json(values.get(i), out);
        }
        out.append(']');
      }
      case KVLIST_VALUE -> {
        out.append('{');
        List<KeyValue> kvs = v.getKvlistValue().getValuesList();
        for (int i = 0; i < kvs.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          OtlpHandler.jsonString(kvs.get(i).getKey(), out);
          out.append(':');
          json(kvs.get(i).getValue(), out);
        }
        out.append('}');
      }
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> out.append("null");
    }
  }

  /** Names a refused metric in a message. */
  private record MetricRef(Metric metric, String detail) {
    @Override
    public String toString() {
      return "metric \""
          + metric.getName()
          + "\" ("
          + metric.getDataCase().name().toLowerCase(java.util.Locale.ROOT)
          + (detail.isEmpty() ? "" : ", " + detail)
          + ")";
    }
  }

  /** Stats this translator adds to at the end of a request. */
  void recordStats() {
    stats.exemplars(exemplars, exemplars);
  }
}
