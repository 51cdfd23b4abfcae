package dev.nines.promql.parser;

import java.util.List;

/**
 * A function call such as {@code rate(x[5m])}.
 *
 * @param function the function's signature
 * @param args the arguments, checked against the signature
 */
public record Call(Function function, List<Expr> args) implements Expr {

  /** Creates a call; the argument list is copied. */
  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ValueType type() {
    return function.returnType();
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
