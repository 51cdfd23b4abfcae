package dev.nines.tsdb.head;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.AppendException;

/**
 * Checks the labels of a new series against the naming rules and the label limits; runs once per
 * series, never per sample.
 */
final class LabelsValidator {
  private final TsdbOptions options;

  LabelsValidator(TsdbOptions options) {
    this.options = options;
  }

  /** Returns normally when the labels may form a series, else throws with the label at fault. */
  void validate(Labels labels) throws AppendException {
    String metric = labels.metricName();
    if (metric == null || metric.isEmpty()) {
      throw invalid(labels, "the metric name (label __name__) is missing or empty");
    }
    if (labels.size() > options.maxLabelsPerSeries()) {
      throw invalid(
          labels,
          "the series has "
              + labels.size()
              + " labels, more than the limit of "
              + options.maxLabelsPerSeries()
              + " (maxLabelsPerSeries)");
    }
    boolean legacy = options.nameValidation() == TsdbOptions.NameValidation.LEGACY;
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      String value = labels.value(i);
      int nameBytes = utf8Length(name);
      if (nameBytes < 0) {
        throw invalid(labels, "label name " + quote(name) + " is not valid UTF-8");
      }
      if (nameBytes == 0) {
        throw invalid(labels, "a label name is empty");
      }
      if (nameBytes > options.maxLabelNameBytes()) {
        throw invalid(
            labels,
            "label name "
                + quote(abbreviate(name))
                + " is "
                + nameBytes
                + " bytes long, more than the limit of "
                + options.maxLabelNameBytes()
                + " (maxLabelNameBytes)");
      }
      if (legacy && !legacyLabelName(name)) {
        throw invalid(
            labels,
            "label name "
                + quote(name)
                + " is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
      }
      int valueBytes = utf8Length(value);
      if (valueBytes < 0) {
        throw invalid(labels, "the value of label " + quote(name) + " is not valid UTF-8");
      }
      if (valueBytes > options.maxLabelValueBytes()) {
        throw invalid(
            labels,
            "the value of label "
                + quote(name)
                + " is "
                + valueBytes
                + " bytes long, more than the limit of "
                + options.maxLabelValueBytes()
                + " (maxLabelValueBytes)");
      }
    }
    if (legacy && !legacyMetricName(metric)) {
      throw invalid(
          labels,
          "metric name "
              + quote(metric)
              + " is not a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
    }
  }

  private static AppendException invalid(Labels labels, String problem) {
    return new AppendException(
        AppendException.Reason.INVALID_LABELS,
        "series " + abbreviate(labels.toString()) + " refused: " + problem);
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /** The UTF-8 length of {@code s}, or -1 if it holds a lone surrogate (not encodable). */
  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          n += 4;
          i++;
        } else {
          return -1;
        }
      } else if (Character.isLowSurrogate(c)) {
        return -1;
      } else {
        n += 3;
      }
    }
    return n;
  }

  static boolean legacyLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && isDigit(c));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static boolean legacyMetricName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || c == ':'
              || (i > 0 && isDigit(c));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
