package dev.nines.promql.parser;

/**
 * A string literal, unescaped.
 *
 * @param value the string's value
 */
public record StringLiteral(String value) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.STRING;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
