package dev.nines.promql.parser;

import java.time.Duration;

/**
 * A range vector selector such as {@code http_requests_total[5m]}; the offset and {@code @}
 * modifiers live on the inner selector.
 *
 * @param selector the selector the range applies to
 * @param range how far back to select, positive
 */
public record MatrixSelector(VectorSelector selector, Duration range) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
