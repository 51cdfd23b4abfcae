package dev.nines.tsdb.chunk;

/*
 * Design notes (docs/formats/chunks.md, "When a chunk qualifies").
 *
 * The one place that decides whether a float is an integer divided by a power of ten, for FOR
 * (ForChunk, whole chunks) and SCALED (XorChunk, one sample at a time). The test is the decoder's
 * own computation: the integer, converted to double and divided by 10^e (an IEEE-754 correctly
 * rounded division), must give back the exact bits. Integers stay below 2^53 in magnitude, so the
 * conversion to double is exact and the wrapping delta arithmetic of the encoders never loses a
 * value.
 */

/** Floats that are integers divided by a power of ten: the check FOR and SCALED share. */
final class ScaledIntegers {
  /** The largest decimal scale: values are {@code n / 10^e}, {@code 0 <= e <= MAX_SCALE}. */
  static final int MAX_SCALE = 6;

  /** {@code 10^e} for every scale {@code e}: the decoders' divisors. */
  static final double[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  /** What {@link #integerAt} returns for a value that is not a scaled integer at that scale. */
  static final long NONE = Long.MIN_VALUE;

  private static final double MAX_EXACT = 9007199254740992.0; // 2^53

  private ScaledIntegers() {}

  /**
   * The integer {@code n} with {@code doubleToRawLongBits(n / 10^scale) == bits}, or {@link #NONE}
   * when there is none with {@code |n| < 2^53} (NaN, infinities, -0.0, fractions, huge values).
   */
  static long integerAt(long bits, int scale) {
    double p = POW10[scale];
    double x = Double.longBitsToDouble(bits) * p;
    if (!(Math.abs(x) < MAX_EXACT)) {
      return NONE; // also NaN and the infinities
    }
    long n = Math.round(x);
    return Double.doubleToRawLongBits(n / p) == bits ? n : NONE;
  }

  /** The least scale at which {@code bits} is a scaled integer; -1 when there is none. */
  static int leastScale(long bits) {
    for (int e = 0; e <= MAX_SCALE; e++) {
      if (integerAt(bits, e) != NONE) {
        return e;
      }
    }
    return -1;
  }

  /**
   * The least scale at which each of the first {@code n} values is a scaled integer, filling {@code
   * ints} with the integers at that scale; -1 (and {@code ints} undefined) when there is none.
   */
  static int leastScale(long[] bits, int n, long[] ints) {
    scales:
    for (int e = 0; e <= MAX_SCALE; e++) {
      for (int i = 0; i < n; i++) {
        long v = integerAt(bits[i], e);
        if (v == NONE) {
          continue scales;
        }
        ints[i] = v;
      }
      return e;
    }
    return -1;
  }
}
