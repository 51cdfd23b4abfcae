package dev.nines.common;

import java.time.Duration;

/**
 * Durations in Prometheus's notation: {@code 1y2w3d4h5m6s7ms}, units in that order, each at most
 * once, or the bare {@code 0}. A year is 365 days and a week 7 days, as Prometheus counts them.
 */
public final class PromDuration {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3600 * 1000,
    7L * 24 * 3600 * 1000,
    24L * 3600 * 1000,
    3600L * 1000,
    60L * 1000,
    1000L,
    1L
  };

  private PromDuration() {}

  /**
   * Parses a Prometheus duration.
   *
   * @throws IllegalArgumentException naming the text when it is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    long total = 0;
    int pos = 0;
    int nextUnit = 0;
    while (pos < text.length()) {
      int digitsStart = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == digitsStart) {
        throw notADuration(text);
      }
      int unitStart = pos;
      while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
        pos++;
      }
      String unit = text.substring(unitStart, pos);
      int unitIndex = -1;
      for (int i = nextUnit; i < UNITS.length; i++) {
        if (UNITS[i].equals(unit)) {
          unitIndex = i;
          break;
        }
      }
      if (unitIndex < 0) {
        throw notADuration(text);
      }
      long value;
      try {
        value = Long.parseLong(text, digitsStart, unitStart, 10);
        total = Math.addExact(total, Math.multiplyExact(value, UNIT_MILLIS[unitIndex]));
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException("duration out of range: \"" + text + "\"", e);
      }
      nextUnit = unitIndex + 1;
    }
    return Duration.ofMillis(total);
  }

  /** Formats a duration the way Prometheus prints one: largest units first, {@code 0s} for zero. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    if (millis < 0) {
      out.append('-');
      millis = -millis;
    }
    for (int i = 0; i < UNITS.length; i++) {
      long count = millis / UNIT_MILLIS[i];
      if (count > 0) {
        out.append(count).append(UNITS[i]);
        millis -= count * UNIT_MILLIS[i];
      }
    }
    return out.toString();
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException("\"" + text + "\" is not a duration");
  }
}
