package dev.nines.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nines.common.Labels;
import java.io.IOException;
import java.util.List;

/*
 * Design notes. Values are written as Prometheus's jsonutil.MarshalFloat writes them: Go's
 * strconv.AppendFloat with the shortest representation that reads back exactly, in 'f' form for
 * magnitudes in [1e-6, 1e21) and 'e' form (at least two exponent digits) otherwise; NaN, +Inf and
 * -Inf spelled as Go spells them. Java's Double.toString (JDK 19 and later) produces the same
 * shortest digits, so its digits are taken and re-laid out. Integers below 1e15, the common case
 * for counters, skip Double.toString altogether.
 *
 * Timestamps are written as jsonutil.MarshalTimestamp writes them: whole seconds, then '.' and
 * three millisecond digits when the fraction is not zero (1700000000.120 keeps its trailing zero).
 *
 * One PromJson per response: it owns a small char buffer that every value is formatted into, so a
 * large matrix is streamed without a String per sample for integer values.
 */

/** Writes PromQL values, timestamps and label sets in Prometheus's JSON spelling. */
final class PromJson {
  private final JsonGenerator gen;
  private final char[] buf = new char[64];
  private final StringBuilder sb = new StringBuilder(64);

  PromJson(JsonGenerator gen) {
    this.gen = gen;
  }

  JsonGenerator gen() {
    return gen;
  }

  /** {@code [<seconds>, "<value>"]}. */
  void point(long timestampMillis, double value) throws IOException {
    gen.writeStartArray();
    timestamp(timestampMillis);
    value(value);
    gen.writeEndArray();
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
    sb.setLength(0);
    appendTimestamp(millis, sb);
    int n = sb.length();
    sb.getChars(0, n, buf, 0);
    gen.writeNumber(buf, 0, n);
  }

  /** A sample value as a JSON string. */
  void value(double v) throws IOException {
    sb.setLength(0);
    appendFloat(v, sb);
    int n = sb.length();
    sb.getChars(0, n, buf, 0);
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
    if (t < 0) {
      out.append('-');
      if (t == Long.MIN_VALUE) {
        out.append("9223372036854775.808");
        return;
      }
      t = -t;
    }
    out.append(t / 1000);
    long fraction = t % 1000;
    if (fraction != 0) {
      out.append('.');
      if (fraction < 100) {
        out.append('0');
      }
      if (fraction < 10) {
        out.append('0');
      }
      out.append(fraction);
    }
  }

  /** The value as Prometheus writes it: {@code "1.5"}, {@code "NaN"}, {@code "+Inf"}. */
  static String formatFloat(double v) {
    StringBuilder b = new StringBuilder(24);
    appendFloat(v, b);
    return b.toString();
  }

  /** Appends the value as Go's strconv.AppendFloat(v, 'f' or 'e', -1, 64) in MarshalFloat. */
  static void appendFloat(double v, StringBuilder out) {
    if (Double.isNaN(v)) {
      out.append("NaN");
      return;
    }
    if (Double.isInfinite(v)) {
      out.append(v > 0 ? "+Inf" : "-Inf");
      return;
    }
    boolean negative = v < 0 || (v == 0 && Double.doubleToRawLongBits(v) != 0);
    double abs = Math.abs(v);
    if (abs == 0) {
      out.append(negative ? "-0" : "0");
      return;
    }
    if (abs < 1e15 && abs == Math.rint(abs)) {
      if (negative) {
        out.append('-');
      }
      out.append((long) abs);
      return;
    }
    // Shortest round-trip digits d1 d2 ... dn with the value 0.d1d2...dn * 10^exp10.
    String s = Double.toString(abs);
    int e = s.indexOf('E');
    String mantissa = e < 0 ? s : s.substring(0, e);
    int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
    int dot = mantissa.indexOf('.');
    String intPart = dot < 0 ? mantissa : mantissa.substring(0, dot);
    String fracPart = dot < 0 ? "" : mantissa.substring(dot + 1);
    String all = intPart + fracPart;
    int exp10 = intPart.length() + exp;
    int start = 0;
    while (start < all.length() - 1 && all.charAt(start) == '0') {
      start++;
      exp10--;
    }
    int end = all.length();
    while (end > start + 1 && all.charAt(end - 1) == '0') {
      end--;
    }
    String digits = all.substring(start, end);
    if (negative) {
      out.append('-');
    }
    if (abs < 1e-6 || abs >= 1e21) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      int x = exp10 - 1;
      out.append('e').append(x < 0 ? '-' : '+');
      int ax = Math.abs(x);
      if (ax < 10) {
        out.append('0');
      }
      out.append(ax);
      return;
    }
    int n = digits.length();
    if (exp10 <= 0) {
      out.append("0.");
      for (int i = 0; i < -exp10; i++) {
        out.append('0');
      }
      out.append(digits);
    } else if (exp10 >= n) {
      out.append(digits);
      for (int i = n; i < exp10; i++) {
        out.append('0');
      }
    } else {
      out.append(digits, 0, exp10).append('.').append(digits, exp10, n);
    }
  }
}
