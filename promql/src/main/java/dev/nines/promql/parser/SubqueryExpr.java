package dev.nines.promql.parser;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A subquery such as {@code rate(x[5m])[30m:1m]}.
 *
 * @param expr the instant-vector expression evaluated at each step
 * @param range how far back the subquery reaches, positive
 * @param step the resolution, or null for the default (the evaluation interval)
 * @param offset the offset modifier, zero if none
 * @param at the {@code @} modifier, or null if none
 */
public record SubqueryExpr(
    Expr expr, Duration range, @Nullable Duration step, Duration offset, @Nullable AtModifier at)
    implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
