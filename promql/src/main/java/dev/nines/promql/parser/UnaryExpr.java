package dev.nines.promql.parser;

/**
 * A unary {@code +} or {@code -} on a scalar or instant vector; on a number literal the parser
 * folds it into the literal instead.
 *
 * @param op the operator
 * @param expr the operand
 */
public record UnaryExpr(UnaryOp op, Expr expr) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
