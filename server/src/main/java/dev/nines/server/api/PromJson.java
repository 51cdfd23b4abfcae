package dev.nines.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nines.common.Labels;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/*
 * Design notes. Values are written as Prometheus's jsonutil.MarshalFloat writes them: Go's
 * strconv.AppendFloat with the shortest representation that reads back exactly, in 'f' form for
 * magnitudes in [1e-6, 1e21) and 'e' form (at least two exponent digits) otherwise; NaN, +Inf and
 * -Inf spelled as Go spells them. Java's shortest digits (Double.toString, and StringBuilder's
 * append(double), JDK 19 and later) are the same digits, so they are taken and re-laid out.
 * Integers below 1e15, the common case for counters, skip the JDK's conversion altogether.
 *
 * Timestamps are written as jsonutil.MarshalTimestamp writes them: whole seconds, then '.' and
 * three millisecond digits when the fraction is not zero (1700000000.120 keeps its trailing zero).
 *
 * A range query answers with a lot of points (1,000 series x 1,440 steps is 1.44 M points, about
 * 35 MB), so the points are the hot path of the answer. One PromJson per response owns a char
 * buffer; a series' points are formatted into it directly (digits by hand, the JDK's shortest
 * digits through a reused StringBuilder, no String per value) and handed to Jackson as raw JSON
 * in buffer-sized pieces: the first piece through writeRawValue, which writes the separator the
 * generator's context needs, the rest through writeRaw. Everything written this way is ASCII. The
 * series of a range query with a value at every step share one timestamps array, whose spellings
 * are made once per response and copied for every further series.
 */

/** Writes PromQL values, timestamps and label sets in Prometheus's JSON spelling. */
final class PromJson {
  /** More than the longest point, {@code ,[-9223372036854775.808,"-1.7976931348623157e+308"]}. */
  private static final int MAX_POINT_CHARS = 64;

  private final JsonGenerator gen;
  private final char[] buf = new char[8192];
  private int len;
  private final FloatFormat floats = new FloatFormat();
  // The timestamps array of the previous points() call, and the one spelled in spelledChars.
  private long @Nullable [] previousTimes;
  private long @Nullable [] spelledTimes;
  private int spelledCount;
  private char[] spelledChars = new char[0];
  private int[] spelledEnds = new int[0];

  PromJson(JsonGenerator gen) {
    this.gen = gen;
  }

  JsonGenerator gen() {
    return gen;
  }

  /** {@code [<seconds>, "<value>"]}. */
  void point(long timestampMillis, double value) throws IOException {
    len = 0;
    appendPoint(timestampMillis, value);
    gen.writeRawValue(buf, 0, len);
  }

  /**
   * The JSON array {@code [[<seconds>, "<value>"], ...]} of the first {@code size} points, as
   * {@link #point} writes each.
   */
  void points(long[] timestampsMillis, double[] values, int size) throws IOException {
    boolean spelled = timestampsMillis == spelledTimes && size <= spelledCount;
    if (!spelled && timestampsMillis == previousTimes) {
      spellTimes(timestampsMillis, size);
      spelled = true;
    }
    previousTimes = timestampsMillis;
    boolean first = true;
    len = 0;
    buf[len++] = '[';
    for (int i = 0; i < size; i++) {
      if (len > buf.length - MAX_POINT_CHARS) {
        flushRaw(first);
        first = false;
      }
      if (i > 0) {
        buf[len++] = ',';
      }
      if (spelled) {
        buf[len++] = '[';
        int from = i == 0 ? 0 : spelledEnds[i - 1];
        int n = spelledEnds[i] - from;
        System.arraycopy(spelledChars, from, buf, len, n);
        len += n;
        buf[len++] = ',';
        buf[len++] = '"';
        len = floats.append(values[i], buf, len);
        buf[len++] = '"';
        buf[len++] = ']';
      } else {
        appendPoint(timestampsMillis[i], values[i]);
      }
    }
    buf[len++] = ']';
    flushRaw(first);
  }

  /**
   * Spells every timestamp of {@code times} once. The series of a range query with a value at every
   * step share one timestamps array (SeriesPoints' contract: never modified), so from the second
   * series on, their timestamps are copied rather than formatted again.
   */
  private void spellTimes(long[] times, int size) {
    if (spelledEnds.length < size) {
      spelledEnds = new int[size];
    }
    int need = size * 21;
    if (spelledChars.length < need) {
      spelledChars = new char[need];
    }
    int at = 0;
    for (int i = 0; i < size; i++) {
      at = appendTimestamp(times[i], spelledChars, at);
      spelledEnds[i] = at;
    }
    spelledTimes = times;
    spelledCount = size;
  }

