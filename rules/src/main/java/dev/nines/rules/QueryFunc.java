package dev.nines.rules;

import dev.nines.common.Labels;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.QueryException;
import dev.nines.promql.engine.Result;
import dev.nines.promql.engine.Sample;
import dev.nines.tsdb.storage.Queryable;
import java.util.List;

/**
 * The only way rules reach the query engine, as Prometheus's {@code rules.QueryFunc}: an instant
 * query at a time, returning an instant vector (a scalar becomes one sample without labels).
 */
@FunctionalInterface
public interface QueryFunc {
  /**
   * Evaluates {@code expr} at {@code timeMillis}.
   *
   * @throws QueryException when the query fails or returns a range vector or string
   */
  List<Sample> query(String expr, long timeMillis);

  /** A query function over the engine and storage, converting scalars as Prometheus does. */
  static QueryFunc engine(Engine engine, Queryable storage) {
    return (expr, t) ->
        switch (engine.instantQuery(storage, expr, t)) {
          case Result.Vector v -> v.samples();
          case Result.Scalar s -> List.of(new Sample(Labels.EMPTY, s.timestamp(), s.value()));
          case Result.Matrix m ->
              throw new QueryException(
                  QueryException.Kind.EXECUTION, "rule result is not a vector or scalar");
          case Result.StringValue sv ->
              throw new QueryException(
                  QueryException.Kind.EXECUTION, "rule result is not a vector or scalar");
        };
  }
}
