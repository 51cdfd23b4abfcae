package dev.nines.promql.engine;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Float helpers shared by the evaluator: the "no value at this step" marker, the stale marker,
 * Kahan-Neumaier summation as Prometheus's {@code kahanSumInc}, and Go's {@code math.Pow} and
 * {@code strconv.FormatFloat(f, 'f', -1, 64)} where Java differs.
 *
 * <p>Design note: step values live in plain {@code double[]} arrays, one per series; a step without
 * a value holds {@link #ABSENT}, a quiet NaN with a payload that no arithmetic produces from other
 * values and that loaded samples are never allowed to carry (see {@link #canonical(double)}). Every
 * operator checks {@link #isAbsent(double)} before computing.
 */
final class Values {
  /** Bits of the marker for "no value at this step". */
  static final long ABSENT_BITS = 0x7ff8_0000_00a5_e17eL;

  /** The marker for "no value at this step". */
  static final double ABSENT = Double.longBitsToDouble(ABSENT_BITS);

  /** Bits of Prometheus's stale marker. */
  static final long STALE_BITS = 0x7ff0_0000_0000_0002L;

  private Values() {}

  static boolean isAbsent(double v) {
    return Double.doubleToRawLongBits(v) == ABSENT_BITS;
  }

  static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == STALE_BITS;
  }

  /** A loaded value that can never be mistaken for {@link #ABSENT}. */
  static double canonical(double v) {
    return Double.doubleToRawLongBits(v) == ABSENT_BITS ? Double.NaN : v;
  }

  /** An array of {@code n} absent values. */
  static double[] absentArray(int n) {
    double[] a = new double[n];
    Arrays.fill(a, ABSENT);
    return a;
  }

  /**
   * One step of Kahan-Neumaier summation: returns the new sum and stores the new compensation in
   * {@code c[0]}, as Prometheus's {@code kahanSumInc}.
   */
  static double kahanInc(double inc, double sum, double[] c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c[0] = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c[0] += (sum - t) + inc;
    } else {
      c[0] += (inc - t) + sum;
    }
    return t;
  }

  /** Go's {@code math.Pow}, which differs from {@link Math#pow} for a NaN or infinite exponent. */
  static double pow(double x, double y) {
    if (x == 1 || y == 0) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }

  /** Go's {@code math.Mod}: like Java's {@code %}. */
  static double mod(double x, double y) {
    return x % y;
  }

  /** Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}: shortest digits, never an exponent. */
  static String formatFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Prometheus's {@code %g} formatting of a float in annotation texts. */
  static String formatG(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e21) {
      return Long.toString((long) v);
    }
    String s = Double.toString(v);
    if (s.contains("E")) {
      // Go prints 1e-05 where Java prints 1.0E-5.
      String[] parts = s.split("E");
      String mant =
          parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
      int exp = Integer.parseInt(parts[1]);
      String e = String.format("%02d", Math.abs(exp));
      return mant + "e" + (exp < 0 ? "-" : "+") + e;
    }
    return s;
  }
}
