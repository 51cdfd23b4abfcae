package dev.nines.promql.engine;

import static dev.nines.promql.engine.Values.isAbsent;

import dev.nines.common.Labels;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.ParseException;
import dev.nines.promql.parser.Parser;
import dev.nines.promql.parser.ValueType;
import dev.nines.tsdb.storage.Queryable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The PromQL engine: parses a query, evaluates it against storage and returns its {@link Result},
 * with Prometheus 3.x semantics for float samples. Thread-safe; each query runs on the caller's
 * thread, and interrupting that thread cancels it.
 */
public final class Engine {
  /** Prometheus's limit on points per series in a range query result. */
  public static final int MAX_POINTS_PER_SERIES = 11_000;

  private final EngineOptions options;
  private final Parser.Options parserOptions;

  /** An engine with the given options (validated here). */
  public Engine(EngineOptions options) {
    this.options = options.validate();
    this.parserOptions = new Parser.Options(options.experimentalFunctions());
  }

  /** The engine's options. */
  public EngineOptions options() {
    return options;
  }

  /**
   * Evaluates a query at one instant.
   *
   * @param time the evaluation time in milliseconds since the epoch
   * @throws QueryException when the query does not parse or fails
   */
  public Result instantQuery(Queryable storage, String query, long time) {
    return instantQuery(storage, query, time, null);
  }

  /**
   * Evaluates a query at one instant with a per-query lookback delta.
   *
   * @param lookbackDelta the lookback delta for this query, or null for the engine's
   */
  public Result instantQuery(
      Queryable storage, String query, long time, @Nullable Duration lookbackDelta) {
    return instantQuery(storage, query, time, lookbackDelta, null);
  }

  /**
   * Evaluates a query at one instant and records its cost.
   *
   * @param stats filled in with timings and sample counts when the query succeeds; may be null
   */
  public Result instantQuery(
      Queryable storage,
      String query,
      long time,
      @Nullable Duration lookbackDelta,
      @Nullable QueryStats stats) {
    long t0 = System.nanoTime();
    Expr expr = parse(query);
    QueryContext ctx = context(storage, lookbackDelta, time, time, 0);
    Evaluator ev = new Evaluator(ctx, time, time, 1);
    ev.shareRepeatedCalls(expr);
    long t1 = System.nanoTime();
    Result result = evalInstant(expr, ev, ctx, time, stats);
    if (stats != null) {
      stats.preparationNanos = t1 - t0;
      stats.resultSortNanos = System.nanoTime() - t1 - stats.innerEvalNanos;
      ctx.fillStats(stats);
    }
    return result;
  }

  private Result evalInstant(
      Expr expr, Evaluator ev, QueryContext ctx, long time, @Nullable QueryStats stats) {
    long t1 = System.nanoTime();
    return switch (expr.type()) {
      case SCALAR -> {
        double v = ev.scalar(expr)[0];
        evaluated(stats, t1);
        yield new Result.Scalar(time, v, ctx.warnings(), ctx.infos());
      }
      case STRING -> {
        String v = ev.string(expr);
        evaluated(stats, t1);
        yield new Result.StringValue(time, v, ctx.warnings(), ctx.infos());
      }
      case MATRIX -> {
        List<SeriesPoints> m = new ArrayList<>(ev.matrix(expr));
        evaluated(stats, t1);
        m.sort(Comparator.comparing(SeriesPoints::labels));
        yield new Result.Matrix(m, ctx.warnings(), ctx.infos());
      }
      case VECTOR -> {
        List<StepSeries> v = finish(ev, ev.vector(expr));
        evaluated(stats, t1);
        List<Sample> samples = new ArrayList<>(v.size());
        for (StepSeries s : v) {
          if (!isAbsent(s.values[0])) {
            samples.add(new Sample(s.labels, time, s.values[0]));
          }
        }
        yield new Result.Vector(samples, ctx.warnings(), ctx.infos());
      }
    };
  }

  /**
   * Evaluates a query at {@code start, start + step, ..., end}; the result is always a matrix.
   *
   * @throws QueryException when the query does not parse, is a string or range vector, the range is
   *     invalid, or evaluation fails
   */
  public Result rangeQuery(Queryable storage, String query, long start, long end, long step) {
    return rangeQuery(storage, query, start, end, step, null);
  }

  /** Evaluates a range query with a per-query lookback delta (null for the engine's). */
  public Result rangeQuery(
      Queryable storage,
      String query,
      long start,
      long end,
      long step,
      @Nullable Duration lookbackDelta) {
    return rangeQuery(storage, query, start, end, step, lookbackDelta, null);
  }

