package dev.nines.promql.engine;

import static dev.nines.promql.engine.Values.ABSENT;

import java.util.Arrays;

/**
 * The functions over a range window, one window at a time: samples {@code ts[lo..hi)} and {@code
 * vs[lo..hi)} (at least one), the window {@code (end - range, end]}, and the evaluation time. Each
 * returns the value or {@link Values#ABSENT}. The arithmetic follows Prometheus's {@code
 * functions.go} step for step (extrapolation, counter resets, Kahan sums, regression).
 */
final class RangeFunctions {
  private RangeFunctions() {}

  /** The range functions, by name. */
  enum Fn {
    RATE,
    INCREASE,
    DELTA,
    IRATE,
    IDELTA,
    DERIV,
    PREDICT_LINEAR,
    RESETS,
    CHANGES,
    AVG_OVER_TIME,
    SUM_OVER_TIME,
    COUNT_OVER_TIME,
    MIN_OVER_TIME,
    MAX_OVER_TIME,
    STDDEV_OVER_TIME,
    STDVAR_OVER_TIME,
    QUANTILE_OVER_TIME,
    MAD_OVER_TIME,
    LAST_OVER_TIME,
    FIRST_OVER_TIME,
    PRESENT_OVER_TIME,
    ABSENT_OVER_TIME,
    TS_OF_MIN_OVER_TIME,
    TS_OF_MAX_OVER_TIME,
    TS_OF_FIRST_OVER_TIME,
    TS_OF_LAST_OVER_TIME,
    DOUBLE_EXPONENTIAL_SMOOTHING;

