package dev.nines.promql.parser;

import org.jspecify.annotations.Nullable;

/**
 * A binary operation such as {@code a + on (job) group_left (team) b} or {@code x > bool 1}.
 *
 * @param op the operator
 * @param lhs the left operand
 * @param rhs the right operand
 * @param returnBool whether the {@code bool} modifier was given (comparisons only)
 * @param matching how vector elements pair up; null unless both operands are instant vectors
 */
public record BinaryExpr(
    BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, @Nullable VectorMatching matching)
    implements Expr {
  @Override
  public ValueType type() {
    return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
        ? ValueType.SCALAR
        : ValueType.VECTOR;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
