package dev.nines.ingest.exposition;

import dev.nines.common.Labels;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Writes an exposition in the Prometheus text format 0.0.4 or OpenMetrics 1.0 text, line by line,
 * into a {@link StringBuilder}: metadata lines with their escaping, samples with escaped label
 * values, timestamps in each format's unit, exemplars, and {@code # EOF}.
 *
 * <p>The writer checks names and the format's syntax, not the semantics of metric types: writing
 * families in a valid order with the right sample names is the caller's job.
 */
public final class TextFormatWriter {
  private final ExpositionFormat format;
  private final boolean om;
  private final StringBuilder out;

  /** A writer that appends to {@code out}. */
  public TextFormatWriter(ExpositionFormat format, StringBuilder out) {
    this.format = format;
    this.om = format == ExpositionFormat.OPENMETRICS_1_0_0;
    this.out = out;
  }

  /** Writes {@code # TYPE family type}. */
  public TextFormatWriter type(String family, MetricType type) {
    checkMetricName(family);
    if (!type.allowedIn(format)) {
      throw new IllegalArgumentException(type + " is not a type of " + format);
    }
    out.append("# TYPE ").append(family).append(' ').append(type.textName(format)).append('\n');
    return this;
  }

  /** Writes {@code # HELP family text}, escaped as the format requires. */
  public TextFormatWriter help(String family, String help) {
    checkMetricName(family);
    out.append("# HELP ").append(family).append(' ');
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '"' -> out.append(om ? "\\\"" : "\"");
        default -> out.append(c);
      }
    }
    out.append('\n');
    return this;
  }

  /** Writes {@code # UNIT family unit} (OpenMetrics only). */
  public TextFormatWriter unit(String family, String unit) {
    if (!om) {
      throw new IllegalStateException("the Prometheus text format has no # UNIT lines");
    }
    checkMetricName(family);
    for (int i = 0; i < unit.length(); i++) {
      if (!isNameChar(unit.charAt(i), true)) {
        throw new IllegalArgumentException("invalid unit \"" + unit + "\"");
      }
    }
    out.append("# UNIT ").append(family).append(' ').append(unit).append('\n');
    return this;
  }

  /** Writes a sample without timestamp. {@code labels} may hold {@code __name__}; it is skipped. */
  public TextFormatWriter sample(String name, Labels labels, double value) {
    return sample(name, labels, value, null, null);
  }

  /**
   * Writes a sample with an optional timestamp (milliseconds; written as seconds in OpenMetrics)
   * and an optional exemplar (OpenMetrics only).
   */
  public TextFormatWriter sample(
      String name,
      Labels labels,
      double value,
      @Nullable Long timestampMillis,
      @Nullable Exemplar exemplar) {
    checkMetricName(name);
    out.append(name);
    appendLabels(labels);
    out.append(' ');
    appendValue(value, out);
    if (timestampMillis != null) {
      out.append(' ');
      appendTimestamp(timestampMillis);
    }
    if (exemplar != null) {
      if (!om) {
        throw new IllegalStateException("the Prometheus text format has no exemplars");
      }
      out.append(" # ");
      if (exemplar.labels().isEmpty()) {
        out.append("{}");
      } else {
        appendLabels(exemplar.labels());
      }
      out.append(' ');
      appendValue(exemplar.value(), out);
      Long ts = exemplar.timestampMillis();
      if (ts != null) {
        out.append(' ');
        appendTimestamp(ts);
      }
    }
    out.append('\n');
    return this;
  }

  /** Writes {@code # EOF}, which ends an OpenMetrics exposition; nothing for 0.0.4. */
  public TextFormatWriter eof() {
    if (om) {
      out.append("# EOF\n");
    }
    return this;
  }

  /**
   * Appends a sample value: {@code NaN}, {@code +Inf}, {@code -Inf}, an integer when the value is a
   * whole number below 10^15, otherwise Java's shortest round-tripping decimal.
   */
  public static void appendValue(double v, StringBuilder out) {
    if (Double.isNaN(v)) {
      out.append("NaN");
    } else if (v == Double.POSITIVE_INFINITY) {
      out.append("+Inf");
    } else if (v == Double.NEGATIVE_INFINITY) {
      out.append("-Inf");
    } else if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
      out.append("-0");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      out.append((long) v);
    } else {
      out.append(v);
    }
  }

  private void appendTimestamp(long millis) {
    if (om) {
      out.append(BigDecimal.valueOf(millis, 3).toPlainString());
    } else {
      out.append(millis);
    }
  }

  private void appendLabels(Labels labels) {
    boolean first = true;
    for (int i = 0; i < labels.size(); i++) {
      String n = labels.name(i);
      if (n.equals(Labels.METRIC_NAME)) {
        continue;
      }
      checkLabelName(n);
      out.append(first ? '{' : ',');
      first = false;
      out.append(n).append("=\"");
      Labels.escapeValue(labels.value(i), out);
      out.append('"');
    }
    if (!first) {
      out.append('}');
    }
  }

  private static void checkMetricName(String name) {
    if (name.isEmpty() || !isNameStart(name.charAt(0), true)) {
      throw new IllegalArgumentException("invalid metric name \"" + name + "\"");
    }
    for (int i = 1; i < name.length(); i++) {
      if (!isNameChar(name.charAt(i), true)) {
        throw new IllegalArgumentException("invalid metric name \"" + name + "\"");
      }
    }
  }

  private static void checkLabelName(String name) {
    if (name.isEmpty() || !isNameStart(name.charAt(0), false)) {
      throw new IllegalArgumentException("invalid label name \"" + name + "\"");
    }
    for (int i = 1; i < name.length(); i++) {
      if (!isNameChar(name.charAt(i), false)) {
        throw new IllegalArgumentException("invalid label name \"" + name + "\"");
      }
    }
  }

  private static boolean isNameStart(char c, boolean colon) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
  }

  private static boolean isNameChar(char c, boolean colon) {
    return isNameStart(c, colon) || (c >= '0' && c <= '9');
  }
}
