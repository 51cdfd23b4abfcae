package dev.nines.promql.parser;

/**
 * A float literal such as {@code 1.5}, {@code 0x1f} or {@code -Inf}; a duration such as {@code 5m}
 * used as a number is its value in seconds and remembers that it was written as a duration.
 *
 * @param value the value
 * @param duration whether it was written as a duration, and prints as one
 */
public record NumberLiteral(double value, boolean duration) implements Expr {

  /** A literal written as a plain number. */
  public static NumberLiteral of(double value) {
    return new NumberLiteral(value, false);
  }

  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