  private void flushRaw(boolean first) throws IOException {
    if (first) {
      gen.writeRawValue(buf, 0, len);
    } else {
      gen.writeRaw(buf, 0, len);
    }
    len = 0;
  }

  private void appendPoint(long timestampMillis, double value) {
    buf[len++] = '[';
    len = appendTimestamp(timestampMillis, buf, len);
    buf[len++] = ',';
    buf[len++] = '"';
    len = floats.append(value, buf, len);
    buf[len++] = '"';
    buf[len++] = ']';
  }

  /** {@code [<seconds>, "<string>"]}. */
  void stringPoint(long timestampMillis, String value) throws IOException {
    gen.writeStartArray();
    timestamp(timestampMillis);
    gen.writeString(value);
    gen.writeEndArray();
  }

  /** A timestamp as float seconds with at most millisecond precision. */
  void timestamp(long millis) throws IOException {
    int n = appendTimestamp(millis, buf, 0);
    gen.writeNumber(buf, 0, n);
  }

  /** A sample value as a JSON string. */
  void value(double v) throws IOException {
    int n = floats.append(v, buf, 0);
    gen.writeString(buf, 0, n);
  }

  /** A label set as a JSON object, names in order. */
  void labels(Labels labels) throws IOException {
    gen.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      gen.writeFieldName(labels.name(i));
      gen.writeString(labels.value(i));
    }
    gen.writeEndObject();
  }

  /** A JSON array of strings. */
  void strings(List<String> values) throws IOException {
    gen.writeStartArray();
    for (String s : values) {
      gen.writeString(s);
    }
    gen.writeEndArray();
  }

  /** Appends milliseconds as Prometheus's MarshalTimestamp writes them. */
  static void appendTimestamp(long t, StringBuilder out) {
    char[] b = new char[24];
    out.append(b, 0, appendTimestamp(t, b, 0));
  }

  /**
   * Writes milliseconds as Prometheus's MarshalTimestamp writes them into {@code out} at {@code at}
   * (at most 21 chars); returns the end.
   */
  static int appendTimestamp(long t, char[] out, int at) {
    if (t < 0) {
      out[at++] = '-';
      if (t == Long.MIN_VALUE) {
        "9223372036854775.808".getChars(0, 20, out, at);
        return at + 20;
      }
      t = -t;
    }
    at = appendLong(t / 1000, out, at);
    int fraction = (int) (t % 1000);
    if (fraction != 0) {
      out[at] = '.';
      out[at + 1] = (char) ('0' + fraction / 100);
      out[at + 2] = (char) ('0' + fraction / 10 % 10);
      out[at + 3] = (char) ('0' + fraction % 10);
      at += 4;
    }
    return at;
  }

  /** "00", "01", ... "99": two digits per division. */
  private static final char[] DIGIT_PAIRS = new char[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (char) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (char) ('0' + i % 10);
    }
  }

  /** Writes the decimal digits of {@code v >= 0} at {@code at}; returns the end. */
  static int appendLong(long v, char[] out, int at) {
    if (v <= Integer.MAX_VALUE) {
      return appendInt((int) v, out, at);
    }
    long high = v / 1_000_000_000;
    at = appendLong(high, out, at);
    return appendDigits((int) (v - high * 1_000_000_000), 9, out, at);
  }

  private static int appendInt(int v, char[] out, int at) {
    int n = 1;
    for (int p = 10; n < 10 && v >= p; p *= 10) {
      n++;
    }
    return appendDigits(v, n, out, at);
  }

  /** Writes exactly {@code n} digits of {@code 0 <= v < 10^n} (zero-padded); returns the end. */
  private static int appendDigits(int v, int n, char[] out, int at) {
    int i = at + n;
    while (i - at >= 2) {
      int q = v / 100;
      int r = (v - q * 100) * 2;
      v = q;
      out[--i] = DIGIT_PAIRS[r + 1];
      out[--i] = DIGIT_PAIRS[r];
    }
    if (i > at) {
      out[--i] = (char) ('0' + v);
    }
    return at + n;
  }

  /** The value as Prometheus writes it: {@code "1.5"}, {@code "NaN"}, {@code "+Inf"}. */
  static String formatFloat(double v) {
    char[] out = new char[FloatFormat.MAX_CHARS];
    return new String(out, 0, new FloatFormat().append(v, out, 0));
  }

  /**
   * Formats floats as MarshalFloat does, reusing its scratch buffers: one per thread or response.
   */
  static final class FloatFormat {
    /** More than the longest spelling, {@code -0.0000012345678901234567}. */
    static final int MAX_CHARS = 32;

    private final StringBuilder javaDigits = new StringBuilder(32);
    private final char[] scratch = new char[32];
    private final char[] digits = new char[32];

    /**
     * Writes the value as Go's strconv.AppendFloat(v, 'f' or 'e', -1, 64) in MarshalFloat into
     * {@code out} at {@code at} (at most 25 chars); returns the end.
     */
    int append(double v, char[] out, int at) {
      if (Double.isNaN(v)) {
        return put("NaN", out, at);
      }
      if (Double.isInfinite(v)) {
        return put(v > 0 ? "+Inf" : "-Inf", out, at);
      }
      boolean negative = v < 0 || (v == 0 && Double.doubleToRawLongBits(v) != 0);
      double abs = Math.abs(v);
      if (abs == 0) {
        return put(negative ? "-0" : "0", out, at);
      }
      if (negative) {
        out[at++] = '-';
      }
      if (abs < 1e15 && abs == Math.rint(abs)) {
        return appendLong((long) abs, out, at);
      }
      // Java's shortest round-trip spelling: "I.F" (1e-3 <= abs < 1e7) or "D.FFFE[-]x".
      StringBuilder sb = javaDigits;
      sb.setLength(0);
      sb.append(abs);
      int sl = sb.length();
      char[] s = scratch;
      sb.getChars(0, sl, s, 0);
      int mantissaEnd = sl;
      int exp = 0;
      for (int i = 0; i < sl; i++) {
        if (s[i] == 'E') {
          mantissaEnd = i;
          boolean minus = s[i + 1] == '-';
          for (int k = minus ? i + 2 : i + 1; k < sl; k++) {
            exp = exp * 10 + (s[k] - '0');
          }
          if (minus) {
            exp = -exp;
          }
          break;
        }
      }
      // The digits d1 d2 ... dn, without the point, for the value 0.d1d2...dn * 10^exp10.
      char[] d = digits;
      int nd = 0;
      int intLen = -1;
      for (int i = 0; i < mantissaEnd; i++) {
        char c = s[i];
        if (c == '.') {
          intLen = nd;
        } else {
          d[nd++] = c;
        }
      }
      if (intLen < 0) {
        intLen = nd;
      }
      int exp10 = intLen + exp;
      int start = 0;
      while (start < nd - 1 && d[start] == '0') {
        start++;
        exp10--;
      }
      int end = nd;
      while (end > start + 1 && d[end - 1] == '0') {
        end--;
      }
      int n = end - start;
      if (abs < 1e-6 || abs >= 1e21) {
        out[at++] = d[start];
        if (n > 1) {
          out[at++] = '.';
          System.arraycopy(d, start + 1, out, at, n - 1);
          at += n - 1;
        }
        int x = exp10 - 1;
        out[at++] = 'e';
        out[at++] = x < 0 ? '-' : '+';
        int ax = Math.abs(x);
        if (ax < 10) {
          out[at++] = '0';
        }
        return appendLong(ax, out, at);
      }
      if (exp10 <= 0) {
        out[at++] = '0';
        out[at++] = '.';
        for (int i = 0; i < -exp10; i++) {
          out[at++] = '0';
        }
        System.arraycopy(d, start, out, at, n);
        return at + n;
      }
      if (exp10 >= n) {
        System.arraycopy(d, start, out, at, n);
        at += n;
        for (int i = n; i < exp10; i++) {
          out[at++] = '0';
        }
        return at;
      }
      System.arraycopy(d, start, out, at, exp10);
      at += exp10;
      out[at++] = '.';
      System.arraycopy(d, start + exp10, out, at, n - exp10);
      return at + n - exp10;
    }

    private static int put(String s, char[] out, int at) {
      s.getChars(0, s.length(), out, at);
      return at + s.length();
    }
  }
}
