package dev.nines.promql.engine;

import static dev.nines.promql.engine.Values.isAbsent;

import dev.nines.common.Labels;
import dev.nines.promql.parser.AggregateExpr;
import dev.nines.promql.parser.AggregateOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregation operators with Prometheus's arithmetic: Kahan-Neumaier sums, the mean computed
 * directly until the running sum would overflow and incrementally from then on, Welford's variance,
 * NaN handling in {@code min}/{@code max}, and {@code topk}/{@code bottomk} with Go's heap so that
 * ties resolve the same way.
 *
 * <p>Design note: the group of each input series is computed once; the accumulators are flat arrays
 * indexed by {@code group * steps + step}, filled in input order so that floating-point results
 * match Prometheus's step-wise evaluation bit for bit.
 */
final class Aggregations {
  private Aggregations() {}

  static List<StepSeries> eval(Evaluator ev, AggregateExpr a) {
    AggregateOp op = a.op();
    double[] param = null;
    String label = null;
    if (op == AggregateOp.COUNT_VALUES) {
      label = ev.string(a.param());
      if (!validLabelName(label)) {
        throw new QueryException(
            QueryException.Kind.EXECUTION, "invalid label name \"" + label + "\"");
      }
    } else if (a.param() != null) {
      param = ev.scalar(a.param());
    }
    List<StepSeries> in = ev.vector(a.expr());
    return switch (op) {
      case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> selectK(ev, a, in, param);
      case COUNT_VALUES -> countValues(ev, a, in, label);
      case QUANTILE -> quantile(ev, a, in, param);
      default -> simple(ev, a, in);
    };
  }

