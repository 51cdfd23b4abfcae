package dev.nines.ingest.exposition;

import java.nio.charset.StandardCharsets;

/**
 * Parses the numbers of both text formats from a byte range without allocating in the common case.
 *
 * <p>Grammar (OpenMetrics {@code number}, which is also the decimal part of what Go's {@code
 * strconv.ParseFloat} takes for the Prometheus text format): {@code [+-] (digits [. digits*] | .
 * digits) [(e|E) [+-] digits]}, or {@code [+-]Inf}/{@code [+-]Infinity} or {@code NaN} in any
 * letter case. Go's hexadecimal floats are not accepted.
 *
 * <p>Decimal conversion uses Clinger's fast path: when the significant digits fit in 2^53 and the
 * decimal exponent is within ±22, one IEEE multiplication or division of two exact doubles is
 * correctly rounded. Anything else falls back to {@link Double#parseDouble}, which the grammar
 * check above makes safe (it would otherwise accept suffixes like {@code d} and whitespace).
 */
final class NumberParser {
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = p;
      p *= 10;
    }
  }

  /** The result of the last successful {@link #parseFloat} call. */
  double value;

  /** The result of the last successful {@link #parseLong} call. */
  long longValue;

  /** Whether the last parseFloat call read a real number (not Inf or NaN). */
  boolean real;

  /** Parses a float; returns false (leaving {@link #value} undefined) if the text is not one. */
  boolean parseFloat(byte[] buf, int start, int end) {
    if (start >= end) {
      return false;
    }
    int i = start;
    boolean negative = false;
    if (buf[i] == '+' || buf[i] == '-') {
      negative = buf[i] == '-';
      i++;
    }
    if (i < end && (buf[i] | 0x20) == 'i') {
      real = false;
      if (equalsIgnoreCase(buf, i, end, "inf") || equalsIgnoreCase(buf, i, end, "infinity")) {
        value = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        return true;
      }
      return false;
    }
    if (i == start && (buf[i] | 0x20) == 'n') {
      real = false;
      if (equalsIgnoreCase(buf, i, end, "nan")) {
        value = Double.NaN;
        return true;
      }
      return false;
    }
    real = true;
    long mantissa = 0;
    int significant = 0;
    int exponent = 0;
    int digits = 0;
    boolean exact = true;
    while (i < end && isDigit(buf[i])) {
      int d = buf[i] - '0';
      if (significant < 18) {
        if (mantissa != 0 || d != 0) {
          mantissa = mantissa * 10 + d;
          significant++;
        }
      } else {
        exponent++;
        exact = exact && d == 0;
      }
      digits++;
      i++;
    }
    if (i < end && buf[i] == '.') {
      i++;
      while (i < end && isDigit(buf[i])) {
        int d = buf[i] - '0';
        if (significant < 18) {
          if (mantissa != 0 || d != 0) {
            mantissa = mantissa * 10 + d;
            significant++;
          }
          exponent--;
        } else {
          exact = exact && d == 0;
        }
        digits++;
        i++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < end && (buf[i] | 0x20) == 'e') {
      i++;
      boolean expNegative = false;
      if (i < end && (buf[i] == '+' || buf[i] == '-')) {
        expNegative = buf[i] == '-';
        i++;
      }
      if (i >= end || !isDigit(buf[i])) {
        return false;
      }
      int e = 0;
      while (i < end && isDigit(buf[i])) {
        if (e < 100_000) {
          e = e * 10 + (buf[i] - '0');
        }
        i++;
      }
      exponent += expNegative ? -e : e;
    }
    if (i != end) {
      return false;
    }
    if (mantissa == 0) {
      value = negative ? -0.0 : 0.0;
      return true;
    }
    if (exact && mantissa < (1L << 53) && exponent >= -22 && exponent <= 22) {
      double m = mantissa;
      double v = exponent >= 0 ? m * POWERS_OF_TEN[exponent] : m / POWERS_OF_TEN[-exponent];
      value = negative ? -v : v;
      return true;
    }
    value = Double.parseDouble(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
    return true;
  }

  /** Parses {@code [+-]digits} into {@link #longValue}; false if malformed or out of range. */
  boolean parseLong(byte[] buf, int start, int end) {
    int i = start;
    boolean negative = false;
    if (i < end && (buf[i] == '+' || buf[i] == '-')) {
      negative = buf[i] == '-';
      i++;
    }
    if (i >= end) {
      return false;
    }
    long v = 0;
    for (; i < end; i++) {
      if (!isDigit(buf[i])) {
        return false;
      }
      int d = buf[i] - '0';
      // accumulate negatively so that Long.MIN_VALUE fits
      if (v < (Long.MIN_VALUE + d) / 10) {
        return false;
      }
      v = v * 10 - d;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        return false;
      }
      v = -v;
    }
    longValue = v;
    return true;
  }

  static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean equalsIgnoreCase(byte[] buf, int start, int end, String lower) {
    if (end - start != lower.length()) {
      return false;
    }
    for (int i = 0; i < lower.length(); i++) {
      if ((buf[start + i] | 0x20) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