  /**
   * Evaluates a range query and records its cost.
   *
   * @param stats filled in with timings and sample counts when the query succeeds; may be null
   */
  public Result rangeQuery(
      Queryable storage,
      String query,
      long start,
      long end,
      long step,
      @Nullable Duration lookbackDelta,
      @Nullable QueryStats stats) {
    long t0 = System.nanoTime();
    if (step <= 0) {
      throw new QueryException(
          QueryException.Kind.BAD_DATA,
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    if (end < start) {
      throw new QueryException(
          QueryException.Kind.BAD_DATA, "end timestamp must not be before start time");
    }
    // As Prometheus's API: refused only when (end - start) / step exceeds the limit.
    if ((end - start) / step > MAX_POINTS_PER_SERIES) {
      throw new QueryException(
          QueryException.Kind.BAD_DATA,
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
    Expr expr = parse(query);
    if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
      throw new QueryException(
          QueryException.Kind.BAD_DATA,
          "invalid expression type \""
              + expr.type().documentedName()
              + "\" for range query, must be Scalar or instant Vector");
    }
    QueryContext ctx = context(storage, lookbackDelta, start, end, step);
    Evaluator ev = new Evaluator(ctx, start, end, step);
    ev.shareRepeatedCalls(expr);
    long t1 = System.nanoTime();
    Result result = evalRange(expr, ev, ctx, stats);
    if (stats != null) {
      stats.preparationNanos = t1 - t0;
      stats.resultSortNanos = System.nanoTime() - t1 - stats.innerEvalNanos;
      ctx.fillStats(stats);
    }
    return result;
  }

  private Result evalRange(Expr expr, Evaluator ev, QueryContext ctx, @Nullable QueryStats stats) {
    long t1 = System.nanoTime();
    List<SeriesPoints> out = new ArrayList<>();
    if (expr.type() == ValueType.SCALAR) {
      double[] v = ev.scalar(expr);
      evaluated(stats, t1);
      long[] ts = new long[ev.steps];
      for (int i = 0; i < ev.steps; i++) {
        ts[i] = ev.time(i);
      }
      out.add(new SeriesPoints(Labels.EMPTY, ts, v));
      return new Result.Matrix(out, ctx.warnings(), ctx.infos());
    }
    List<StepSeries> result = finish(ev, ev.vector(expr));
    evaluated(stats, t1);
    long[] everyStep = null; // shared by the series with a value at every step
    for (StepSeries s : result) {
      int n = s.countPresent();
      if (n == 0) {
        continue;
      }
      if (n == ev.steps) {
        if (everyStep == null) {
          everyStep = new long[ev.steps];
          for (int i = 0; i < ev.steps; i++) {
            everyStep[i] = ev.time(i);
          }
        }
        out.add(new SeriesPoints(s.labels, everyStep, s.values));
        continue;
      }
      long[] ts = new long[n];
      double[] vs = new double[n];
      int k = 0;
      for (int i = 0; i < ev.steps; i++) {
        if (!isAbsent(s.values[i])) {
          ts[k] = ev.time(i);
          vs[k] = s.values[i];
          k++;
        }
      }
      out.add(new SeriesPoints(s.labels, ts, vs));
    }
    out.sort(Comparator.comparing(SeriesPoints::labels));
    return new Result.Matrix(out, ctx.warnings(), ctx.infos());
  }

  private static void evaluated(@Nullable QueryStats stats, long since) {
    if (stats != null) {
      stats.innerEvalNanos = System.nanoTime() - since;
    }
  }

  private Expr parse(String query) {
    try {
      return Parser.parse(query, parserOptions);
    } catch (ParseException e) {
      throw new QueryException(QueryException.Kind.BAD_DATA, e.getMessage(), e);
    }
  }

  private QueryContext context(
      Queryable storage, @Nullable Duration lookbackDelta, long start, long end, long step) {
    long lookback = (lookbackDelta != null ? lookbackDelta : options.lookbackDelta()).toMillis();
    if (lookback <= 0) {
      throw new QueryException(QueryException.Kind.BAD_DATA, "lookback delta must be positive");
    }
    return new QueryContext(storage, options, lookback, start, end, step);
  }

  /** Applies delayed name removal and the final duplicate-labelset check. */
  private List<StepSeries> finish(Evaluator ev, List<StepSeries> result) {
    if (!options.delayedNameRemoval()) {
      return result;
    }
    for (StepSeries s : result) {
      if (s.dropName) {
        s.labels = Evaluator.withoutName(s.labels);
        s.dropName = false;
      }
    }
    List<StepSeries> sorted = new ArrayList<>(result);
    sorted.sort(Comparator.comparing(s -> s.labels));
    for (int i = 1; i < sorted.size(); i++) {
      StepSeries a = sorted.get(i - 1);
      StepSeries b = sorted.get(i);
      if (a.labels.equals(b.labels)) {
        for (int k = 0; k < ev.steps; k++) {
          if (!isAbsent(a.values[k]) && !isAbsent(b.values[k])) {
            throw new QueryException(
                QueryException.Kind.EXECUTION, QueryException.DUPLICATE_LABELSET);
          }
        }
      }
    }
    return result;
  }
}
