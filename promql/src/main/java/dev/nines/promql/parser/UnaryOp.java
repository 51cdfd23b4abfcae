package dev.nines.promql.parser;

/** A unary operator: {@code +} or {@code -}. */
public enum UnaryOp {
  PLUS("+"),
  MINUS("-");

  private final String symbol;

  UnaryOp(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in PromQL. */
  public String symbol() {
    return symbol;
  }
}
