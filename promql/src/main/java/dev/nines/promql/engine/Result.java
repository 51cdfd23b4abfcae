package dev.nines.promql.engine;

import java.util.List;

/**
 * The value of a query with the annotations Prometheus attaches to it: a scalar, a string, an
 * instant vector or a range vector (matrix). Warnings and infos are the texts of Prometheus's
 * {@code warnings} and {@code infos} response arrays.
 */
public sealed interface Result
    permits Result.Scalar, Result.StringValue, Result.Vector, Result.Matrix {

  /** Warnings, e.g. {@code PromQL warning: quantile value should be between 0 and 1, got 2}. */
  List<String> warnings();

  /** Infos, e.g. {@code PromQL info: metric might not be a counter, ...}. */
  List<String> infos();

  /** The type name Prometheus's API uses: scalar, string, vector or matrix. */
  String resultType();

  /**
   * A scalar result.
   *
   * @param timestamp the evaluation time in milliseconds
   * @param value the value
   * @param warnings warning annotations
   * @param infos info annotations
   */
  record Scalar(long timestamp, double value, List<String> warnings, List<String> infos)
      implements Result {
    @Override
    public String resultType() {
      return "scalar";
    }
  }

  /**
   * A string result.
   *
   * @param timestamp the evaluation time in milliseconds
   * @param value the string
   * @param warnings warning annotations
   * @param infos info annotations
   */
  record StringValue(long timestamp, String value, List<String> warnings, List<String> infos)
      implements Result {
    @Override
    public String resultType() {
      return "string";
    }
  }

  /**
   * An instant vector, in the order the query produced it (sorted by labels unless a sorting
   * function, {@code topk} or {@code bottomk} ordered it).
   *
   * @param samples the elements
   * @param warnings warning annotations
   * @param infos info annotations
   */
  record Vector(List<Sample> samples, List<String> warnings, List<String> infos) implements Result {
    @Override
    public String resultType() {
      return "vector";
    }
  }

  /**
   * A range vector: the result of every range query, or of an instant query for a range selector or
   * subquery. Series are sorted by labels.
   *
   * @param series the series
   * @param warnings warning annotations
   * @param infos info annotations
   */
  record Matrix(List<SeriesPoints> series, List<String> warnings, List<String> infos)
      implements Result {
    @Override
    public String resultType() {
      return "matrix";
    }
  }
}
