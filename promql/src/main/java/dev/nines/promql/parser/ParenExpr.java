package dev.nines.promql.parser;

/**
 * An expression in parentheses, kept in the AST so that printing reproduces the query's grouping.
 *
 * @param expr the inner expression
 */
public record ParenExpr(Expr expr) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
