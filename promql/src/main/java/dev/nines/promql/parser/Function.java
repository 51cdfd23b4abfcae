package dev.nines.promql.parser;

import static dev.nines.promql.parser.ValueType.MATRIX;
import static dev.nines.promql.parser.ValueType.SCALAR;
import static dev.nines.promql.parser.ValueType.STRING;
import static dev.nines.promql.parser.ValueType.VECTOR;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PromQL function's signature: argument types, how many trailing arguments are optional or
 * repeated, the return type, and whether it needs the experimental-functions switch.
 *
 * <p>{@code variadic} follows Prometheus: 0 means exactly {@code argTypes.size()} arguments; a
 * positive n means the last argument type may appear between 0 and n times; -1 means any number of
 * times. The table holds every function on Prometheus 3.x's functions page.
 *
 * @param name the function name, case-sensitive
 * @param argTypes the argument types; the last one repeats for variadic functions
 * @param variadic 0, a positive maximum of optional trailing arguments, or -1 for unbounded
 * @param returnType the type of a call
 * @param experimental whether the function is behind the experimental-functions switch
 */
public record Function(
    String name,
    List<ValueType> argTypes,
    int variadic,
    ValueType returnType,
    boolean experimental) {

  private static final Map<String, Function> TABLE = buildTable();

  /** Creates a signature; the argument list is copied. */
  public Function {
    argTypes = List.copyOf(argTypes);
  }

  /** The function with this exact name, if PromQL has one. */
  public static Optional<Function> byName(String name) {
    return Optional.ofNullable(TABLE.get(name));
  }

  /** Every known function, in alphabetical order. */
  public static Collection<Function> all() {
    return TABLE.values();
  }

  /** The fewest arguments a call may have. */
  public int minArgs() {
    return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
  }

  /** The most arguments a call may have, or -1 for no limit. */
  public int maxArgs() {
    if (variadic < 0) {
      return -1;
    }
    return variadic == 0 ? argTypes.size() : argTypes.size() - 1 + variadic;
  }

  /** The type the argument at this index must have. */
  public ValueType argType(int index) {
    return argTypes.get(Math.min(index, argTypes.size() - 1));
  }

  private static Map<String, Function> buildTable() {
    Map<String, Function> t = new LinkedHashMap<>();
    // Instant-vector maths: one vector in, one vector out.
    for (String name :
        List.of(
            "abs",
            "absent",
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "ceil",
            "cos",
            "cosh",
            "deg",
            "exp",
            "floor",
            "histogram_avg",
            "histogram_count",
            "histogram_stddev",
            "histogram_stdvar",
            "histogram_sum",
            "ln",
            "log10",
            "log2",
            "rad",
            "sgn",
            "sin",
            "sinh",
            "sort",
            "sort_desc",
            "sqrt",
            "tan",
            "tanh",
            "timestamp")) {
      add(t, name, List.of(VECTOR), 0, VECTOR, false);
    }
    // Range-vector functions: one range vector in, one vector out.
    for (String name :
        List.of(
            "absent_over_time",
            "avg_over_time",
            "changes",
            "count_over_time",
            "delta",
            "deriv",
            "idelta",
            "increase",
            "irate",
            "last_over_time",
            "max_over_time",
            "min_over_time",
            "present_over_time",
            "rate",
            "resets",
            "stddev_over_time",
            "stdvar_over_time",
            "sum_over_time")) {
      add(t, name, List.of(MATRIX), 0, VECTOR, false);
    }
    for (String name :
        List.of(
            "first_over_time",
            "mad_over_time",
            "ts_of_first_over_time",
            "ts_of_last_over_time",
            "ts_of_max_over_time",
            "ts_of_min_over_time")) {
      add(t, name, List.of(MATRIX), 0, VECTOR, true);
    }
    // Date functions: the vector argument defaults to vector(time()).
    for (String name :
        List.of(
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "days_in_month",
            "hour",
            "minute",
            "month",
            "year")) {
      add(t, name, List.of(VECTOR), 1, VECTOR, false);
    }
    add(t, "clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR, false);
    add(t, "clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR, false);
    add(t, "clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR, false);
    add(t, "double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR, true);
    add(t, "histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR, false);
    add(t, "histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR, false);
    add(t, "histogram_quantiles", List.of(VECTOR, STRING, SCALAR, SCALAR), 9, VECTOR, true);
    add(t, "info", List.of(VECTOR, VECTOR), 1, VECTOR, true);
    add(t, "label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR, false);
    add(t, "label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR, false);
    add(t, "max_of", List.of(SCALAR, SCALAR), 0, SCALAR, true);
    add(t, "min_of", List.of(SCALAR, SCALAR), 0, SCALAR, true);
    add(t, "pi", List.of(), 0, SCALAR, false);
    add(t, "predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR, false);
    add(t, "quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR, false);
    add(t, "round", List.of(VECTOR, SCALAR), 1, VECTOR, false);
    add(t, "scalar", List.of(VECTOR), 0, SCALAR, false);
    add(t, "sort_by_label", List.of(VECTOR, STRING), -1, VECTOR, true);
    add(t, "sort_by_label_desc", List.of(VECTOR, STRING), -1, VECTOR, true);
    add(t, "time", List.of(), 0, SCALAR, false);
    add(t, "timeseries_gen", List.of(STRING, STRING), 1, VECTOR, true);
    add(t, "vector", List.of(SCALAR), 0, VECTOR, false);
    // Query-range introspection (experimental in Prometheus).
    for (String name : List.of("start", "end", "range", "step")) {
      add(t, name, List.of(), 0, SCALAR, true);
    }
    Map<String, Function> sorted = new LinkedHashMap<>();
    t.keySet().stream().sorted().forEach(k -> sorted.put(k, t.get(k)));
    return Collections.unmodifiableMap(sorted);
  }

  private static void add(
      Map<String, Function> t,
      String name,
      List<ValueType> argTypes,
      int variadic,
      ValueType returnType,
      boolean experimental) {
    t.put(name, new Function(name, argTypes, variadic, returnType, experimental));
  }
}
