package dev.nines.rules.template;

import dev.nines.common.gotemplate.GoFormat;

/**
 * Prometheus's number formatting template functions, with its exact output: {@code %.4g} digits, SI
 * or binary prefixes, {@code 1d 2h 3m 4s} durations and Go's UTC time text.
 */
public final class Humanize {
  private static final String[] BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};
  private static final String[] BINARY = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

  private Humanize() {}

  /** {@code humanize}: SI prefixes, 4 significant digits ({@code 1.235k}, {@code 12.5m}). */
  public static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.floatG(v, 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : BIG) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
      return GoFormat.floatG(v, 4) + prefix;
    }
    for (String p : SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFormat.floatG(v, 4) + prefix;
  }

  /** {@code humanize1024}: binary prefixes ({@code 1ki}, {@code 1.5Mi}). */
  public static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.floatG(v, 4);
    }
    String prefix = "";
    for (String p : BINARY) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return GoFormat.floatG(v, 4) + prefix;
  }

  /** {@code humanizeDuration}: seconds as {@code 1d 2h 3m 4s}, {@code 1.5s} or {@code 12ms}. */
  public static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.floatG(v, 4);
    }
    if (v == 0) {
      return GoFormat.floatG(v, 4) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = "";
      if (v < 0) {
        sign = "-";
        v = -v;
      }
      long total = (long) v;
      long seconds = total % 60;
      long minutes = (total / 60) % 60;
      long hours = (total / 60 / 60) % 24;
      long days = total / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + GoFormat.floatG(v, 4) + "s";
    }
    String prefix = "";
    for (String p : SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFormat.floatG(v, 4) + prefix + "s";
  }

  /** {@code humanizePercentage}: a ratio as a percentage ({@code 0.1234} is {@code 12.34%}). */
  public static String humanizePercentage(double v) {
    return GoFormat.floatG(v * 100, 4) + "%";
  }

  /**
   * {@code humanizeTimestamp}: seconds since the epoch as Go prints a UTC time ({@code 2026-01-02
   * 03:04:05.5 +0000 UTC}).
   *
   * @throws IllegalArgumentException when the value does not fit a nanosecond timestamp
   */
  public static String humanizeTimestamp(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.floatG(v, 4);
    }
    double nanos = v * 1e9;
    if (nanos >= 0x1p63 || nanos < -0x1p63) {
      throw new IllegalArgumentException(
          GoFormat.floatV(v)
              + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    }
    return GoFormat.time((long) nanos);
  }
}
