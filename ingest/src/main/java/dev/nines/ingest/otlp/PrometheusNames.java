package dev.nines.ingest.otlp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenTelemetry names to Prometheus names, as Prometheus translates them by default (the {@code
 * UnderscoreEscapingWithSuffixes} strategy of its OTLP receiver, from the OpenTelemetry
 * specification's Prometheus compatibility section).
 *
 * <p>Metric names: the name is split into tokens at every character outside {@code [a-zA-Z0-9:]}
 * (so dots, dashes and runs of underscores all become one {@code _}); the unit's suffix is appended
 * unless a token already equals it ({@code s} → {@code seconds}, {@code By} → {@code bytes}, {@code
 * By/s} → {@code bytes_per_second}; units in braces such as {@code {request}} add nothing, {@code
 * 1} adds nothing); monotonic sums get {@code total} moved to the end; gauges with unit {@code 1}
 * get {@code ratio} moved to the end; a leading digit gets a {@code _} prefix.
 *
 * <p>Label names: every character outside {@code [a-zA-Z0-9_]} becomes {@code _}; a leading digit
 * gets {@code key_}, a single leading underscore gets {@code key}; {@code __}-prefixed names stay.
 */
final class PrometheusNames {
  private PrometheusNames() {}

  /** The Prometheus metric type a metric maps to, which decides its suffixes. */
  enum Kind {
    GAUGE,
    MONOTONIC_COUNTER,
    NON_MONOTONIC_COUNTER,
    HISTOGRAM,
    SUMMARY
  }

  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("d", "days"),
          Map.entry("h", "hours"),
          Map.entry("min", "minutes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"),
          Map.entry("TiBy", "tibibytes"),
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("1", ""),
          Map.entry("%", "percent"));

  private static final Map<String, String> PER_UNITS =
      Map.of(
          "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y",
          "year");

  /** The Prometheus metric name for an OTLP metric (before any _bucket/_sum/_count suffix). */
  static String metricName(String name, String unit, Kind kind) {
    List<String> tokens = tokens(name);
    String[] suffixes = unitSuffixes(unit);
    String main = cleanUpUnit(suffixes[0]);
    String per = cleanUpUnit(suffixes[1]);
    if (tokens.contains(main)) {
      main = "";
    }
    if (per.equals("per_")) {
      per = "";
    } else {
      if (per.endsWith("_")) {
        per = per.substring(0, per.length() - 1);
      }
      if (tokens.contains(per)) {
        per = "";
      }
    }
    if (!per.isEmpty() && main.endsWith("_")) {
      main = main.substring(0, main.length() - 1);
    }
    if (!main.isEmpty()) {
      tokens.add(main);
    }
    if (!per.isEmpty()) {
      tokens.add(per);
    }
    if (kind == Kind.MONOTONIC_COUNTER) {
      tokens.removeIf(t -> t.equals("total"));
      tokens.add("total");
    }
    if (unit.equals("1") && kind == Kind.GAUGE) {
      tokens.removeIf(t -> t.equals("ratio"));
      tokens.add("ratio");
    }
    String joined = String.join("_", tokens);
    if (!joined.isEmpty() && Character.isDigit(joined.charAt(0))) {
      joined = "_" + joined;
    }
    return joined;
  }

  /** Splits at every character outside [a-zA-Z0-9:], dropping empty tokens. */
  private static List<String> tokens(String name) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < name.length(); i++) {
      if (isMetricChar(name.charAt(i))) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        out.add(name.substring(start, i));
        start = -1;
      }
    }
    if (start >= 0) {
      out.add(name.substring(start));
    }
    return out;
  }

  private static boolean isMetricChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
  }

  /** {main, per} suffixes of a UCUM unit such as {@code By/s}: {"bytes", "per_second"}. */
  private static String[] unitSuffixes(String unit) {
    String main = "";
    String per = "";
    int slash = unit.indexOf('/');
    String mainUnit = (slash < 0 ? unit : unit.substring(0, slash)).trim();
    if (!mainUnit.isEmpty() && !containsBrace(mainUnit)) {
      main = UNITS.getOrDefault(mainUnit, mainUnit);
    }
    if (slash >= 0 && slash + 1 < unit.length()) {
      String perUnit = unit.substring(slash + 1).trim();
      if (!perUnit.isEmpty() && !containsBrace(perUnit)) {
        per = PER_UNITS.getOrDefault(perUnit, perUnit);
      }
      if (!per.isEmpty()) {
        per = "per_" + per;
      }
    }
    return new String[] {main, per};
  }

  private static boolean containsBrace(String s) {
    return s.indexOf('{') >= 0 || s.indexOf('}') >= 0;
  }

  /** Invalid characters to _, runs of _ to one, no leading _. */
  private static String cleanUpUnit(String unit) {
    StringBuilder out = new StringBuilder(unit.length());
    for (int i = 0; i < unit.length(); i++) {
      char c = unit.charAt(i);
      char m = isMetricChar(c) ? c : '_';
      if (m == '_' && out.length() > 0 && out.charAt(out.length() - 1) == '_') {
        continue;
      }
      out.append(m);
    }
    int from = out.length() > 0 && out.charAt(0) == '_' ? 1 : 0;
    return out.substring(from);
  }

  /** The Prometheus label name for an OTLP attribute key; empty stays empty. */
  static String labelName(String key) {
    if (key.isEmpty()) {
      return key;
    }
    StringBuilder out = new StringBuilder(key.length());
    key.codePoints()
        .forEach(
            cp -> {
              boolean ok =
                  (cp >= 'a' && cp <= 'z')
                      || (cp >= 'A' && cp <= 'Z')
                      || (cp >= '0' && cp <= '9')
                      || cp == '_';
              out.append(ok ? (char) cp : '_');
            });
    String label = out.toString();
    if (Character.isDigit(label.charAt(0))) {
      return "key_" + label;
    }
    if (label.startsWith("_") && !label.startsWith("__")) {
      return "key" + label;
    }
    return label;
  }

  /**
   * A float as Go's {@code strconv.FormatFloat(f, 'f', -1, 64)} writes it (shortest, no exponent),
   * as Prometheus formats {@code le} and {@code quantile} values from OTLP.
   */
  static String formatFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return (Double.doubleToRawLongBits(f) < 0) ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
  }
}