    static Fn of(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Evaluates one window.
   *
   * @param resets prefix counts of value decreases ({@code resets[i]} = decreases up to index i),
   *     or null; lets rate skip the reset loop where a window has none
   * @param p1 the first scalar argument at this step (quantile, prediction time, smoothing factor)
   * @param p2 the second scalar argument (trend factor)
   */
  static double apply(
      Fn fn,
      long[] ts,
      double[] vs,
      int lo,
      int hi,
      long end,
      long range,
      long evalTime,
      int[] resets,
      double p1,
      double p2,
      double[] scratch) {
    int n = hi - lo;
    switch (fn) {
      case RATE:
        return extrapolatedRate(ts, vs, lo, hi, end, range, true, true, resets);
      case INCREASE:
        return extrapolatedRate(ts, vs, lo, hi, end, range, true, false, resets);
      case DELTA:
        return extrapolatedRate(ts, vs, lo, hi, end, range, false, false, resets);
      case IRATE:
      case IDELTA:
        {
          if (n < 2) {
            return ABSENT;
          }
          double last = vs[hi - 1];
          double prev = vs[hi - 2];
          long interval = ts[hi - 1] - ts[hi - 2];
          if (interval == 0) {
            return ABSENT;
          }
          boolean isRate = fn == Fn.IRATE;
          double r = last;
          if (!isRate || !(last < prev)) {
            r = last - prev;
          }
          if (isRate) {
            r /= interval / 1000.0;
          }
          return r;
        }
      case DERIV:
        {
          if (n < 2) {
            return ABSENT;
          }
          return linearRegression(ts, vs, lo, hi, ts[lo])[0];
        }
      case PREDICT_LINEAR:
        {
          if (n < 2) {
            return ABSENT;
          }
          double[] si = linearRegression(ts, vs, lo, hi, evalTime);
          return si[0] * p1 + si[1];
        }
      case RESETS:
        {
          int count = 0;
          for (int i = lo + 1; i < hi; i++) {
            if (vs[i] < vs[i - 1]) {
              count++;
            }
          }
          return count;
        }
      case CHANGES:
        {
          int count = 0;
          for (int i = lo + 1; i < hi; i++) {
            double c = vs[i];
            double p = vs[i - 1];
            if (c != p && !(Double.isNaN(c) && Double.isNaN(p))) {
              count++;
            }
          }
          return count;
        }
      case AVG_OVER_TIME:
        return avg(vs, lo, hi);
      case SUM_OVER_TIME:
        {
          double sum = 0;
          double[] c = {0};
          for (int i = lo; i < hi; i++) {
            sum = Values.kahanInc(vs[i], sum, c);
          }
          return Double.isInfinite(sum) ? sum : sum + c[0];
        }
      case COUNT_OVER_TIME:
        return n;
      case MIN_OVER_TIME:
      case MAX_OVER_TIME:
      case TS_OF_MIN_OVER_TIME:
      case TS_OF_MAX_OVER_TIME:
        {
          boolean max = fn == Fn.MAX_OVER_TIME || fn == Fn.TS_OF_MAX_OVER_TIME;
          boolean ts0 = fn == Fn.TS_OF_MIN_OVER_TIME || fn == Fn.TS_OF_MAX_OVER_TIME;
          double best = vs[lo];
          long at = ts[lo];
          for (int i = lo; i < hi; i++) {
            double v = vs[i];
            boolean take;
            if (ts0) {
              take = (max ? v >= best : v <= best) || Double.isNaN(best);
            } else {
              take = (max ? v > best : v < best) || Double.isNaN(best);
            }
            if (take) {
              best = v;
              at = ts[i];
            }
          }
          return ts0 ? at / 1000.0 : best;
        }
      case STDDEV_OVER_TIME:
      case STDVAR_OVER_TIME:
        {
          double count = 0;
          double mean = 0;
          double aux = 0;
          double[] cMean = {0};
          double[] cAux = {0};
          for (int i = lo; i < hi; i++) {
            double f = vs[i];
            count++;
            double delta = f - (mean + cMean[0]);
            mean = Values.kahanInc(delta / count, mean, cMean);
            aux = Values.kahanInc(delta * (f - (mean + cMean[0])), aux, cAux);
          }
          double variance = (aux + cAux[0]) / count;
          return fn == Fn.STDDEV_OVER_TIME ? Math.sqrt(variance) : variance;
        }
      case QUANTILE_OVER_TIME:
        return Aggregations.quantileOf(p1, Arrays.copyOfRange(vs, lo, hi), n);
      case MAD_OVER_TIME:
        {
          double[] w = Arrays.copyOfRange(vs, lo, hi);
          double median = Aggregations.quantileOf(0.5, w, n);
          for (int i = 0; i < n; i++) {
            w[i] = Math.abs(vs[lo + i] - median);
          }
          return Aggregations.quantileOf(0.5, w, n);
        }
      case LAST_OVER_TIME:
        return vs[hi - 1];
      case FIRST_OVER_TIME:
        return vs[lo];
      case TS_OF_FIRST_OVER_TIME:
        return ts[lo] / 1000.0;
      case TS_OF_LAST_OVER_TIME:
        return ts[hi - 1] / 1000.0;
      case PRESENT_OVER_TIME:
      case ABSENT_OVER_TIME:
        return 1;
      case DOUBLE_EXPONENTIAL_SMOOTHING:
        return doubleExponentialSmoothing(vs, lo, hi, p1, p2);
    }
    throw new IllegalStateException(fn.toString());
  }

  /** Prometheus's {@code extrapolatedRate} for float samples. */
  static double extrapolatedRate(
      long[] ts,
      double[] vs,
      int lo,
      int hi,
      long rangeEnd,
      long range,
      boolean isCounter,
      boolean isRate,
      int[] resets) {
    int n = hi - lo;
    if (n < 2) {
      return ABSENT;
    }
    long rangeStart = rangeEnd - range;
    double first = vs[lo];
    double result = vs[hi - 1] - first;
    if (isCounter && (resets == null || resets[hi - 1] - resets[lo] > 0)) {
      double prev = first;
      for (int i = lo + 1; i < hi; i++) {
        double cur = vs[i];
        if (cur < prev) {
          result += prev;
        }
        prev = cur;
      }
    }
    long firstT = ts[lo];
    long lastT = ts[hi - 1];
    double durationToStart = (firstT - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - lastT) / 1000.0;
    double sampledInterval = (lastT - firstT) / 1000.0;
    double averageDurationBetweenSamples = sampledInterval / (n - 1);
    double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    if (durationToStart >= extrapolationThreshold) {
      durationToStart = averageDurationBetweenSamples / 2;
    }
    if (isCounter) {
      double durationToZero = durationToStart;
      if (result > 0 && first >= 0) {
        durationToZero = sampledInterval * (first / result);
      }
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= extrapolationThreshold) {
      durationToEnd = averageDurationBetweenSamples / 2;
    }
    double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (isRate) {
      factor /= range / 1000.0;
    }
    return result * factor;
  }

  /** avg_over_time: direct Kahan mean until the sum would overflow, incremental from then on. */
  static double avg(double[] vs, int lo, int hi) {
    double sum = vs[lo];
    double count = 1;
    double mean = 0;
    double[] c = {0};
    boolean incremental = false;
    for (int i = lo + 1; i < hi; i++) {
      double f = vs[i];
      count = i - lo + 1;
      if (!incremental) {
        double[] c2 = {c[0]};
        double newSum = Values.kahanInc(f, sum, c2);
        if (!Double.isInfinite(newSum)) {
          sum = newSum;
          c[0] = c2[0];
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        c[0] /= count - 1;
      }
      double q = (count - 1) / count;
      c[0] = q * c[0];
      mean = Values.kahanInc(f / count, q * mean, c);
    }
    if (incremental) {
      return mean + c[0];
    }
    return sum / count + c[0] / count;
  }

  /** Least squares over the window: {slope, intercept at interceptTime}. */
  static double[] linearRegression(long[] ts, double[] vs, int lo, int hi, long interceptTime) {
    double n = 0;
    double sumX = 0;
    double sumY = 0;
    double sumXY = 0;
    double sumX2 = 0;
    double[] cX = {0};
    double[] cY = {0};
    double[] cXY = {0};
    double[] cX2 = {0};
    double initY = vs[lo];
    boolean constY = true;
    for (int i = lo; i < hi; i++) {
      double y = vs[i];
      if (constY && i > lo && y != initY) {
        constY = false;
      }
      n += 1;
      double x = (ts[i] - interceptTime) / 1e3;
      sumX = Values.kahanInc(x, sumX, cX);
      sumY = Values.kahanInc(y, sumY, cY);
      sumXY = Values.kahanInc(x * y, sumXY, cXY);
      sumX2 = Values.kahanInc(x * x, sumX2, cX2);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    sumX += cX[0];
    sumY += cY[0];
    sumXY += cXY[0];
    sumX2 += cX2[0];
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    double intercept = sumY / n - slope * sumX / n;
    return new double[] {slope, intercept};
  }

  private static double doubleExponentialSmoothing(
      double[] vs, int lo, int hi, double sf, double tf) {
    int l = hi - lo;
    if (l < 2) {
      return ABSENT;
    }
    double s0 = 0;
    double s1 = vs[lo];
    double b = vs[lo + 1] - vs[lo];
    for (int i = 1; i < l; i++) {
      double x = sf * vs[lo + i];
      b = i - 1 == 0 ? b : tf * (s1 - s0) + (1 - tf) * b;
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  }
}