  static boolean validLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    // Prometheus 3 accepts any UTF-8 label name.
    return s.codePoints().allMatch(Character::isValidCodePoint);
  }

  /** Group membership of each series and the label set of each group. */
  private record Groups(int[] of, List<Labels> labels) {}

  private static Groups groups(AggregateExpr a, List<StepSeries> in) {
    int[] of = new int[in.size()];
    List<Labels> labels = new ArrayList<>();
    Map<Labels, Integer> ids = new HashMap<>();
    Set<String> names = new HashSet<>(a.grouping());
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < of.length; i++) {
      StepSeries s = in.get(i);
      Labels l = s.labels;
      b.reset();
      for (int j = 0; j < l.size(); j++) {
        String n = l.name(j);
        boolean isName = n.equals(Labels.METRIC_NAME);
        boolean keep;
        if (a.without()) {
          keep = !isName && !names.contains(n);
        } else {
          keep = names.contains(n) && !(isName && s.dropName);
        }
        if (keep) {
          b.set(n, l.value(j));
        }
      }
      Labels g = b.build();
      Integer id = ids.get(g);
      if (id == null) {
        id = labels.size();
        ids.put(g, id);
        labels.add(g);
      }
      of[i] = id;
    }
    return new Groups(of, labels);
  }

  // ---------------------------------------------------------------- sum avg count min max ...

  private static List<StepSeries> simple(Evaluator ev, AggregateExpr a, List<StepSeries> in) {
    Groups g = groups(a, in);
    int steps = ev.steps;
    int ng = g.labels().size();
    int cells = ng * steps;
    ev.ctx.addSamples(cells);
    double[] value = new double[cells];
    double[] comp = new double[cells];
    double[] mean = new double[cells];
    int[] count = new int[cells];
    boolean[] incremental = a.op() == AggregateOp.AVG ? new boolean[cells] : null;
    double[] c = new double[1];
    AggregateOp op = a.op();
    for (int si = 0; si < in.size(); si++) {
      ev.ctx.tick();
      double[] v = in.get(si).values;
      int base = g.of()[si] * steps;
      for (int i = 0; i < steps; i++) {
        double f = v[i];
        if (isAbsent(f)) {
          continue;
        }
        int k = base + i;
        int n = ++count[k];
        if (n == 1) {
          value[k] = f;
          mean[k] = f;
          if (op == AggregateOp.STDDEV || op == AggregateOp.STDVAR) {
            value[k] = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
          }
          continue;
        }
        switch (op) {
          case SUM -> {
            c[0] = comp[k];
            value[k] = Values.kahanInc(f, value[k], c);
            comp[k] = c[0];
          }
          case AVG -> {
            if (!incremental[k]) {
              c[0] = comp[k];
              double sum = Values.kahanInc(f, value[k], c);
              if (!Double.isInfinite(sum)) {
                value[k] = sum;
                comp[k] = c[0];
                break;
              }
              incremental[k] = true;
              mean[k] = value[k] / (n - 1);
              comp[k] /= n - 1;
            }
            double q = (n - 1) / (double) n;
            c[0] = q * comp[k];
            mean[k] = Values.kahanInc(f / n, q * mean[k], c);
            comp[k] = c[0];
          }
          case MAX -> {
            if (value[k] < f || Double.isNaN(value[k])) {
              value[k] = f;
            }
          }
          case MIN -> {
            if (value[k] > f || Double.isNaN(value[k])) {
              value[k] = f;
            }
          }
          case STDDEV, STDVAR -> {
            double delta = f - mean[k];
            mean[k] += delta / n;
            value[k] += delta * (f - mean[k]);
          }
          default -> {}
        }
      }
    }
    List<StepSeries> out = new ArrayList<>(ng);
    for (int gi = 0; gi < ng; gi++) {
      double[] vals = null;
      for (int i = 0; i < steps; i++) {
        int k = gi * steps + i;
        int n = count[k];
        if (n == 0) {
          continue;
        }
        double r =
            switch (op) {
              case SUM -> value[k] + comp[k];
              case AVG -> incremental[k] ? mean[k] + comp[k] : value[k] / n + comp[k] / n;
              case COUNT -> n;
              case GROUP -> 1;
              case MIN, MAX -> value[k];
              case STDVAR -> value[k] / n;
              case STDDEV -> Math.sqrt(value[k] / n);
              default -> throw new IllegalStateException(op.toString());
            };
        if (vals == null) {
          vals = Values.absentArray(steps);
        }
        vals[i] = r;
      }
      if (vals != null) {
        out.add(new StepSeries(g.labels().get(gi), vals, false));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- quantile

  private static List<StepSeries> quantile(
      Evaluator ev, AggregateExpr a, List<StepSeries> in, double[] q) {
    Groups g = groups(a, in);
    int steps = ev.steps;
    int ng = g.labels().size();
    double[][] out = new double[ng][];
    List<List<Integer>> members = new ArrayList<>();
    for (int gi = 0; gi < ng; gi++) {
      members.add(new ArrayList<>());
    }
    for (int si = 0; si < in.size(); si++) {
      members.get(g.of()[si]).add(si);
    }
    double[] buf = new double[in.size()];
    for (int i = 0; i < steps; i++) {
      boolean warned = false;
      for (int gi = 0; gi < ng; gi++) {
        int n = 0;
        for (int si : members.get(gi)) {
          double v = in.get(si).values[i];
          if (!isAbsent(v)) {
            buf[n++] = v;
          }
        }
        if (n == 0) {
          continue;
        }
        if (!warned) {
          warnQuantile(ev, q[i]);
          warned = true;
        }
        if (out[gi] == null) {
          out[gi] = Values.absentArray(steps);
        }
        out[gi][i] = quantileOf(q[i], buf, n);
      }
    }
    List<StepSeries> result = new ArrayList<>();
    for (int gi = 0; gi < ng; gi++) {
      if (out[gi] != null) {
        result.add(new StepSeries(g.labels().get(gi), out[gi], false));
      }
    }
    return result;
  }

  static void warnQuantile(Evaluator ev, double q) {
    if (Double.isNaN(q) || q < 0 || q > 1) {
      ev.ctx.warn(
          "PromQL warning: quantile value should be between 0 and 1, got " + Values.formatG(q));
    }
  }

  /**
   * Prometheus's {@code quantile}: sorts the first {@code n} values (NaN first) and interpolates
   * between the two closest ranks.
   */
  static double quantileOf(double q, double[] values, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] v = Arrays.copyOf(values, n);
    // NaNs sort first in Prometheus's order; Arrays.sort puts them last.
    Arrays.sort(v);
    int nans = 0;
    while (nans < n && Double.isNaN(v[n - 1 - nans])) {
      nans++;
    }
    if (nans > 0) {
      System.arraycopy(v, 0, v, nans, n - nans);
      Arrays.fill(v, 0, nans, Double.NaN);
    }
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return v[(int) lower] * (1 - weight) + v[(int) upper] * weight;
  }

  // ---------------------------------------------------------------- count_values

  private static List<StepSeries> countValues(
      Evaluator ev, AggregateExpr a, List<StepSeries> in, String label) {
    Groups g = groups(a, in);
    Map<Labels, StepSeries> out = new LinkedHashMap<>();
    Map<Labels, int[]> counts = new LinkedHashMap<>();
    int steps = ev.steps;
    for (int si = 0; si < in.size(); si++) {
      double[] v = in.get(si).values;
      Labels group = g.labels().get(g.of()[si]);
      for (int i = 0; i < steps; i++) {
        if (isAbsent(v[i])) {
          continue;
        }
        Labels key = group.toBuilder().set(label, Values.formatFloat(v[i])).build();
        int[] c = counts.computeIfAbsent(key, k -> new int[steps]);
        c[i]++;
      }
    }
    for (Map.Entry<Labels, int[]> e : counts.entrySet()) {
      double[] vals = Values.absentArray(steps);
      int[] c = e.getValue();
      for (int i = 0; i < steps; i++) {
        if (c[i] > 0) {
          vals[i] = c[i];
        }
      }
      out.put(e.getKey(), new StepSeries(e.getKey(), vals, false));
    }
    return new ArrayList<>(out.values());
  }

  // ---------------------------------------------------------------- topk bottomk limitk
  // limit_ratio

  private static List<StepSeries> selectK(
      Evaluator ev, AggregateExpr a, List<StepSeries> in, double[] param) {
    Groups g = groups(a, in);
    int steps = ev.steps;
    int ng = g.labels().size();
    AggregateOp op = a.op();
    double[][] out = new double[in.size()][];
    List<List<Integer>> members = new ArrayList<>();
    for (int gi = 0; gi < ng; gi++) {
      members.add(new ArrayList<>());
    }
    for (int si = 0; si < in.size(); si++) {
      members.get(g.of()[si]).add(si);
    }
    List<Integer> instantOrder = new ArrayList<>();
    int[] heap = new int[in.size()];
    for (int i = 0; i < steps; i++) {
      double p = param[i];
      if (op == AggregateOp.LIMIT_RATIO) {
        double ratio = p;
        if (Double.isNaN(ratio) || ratio < -1 || ratio > 1) {
          double capped = Double.isNaN(ratio) ? 0 : Math.max(-1, Math.min(1, ratio));
          ev.ctx.warn(
              "PromQL warning: ratio value should be between -1 and 1, got "
                  + Values.formatG(ratio)
                  + ", capping to "
                  + Values.formatG(capped));
          ratio = capped;
        }
        for (int si = 0; si < in.size(); si++) {
          double v = in.get(si).values[i];
          if (isAbsent(v)) {
            continue;
          }
          double offset = ratioOffset(in.get(si).labels);
          boolean keep = (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1.0 + ratio);
          if (keep) {
            set(out, si, steps, i, v);
            instantOrder.add(si);
          }
        }
        continue;
      }
      if (Double.isNaN(p) || p >= 0x1p63 || p < -0x1p63) {
        throw new QueryException(
            QueryException.Kind.EXECUTION,
            "Scalar value " + Values.formatG(p) + " overflows int64");
      }
      long k = (long) p;
      if (k < 1) {
        continue;
      }
      for (int gi = 0; gi < ng; gi++) {
        int n = 0;
        boolean top = op == AggregateOp.TOPK;
        for (int si : members.get(gi)) {
          double v = in.get(si).values[i];
          if (isAbsent(v)) {
            continue;
          }
          if (op == AggregateOp.LIMITK) {
            if (n < k) {
              heap[n++] = si;
            }
            continue;
          }
          if (n < k) {
            heap[n++] = si;
            up(heap, n - 1, in, i, top);
          } else {
            double h = in.get(heap[0]).values[i];
            boolean replace =
                top
                    ? h < v || (Double.isNaN(h) && !Double.isNaN(v))
                    : h > v || (Double.isNaN(h) && !Double.isNaN(v));
            if (replace) {
              heap[0] = si;
              if (k > 1) {
                down(heap, 0, n, in, i, top);
              }
            }
          }
        }
        if (n == 0) {
          continue;
        }
        int[] chosen = Arrays.copyOf(heap, n);
        if (op != AggregateOp.LIMITK && steps == 1) {
          // Prometheus returns the heap sorted, best first.
          final int step = i;
          Integer[] boxed = Arrays.stream(chosen).boxed().toArray(Integer[]::new);
          Arrays.sort(
              boxed,
              (x, y) -> {
                // Reverse of the heap order: "less" elements last.
                if (less(in, y, x, step, top)) {
                  return -1;
                }
                if (less(in, x, y, step, top)) {
                  return 1;
                }
                return 0;
              });
          for (int j = 0; j < n; j++) {
            chosen[j] = boxed[j];
          }
        }
        for (int si : chosen) {
          set(out, si, steps, i, in.get(si).values[i]);
          instantOrder.add(si);
        }
      }
    }
    List<StepSeries> result = new ArrayList<>();
    if (steps == 1) {
      for (int si : instantOrder) {
        result.add(new StepSeries(in.get(si).labels, out[si], in.get(si).dropName));
      }
      return result;
    }
    for (int si = 0; si < in.size(); si++) {
      if (out[si] != null) {
        result.add(new StepSeries(in.get(si).labels, out[si], in.get(si).dropName));
      }
    }
    return result;
  }

  private static void set(double[][] out, int si, int steps, int step, double v) {
    if (out[si] == null) {
      out[si] = Values.absentArray(steps);
    }
    out[si][step] = v;
  }

  /** The heap order of Prometheus's vectorByValueHeap (topk) or vectorByReverseValueHeap. */
  private static boolean less(List<StepSeries> in, int a, int b, int step, boolean top) {
    double va = in.get(a).values[step];
    double vb = in.get(b).values[step];
    if (Double.isNaN(va)) {
      return true;
    }
    return top ? va < vb : va > vb;
  }

  private static void up(int[] h, int j, List<StepSeries> in, int step, boolean top) {
    while (true) {
      int i = (j - 1) / 2;
      if (i == j || !less(in, h[j], h[i], step, top)) {
        break;
      }
      int t = h[i];
      h[i] = h[j];
      h[j] = t;
      j = i;
    }
  }

  private static void down(int[] h, int i0, int n, List<StepSeries> in, int step, boolean top) {
    int i = i0;
    boolean moved = false;
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < n && less(in, h[j2], h[j1], step, top)) {
        j = j2;
      }
      if (!less(in, h[j], h[i], step, top)) {
        break;
      }
      int t = h[i];
      h[i] = h[j];
      h[j] = t;
      i = j;
      moved = true;
    }
    if (!moved) {
      up(h, i0, in, step, top);
    }
  }

  /** Where a series falls in [0, 1) for limit_ratio: its Prometheus label hash, scaled. */
  static double ratioOffset(Labels labels) {
    long h = Xxhash64.labelsHash(labels);
    // float64(h % math.MaxUint64) / float64(math.MaxUint64), with h unsigned.
    double uh = h == -1L ? 0 : unsigned(h);
    return uh / 1.8446744073709552E19;
  }

  private static double unsigned(long v) {
    double d = (double) (v >>> 1) * 2.0 + (v & 1);
    return d;
  }
}
