package dev.nines.promql.engine;

import static dev.nines.promql.engine.Values.ABSENT;
import static dev.nines.promql.engine.Values.isAbsent;

import dev.nines.common.Labels;
import dev.nines.promql.parser.AggregateExpr;
import dev.nines.promql.parser.AtModifier;
import dev.nines.promql.parser.BinaryExpr;
import dev.nines.promql.parser.Call;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.MatrixSelector;
import dev.nines.promql.parser.NumberLiteral;
import dev.nines.promql.parser.ParenExpr;
import dev.nines.promql.parser.StringLiteral;
import dev.nines.promql.parser.SubqueryExpr;
import dev.nines.promql.parser.UnaryExpr;
import dev.nines.promql.parser.UnaryOp;
import dev.nines.promql.parser.ValueType;
import dev.nines.promql.parser.VectorSelector;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.Series;
import dev.nines.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates an expression over every step of a query at once: {@code start, start + interval, ...,
 * end}. An instant query is a range of one step.
 *
 * <p>Design notes. Each instant-vector node yields a list of {@link StepSeries}: labels once, and a
 * {@code double[]} of one value per step. Because a series' labels do not change between steps,
 * grouping keys, matching signatures and output label sets are computed once per series, not once
 * per step, and the per-step loops touch only primitive arrays. Range-vector arguments are never
 * materialised as a whole: {@link #scanRange} loads one series' samples for the union of all
 * windows into reusable primitive buffers (each sample read from storage once per query) and the
 * caller slides two indices over them, window {@code (t - range, t]} by window. Subqueries evaluate
 * their inner expression on their own aligned step grid with a nested evaluator and are then
 * scanned the same way.
 *
 * <p>A range-function call that occurs more than once in a query ({@code errors / (total + (total
 * == bool 0))} repeats {@code total}; generated SLO rules do this) is evaluated once: {@link
 * #shareRepeatedCalls} finds such calls before evaluation, the first evaluation keeps a copy of its
 * result, and later occurrences get a fresh copy of it (callers modify their inputs in place).
 * Sample statistics and the samples limit are charged again for every occurrence, so {@code
 * stats=all} and {@code query.max_samples} read as if each had scanned storage, as in Prometheus.
 */
final class Evaluator {
  final QueryContext ctx;
  final long start;
  final long end;
  final long interval;
  final int steps;
  final boolean delayedNameRemoval;

  /** Repeated range-function calls: absent until first evaluated, then their first result. */
  private Map<Call, @Nullable Shared> shared = Map.of();

  /** A kept result and what computing it charged to the query's statistics. */
  private record Shared(List<StepSeries> series, long queryable, long samples) {}

  Evaluator(QueryContext ctx, long start, long end, long interval) {
    this.ctx = ctx;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.steps = end < start ? 0 : (int) ((end - start) / interval) + 1;
    this.delayedNameRemoval = ctx.options.delayedNameRemoval();
  }

  long time(int step) {
    return start + step * interval;
  }

  /** A consumer of one series of a range argument: {@code n} samples in time order. */
  interface RangeVisitor {
    void visit(Labels labels, long[] ts, double[] vs, int n);
  }

  // ---------------------------------------------------------------- dispatch

  double[] scalar(Expr e) {
    return switch (e) {
      case NumberLiteral n -> filled(n.value());
      case ParenExpr p -> scalar(p.expr());
      case UnaryExpr u -> {
        double[] v = scalar(u.expr());
        if (u.op() == UnaryOp.MINUS) {
          double[] out = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
          }
          yield out;
        }
        yield v;
      }
      case BinaryExpr b -> BinaryOps.scalarScalar(this, b);
      case Call c -> Functions.scalarCall(this, c);
      default -> throw new IllegalStateException("not a scalar expression: " + e);
    };
  }

  List<StepSeries> vector(Expr e) {
    ctx.checkDeadline();
    return switch (e) {
      case VectorSelector vs -> select(vs, false);
      case ParenExpr p -> vector(p.expr());
      case UnaryExpr u -> unary(u);
      case BinaryExpr b -> BinaryOps.eval(this, b);
      case AggregateExpr a -> Aggregations.eval(this, a);
      case Call c -> shared.containsKey(c) ? sharedCall(c) : Functions.vectorCall(this, c);
      default -> throw new IllegalStateException("not an instant vector expression: " + e);
    };
  }

  /**
   * Prepares to evaluate {@code root} with each range-function call that occurs more than once
   * computed once. Calls inside a subquery are left alone: they run on the subquery's own steps.
   */
  void shareRepeatedCalls(Expr root) {
    Map<Call, Integer> counts = new HashMap<>();
    countRangeCalls(root, counts);
    Map<Call, @Nullable Shared> repeated = new HashMap<>();
    counts.forEach(
        (call, n) -> {
          if (n > 1) {
            repeated.put(call, null);
          }
        });
    shared = repeated;
  }

  private static void countRangeCalls(Expr e, Map<Call, Integer> counts) {
    switch (e) {
      case ParenExpr p -> countRangeCalls(p.expr(), counts);
      case UnaryExpr u -> countRangeCalls(u.expr(), counts);
      case BinaryExpr b -> {
        countRangeCalls(b.lhs(), counts);
        countRangeCalls(b.rhs(), counts);
      }
      case AggregateExpr a -> {
        countRangeCalls(a.expr(), counts);
        if (a.param() != null) {
          countRangeCalls(a.param(), counts);
        }
      }
      case Call c -> {
        boolean range = false;
        for (Expr arg : c.args()) {
          range |= arg.type() == ValueType.MATRIX;
          countRangeCalls(arg, counts);
        }
        if (range) {
          counts.merge(c, 1, Integer::sum);
        }
      }
      default -> {}
    }
  }

  private List<StepSeries> sharedCall(Call c) {
    Shared kept = shared.get(c);
    if (kept == null) {
      long queryable = ctx.queryableSamples();
      long samples = ctx.samplesCharged();
      List<StepSeries> result = Functions.vectorCall(this, c);
      shared.put(
          c,
          new Shared(
              copy(result), ctx.queryableSamples() - queryable, ctx.samplesCharged() - samples));
      return result;
    }
    ctx.addQueryable(kept.queryable());
    ctx.addSamples(kept.samples());
    return copy(kept.series());
  }

  private static List<StepSeries> copy(List<StepSeries> in) {
    List<StepSeries> out = new ArrayList<>(in.size());
    for (StepSeries s : in) {
      out.add(new StepSeries(s.labels, s.values.clone(), s.dropName));
    }
    return out;
  }

  String string(Expr e) {
    return switch (e) {
      case StringLiteral s -> s.value();
      case ParenExpr p -> string(p.expr());
      default -> throw new IllegalStateException("not a string expression: " + e);
    };
  }

  double[] filled(double v) {
    double[] out = new double[steps];
    Arrays.fill(out, v);
    return out;
  }

  private List<StepSeries> unary(UnaryExpr u) {
    List<StepSeries> in = vector(u.expr());
    if (u.op() == UnaryOp.PLUS) {
      return in;
    }
    for (StepSeries s : in) {
      double[] v = s.values;
      for (int i = 0; i < v.length; i++) {
        if (!isAbsent(v[i])) {
          v[i] = -v[i];
        }
      }
      dropName(s);
    }
    checkNoSameLabelset(in, false);
    return in;
  }

  // ---------------------------------------------------------------- names and label sets

  static Labels withoutName(Labels l) {
    return l.metricName() == null ? l : l.toBuilder().delete(Labels.METRIC_NAME).build();
  }

  /** Drops the metric name now, or marks it for removal at the end (delayed name removal). */
  void dropName(StepSeries s) {
    if (delayedNameRemoval) {
      s.dropName = true;
    } else {
      s.labels = withoutName(s.labels);
    }
  }

  /**
   * Fails with Prometheus's duplicate-labelset error when two series share a label set: at the same
   * step ({@code anyStep} false, as for instant-vector operations), or at all ({@code anyStep}
   * true, as for range-vector functions).
   */
  void checkNoSameLabelset(List<StepSeries> series, boolean anyStep) {
    if (delayedNameRemoval || series.size() < 2) {
      return;
    }
    Map<Labels, StepSeries> seen = new HashMap<>(series.size() * 2);
    for (StepSeries s : series) {
      StepSeries other = seen.putIfAbsent(s.labels, s);
      if (other != null && (anyStep || overlap(other, s))) {
        throw new QueryException(QueryException.Kind.EXECUTION, QueryException.DUPLICATE_LABELSET);
      }
    }
  }

  private static boolean overlap(StepSeries a, StepSeries b) {
    for (int i = 0; i < a.values.length; i++) {
      if (!isAbsent(a.values[i]) && !isAbsent(b.values[i])) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- times

  long atTime(AtModifier at) {
    return switch (at.kind()) {
      case TIMESTAMP -> at.timestampMillis();
      case START -> ctx.queryStart;
      case END -> ctx.queryEnd;
    };
  }

  /** The evaluation time of each step as a node with this {@code @} modifier sees it. */
  long[] baseTimes(@Nullable AtModifier at) {
    long[] out = new long[steps];
    if (at != null) {
      Arrays.fill(out, atTime(at));
    } else {
      for (int i = 0; i < steps; i++) {
        out[i] = time(i);
      }
    }
    return out;
  }

  /** The time each step reads data at: the base time minus the offset. */
  long[] dataTimes(@Nullable AtModifier at, long offsetMillis) {
    long[] out = baseTimes(at);
    for (int i = 0; i < out.length; i++) {
      out[i] -= offsetMillis;
    }
    return out;
  }

  // ---------------------------------------------------------------- instant selectors

  /**
   * Evaluates an instant selector: at each step the latest sample in {@code (t - lookback, t]},
   * unless that sample is a stale marker. With {@code timestamps} the value is the sample's
   * timestamp in seconds (for {@code timestamp()}).
   */
  List<StepSeries> select(VectorSelector vs, boolean timestamps) {
    List<StepSeries> out = new ArrayList<>();
    if (steps == 0) {
      return out;
    }
    long[] te = dataTimes(vs.at(), vs.offset().toMillis());
    long lookback = ctx.lookback;
    long mint = te[0] - lookback + 1;
    long maxt = te[steps - 1];
    try (Querier q = ctx.queryable.querier(mint, maxt)) {
      SeriesSet set = q.select(true, new SelectHints(mint, maxt, interval, null, 0), vs.matchers());
      SampleIterator it = null;
      while (set.next()) {
        ctx.tick();
        Series s = set.at();
        it = s.iterator(it);
        double[] values = stepValues(it, te, mint, lookback, timestamps);
        if (values != null) {
          out.add(new StepSeries(s.labels(), values, false));
        }
      }
      rethrow(set);
    }
    return out;
  }

  /**
   * One series of an instant selector: its value at each step, or null when it has none. A method
   * of its own, called once per series, so that the JIT compiles this loop as a whole method early
   * (after a few hundred series) rather than again and again on-stack inside select's series loop.
   */
  private double @Nullable [] stepValues(
      SampleIterator it, long[] te, long mint, long lookback, boolean timestamps) {
    double[] values = null;
    int count = 0;
    int kind = it.seek(mint);
    long lastT = Long.MIN_VALUE;
    double lastV = 0;
    boolean has = false;
    for (int i = 0; i < steps; i++) {
      long t = te[i];
      while (kind != SampleIterator.NONE && it.timestamp() <= t) {
        requireFloat(kind);
        lastT = it.timestamp();
        lastV = it.value();
        has = true;
        kind = it.next();
      }
      if (has && lastT > t - lookback && !Values.isStale(lastV)) {
        if (values == null) {
          values = Values.absentArray(steps);
        }
        values[i] = timestamps ? lastT / 1000.0 : Values.canonical(lastV);
        count++;
      }
    }
    if (values != null) {
      ctx.addSamples(count);
      ctx.addQueryable(count);
    }
    return values;
  }

  private static void requireFloat(int kind) {
    if (kind != SampleIterator.FLOAT) {
      throw new QueryException(
          QueryException.Kind.EXECUTION, "native histogram samples are not supported yet");
    }
  }

  private static void rethrow(SeriesSet set) {
    RuntimeException err = set.error();
    if (err != null) {
      throw new QueryException(
          QueryException.Kind.EXECUTION, "expanding series: " + err.getMessage(), err);
    }
  }

  // ---------------------------------------------------------------- range arguments

  static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  /** The range of a range argument in milliseconds. */
  static long rangeMillis(Expr arg) {
    return switch (unwrap(arg)) {
      case MatrixSelector ms -> ms.range().toMillis();
      case SubqueryExpr sq -> sq.range().toMillis();
      default -> throw new IllegalStateException("not a range argument: " + arg);
    };
  }

  /** The offset of a range argument in milliseconds. */
  static long offsetMillis(Expr arg) {
    return switch (unwrap(arg)) {
      case MatrixSelector ms -> ms.selector().offset().toMillis();
      case SubqueryExpr sq -> sq.offset().toMillis();
      default -> throw new IllegalStateException("not a range argument: " + arg);
    };
  }

  static @Nullable AtModifier at(Expr arg) {
    return switch (unwrap(arg)) {
      case MatrixSelector ms -> ms.selector().at();
      case SubqueryExpr sq -> sq.at();
      default -> throw new IllegalStateException("not a range argument: " + arg);
    };
  }

  /**
   * Calls the visitor once per series of a range argument with every sample that falls into any
   * step's window {@code (te[i] - range, te[i]]}; {@code te} must not decrease. Stale markers are
   * left out, as Prometheus does for range selectors.
   */
  void scanRange(Expr arg, long[] te, RangeVisitor visitor) {
    if (te.length == 0) {
      return;
    }
    Expr a = unwrap(arg);
    long range = rangeMillis(a);
    long mint = te[0] - range + 1;
    long maxt = te[te.length - 1];
    if (a instanceof MatrixSelector ms) {
      try (Querier q = ctx.queryable.querier(mint, maxt)) {
        SeriesSet set =
            q.select(
                true, new SelectHints(mint, maxt, interval, null, range), ms.selector().matchers());
        SampleIterator it = null;
        while (set.next()) {
          ctx.tick();
          Series s = set.at();
          it = s.iterator(it);
          int n = 0;
          for (int kind = it.seek(mint);
              kind != SampleIterator.NONE && it.timestamp() <= maxt;
              kind = it.next()) {
            requireFloat(kind);
            double v = it.value();
            if (Values.isStale(v)) {
              continue;
            }
            ctx.ensureBuffers(n + 1);
            ctx.tsBuf[n] = it.timestamp();
            ctx.vsBuf[n] = Values.canonical(v);
            n++;
          }
          if (n > 0) {
            ctx.addSamples(n);
            visitor.visit(s.labels(), ctx.tsBuf, ctx.vsBuf, n);
            ctx.releaseSamples(n);
          }
        }
        rethrow(set);
      }
      return;
    }
    SubqueryExpr sq = (SubqueryExpr) a;
    Evaluator inner = subqueryEvaluator(sq, te[0], maxt);
    if (inner.steps == 0) {
      return;
    }
    // As Prometheus 2.42 counts them, the inner selectors' samples are not queryable samples of
    // the query; the windows over the subquery's points are (counted by the caller).
    long queryable = ctx.queryableSamples();
    List<StepSeries> series = inner.vector(sq.expr());
    ctx.resetQueryable(queryable);
    long[] ts = new long[inner.steps];
    double[] vs = new double[inner.steps];
    for (StepSeries s : series) {
      int n = 0;
      for (int i = 0; i < inner.steps; i++) {
        double v = s.values[i];
        if (!isAbsent(v)) {
          ts[n] = inner.time(i);
          vs[n] = v;
          n++;
        }
      }
      if (n > 0) {
        visitor.visit(inner.labelsOf(s), ts, vs, n);
      }
    }
  }

  /** The labels of a series as the end of evaluation would show them. */
  Labels labelsOf(StepSeries s) {
    return s.dropName ? withoutName(s.labels) : s.labels;
  }

  /**
   * The evaluator of a subquery whose windows end between {@code firstEnd} and {@code lastEnd}: its
   * steps are the multiples of the subquery step after {@code firstEnd - range}, as in Prometheus.
   */
  Evaluator subqueryEvaluator(SubqueryExpr sq, long firstEnd, long lastEnd) {
    long step =
        sq.step() != null ? sq.step().toMillis() : ctx.options.evaluationInterval().toMillis();
    long range = sq.range().toMillis();
    long from = firstEnd - range;
    long innerStart = step * (from / step);
    if (innerStart <= from) {
      innerStart += step;
    }
    return new Evaluator(ctx, innerStart, lastEnd, step);
  }

  /** An instant query's range-vector result: the samples of each series in its window. */
  List<SeriesPoints> matrix(Expr arg) {
    long[] te = dataTimes(at(arg), offsetMillis(arg));
    List<SeriesPoints> out = new ArrayList<>();
    long lower = te[0] - rangeMillis(arg);
    scanRange(
        arg,
        te,
        (labels, ts, vs, n) -> {
          int lo = 0;
          while (lo < n && ts[lo] <= lower) {
            lo++;
          }
          int hi = n;
          while (hi > lo && ts[hi - 1] > te[0]) {
            hi--;
          }
          if (hi > lo) {
            ctx.addSamples(hi - lo);
            ctx.addQueryable(hi - lo);
            out.add(
                new SeriesPoints(
                    labels, Arrays.copyOfRange(ts, lo, hi), Arrays.copyOfRange(vs, lo, hi)));
          }
        });
    return out;
  }

  /** Whether any value is present at the step in a list of series. */
  static boolean anyPresent(List<StepSeries> series, int step) {
    for (StepSeries s : series) {
      if (!isAbsent(s.values[step])) {
        return true;
      }
    }
    return false;
  }

  static double[] absentSteps(int steps) {
    double[] a = new double[steps];
    Arrays.fill(a, ABSENT);
    return a;
  }
}
