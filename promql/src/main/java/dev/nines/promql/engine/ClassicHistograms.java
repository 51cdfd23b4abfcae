package dev.nines.promql.engine;

import java.util.Arrays;

/**
 * Quantiles and fractions over classic histogram buckets ({@code le}-labelled cumulative counts),
 * as Prometheus's {@code BucketQuantile}: sort by upper bound, merge equal bounds, ignore relative
 * deltas below 1e-12, force monotonicity (reported), interpolate linearly with a lower bound of 0
 * for the lowest bucket when its upper bound is positive.
 */
final class ClassicHistograms {
  static final double SMALL_DELTA_TOLERANCE = 1e-12;
  private static final double MIN_NORMAL = Double.MIN_NORMAL;

  private ClassicHistograms() {}

  /** Buckets being collected for one output series at one step. */
  static final class Buckets {
    double[] upper = new double[8];
    double[] count = new double[8];
    int n;

    void clear() {
      n = 0;
    }

    void add(double u, double c) {
      if (n == upper.length) {
        upper = Arrays.copyOf(upper, n * 2);
        count = Arrays.copyOf(count, n * 2);
      }
      upper[n] = u;
      count[n] = c;
      n++;
    }

    /** Sorts by upper bound (stable), merges equal bounds, returns whether the last is +Inf. */
    boolean prepare() {
      // Insertion sort: bucket counts are small.
      for (int i = 1; i < n; i++) {
        double u = upper[i];
        double c = count[i];
        int j = i - 1;
        while (j >= 0 && upper[j] > u) {
          upper[j + 1] = upper[j];
          count[j + 1] = count[j];
          j--;
        }
        upper[j + 1] = u;
        count[j + 1] = c;
      }
      if (n == 0 || upper[n - 1] != Double.POSITIVE_INFINITY) {
        return false;
      }
      int w = 0;
      for (int i = 1; i < n; i++) {
        if (upper[i] == upper[w]) {
          count[w] += count[i];
        } else {
          w++;
          upper[w] = upper[i];
          count[w] = count[i];
        }
      }
      n = w + 1;
      return true;
    }

    /**
     * Prometheus's ensureMonotonicAndIgnoreSmallDeltas; returns whether monotonicity was forced.
     */
    boolean ensureMonotonic() {
      boolean forced = false;
      double prev = count[0];
      for (int i = 1; i < n; i++) {
        double curr = count[i];
        if (curr == prev) {
          continue;
        }
        if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
          count[i] = prev;
          continue;
        }
        if (curr < prev) {
          count[i] = prev;
          forced = true;
          continue;
        }
        prev = curr;
      }
      return forced;
    }
  }

  static boolean almostEqual(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
      return diff < epsilon * MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }

  /**
   * The quantile; sets {@code forced[0]} when monotonicity had to be forced. The buckets are
   * consumed.
   */
  static double quantile(double q, Buckets b, boolean[] forced) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (!b.prepare()) {
      return Double.NaN;
    }
    boolean f = b.ensureMonotonic();
    if (b.n < 2) {
      return Double.NaN;
    }
    double observations = b.count[b.n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    forced[0] = f;
    double rank = q * observations;
    // sort.Search over [0, n-1): first index with count >= rank.
    int lo = 0;
    int hi = b.n - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (b.count[mid] >= rank) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    int idx = lo;
    if (idx == b.n - 1) {
      return b.upper[b.n - 2];
    }
    if (idx == 0 && b.upper[0] <= 0) {
      return b.upper[0];
    }
    double bucketStart = 0;
    double bucketEnd = b.upper[idx];
    double count = b.count[idx];
    if (idx > 0) {
      bucketStart = b.upper[idx - 1];
      count -= b.count[idx - 1];
      rank -= b.count[idx - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  /**
   * The fraction of observations between {@code lower} and {@code upper}, interpolating linearly
   * inside buckets (the lowest bucket starts at 0 when its upper bound is positive, and the +Inf
   * bucket is not interpolated). The buckets are consumed.
   */
  static double fraction(double lower, double upper, Buckets b) {
    if (!b.prepare()) {
      return Double.NaN;
    }
    b.ensureMonotonic();
    double total = b.count[b.n - 1];
    if (total == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    return (rankOf(upper, b) - rankOf(lower, b)) / total;
  }

  /** The interpolated number of observations at or below {@code v}. */
  private static double rankOf(double v, Buckets b) {
    if (v == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (v == Double.POSITIVE_INFINITY) {
      return b.count[b.n - 1];
    }
    double prevUpper = b.upper[0] > 0 ? 0 : Double.NEGATIVE_INFINITY;
    double prevCount = 0;
    for (int i = 0; i < b.n; i++) {
      double u = b.upper[i];
      double c = b.count[i];
      if (v < u) {
        if (v <= prevUpper) {
          return prevCount;
        }
        if (Double.isInfinite(u) || Double.isInfinite(prevUpper)) {
          return prevCount;
        }
        return prevCount + (c - prevCount) * (v - prevUpper) / (u - prevUpper);
      }
      prevUpper = u;
      prevCount = c;
    }
    return b.count[b.n - 1];
  }
}
