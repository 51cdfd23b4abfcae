package dev.nines.promql.parser;

/**
 * A binary operator, with its precedence: {@code ^} binds tightest (and is right-associative), then
 * {@code * / % atan2}, {@code + -}, comparisons, {@code and unless}, and {@code or}.
 */
public enum BinaryOp {
  OR("or", 1),
  AND("and", 2),
  UNLESS("unless", 2),
  EQL("==", 3),
  NEQ("!=", 3),
  LTE("<=", 3),
  LSS("<", 3),
  GTE(">=", 3),
  GTR(">", 3),
  ADD("+", 4),
  SUB("-", 4),
  MUL("*", 5),
  DIV("/", 5),
  MOD("%", 5),
  ATAN2("atan2", 5),
  POW("^", 6);

  /** The precedence of {@code ^}; unary operators bind just below it. */
  static final int POW_PRECEDENCE = 6;

  private final String symbol;
  private final int precedence;

  BinaryOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  /** The operator as written in canonical PromQL. */
  public String symbol() {
    return symbol;
  }

  /** The binding strength, 1 (loosest, {@code or}) to 6 (tightest, {@code ^}). */
  public int precedence() {
    return precedence;
  }

  /** Whether this is {@code ^}, the only right-associative operator. */
  public boolean isRightAssociative() {
    return this == POW;
  }

  /** Whether this is one of the comparison operators, the only ones that accept {@code bool}. */
  public boolean isComparison() {
    return precedence == 3;
  }

  /** Whether this is {@code and}, {@code or} or {@code unless}, which are always many-to-many. */
  public boolean isSetOperator() {
    return this == AND || this == OR || this == UNLESS;
  }
}
