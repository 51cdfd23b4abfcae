package dev.nines.promql.parser;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An aggregation such as {@code sum by (job) (x)} or {@code topk(5, x)}.
 *
 * @param op the aggregation operator
 * @param expr the instant vector aggregated
 * @param param the parameter ({@code topk}'s k, {@code count_values}'s label), or null
 * @param grouping the labels of {@code by(...)} or {@code without(...)}
 * @param without true for {@code without}, false for {@code by} (or no clause)
 */
public record AggregateExpr(
    AggregateOp op, Expr expr, @Nullable Expr param, List<String> grouping, boolean without)
    implements Expr {

  /** Creates an aggregation; the grouping list is copied. */
  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
