package dev.nines.ingest.exposition;

import org.jspecify.annotations.Nullable;

/**
 * The type of a metric family, as declared by a {@code # TYPE} line. The Prometheus text format
 * knows five of them ({@code untyped} is {@link #UNKNOWN}); OpenMetrics knows all eight.
 */
public enum MetricType {
  COUNTER("counter"),
  GAUGE("gauge"),
  HISTOGRAM("histogram"),
  GAUGE_HISTOGRAM("gaugehistogram"),
  SUMMARY("summary"),
  INFO("info"),
  STATESET("stateset"),
  UNKNOWN("unknown");

  private final String openMetricsName;

  MetricType(String openMetricsName) {
    this.openMetricsName = openMetricsName;
  }

  /**
   * The name Prometheus's {@code /api/v1/metadata} reports: the OpenMetrics spelling, {@code
   * unknown} for untyped.
   */
  public String apiName() {
    return openMetricsName;
  }

  /** The spelling of this type in a {@code # TYPE} line of the given format. */
  public String textName(ExpositionFormat format) {
    if (format == ExpositionFormat.PROMETHEUS_TEXT_0_0_4 && this == UNKNOWN) {
      return "untyped";
    }
    return openMetricsName;
  }

  /** Whether a {@code # TYPE} line of the given format may declare this type. */
  public boolean allowedIn(ExpositionFormat format) {
    return format == ExpositionFormat.OPENMETRICS_1_0_0
        || switch (this) {
          case COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNKNOWN -> true;
          case GAUGE_HISTOGRAM, INFO, STATESET -> false;
        };
  }

  /** The type a {@code # TYPE} line of the given format names, or {@code null} for none. */
  static @Nullable MetricType fromTextName(
      byte[] buf, int start, int end, ExpositionFormat format) {
    for (MetricType t : values()) {
      if (t.allowedIn(format) && Bytes.equalsAscii(buf, start, end, t.textName(format))) {
        return t;
      }
    }
    return null;
  }
}
